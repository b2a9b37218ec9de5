//! The desktop app's answers on a 100k store, measured at the store and
//! serialised as the shell sends them (JSON): opening the store to a usable
//! 工作台, and list pages and search as a clerk types (each keystroke asks
//! for one page plus its "共 N 条"). Run with
//! `cargo bench -p hongdun-core --bench desk`; it reuses the seeded stores of
//! the `store` bench (`HONGDUN_BENCH_RECORDS` as there).
//! Goals: a 100k store opens to a usable 工作台 in ≤ 1.5 s; list pages and
//! search answer in ≤ 100 ms from keystroke to rendered rows.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{cached_store, end, ms, open, percentile};
use hongdun_core::desk::{ListQuery, SyncState};
use hongdun_core::record::RecordKind;

/// In a fresh process (cold caches of the process, warm file cache): open
/// the store, read settings and the 工作台, serialise it.
fn dashboard_probe(dir: &str) {
    let t = Instant::now();
    let mut store = open(Path::new(dir));
    let opened = t.elapsed();
    let settings = store.settings().expect("settings");
    let dash = store.dashboard(SyncState::default()).expect("dashboard");
    let json = serde_json::to_vec(&(&settings, &dash)).expect("json");
    let total = t.elapsed();
    let overdue: usize = dash.overdue.iter().map(|k| k.count).sum();
    let soon: usize = dash.due_soon.iter().map(|k| k.count).sum();
    println!(
        "{{\"open_ms\":{:.2},\"dashboard_ms\":{:.2},\"bytes\":{},\"overdue\":{overdue},\"due_soon\":{soon}}}",
        ms(opened),
        ms(total),
        json.len()
    );
}

fn bench_dashboard(big: &Path, n: usize, report: &mut Vec<String>) {
    let exe = std::env::current_exe().expect("exe");
    let mut runs = Vec::new();
    for _ in 0..5 {
        let out = std::process::Command::new(&exe)
            .env("HONGDUN_BENCH_DASHBOARD_PROBE", big)
            .output()
            .expect("probe");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("probe output");
        runs.push(v);
    }
    let mut t: Vec<f64> = runs
        .iter()
        .map(|v| v["dashboard_ms"].as_f64().unwrap_or(0.0))
        .collect();
    t.sort_by(|a, b| a.total_cmp(b));
    let last = &runs[runs.len() - 1];
    report.push(format!(
        "| open {n} + settings + 工作台 (fresh process), serialised ({} bytes; {} overdue, {} due soon) | ≤ 1.5 s | first {:.1} ms, median {:.1} ms, max {:.1} ms of 5 (open alone {:.1} ms) |",
        last["bytes"], last["overdue"], last["due_soon"],
        runs[0]["dashboard_ms"].as_f64().unwrap_or(0.0),
        t[t.len() / 2],
        t[t.len() - 1],
        last["open_ms"].as_f64().unwrap_or(0.0),
    ));
}

/// One keystroke's answer as the shell gives it (`Store::page`: a page of 50
/// and "共 N 条", counted up to the cap for a search), serialised; the total
/// as the list shows it ("1000+" when capped).
fn page(store: &hongdun_core::store::Store, q: &ListQuery) -> String {
    let page = store.page(q).expect("page");
    let json = serde_json::to_vec(&page).expect("json");
    std::hint::black_box(json.len());
    format!("{}{}", page.total, if page.capped { "+" } else { "" })
}

fn bench_typing(big: &Path, n: usize, report: &mut Vec<String>) {
    let store = open(big);
    // What a clerk types into the search box, one keystroke at a time, on the
    // 案件 list (kind filter) and on all records; then the list filters.
    let typed: &[(&str, Option<RecordKind>, &[&str])] = &[
        (
            "案件: 茅台酒",
            Some(RecordKind::Case),
            &["茅", "茅台", "茅台酒"],
        ),
        ("all: 传销", None, &["传", "传销"]),
        ("投诉: 退款", Some(RecordKind::Complaint), &["退", "退款"]),
        (
            "案件: 立案号 2025",
            Some(RecordKind::Case),
            &["2", "20", "202", "2025"],
        ),
    ];
    for (label, kind, keys) in typed {
        let mut samples = Vec::new();
        let mut hits = Vec::new();
        for _ in 0..10 {
            for key in keys.iter() {
                let q = ListQuery {
                    kind: *kind,
                    text: Some((*key).to_string()),
                    limit: Some(50),
                    ..ListQuery::default()
                };
                let t = Instant::now();
                let total = page(&store, &q);
                samples.push(t.elapsed());
                if hits.len() < keys.len() {
                    hits.push(total);
                }
            }
        }
        samples.sort();
        report.push(format!(
            "| search keystrokes {label} ({} keystrokes × 10; hits {hits:?}) | ≤ 100 ms | p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms |",
            keys.len(),
            ms(percentile(&samples, 0.5)),
            ms(percentile(&samples, 0.95)),
            ms(*samples.last().unwrap_or(&Duration::ZERO)),
        ));
    }
    let lists: &[(&str, ListQuery)] = &[
        (
            "案件 list, open only",
            ListQuery {
                kind: Some(RecordKind::Case),
                open_only: true,
                ..ListQuery::default()
            },
        ),
        (
            "案件 list, overdue",
            ListQuery {
                kind: Some(RecordKind::Case),
                overdue: true,
                limit: Some(100),
                ..ListQuery::default()
            },
        ),
        (
            "案源 list, all",
            ListQuery {
                kind: Some(RecordKind::Lead),
                ..ListQuery::default()
            },
        ),
        (
            "overdue, all kinds",
            ListQuery {
                overdue: true,
                ..ListQuery::default()
            },
        ),
        ("everything", ListQuery::default()),
    ];
    for (label, q) in lists {
        let mut samples = Vec::new();
        let mut total = String::new();
        for _ in 0..20 {
            let t = Instant::now();
            total = page(&store, q);
            samples.push(t.elapsed());
        }
        samples.sort();
        report.push(format!(
            "| list page + count: {label} ({total} records) on {n} | ≤ 100 ms | p50 {:.1} ms, max {:.1} ms of 20 |",
            ms(percentile(&samples, 0.5)),
            ms(*samples.last().unwrap_or(&Duration::ZERO)),
        ));
    }
    let mut samples = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let g = store.month_glance(end()).expect("glance");
        std::hint::black_box(serde_json::to_vec(&g).expect("json"));
        samples.push(t.elapsed());
    }
    samples.sort();
    report.push(format!(
        "| month at a glance on {n} | — | p50 {:.1} ms, max {:.1} ms of 10 |",
        ms(percentile(&samples, 0.5)),
        ms(*samples.last().unwrap_or(&Duration::ZERO)),
    ));
}

fn main() {
    if let Ok(dir) = std::env::var("HONGDUN_BENCH_DASHBOARD_PROBE") {
        dashboard_probe(&dir);
        return;
    }
    let n = std::env::var("HONGDUN_BENCH_RECORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000usize);
    let big = cached_store(n);
    let mut report = vec![
        "| measurement | goal | measured |".to_string(),
        "|---|---|---|".to_string(),
    ];
    bench_dashboard(&big, n, &mut report);
    bench_typing(&big, n, &mut report);
    println!("\n{}", report.join("\n"));
}
