//! Attachment throughput: a batch of photos from an office to the relay and
//! from the relay to the bureau, on loopback and through the proxy's
//! `two_mbit` line (2 Mbit/s each way, 300 ms RTT), and the resume overhead
//! after about 10 random cuts. Run with
//! `cargo bench -p hongdun-server --bench attachments`.
//!
//! `HONGDUN_BENCH_ATTACH_MB` sets the batch (default 100 MB, in 3 MB photos);
//! `HONGDUN_BENCH_ATTACH_LINK_MB` the part sent over the 2 Mbit/s line
//! (default: the whole batch, ~7 minutes per direction at 100 MB);
//! `HONGDUN_BENCH_ATTACH_DOWN=0` skips the slow-line download.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use common::{new_case, Backend, Device, Relay};
use hongdun_core::attachment::{AttachmentSettings, FetchPolicy};
use hongdun_core::sync::client;
use hongdun_core::sync::engine::{RoundLimits, SyncSummary};
use hongdun_server::storage::{OrgKind, Role};
use hongdun_tests::proxy::{CutDirection, LinkConfig, Proxy};
use rand::{RngCore, SeedableRng};

const MB: u64 = 1024 * 1024;
const PHOTO: u64 = 3 * MB;

fn env_mb(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn sync(d: &mut Device, budget: u64) -> SyncSummary {
    client::sync(
        &mut d.store,
        RoundLimits {
            attachment_budget_bytes: budget,
            ..RoundLimits::default()
        },
        Duration::from_secs(60),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .expect("sync")
}

/// Syncs until nothing waits; returns the summed summary.
fn settle(d: &mut Device) -> (u64, u64, u32) {
    let (mut up, mut down, mut syncs) = (0, 0, 0);
    loop {
        syncs += 1;
        let s = match client::sync(
            &mut d.store,
            RoundLimits {
                attachment_budget_bytes: u64::MAX,
                ..RoundLimits::default()
            },
            Duration::from_secs(60),
            &AtomicBool::new(false),
            &mut |_| {},
        ) {
            Ok(s) => s,
            Err(_) => continue,
        };
        up += s.attachments.bytes_up;
        down += s.attachments.bytes_down;
        if s.attachments.pending_uploads == 0 && s.attachments.pending_downloads == 0 {
            return (up, down, syncs);
        }
        assert!(syncs < 200, "attachments never settled");
    }
}

fn via(d: &mut Device, server: &str) {
    let mut cfg = d.store.remote().expect("remote").expect("enrolled");
    cfg.server = server.to_string();
    d.store.set_remote(&cfg).expect("set remote");
}

/// A fresh relay with an office device holding `total` bytes of photos on
/// one case, its document synced, and a bureau device that fetches always.
fn scene(total: u64, seed: u64) -> (Relay, Device, Device, tempfile::TempDir) {
    let relay = Relay::start(Backend::Sqlite).expect("relay");
    relay.org("BUREAU", "市局", OrgKind::Bureau);
    relay.org("GS01", "城关所", OrgKind::Office);
    let mut office = Device::enroll(&relay, "GS01", Role::Staff, "张三");
    let mut bureau = Device::enroll(&relay, "BUREAU", Role::Bureau, "市局");
    bureau
        .store
        .set_attachment_settings(&AttachmentSettings {
            fetch: FetchPolicy::Always,
            max_file_bytes: 1024 * MB,
            max_record_bytes: 100 * 1024 * MB,
        })
        .expect("settings");
    office
        .store
        .set_attachment_settings(&AttachmentSettings {
            fetch: FetchPolicy::OnDemand,
            max_file_bytes: 1024 * MB,
            max_record_bytes: 100 * 1024 * MB,
        })
        .expect("settings");
    let case = new_case(&mut office, "销售假冒注册商标商品案");
    let files = tempfile::tempdir().expect("tempdir");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut left = total;
    let mut i = 0;
    while left > 0 {
        let n = left.min(PHOTO);
        let mut bytes = vec![0u8; n as usize];
        rng.fill_bytes(&mut bytes);
        let path = files.path().join(format!("现场照片{i:03}.jpg"));
        std::fs::write(&path, &bytes).expect("write");
        office
            .store
            .attach_file(&case, &path, None, "张三")
            .expect("attach");
        left -= n;
        i += 1;
    }
    sync(&mut office, 0);
    sync(&mut bureau, 0);
    (relay, office, bureau, files)
}

fn mbps(bytes: u64, s: f64) -> f64 {
    bytes as f64 * 8.0 / s / 1e6
}

fn row(what: &str, bytes: u64, wire: Option<u64>, s: f64, capacity_bps: Option<f64>) {
    let eff = capacity_bps.map_or(String::from("-"), |c| {
        format!("{:.1} %", 100.0 * bytes as f64 * 8.0 / s / c)
    });
    let wire = wire.map_or(String::from("-"), |w| {
        format!("{:.3}×", w as f64 / bytes as f64)
    });
    println!(
        "| {what} | {:.1} MB | {s:.1} s | {:.2} Mbit/s | {eff} | {wire} |",
        bytes as f64 / MB as f64,
        mbps(bytes, s)
    );
}

fn main() {
    let total = env_mb("HONGDUN_BENCH_ATTACH_MB", 100) * MB;
    let link = env_mb("HONGDUN_BENCH_ATTACH_LINK_MB", total / MB) * MB;
    let down_on_link = std::env::var("HONGDUN_BENCH_ATTACH_DOWN").map_or(true, |v| v != "0");
    println!(
        "attachment benchmark: {} MB batch, {} MB over the 2 Mbit/s line",
        total / MB,
        link / MB
    );
    println!("| transfer | file bytes | time | throughput | of link capacity | wire/file |");
    println!("|---|---|---|---|---|---|");

    // Loopback, straight to the relay.
    {
        let (_relay, mut office, mut bureau, _files) = scene(total, 1);
        let t = Instant::now();
        let (up, _, _) = settle(&mut office);
        row("loopback upload", up, None, t.elapsed().as_secs_f64(), None);
        let t = Instant::now();
        let (_, down, _) = settle(&mut bureau);
        row(
            "loopback download",
            down,
            None,
            t.elapsed().as_secs_f64(),
            None,
        );
    }

    // The 2 Mbit/s, 300 ms line.
    if link > 0 {
        let (relay, mut office, mut bureau, _files) = scene(link, 2);
        let proxy = Proxy::start(relay.addr, LinkConfig::two_mbit()).expect("proxy");
        let url = format!("http://{}", proxy.addr());
        via(&mut office, &url);
        via(&mut bureau, &url);
        let t = Instant::now();
        let (up, _, _) = settle(&mut office);
        let s = t.elapsed().as_secs_f64();
        let wire = proxy.stats().client_to_server_bytes;
        row("2 Mbit/s upload", up, Some(wire), s, Some(2_000_000.0));
        if down_on_link {
            proxy.reset_stats();
            let t = Instant::now();
            let (_, down, _) = settle(&mut bureau);
            let s = t.elapsed().as_secs_f64();
            let wire = proxy.stats().server_to_client_bytes;
            row("2 Mbit/s download", down, Some(wire), s, Some(2_000_000.0));
        }
    }

    // Resume overhead: one 20 MB file, every connection cut 1–3 MB in, both ways.
    {
        let size = 20 * MB;
        let (relay, mut office, mut bureau, _files) = scene(size, 3);
        let proxy = Proxy::start(
            relay.addr,
            LinkConfig::lan()
                .with_cut_probability(1.0)
                .with_cut_direction(CutDirection::ClientToServer)
                .with_cut_offsets(MB..3 * MB)
                .with_seed(10),
        )
        .expect("proxy");
        let url = format!("http://{}", proxy.addr());
        via(&mut office, &url);
        via(&mut bureau, &url);
        let (up, _, _) = settle(&mut office);
        let st = proxy.stats();
        println!(
            "resume, upload: {} cuts, {:.3}× the file on the wire ({} bytes for {up})",
            st.cuts,
            st.client_to_server_bytes as f64 / size as f64,
            st.client_to_server_bytes
        );
        proxy.set_config(
            LinkConfig::lan()
                .with_cut_probability(1.0)
                .with_cut_direction(CutDirection::ServerToClient)
                .with_cut_offsets(MB..3 * MB)
                .with_seed(11),
        );
        proxy.reset_stats();
        let (_, down, _) = settle(&mut bureau);
        let st = proxy.stats();
        println!(
            "resume, download: {} cuts, {:.3}× the file on the wire ({} bytes for {down})",
            st.cuts,
            st.server_to_client_bytes as f64 / size as f64,
            st.server_to_client_bytes
        );
    }
}
