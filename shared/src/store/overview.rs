//! What the 工作台 and the month at a glance need, answered from the
//! projections: deadlines past due and due soon by kind, the 接访日 duty
//! from the office directory, and per-month counts of dated steps.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::params;

use super::{project, Store, StoreError};
use crate::deadline::Clock;
use crate::desk::dashboard::DASHBOARD_ROWS_PER_KIND;
use crate::desk::{
    Dashboard, DeadlineRow, GlanceCount, KindDeadlines, ListQuery, MonthGlance, SyncState,
};
use crate::model::{self, ReceptionDay};
use crate::record::{DeadlineState, RecordKind};

/// Running deadlines that are past due, and those due within
/// [`project::DUE_SOON_WORKDAYS`] working days, grouped by kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeadlineOverview {
    pub overdue: Vec<KindDeadlines>,
    pub due_soon: Vec<KindDeadlines>,
}

/// How many 接访 days after today the 工作台 lists.
const DUTY_NEXT: usize = 5;

impl Store {
    /// The 工作台: my open items, overdue and due-soon deadlines by kind, the
    /// 接访 duty today and next, with the sync state the caller knows.
    pub fn dashboard(&mut self, sync: SyncState) -> Result<Dashboard, StoreError> {
        let user = self.desk_user()?;
        let (my_items, my_items_total) = match &user {
            Some(name) => {
                let q = ListQuery {
                    text: Some(name.clone()),
                    open_only: true,
                    limit: Some(DASHBOARD_ROWS_PER_KIND),
                    ..ListQuery::default()
                };
                (self.list(&q)?, self.count(&q)?)
            }
            None => (Vec::new(), 0),
        };
        let overview = self.deadline_overview(DASHBOARD_ROWS_PER_KIND)?;
        let today = self.today;
        let days = self.reception_days()?;
        let duty_today = days.iter().filter(|d| d.date == today).cloned().collect();
        let duty_next = days
            .into_iter()
            .filter(|d| d.date > today)
            .take(DUTY_NEXT)
            .collect();
        Ok(Dashboard {
            office: self.office(),
            user,
            today,
            my_items,
            my_items_total,
            overdue: overview.overdue,
            due_soon: overview.due_soon,
            duty_today,
            duty_next,
            sync,
        })
    }

    /// The last day counted as "due soon": today plus the due-soon window in
    /// working days (the same window the deadline states use).
    pub fn due_soon_until(&self) -> NaiveDate {
        self.calendar
            .add_workdays(self.today, project::DUE_SOON_WORKDAYS)
            .date
    }

    /// Overdue and due-soon deadlines by kind: every one counted, the first
    /// `rows_per_kind` of each kind listed (soonest first). Paused clocks and
    /// records this device may no longer read are left out.
    pub fn deadline_overview(&self, rows_per_kind: usize) -> Result<DeadlineOverview, StoreError> {
        // Half-open ranges of due dates ("YYYY-MM-DD" compares as text):
        // overdue before today; due soon from today through the window's end.
        let today = self.today.to_string();
        let after_window = self
            .due_soon_until()
            .succ_opt()
            .unwrap_or(self.today)
            .to_string();
        let mut out = DeadlineOverview::default();
        for (overdue, a, b) in [
            (true, String::new(), today.clone()),
            (false, today.clone(), after_window),
        ] {
            let range = "d.due >= ?1 AND d.due < ?2";
            let counts: Vec<(String, i64)> = {
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT r.kind, count(DISTINCT r.id) FROM deadlines d JOIN records r ON r.id = d.record_id
                     WHERE d.met = 0 AND d.paused = 0 AND r.revoked = 0 AND {range}
                     GROUP BY r.kind"
                ))?;
                let rows = stmt.query_map(params![a, b], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<Result<Vec<_>, _>>()?
            };
            let mut groups = Vec::new();
            for (kind_text, count) in counts {
                let Ok(kind) = kind_text.parse::<RecordKind>() else {
                    continue;
                };
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT r.id, r.title, r.number, r.clocks, d.rule FROM deadlines d
                     JOIN records r ON r.id = d.record_id
                     WHERE d.met = 0 AND d.paused = 0 AND r.revoked = 0 AND r.kind = ?3
                       AND {range}
                     ORDER BY d.due, r.id LIMIT ?4"
                ))?;
                let rows = stmt.query_map(params![a, b, kind_text, rows_per_kind as i64], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })?;
                let mut listed = Vec::new();
                for row in rows {
                    let (id, title, number, clocks, rule) = row?;
                    let clocks: Vec<Clock> = serde_json::from_str(&clocks)?;
                    let Some(clock) = clocks.iter().find(|c| c.rule.as_str() == rule) else {
                        continue;
                    };
                    let deadline = crate::deadline::compute::evaluate(
                        clock,
                        &self.calendar,
                        &self.limits,
                        self.today,
                        project::DUE_SOON_WORKDAYS,
                    );
                    if deadline.state == DeadlineState::Met {
                        continue;
                    }
                    listed.push(DeadlineRow {
                        id,
                        kind,
                        title,
                        number,
                        deadline,
                    });
                }
                groups.push(KindDeadlines {
                    kind,
                    count: usize::try_from(count).unwrap_or(0),
                    rows: listed,
                });
            }
            groups.sort_by_key(|g| g.kind);
            if overdue {
                out.overdue = groups;
            } else {
                out.due_soon = groups;
            }
        }
        Ok(out)
    }

    /// The 接访日 schedule of this office: every entry of its office
    /// directory records' `reception_days`, by date.
    pub fn reception_days(&mut self) -> Result<Vec<ReceptionDay>, StoreError> {
        let Some(office) = self.office() else {
            return Ok(Vec::new());
        };
        let ids: Vec<String> = self
            .list(&ListQuery {
                kind: Some(RecordKind::Office),
                office: Some(office.code),
                limit: Some(10),
                ..ListQuery::default()
            })?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let mut days = Vec::new();
        for id in ids {
            let fields = match self.load_doc(&id) {
                Ok(doc) => doc.fields(),
                Err(StoreError::Quarantined { .. }) => continue,
                Err(e) => return Err(e),
            };
            days.extend(model::reception_days(&fields));
        }
        days.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.leader.cmp(&b.leader)));
        Ok(days)
    }

    /// The month at a glance: how many records of each kind reached each dated
    /// step (`received_on`, `filed_on`, `decided_on`, `closed_on`…) in the
    /// month of `month_start`, open records by kind and overdue ones now.
    pub fn month_glance(&self, month_start: NaiveDate) -> Result<MonthGlance, StoreError> {
        let from = month_start.with_day(1).unwrap_or(month_start);
        let to = from
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(from);
        let counts = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT t.kind, t.what, count(*) FROM record_dates t JOIN records r ON r.id = t.record_id
                 WHERE t.on_date >= ?1 AND t.on_date <= ?2 AND r.revoked = 0 AND t.kind <> 'annex'
                 GROUP BY t.kind, t.what ORDER BY t.kind, t.what",
            )?;
            let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (kind, what, count) = row?;
                if let Ok(kind) = kind.parse() {
                    out.push(GlanceCount {
                        kind,
                        what,
                        count: usize::try_from(count).unwrap_or(0),
                    });
                }
            }
            out
        };
        let mut open_now: BTreeMap<RecordKind, usize> = BTreeMap::new();
        for kind in RecordKind::ALL {
            if matches!(kind, RecordKind::Office | RecordKind::Annex) {
                continue;
            }
            let n = self.count(&ListQuery {
                kind: Some(kind),
                open_only: true,
                ..ListQuery::default()
            })?;
            open_now.insert(kind, n);
        }
        let overdue_now = self.count(&ListQuery {
            overdue: true,
            open_only: true,
            ..ListQuery::default()
        })?;
        Ok(MonthGlance {
            month: format!("{:04}-{:02}", from.year(), from.month()),
            from,
            to,
            counts,
            open_now: open_now.into_iter().collect(),
            overdue_now,
        })
    }
}
