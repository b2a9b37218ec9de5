//! 审计记录 — the audit trail of a record: every change with the
//! organisation, user and device that made it and when, and the report an
//! office hands over at the end of a joint operation (xlsx).
//!
//! Changes come from the document's Automerge history; who made them from
//! the relay's author directory (each Automerge actor bound to the enrolled
//! device that first uploaded its changes — see the relay's `upload`),
//! kept in the store by [`crate::sync::share::refresh_authors`] so the trail
//! reads offline. A change by this store's own actor that the relay has not
//! seen yet is attributed to this device's enrollment.

use std::collections::HashMap;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::doc::HistoryEntry;
use crate::joint::{AuditEntry, Author};
use crate::model::{event_label, field_specs};
use crate::record::RecordKind;
use crate::store::{Store, StoreError};

/// Why an audit report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write the audit report {path}: {source}")]
    Write { path: String, source: XlsxError },
}

/// The Chinese label of a field of `kind`, or its name.
fn field_label(kind: RecordKind, name: &str) -> String {
    field_specs(kind)
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.label.to_string())
        .unwrap_or_else(|| name.to_string())
}

/// What one change did, in Chinese: 新建, 修改：查扣清单、备注, 办理：立案…
pub fn describe(kind: RecordKind, entry: &HistoryEntry) -> String {
    let fields = || {
        entry
            .what
            .iter()
            .map(|f| field_label(kind, f))
            .collect::<Vec<_>>()
            .join("、")
    };
    match entry.op.as_str() {
        "create" => "新建".to_string(),
        "edit" => format!("修改：{}", fields()),
        "import" => format!("导入：{}", fields()),
        "resolve" => format!("处理冲突：{}", fields()),
        "event" => {
            let actions: Vec<String> = entry
                .what
                .iter()
                .map(|a| event_label(kind, a).map_or_else(|| a.clone(), str::to_string))
                .collect();
            format!("办理：{}", actions.join("、"))
        }
        other => format!("{other}：{}", fields()),
    }
}

/// Maps each change of `history` to who made it.
pub fn entries(
    kind: RecordKind,
    history: &[HistoryEntry],
    authors: &[Author],
    this_device: Option<&Author>,
) -> Vec<AuditEntry> {
    let by_actor: HashMap<&str, &Author> = authors
        .iter()
        .chain(this_device)
        .map(|a| (a.actor.as_str(), a))
        .collect();
    history
        .iter()
        .map(|h| {
            let who = by_actor.get(h.actor.as_str());
            AuditEntry {
                at: h.at,
                org: who.map(|a| a.org.clone()).unwrap_or_default(),
                org_name: who
                    .map(|a| a.org_name.clone())
                    .unwrap_or_else(|| "未知".to_string()),
                // The directory's user; the name written in the change if
                // the relay does not know the actor.
                user: who.map(|a| a.user.clone()).unwrap_or_else(|| h.by.clone()),
                device: who.map(|a| a.device.clone()).unwrap_or_default(),
                what: describe(kind, h),
                hash: h.hash.clone(),
                actor: h.actor.clone(),
            }
        })
        .collect()
}

impl Store {
    /// The audit trail of a record, oldest change first, from the authors
    /// known in this store.
    pub fn audit(&mut self, id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let id = self.resolve_id(id)?;
        let kind = self.get(&id)?.kind;
        let history = self.history(&id)?;
        let authors = self.known_authors()?;
        let this_device = self.remote()?.map(|r| Author {
            actor: self.actor().to_hex_string(),
            org: r.office.clone().unwrap_or_default(),
            org_name: self.office().map(|o| o.name).unwrap_or_default(),
            user: r.user.clone(),
            device: "本机".to_string(),
        });
        // The directory wins over this device's own idea of itself.
        let this_device = this_device.filter(|me| !authors.iter().any(|a| a.actor == me.actor));
        Ok(entries(kind, &history, &authors, this_device.as_ref()))
    }
}

/// Column headings of the audit report.
pub const COLUMNS: [&str; 6] = ["时间", "单位", "用户", "设备", "变更内容", "变更哈希"];

/// Writes an audit report: a title row, then one row per change.
pub fn write_xlsx(path: &Path, title: &str, entries: &[AuditEntry]) -> Result<(), AuditError> {
    let err = |source| AuditError::Write {
        path: path.display().to_string(),
        source,
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("审计记录").map_err(err)?;
    let bold = Format::new().set_bold();
    sheet
        .write_string_with_format(0, 0, title, &bold)
        .map_err(err)?;
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(1, c as u16, *h, &bold)
            .map_err(err)?;
    }
    for (i, e) in entries.iter().enumerate() {
        let r = i as u32 + 2;
        // Beijing time, as the office reads it.
        let at = match chrono::FixedOffset::east_opt(8 * 3600) {
            Some(cst) => e.at.with_timezone(&cst).format("%Y-%m-%d %H:%M:%S"),
            None => e.at.format("%Y-%m-%d %H:%M:%S"),
        }
        .to_string();
        let org = if e.org.is_empty() {
            e.org_name.clone()
        } else {
            format!("{}（{}）", e.org_name, e.org)
        };
        for (c, v) in [
            at,
            org,
            e.user.clone(),
            e.device.clone(),
            e.what.clone(),
            e.hash.clone(),
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(r, c as u16, v).map_err(err)?;
        }
    }
    for (c, w) in [20.0, 32.0, 12.0, 18.0, 40.0, 20.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(err)?;
    }
    book.save(path).map_err(err)?;
    Ok(())
}
