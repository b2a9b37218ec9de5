//! One Automerge document per record (DESIGN.md decision 1).
//!
//! Layout of every record document (schema version [`SCHEMA_VERSION`]):
//!
//! ```text
//! ROOT {
//!   schema: 1            // bumped when the layout changes; readers refuse newer ones
//!   id, kind, office     // the record's identity and owner office (set once, at creation)
//!   fields: {            // plain fields, merged per field
//!     <name>: { v: "<JSON text>", by: "<user>", at: <unix ms> }
//!   }
//!   events: [ "<JSON EventEnvelope>", … ]   // append-only workflow events
//!   "attachment:<sha256>": "<JSON AttachmentRef>"   // one key per attached file
//! }
//! ```
//!
//! Attachments are references only (the bytes live in the blob area, see
//! `crate::attachment`). Each is its own root key, not an entry of a shared
//! map: two devices attaching different files offline never create the same
//! object concurrently, so neither reference can hide the other.
//!
//! Each field value is written as a fresh map object holding the value with
//! its author and time. When two replicas write the same field concurrently,
//! Automerge keeps both objects as a conflict; [`RecordDoc::conflicts`] shows
//! every value with who wrote it and when, and the next write of that field
//! (a person choosing) supersedes them all. Events are immutable JSON strings
//! in a list: concurrent appends both survive, and the model folds them in
//! [`EventEnvelope::order_key`] order, so every replica derives the same status.

mod history;

pub use history::HistoryEntry;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::attachment::AttachmentRef;
use crate::record::{EventEnvelope, RecordKind};

/// Root keys of attachment references: `attachment:<sha256>`.
const ATTACHMENT_PREFIX: &str = "attachment:";

/// Version of the document layout written by this build.
pub const SCHEMA_VERSION: i64 = 1;

/// What can go wrong with a record document.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("the document bytes are corrupt or truncated: {0}")]
    Corrupt(String),
    #[error("the document has no `{0}`; it is not a Hongdun record")]
    Missing(&'static str),
    #[error("the document was written by a newer Hongdun (schema {found}, this build reads up to {SCHEMA_VERSION}); update Hongdun")]
    NewerSchema { found: i64 },
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

pub use crate::desk::{FieldConflict, FieldValue};

/// What a change to a document did, stored as the change's message so the
/// history can say who changed what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeNote {
    pub by: String,
    /// e.g. "create", "edit", "event", "resolve".
    pub op: String,
    /// Field names changed, or the event action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub what: Vec<String>,
}

/// A record held as an Automerge document.
pub struct RecordDoc {
    doc: AutoCommit,
}

impl std::fmt::Debug for RecordDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordDoc")
            .field("id", &self.id())
            .field("kind", &self.kind().ok())
            .finish()
    }
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

impl RecordDoc {
    /// A new record document. `actor` identifies this device's replica.
    pub fn create(
        actor: &ActorId,
        id: &str,
        kind: RecordKind,
        office: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<RecordDoc, DocError> {
        let mut doc = AutoCommit::new();
        doc.set_actor(actor.clone());
        doc.put(ROOT, "schema", SCHEMA_VERSION)?;
        doc.put(ROOT, "id", id)?;
        doc.put(ROOT, "kind", kind.as_str())?;
        doc.put(ROOT, "office", office)?;
        doc.put_object(ROOT, "fields", ObjType::Map)?;
        doc.put_object(ROOT, "events", ObjType::List)?;
        let mut rd = RecordDoc { doc };
        rd.commit(
            ChangeNote {
                by: by.to_string(),
                op: "create".into(),
                what: vec![],
            },
            at,
        )?;
        Ok(rd)
    }

    /// Loads a document saved with [`RecordDoc::save`] (optionally followed by
    /// incremental change bytes), checking that it is a Hongdun record this
    /// build can read.
    pub fn load(bytes: &[u8], actor: &ActorId) -> Result<RecordDoc, DocError> {
        let mut doc = AutoCommit::load(bytes).map_err(|e| DocError::Corrupt(e.to_string()))?;
        doc.set_actor(actor.clone());
        let rd = RecordDoc { doc };
        rd.check()?;
        Ok(rd)
    }

    /// Applies saved change bytes (from [`RecordDoc::save_incremental`] or
    /// another replica) to this document.
    pub fn apply(&mut self, bytes: &[u8]) -> Result<usize, DocError> {
        let n = self
            .doc
            .load_incremental(bytes)
            .map_err(|e| DocError::Corrupt(e.to_string()))?;
        self.check()?;
        Ok(n)
    }

    /// Merges another replica of the same record into this one.
    pub fn merge(&mut self, other: &mut RecordDoc) -> Result<(), DocError> {
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    fn check(&self) -> Result<(), DocError> {
        let schema = self
            .scalar(&ROOT, "schema")
            .and_then(|s| s.as_i64())
            .ok_or(DocError::Missing("schema"))?;
        if schema > SCHEMA_VERSION {
            return Err(DocError::NewerSchema { found: schema });
        }
        for key in ["id", "kind", "office"] {
            if self.str_at(&ROOT, key).is_none() {
                return Err(DocError::Missing(match key {
                    "id" => "id",
                    "kind" => "kind",
                    _ => "office",
                }));
            }
        }
        self.kind()?;
        self.obj(&ROOT, "fields")
            .ok_or(DocError::Missing("fields"))?;
        self.obj(&ROOT, "events")
            .ok_or(DocError::Missing("events"))?;
        Ok(())
    }

    fn scalar(&self, obj: &ObjId, key: &str) -> Option<ScalarValue> {
        match self.doc.get(obj, key) {
            Ok(Some((Value::Scalar(s), _))) => Some(s.into_owned()),
            _ => None,
        }
    }

    fn str_at(&self, obj: &ObjId, key: &str) -> Option<String> {
        self.scalar(obj, key)
            .and_then(|s| s.as_str().map(str::to_string))
    }

    fn obj(&self, obj: &ObjId, key: &str) -> Option<ObjId> {
        match self.doc.get(obj, key) {
            Ok(Some((Value::Object(_), id))) => Some(id),
            _ => None,
        }
    }

    /// The schema version stored in the document.
    pub fn schema(&self) -> i64 {
        self.scalar(&ROOT, "schema")
            .and_then(|s| s.as_i64())
            .unwrap_or(0)
    }

    pub fn id(&self) -> String {
        self.str_at(&ROOT, "id").unwrap_or_default()
    }

    pub fn kind(&self) -> Result<RecordKind, DocError> {
        let k = self
            .str_at(&ROOT, "kind")
            .ok_or(DocError::Missing("kind"))?;
        k.parse()
            .map_err(|_| DocError::Corrupt(format!("unknown record kind `{k}`")))
    }

    /// The owner office code.
    pub fn office(&self) -> String {
        self.str_at(&ROOT, "office").unwrap_or_default()
    }

    fn fields_obj(&self) -> Result<ObjId, DocError> {
        self.obj(&ROOT, "fields").ok_or(DocError::Missing("fields"))
    }

    fn events_obj(&self) -> Result<ObjId, DocError> {
        self.obj(&ROOT, "events").ok_or(DocError::Missing("events"))
    }

    fn read_field_value(&self, obj: &ObjId) -> Option<FieldValue> {
        let text = self.str_at(obj, "v")?;
        let value = serde_json::from_str(&text).ok()?;
        Some(FieldValue {
            value,
            by: self.str_at(obj, "by").unwrap_or_default(),
            at: from_millis(self.scalar(obj, "at").and_then(|s| s.as_i64()).unwrap_or(0)),
        })
    }

    /// Every value currently visible for one field (more than one when there is
    /// an unresolved conflict), the deterministic winner first.
    pub fn field_values(&self, name: &str) -> Vec<FieldValue> {
        let Ok(fields) = self.fields_obj() else {
            return vec![];
        };
        let Ok(all) = self.doc.get_all(&fields, name) else {
            return vec![];
        };
        let mut out: Vec<FieldValue> = all
            .into_iter()
            .filter_map(|(v, id)| match v {
                Value::Object(ObjType::Map) => self.read_field_value(&id),
                _ => None,
            })
            .collect();
        // get_all lists values in op order; Automerge's winner is the last one.
        out.reverse();
        out
    }

    /// The current value of every field (the winner where there is a conflict).
    pub fn fields(&self) -> Map<String, Json> {
        let mut out = Map::new();
        let Ok(fields) = self.fields_obj() else {
            return out;
        };
        for key in self.doc.keys(&fields) {
            if let Ok(Some((Value::Object(ObjType::Map), id))) = self.doc.get(&fields, &key) {
                if let Some(fv) = self.read_field_value(&id) {
                    out.insert(key, fv.value);
                }
            }
        }
        out
    }

    /// Fields that two people changed concurrently.
    pub fn conflicts(&self) -> Vec<FieldConflict> {
        let Ok(fields) = self.fields_obj() else {
            return vec![];
        };
        self.doc
            .keys(&fields)
            .filter_map(|key| {
                let values = self.field_values(&key);
                (values.len() > 1).then_some(FieldConflict { field: key, values })
            })
            .collect()
    }

    /// Sets (or, with `Json::Null`, removes) fields in one change. Writing a
    /// field that is in conflict resolves the conflict with the new value.
    pub fn set_fields(
        &mut self,
        patch: &Map<String, Json>,
        by: &str,
        at: DateTime<Utc>,
        op: &str,
    ) -> Result<(), DocError> {
        let fields = self.fields_obj()?;
        for (name, value) in patch {
            if value.is_null() {
                self.doc.delete(&fields, name.as_str())?;
                continue;
            }
            let obj = self.doc.put_object(&fields, name.as_str(), ObjType::Map)?;
            self.doc.put(&obj, "v", serde_json::to_string(value)?)?;
            self.doc.put(&obj, "by", by)?;
            self.doc.put(&obj, "at", millis(at))?;
        }
        self.commit(
            ChangeNote {
                by: by.to_string(),
                op: op.to_string(),
                what: patch.keys().cloned().collect(),
            },
            at,
        )
    }

    /// The workflow events, in list order (the model sorts them itself).
    /// An entry that does not parse is skipped.
    pub fn events(&self) -> Vec<EventEnvelope> {
        let Ok(events) = self.events_obj() else {
            return vec![];
        };
        self.doc
            .list_range(&events, ..)
            .filter_map(|item| match Value::from(item.value) {
                Value::Scalar(s) => s
                    .as_str()
                    .and_then(|t| serde_json::from_str::<EventEnvelope>(t).ok()),
                _ => None,
            })
            .collect()
    }

    /// Appends a workflow event in one change.
    pub fn append_event(&mut self, event: &EventEnvelope) -> Result<(), DocError> {
        let events = self.events_obj()?;
        let len = self.doc.length(&events);
        self.doc
            .insert(&events, len, serde_json::to_string(event)?)?;
        self.commit(
            ChangeNote {
                by: event.by.clone(),
                op: "event".into(),
                what: vec![event.action.clone()],
            },
            event.at,
        )
    }

    fn commit(&mut self, note: ChangeNote, at: DateTime<Utc>) -> Result<(), DocError> {
        let message = serde_json::to_string(&note)?;
        self.doc.commit_with(
            CommitOptions::default()
                .with_message(message)
                .with_time(at.timestamp()),
        );
        Ok(())
    }

    /// The attachments this record references, by name.
    pub fn attachments(&self) -> Vec<AttachmentRef> {
        let mut out: Vec<AttachmentRef> = self
            .doc
            .keys(ROOT)
            .filter(|k| k.starts_with(ATTACHMENT_PREFIX))
            .filter_map(|k| self.str_at(&ROOT, &k))
            .filter_map(|text| serde_json::from_str::<AttachmentRef>(&text).ok())
            .collect();
        out.sort_by(|a, b| a.added_at.cmp(&b.added_at).then(a.name.cmp(&b.name)));
        out
    }

    /// References an attachment in one change (again: renames it).
    pub fn add_attachment(&mut self, r: &AttachmentRef) -> Result<(), DocError> {
        let key = format!("{ATTACHMENT_PREFIX}{}", r.sha256);
        self.doc
            .put(ROOT, key.as_str(), serde_json::to_string(r)?)?;
        self.commit(
            ChangeNote {
                by: r.added_by.clone(),
                op: "attach".into(),
                what: vec![r.name.clone()],
            },
            r.added_at,
        )
    }

    /// Removes the reference to an attachment; false if there was none.
    pub fn remove_attachment(
        &mut self,
        sha256: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, DocError> {
        let key = format!("{ATTACHMENT_PREFIX}{sha256}");
        let Some(text) = self.str_at(&ROOT, &key) else {
            return Ok(false);
        };
        let name = serde_json::from_str::<AttachmentRef>(&text)
            .map(|r| r.name)
            .unwrap_or_default();
        self.doc.delete(ROOT, key.as_str())?;
        self.commit(
            ChangeNote {
                by: by.to_string(),
                op: "detach".into(),
                what: vec![name],
            },
            at,
        )?;
        Ok(true)
    }

    /// The whole document, compressed.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// The changes made since the last `save` or `save_incremental`.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        self.doc.save_incremental()
    }

    /// The current heads (hashes) of the document's history.
    pub fn heads(&mut self) -> Vec<automerge::ChangeHash> {
        self.doc.get_heads()
    }

    /// Direct access for the sync engine.
    pub fn automerge_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }
}

#[cfg(test)]
mod tests;
