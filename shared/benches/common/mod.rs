//! What the store benchmarks share: the seeded stores (built once with
//! `hongdun_core::demo` and cached under `$CARGO_TARGET_DIR/bench-stores/`),
//! opening them as of the seed's end date, and timing helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use hongdun_core::demo::{seed, SeedOptions, SEEDER_VERSION};
use hongdun_core::store::Store;

pub const SEED: u64 = 2011;
pub const OFFICE: (&str, &str) = ("GS0101", "城关市场监督管理所");

pub fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
}

pub fn cache_root() -> PathBuf {
    // HONGDUN_BENCH_STORES puts the seeded stores elsewhere (e.g. a tmpfs
    // when the disk is short); timings read from the page cache either way.
    if let Some(dir) = std::env::var_os("HONGDUN_BENCH_STORES") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench-stores")
}

/// A seeded store of `records` documents, built once and reused.
pub fn cached_store(records: usize) -> PathBuf {
    let dir = cache_root().join(format!("{records}-v{SEEDER_VERSION}-s{SEED}-{}", end()));
    let marker = dir.join("seeded.json");
    if marker.exists() {
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
        &marker,
        serde_json::to_string_pretty(&summary).expect("json"),
    )
    .expect("marker");
    dir
}

/// A private copy (the edit benchmark writes).
pub fn copy_store(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(from).expect("read cache") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).expect("copy");
        }
    }
    tmp
}

pub fn open(dir: &Path) -> Store {
    let mut s = Store::open(dir).expect("open");
    s.set_today(end());
    s
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
