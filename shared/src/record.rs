//! Types shared by every layer and across the wasm boundary: record kinds,
//! workflow event envelopes and the views the UI, CLI and relay show.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::deadline::RuleId;

/// What a record (one Automerge document) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 案源/线索 — a lead, before the filing decision.
    Lead,
    /// 行政处罚案件 — a penalty case (normal or simple procedure).
    Case,
    /// 投诉 — a consumer complaint (12315).
    Complaint,
    /// 举报 — a report of a violation (12315).
    Report,
    /// 信访事项 — a petition.
    Petition,
    /// 专项行动 — a campaign.
    Campaign,
    /// 检查记录 — one inspection, usually within a campaign.
    Inspection,
    /// 机构与人员 — the office directory: org units and officers.
    Office,
    /// 保密附件 — the confidential annex: an informant's or complainant's
    /// identity. Never leaves the office and the bureau.
    Annex,
}

impl RecordKind {
    pub const ALL: [RecordKind; 9] = [
        RecordKind::Lead,
        RecordKind::Case,
        RecordKind::Complaint,
        RecordKind::Report,
        RecordKind::Petition,
        RecordKind::Campaign,
        RecordKind::Inspection,
        RecordKind::Office,
        RecordKind::Annex,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Lead => "lead",
            RecordKind::Case => "case",
            RecordKind::Complaint => "complaint",
            RecordKind::Report => "report",
            RecordKind::Petition => "petition",
            RecordKind::Campaign => "campaign",
            RecordKind::Inspection => "inspection",
            RecordKind::Office => "office",
            RecordKind::Annex => "annex",
        }
    }

    /// The Chinese name shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Lead => "案源",
            RecordKind::Case => "案件",
            RecordKind::Complaint => "投诉",
            RecordKind::Report => "举报",
            RecordKind::Petition => "信访",
            RecordKind::Campaign => "专项行动",
            RecordKind::Inspection => "检查",
            RecordKind::Office => "机构",
            RecordKind::Annex => "保密附件",
        }
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind name was not one of [`RecordKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown record kind `{0}`; use one of lead, case, complaint, report, petition, campaign, inspection, office, annex")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for RecordKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RecordKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// One workflow event as stored (immutably) in a record document's event list.
/// Status and deadlines are derived by folding the events in [`EventEnvelope::order_key`]
/// order, so concurrent offline transitions merge deterministically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    /// Unique id (uuid), also the final tie-breaker when ordering.
    pub id: String,
    /// The action, e.g. "file" (立案), "decide" (决定); see the model's action tables.
    pub action: String,
    /// The legal date of the act (a local date), e.g. the day the decision was served.
    pub on: NaiveDate,
    /// When it was recorded (UTC).
    pub at: DateTime<Utc>,
    /// Who recorded it (user id or officer name).
    pub by: String,
    /// Action-specific parameters (approver, amounts, reasons…).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub params: Map<String, Value>,
}

impl EventEnvelope {
    /// Events are applied in the order of the legal date, then the recording
    /// time, then the id: the same order on every replica.
    pub fn order_key(&self) -> (NaiveDate, DateTime<Utc>, &str) {
        (self.on, self.at, self.id.as_str())
    }
}

/// Where a deadline stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// 正常 — more than the due-soon window left.
    OnTime,
    /// 临期 — due within the due-soon window (3 working days by default).
    DueSoon,
    /// 超期 — past the due date and not met.
    Overdue,
    /// 暂停 — the clock is stopped by an open pause.
    Paused,
    /// 已完成 — the act was done (on or before `due`, or late: see `late`).
    Met,
}

impl DeadlineState {
    pub fn label(self) -> &'static str {
        match self {
            DeadlineState::OnTime => "正常",
            DeadlineState::DueSoon => "临期",
            DeadlineState::Overdue => "超期",
            DeadlineState::Paused => "暂停计时",
            DeadlineState::Met => "已完成",
        }
    }
}

/// A deadline as shown to a person: the due date, its legal basis, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineView {
    pub rule: RuleId,
    /// Short Chinese name of the limit, e.g. "作出处罚决定".
    pub name: String,
    pub due: NaiveDate,
    /// Legal basis, e.g. "《行政处罚法》第六十条：自立案之日起九十日内作出".
    pub basis: String,
    /// True when the due date falls after the last published holiday schedule
    /// (weekends and fixed statutory holidays only); recomputed when it arrives.
    pub provisional: bool,
    pub state: DeadlineState,
    /// Working or calendar days left (negative when overdue), in the rule's unit.
    pub days_left: i64,
    /// True if the limit was met after its due date.
    #[serde(default)]
    pub late: bool,
}

/// One row of a record list: what the list, search and deadline pages show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordSummary {
    pub id: String,
    pub kind: RecordKind,
    /// Owner office code.
    pub office: String,
    /// Register number (立案号, 投诉编号 …), if any.
    pub number: Option<String>,
    pub title: String,
    /// Status code, e.g. "FILED".
    pub status: String,
    /// Status in Chinese, e.g. "已立案".
    pub status_label: String,
    /// The next deadline still running, if any.
    pub next_deadline: Option<DeadlineView>,
    /// Number of fields with unresolved concurrent edits.
    pub conflicts: usize,
    pub updated_at: DateTime<Utc>,
}
