//! 联合办案 on the command line: `share`, `shares`, `unshare`, `shared`
//! (partner mode), `audit` and `verify`.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use hongdun_core::audit;
use hongdun_core::joint::{Share, ShareMode, StoreMode};
use hongdun_core::store::{ListQuery, Store};
use hongdun_core::sync::share::{self, ShareRequest};
use serde_json::json;

use crate::output::{pad, Out};

#[derive(Subcommand, Debug)]
pub enum JointCmd {
    /// Share a case file with a partner organisation (公安, a brand owner);
    /// prints the one-time enrollment code for the partner's device.
    Share {
        id: String,
        /// The partner organisation's code on the relay.
        #[arg(long)]
        partner: String,
        /// read or read-write (may add to 查扣清单, 鉴定, evidence and notes).
        #[arg(long, default_value = "read")]
        mode: String,
        /// Last day of the share (YYYY-MM-DD, Beijing time) or an RFC 3339 time.
        #[arg(long, value_name = "DATE")]
        expires: Option<String>,
        /// The partner's user who gets a device (default: the partner's name).
        #[arg(long, value_name = "NAME")]
        partner_user: Option<String>,
        /// Share without making an enrollment code (the partner already has a device).
        #[arg(long)]
        no_code: bool,
    },
    /// Who a case file is shared with, and when each partner last synced.
    Shares { id: String },
    /// Revoke a share; the partner loses the case file at its next sync.
    Unshare {
        id: String,
        /// The share's id (from `hongdun shares ID`).
        grant: String,
    },
    /// Partner mode: the case files shared with this device, and which are no longer shared.
    Shared,
    /// The audit trail of a record: who changed what, when; `--out FILE.xlsx` writes the report.
    Audit {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Use the authors known locally; do not ask the relay.
        #[arg(long)]
        offline: bool,
    },
    /// Check that every stored document's history is intact (change hashes, dependencies).
    Verify,
}

/// `--expires`: a day means the end of that day in Beijing time.
fn parse_expires(s: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        anyhow!("--expires takes a day (YYYY-MM-DD) or an RFC 3339 time, not `{s}`")
    })?;
    hongdun_core::desk::joint::share_expiry(day)
        .ok_or_else(|| anyhow!("--expires {s} is out of range"))
}

fn open(dir: &Path) -> Result<Store> {
    if !dir.join("hongdun.db").exists() {
        bail!(
            "{} is not a Hongdun store; pass --data with an office store",
            dir.display()
        );
    }
    Ok(Store::open(dir)?)
}

fn fmt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "-".to_string())
}

fn print_share(s: &Share) {
    println!(
        "{}  {}  {}  {}  expires {}  last sync {}",
        s.id,
        pad(&format!("{}（{}）", s.partner_name, s.partner), 36),
        s.mode.label(),
        if s.active { "共享中" } else { "已停止" },
        fmt_time(s.expires_at),
        fmt_time(s.partner_last_sync),
    );
}

pub fn run(cmd: &JointCmd, dir: &Path, out: &Out) -> Result<()> {
    match cmd {
        JointCmd::Share {
            id,
            partner,
            mode,
            expires,
            partner_user,
            no_code,
        } => {
            let mode = ShareMode::parse(mode)
                .ok_or_else(|| anyhow!("--mode must be read or read-write, not `{mode}`"))?;
            let expires_at = expires.as_deref().map(parse_expires).transpose()?;
            if expires_at.is_some_and(|e| e <= Utc::now()) {
                bail!("--expires is in the past; give a later day");
            }
            let mut store = open(dir)?;
            let req = ShareRequest {
                partner: partner.clone(),
                mode,
                expires_at,
                partner_user: if *no_code {
                    None
                } else {
                    Some(partner_user.clone().unwrap_or_else(|| partner.clone()))
                },
                partner_device: None,
            };
            let created = share::share(&mut store, id, &req)?;
            out.print(&created, || {
                print_share(&created.share);
                if let Some(e) = &created.enrollment {
                    println!(
                        "enrollment code for the partner's device: {} (valid until {})",
                        e.code,
                        fmt_time(Some(e.expires_at))
                    );
                }
            })
        }
        JointCmd::Shares { id } => {
            let store = open(dir)?;
            let shares = share::shares(&store, id)?;
            out.print(&shares, || {
                if shares.is_empty() {
                    println!("not shared with any partner");
                }
                for s in &shares {
                    print_share(s);
                }
            })
        }
        JointCmd::Unshare { id, grant } => {
            let store = open(dir)?;
            let doc = store.resolve_id(id)?;
            let shares = share::shares(&store, &doc)?;
            if !shares.iter().any(|s| &s.id == grant) {
                bail!("record {id} has no share `{grant}`; `hongdun shares {id}` lists them");
            }
            let s = share::unshare(&store, grant)?;
            out.print(&s, || {
                println!(
                    "no longer shared with {}（{}）; it loses the case file at its next sync",
                    s.partner_name, s.partner
                )
            })
        }
        JointCmd::Shared => {
            let store = open(dir)?;
            let mode = store.mode()?;
            if mode == StoreMode::Office {
                bail!("this is an office store, not a partner's; `hongdun shares ID` shows what a case file is shared with");
            }
            let list = store.list(&ListQuery {
                include_revoked: true,
                limit: Some(1000),
                ..Default::default()
            })?;
            let mut rows = Vec::new();
            for r in list {
                let state = store.share_state(&r.id)?;
                rows.push(json!({"id": r.id, "kind": r.kind, "number": r.number, "title": r.title, "status": r.status_label, "state": state, "state_label": state.label()}));
            }
            out.print(&json!({"mode": mode, "records": rows}), || {
                for r in &rows {
                    println!(
                        "{}  {}  {}  {}",
                        r["id"].as_str().unwrap_or(""),
                        pad(r["state_label"].as_str().unwrap_or(""), 10),
                        pad(r["status"].as_str().unwrap_or(""), 10),
                        r["title"].as_str().unwrap_or("")
                    );
                }
            })
        }
        JointCmd::Audit {
            id,
            out: file,
            offline,
        } => {
            let mut store = open(dir)?;
            let id = store.resolve_id(id)?;
            if !offline && store.remote()?.is_some() {
                if let Err(e) = share::refresh_authors(&mut store, &id) {
                    eprintln!("hongdun: using the authors known locally ({e})");
                }
            }
            let entries = store.audit(&id)?;
            if let Some(path) = file {
                let rec = store.get(&id)?;
                let title = format!(
                    "审计记录 — {} {}",
                    rec.number.clone().unwrap_or_default(),
                    rec.title
                );
                audit::write_xlsx(path, title.trim(), &entries)?;
            }
            out.print(&entries, || {
                for e in &entries {
                    println!(
                        "{}  {}  {}  {}  {}",
                        e.at.format("%Y-%m-%d %H:%M:%S"),
                        pad(&e.org_name, 28),
                        pad(&e.user, 10),
                        pad(&e.device, 16),
                        e.what
                    );
                }
                if let Some(path) = file {
                    println!("audit report written to {}", path.display());
                }
            })
        }
        JointCmd::Verify => {
            let store = open(dir)?;
            let report = store.verify()?;
            out.print(&report, || {
                for f in &report.failures {
                    println!("{}", f.problem);
                }
                if report.ok() {
                    println!(
                        "{} records, {} changes: every history verifies",
                        report.documents, report.changes
                    );
                }
            })?;
            if !report.ok() {
                bail!(
                    "{} of {} records do not verify; restore them from the relay (sync) or a backup",
                    report.failures.len(),
                    report.documents
                );
            }
            Ok(())
        }
    }
}
