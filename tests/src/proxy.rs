//! A fault-injecting TCP proxy for tests and benchmarks: it stands between a
//! branch office and the relay and makes the loopback line look like the real
//! one (one-way delay, a bandwidth limit per direction, connections cut in the
//! middle of a transfer, a byte flipped in transit).
//!
//! It uses plain threads and blocking sockets with timeouts, so it works from a
//! `#[test]` function and from a bench binary alike, with no async runtime.
//!
//! ```no_run
//! use hongdun_tests::proxy::{LinkConfig, Proxy};
//! # let relay_addr: std::net::SocketAddr = "127.0.0.1:4000".parse().unwrap();
//! let proxy = Proxy::start(relay_addr, LinkConfig::slow_line().with_cut_probability(0.3).with_seed(7))?;
//! // point the client at proxy.addr() instead of relay_addr ...
//! proxy.set_config(LinkConfig::slow_line()); // last round: no more cuts
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The model, per direction: a piece of data read from the sender leaves the
//! proxy's "wire" when the token bucket lets it (serialisation at the link
//! rate), and arrives at the receiver `one_way_delay` after that. Each piece
//! carries its own due time, so the delay is pipelined (bytes sent at `t`
//! arrive at `t + delay`) rather than added once per read. The reader is paced
//! by the bucket, so the sender feels back-pressure as on a real slow line.
//!
//! Threads: one accept thread, and four per connection (a reader and a writer
//! for each direction). Everything stops when the [`Proxy`] is dropped.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Smallest piece a rate-limited link sends at once (at 256 kbit/s one piece
/// is 32 ms of line time); faster links send about 5 ms of line time per piece.
pub const SHAPED_PIECE: usize = 1024;
/// Read size on a link without a rate limit, and the largest shaped piece.
const UNSHAPED_READ: usize = 16 * 1024;
/// How often blocked socket calls wake to look at the stop flags.
const IO_TICK: Duration = Duration::from_millis(250);
/// Pieces queued per direction (bounds memory; at 2 Mbit/s a piece is 1250
/// bytes, so 512 of them hold 2.6 s of line time, far above delay × rate).
const QUEUE_PIECES: usize = 512;
const UPSTREAM_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// One direction of a proxied connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From the client that connected to the proxy, towards the upstream.
    ClientToServer,
    /// From the upstream back to the client.
    ServerToClient,
}

/// Which direction a planned cut applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutDirection {
    ClientToServer,
    ServerToClient,
    /// Chosen per connection by the seeded RNG, half and half.
    Either,
}

/// How the simulated line behaves. Cheap to clone; change it at run time with
/// [`Proxy::set_config`].
#[derive(Clone, Debug, PartialEq)]
pub struct LinkConfig {
    /// Delay each way; the round trip adds `2 × one_way_delay`.
    pub one_way_delay: Duration,
    /// Link rate per direction in bits per second; `None` is unlimited.
    pub bandwidth_bps: Option<u64>,
    /// Chance, per accepted connection, that it gets cut (0.0..=1.0).
    pub cut_probability: f64,
    /// Direction in which a cut connection is cut.
    pub cut_direction: CutDirection,
    /// A cut happens once this many bytes (drawn uniformly from the range)
    /// have been delivered in the cut direction and more are about to go.
    /// A connection that carries fewer bytes that way is not cut.
    pub cut_offsets: Range<u64>,
    /// Seed of the RNG that decides the cuts, so runs are reproducible (given
    /// the same order of connections).
    pub seed: u64,
    /// Chance, per accepted connection, that one byte of it is flipped in
    /// transit (damage TCP's checksum missed, or a meddling middlebox).
    pub flip_probability: f64,
    /// Direction in which a damaged connection has its byte flipped.
    pub flip_direction: CutDirection,
    /// The flipped byte's position (bytes delivered before it), drawn from
    /// this range.
    pub flip_offsets: Range<u64>,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self::lan()
    }
}

impl LinkConfig {
    /// No delay, no limit, no cuts.
    pub fn lan() -> Self {
        LinkConfig {
            one_way_delay: Duration::ZERO,
            bandwidth_bps: None,
            cut_probability: 0.0,
            cut_direction: CutDirection::Either,
            cut_offsets: 0..64 * 1024,
            seed: 0,
            flip_probability: 0.0,
            flip_direction: CutDirection::Either,
            flip_offsets: 0..64 * 1024,
        }
    }

    /// A branch office line: 256 kbit/s each way, 150 ms each way (300 ms RTT).
    pub fn slow_line() -> Self {
        Self::lan()
            .with_bandwidth_bps(256_000)
            .with_delay(Duration::from_millis(150))
    }

    /// 2 Mbit/s each way, 300 ms RTT.
    pub fn two_mbit() -> Self {
        Self::lan()
            .with_bandwidth_bps(2_000_000)
            .with_delay(Duration::from_millis(150))
    }

    /// Sets the one-way delay.
    pub fn with_delay(mut self, one_way: Duration) -> Self {
        self.one_way_delay = one_way;
        self
    }

    /// Limits each direction to `bps` bits per second.
    ///
    /// # Panics
    /// If `bps` is 0 (use [`LinkConfig::unlimited`] for no limit).
    pub fn with_bandwidth_bps(mut self, bps: u64) -> Self {
        assert!(bps > 0, "bandwidth must be positive");
        self.bandwidth_bps = Some(bps);
        self
    }

    /// Removes the bandwidth limit.
    pub fn unlimited(mut self) -> Self {
        self.bandwidth_bps = None;
        self
    }

    /// Sets the chance that a new connection is cut.
    ///
    /// # Panics
    /// If `p` is not within 0.0..=1.0.
    pub fn with_cut_probability(mut self, p: f64) -> Self {
        assert!((0.0..=1.0).contains(&p), "cut probability {p} not in 0..=1");
        self.cut_probability = p;
        self
    }

    /// Sets the direction of cuts.
    pub fn with_cut_direction(mut self, dir: CutDirection) -> Self {
        self.cut_direction = dir;
        self
    }

    /// Sets the range the cut offset (bytes delivered before the cut) is drawn from.
    pub fn with_cut_offsets(mut self, offsets: Range<u64>) -> Self {
        self.cut_offsets = offsets;
        self
    }

    /// Flips one byte, at an offset drawn from `offsets`, in a share `p` of
    /// the connections, in direction `dir`.
    ///
    /// # Panics
    /// If `p` is not within 0.0..=1.0.
    pub fn with_flips(mut self, p: f64, dir: CutDirection, offsets: Range<u64>) -> Self {
        assert!(
            (0.0..=1.0).contains(&p),
            "flip probability {p} not in 0..=1"
        );
        self.flip_probability = p;
        self.flip_direction = dir;
        self.flip_offsets = offsets;
        self
    }

    /// Seeds the RNG that decides the cuts.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Round-trip time the line adds.
    pub fn rtt(&self) -> Duration {
        self.one_way_delay * 2
    }

    fn validate(&self) -> io::Result<()> {
        if !(0.0..=1.0).contains(&self.flip_probability) {
            return Err(invalid(format!(
                "flip probability {} not in 0..=1",
                self.flip_probability
            )));
        }
        if !(0.0..=1.0).contains(&self.cut_probability) {
            return Err(invalid(format!(
                "cut probability {} not in 0..=1",
                self.cut_probability
            )));
        }
        if self.bandwidth_bps == Some(0) {
            return Err(invalid("bandwidth must be positive".into()));
        }
        Ok(())
    }
}

/// Counters since start or the last [`Proxy::reset_stats`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Bytes delivered to the upstream (accepted by its socket).
    pub client_to_server_bytes: u64,
    /// Bytes delivered to clients.
    pub server_to_client_bytes: u64,
    /// Client connections accepted.
    pub connections: u64,
    /// Connections cut, by a planned cut or by [`Proxy::cut_all_now`].
    pub cuts: u64,
    /// Bytes flipped in transit.
    pub flips: u64,
}

impl LinkStats {
    pub fn bytes(&self, dir: Direction) -> u64 {
        match dir {
            Direction::ClientToServer => self.client_to_server_bytes,
            Direction::ServerToClient => self.server_to_client_bytes,
        }
    }
}

/// A running proxy. Dropping it closes the listener, drops every connection
/// and joins all its threads.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Listens on `127.0.0.1:0` and forwards every accepted connection to
    /// `upstream`, which must be a loopback address (127.0.0.0/8 or ::1).
    pub fn start(upstream: SocketAddr, cfg: LinkConfig) -> io::Result<Proxy> {
        if !upstream.ip().is_loopback() {
            return Err(invalid(format!(
                "refusing non-loopback upstream {upstream}: the proxy only targets this machine"
            )));
        }
        cfg.validate()?;
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            state: Mutex::new(State {
                rng: StdRng::seed_from_u64(cfg.seed),
                cfg,
            }),
            stop: AtomicBool::new(false),
            stats: Counters::default(),
            conns: Mutex::new(Vec::new()),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name(format!("proxy-accept-{}", addr.port()))
                .spawn(move || accept_loop(&shared, listener))?
        };
        Ok(Proxy {
            addr,
            shared,
            accept: Some(accept),
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn upstream(&self) -> SocketAddr {
        self.shared.upstream
    }

    pub fn config(&self) -> LinkConfig {
        lock(&self.shared.state).cfg.clone()
    }

    /// Changes the line at run time. Delay and rate apply at once to live
    /// connections (to data read from now on); cut decisions apply to new
    /// connections. A cut probability of 0 also cancels the cuts planned for
    /// live connections. A different seed reseeds the RNG.
    ///
    /// # Panics
    /// If the config is invalid (probability outside 0..=1, zero bandwidth).
    pub fn set_config(&self, cfg: LinkConfig) {
        cfg.validate().expect("invalid LinkConfig");
        let cancel_cuts = cfg.cut_probability <= 0.0;
        {
            let mut st = lock(&self.shared.state);
            if st.cfg.seed != cfg.seed {
                st.rng = StdRng::seed_from_u64(cfg.seed);
            }
            st.cfg = cfg;
        }
        if cancel_cuts {
            for entry in lock(&self.shared.conns).iter() {
                lock(&entry.conn.state).cut_plan = None;
            }
        }
    }

    pub fn stats(&self) -> LinkStats {
        let c = &self.shared.stats;
        LinkStats {
            client_to_server_bytes: c.c2s.load(Ordering::Relaxed),
            server_to_client_bytes: c.s2c.load(Ordering::Relaxed),
            connections: c.connections.load(Ordering::Relaxed),
            cuts: c.cuts.load(Ordering::Relaxed),
            flips: c.flips.load(Ordering::Relaxed),
        }
    }

    pub fn reset_stats(&self) {
        let c = &self.shared.stats;
        for a in [&c.c2s, &c.s2c, &c.connections, &c.cuts, &c.flips] {
            a.store(0, Ordering::Relaxed);
        }
    }

    /// Cuts every live connection now (both sockets shut down, data in flight
    /// dropped). Returns how many were cut; each counts in [`LinkStats::cuts`].
    pub fn cut_all_now(&self) -> usize {
        let mut n = 0;
        for entry in lock(&self.shared.conns).iter() {
            if entry.conn.kill() {
                n += 1;
            }
        }
        self.shared
            .stats
            .cuts
            .fetch_add(n as u64, Ordering::Relaxed);
        n
    }

    /// Connections whose pumps are still running.
    pub fn live_connections(&self) -> usize {
        lock(&self.shared.conns)
            .iter()
            .filter(|e| !e.handles.iter().all(JoinHandle::is_finished))
            .count()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept; it sees the flag and returns, closing the listener.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        let entries = std::mem::take(&mut *lock(&self.shared.conns));
        for e in &entries {
            e.conn.kill();
        }
        for e in entries {
            for h in e.handles {
                let _ = h.join();
            }
        }
    }
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("addr", &self.addr)
            .field("upstream", &self.shared.upstream)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------

struct Shared {
    upstream: SocketAddr,
    state: Mutex<State>,
    stop: AtomicBool,
    stats: Counters,
    conns: Mutex<Vec<Entry>>,
}

struct State {
    cfg: LinkConfig,
    rng: StdRng,
}

#[derive(Default)]
struct Counters {
    c2s: AtomicU64,
    s2c: AtomicU64,
    connections: AtomicU64,
    cuts: AtomicU64,
    flips: AtomicU64,
}

impl Counters {
    fn bytes(&self, dir: Direction) -> &AtomicU64 {
        match dir {
            Direction::ClientToServer => &self.c2s,
            Direction::ServerToClient => &self.s2c,
        }
    }
}

struct Entry {
    conn: Arc<Conn>,
    handles: Vec<JoinHandle<()>>,
}

/// A proxied connection: the shared kill switch of its four pump threads.
struct Conn {
    state: Mutex<ConnState>,
    wake: Condvar,
}

struct ConnState {
    dead: bool,
    /// Clones of (client, upstream) kept to shut them down; `None` once closed.
    sockets: Option<(TcpStream, TcpStream)>,
    cut_plan: Option<(Direction, u64)>,
    flip_plan: Option<(Direction, u64)>,
    writers_done: u8,
}

impl Conn {
    /// Shuts both sockets down and wakes sleeping pumps. True if it was live.
    fn kill(&self) -> bool {
        let mut st = lock(&self.state);
        let was_live = !st.dead && st.sockets.is_some();
        st.dead = true;
        if let Some((c, u)) = st.sockets.take() {
            let _ = c.shutdown(Shutdown::Both);
            let _ = u.shutdown(Shutdown::Both);
        }
        drop(st);
        self.wake.notify_all();
        was_live
    }

    fn is_dead(&self) -> bool {
        lock(&self.state).dead
    }

    fn flip_at(&self, dir: Direction) -> Option<u64> {
        match lock(&self.state).flip_plan {
            Some((d, at)) if d == dir => Some(at),
            _ => None,
        }
    }

    fn cut_at(&self, dir: Direction) -> Option<u64> {
        match lock(&self.state).cut_plan {
            Some((d, at)) if d == dir => Some(at),
            _ => None,
        }
    }

    /// Sleeps until `deadline`; false if the connection died meanwhile.
    fn sleep_until(&self, deadline: Instant) -> bool {
        let mut st = lock(&self.state);
        loop {
            if st.dead {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            st = self
                .wake
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Called by each writer when it ends; the second one closes the sockets.
    fn writer_done(&self) {
        let mut st = lock(&self.state);
        st.writers_done += 1;
        if st.writers_done >= 2 {
            st.dead = true;
            st.sockets = None;
            drop(st);
            self.wake.notify_all();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

fn accept_loop(shared: &Arc<Shared>, listener: TcpListener) {
    for incoming in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let client = match incoming {
            Ok(s) => s,
            Err(_) => {
                // e.g. out of file descriptors: back off instead of spinning.
                thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        shared.stats.connections.fetch_add(1, Ordering::Relaxed);
        // Planned at accept time, in accept order, so a seed gives the same cuts.
        let (cut_plan, flip_plan) = {
            let mut st = lock(&shared.state);
            let cut = plan_cut(&mut st);
            (cut, plan_flip(&mut st))
        };
        let Ok(upstream) = TcpStream::connect_timeout(&shared.upstream, UPSTREAM_CONNECT_TIMEOUT)
        else {
            continue; // the client sees its connection closed
        };
        // On failure the sockets are dropped and the client sees its connection closed.
        let _ = start_pumps(shared, client, upstream, cut_plan, flip_plan);
    }
}

fn plan_flip(st: &mut State) -> Option<(Direction, u64)> {
    let (p, dir, offsets) = (
        st.cfg.flip_probability,
        st.cfg.flip_direction,
        st.cfg.flip_offsets.clone(),
    );
    plan(st, p, dir, offsets)
}

fn plan_cut(st: &mut State) -> Option<(Direction, u64)> {
    let (p, dir, offsets) = (
        st.cfg.cut_probability,
        st.cfg.cut_direction,
        st.cfg.cut_offsets.clone(),
    );
    plan(st, p, dir, offsets)
}

/// With probability `p`, a direction and an offset in `offsets` for a fault
/// on this connection (a flip or a cut).
fn plan(
    st: &mut State,
    p: f64,
    direction: CutDirection,
    offsets: Range<u64>,
) -> Option<(Direction, u64)> {
    if p <= 0.0 || !st.rng.random_bool(p.min(1.0)) {
        return None;
    }
    let dir = match direction {
        CutDirection::ClientToServer => Direction::ClientToServer,
        CutDirection::ServerToClient => Direction::ServerToClient,
        CutDirection::Either => {
            if st.rng.random_bool(0.5) {
                Direction::ClientToServer
            } else {
                Direction::ServerToClient
            }
        }
    };
    let at = if offsets.is_empty() {
        offsets.start
    } else {
        st.rng.random_range(offsets)
    };
    Some((dir, at))
}

fn start_pumps(
    shared: &Arc<Shared>,
    client: TcpStream,
    upstream: TcpStream,
    cut_plan: Option<(Direction, u64)>,
    flip_plan: Option<(Direction, u64)>,
) -> io::Result<()> {
    for s in [&client, &upstream] {
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(IO_TICK))?;
        s.set_write_timeout(Some(IO_TICK))?;
    }
    let conn = Arc::new(Conn {
        state: Mutex::new(ConnState {
            dead: false,
            sockets: Some((client.try_clone()?, upstream.try_clone()?)),
            cut_plan,
            flip_plan,
            writers_done: 0,
        }),
        wake: Condvar::new(),
    });
    let mut handles = Vec::with_capacity(4);
    let spawned = (|| -> io::Result<()> {
        for (dir, src, dst) in [
            (
                Direction::ClientToServer,
                client.try_clone()?,
                upstream.try_clone()?,
            ),
            (
                Direction::ServerToClient,
                upstream.try_clone()?,
                client.try_clone()?,
            ),
        ] {
            let (tx, rx) = mpsc::sync_channel::<Piece>(QUEUE_PIECES);
            let (sh, cn) = (Arc::clone(shared), Arc::clone(&conn));
            handles.push(
                thread::Builder::new()
                    .name(format!("proxy-read-{dir:?}"))
                    .spawn(move || read_pump(&sh, &cn, src, tx))?,
            );
            let (sh, cn) = (Arc::clone(shared), Arc::clone(&conn));
            handles.push(
                thread::Builder::new()
                    .name(format!("proxy-write-{dir:?}"))
                    .spawn(move || write_pump(&sh, &cn, dir, dst, rx))?,
            );
        }
        Ok(())
    })();
    let mut conns = lock(&shared.conns);
    // Forget connections whose threads have all ended.
    conns.retain(|e| !e.handles.iter().all(JoinHandle::is_finished));
    conns.push(Entry {
        conn: Arc::clone(&conn),
        handles,
    });
    drop(conns);
    if spawned.is_err() {
        conn.kill();
    }
    spawned
}

struct Piece {
    data: Vec<u8>,
    /// When the piece arrives at the far end: departure + one-way delay.
    due: Instant,
}

/// Bytes read (and later written) at once on a link of `bps`.
fn piece_size(bps: u64) -> usize {
    let five_ms = usize::try_from(bps / 8 / 200).unwrap_or(usize::MAX);
    five_ms.clamp(SHAPED_PIECE, UNSHAPED_READ)
}

/// Token bucket in bytes with a depth of one piece; a piece that overdraws it
/// leaves once the debt is paid, so the long-run rate is exactly the link rate.
struct TokenBucket {
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    fn new() -> Self {
        TokenBucket {
            tokens: 0.0,
            last: Instant::now(),
        }
    }

    /// Takes `n` bytes at `bps`; returns when they have left the wire.
    fn take(&mut self, n: usize, bps: u64, now: Instant) -> Instant {
        let rate = bps as f64 / 8.0;
        let depth = piece_size(bps) as f64;
        let refill = now.saturating_duration_since(self.last).as_secs_f64() * rate;
        self.tokens = (self.tokens + refill).min(depth);
        self.last = now;
        self.tokens -= n as f64;
        if self.tokens >= 0.0 {
            now
        } else {
            now + Duration::from_secs_f64(-self.tokens / rate)
        }
    }
}

fn link_now(shared: &Shared) -> (Duration, Option<u64>) {
    let st = lock(&shared.state);
    (st.cfg.one_way_delay, st.cfg.bandwidth_bps)
}

/// Reads from `src`, stamps each piece with its arrival time and queues it.
/// Paced by the token bucket, so the sender sees the link rate.
fn read_pump(shared: &Shared, conn: &Conn, mut src: TcpStream, tx: SyncSender<Piece>) {
    let mut bucket = TokenBucket::new();
    loop {
        if conn.is_dead() || shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let (delay, rate) = link_now(shared);
        let mut buf = vec![0u8; rate.map_or(UNSHAPED_READ, piece_size)];
        let n = match src.read(&mut buf) {
            Ok(0) => return, // EOF: dropping `tx` tells the writer to finish
            Ok(n) => n,
            Err(e) if is_timeout(&e) => continue,
            Err(_) => {
                conn.kill();
                return;
            }
        };
        buf.truncate(n);
        let now = Instant::now();
        let departure = match rate {
            Some(bps) => bucket.take(n, bps, now),
            None => now,
        };
        if tx
            .send(Piece {
                data: buf,
                due: departure + delay,
            })
            .is_err()
        {
            return;
        }
        if departure > now && !conn.sleep_until(departure) {
            return;
        }
    }
}

/// Delivers queued pieces at their due time, applying a planned cut.
fn write_pump(
    shared: &Shared,
    conn: &Conn,
    dir: Direction,
    mut dst: TcpStream,
    rx: Receiver<Piece>,
) {
    let counter = shared.stats.bytes(dir);
    let mut delivered: u64 = 0;
    let graceful = loop {
        let Ok(piece) = rx.recv() else {
            break true; // reader saw EOF and everything queued is delivered
        };
        if !conn.sleep_until(piece.due) {
            break false;
        }
        let flipped: Vec<u8>;
        let mut data = &piece.data[..];
        if let Some(at) = conn.flip_at(dir) {
            if at >= delivered && at < delivered + data.len() as u64 {
                let mut copy = piece.data.clone();
                copy[(at - delivered) as usize] ^= 0x20;
                flipped = copy;
                data = &flipped[..];
                shared.stats.flips.fetch_add(1, Ordering::Relaxed);
            }
        }
        let mut cut_here = false;
        if let Some(at) = conn.cut_at(dir) {
            let room = at.saturating_sub(delivered);
            if (data.len() as u64) > room {
                data = &data[..room as usize];
                cut_here = true;
            }
        }
        if write_all(conn, &mut dst, data, counter, &mut delivered).is_err() {
            conn.kill();
            break false;
        }
        if cut_here {
            if conn.kill() {
                shared.stats.cuts.fetch_add(1, Ordering::Relaxed);
            }
            break false;
        }
    };
    if graceful {
        let _ = dst.shutdown(Shutdown::Write);
    }
    drop(dst);
    conn.writer_done();
}

fn write_all(
    conn: &Conn,
    dst: &mut TcpStream,
    mut data: &[u8],
    counter: &AtomicU64,
    delivered: &mut u64,
) -> io::Result<()> {
    while !data.is_empty() {
        if conn.is_dead() {
            return Err(io::ErrorKind::ConnectionAborted.into());
        }
        match dst.write(data) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                counter.fetch_add(n as u64, Ordering::Relaxed);
                *delivered += n as u64;
                data = &data[n..];
            }
            Err(e) if is_timeout(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
