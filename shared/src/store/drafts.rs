//! Drafts of forms, kept in the store so a crash or closing the app loses
//! nothing typed. A save commits like any edit (WAL, synchronous=FULL) and
//! returns only after the commit. Drafts never leave this device.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{ms, Store, StoreError};
use crate::desk::{Draft, DraftInfo};
use crate::record::RecordKind;

fn kind_of(text: Option<String>) -> Option<RecordKind> {
    text.and_then(|k| k.parse().ok())
}

fn at_of(millis: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(millis).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

impl Store {
    /// Saves (or replaces) the draft under its key; returns once committed.
    pub fn save_draft(&self, draft: &Draft) -> Result<DraftInfo, StoreError> {
        let key = draft.key.trim();
        if key.is_empty() {
            return Err(StoreError::Invalid("draft key: give the form's key".into()));
        }
        let now = Utc::now();
        self.conn.execute(
            "INSERT INTO drafts(key, kind, record_id, title, fields, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(key) DO UPDATE SET kind = ?2, record_id = ?3, title = ?4,
                                            fields = ?5, updated_at = ?6",
            params![
                key,
                draft.kind.map(RecordKind::as_str),
                draft.record_id,
                draft.title,
                serde_json::to_string(&draft.fields)?,
                ms(now),
            ],
        )?;
        Ok(DraftInfo {
            key: key.to_string(),
            kind: draft.kind,
            record_id: draft.record_id.clone(),
            title: draft.title.clone(),
            updated_at: at_of(ms(now)),
        })
    }

    /// The draft saved under `key`, if any.
    pub fn load_draft(&self, key: &str) -> Result<Option<Draft>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT key, kind, record_id, title, fields, updated_at FROM drafts WHERE key = ?1",
                [key.trim()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((key, kind, record_id, title, fields, at)) = row else {
            return Ok(None);
        };
        Ok(Some(Draft {
            key,
            kind: kind_of(kind),
            record_id,
            title,
            fields: serde_json::from_str(&fields)?,
            updated_at: Some(at_of(at)),
        }))
    }

    /// Every draft, most recently saved first.
    pub fn list_drafts(&self) -> Result<Vec<DraftInfo>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, kind, record_id, title, updated_at FROM drafts ORDER BY updated_at DESC, key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DraftInfo {
                key: r.get(0)?,
                kind: kind_of(r.get(1)?),
                record_id: r.get(2)?,
                title: r.get(3)?,
                updated_at: at_of(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Forgets the draft under `key` (after the form was stored, or the clerk
    /// threw it away). No draft under that key is not an error.
    pub fn discard_draft(&self, key: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM drafts WHERE key = ?1", [key.trim()])?;
        Ok(())
    }
}
