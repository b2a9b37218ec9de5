//! `hongdun enroll` and `hongdun sync`.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Result;
use hongdun_core::store::Store;
use hongdun_core::sync::client;
use hongdun_core::sync::engine::RoundLimits;
use serde_json::json;

use crate::output::Out;

pub fn enroll(dir: &Path, server: &str, code: &str, name: Option<&str>, out: &Out) -> Result<()> {
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        anyhow::bail!(
            "--server must be an http:// or https:// address, e.g. http://192.0.2.10:8765"
        );
    }
    let mut store = Store::open(dir)?;
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "hongdun".into());
    let cfg = client::enroll(&mut store, server, code, name.unwrap_or(&host))?;
    out.print(
        &json!({ "server": cfg.server, "device_id": cfg.device_id, "role": cfg.role, "office": cfg.office, "user": cfg.user }),
        || println!("enrolled as {} ({}) of {} with {}", cfg.user, cfg.role, cfg.office.as_deref().unwrap_or("-"), cfg.server),
    )
}

pub fn sync(
    dir: &Path,
    timeout: u64,
    max_feed_bytes: u64,
    attachment_budget_bytes: u64,
    out: &Out,
) -> Result<()> {
    if !dir.join("hongdun.db").exists() {
        anyhow::bail!("{} is not a Hongdun store; enroll it first with `hongdun --data {} enroll --server URL --code CODE`", dir.display(), dir.display());
    }
    let mut store = Store::open(dir)?;
    let limits = RoundLimits {
        max_feed_bytes: max_feed_bytes.max(1024),
        attachment_budget_bytes,
        ..RoundLimits::default()
    };
    let json = out.json;
    let summary = client::sync(
        &mut store,
        limits,
        Duration::from_secs(timeout.max(1)),
        &AtomicBool::new(false),
        &mut |p| {
            if !json {
                eprintln!(
                    "round {}: sent {} received {} pending {}{}",
                    p.round,
                    p.documents_sent,
                    p.documents_received,
                    p.pending_uploads,
                    if p.more { " (more)" } else { "" }
                );
            }
        },
    )?;
    // The summary is JSON either way: scripts read it.
    let _ = out;
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}
