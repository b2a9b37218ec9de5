//! Lists, search and the deadline page, answered from the projections.

use chrono::{DateTime, Utc};
use rusqlite::types::Value as SqlValue;

use super::project;
use super::{Store, StoreError};
use crate::deadline::Clock;
use crate::record::{DeadlineState, RecordKind, RecordSummary};

pub use crate::desk::{DeadlineRow, ListQuery, RecordPage};

pub const DEFAULT_PAGE: usize = 50;
pub const MAX_PAGE: usize = 1000;

impl ListQuery {
    /// The WHERE clause and its parameters.
    fn filter(&self, store: &Store) -> (String, Vec<SqlValue>) {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(kind) = self.kind {
            args.push(SqlValue::Text(kind.as_str().into()));
            clauses.push(format!("r.kind = ?{}", args.len()));
        } else if !self.include_annex {
            clauses.push("r.kind <> 'annex'".into());
        }
        if !self.include_revoked {
            clauses.push("r.revoked = 0".into());
        }
        if let Some(status) = &self.status {
            args.push(SqlValue::Text(status.clone()));
            clauses.push(format!("r.status = ?{}", args.len()));
        }
        if let Some(office) = &self.office {
            args.push(SqlValue::Text(office.clone()));
            clauses.push(format!("r.office = ?{}", args.len()));
        }
        if self.open_only {
            clauses.push("r.closed = 0".into());
        }
        let today = store.today();
        if self.overdue {
            args.push(SqlValue::Text(today.to_string()));
            clauses.push(format!(
                "r.next_due IS NOT NULL AND r.next_paused = 0 AND r.next_due < ?{}",
                args.len()
            ));
        }
        if let Some(days) = self.due_within_days {
            let until = today + chrono::Days::new(u64::from(days));
            args.push(SqlValue::Text(today.to_string()));
            let a = args.len();
            args.push(SqlValue::Text(until.to_string()));
            clauses.push(format!(
                "r.next_due IS NOT NULL AND r.next_due >= ?{a} AND r.next_due <= ?{}",
                args.len()
            ));
        }
        if let Some(text) = self.search_text() {
            if let Some(expr) = super::search::match_expr(text) {
                args.push(SqlValue::Text(expr));
                clauses.push(format!(
                    "r.rowid IN (SELECT rowid FROM search WHERE search MATCH ?{})",
                    args.len()
                ));
            }
            // The index finds candidates; the exact substring decides.
            args.push(SqlValue::Text(text.to_string()));
            let n = args.len();
            clauses.push(format!(
                "(instr(r.title, ?{n}) > 0 OR instr(coalesce(r.number, ''), ?{n}) > 0 OR instr(r.search_text, ?{n}) > 0)"
            ));
        }
        let where_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        (where_sql, args)
    }
}

/// The rows a page of `q` holds at most.
fn page_rows(q: &ListQuery) -> usize {
    q.limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE)
}

impl Store {
    /// One page of records, most recently changed first.
    pub fn list(&self, q: &ListQuery) -> Result<Vec<RecordSummary>, StoreError> {
        let (where_sql, mut args) = q.filter(self);
        let limit = page_rows(q);
        args.push(SqlValue::Integer(limit as i64));
        let l = args.len();
        args.push(SqlValue::Integer(q.offset as i64));
        let o = args.len();
        let order = if q.overdue || q.due_within_days.is_some() {
            "r.next_due ASC, r.updated_at DESC"
        } else {
            "r.updated_at DESC"
        };
        let sql = format!(
            "SELECT r.id, r.kind, r.office, r.number, r.title, r.status, r.status_label,
                    r.conflicts, r.updated_at, r.clocks, r.closed
             FROM records r {where_sql} ORDER BY {order} LIMIT ?{l} OFFSET ?{o}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, String>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, office, number, title, status, status_label, conflicts, updated, clocks) =
                row?;
            let clocks: Vec<Clock> = serde_json::from_str(&clocks)?;
            out.push(RecordSummary {
                id,
                kind: kind
                    .parse()
                    .map_err(|e: crate::record::UnknownKind| StoreError::Invalid(e.to_string()))?,
                office,
                number,
                title,
                status,
                status_label,
                next_deadline: project::next_view(
                    &clocks,
                    &self.calendar,
                    &self.limits,
                    self.today,
                ),
                conflicts: usize::try_from(conflicts).unwrap_or(0),
                updated_at: DateTime::<Utc>::from_timestamp_millis(updated)
                    .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
            });
        }
        Ok(out)
    }

    /// How many records match, exactly (however long it takes).
    pub fn count(&self, q: &ListQuery) -> Result<usize, StoreError> {
        let (where_sql, args) = q.filter(self);
        let sql = format!("SELECT count(*) FROM records r {where_sql}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// How many records match, counting no further than `cap`: `(cap, true)`
    /// when more match. SQLite stops reading at the inner LIMIT, so a broad
    /// search costs about as much as reading `cap` rows.
    pub fn count_up_to(&self, q: &ListQuery, cap: usize) -> Result<(usize, bool), StoreError> {
        let (where_sql, mut args) = q.filter(self);
        args.push(SqlValue::Integer(
            i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX),
        ));
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM records r {where_sql} LIMIT ?{})",
            args.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        let n = usize::try_from(n).unwrap_or(0);
        Ok(if n > cap { (cap, true) } else { (n, false) })
    }

    /// One page of a list and its "共 N 条", as every list shows them: a
    /// search counts only up to [`ListQuery::count_cap`], other lists count
    /// exactly.
    pub fn page(&self, q: &ListQuery) -> Result<RecordPage, StoreError> {
        let rows = self.list(q)?;
        let (total, capped) = match q.count_cap(page_rows(q)) {
            Some(cap) => self.count_up_to(q, cap)?,
            None => (self.count(q)?, false),
        };
        Ok(RecordPage {
            rows,
            total,
            capped,
        })
    }

    /// Every running deadline due on or before `today + within_days` (and all
    /// overdue ones), soonest first, with its state as of today.
    pub fn deadlines(
        &self,
        within_days: u32,
        kind: Option<RecordKind>,
    ) -> Result<Vec<DeadlineRow>, StoreError> {
        let until = self.today + chrono::Days::new(u64::from(within_days));
        let mut sql = String::from(
            "SELECT r.id, r.kind, r.title, r.number, r.clocks, d.rule
             FROM deadlines d JOIN records r ON r.id = d.record_id
             WHERE d.met = 0 AND d.due <= ?1",
        );
        let mut args: Vec<SqlValue> = vec![SqlValue::Text(until.to_string())];
        if let Some(k) = kind {
            args.push(SqlValue::Text(k.as_str().into()));
            sql.push_str(" AND r.kind = ?2");
        }
        sql.push_str(" ORDER BY d.due, r.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, title, number, clocks, rule) = row?;
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
            out.push(DeadlineRow {
                id,
                kind: kind
                    .parse()
                    .map_err(|e: crate::record::UnknownKind| StoreError::Invalid(e.to_string()))?,
                title,
                number,
                deadline,
            });
        }
        Ok(out)
    }
}
