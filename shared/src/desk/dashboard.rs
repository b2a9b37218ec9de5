//! The 工作台 (what needs doing now) and the month at a glance.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::sync::SyncState;
use super::views::{DeadlineRow, OfficeInfo};
use crate::model::ReceptionDay;
use crate::record::{RecordKind, RecordSummary};

/// How many rows of each kind the 工作台 lists; the counts cover them all.
pub const DASHBOARD_ROWS_PER_KIND: usize = 20;

/// The 工作台.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub office: Option<OfficeInfo>,
    /// The current user (设置), whose items are listed.
    pub user: Option<String>,
    /// The day deadlines are computed for.
    pub today: NaiveDate,
    /// Open records naming the current user (办案人员, 包案领导, 承办人…),
    /// most recently changed first.
    pub my_items: Vec<RecordSummary>,
    pub my_items_total: usize,
    /// 超期: running deadlines past their due date, by kind.
    pub overdue: Vec<KindDeadlines>,
    /// 临期: running deadlines due within 3 working days, by kind.
    pub due_soon: Vec<KindDeadlines>,
    /// Today's 接访 duty from the office directory's schedule.
    pub duty_today: Vec<ReceptionDay>,
    /// The next scheduled 接访 days after today (at most 5).
    pub duty_next: Vec<ReceptionDay>,
    pub sync: SyncState,
}

/// The deadlines of one kind: how many in all, and the first of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindDeadlines {
    pub kind: RecordKind,
    pub count: usize,
    /// Soonest first, at most [`DASHBOARD_ROWS_PER_KIND`].
    pub rows: Vec<DeadlineRow>,
}

/// 统计 — the office's month at a glance (the full bulletin is elsewhere).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthGlance {
    /// "YYYY-MM".
    pub month: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Records with a dated step in the month, per kind and step.
    pub counts: Vec<GlanceCount>,
    /// Open records now, per kind.
    pub open_now: Vec<(RecordKind, usize)>,
    /// Records whose next deadline has passed, now.
    pub overdue_now: usize,
}

/// How many records of `kind` reached step `what` in the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlanceCount {
    pub kind: RecordKind,
    /// The model's date key: `received_on`, `filed_on`, `decided_on`,
    /// `closed_on`… (see `model::Derived::dates`).
    pub what: String,
    pub count: usize,
}
