//! Records as the pages show them: list queries and pages, the whole record
//! with its deadlines and conflicts, and its history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::record::{DeadlineView, EventEnvelope, RecordKind, RecordSummary};

/// The office a store belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeInfo {
    pub code: String,
    pub name: String,
}

/// A list request: every filter is optional and they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub kind: Option<RecordKind>,
    /// Status code, e.g. "FILED".
    pub status: Option<String>,
    /// Owner office code.
    pub office: Option<String>,
    /// Only records whose next deadline has passed (paused clocks excluded).
    pub overdue: bool,
    /// Only records whose next deadline falls within N calendar days.
    pub due_within_days: Option<u32>,
    /// Text that must appear in the title, number or searchable fields
    /// (Chinese substrings of 2 characters or more use the bigram index).
    pub text: Option<String>,
    /// Include closed records (default: yes; the 工作台 passes false).
    pub open_only: bool,
    /// Include confidential annexes (never by default).
    pub include_annex: bool,
    /// Include records this device may no longer read (a revoked share, an
    /// item returned to the bureau); they are hidden by default.
    pub include_revoked: bool,
    /// Page size; default 50, at most 1000.
    pub limit: Option<usize>,
    pub offset: usize,
}

/// One page of a list and how many records match in all ("共 N 条").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordPage {
    pub rows: Vec<RecordSummary>,
    pub total: usize,
}

/// One deadline row of the deadline page and the 工作台.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlineRow {
    pub id: String,
    pub kind: RecordKind,
    pub title: String,
    pub number: Option<String>,
    pub deadline: DeadlineView,
}

/// A whole record as shown by `hongdun show` and the case-file page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordView {
    pub id: String,
    pub kind: RecordKind,
    pub office: String,
    pub schema: i64,
    pub number: Option<String>,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub fields: Map<String, Value>,
    pub events: Vec<EventEnvelope>,
    /// Events that were legal when recorded but not after a merge (e.g. two
    /// offices decided the same case offline): kept, shown, not applied.
    pub rejected_events: Vec<RejectedView>,
    /// Every deadline, running or met, with its legal basis and days left.
    pub deadlines: Vec<DeadlineView>,
    pub conflicts: Vec<FieldConflict>,
    /// Actions legal now: (action, Chinese label).
    pub allowed_actions: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RejectedView {
    pub event_id: String,
    pub reason: String,
}

/// One value of a field, with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldValue {
    pub value: Value,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A field that two people changed concurrently: every value stays visible
/// until someone chooses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    /// The value shown meanwhile (Automerge's deterministic winner) first.
    pub values: Vec<FieldValue>,
}

/// One change in a record's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Hex hash of the Automerge change (its identity in every replica).
    pub hash: String,
    /// The replica (device) that made the change.
    pub actor: String,
    /// Sequence number of the change for that actor.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    /// "create", "edit", "event", "resolve", "import"…
    pub op: String,
    /// Fields changed or the event action.
    pub what: Vec<String>,
}
