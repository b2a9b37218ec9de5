//! Drafts: a half-filled form, kept in the store (committed like any edit) so
//! that closing the app or a crash loses nothing. Drafts stay on this device;
//! they are never synced.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::record::RecordKind;

/// A form as the clerk left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Which form: chosen by the front end, e.g. "new:case", "edit:<record id>",
    /// "event:<record id>:decide". Saving the same key replaces the draft.
    pub key: String,
    pub kind: Option<RecordKind>,
    /// The record the form edits, if any.
    #[serde(default)]
    pub record_id: Option<String>,
    /// What the draft list shows, e.g. "新案件：某超市销售过期食品".
    #[serde(default)]
    pub title: String,
    /// The form's values as typed (valid or not).
    #[serde(default)]
    pub fields: Map<String, Value>,
    /// Set by the store when saved.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A draft in the list of drafts (without its values).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftInfo {
    pub key: String,
    pub kind: Option<RecordKind>,
    pub record_id: Option<String>,
    pub title: String,
    pub updated_at: DateTime<Utc>,
}
