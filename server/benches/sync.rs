//! Sync benchmarks: the relay and the client over an emulated branch-office
//! line. Run with `cargo bench -p hongdun-server --bench sync` (a plain
//! `main`, no criterion: every measurement is a whole sync, printed as a
//! table at the end). `HONGDUN_BENCH_QUICK=1` is a smoke run (1,000 records,
//! 50 devices).
//!
//! 1. Initial sync of an office store (10,000 demo documents, seeded once and
//!    cached under `$CARGO_TARGET_DIR/bench-stores/`) up to an empty relay,
//!    then down to an empty second device of the same office, through the
//!    fault-injecting proxy set to `LinkConfig::slow_line()` (256 kbit/s,
//!    300 ms RTT). When the store's compressed size says the slow line would
//!    take more than ~10 minutes, only the first rounds run on the slow line
//!    and the rest on loopback; the slow-line time is then extrapolated from
//!    the measured rounds (printed as such).
//! 2. A no-op sync: one round trip, < 1 KB on the wire (asserted).
//! 3. Catch-up after 200 records were edited offline: up from the office,
//!    down to the second device; time and wire bytes against the zstd size
//!    of the new change bytes.
//! 4. 500 devices (10 offices) syncing at the same moment on loopback against
//!    the relay running as its own process (`hongdun-server serve`): round
//!    latency p50/p99 and the relay's resident memory (VmRSS/VmHWM).

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::{new_case, obj, Backend, Device, Relay};
use hongdun_core::demo::{seed, SeedOptions, SEEDER_VERSION};
use hongdun_core::store::Store;
use hongdun_core::sync::client;
use hongdun_core::sync::engine::{Progress, RoundLimits, SyncSession, SyncSummary};
use hongdun_server::auth::normalise_code;
use hongdun_server::storage::{Org, OrgKind, Role, User};
use hongdun_server::Settings;
use hongdun_tests::proxy::{LinkConfig, Proxy};
use serde_json::json;

const SEED: u64 = 2011;
const OFFICE: (&str, &str) = ("GS0101", "城关市场监督管理所");
/// Bytes per second of `LinkConfig::slow_line()` (256 kbit/s).
const SLOW_BPS: f64 = 256_000.0 / 8.0;
/// Above this estimated slow-line time the initial sync runs only its first
/// rounds on the slow line and is extrapolated.
const SLOW_LIMIT_S: f64 = 600.0;
/// Rounds measured on the slow line before switching to loopback.
const SLOW_ROUNDS: u32 = 3;
const EDITED: usize = 200;
const OFFICES_500: usize = 10;
const RECORDS_PER_DEVICE: usize = 5;

fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
}

fn quick() -> bool {
    std::env::var("HONGDUN_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
}

fn cache_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench-stores")
}

/// A seeded office store of `records` documents, built once and reused (the
/// same layout as the store benchmarks' cache).
fn cached_store(records: usize) -> PathBuf {
    let dir = cache_root().join(format!("{records}-v{SEEDER_VERSION}-s{SEED}-{}", end()));
    if dir.join("seeded.json").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "seeding {records} records into {} (once; cached for later runs)…",
        dir.display()
    );
    let t = Instant::now();
    let mut store = Store::open(&dir).expect("open bench store");
    store.init(OFFICE.0, OFFICE.1).expect("init");
    let summary = seed(
        &mut store,
        &SeedOptions {
            records,
            seed: SEED,
            end: end(),
            years: 2,
        },
    )
    .expect("seed");
    drop(store);
    eprintln!("seeded in {:.1} s", t.elapsed().as_secs_f64());
    std::fs::write(
        dir.join("seeded.json"),
        serde_json::to_string_pretty(&summary).expect("json"),
    )
    .expect("marker");
    dir
}

/// A private copy of a cached store (the benchmark writes to it).
fn copy_store(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(from).expect("read cache") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).expect("copy");
        }
    }
    tmp
}

fn zstd3(data: &[u8]) -> usize {
    zstd::bulk::compress(data, 3).expect("zstd").len()
}

fn kb(n: u64) -> String {
    if n >= 10 * 1024 * 1024 {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 10 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// One sync as `client::sync` runs it (same session, same round trip), with
/// every round timed and a hook after each round.
fn timed_sync(
    store: &mut Store,
    mut after_round: impl FnMut(&Progress),
) -> Result<(SyncSummary, Vec<Duration>), client::SyncError> {
    let cfg = store.remote()?.ok_or(client::SyncError::NotEnrolled)?;
    let agent = agent(Duration::from_secs(600));
    let started = Instant::now();
    let mut session = SyncSession::new(RoundLimits::default());
    let mut rounds = Vec::new();
    while let Some(request) = session.next_request(store)? {
        let t = Instant::now();
        let (response, up, down) = client::round_trip(&agent, &cfg, &request)?;
        rounds.push(t.elapsed());
        let p = session.handle_response(store, &request, &response, up, down)?;
        after_round(&p);
    }
    store.record_sync_outcome(None)?;
    Ok((session.finish(started.elapsed().as_millis() as u64), rounds))
}

fn point_at(d: &mut Device, server: &str) {
    let mut cfg = d.store.remote().expect("remote").expect("enrolled");
    cfg.server = server.to_string();
    d.store.set_remote(&cfg).expect("set remote");
}

/// Ids of every document in a store (annexes included).
fn all_doc_ids(store_dir: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open_with_flags(
        store_dir.join("hongdun.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open store db");
    let mut stmt = conn
        .prepare("SELECT id FROM docs ORDER BY id")
        .expect("ids");
    let ids = stmt
        .query_map([], |r| r.get(0))
        .expect("ids")
        .collect::<Result<Vec<String>, _>>()
        .expect("ids");
    ids
}

/// (raw bytes, zstd of the whole concatenation, sum of zstd per document) of
/// the relay's stored documents.
fn relay_docs_size(relay: &Relay) -> (u64, u64, u64, usize) {
    let conn = rusqlite::Connection::open_with_flags(
        relay.state.settings.data_dir.join("relay.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open relay db");
    let mut stmt = conn.prepare("SELECT bytes FROM docs").expect("docs");
    let mut all = Vec::new();
    let mut per_doc = 0u64;
    let mut n = 0;
    for b in stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .expect("docs")
    {
        let b = b.expect("bytes");
        n += 1;
        per_doc += zstd3(&b) as u64;
        all.extend_from_slice(&b);
    }
    (all.len() as u64, zstd3(&all) as u64, per_doc, n)
}

struct Row {
    what: String,
    goal: String,
    measured: String,
    ok: Option<bool>,
}

#[derive(Default)]
struct Report(Vec<Row>);

impl Report {
    fn row(&mut self, what: impl Into<String>, goal: &str, measured: String, ok: Option<bool>) {
        let r = Row {
            what: what.into(),
            goal: goal.into(),
            measured,
            ok,
        };
        println!(
            "  -> {} | {} | {} | {}",
            r.what,
            r.goal,
            r.measured,
            verdict(r.ok)
        );
        self.0.push(r);
    }

    fn print(&self) {
        println!("\n| measurement | goal | measured | |");
        println!("|---|---|---|---|");
        for r in &self.0 {
            println!(
                "| {} | {} | {} | {} |",
                r.what,
                r.goal,
                r.measured,
                verdict(r.ok)
            );
        }
    }
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "",
    }
}

/// One direction of the initial sync. Returns (summary, wire bytes c2s, s2c,
/// elapsed, slow-line time measured or extrapolated, whether extrapolated).
struct Initial {
    summary: SyncSummary,
    c2s: u64,
    s2c: u64,
    elapsed: Duration,
    slow_s: f64,
    extrapolated: bool,
    note: String,
}

fn initial_sync(d: &mut Device, proxy: &Proxy, full_on_slow: bool) -> Initial {
    proxy.set_config(LinkConfig::slow_line());
    proxy.reset_stats();
    let t = Instant::now();
    let mut switched: Option<(Duration, u64, u32)> = None;
    let (summary, rounds) = timed_sync(&mut d.store, |p| {
        if !full_on_slow && switched.is_none() && p.round >= SLOW_ROUNDS {
            let s = proxy.stats();
            switched = Some((
                t.elapsed(),
                s.client_to_server_bytes + s.server_to_client_bytes,
                p.round,
            ));
            proxy.set_config(LinkConfig::lan());
            eprintln!(
                "    {} rounds on the slow line in {:.1} s; the rest on loopback",
                p.round,
                t.elapsed().as_secs_f64()
            );
        } else if p.round % 20 == 0 {
            eprintln!(
                "    round {}: {} sent, {} received, {} pending",
                p.round, p.documents_sent, p.documents_received, p.pending_uploads
            );
        }
    })
    .expect("initial sync");
    let elapsed = t.elapsed();
    let s = proxy.stats();
    let total = s.client_to_server_bytes + s.server_to_client_bytes;
    let (slow_s, extrapolated, note) = match switched {
        None => (elapsed.as_secs_f64(), false, String::new()),
        Some((t_slow, bytes_slow, n_slow)) => {
            // Model: each round costs its bytes at the line rate plus a fixed
            // part (request/response latency, TCP connect, relay and client
            // work). Fit the fixed part on the measured slow rounds, then
            // apply the model to the whole sync.
            let fixed_per_round =
                ((t_slow.as_secs_f64() - bytes_slow as f64 / SLOW_BPS) / n_slow as f64).max(0.3);
            let n = rounds.len() as f64;
            let est = total as f64 / SLOW_BPS + n * fixed_per_round;
            (
                est,
                true,
                format!(
                    "first {n_slow} rounds on the slow line: {:.1} s for {} ({:.2} s fixed per round beyond the line rate); {} rounds in all",
                    t_slow.as_secs_f64(),
                    kb(bytes_slow),
                    fixed_per_round,
                    rounds.len()
                ),
            )
        }
    };
    proxy.set_config(LinkConfig::slow_line());
    Initial {
        summary,
        c2s: s.client_to_server_bytes,
        s2c: s.server_to_client_bytes,
        elapsed,
        slow_s,
        extrapolated,
        note,
    }
}

/// Scenarios 1–3 on one relay in this process.
fn office_scenarios(records: usize, report: &mut Report) {
    let cache = cached_store(records);
    let relay = Relay::start(Backend::Sqlite).expect("relay");
    relay.org(OFFICE.0, OFFICE.1, OrgKind::Office);
    let proxy = Proxy::start(relay.addr, LinkConfig::slow_line()).expect("proxy");
    let via = format!("http://{}", proxy.addr());

    // The office device: a copy of the seeded store, enrolled directly.
    let copy = copy_store(&cache);
    let ids = all_doc_ids(copy.path());
    let mut office = {
        let mut store = Store::open(copy.path()).expect("open copy");
        store.set_today(end());
        let code = relay.enrollment_code(OFFICE.0, Role::Staff, "张三");
        client::enroll(&mut store, &relay.url, &code, "张三的电脑").expect("enroll office");
        Device {
            dir: copy,
            store,
            name: "张三".into(),
        }
    };
    let mut second = Device::enroll(&relay, OFFICE.0, Role::Staff, "李四");
    point_at(&mut office, &via);
    point_at(&mut second, &via);

    // The store's size: every document's saved bytes.
    let mut all = Vec::new();
    let mut per_doc = 0u64;
    for id in &ids {
        let b = office.store.document_bytes(id).expect("bytes");
        per_doc += zstd3(&b) as u64;
        all.extend_from_slice(&b);
    }
    let raw = all.len() as u64;
    let compressed = zstd3(&all) as u64;
    drop(all);
    println!(
        "office store: {} documents, saved Automerge bytes {} (zstd-3 of all: {}, per document: {})",
        ids.len(),
        kb(raw),
        kb(compressed),
        kb(per_doc)
    );
    let est_s = compressed as f64 / SLOW_BPS;
    let full_on_slow =
        est_s <= SLOW_LIMIT_S || std::env::var("HONGDUN_BENCH_SLOW_FULL").is_ok_and(|v| v == "1");
    println!(
        "at 256 kbit/s the compressed store alone is {:.0} s of line time: {}",
        est_s,
        if full_on_slow {
            "the whole initial sync runs on the slow line"
        } else {
            "first rounds on the slow line, the rest on loopback (extrapolated)"
        }
    );

    // 1a. Upload.
    println!("\n[1] initial sync up ({} documents)…", ids.len());
    let up = initial_sync(&mut office, &proxy, full_on_slow);
    // The demo seeder records the bureau's 流转/交办 (dispatch) and 退回
    // (return) of centrally received items in the office's own store, under
    // the office's actor; the relay may refuse some of that history from an
    // office device. Those documents travelled (they count in the wire bytes)
    // but were refused.
    let refused: Vec<String> = up
        .summary
        .documents_refused
        .iter()
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(
        up.summary.documents_sent + refused.len(),
        ids.len(),
        "every document acknowledged or refused"
    );
    if !refused.is_empty() {
        println!(
            "  {} of {} documents refused by the relay ({}): seeded history (流转/交办/退回) an office device may not write",
            refused.len(),
            ids.len(),
            up.summary.documents_refused[0].1
        );
        // Top-up outside the measurement: a bureau device holding the same
        // seeded store uploads them on loopback, so the relay holds the whole
        // office store for the download measurement.
        relay.org("BUREAU", "市局", OrgKind::Bureau);
        let bcopy = copy_store(&cache);
        let mut bstore = Store::open(bcopy.path()).expect("open bureau copy");
        let code = relay.enrollment_code("BUREAU", Role::Bureau, "市局");
        client::enroll(&mut bstore, &relay.url, &code, "市局的电脑").expect("enroll bureau");
        let t = Instant::now();
        let (s, _) = timed_sync(&mut bstore, |_| {}).expect("bureau top-up");
        println!(
            "  top-up by a bureau device on loopback: {} documents acknowledged, {} refused{} in {} rounds, {:.1} s (not measured)",
            s.documents_sent,
            s.documents_refused.len(),
            s.documents_refused
                .first()
                .map(|(_, r)| format!(" ({r})"))
                .unwrap_or_default(),
            s.round_trips,
            t.elapsed().as_secs_f64()
        );
        // The office device receives them back (loopback, not measured).
        proxy.set_config(LinkConfig::lan());
        let (s, _) = timed_sync(&mut office.store, |_| {}).expect("office settles");
        println!(
            "  office device settles on loopback: {} rounds, {} documents received",
            s.round_trips, s.documents_received
        );
        proxy.set_config(LinkConfig::slow_line());
    }
    let (relay_raw, relay_z, relay_per_doc, relay_n) = relay_docs_size(&relay);
    println!(
        "  up: {} rounds, {} documents, wire {} up + {} down (bodies {} + {}), {:.1} s here{}",
        up.summary.round_trips,
        up.summary.documents_sent,
        kb(up.c2s),
        kb(up.s2c),
        kb(up.summary.bytes_up),
        kb(up.summary.bytes_down),
        up.elapsed.as_secs_f64(),
        if up.extrapolated {
            format!("; slow line extrapolated {:.0} s ({})", up.slow_s, up.note)
        } else {
            String::new()
        }
    );
    println!(
        "  relay docs table: {relay_n} documents, {} raw, zstd-3 {} (per document {})",
        kb(relay_raw),
        kb(relay_z),
        kb(relay_per_doc)
    );
    let wire_up = up.c2s + up.s2c;
    report.row(
        format!(
            "initial sync up, {} docs: wire bytes (both directions)",
            ids.len()
        ),
        "≈ store compressed size",
        format!(
            "{} = {:.2} × zstd store ({}; {:.2} × per-doc zstd {}); {} rounds; {} docs stored, {} refused (seeded 流转/退回 history)",
            kb(wire_up),
            wire_up as f64 / compressed as f64,
            kb(compressed),
            wire_up as f64 / per_doc as f64,
            kb(per_doc),
            up.summary.round_trips,
            up.summary.documents_sent,
            refused.len()
        ),
        None,
    );
    report.row(
        format!("initial sync up, {} docs: time at 256 kbit/s", ids.len()),
        "(line-bound)",
        if up.extrapolated {
            format!(
                "≈ {:.0} s = {:.1} min (extrapolated: {}; {:.1} s on loopback)",
                up.slow_s,
                up.slow_s / 60.0,
                up.note,
                up.elapsed.as_secs_f64()
            )
        } else {
            format!("{:.1} s = {:.1} min", up.slow_s, up.slow_s / 60.0)
        },
        None,
    );

    // 1b. Download to an empty device.
    println!("\n[1] initial sync down to an empty device…");
    let down = initial_sync(&mut second, &proxy, full_on_slow);
    let got = all_doc_ids(second.dir.path()).len();
    assert_eq!(
        got, relay_n,
        "the second device holds every document the relay has"
    );
    let wire_down = down.c2s + down.s2c;
    println!(
        "  down: {} rounds, {} documents, wire {} up + {} down (bodies {} + {}), {:.1} s here{}",
        down.summary.round_trips,
        down.summary.documents_received,
        kb(down.c2s),
        kb(down.s2c),
        kb(down.summary.bytes_up),
        kb(down.summary.bytes_down),
        down.elapsed.as_secs_f64(),
        if down.extrapolated {
            format!(
                "; slow line extrapolated {:.0} s ({})",
                down.slow_s, down.note
            )
        } else {
            String::new()
        }
    );
    report.row(
        format!(
            "initial sync down to an empty device, {} docs: wire bytes",
            got
        ),
        "≈ store compressed size",
        format!(
            "{} = {:.2} × zstd store ({:.2} × per-doc zstd); {} rounds",
            kb(wire_down),
            wire_down as f64 / compressed as f64,
            wire_down as f64 / per_doc as f64,
            down.summary.round_trips
        ),
        None,
    );
    report.row(
        format!("initial sync down, {} docs: time at 256 kbit/s", got),
        "(line-bound)",
        if down.extrapolated {
            format!(
                "≈ {:.0} s = {:.1} min (extrapolated: {}; {:.1} s on loopback)",
                down.slow_s,
                down.slow_s / 60.0,
                down.note,
                down.elapsed.as_secs_f64()
            )
        } else {
            format!("{:.1} s = {:.1} min", down.slow_s, down.slow_s / 60.0)
        },
        None,
    );

    // 2. No-op sync, on the slow line.
    println!("\n[2] no-op sync…");
    proxy.set_config(LinkConfig::slow_line());
    for (who, d) in [("office", &mut office), ("second device", &mut second)] {
        proxy.reset_stats();
        let t = Instant::now();
        let (s, _) = timed_sync(&mut d.store, |_| {}).expect("no-op sync");
        let took = t.elapsed();
        let st = proxy.stats();
        let wire = st.client_to_server_bytes + st.server_to_client_bytes;
        println!(
            "  {who}: {} round trip(s), bodies {} B up + {} B down, wire {} B up + {} B down (HTTP headers included), {} connection(s), {:.0} ms",
            s.round_trips,
            s.bytes_up,
            s.bytes_down,
            st.client_to_server_bytes,
            st.server_to_client_bytes,
            st.connections,
            ms(took)
        );
        assert_eq!(s.round_trips, 1, "a no-op sync is one round trip");
        assert!(
            wire < 1024,
            "a no-op sync is under 1 KB on the wire ({wire} B)"
        );
        assert_eq!(s.documents_received + s.documents_sent, 0);
        report.row(
            format!("no-op sync ({who}, {} docs held), slow line", ids.len()),
            "1 round trip, < 1 KB",
            format!(
                "{} round trip; bodies {} + {} B; wire {} + {} = {wire} B (HTTP headers included); {:.0} ms (the proxy does not delay the TCP handshake: a real line adds 1 RTT, TLS 1–2 more)",
                s.round_trips,
                s.bytes_up,
                s.bytes_down,
                st.client_to_server_bytes,
                st.server_to_client_bytes,
                ms(took)
            ),
            Some(s.round_trips == 1 && wire < 1024),
        );
    }

    // 3. Catch-up after 200 records were edited offline.
    println!("\n[3] catch-up after {EDITED} offline edits…");
    let store_db = office.dir.path().join("hongdun.db");
    let max_rowid = |p: &Path| -> i64 {
        let c =
            rusqlite::Connection::open_with_flags(p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("open");
        c.query_row("SELECT COALESCE(MAX(rowid), 0) FROM changes", [], |r| {
            r.get(0)
        })
        .expect("max rowid")
    };
    let before = max_rowid(&store_db);
    let mut edited = Vec::new();
    for (i, id) in ids
        .iter()
        .enumerate()
        .step_by((ids.len() / (EDITED * 2)).max(1))
    {
        if edited.len() == EDITED {
            break;
        }
        let patch = obj(json!({"notes": format!("第{i}次补充说明：当事人已按要求提交进货凭证")}));
        if refused.contains(id) {
            continue;
        }
        if office.store.edit(id, &patch, "张三").is_ok() {
            edited.push(id.clone());
        }
    }
    assert_eq!(edited.len(), EDITED, "{EDITED} records edited");
    let (changes_raw, changes_z, changes_z_each, n_rows) = {
        let c = rusqlite::Connection::open_with_flags(
            &store_db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open");
        let mut stmt = c
            .prepare("SELECT bytes FROM changes WHERE rowid > ?1")
            .expect("changes");
        let mut all = Vec::new();
        let mut each = 0u64;
        let mut n = 0;
        for b in stmt
            .query_map([before], |r| r.get::<_, Vec<u8>>(0))
            .expect("changes")
        {
            let b = b.expect("bytes");
            each += zstd3(&b) as u64;
            all.extend_from_slice(&b);
            n += 1;
        }
        (all.len() as u64, zstd3(&all) as u64, each, n)
    };
    assert_eq!(n_rows, EDITED, "one incremental change per edit");
    println!(
        "  the {EDITED} edits: {} of change bytes, zstd-3 of all {} (each compressed alone: {}; {} per change raw)",
        kb(changes_raw),
        kb(changes_z),
        kb(changes_z_each),
        changes_raw / EDITED as u64
    );
    let budget = (changes_z as f64 * 1.5) as u64;
    for (who, d) in [
        ("up (office)", &mut office),
        ("down (second device)", &mut second),
    ] {
        proxy.reset_stats();
        let t = Instant::now();
        let (s, rounds) = timed_sync(&mut d.store, |_| {}).expect("catch-up sync");
        let took = t.elapsed();
        let st = proxy.stats();
        let wire = st.client_to_server_bytes + st.server_to_client_bytes;
        println!(
            "  {who}: {} round(s) {:?} ms, {} sent, {} received, bodies {} + {}, wire {} + {} = {}, {:.2} s",
            s.round_trips,
            rounds.iter().map(|r| ms(*r).round()).collect::<Vec<_>>(),
            s.documents_sent,
            s.documents_received,
            kb(s.bytes_up),
            kb(s.bytes_down),
            kb(st.client_to_server_bytes),
            kb(st.server_to_client_bytes),
            kb(wire),
            took.as_secs_f64()
        );
        let count = if who.starts_with("up") {
            s.documents_sent
        } else {
            s.documents_received
        };
        assert_eq!(count, EDITED, "{who}: every edited record travels");
        report.row(
            format!("catch-up {who}, {EDITED} edited records: time"),
            "≤ 10 s",
            format!(
                "{:.2} s ({} round trip(s))",
                took.as_secs_f64(),
                s.round_trips
            ),
            Some(took <= Duration::from_secs(10)),
        );
        report.row(
            format!("catch-up {who}: wire bytes"),
            "≤ 1.5 × zstd changes",
            format!(
                "{} = {:.2} × {} (zstd of the 200 changes together; {:.2} × {} compressed one by one); bodies {} + {}",
                kb(wire),
                wire as f64 / changes_z as f64,
                kb(changes_z),
                wire as f64 / changes_z_each as f64,
                kb(changes_z_each),
                kb(s.bytes_up),
                kb(s.bytes_down)
            ),
            Some(wire <= budget),
        );
    }
    let probe = &edited[EDITED / 2];
    assert_eq!(
        office.store.get(probe).expect("office").fields,
        second.store.get(probe).expect("second").fields,
        "the second device has the edit"
    );
}

// ---------------------------------------------------------------------------
// 4. Many devices at once, against the relay in its own process.

struct RelayProcess {
    child: Child,
    addr: SocketAddr,
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn relay_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_hongdun-server"))
}

fn start_relay_process(data: &Path) -> RelayProcess {
    let mut child = Command::new(relay_binary())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--rate",
            "1000",
            "--data",
        ])
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start hongdun-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .and_then(|a| a.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    RelayProcess { child, addr }
}

fn proc_status_kb(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn http_get(addr: SocketAddr, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

/// Creates the offices, users, devices and enrollment codes directly in the
/// relay's data directory (before the relay process starts).
fn provision(data: &Path, devices: usize) -> Vec<(String, String)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let settings = Settings::new(SocketAddr::from(([127, 0, 0, 1], 0)), data.to_path_buf());
        let state = hongdun_server::state(settings).await.expect("state");
        let offices: Vec<String> = (0..OFFICES_500).map(|i| format!("GS02{i:02}")).collect();
        for code in &offices {
            state
                .db
                .create_org(&Org {
                    code: code.clone(),
                    name: format!("第{code}所"),
                    kind: OrgKind::Office,
                })
                .await
                .expect("org");
        }
        let mut codes = Vec::with_capacity(devices);
        for i in 0..devices {
            let org = offices[i % offices.len()].clone();
            let user_id = format!("u{i:04}");
            state
                .db
                .create_user(&User {
                    id: user_id.clone(),
                    org: org.clone(),
                    name: format!("干部{i}"),
                    role: Role::Staff,
                })
                .await
                .expect("user");
            let device = format!("d{i:04}");
            state
                .db
                .create_device(&device, &user_id, &format!("干部{i}的电脑"))
                .await
                .expect("device");
            let code = hongdun_server::auth::new_enrollment_code();
            state
                .db
                .create_enrollment(
                    &device,
                    &state.key.hash(&normalise_code(&code)),
                    chrono::Utc::now() + chrono::Duration::days(1),
                )
                .await
                .expect("enrollment");
            codes.push((org, code));
        }
        codes
    })
}

struct Phase {
    name: &'static str,
    rounds: Vec<Duration>,
    syncs: Vec<Duration>,
    wall: Duration,
    docs_received: usize,
    failures: usize,
}

/// Every device syncs at the same moment (one thread each, a barrier).
fn phase(name: &'static str, devices: Vec<Device>) -> (Phase, Vec<Device>) {
    let n = devices.len();
    let barrier = Arc::new(Barrier::new(n + 1));
    let handles: Vec<_> = devices
        .into_iter()
        .map(|mut d| {
            let b = Arc::clone(&barrier);
            std::thread::Builder::new()
                .stack_size(512 * 1024)
                .spawn(move || {
                    b.wait();
                    let t = Instant::now();
                    let r = timed_sync(&mut d.store, |_| {});
                    let took = t.elapsed();
                    (d, r.map(|(s, rounds)| (s, rounds, took)))
                })
                .expect("thread")
        })
        .collect();
    barrier.wait();
    let t = Instant::now();
    let mut out = Vec::with_capacity(n);
    let mut p = Phase {
        name,
        rounds: vec![],
        syncs: vec![],
        wall: Duration::ZERO,
        docs_received: 0,
        failures: 0,
    };
    for h in handles {
        let (d, r) = h.join().expect("join");
        match r {
            Ok((s, rounds, took)) => {
                p.rounds.extend(rounds);
                p.syncs.push(took);
                p.docs_received += s.documents_received;
            }
            Err(e) => {
                eprintln!("    {}: sync failed: {e}", d.name);
                p.failures += 1;
            }
        }
        out.push(d);
    }
    p.wall = t.elapsed();
    p.rounds.sort();
    p.syncs.sort();
    (p, out)
}

fn many_devices(n: usize, report: &mut Report) {
    println!("\n[4] {n} devices syncing at once on loopback (relay in its own process)…");
    let data = tempfile::tempdir().expect("relay data");
    let t = Instant::now();
    let codes = provision(data.path(), n);
    let relay = start_relay_process(data.path());
    let pid = relay.child.id();
    let url = format!("http://{}", relay.addr);
    let rss0 = proc_status_kb(pid, "VmRSS:");
    let mut devices: Vec<Device> = codes
        .iter()
        .enumerate()
        .map(|(i, (org, code))| {
            let mut d = Device::enroll_with(&url, code, org, &format!("干部{i}"));
            for k in 0..RECORDS_PER_DEVICE {
                new_case(&mut d, &format!("干部{i}办理的第{k}起案件"));
            }
            d
        })
        .collect();
    println!(
        "  {n} devices in {OFFICES_500} offices enrolled, {} records each, in {:.1} s; relay idle RSS {:.1} MiB",
        RECORDS_PER_DEVICE,
        t.elapsed().as_secs_f64(),
        rss0 as f64 / 1024.0
    );
    let mut phases = Vec::new();
    for name in [
        "first sync (upload 5 records, download the office's so far)",
        "second sync (catch up on the other devices' records)",
        "no-op sync",
    ] {
        let (p, back) = phase(name, devices);
        devices = back;
        let rss = proc_status_kb(pid, "VmRSS:");
        println!(
            "  {}: {} syncs ({} failed), {} rounds, round p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; whole sync p50 {:.0} ms, p99 {:.0} ms; wall {:.2} s; {} documents received; relay RSS {:.1} MiB",
            p.name,
            p.syncs.len(),
            p.failures,
            p.rounds.len(),
            ms(percentile(&p.rounds, 0.5)),
            ms(percentile(&p.rounds, 0.99)),
            ms(percentile(&p.rounds, 1.0)),
            ms(percentile(&p.syncs, 0.5)),
            ms(percentile(&p.syncs, 0.99)),
            p.wall.as_secs_f64(),
            p.docs_received,
            rss as f64 / 1024.0
        );
        phases.push((p, rss));
    }
    let hwm = proc_status_kb(pid, "VmHWM:");
    let metrics = http_get(relay.addr, "/metrics");
    let hist: Vec<&str> = metrics
        .lines()
        .filter(|l| l.starts_with("hongdun_sync_round_seconds") || l.starts_with("hongdun_errors"))
        .collect();
    println!("  relay /metrics round latency (all phases):");
    for l in &hist {
        println!("    {l}");
    }
    let expected = n * RECORDS_PER_DEVICE;
    let held: usize = devices
        .iter()
        .map(|d| all_doc_ids(d.dir.path()).len())
        .sum::<usize>()
        / n;
    println!(
        "  every device holds {held} documents on average (its office: {} documents)",
        expected / OFFICES_500
    );
    for (p, rss) in &phases {
        let p99 = percentile(&p.rounds, 0.99);
        report.row(
            format!("{n} devices at once, {}: round latency", p.name),
            "p99 ≤ 250 ms",
            format!(
                "p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms ({} rounds, {} failed syncs, wall {:.2} s; RSS after {:.1} MiB)",
                ms(percentile(&p.rounds, 0.5)),
                ms(p99),
                ms(percentile(&p.rounds, 1.0)),
                p.rounds.len(),
                p.failures,
                p.wall.as_secs_f64(),
                *rss as f64 / 1024.0
            ),
            Some(p99 <= Duration::from_millis(250) && p.failures == 0),
        );
    }
    report.row(
        format!("{n} devices: relay resident memory"),
        "≤ 500 MB",
        format!(
            "peak (VmHWM) {:.1} MiB; idle {:.1} MiB",
            hwm as f64 / 1024.0,
            rss0 as f64 / 1024.0
        ),
        Some(hwm * 1024 <= 500 * 1000 * 1000),
    );
}

fn main() {
    let (records, devices) = if quick() { (1_000, 50) } else { (10_000, 500) };
    println!(
        "sync benchmark: {records} records, {devices} devices{}",
        if quick() { " (quick mode)" } else { "" }
    );
    let mut report = Report::default();
    let only = std::env::var("HONGDUN_BENCH_ONLY").unwrap_or_default();
    if only.is_empty() || only == "office" {
        office_scenarios(records, &mut report);
    }
    if only.is_empty() || only == "devices" {
        many_devices(devices, &mut report);
    }
    report.print();
}
