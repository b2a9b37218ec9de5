//! Store benchmarks: acknowledged edits, list pages, Chinese search and
//! opening a large store. Run with `cargo bench -p hongdun-core --bench store`.
//!
//! The stores are seeded once with `hongdun_core::demo` (10k and 100k
//! documents) and cached under `$CARGO_TARGET_DIR/bench-stores/` (or
//! `target/bench-stores/`); a cache is reused when its seeder version, size
//! and seed match. `HONGDUN_BENCH_RECORDS=2000` makes a quick smoke run
//! (the large store gets that many documents, the small one at most that).
//! Goals (issue): edit p50 ≤ 2 ms and p99 ≤ 10 ms on 10k; a list page
//! ≤ 50 ms, a 2-character search ≤ 100 ms and open + first page ≤ 1.5 s on 100k.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{cached_store, copy_store, ms, open, percentile};
use criterion::Criterion;
use hongdun_core::record::RecordKind;
use hongdun_core::store::{ListQuery, Store};
use serde_json::{json, Map};

fn status_kb(field: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run in a fresh process so resident memory is the store's, not the seeder's.
fn open_probe(dir: &str) {
    let t = Instant::now();
    let store = open(Path::new(dir));
    let opened = t.elapsed();
    let page = store.list(&ListQuery::default()).expect("list");
    let total = t.elapsed();
    println!(
        "{{\"open_ms\":{:.2},\"open_and_page_ms\":{:.2},\"rows\":{},\"vm_rss_kb\":{},\"vm_hwm_kb\":{}}}",
        ms(opened),
        ms(total),
        page.len(),
        status_kb("VmRSS:").unwrap_or(0),
        status_kb("VmHWM:").unwrap_or(0)
    );
}

struct Report(Vec<String>);

impl Report {
    fn row(&mut self, what: &str, goal: &str, measured: String) {
        self.0.push(format!("| {what} | {goal} | {measured} |"));
    }
}

fn bench_edits(c: &mut Criterion, small: &Path, n_small: usize, report: &mut Report) {
    let copy = copy_store(small);
    let mut store = open(copy.path());
    let ids: Vec<String> = store
        .list(&ListQuery {
            kind: Some(RecordKind::Case),
            limit: Some(1000),
            ..ListQuery::default()
        })
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert!(!ids.is_empty());
    let mut i = 0usize;
    let mut edit = |store: &mut Store| {
        let id = &ids[(i * 7919) % ids.len()];
        let mut patch = Map::new();
        patch.insert(
            "notes".into(),
            json!(format!("第{i}次补充说明：当事人已按要求提交进货凭证")),
        );
        store.edit(id, &patch, "bench").expect("edit");
        i += 1;
    };
    // The custom loop first: every edit timed on its own.
    let mut times = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let t = Instant::now();
        edit(&mut store);
        times.push(t.elapsed());
    }
    times.sort();
    let (p50, p99, max) = (
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1],
    );
    println!(
        "edit on {n_small} records, 2000 acknowledged edits: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(p50),
        ms(p99),
        ms(max)
    );
    report.row(
        &format!("field edit (`store.edit`, fsync) on {n_small}: p50"),
        "≤ 2 ms",
        format!("{:.2} ms", ms(p50)),
    );
    report.row(
        &format!("field edit on {n_small}: p99"),
        "≤ 10 ms",
        format!("{:.2} ms (max {:.2} ms)", ms(p99), ms(max)),
    );
    let mut g = c.benchmark_group("edit");
    g.sample_size(50).measurement_time(Duration::from_secs(8));
    g.bench_function(format!("acknowledged_field_edit_{n_small}"), |b| {
        b.iter(|| edit(&mut store))
    });
    g.finish();
}

fn time_query(store: &Store, q: &ListQuery, runs: usize) -> (Duration, Duration, usize, usize) {
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        rows = store.list(q).expect("list").len();
        times.push(t.elapsed());
    }
    times.sort();
    let total = store.count(q).expect("count");
    (percentile(&times, 0.5), times[times.len() - 1], rows, total)
}

fn bench_queries(c: &mut Criterion, big: &Path, n_big: usize, report: &mut Report) {
    let store = open(big);
    let queries: Vec<(&str, &str, ListQuery)> = vec![
        (
            "list: open cases, 50 rows",
            "≤ 50 ms",
            ListQuery {
                kind: Some(RecordKind::Case),
                open_only: true,
                limit: Some(50),
                ..ListQuery::default()
            },
        ),
        (
            "list: overdue, 50 rows",
            "≤ 50 ms",
            ListQuery {
                overdue: true,
                limit: Some(50),
                ..ListQuery::default()
            },
        ),
        (
            "list: everything, first page",
            "≤ 50 ms",
            ListQuery::default(),
        ),
        (
            "search: 茅台",
            "≤ 100 ms",
            ListQuery {
                text: Some("茅台".into()),
                limit: Some(50),
                ..ListQuery::default()
            },
        ),
        (
            "search: 传销",
            "≤ 100 ms",
            ListQuery {
                text: Some("传销".into()),
                limit: Some(50),
                ..ListQuery::default()
            },
        ),
    ];
    for (name, goal, q) in &queries {
        let (p50, max, rows, total) = time_query(&store, q, 30);
        let t = Instant::now();
        store.count(q).expect("count");
        let count_time = t.elapsed();
        println!(
            "{name} on {n_big}: p50 {:.2} ms, max {:.2} ms ({rows} rows of {total}; count {:.2} ms)",
            ms(p50),
            ms(max),
            ms(count_time)
        );
        report.row(
            &format!("{name} on {n_big}"),
            goal,
            format!(
                "{:.2} ms p50, {:.2} ms max ({rows} of {total}; count {:.2} ms)",
                ms(p50),
                ms(max),
                ms(count_time)
            ),
        );
    }
    let mut g = c.benchmark_group("query");
    g.sample_size(30).measurement_time(Duration::from_secs(5));
    for (name, _, q) in &queries {
        let id = name.replace([':', ' ', ','], "_");
        g.bench_function(format!("{id}_{n_big}"), |b| {
            b.iter(|| store.list(q).expect("list"))
        });
    }
    g.finish();
}

fn bench_open(big: &Path, n_big: usize, report: &mut Report) {
    let exe = std::env::current_exe().expect("exe");
    let mut runs = Vec::new();
    for _ in 0..5 {
        let out = std::process::Command::new(&exe)
            .env("HONGDUN_BENCH_OPEN_PROBE", big)
            .output()
            .expect("probe");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("probe output");
        runs.push(v);
    }
    let mut t: Vec<f64> = runs
        .iter()
        .map(|v| v["open_and_page_ms"].as_f64().unwrap_or(0.0))
        .collect();
    t.sort_by(|a, b| a.total_cmp(b));
    let last = &runs[runs.len() - 1];
    let rss = last["vm_rss_kb"].as_u64().unwrap_or(0) as f64 / 1024.0;
    let hwm = last["vm_hwm_kb"].as_u64().unwrap_or(0) as f64 / 1024.0;
    println!(
        "open {n_big} + first page (fresh process, warm file cache): first {:.1} ms, median {:.1} ms; VmRSS {rss:.1} MiB, VmHWM {hwm:.1} MiB",
        runs[0]["open_and_page_ms"].as_f64().unwrap_or(0.0),
        t[t.len() / 2]
    );
    report.row(
        &format!("Store::open + first list page on {n_big}"),
        "≤ 1.5 s",
        format!(
            "{:.1} ms median of 5 (RSS {rss:.1} MiB, peak {hwm:.1} MiB)",
            t[t.len() / 2]
        ),
    );
}

fn main() {
    if let Ok(dir) = std::env::var("HONGDUN_BENCH_OPEN_PROBE") {
        open_probe(&dir);
        return;
    }
    let n_big = std::env::var("HONGDUN_BENCH_RECORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000usize);
    let n_small = n_big.min(10_000);
    let small = cached_store(n_small);
    let big = cached_store(n_big);
    let mut c = Criterion::default().configure_from_args();
    let mut report = Report(vec![
        "| measurement | goal | measured |".into(),
        "|---|---|---|".into(),
    ]);
    bench_open(&big, n_big, &mut report);
    bench_edits(&mut c, &small, n_small, &mut report);
    bench_queries(&mut c, &big, n_big, &mut report);
    c.final_summary();
    println!("\n{}", report.0.join("\n"));
}
