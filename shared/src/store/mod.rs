//! The durable local store: every record document of an office in one SQLite
//! file (`hongdun.db` in the data directory), plus projections for lists,
//! search and deadlines.
//!
//! Durability first (DESIGN.md decision 4): the database runs in WAL mode with
//! `synchronous=FULL`, and a write method returns only after the transaction
//! holding the new change bytes has committed — that is the acknowledgement.
//! Incremental changes are appended to `changes` and folded into the
//! document's snapshot every [`COMPACT_EVERY`] changes, in one transaction.
//! Projections are derived from the documents and rebuilt by [`Store::reindex`].
//! A document that no longer loads is moved to `quarantine` with its bytes and
//! reported; the rest of the store keeps working.

mod blobs;
mod bulletin;
mod checkpoint;
mod drafts;
mod joint;
mod overview;
pub mod project;
mod query;
mod records;
mod schema;
pub mod search;
mod settings;
mod sync_state;
mod verify;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use automerge::ActorId;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::deadline::rules::Limits;
use crate::doc::{DocError, RecordDoc};

pub use blobs::{hash_file, human, PendingAttachments, PendingBlob};
pub use overview::DeadlineOverview;
pub use project::DUE_SOON_WORKDAYS;
pub use query::{DeadlineRow, ListQuery};
pub use records::{ImportOutcome, ImportSummary, RecordExport, RecordView, RejectedView};
pub use settings::DEFAULT_SYNC_INTERVAL_MINUTES;
pub use sync_state::{RemoteConfig, SyncStatus};

/// Fold incremental changes into a snapshot after this many.
pub const COMPACT_EVERY: i64 = 32;

/// Keep at most this many loaded documents in memory.
const CACHE_LIMIT: usize = 512;

const DB_FILE: &str = "hongdun.db";
const CALENDAR_FILE: &str = "calendar.toml";
const LIMITS_FILE: &str = "limits.toml";

/// Errors from the store. Messages say what went wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use the data directory {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the store database {path} cannot be opened ({source}); if the file was damaged, restore it from a backup or sync a fresh copy from the relay")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the store was written by a newer Hongdun (store version {0}); update Hongdun")]
    NewerStore(i64),
    #[error("this store has no office yet; run `hongdun init --office CODE --name NAME` first")]
    NotInitialised,
    #[error("this store already belongs to office {0}")]
    AlreadyInitialised(String),
    #[error("no record with id `{0}`; `hongdun list` shows the ids")]
    NotFound(String),
    #[error("the id `{prefix}` matches several records ({matches}); give more characters")]
    Ambiguous { prefix: String, matches: String },
    #[error("record {id} already exists")]
    Exists { id: String },
    #[error("record {id} is corrupt and was quarantined ({reason}); the rest of the store is fine — sync it again from the relay to restore it")]
    Quarantined { id: String, reason: String },
    #[error("{file}: {source}")]
    Calendar {
        file: PathBuf,
        source: CalendarError,
    },
    #[error("{file}: {message}")]
    Limits { file: PathBuf, message: String },
    #[error("{file}: {message}")]
    StatsSettings { file: PathBuf, message: String },
    #[error("{0}")]
    AttachmentLimit(String),
    #[error("invalid field: {0}")]
    Invalid(String),
    #[error("{0}")]
    Transition(String),
    #[error("document error: {0}")]
    Doc(#[from] DocError),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

pub use crate::desk::OfficeInfo;

/// What opening or reindexing found wrong.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HealthReport {
    pub records: usize,
    pub quarantined: Vec<QuarantinedDoc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuarantinedDoc {
    pub id: String,
    pub reason: String,
    pub at: String,
}

/// An office's local store. Not `Sync`: wrap it in a mutex to share it.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    actor: ActorId,
    office: Option<OfficeInfo>,
    calendar: Calendar,
    limits: Limits,
    today: NaiveDate,
    cache: HashMap<String, RecordDoc>,
    _checkpointer: Option<checkpoint::Checkpointer>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("office", &self.office)
            .finish()
    }
}

/// Today's date for deadline states: `HONGDUN_TODAY` (YYYY-MM-DD) if set, for
/// demos and tests, else the local date.
fn today_from_env() -> NaiveDate {
    std::env::var("HONGDUN_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

impl Store {
    /// Opens the store in `dir`, creating the directory and an empty store if
    /// needed. Opening reads no documents: lists come from the projections.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DB_FILE);
        let conn = Connection::open(&path).map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        conn.execute_batch(schema::SCHEMA).map_err(open_err)?;

        let version: Option<i64> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'store_version'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|v| v.parse().ok());
        let mut needs_reindex = false;
        match version {
            Some(v) if v > schema::STORE_VERSION => return Err(StoreError::NewerStore(v)),
            Some(v) if v < schema::STAT_FACTS_VERSION => needs_reindex = true,
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('store_version', ?1)",
                    [schema::STORE_VERSION.to_string()],
                )?;
            }
        }

        let actor_hex: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'actor'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let actor = match actor_hex.and_then(|h| decode_hex(&h)) {
            Some(bytes) => ActorId::from(bytes),
            None => {
                let bytes: [u8; 16] = rand::random();
                let actor = ActorId::from(bytes.to_vec());
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('actor', ?1)",
                    [actor.to_hex_string()],
                )?;
                actor
            }
        };

        let office = {
            let code: Option<String> = conn
                .query_row(
                    "SELECT value FROM meta WHERE key = 'office_code'",
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            let name: Option<String> = conn
                .query_row(
                    "SELECT value FROM meta WHERE key = 'office_name'",
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            code.map(|code| OfficeInfo {
                code,
                name: name.unwrap_or_default(),
            })
        };

        let calendar = load_calendar(dir)?;
        let limits = load_limits(dir)?;
        let mut store = Store {
            conn,
            dir: dir.to_path_buf(),
            actor,
            office,
            calendar,
            limits,
            today: today_from_env(),
            cache: HashMap::new(),
            _checkpointer: checkpoint::Checkpointer::start(&path),
        };
        store.fill_new_projections(needs_reindex)?;
        Ok(store)
    }

    /// A store written before the `stat_facts` (store version 2) or the
    /// `record_dates` projection existed gets them by one reindex, the first
    /// time this build opens it; one whose search index is of an older
    /// [`search::INDEX_VERSION`] gets only that index rebuilt.
    fn fill_new_projections(&mut self, stats_missing: bool) -> Result<(), StoreError> {
        let dates_missing = self.meta_get("projection_record_dates")?.is_none();
        let search_old = self.meta_get("search_index")?.as_deref() != Some(search::INDEX_VERSION);
        if !stats_missing && !dates_missing && !search_old {
            return Ok(());
        }
        let has_records: bool =
            self.conn
                .query_row("SELECT EXISTS(SELECT 1 FROM records)", [], |r| r.get(0))?;
        if has_records && (stats_missing || dates_missing) {
            tracing::info!("filling new projections (once)");
            self.reindex()?;
        } else if has_records && search_old {
            tracing::info!("rebuilding the search index (once)");
            self.rebuild_search()?;
        }
        self.conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('store_version', ?1)",
            [schema::STORE_VERSION.to_string()],
        )?;
        self.meta_set("search_index", search::INDEX_VERSION)?;
        self.meta_set("projection_record_dates", "1")
    }

    /// Writes the search index again from the records' projected text, in
    /// one transaction (the documents are not read).
    fn rebuild_search(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("INSERT INTO search(search) VALUES ('delete-all')", [])?;
        {
            let mut rows =
                tx.prepare("SELECT rowid, title, coalesce(number, ''), search_text FROM records")?;
            let mut insert = tx.prepare("INSERT INTO search(rowid, grams) VALUES (?1, ?2)")?;
            let mut rows = rows.query([])?;
            while let Some(r) = rows.next()? {
                let (rowid, title, number, text): (i64, String, String, String) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                let grams = records::search_grams(&title, &number, &text);
                insert.execute(rusqlite::params![rowid, grams])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Makes an empty store the store of `office`.
    pub fn init(&mut self, code: &str, name: &str) -> Result<OfficeInfo, StoreError> {
        if let Some(o) = &self.office {
            if o.code != code {
                return Err(StoreError::AlreadyInitialised(o.code.clone()));
            }
        }
        let code = code.trim();
        if code.is_empty() || code.chars().any(|c| c.is_whitespace()) {
            return Err(StoreError::Invalid(
                "office code: give a short code without spaces, e.g. GS0101".into(),
            ));
        }
        let tx = self.conn.savepoint()?;
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('office_code', ?1)",
            [code],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('office_name', ?1)",
            [name],
        )?;
        tx.commit()?;
        let info = OfficeInfo {
            code: code.to_string(),
            name: name.to_string(),
        };
        self.office = Some(info.clone());
        Ok(info)
    }

    /// The office this store belongs to, once initialised.
    pub fn office(&self) -> Option<OfficeInfo> {
        self.office.clone()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// This device's Automerge actor id.
    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The date deadline states are computed for.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Computes deadline states as of another day (tests, "what if" views).
    pub fn set_today(&mut self, today: NaiveDate) {
        self.today = today;
    }

    /// Documents stored, and those quarantined so far.
    pub fn health(&self) -> Result<HealthReport, StoreError> {
        let records: i64 = self
            .conn
            .query_row("SELECT count(*) FROM docs", [], |r| r.get(0))?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, reason, at FROM quarantine ORDER BY at")?;
        let quarantined = stmt
            .query_map([], |r| {
                Ok(QuarantinedDoc {
                    id: r.get(0)?,
                    reason: r.get(1)?,
                    at: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(HealthReport {
            records: usize::try_from(records).unwrap_or(0),
            quarantined,
        })
    }

    fn office_code(&self) -> Result<String, StoreError> {
        self.office
            .as_ref()
            .map(|o| o.code.clone())
            .ok_or(StoreError::NotInitialised)
    }

    /// Resolves a full id or a unique prefix of at least 4 characters.
    pub fn resolve_id(&self, id_or_prefix: &str) -> Result<String, StoreError> {
        let exact: Option<String> = self
            .conn
            .query_row("SELECT id FROM docs WHERE id = ?1", [id_or_prefix], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = exact {
            return Ok(id);
        }
        if id_or_prefix.chars().count() < 4 {
            return Err(StoreError::NotFound(id_or_prefix.to_string()));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM docs WHERE id >= ?1 AND id < ?1 || x'ff' LIMIT 3")?;
        let ids = stmt
            .query_map([id_or_prefix], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        match ids.len() {
            0 => Err(StoreError::NotFound(id_or_prefix.to_string())),
            1 => Ok(ids.into_iter().next().unwrap_or_default()),
            _ => Err(StoreError::Ambiguous {
                prefix: id_or_prefix.to_string(),
                matches: ids.join(", "),
            }),
        }
    }

    /// Loads a document from the snapshot and its incremental changes,
    /// quarantining it if it no longer loads.
    fn load_doc(&mut self, id: &str) -> Result<&mut RecordDoc, StoreError> {
        if !self.cache.contains_key(id) {
            let snapshot: Option<Vec<u8>> = self
                .conn
                .query_row("SELECT snapshot FROM docs WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(snapshot) = snapshot else {
                return Err(StoreError::NotFound(id.to_string()));
            };
            let mut stmt = self
                .conn
                .prepare_cached("SELECT bytes FROM changes WHERE doc_id = ?1 ORDER BY seq")?;
            let changes = stmt
                .query_map([id], |r| r.get::<_, Vec<u8>>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            drop(stmt);
            let loaded = RecordDoc::load(&snapshot, &self.actor).and_then(|mut doc| {
                for c in &changes {
                    doc.apply(c)?;
                }
                if doc.id() != id {
                    return Err(DocError::Corrupt(format!(
                        "the document says it is `{}`",
                        doc.id()
                    )));
                }
                // Everything loaded is already stored: start incremental saves here.
                doc.save_incremental();
                Ok(doc)
            });
            match loaded {
                Ok(doc) => {
                    if self.cache.len() >= CACHE_LIMIT {
                        self.cache.clear();
                    }
                    self.cache.insert(id.to_string(), doc);
                }
                Err(e) => {
                    let reason = e.to_string();
                    self.quarantine(id, &reason, &snapshot, &changes)?;
                    return Err(StoreError::Quarantined {
                        id: id.to_string(),
                        reason,
                    });
                }
            }
        }
        self.cache
            .get_mut(id)
            .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    fn quarantine(
        &mut self,
        id: &str,
        reason: &str,
        snapshot: &[u8],
        changes: &[Vec<u8>],
    ) -> Result<(), StoreError> {
        tracing::warn!(
            id,
            reason,
            "quarantining a record document that does not load"
        );
        let joined: Vec<u8> = changes.concat();
        let tx = self.conn.savepoint()?;
        tx.execute(
            "INSERT INTO quarantine(id, reason, snapshot, changes, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, reason, snapshot, joined, Utc::now().to_rfc3339()],
        )?;
        tx.execute("DELETE FROM changes WHERE doc_id = ?1", [id])?;
        tx.execute("DELETE FROM docs WHERE id = ?1", [id])?;
        records::delete_projection(&tx, id)?;
        tx.commit()?;
        self.cache.remove(id);
        Ok(())
    }

    /// Writes a document's new change bytes and its projection in one
    /// transaction; returns once committed (the acknowledgement).
    fn persist(&mut self, id: &str, created: bool) -> Result<(), StoreError> {
        self.persist_from(id, created, true)
    }

    /// As [`Store::persist`]; `local` is false for changes that came from the
    /// relay (they need no upload).
    fn persist_from(&mut self, id: &str, created: bool, local: bool) -> Result<(), StoreError> {
        let result = self.persist_inner(id, created, local);
        if result.is_err() {
            // The in-memory copy may hold a change that is not stored.
            self.cache.remove(id);
        }
        result
    }

    fn persist_inner(&mut self, id: &str, created: bool, local: bool) -> Result<(), StoreError> {
        let doc = self
            .cache
            .get_mut(id)
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        let proj = project::project(doc, &self.calendar, &self.limits)?;
        let refs = doc.attachments();
        let tx = self.conn.savepoint()?;
        if created {
            let snapshot = doc.save();
            tx.execute(
                "INSERT INTO docs(id, kind, office, snapshot, n_changes) VALUES (?1, ?2, ?3, ?4, 0)",
                params![id, proj.kind.as_str(), proj.office, snapshot],
            )?;
        } else {
            let n: i64 = tx.query_row("SELECT n_changes FROM docs WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
            if n + 1 >= COMPACT_EVERY {
                let snapshot = doc.save();
                tx.execute(
                    "UPDATE docs SET snapshot = ?2, n_changes = 0 WHERE id = ?1",
                    params![id, snapshot],
                )?;
                tx.execute("DELETE FROM changes WHERE doc_id = ?1", [id])?;
            } else {
                let bytes = doc.save_incremental();
                // Remote updates we already had add nothing.
                if !bytes.is_empty() {
                    tx.execute(
                        "INSERT INTO changes(doc_id, bytes) VALUES (?1, ?2)",
                        params![id, bytes],
                    )?;
                    tx.execute(
                        "UPDATE docs SET n_changes = n_changes + 1 WHERE id = ?1",
                        [id],
                    )?;
                }
            }
        }
        records::write_projection(&tx, &proj, Utc::now())?;
        blobs::write_refs(&tx, id, &refs)?;
        if local {
            // A local change waits to be uploaded.
            tx.execute(
                "INSERT INTO sync_docs(doc_id, dirty) VALUES (?1, 1)
                 ON CONFLICT(doc_id) DO UPDATE SET dirty = 1",
                [id],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one transaction: every write inside is acknowledged
    /// together when it commits (bulk import, demo seeding). On error nothing
    /// of it is stored.
    pub fn in_batch<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(v) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(v),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    self.cache.clear();
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.cache.clear();
                Err(e)
            }
        }
    }

    /// Compacts every document with pending incremental changes.
    pub fn compact(&mut self) -> Result<usize, StoreError> {
        let ids: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM docs WHERE n_changes > 0")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let mut n = 0;
        for id in ids {
            let snapshot = match self.load_doc(&id) {
                Ok(doc) => doc.save(),
                Err(StoreError::Quarantined { .. }) => continue,
                Err(e) => return Err(e),
            };
            let tx = self.conn.savepoint()?;
            tx.execute(
                "UPDATE docs SET snapshot = ?2, n_changes = 0 WHERE id = ?1",
                params![id, snapshot],
            )?;
            tx.execute("DELETE FROM changes WHERE doc_id = ?1", [&id])?;
            tx.commit()?;
            n += 1;
        }
        Ok(n)
    }

    /// Rebuilds every projection from the documents. Documents that do not
    /// load are quarantined and listed in the report.
    pub fn reindex(&mut self) -> Result<HealthReport, StoreError> {
        let ids: Vec<String> = {
            let mut stmt = self.conn.prepare("SELECT id FROM docs ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        self.conn.execute_batch(
            "DELETE FROM records; DELETE FROM deadlines; DELETE FROM search; DELETE FROM stat_facts; DELETE FROM record_dates;",
        )?;
        let mut batch = Vec::new();
        for id in ids {
            match self.load_doc(&id) {
                Ok(_) => {
                    let doc = self
                        .cache
                        .get(&id)
                        .ok_or_else(|| StoreError::NotFound(id.clone()))?;
                    batch.push((
                        project::project(doc, &self.calendar, &self.limits)?,
                        doc.attachments(),
                    ));
                }
                Err(StoreError::Quarantined { .. }) => {}
                Err(e) => return Err(e),
            }
            // Projections need no per-record fsync: write them in batches.
            if batch.len() >= 1000 {
                self.write_projections(&batch)?;
                batch.clear();
                self.cache.clear();
            }
        }
        self.write_projections(&batch)?;
        self.cache.clear();
        self.health()
    }

    fn write_projections(
        &mut self,
        batch: &[(project::Projection, Vec<crate::attachment::AttachmentRef>)],
    ) -> Result<(), StoreError> {
        let tx = self.conn.savepoint()?;
        let now = Utc::now();
        for (p, refs) in batch {
            records::write_projection(&tx, p, now)?;
            blobs::write_refs(&tx, &p.id, refs)?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn load_calendar(dir: &Path) -> Result<Calendar, StoreError> {
    let file = dir.join(CALENDAR_FILE);
    match std::fs::read_to_string(&file) {
        Ok(text) => {
            Calendar::from_toml(&text).map_err(|source| StoreError::Calendar { file, source })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Calendar::builtin()),
        Err(source) => Err(StoreError::Dir { path: file, source }),
    }
}

fn load_limits(dir: &Path) -> Result<Limits, StoreError> {
    let file = dir.join(LIMITS_FILE);
    match std::fs::read_to_string(&file) {
        Ok(text) => Limits::with_overrides_toml(&text).map_err(|e| StoreError::Limits {
            file,
            message: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Limits::builtin()),
        Err(source) => Err(StoreError::Dir { path: file, source }),
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A timestamp in milliseconds for projections.
pub(crate) fn ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

#[cfg(test)]
mod desk_tests;
#[cfg(test)]
mod tests;
