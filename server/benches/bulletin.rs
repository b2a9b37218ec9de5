//! Bulletin benchmarks (docs/PERFORMANCE.md). Run with
//! `cargo bench -p hongdun-server --bench bulletin` (a plain `main`).
//! `HONGDUN_BENCH_QUICK=1` is a smoke run (20 offices, 2,000 records).
//! Data goes under `$HONGDUN_BENCH_DIR` (default: the system temp directory);
//! `HONGDUN_BENCH_ONLY=relay` runs part 1 alone; `HONGDUN_BENCH_PG_URL`
//! runs part 1 on PostgreSQL as well (in a schema of its own, dropped after).
//!
//! 1. The relay: 200 offices × 5,000 penalty cases (1,000,000 documents'
//!    statistics facts over two years, as uploads write them into the
//!    SQLite backend's `stat_facts` table, packed; the facts are inserted directly,
//!    not uploaded, which would take hours), then the consolidated bulletin
//!    for one month: the storage read plus the computation, i.e. what
//!    `GET /v1/bureau/bulletin` does before serialising. Also one office's
//!    bulletin from the same table.
//! 2. An office's own bulletin from its store (`Store::office_bulletin`)
//!    over demo records (two years), and writing it as .xlsx and .docx.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use hongdun_core::demo::{seed, SeedOptions};
use hongdun_core::record::RecordKind;
use hongdun_core::stats::{self, export, ExportFormat, Facts, PaymentFact, Period, RecordFacts};
use hongdun_core::store::{ListQuery, Store};
use hongdun_server::relay::bulletin;
use hongdun_server::storage::facts;
use hongdun_server::storage::sqlite::SqliteDatabase;
use hongdun_server::storage::Database;
use rand::{Rng, SeedableRng};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// One synthetic penalty case of `office`, filed within the two years to
/// 2026-06-30; most are decided a month or two later, many paid and booked.
fn case(rng: &mut rand::rngs::StdRng, office: &str, n: usize) -> RecordFacts {
    let end = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or(NaiveDate::MIN);
    let filed = end - chrono::Duration::days(rng.random_range(0..730));
    let mut f = RecordFacts::new(format!("{office}-{n:05}"), RecordKind::Case, office);
    let simple = rng.random_bool(0.3);
    f.codes.insert(
        "procedure".into(),
        if simple { "simple" } else { "normal" }.into(),
    );
    const CATS: [&str; 6] = [
        "trademark",
        "food",
        "price",
        "quality",
        "advertising",
        "registration",
    ];
    f.codes.insert(
        "case_category".into(),
        CATS[rng.random_range(0..CATS.len())].into(),
    );
    f.codes.insert("case_source".into(), "report".into());
    if !simple {
        f.dates.insert("filed_on".into(), filed);
        f.amounts
            .insert("goods_value_fen".into(), rng.random_range(0..5_000_000));
    }
    if rng.random_bool(0.8) {
        let decided =
            filed + chrono::Duration::days(if simple { 0 } else { rng.random_range(20..90) });
        f.dates.insert("decided_on".into(), decided);
        f.outcome = Some("penalty".into());
        let fine = rng.random_range(5_000..2_000_000);
        f.amounts.insert("fine_fen".into(), fine);
        if rng.random_bool(0.7) {
            let booked = decided + chrono::Duration::days(rng.random_range(1..40));
            f.payments.push(PaymentFact {
                amount_fen: fine,
                treasury_date: Some(booked),
            });
            f.dates
                .insert("closed_on".into(), booked + chrono::Duration::days(5));
        }
    }
    f
}

fn bench_dir() -> PathBuf {
    std::env::var_os("HONGDUN_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
}

/// The synthetic cases of every office, in insertion order, with their
/// packed facts and the first and last day storage keeps beside them;
/// made one at a time, so seeding never holds a million facts.
fn synthetic(
    offices: usize,
    per_office: usize,
) -> impl Iterator<Item = (RecordFacts, NaiveDate, NaiveDate, Vec<u8>)> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(2011);
    (0..offices)
        .flat_map(move |o| (0..per_office).map(move |n| (format!("GS{:04}", o + 1), n)))
        .filter_map(move |(office, n)| {
            let f = case(&mut rng, &office, n);
            let (first, last) = f.span()?;
            let packed = facts::pack(&f).expect("pack");
            Some((f, first, last, packed))
        })
}

/// The consolidated bulletin two ways, from `db`, as report lines: as the
/// relay computes it (`relay::bulletin`, office by office, two at a time),
/// and all at once (every row read, then decoded and computed), for the
/// ratio; then one office's bulletin. Each with the bench process's peak
/// resident memory over its 5 runs.
fn measure_relay(db: &dyn Database, rt: &tokio::runtime::Runtime) -> Vec<String> {
    let settings = stats::StatsSettings::default();
    let period = Period::parse("2026-06").expect("period");
    let (from, to) = stats::figures::window(&period, &settings);

    let start = reset_peak_rss();
    let mut by_office = Vec::new();
    let mut filed_by_office = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let b = rt
            .block_on(bulletin::bulletin(db, &settings, period, &[], false))
            .expect("bulletin");
        by_office.push(t.elapsed());
        filed_by_office = b.figure("cases.filed").map_or(0, |f| f.value);
    }
    let by_office_rss = peak_rss(start);

    let start = reset_peak_rss();
    let mut reads = Vec::new();
    let mut computes = Vec::new();
    let mut totals = Vec::new();
    let mut rows = 0;
    let mut filed = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let facts = rt.block_on(db.stat_facts(&[], from, to)).expect("facts");
        let read = t.elapsed();
        let views = facts.views().expect("views");
        let b = stats::bulletin(&views, &[], period, &settings, false);
        totals.push(t.elapsed());
        computes.push(t.elapsed() - read);
        reads.push(read);
        rows = facts.len();
        filed = b.figure("cases.filed").map_or(0, |f| f.value);
    }
    let at_once_rss = peak_rss(start);
    assert_eq!(filed, filed_by_office, "both ways give the same figures");

    let one = vec![format!("GS{:04}", 1)];
    let mut office_totals = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let _ = rt
            .block_on(bulletin::bulletin(db, &settings, period, &one, true))
            .expect("bulletin");
        office_totals.push(t.elapsed());
    }
    vec![
        format!(
            "  consolidated bulletin 2026-06 as the relay makes it (office by office): {} (median of 5); {} filed; peak memory {}",
            ms(median(by_office)),
            filed_by_office,
            by_office_rss
        ),
        format!(
            "  the same all at once: {} facts in the window; read {} + decode and compute {} = {} (median of 5); peak memory {}",
            rows,
            ms(median(reads)),
            ms(median(computes)),
            ms(median(totals)),
            at_once_rss
        ),
        format!(
            "  one office's bulletin from the relay (with drill-down): {}",
            ms(median(office_totals))
        ),
    ]
}

/// A line of /proc/self/status in kB (`VmRSS`, `VmHWM`).
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).and_then(|l| {
                l.trim_start_matches(field)
                    .trim()
                    .split(' ')
                    .next()?
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(0)
}

/// Resets this process's VmHWM to its current resident size and returns
/// that size, so [`peak_rss`] can tell how far what follows raised it.
fn reset_peak_rss() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    status_kb("VmRSS:")
}

/// The peak resident size since [`reset_peak_rss`], and its rise above the
/// size then.
fn peak_rss(start_kb: u64) -> String {
    let peak = status_kb("VmHWM:");
    format!(
        "{} MB (+{} MB; resident now: {} MB heap, {} MB mapped files)",
        peak / 1024,
        peak.saturating_sub(start_kb) / 1024,
        status_kb("RssAnon:") / 1024,
        (status_kb("RssFile:") + status_kb("RssShmem:")) / 1024
    )
}

fn relay(offices: usize, per_office: usize, rt: &tokio::runtime::Runtime) -> Vec<String> {
    let dir = tempfile::tempdir_in(bench_dir()).expect("tempdir");
    let path = dir.path().join("relay.sqlite3");
    let db = SqliteDatabase::open(&path).expect("open");
    rt.block_on(db.migrate()).expect("migrate");
    let t = Instant::now();
    {
        let mut conn = rusqlite::Connection::open(&path).expect("open for seeding");
        let tx = conn.transaction().expect("tx");
        {
            let mut stmt = tx
                .prepare(
                    "INSERT INTO stat_facts (id, owner, kind, first_on, last_on, facts)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .expect("prepare");
            for (f, first, last, packed) in synthetic(offices, per_office) {
                stmt.execute(rusqlite::params![
                    f.id,
                    f.office,
                    "case",
                    first.to_string(),
                    last.to_string(),
                    packed,
                ])
                .expect("insert");
            }
        }
        tx.commit().expect("commit");
    }
    let seeded = t.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mut out = vec![format!(
        "relay (SQLite), {offices} offices × {per_office} cases ({} documents; seeded in {:.0} s; file {} MB)",
        offices * per_office,
        seeded.as_secs_f64(),
        size / 1_000_000
    )];
    out.extend(measure_relay(&db, rt));
    out
}

/// The same on PostgreSQL (`HONGDUN_BENCH_PG_URL`), in a schema of its own
/// that is dropped afterwards; rows go in 10,000 at a time.
fn relay_postgres(
    url: &str,
    offices: usize,
    per_office: usize,
    rt: &tokio::runtime::Runtime,
) -> Vec<String> {
    let schema = format!("hongdun_bench_{}", uuid::Uuid::new_v4().simple());
    let admin = rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("connect to HONGDUN_BENCH_PG_URL");
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .await
            .expect("create schema");
        client
    });
    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let db = rt
        .block_on(hongdun_server::storage::postgres::PostgresDatabase::connect(&scoped))
        .expect("connect");
    rt.block_on(db.migrate()).expect("migrate");
    let t = Instant::now();
    let mut rows = synthetic(offices, per_office).peekable();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&scoped, tokio_postgres::NoTls)
            .await
            .expect("connect for seeding");
        tokio::spawn(conn);
        while rows.peek().is_some() {
            let chunk: Vec<_> = rows.by_ref().take(10_000).collect();
            let ids: Vec<&str> = chunk.iter().map(|r| r.0.id.as_str()).collect();
            let owners: Vec<&str> = chunk.iter().map(|r| r.0.office.as_str()).collect();
            let firsts: Vec<NaiveDate> = chunk.iter().map(|r| r.1).collect();
            let lasts: Vec<NaiveDate> = chunk.iter().map(|r| r.2).collect();
            let packed: Vec<&[u8]> = chunk.iter().map(|r| r.3.as_slice()).collect();
            client
                .execute(
                    "INSERT INTO stat_facts (id, owner, kind, first_on, last_on, facts)
                     SELECT id, owner, 'case', first_on, last_on, facts
                     FROM UNNEST($1::TEXT[], $2::TEXT[], $3::DATE[], $4::DATE[], $5::BYTEA[])
                          AS t(id, owner, first_on, last_on, facts)",
                    &[&ids, &owners, &firsts, &lasts, &packed],
                )
                .await
                .expect("insert");
        }
        client
            .batch_execute("ANALYZE stat_facts")
            .await
            .expect("analyze");
    });
    let seeded = t.elapsed();
    let mut out = vec![format!(
        "relay (PostgreSQL), {offices} offices × {per_office} cases ({} documents; seeded in {:.0} s)",
        offices * per_office,
        seeded.as_secs_f64(),
    )];
    out.extend(measure_relay(&db, rt));
    drop(db);
    rt.block_on(async {
        admin
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .await
            .expect("drop schema");
    });
    out
}

fn office(records: usize) -> Vec<String> {
    let dir = tempfile::tempdir_in(bench_dir()).expect("tempdir");
    let mut store = Store::open(dir.path()).expect("store");
    store.init("GS0101", "城关市场监督管理所").expect("init");
    let end = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or(NaiveDate::MIN);
    let t = Instant::now();
    seed(
        &mut store,
        &SeedOptions {
            records,
            end,
            ..SeedOptions::default()
        },
    )
    .expect("seed");
    let seeded = t.elapsed();
    let cases = store
        .count(&ListQuery {
            kind: Some(RecordKind::Case),
            ..ListQuery::default()
        })
        .expect("count");
    let period = Period::parse(&format!("{}-{:02}", end.year(), end.month())).expect("period");
    let mut times = Vec::new();
    let mut b = None;
    for _ in 0..10 {
        let t = Instant::now();
        b = Some(store.office_bulletin(period).expect("bulletin"));
        times.push(t.elapsed());
    }
    let b = b.expect("bulletin");
    let mut out = vec![
        format!(
            "office store, {records} demo records ({cases} cases; seeded in {:.0} s)",
            seeded.as_secs_f64()
        ),
        format!(
            "  own bulletin 2026-06 (Store::office_bulletin, with drill-down): {} (median of 10)",
            ms(median(times))
        ),
    ];
    for format in [ExportFormat::Xlsx, ExportFormat::Docx] {
        let file = dir.path().join(format!("b.{}", format.extension()));
        let mut times = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            export::write(&b, format, &file).expect("export");
            times.push(t.elapsed());
        }
        out.push(format!(
            "  write .{} with 3 charts: {} (median of 3)",
            format.extension(),
            ms(median(times))
        ));
    }
    out
}

fn main() {
    let quick = std::env::var_os("HONGDUN_BENCH_QUICK").is_some();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut lines = Vec::new();
    // `HONGDUN_BENCH_ONLY=relay` skips the office store (its seeding is slow).
    let only_relay = std::env::var("HONGDUN_BENCH_ONLY").is_ok_and(|v| v == "relay");
    if !only_relay {
        lines.extend(if quick { office(2_000) } else { office(15_000) });
    }
    let (offices, per_office) = if quick { (20, 500) } else { (200, 5_000) };
    lines.extend(relay(offices, per_office, &rt));
    // `HONGDUN_BENCH_PG_URL=postgres://…` runs the relay part on PostgreSQL too.
    if let Ok(url) = std::env::var("HONGDUN_BENCH_PG_URL") {
        lines.extend(relay_postgres(&url, offices, per_office, &rt));
    }
    println!();
    for l in lines {
        println!("{l}");
    }
}
