//! `hongdun attach`, `attachments`, `fetch-attachment`, `detach` and
//! `attachment-settings`: evidence files of a record.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{bail, Result};
use hongdun_core::attachment::{AttachmentState, AttachmentView, FetchPolicy};
use hongdun_core::store::{human, Store};
use hongdun_core::sync::attachments;
use serde_json::json;

use crate::output::{cut, pad, Out};

fn open(dir: &Path) -> Result<Store> {
    if !dir.join("hongdun.db").exists() {
        bail!(
            "{} is not a Hongdun store yet; create it with `hongdun --data {} init --office CODE --name NAME`",
            dir.display(),
            dir.display()
        );
    }
    Ok(Store::open(dir)?)
}

fn state_text(s: AttachmentState) -> String {
    match s {
        AttachmentState::LocalOnly => "local only".into(),
        AttachmentState::Uploading { percent } => format!("uploading {percent}%"),
        AttachmentState::Synced => "synced".into(),
        AttachmentState::Missing => "missing here (fetch-attachment)".into(),
        AttachmentState::Fetching { percent } => format!("fetching {percent}%"),
    }
}

fn print_views(views: &[AttachmentView]) {
    for v in views {
        let r = &v.reference;
        println!(
            "{}  {}  {}  {}",
            &r.sha256[..12],
            pad(&cut(&r.name, 40), 40),
            pad(&human(r.size), 10),
            state_text(v.state)
        );
    }
}

pub fn attach(
    dir: &Path,
    id: &str,
    file: &Path,
    name: Option<&str>,
    by: &str,
    out: &Out,
) -> Result<()> {
    let mut store = open(dir)?;
    let view = store.attach_file(id, file, name, by)?;
    out.print(&view, || print_views(std::slice::from_ref(&view)))
}

pub fn list(dir: &Path, id: &str, out: &Out) -> Result<()> {
    let mut store = open(dir)?;
    let views = store.attachments(id)?;
    out.print(&views, || {
        if views.is_empty() {
            println!("no attachments");
        }
        print_views(&views)
    })
}

pub fn detach(dir: &Path, id: &str, sha: &str, by: &str, out: &Out) -> Result<()> {
    let mut store = open(dir)?;
    let sha = store.resolve_attachment(id, sha)?;
    let removed = store.detach(id, &sha, by)?;
    out.print(&json!({ "sha256": sha, "removed": removed }), || {
        println!("removed {sha} from {id}")
    })
}

pub fn fetch(
    dir: &Path,
    id: &str,
    sha: &str,
    copy_to: Option<&Path>,
    timeout: u64,
    out: &Out,
) -> Result<()> {
    let mut store = open(dir)?;
    let sha = store.resolve_attachment(id, sha)?;
    let complete = attachments::fetch_now(
        &mut store,
        &sha,
        Duration::from_secs(timeout.max(1)),
        &AtomicBool::new(false),
    )?;
    let Some(path) = store.attachment_file(&sha)?.filter(|_| complete) else {
        bail!(
            "the attachment {sha} could not be fetched completely; run the command again to resume"
        );
    };
    if let Some(to) = copy_to {
        std::fs::copy(&path, to)
            .map_err(|e| anyhow::anyhow!("cannot copy the attachment to {}: {e}", to.display()))?;
    }
    out.print(
        &json!({ "sha256": sha, "path": path, "copied_to": copy_to }),
        || println!("{}", copy_to.unwrap_or(&path).display()),
    )
}

pub fn settings(
    dir: &Path,
    fetch: Option<&str>,
    max_file_mb: Option<u64>,
    max_record_mb: Option<u64>,
    out: &Out,
) -> Result<()> {
    let store = open(dir)?;
    let mut s = store.attachment_settings()?;
    if let Some(f) = fetch {
        let Some(p) = FetchPolicy::parse(f) else {
            bail!("--fetch must be on-demand or always, not `{f}`");
        };
        s.fetch = p;
    }
    if let Some(mb) = max_file_mb {
        s.max_file_bytes = mb.saturating_mul(1024 * 1024);
    }
    if let Some(mb) = max_record_mb {
        s.max_record_bytes = mb.saturating_mul(1024 * 1024);
    }
    if fetch.is_some() || max_file_mb.is_some() || max_record_mb.is_some() {
        store.set_attachment_settings(&s)?;
    }
    out.print(&s, || {
        println!(
            "fetch {}; at most {} per file, {} per record",
            s.fetch.as_str(),
            human(s.max_file_bytes),
            human(s.max_record_bytes)
        )
    })
}
