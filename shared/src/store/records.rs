//! Record operations: create, edit, workflow events, show, history, and the
//! JSON Lines import/export format of docs/RECORDS.md.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::project::{self, Projection};
use super::{ms, Store, StoreError};
use crate::doc::{HistoryEntry, RecordDoc};
use crate::model;
use crate::record::{EventEnvelope, RecordKind};
use crate::stats::Facts;

pub use crate::desk::{RecordView, RejectedView};

/// One line of the JSON Lines record format (docs/RECORDS.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordExport {
    pub id: String,
    pub kind: RecordKind,
    /// Owner office code; defaults to the store's office on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    #[serde(default)]
    pub fields: Map<String, Value>,
    #[serde(default)]
    pub events: Vec<EventEnvelope>,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub events_added: usize,
}

pub(super) fn delete_projection(tx: &Connection, id: &str) -> Result<(), rusqlite::Error> {
    tx.execute(
        "DELETE FROM search WHERE rowid = (SELECT rowid FROM records WHERE id = ?1)",
        [id],
    )?;
    tx.execute("DELETE FROM records WHERE id = ?1", [id])?;
    tx.execute("DELETE FROM deadlines WHERE record_id = ?1", [id])?;
    tx.execute("DELETE FROM stat_facts WHERE record_id = ?1", [id])?;
    tx.execute("DELETE FROM record_dates WHERE record_id = ?1", [id])?;
    Ok(())
}

pub(super) fn write_projection(
    tx: &Connection,
    p: &Projection,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    delete_projection(tx, &p.id)?;
    let next = p.next_due();
    tx.execute(
        "INSERT INTO records(id, kind, office, number, title, status, status_label, closed,
                             conflicts, updated_at, next_due, next_paused, clocks, search_text, revoked)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                 coalesce((SELECT revoked FROM sync_docs WHERE doc_id = ?1), 0))",
        params![
            p.id,
            p.kind.as_str(),
            p.office,
            p.number,
            p.title,
            p.derived.status,
            p.derived.status_label,
            p.derived.closed,
            p.conflicts as i64,
            ms(now),
            next.map(|d| d.due.to_string()),
            next.is_some_and(|d| d.paused),
            serde_json::to_string(&p.derived.clocks)?,
            p.search_text,
        ],
    )?;
    let rowid = tx.last_insert_rowid();
    let grams = search_grams(&p.title, p.number.as_deref().unwrap_or(""), &p.search_text);
    tx.execute(
        "INSERT INTO search(rowid, grams) VALUES (?1, ?2)",
        params![rowid, grams],
    )?;
    let mut dates = tx.prepare_cached(
        "INSERT INTO record_dates(record_id, kind, what, on_date) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (what, on) in &p.derived.dates {
        dates.execute(params![p.id, p.kind.as_str(), what, on.to_string()])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO deadlines(record_id, rule, due, paused, met) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for d in &p.dues {
        stmt.execute(params![
            p.id,
            d.clock.rule.as_str(),
            d.due.to_string(),
            d.paused,
            d.met || p.derived.closed
        ])?;
    }
    if let Some(f) = p.facts() {
        if let Some((first, last)) = f.span() {
            tx.prepare_cached(
                "INSERT INTO stat_facts(record_id, kind, office, first_on, last_on, facts)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                p.id,
                p.kind.as_str(),
                p.office,
                first.to_string(),
                last.to_string(),
                serde_json::to_string(&f)?
            ])?;
        }
    }
    Ok(())
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn validate_patch(kind: RecordKind, patch: &Map<String, Value>) -> Result<(), StoreError> {
    for (name, value) in patch {
        if value.is_null() {
            continue;
        }
        model::validate_field(kind, name, value).map_err(|e| StoreError::Invalid(e.to_string()))?;
    }
    Ok(())
}

/// A whole record (create, import) checked with the model's rules; every
/// failing field is named in one message.
fn validate_whole(kind: RecordKind, fields: &Map<String, Value>) -> Result<(), StoreError> {
    model::validate_record(kind, fields).map_err(|errs| {
        StoreError::Invalid(
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

impl Store {
    /// Creates a record owned by this store's office and returns its id once
    /// stored.
    pub fn create(
        &mut self,
        kind: RecordKind,
        fields: &Map<String, Value>,
        by: &str,
    ) -> Result<String, StoreError> {
        let office = self.office_code()?;
        validate_whole(kind, fields)?;
        let id = new_id();
        self.create_with_id(&id, kind, &office, fields, &[], by, Utc::now())?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    fn create_with_id(
        &mut self,
        id: &str,
        kind: RecordKind,
        office: &str,
        fields: &Map<String, Value>,
        events: &[EventEnvelope],
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut doc = RecordDoc::create(&self.actor, id, kind, office, by, at)?;
        if !fields.is_empty() {
            doc.set_fields(fields, by, at, "create")?;
        }
        for e in events {
            doc.append_event(e)?;
        }
        self.cache.insert(id.to_string(), doc);
        self.persist(id, true)
    }

    /// Changes fields (null removes one). Each value is checked with the
    /// model's rules first; nothing is written if one is invalid.
    pub fn edit(
        &mut self,
        id: &str,
        patch: &Map<String, Value>,
        by: &str,
    ) -> Result<(), StoreError> {
        self.edit_op(id, patch, by, "edit")
    }

    /// Chooses a value for a field two people changed concurrently.
    pub fn resolve(
        &mut self,
        id: &str,
        field: &str,
        value: Value,
        by: &str,
    ) -> Result<(), StoreError> {
        let mut patch = Map::new();
        patch.insert(field.to_string(), value);
        self.edit_op(id, &patch, by, "resolve")
    }

    fn edit_op(
        &mut self,
        id: &str,
        patch: &Map<String, Value>,
        by: &str,
        op: &str,
    ) -> Result<(), StoreError> {
        if patch.is_empty() {
            return Err(StoreError::Invalid(
                "nothing to change: give at least one field".into(),
            ));
        }
        let id = self.resolve_id(id)?;
        self.check_partner_edit(&id, patch)?;
        let doc = self.load_doc(&id)?;
        let kind = doc.kind()?;
        validate_patch(kind, patch)?;
        doc.set_fields(patch, by, Utc::now(), op)?;
        self.persist(&id, false)
    }

    /// Appends a workflow event if it is legal after the record's events.
    pub fn append_event(
        &mut self,
        id: &str,
        action: &str,
        on: NaiveDate,
        params: Map<String, Value>,
        by: &str,
    ) -> Result<EventEnvelope, StoreError> {
        let id = self.resolve_id(id)?;
        let doc = self.load_doc(&id)?;
        let kind = doc.kind()?;
        let event = EventEnvelope {
            id: new_id(),
            action: action.to_string(),
            on,
            at: Utc::now(),
            by: by.to_string(),
            params,
        };
        let fields = doc.fields();
        let events = doc.events();
        model::check_event(kind, &fields, &events, &event)
            .map_err(|e| StoreError::Transition(e.to_string()))?;
        doc.append_event(&event)?;
        self.persist(&id, false)?;
        Ok(event)
    }

    /// The whole record with its derived status and deadlines.
    pub fn get(&mut self, id: &str) -> Result<RecordView, StoreError> {
        let id = self.resolve_id(id)?;
        let (cal, limits, today) = (self.calendar.clone(), self.limits.clone(), self.today);
        let doc = self.load_doc(&id)?;
        let kind = doc.kind()?;
        let fields = doc.fields();
        let events = doc.events();
        let derived = model::derive(kind, &fields, &events);
        let deadlines = project::views(&derived.clocks, &cal, &limits, today);
        Ok(RecordView {
            id: id.clone(),
            kind,
            office: doc.office(),
            schema: doc.schema(),
            number: model::number(kind, &fields),
            title: model::title(kind, &fields),
            status: derived.status,
            status_label: derived.status_label,
            rejected_events: derived
                .rejected
                .iter()
                .map(|r| RejectedView {
                    event_id: r.event_id.clone(),
                    reason: r.error.to_string(),
                })
                .collect(),
            allowed_actions: derived
                .allowed_actions
                .iter()
                .map(|a| (a.action.to_string(), a.label.to_string()))
                .collect(),
            conflicts: doc.conflicts(),
            fields,
            events,
            deadlines,
        })
    }

    /// Who changed what, when, from the document's Automerge history.
    pub fn history(&mut self, id: &str) -> Result<Vec<HistoryEntry>, StoreError> {
        let id = self.resolve_id(id)?;
        Ok(self.load_doc(&id)?.history())
    }

    /// The saved bytes of a document (for sync and backups).
    pub fn document_bytes(&mut self, id: &str) -> Result<Vec<u8>, StoreError> {
        let id = self.resolve_id(id)?;
        Ok(self.load_doc(&id)?.save())
    }

    /// The current state of every record (not annexes unless asked), for export.
    pub fn export(&mut self, include_annex: bool) -> Result<Vec<RecordExport>, StoreError> {
        let ids: Vec<String> = {
            let mut stmt = self.conn.prepare("SELECT id FROM docs ORDER BY kind, id")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let doc = match self.load_doc(&id) {
                Ok(doc) => doc,
                Err(StoreError::Quarantined { .. }) => continue,
                Err(e) => return Err(e),
            };
            let kind = doc.kind()?;
            if kind == RecordKind::Annex && !include_annex {
                continue;
            }
            let mut events = doc.events();
            events.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            out.push(RecordExport {
                id: id.clone(),
                kind,
                office: Some(doc.office()),
                fields: doc.fields(),
                events,
            });
            if self.cache.len() > 256 {
                self.cache.clear();
            }
        }
        Ok(out)
    }

    /// Imports one record: creates it, or brings an existing one up to the
    /// given fields and adds events it lacks (by event id). Importing the same
    /// line twice changes nothing.
    pub fn import_record(
        &mut self,
        rec: &RecordExport,
        by: &str,
    ) -> Result<ImportOutcome, StoreError> {
        if rec.id.trim().is_empty() || rec.id.len() > 128 || rec.id.chars().any(char::is_whitespace)
        {
            return Err(StoreError::Invalid(
                "id: give a non-empty id without spaces (at most 128 characters)".into(),
            ));
        }
        validate_whole(rec.kind, &rec.fields)?;
        let exists = match self.resolve_id(&rec.id) {
            Ok(found) => found == rec.id,
            Err(StoreError::NotFound(_)) => false,
            Err(e) => return Err(e),
        };
        // Events must form a legal history in their own order.
        let mut sorted = rec.events.clone();
        sorted.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        if !exists {
            for (i, e) in sorted.iter().enumerate() {
                model::check_event(rec.kind, &rec.fields, &sorted[..i], e).map_err(|err| {
                    StoreError::Transition(format!(
                        "record {}: event {} ({}): {err}",
                        rec.id, e.id, e.action
                    ))
                })?;
            }
            let office = match &rec.office {
                Some(o) => o.clone(),
                None => self.office_code()?,
            };
            self.create_with_id(
                &rec.id,
                rec.kind,
                &office,
                &rec.fields,
                &sorted,
                by,
                Utc::now(),
            )?;
            return Ok(ImportOutcome::Created {
                events: sorted.len(),
            });
        }
        let doc = self.load_doc(&rec.id)?;
        if doc.kind()? != rec.kind {
            return Err(StoreError::Invalid(format!(
                "record {} is a {} here, not a {}",
                rec.id,
                doc.kind()?,
                rec.kind
            )));
        }
        let current = doc.fields();
        let patch: Map<String, Value> = rec
            .fields
            .iter()
            .filter(|(k, v)| current.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let known: std::collections::HashSet<String> =
            doc.events().into_iter().map(|e| e.id).collect();
        let new_events: Vec<&EventEnvelope> =
            sorted.iter().filter(|e| !known.contains(&e.id)).collect();
        if patch.is_empty() && new_events.is_empty() {
            return Ok(ImportOutcome::Unchanged);
        }
        if !patch.is_empty() {
            doc.set_fields(&patch, by, Utc::now(), "import")?;
        }
        for e in &new_events {
            doc.append_event(e)?;
        }
        let n = new_events.len();
        self.persist(&rec.id, false)?;
        Ok(ImportOutcome::Updated { events: n })
    }
}

/// What importing one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created { events: usize },
    Updated { events: usize },
    Unchanged,
}

impl ImportSummary {
    pub fn add(&mut self, o: ImportOutcome) {
        match o {
            ImportOutcome::Created { events } => {
                self.created += 1;
                self.events_added += events;
            }
            ImportOutcome::Updated { events } => {
                self.updated += 1;
                self.events_added += events;
            }
            ImportOutcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// What the search index holds for a record: its title, number and text.
pub(super) fn search_grams(title: &str, number: &str, text: &str) -> String {
    super::search::index_text(&format!("{title} {number} {text}"))
}
