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

/// A search counts its matches for "共 N 条" only this far past the page it
/// shows. Counting every match of a broad 1–2 character query (`2`, `传`:
/// 7,000–29,000 records of 100k) cost most of a keystroke's time, and a
/// clerk reads "1000+" the same way as "29000": search more narrowly. Lists
/// without a search text keep their exact count (an index answers them).
pub const SEARCH_COUNT_CAP: usize = 1000;

/// One page of a list and how many records match in all ("共 N 条").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordPage {
    pub rows: Vec<RecordSummary>,
    /// How many records match; only a lower bound when `capped`.
    pub total: usize,
    /// True when counting stopped at the cap (see [`ListQuery::count_cap`]):
    /// more than `total` records match ("共 1000+ 条").
    #[serde(default)]
    pub capped: bool,
}

impl ListQuery {
    /// The search text, trimmed; `None` when there is none.
    pub fn search_text(&self) -> Option<&str> {
        self.text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    /// How far to count the matches of this query, or `None` to count them
    /// all. A search counts up to [`SEARCH_COUNT_CAP`], or to the end of the
    /// page asked for when that lies further, so the pager can always tell
    /// whether a next page exists.
    pub fn count_cap(&self, page_rows: usize) -> Option<usize> {
        self.search_text()?;
        Some(SEARCH_COUNT_CAP.max(self.offset.saturating_add(page_rows)))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_search_counts_up_to_a_cap_which_reaches_past_the_page_shown() {
        let mut q = ListQuery::default();
        assert_eq!(q.count_cap(100), None, "a plain list counts exactly");
        q.text = Some("  ".into());
        assert_eq!(q.count_cap(100), None, "blank text is no search");
        q.text = Some("茅台".into());
        assert_eq!(q.count_cap(100), Some(SEARCH_COUNT_CAP));
        q.offset = 1000;
        assert_eq!(
            q.count_cap(100),
            Some(1100),
            "paging past the cap still tells whether a next page exists"
        );
    }

    #[test]
    fn a_page_from_an_older_front_end_or_shell_reads_as_not_capped() {
        let page: RecordPage = serde_json::from_str(r#"{"rows":[],"total":7}"#).expect("json");
        assert_eq!((page.total, page.capped), (7, false));
    }
}
