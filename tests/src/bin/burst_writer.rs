//! A writer for the crash-safety scenario: makes a burst of edits against a
//! store and prints `ack <kind> <n>` after each edit is acknowledged (its
//! transaction committed). The test kills it with SIGKILL at a random moment
//! and checks that every acknowledged edit survived.
//!
//! Usage: burst-writer DIR START COUNT

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use hongdun_core::record::RecordKind;
use hongdun_core::store::Store;
use serde_json::{json, Map, Value};

fn lead(n: u64) -> Map<String, Value> {
    let v = json!({
        "lead_no": format!("BURST-{n}"),
        "source_type": "inspection",
        "received_on": "2026-03-02",
        "summary": format!("第{n}条线索：群众反映某商店销售假冒茅台酒"),
    });
    v.as_object().cloned().unwrap_or_default()
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().context("usage: burst-writer DIR START COUNT")?);
    let start: u64 = args
        .next()
        .context("START")?
        .parse()
        .context("START must be a number")?;
    let count: u64 = args
        .next()
        .context("COUNT")?
        .parse()
        .context("COUNT must be a number")?;
    let mut store = Store::open(&dir)?;
    if store.office().is_none() {
        store.init("CRASH01", "崩溃测试所")?;
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    // One record edited over and over (compaction happens every few edits),
    // and new records created in between.
    let target = store.create(RecordKind::Lead, &lead(start * 1_000_000), "测试")?;
    writeln!(out, "target {target}")?;
    out.flush()?;
    for n in start..start + count {
        let id = store.create(RecordKind::Lead, &lead(n), "测试")?;
        writeln!(out, "ack create {n} {id}")?;
        out.flush()?;
        let mut patch = Map::new();
        patch.insert("notes".into(), json!(format!("edit {n}")));
        store.edit(&target, &patch, "测试")?;
        writeln!(out, "ack edit {n}")?;
        out.flush()?;
    }
    Ok(())
}
