//! Who changed what, when: read back from the Automerge change history.

use chrono::{DateTime, Utc};

use super::{ChangeNote, RecordDoc};

pub use crate::desk::HistoryEntry;

impl RecordDoc {
    /// Every change in causal order, oldest first.
    pub fn history(&mut self) -> Vec<HistoryEntry> {
        let entries: Vec<HistoryEntry> = self
            .doc
            .get_changes_meta(&[])
            .into_iter()
            .map(|m| {
                let note = m
                    .message
                    .as_deref()
                    .and_then(|t| serde_json::from_str::<ChangeNote>(t).ok())
                    .unwrap_or(ChangeNote {
                        by: String::new(),
                        op: "unknown".into(),
                        what: vec![],
                    });
                HistoryEntry {
                    hash: m.hash.to_string(),
                    actor: m.actor.to_hex_string(),
                    seq: m.seq,
                    at: DateTime::<Utc>::from_timestamp(m.timestamp, 0)
                        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
                    by: note.by,
                    op: note.op,
                    what: note.what,
                }
            })
            .collect();
        // get_changes_meta lists changes in causal order: a change never
        // appears before one it depends on, whatever the devices' clocks say.
        entries
    }
}
