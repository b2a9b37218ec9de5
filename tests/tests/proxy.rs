//! The fault-injecting proxy: bytes pass unchanged, the throttle and the delay
//! shape the line, seeded cuts are reproducible, stats count delivered bytes.
//! Every server here listens on 127.0.0.1:0 and stops when dropped.

use std::collections::BTreeSet;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use hongdun_tests::proxy::{CutDirection, LinkConfig, LinkStats, Proxy};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

const CLIENT_TIMEOUT: Duration = Duration::from_secs(15);

/// A tiny upstream: one thread per connection running `handler`.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    fn start(handler: fn(TcpStream)) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let accept = thread::spawn(move || {
            for s in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(s) = s else { continue };
                s.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
                s.set_write_timeout(Some(CLIENT_TIMEOUT)).unwrap();
                thread::spawn(move || handler(s));
            }
        });
        Server {
            addr,
            stop,
            accept: Some(accept),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

/// Echoes everything; half-closes when the client does.
fn echo(mut s: TcpStream) {
    let mut buf = [0u8; 8192];
    loop {
        match s.read(&mut buf) {
            Ok(0) => {
                let _ = s.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => {
                if s.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
            Err(_) => return,
        }
    }
}

/// Reads to EOF, then answers with the byte count and FNV-1a hash (16 bytes).
fn sink(mut s: TcpStream) {
    let mut buf = [0u8; 8192];
    let (mut count, mut hash) = (0u64, Fnv::new());
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                count += n as u64;
                hash.update(&buf[..n]);
            }
            Err(_) => return,
        }
    }
    let mut reply = count.to_le_bytes().to_vec();
    reply.extend_from_slice(&hash.0.to_le_bytes());
    let _ = s.write_all(&reply);
}

const SOURCE_BYTES: usize = 256 * 1024;

/// Sends SOURCE_BYTES of seeded data, then closes.
fn source(mut s: TcpStream) {
    let _ = s.write_all(&payload(SOURCE_BYTES, 99));
}

struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn update(&mut self, data: &[u8]) {
        for &b in data {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn fnv(data: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.update(data);
    h.0
}

fn payload(len: usize, seed: u64) -> Vec<u8> {
    let mut v = vec![0u8; len];
    StdRng::seed_from_u64(seed).fill_bytes(&mut v);
    v
}

/// Sends `data` (then half-closes) while reading until EOF or an error.
/// Returns what came back and the error that ended the read, if any.
fn exchange(addr: SocketAddr, data: Vec<u8>) -> (Vec<u8>, Option<io::Error>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    let mut w = s.try_clone().unwrap();
    let writer = thread::spawn(move || {
        // A cut connection may refuse the rest; that is the point.
        if w.write_all(&data).is_ok() {
            let _ = w.shutdown(Shutdown::Write);
        }
    });
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    let err = loop {
        match s.read(&mut buf) {
            Ok(0) => break None,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => break Some(e),
        }
    };
    drop(s);
    writer.join().unwrap();
    (got, err)
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(5));
    }
}

fn sink_reply(reply: &[u8]) -> (u64, u64) {
    assert_eq!(reply.len(), 16, "sink reply");
    (
        u64::from_le_bytes(reply[..8].try_into().unwrap()),
        u64::from_le_bytes(reply[8..].try_into().unwrap()),
    )
}

#[test]
fn lan_passes_bytes_unchanged_and_counts_them() {
    let echo_srv = Server::start(echo);
    let sink_srv = Server::start(sink);
    let echo_px = Proxy::start(echo_srv.addr, LinkConfig::lan()).unwrap();
    let sink_px = Proxy::start(sink_srv.addr, LinkConfig::lan()).unwrap();
    let n = 1 << 20;
    let data = payload(n, 1);

    let (back, err) = exchange(echo_px.addr(), data.clone());
    assert!(err.is_none(), "{err:?}");
    assert_eq!(back.len(), n);
    assert_eq!(fnv(&back), fnv(&data));

    let (reply, err) = exchange(sink_px.addr(), data.clone());
    assert!(err.is_none(), "{err:?}");
    assert_eq!(sink_reply(&reply), (n as u64, fnv(&data)));

    let want_echo = LinkStats {
        client_to_server_bytes: n as u64,
        server_to_client_bytes: n as u64,
        connections: 1,
        cuts: 0,
        flips: 0,
    };
    wait_for("echo stats", || echo_px.stats() == want_echo);
    wait_for("sink stats", || {
        let s = sink_px.stats();
        s.client_to_server_bytes == n as u64 && s.server_to_client_bytes == 16
    });
    wait_for("connections to end", || echo_px.live_connections() == 0);
    echo_px.reset_stats();
    assert_eq!(echo_px.stats(), LinkStats::default());
}

fn timed(addr: SocketAddr, data: Vec<u8>) -> (Duration, Vec<u8>) {
    let t = Instant::now();
    let (got, err) = exchange(addr, data);
    assert!(err.is_none(), "{err:?}");
    (t.elapsed(), got)
}

#[test]
fn throttle_shapes_each_direction() {
    let sink_srv = Server::start(sink);
    let source_srv = Server::start(source);
    let n = 64 * 1024;
    let data = payload(n, 2);

    // Baseline on an unshaped link, same machine, same moment.
    let lan = Proxy::start(sink_srv.addr, LinkConfig::lan()).unwrap();
    let (lan_up, reply) = timed(lan.addr(), data.clone());
    assert_eq!(sink_reply(&reply), (n as u64, fnv(&data)));

    let shaped = LinkConfig::lan().with_bandwidth_bps(256_000);
    let up_px = Proxy::start(sink_srv.addr, shaped.clone()).unwrap();
    let down_px = Proxy::start(source_srv.addr, shaped).unwrap();
    // Download: 64 KiB of the source's 256 KiB, read through a shaped link.
    let down_addr = down_px.addr();
    let down = thread::spawn(move || {
        let mut s = TcpStream::connect(down_addr).unwrap();
        s.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
        let mut buf = vec![0u8; 64 * 1024];
        let t = Instant::now();
        s.read_exact(&mut buf).unwrap();
        let elapsed = t.elapsed();
        assert_eq!(fnv(&buf), fnv(&payload(SOURCE_BYTES, 99)[..buf.len()]));
        elapsed
    });
    let (up, reply) = timed(up_px.addr(), data.clone());
    assert_eq!(sink_reply(&reply), (n as u64, fnv(&data)));
    let down = down.join().unwrap();

    let ideal = n as f64 * 8.0 / 256_000.0;
    eprintln!("64 KiB: lan {lan_up:?}; 256 kbit/s up {up:?}, down {down:?} (ideal {ideal:.3} s)");
    for (what, t) in [("upload", up), ("download", down)] {
        assert!(
            (1.5..6.0).contains(&t.as_secs_f64()),
            "{what} of 64 KiB at 256 kbit/s took {t:?}"
        );
        assert!(
            t.as_secs_f64() > 5.0 * lan_up.as_secs_f64(),
            "{what} {t:?} vs lan {lan_up:?}"
        );
    }
}

#[test]
fn delay_applies_per_direction_and_pipelines() {
    let echo_srv = Server::start(echo);
    let px = Proxy::start(
        echo_srv.addr,
        LinkConfig::lan().with_delay(Duration::from_millis(100)),
    )
    .unwrap();
    let mut s = TcpStream::connect(px.addr()).unwrap();
    s.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    let mut buf = [0u8; 4];
    for i in 0..3u32 {
        let t = Instant::now();
        s.write_all(&i.to_le_bytes()).unwrap();
        s.read_exact(&mut buf).unwrap();
        let rtt = t.elapsed();
        assert_eq!(buf, i.to_le_bytes());
        eprintln!("request/response {i}: {rtt:?}");
        assert!(rtt >= Duration::from_millis(200), "rtt {rtt:?}");
        assert!(rtt < Duration::from_millis(1500), "rtt {rtt:?}");
    }
    // Ten requests sent back to back travel together: one RTT, not ten.
    let t = Instant::now();
    for i in 0..10u32 {
        s.write_all(&i.to_le_bytes()).unwrap();
        thread::sleep(Duration::from_millis(5));
    }
    let mut all = [0u8; 40];
    s.read_exact(&mut all).unwrap();
    let burst = t.elapsed();
    eprintln!("10 pipelined requests: {burst:?}");
    assert!(burst >= Duration::from_millis(200), "{burst:?}");
    assert!(
        burst < Duration::from_millis(1000),
        "latency serialised: {burst:?}"
    );

    // The presets describe the lines the scenarios use.
    assert_eq!(LinkConfig::slow_line().rtt(), Duration::from_millis(300));
    assert_eq!(LinkConfig::slow_line().bandwidth_bps, Some(256_000));
    assert_eq!(LinkConfig::two_mbit().rtt(), Duration::from_millis(300));
    assert_eq!(LinkConfig::two_mbit().bandwidth_bps, Some(2_000_000));
    assert_eq!(LinkConfig::lan().bandwidth_bps, None);
}

/// One download through a proxy that always cuts server→client; returns
/// (bytes the client received, bytes the proxy delivered).
fn cut_download(seed: u64, source_addr: SocketAddr) -> (usize, u64) {
    let cfg = LinkConfig::lan()
        .with_cut_probability(1.0)
        .with_cut_direction(CutDirection::ServerToClient)
        .with_cut_offsets(0..128 * 1024)
        .with_seed(seed);
    let px = Proxy::start(source_addr, cfg).unwrap();
    let (got, _err) = exchange(px.addr(), Vec::new());
    wait_for("the cut", || px.stats().cuts == 1);
    let delivered = px.stats().server_to_client_bytes;
    assert!(got.len() < SOURCE_BYTES, "seed {seed}: got everything");
    assert!(got.len() as u64 <= delivered);
    assert!(delivered < 128 * 1024);
    assert_eq!(
        got[..],
        payload(SOURCE_BYTES, 99)[..got.len()],
        "prefix intact"
    );
    (got.len(), delivered)
}

#[test]
fn seeded_cuts_hit_different_offsets_reproducibly() {
    let source_srv = Server::start(source);
    let mut offsets = BTreeSet::new();
    for seed in 1..=5 {
        let (got, delivered) = cut_download(seed, source_srv.addr);
        eprintln!("seed {seed}: cut after {delivered} bytes delivered, client read {got}");
        offsets.insert(delivered);
    }
    assert_eq!(offsets.len(), 5, "offsets {offsets:?}");
    // Same seed, same cut.
    assert_eq!(
        cut_download(3, source_srv.addr).1,
        cut_download(3, source_srv.addr).1
    );
}

#[test]
fn every_connection_is_cut_at_probability_one() {
    let echo_srv = Server::start(echo);
    let sink_srv = Server::start(sink);
    let n = 64 * 1024;
    let cfg = LinkConfig::lan()
        .with_cut_probability(1.0)
        .with_cut_offsets(0..48 * 1024)
        .with_seed(11);
    let px = Proxy::start(echo_srv.addr, cfg.clone()).unwrap();
    for i in 0..6 {
        let (back, err) = exchange(px.addr(), payload(n, i));
        assert!(back.len() < n, "connection {i} was not cut");
        eprintln!("echo {i}: got {} of {n} ({err:?})", back.len());
    }
    wait_for("six cuts", || px.stats().cuts == 6);
    assert_eq!(px.stats().connections, 6);

    // Cut on the way up: the sink sees a short upload and the reply never arrives.
    let px = Proxy::start(
        sink_srv.addr,
        cfg.with_cut_direction(CutDirection::ClientToServer),
    )
    .unwrap();
    let (reply, err) = exchange(px.addr(), payload(n, 7));
    assert!(reply.len() < 16, "reply got through: {reply:?}");
    wait_for("the cut", || px.stats().cuts == 1);
    let up = px.stats().client_to_server_bytes;
    eprintln!("upload cut after {up} bytes ({err:?})");
    assert!(up < 48 * 1024);
}

#[test]
fn set_config_and_cut_all_now() {
    let echo_srv = Server::start(echo);
    let always = LinkConfig::lan()
        .with_cut_probability(1.0)
        .with_cut_offsets(0..1);
    let px = Proxy::start(echo_srv.addr, always).unwrap();
    let data = payload(32 * 1024, 5);

    let (back, _) = exchange(px.addr(), data.clone());
    assert!(
        back.is_empty(),
        "cut at offset 0 let {} bytes through",
        back.len()
    );

    // A live connection with a planned cut is spared once cuts are turned off.
    let mut live = TcpStream::connect(px.addr()).unwrap();
    live.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    wait_for("accept", || px.stats().connections == 2);
    px.set_config(LinkConfig::lan());
    live.write_all(b"ping").unwrap();
    let mut buf = [0u8; 4];
    live.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping");
    drop(live);
    // And new connections pass.
    let (back, err) = exchange(px.addr(), data.clone());
    assert!(err.is_none());
    assert_eq!(back, data);
    assert_eq!(px.stats().cuts, 1);

    // Drop every live connection at once.
    wait_for("old connections to end", || px.live_connections() == 0);
    let mut clients: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(px.addr()).unwrap();
            s.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
            s.write_all(b"hi").unwrap();
            let mut b = [0u8; 2];
            s.read_exact(&mut b).unwrap();
            s
        })
        .collect();
    assert_eq!(px.cut_all_now(), 3);
    for s in &mut clients {
        let t = Instant::now();
        let mut b = [0u8; 16];
        match s.read(&mut b) {
            Ok(0) | Err(_) => {}
            Ok(n) => panic!("read {n} bytes after cut_all_now"),
        }
        assert!(t.elapsed() < Duration::from_secs(2));
    }
    assert_eq!(px.stats().cuts, 4);
    wait_for("cut connections to end", || px.live_connections() == 0);
}

#[test]
fn only_loopback_upstreams() {
    for bad in [
        "10.0.0.1:9",
        "192.168.1.1:80",
        "8.8.8.8:53",
        "[2001:db8::1]:80",
    ] {
        let err = Proxy::start(bad.parse().unwrap(), LinkConfig::lan()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad}");
    }
    for ok in ["127.0.0.2:9", "[::1]:9"] {
        Proxy::start(ok.parse().unwrap(), LinkConfig::lan()).unwrap();
    }
    let bad_p = LinkConfig {
        cut_probability: 1.5,
        ..LinkConfig::lan()
    };
    assert!(Proxy::start("127.0.0.1:9".parse().unwrap(), bad_p).is_err());
}

#[test]
fn dropping_the_proxy_stops_it() {
    let echo_srv = Server::start(echo);
    let px = Proxy::start(echo_srv.addr, LinkConfig::slow_line()).unwrap();
    let addr = px.addr();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    s.write_all(b"x").unwrap();
    let mut b = [0u8; 1];
    s.read_exact(&mut b).unwrap();
    // Data in flight when the proxy goes away is dropped with the connection.
    s.write_all(&[0u8; 4096]).unwrap();
    let t = Instant::now();
    drop(px);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "drop took {:?}",
        t.elapsed()
    );
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    assert!(rest.len() < 4096);
    assert!(TcpStream::connect(addr).is_err(), "listener still open");
}

#[test]
fn presets_move_100_kb_as_advertised() {
    let sink_srv = Server::start(sink);
    let n = 100 * 1000;
    let data = payload(n, 3);
    for (name, cfg, lo, hi) in [
        // 100 kB at 256 kbit/s is 3.125 s, plus 300 ms for the data and the reply.
        ("slow_line", LinkConfig::slow_line(), 3.0, 8.0),
        // 0.4 s at 2 Mbit/s plus the same 300 ms.
        ("two_mbit", LinkConfig::two_mbit(), 0.6, 3.0),
    ] {
        let px = Proxy::start(sink_srv.addr, cfg).unwrap();
        let (t, reply) = timed(px.addr(), data.clone());
        assert_eq!(sink_reply(&reply), (n as u64, fnv(&data)));
        eprintln!("{name}: 100 kB upload + reply in {t:?}");
        assert!((lo..hi).contains(&t.as_secs_f64()), "{name}: {t:?}");
    }
}
