//! The embedded backend: one SQLite file beside the relay (one relay process).
//!
//! The file is in WAL mode with `synchronous=FULL`, so a stored document is
//! on disk when [`Database::store_doc`] returns (DESIGN.md, decision 4). All
//! writes go through one connection (SQLite admits one writer at a time
//! anyway), each in a `BEGIN IMMEDIATE` transaction: writes therefore commit
//! in the order they take feed sequence numbers, and a reader never sees
//! entry N+1 without entry N. Reads use a few connections of their own, which
//! WAL lets run beside the writer. rusqlite is blocking, so every call runs
//! inside [`tokio::task::spawn_blocking`].
//!
//! Timestamps are stored as RFC 3339 text in UTC with exactly six fractional
//! digits and a `Z`, so text order is time order and `expires_at > ?` works in
//! SQL. Instants are thus kept to the microsecond, as in PostgreSQL.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior};

use super::{
    ActorInfo, BlobAppend, BlobRow, Database, DbError, DbResult, Device, DeviceHealth,
    DocProjection, EntryKind, FeedEntry, Grant, GrantMode, NewEntry, OfficeHealth, Org, OrgKind,
    Principal, Role, StoredDoc, User, Visibility,
};

/// Schema migrations, in order; each runs once, in its own transaction.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("sql/sqlite/0001_init.sql")),
    (
        2,
        "stat_facts",
        include_str!("sql/sqlite/0002_stat_facts.sql"),
    ),
    (
        3,
        "attachments",
        include_str!("sql/sqlite/0003_attachments.sql"),
    ),
    (4, "joint", include_str!("sql/sqlite/0004_joint.sql")),
    (
        5,
        "stat_facts_packed",
        include_str!("sql/sqlite/0005_stat_facts_packed.sql"),
    ),
];

/// Read connections beside the one writer.
const READERS: usize = 4;

/// How much of the file each read connection maps into memory.
const READ_MMAP_BYTES: u64 = 1 << 30;

/// How long a statement waits for a lock held by another connection (a
/// reader checkpointing, an admin tool) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Replay protection keeps request ids this long; older ones are pruned.
const SEEN_REQUESTS_KEPT: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// The relay's storage in one SQLite file.
pub struct SqliteDatabase {
    inner: Arc<Inner>,
}

struct Inner {
    path: std::path::PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Counts `note_request` calls, to prune old request ids now and then.
    notes: AtomicUsize,
}

impl std::fmt::Debug for SqliteDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteDatabase")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl SqliteDatabase {
    /// Opens (creating if needed) the database file at `path`. Call
    /// [`Database::migrate`] before use.
    pub fn open(path: &Path) -> DbResult<Self> {
        let writer = Connection::open(path).map_err(backend)?;
        // journal_mode answers with a row, so it is read, not executed.
        let mode: String = writer
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(backend)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(DbError::Backend(format!(
                "{}: cannot switch to WAL (journal mode is {mode})",
                path.display()
            )));
        }
        configure(&writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(backend)?;
            configure(&reader)?;
            // Readers map the file rather than copy each page out of the OS
            // cache: a bureau-wide bulletin scans the whole `stat_facts`.
            reader
                .execute_batch(&format!("PRAGMA mmap_size = {READ_MMAP_BYTES}"))
                .map_err(backend)?;
            readers.push(Mutex::new(reader));
        }
        Ok(SqliteDatabase {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers,
                next_reader: AtomicUsize::new(0),
                notes: AtomicUsize::new(0),
            }),
        })
    }

    /// Runs `f` on the writer connection, off the async threads.
    async fn write<T, F>(&self, f: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> DbResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut conn = lock(&inner.writer);
            f(&mut conn)
        })
        .await
        .map_err(|e| DbError::Backend(format!("storage task failed: {e}")))?
    }

    /// Runs `f` on a read connection: an idle one if there is one, else the
    /// next in turn.
    async fn read<T, F>(&self, f: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> DbResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            for reader in &inner.readers {
                if let Ok(conn) = reader.try_lock() {
                    return f(&conn);
                }
            }
            let i = inner.next_reader.fetch_add(1, Ordering::Relaxed) % inner.readers.len();
            let conn = lock(&inner.readers[i]);
            f(&conn)
        })
        .await
        .map_err(|e| DbError::Backend(format!("storage task failed: {e}")))?
    }
}

fn configure(conn: &Connection) -> DbResult<()> {
    conn.busy_timeout(BUSY_TIMEOUT).map_err(backend)?;
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .map_err(backend)
}

/// A panic while a connection was held rolled its transaction back on
/// unwind (rusqlite's `Transaction` drops as a rollback), so the connection
/// is still usable.
fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes (or, given None, deletes) a document's `stat_facts` row.
fn write_facts(
    conn: &Connection,
    id: &str,
    owner: &str,
    kind: &str,
    row: Option<&(NaiveDate, NaiveDate, Vec<u8>)>,
) -> DbResult<()> {
    match row {
        Some((first, last, packed)) => conn.execute(
            "INSERT INTO stat_facts (id, owner, kind, first_on, last_on, facts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, kind = excluded.kind,
                 first_on = excluded.first_on, last_on = excluded.last_on, facts = excluded.facts",
            params![id, owner, kind, first.to_string(), last.to_string(), packed],
        ),
        None => conn.execute("DELETE FROM stat_facts WHERE id = ?1", [id]),
    }
    .map(drop)
    .map_err(backend)
}

fn backend(e: rusqlite::Error) -> DbError {
    if let rusqlite::Error::SqliteFailure(err, msg) = &e {
        if err.code == rusqlite::ErrorCode::ConstraintViolation {
            return DbError::Conflict(msg.clone().unwrap_or_else(|| e.to_string()));
        }
    }
    DbError::Backend(e.to_string())
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn ts_opt(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(ts)
}

fn bad_column(idx: usize, ty: Type, msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, ty, msg.into())
}

fn col_ts_opt(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| bad_column(idx, Type::Text, format!("timestamp {s:?}: {e}")))
    })
    .transpose()
}

fn col_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    col_ts_opt(row, idx)?.ok_or_else(|| bad_column(idx, Type::Null, "timestamp is NULL".into()))
}

fn col_parsed<T>(row: &Row<'_>, idx: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text).ok_or_else(|| bad_column(idx, Type::Text, format!("unknown value {text:?}")))
}

const PRINCIPAL_SELECT: &str = "SELECT d.id, u.id, u.name, u.role, o.code, o.kind, d.sponsor
     FROM devices d JOIN users u ON u.id = d.user_id JOIN orgs o ON o.code = u.org";

fn principal_row(row: &Row<'_>) -> rusqlite::Result<Principal> {
    Ok(Principal {
        device_id: row.get(0)?,
        user_id: row.get(1)?,
        user_name: row.get(2)?,
        role: col_parsed(row, 3, Role::parse)?,
        org: row.get(4)?,
        org_kind: col_parsed(row, 5, OrgKind::parse)?,
        sponsor: row.get(6)?,
    })
}

const GRANT_COLUMNS: &str =
    "id, doc_id, partner, mode, expires_at, created_by, created_at, revoked_at, office";

fn grant_row(row: &Row<'_>) -> rusqlite::Result<Grant> {
    Ok(Grant {
        id: row.get(0)?,
        doc_id: row.get(1)?,
        partner: row.get(2)?,
        mode: col_parsed(row, 3, GrantMode::parse)?,
        expires_at: col_ts_opt(row, 4)?,
        created_by: row.get(5)?,
        created_at: col_ts(row, 6)?,
        revoked_at: col_ts_opt(row, 7)?,
        office: row.get(8)?,
    })
}

const PROJECTION_COLUMNS: &str =
    "id, kind, owner, holder, number, title, status, status_label, closed, \
     conflicts, next_due, schema, data, updated_at";

/// `id, kind, owner, holder, bytes, version` of `docs`.
fn doc_row(row: &Row<'_>) -> rusqlite::Result<StoredDoc> {
    Ok(StoredDoc {
        id: row.get(0)?,
        kind: row.get(1)?,
        owner: row.get(2)?,
        holder: row.get(3)?,
        bytes: row.get(4)?,
        version: row.get(5)?,
    })
}

fn projection_row(row: &Row<'_>) -> rusqlite::Result<DocProjection> {
    let data: String = row.get(12)?;
    Ok(DocProjection {
        id: row.get(0)?,
        kind: row.get(1)?,
        owner: row.get(2)?,
        holder: row.get(3)?,
        number: row.get(4)?,
        title: row.get(5)?,
        status: row.get(6)?,
        status_label: row.get(7)?,
        closed: row.get(8)?,
        conflicts: row.get(9)?,
        next_due: row.get(10)?,
        schema: row.get(11)?,
        data: serde_json::from_str(&data)
            .map_err(|e| bad_column(12, Type::Text, format!("projection data: {e}")))?,
        updated_at: col_ts(row, 13)?,
        facts: None,
        attachments: vec![],
    })
}

/// Appends feed entries inside the caller's (immediate) transaction.
fn insert_entries(
    tx: &rusqlite::Transaction<'_>,
    doc_id: &str,
    entries: &[NewEntry],
) -> DbResult<()> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO feed (doc_id, kind, audience, origin_device, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(backend)?;
    for e in entries {
        stmt.execute(params![
            doc_id,
            e.kind.as_str(),
            e.audience,
            e.origin_device,
            e.bytes
        ])
        .map_err(backend)?;
    }
    Ok(())
}

#[async_trait]
impl Database for SqliteDatabase {
    async fn migrate(&self) -> DbResult<()> {
        self.write(|conn| {
            conn.execute_batch(
                "CREATE TABLE IF NOT EXISTS hongdun_migrations (
                     version    INTEGER PRIMARY KEY,
                     name       TEXT NOT NULL,
                     applied_at TEXT NOT NULL
                 )",
            )
            .map_err(backend)?;
            for &(version, name, sql) in MIGRATIONS {
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(backend)?;
                let done: bool = tx
                    .query_row(
                        "SELECT EXISTS (SELECT 1 FROM hongdun_migrations WHERE version = ?1)",
                        [version],
                        |r| r.get(0),
                    )
                    .map_err(backend)?;
                if !done {
                    tx.execute_batch(sql).map_err(|e| {
                        DbError::Backend(format!("migration {version} ({name}): {e}"))
                    })?;
                    tx.execute(
                        "INSERT INTO hongdun_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                        params![version, name, ts(Utc::now())],
                    )
                    .map_err(backend)?;
                }
                tx.commit().map_err(backend)?;
            }
            Ok(())
        })
        .await
    }

    // --- identity -------------------------------------------------------

    async fn create_org(&self, org: &Org) -> DbResult<()> {
        let org = org.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO orgs (code, name, kind) VALUES (?1, ?2, ?3)",
                params![org.code, org.name, org.kind.as_str()],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn get_org(&self, code: &str) -> DbResult<Option<Org>> {
        let code = code.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT code, name, kind FROM orgs WHERE code = ?1",
                [code],
                |r| {
                    Ok(Org {
                        code: r.get(0)?,
                        name: r.get(1)?,
                        kind: col_parsed(r, 2, OrgKind::parse)?,
                    })
                },
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn list_orgs(&self) -> DbResult<Vec<Org>> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT code, name, kind FROM orgs ORDER BY code")
                .map_err(backend)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(Org {
                        code: r.get(0)?,
                        name: r.get(1)?,
                        kind: col_parsed(r, 2, OrgKind::parse)?,
                    })
                })
                .map_err(backend)?;
            rows.collect::<Result<_, _>>().map_err(backend)
        })
        .await
    }

    async fn create_user(&self, user: &User) -> DbResult<()> {
        let user = user.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO users (id, org, name, role) VALUES (?1, ?2, ?3, ?4)",
                params![user.id, user.org, user.name, user.role.as_str()],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn get_user(&self, id: &str) -> DbResult<Option<User>> {
        let id = id.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT id, org, name, role FROM users WHERE id = ?1",
                [id],
                |r| {
                    Ok(User {
                        id: r.get(0)?,
                        org: r.get(1)?,
                        name: r.get(2)?,
                        role: col_parsed(r, 3, Role::parse)?,
                    })
                },
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn create_device(&self, device_id: &str, user_id: &str, name: &str) -> DbResult<()> {
        let (device_id, user_id, name) =
            (device_id.to_owned(), user_id.to_owned(), name.to_owned());
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO devices (id, user_id, name) VALUES (?1, ?2, ?3)",
                params![device_id, user_id, name],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn create_enrollment(
        &self,
        device_id: &str,
        code_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        let (device_id, code_hash) = (device_id.to_owned(), code_hash.to_owned());
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO enrollments (code_hash, device_id, expires_at) VALUES (?1, ?2, ?3)",
                params![code_hash, device_id, ts(expires_at)],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn redeem_enrollment(
        &self,
        code_hash: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<Principal>> {
        let (code_hash, token_hash) = (code_hash.to_owned(), token_hash.to_owned());
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let now = ts(now);
            let device: Option<String> = tx
                .query_row(
                    "UPDATE enrollments SET used_at = ?2
                     WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2
                     RETURNING device_id",
                    params![code_hash, now],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            let Some(device) = device else {
                return Ok(None);
            };
            // A revoked device stays revoked: its code is not consumed either
            // (the transaction rolls back on return).
            let bound = tx
                .execute(
                    "UPDATE devices SET token_hash = ?2, enrolled_at = ?3
                     WHERE id = ?1 AND revoked_at IS NULL",
                    params![device, token_hash, now],
                )
                .map_err(backend)?;
            if bound == 0 {
                return Ok(None);
            }
            let principal = tx
                .query_row(
                    &format!("{PRINCIPAL_SELECT} WHERE d.id = ?1"),
                    [&device],
                    principal_row,
                )
                .optional()
                .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(principal)
        })
        .await
    }

    async fn principal_by_token(&self, token_hash: &str) -> DbResult<Option<Principal>> {
        let token_hash = token_hash.to_owned();
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "{PRINCIPAL_SELECT}
                 WHERE d.token_hash = ?1 AND d.enrolled_at IS NOT NULL AND d.revoked_at IS NULL"
            ))
            .and_then(|mut s| s.query_row([token_hash], principal_row).optional())
            .map_err(backend)
        })
        .await
    }

    async fn revoke_device(&self, device_id: &str, at: DateTime<Utc>) -> DbResult<bool> {
        let device_id = device_id.to_owned();
        self.write(move |conn| {
            let n = conn
                .execute(
                    "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                    params![device_id, ts(at)],
                )
                .map_err(backend)?;
            Ok(n > 0)
        })
        .await
    }

    async fn list_devices(&self) -> DbResult<Vec<Device>> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT id, user_id, name, enrolled_at, revoked_at, last_sync_at, last_cursor, schema
                     FROM devices ORDER BY id",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(Device {
                        id: r.get(0)?,
                        user_id: r.get(1)?,
                        name: r.get(2)?,
                        enrolled_at: col_ts_opt(r, 3)?,
                        revoked_at: col_ts_opt(r, 4)?,
                        last_sync_at: col_ts_opt(r, 5)?,
                        last_cursor: r.get(6)?,
                        schema: r.get(7)?,
                    })
                })
                .map_err(backend)?;
            rows.collect::<Result<_, _>>().map_err(backend)
        })
        .await
    }

    async fn sponsor_device(&self, device_id: &str, office: &str) -> DbResult<()> {
        let (device_id, office) = (device_id.to_owned(), office.to_owned());
        self.write(move |conn| {
            let n = conn
                .execute(
                    "UPDATE devices SET sponsor = ?2 WHERE id = ?1 AND enrolled_at IS NULL",
                    params![device_id, office],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(DbError::NotFound(format!("unenrolled device {device_id}")));
            }
            Ok(())
        })
        .await
    }

    async fn org_last_sync(&self, org: &str) -> DbResult<Option<DateTime<Utc>>> {
        let org = org.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT MAX(d.last_sync_at) FROM devices d JOIN users u ON u.id = d.user_id
                 WHERE u.org = ?1",
                [org],
                |r| col_ts_opt(r, 0),
            )
            .map_err(backend)
        })
        .await
    }

    async fn claim_actors(
        &self,
        device_id: &str,
        actors: &[String],
        at: DateTime<Utc>,
    ) -> DbResult<Vec<String>> {
        if actors.is_empty() {
            return Ok(vec![]);
        }
        let (device_id, actors) = (device_id.to_owned(), actors.to_vec());
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let mut foreign = Vec::new();
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO actors (actor, device_id, first_seen) VALUES (?1, ?2, ?3)
                         ON CONFLICT (actor) DO NOTHING",
                    )
                    .map_err(backend)?;
                let mut owner = tx
                    .prepare_cached(
                        "SELECT 1 FROM actors a JOIN devices d ON d.id = a.device_id
                         WHERE a.actor = ?1
                           AND d.user_id <> (SELECT user_id FROM devices WHERE id = ?2)",
                    )
                    .map_err(backend)?;
                for actor in &actors {
                    insert
                        .execute(params![actor, device_id, ts(at)])
                        .map_err(backend)?;
                    if owner.exists(params![actor, device_id]).map_err(backend)? {
                        foreign.push(actor.clone());
                    }
                }
            }
            tx.commit().map_err(backend)?;
            Ok(foreign)
        })
        .await
    }

    async fn actor_infos(&self, actors: &[String]) -> DbResult<Vec<ActorInfo>> {
        let actors = actors.to_vec();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT a.actor, d.id, d.name, u.name, o.code, o.name, o.kind
                     FROM actors a JOIN devices d ON d.id = a.device_id
                     JOIN users u ON u.id = d.user_id JOIN orgs o ON o.code = u.org
                     WHERE a.actor = ?1",
                )
                .map_err(backend)?;
            let mut out = Vec::new();
            for actor in &actors {
                let info = stmt
                    .query_row([actor], |r| {
                        Ok(ActorInfo {
                            actor: r.get(0)?,
                            device_id: r.get(1)?,
                            device_name: r.get(2)?,
                            user_name: r.get(3)?,
                            org: r.get(4)?,
                            org_name: r.get(5)?,
                            org_kind: col_parsed(r, 6, OrgKind::parse)?,
                        })
                    })
                    .optional()
                    .map_err(backend)?;
                out.extend(info);
            }
            Ok(out)
        })
        .await
    }

    async fn note_request(
        &self,
        device_id: &str,
        request_id: &[u8],
        at: DateTime<Utc>,
    ) -> DbResult<bool> {
        let (device_id, request_id) = (device_id.to_owned(), request_id.to_vec());
        let prune = self
            .inner
            .notes
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(64);
        self.write(move |conn| {
            if prune {
                conn.execute(
                    "DELETE FROM seen_requests WHERE at < ?1",
                    [ts(at - SEEN_REQUESTS_KEPT)],
                )
                .map_err(backend)?;
            }
            let n = conn
                .execute(
                    "INSERT INTO seen_requests (device_id, request_id, at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (device_id, request_id) DO NOTHING",
                    params![device_id, request_id, ts(at)],
                )
                .map_err(backend)?;
            Ok(n == 1)
        })
        .await
    }

    async fn touch_device(
        &self,
        device_id: &str,
        at: DateTime<Utc>,
        cursor: i64,
        schema: i64,
    ) -> DbResult<()> {
        let device_id = device_id.to_owned();
        self.write(move |conn| {
            let n = conn
                .execute(
                    "UPDATE devices SET last_sync_at = ?2, last_cursor = ?3, schema = ?4 WHERE id = ?1",
                    params![device_id, ts(at), cursor, schema],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(DbError::NotFound(format!("device {device_id}")));
            }
            Ok(())
        })
        .await
    }

    // --- grants ---------------------------------------------------------

    async fn create_grant(&self, grant: &Grant) -> DbResult<()> {
        let g = grant.clone();
        self.write(move |conn| {
            conn.execute(
                &format!(
                    "INSERT INTO grants ({GRANT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                ),
                params![
                    g.id,
                    g.doc_id,
                    g.partner,
                    g.mode.as_str(),
                    ts_opt(g.expires_at),
                    g.created_by,
                    ts(g.created_at),
                    ts_opt(g.revoked_at),
                    g.office
                ],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn get_grant(&self, id: &str) -> DbResult<Option<Grant>> {
        let id = id.to_owned();
        self.read(move |conn| {
            conn.query_row(
                &format!("SELECT {GRANT_COLUMNS} FROM grants WHERE id = ?1"),
                [id],
                grant_row,
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn revoke_grant(&self, id: &str, at: DateTime<Utc>) -> DbResult<bool> {
        let id = id.to_owned();
        self.write(move |conn| {
            let revoked: Option<Option<String>> = conn
                .query_row(
                    "UPDATE grants SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL RETURNING expires_at",
                    params![id, ts(at)],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            // It was active if it was unrevoked and had not expired by `at`.
            Ok(match revoked {
                None => false,
                Some(None) => true,
                Some(Some(expires_at)) => expires_at > ts(at),
            })
        })
        .await
    }

    async fn grants_for_doc(&self, doc_id: &str) -> DbResult<Vec<Grant>> {
        let doc_id = doc_id.to_owned();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {GRANT_COLUMNS} FROM grants WHERE doc_id = ?1 ORDER BY created_at, id"
                ))
                .map_err(backend)?;
            let rows = stmt.query_map([doc_id], grant_row).map_err(backend)?;
            rows.collect::<Result<_, _>>().map_err(backend)
        })
        .await
    }

    async fn grants_for_partner(&self, partner: &str) -> DbResult<Vec<Grant>> {
        let partner = partner.to_owned();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {GRANT_COLUMNS} FROM grants WHERE partner = ?1 ORDER BY created_at, id"
                ))
                .map_err(backend)?;
            let rows = stmt.query_map([partner], grant_row).map_err(backend)?;
            rows.collect::<Result<_, _>>().map_err(backend)
        })
        .await
    }

    // --- documents and the feed -----------------------------------------

    async fn load_doc(&self, id: &str) -> DbResult<Option<StoredDoc>> {
        let id = id.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT id, kind, owner, holder, bytes, version FROM docs WHERE id = ?1",
                [id],
                doc_row,
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn store_doc(
        &self,
        doc: &StoredDoc,
        expected_version: i64,
        projection: &DocProjection,
        entries: &[NewEntry],
    ) -> DbResult<bool> {
        let (doc, p, entries) = (doc.clone(), projection.clone(), entries.to_vec());
        let data = serde_json::to_string(&p.data).map_err(|e| DbError::Backend(e.to_string()))?;
        let facts = super::facts_row(p.facts.as_ref())?;
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let stored = if expected_version == 0 {
                tx.execute(
                    "INSERT INTO docs (id, kind, owner, holder, bytes, version) VALUES (?1, ?2, ?3, ?4, ?5, 1)
                     ON CONFLICT (id) DO NOTHING",
                    params![doc.id, doc.kind, doc.owner, doc.holder, doc.bytes],
                )
            } else {
                tx.execute(
                    "UPDATE docs SET kind = ?2, owner = ?3, holder = ?4, bytes = ?5, version = ?6 + 1
                     WHERE id = ?1 AND version = ?6",
                    params![doc.id, doc.kind, doc.owner, doc.holder, doc.bytes, expected_version],
                )
            }
            .map_err(backend)?;
            if stored == 0 {
                return Ok(false); // someone stored it meanwhile; the drop rolls back
            }
            tx.execute(
                &format!(
                    "INSERT INTO projections ({PROJECTION_COLUMNS})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                     ON CONFLICT (id) DO UPDATE SET
                         kind = excluded.kind, owner = excluded.owner, holder = excluded.holder,
                         number = excluded.number, title = excluded.title, status = excluded.status,
                         status_label = excluded.status_label, closed = excluded.closed,
                         conflicts = excluded.conflicts, next_due = excluded.next_due,
                         schema = excluded.schema, data = excluded.data, updated_at = excluded.updated_at"
                ),
                params![
                    doc.id,
                    p.kind,
                    p.owner,
                    p.holder,
                    p.number,
                    p.title,
                    p.status,
                    p.status_label,
                    p.closed,
                    p.conflicts,
                    p.next_due,
                    p.schema,
                    data,
                    ts(p.updated_at)
                ],
            )
            .map_err(backend)?;
            write_facts(&tx, &doc.id, &p.owner, &p.kind, facts.as_ref())?;
            insert_entries(&tx, &doc.id, &entries)?;
            tx.execute("DELETE FROM blob_refs WHERE doc_id = ?1", [&doc.id])
                .map_err(backend)?;
            for sha in &p.attachments {
                tx.execute(
                    "INSERT OR IGNORE INTO blob_refs (sha256, doc_id) VALUES (?1, ?2)",
                    params![sha, doc.id],
                )
                .map_err(backend)?;
            }
            tx.commit().map_err(backend)?;
            Ok(true)
        })
        .await
    }

    async fn append_entries(&self, doc_id: &str, entries: &[NewEntry]) -> DbResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let (doc_id, entries) = (doc_id.to_owned(), entries.to_vec());
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            insert_entries(&tx, &doc_id, &entries)?;
            tx.commit().map_err(backend)
        })
        .await
    }

    async fn feed_since(
        &self,
        cursor: i64,
        vis: &Visibility,
        now: DateTime<Utc>,
        limit: i64,
    ) -> DbResult<Vec<FeedEntry>> {
        use rusqlite::types::Value;
        // ?1 cursor, ?2 limit, ?3 the caller's organisation, ?4 now.
        let mut args = vec![Value::Integer(cursor), Value::Integer(limit.max(0))];
        let filter = match vis {
            // The bureau reads every document; nothing is addressed to it.
            Visibility::All => "f.kind = 'change'",
            Visibility::Office(org) => {
                args.push(Value::Text(org.clone()));
                "(f.kind = 'change' AND EXISTS (
                     SELECT 1 FROM docs d WHERE d.id = f.doc_id AND (d.owner = ?3 OR d.holder = ?3)))
                 OR (f.kind IN ('access', 'revoke') AND f.audience = ?3)"
            }
            Visibility::Partner(org) => {
                args.push(Value::Text(org.clone()));
                args.push(Value::Text(ts(now)));
                "(f.kind = 'change' AND EXISTS (
                     SELECT 1 FROM docs d JOIN grants g ON g.doc_id = d.id
                     WHERE d.id = f.doc_id AND d.kind <> 'annex' AND g.partner = ?3
                       AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?4)))
                 OR (f.kind IN ('access', 'revoke') AND f.audience = ?3)"
            }
            Visibility::PartnerVia { partner, office } => {
                args.push(Value::Text(partner.clone()));
                args.push(Value::Text(ts(now)));
                args.push(Value::Text(office.clone()));
                "(f.kind = 'change' AND EXISTS (
                     SELECT 1 FROM docs d JOIN grants g ON g.doc_id = d.id
                     WHERE d.id = f.doc_id AND d.kind <> 'annex' AND g.partner = ?3 AND g.office = ?5
                       AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?4)))
                 OR (f.kind IN ('access', 'revoke') AND f.audience = ?3 AND EXISTS (
                     SELECT 1 FROM grants g WHERE g.doc_id = f.doc_id AND g.partner = ?3 AND g.office = ?5))"
            }
        };
        let sql = format!(
            "SELECT f.seq, f.doc_id, f.kind, f.audience, f.origin_device, f.bytes
             FROM feed f
             WHERE f.seq > ?1 AND ({filter})
             ORDER BY f.seq
             LIMIT ?2"
        );
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(args), |r| {
                    Ok(FeedEntry {
                        seq: r.get(0)?,
                        doc_id: r.get(1)?,
                        kind: col_parsed(r, 2, EntryKind::parse)?,
                        audience: r.get(3)?,
                        origin_device: r.get(4)?,
                        bytes: r.get(5)?,
                    })
                })
                .map_err(backend)?;
            rows.collect::<Result<_, _>>().map_err(backend)
        })
        .await
    }

    async fn feed_head(&self) -> DbResult<i64> {
        self.read(|conn| {
            conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM feed", [], |r| r.get(0))
                .map_err(backend)
        })
        .await
    }

    // --- attachments ----------------------------------------------------

    async fn blob_docs(&self, sha256: &str) -> DbResult<Vec<String>> {
        let sha = sha256.to_owned();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached("SELECT doc_id FROM blob_refs WHERE sha256 = ?1 ORDER BY doc_id")
                .map_err(backend)?;
            let rows = stmt.query_map([&sha], |r| r.get(0)).map_err(backend)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(backend)
        })
        .await
    }

    async fn blob_status(&self, sha256: &str) -> DbResult<Option<BlobRow>> {
        let sha = sha256.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT size, received, complete FROM blobs WHERE sha256 = ?1",
                [&sha],
                |r| {
                    Ok(BlobRow {
                        size: r.get(0)?,
                        received: r.get(1)?,
                        complete: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn blob_append(
        &self,
        sha256: &str,
        size: i64,
        offset: i64,
        chunks: Vec<Vec<u8>>,
    ) -> DbResult<BlobAppend> {
        let sha = sha256.to_owned();
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            tx.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?1, ?2)",
                params![sha, size],
            )
            .map_err(backend)?;
            let (declared, mut received): (i64, i64) = tx
                .query_row(
                    "SELECT size, received FROM blobs WHERE sha256 = ?1",
                    [&sha],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(backend)?;
            if declared != size {
                return Ok(BlobAppend::WrongSize(declared));
            }
            if received != offset {
                return Ok(BlobAppend::WrongOffset(received));
            }
            for chunk in &chunks {
                if chunk.is_empty() {
                    continue;
                }
                tx.execute(
                    "INSERT INTO blob_chunks (sha256, pos, bytes) VALUES (?1, ?2, ?3)",
                    params![sha, received, chunk],
                )
                .map_err(backend)?;
                received += chunk.len() as i64;
            }
            tx.execute(
                "UPDATE blobs SET received = ?2 WHERE sha256 = ?1",
                params![sha, received],
            )
            .map_err(backend)?;
            tx.commit().map_err(backend)?;
            Ok(BlobAppend::Appended(received))
        })
        .await
    }

    async fn blob_read(
        &self,
        sha256: &str,
        from: i64,
        max_bytes: i64,
    ) -> DbResult<Vec<(i64, Vec<u8>)>> {
        let sha = sha256.to_owned();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT pos, bytes FROM blob_chunks WHERE sha256 = ?1 AND pos >= COALESCE(
                         (SELECT MAX(pos) FROM blob_chunks WHERE sha256 = ?1 AND pos <= ?2), 0)
                     ORDER BY pos",
                )
                .map_err(backend)?;
            let mut rows = stmt.query(params![sha, from]).map_err(backend)?;
            let mut out = Vec::new();
            let mut total = 0i64;
            while let Some(row) = rows.next().map_err(backend)? {
                let bytes: Vec<u8> = row.get(1).map_err(backend)?;
                total += bytes.len() as i64;
                out.push((row.get(0).map_err(backend)?, bytes));
                if total >= max_bytes {
                    break;
                }
            }
            Ok(out)
        })
        .await
    }

    async fn blob_finish(&self, sha256: &str, verified: bool) -> DbResult<()> {
        let sha = sha256.to_owned();
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            if verified {
                tx.execute("UPDATE blobs SET complete = 1 WHERE sha256 = ?1", [&sha])
                    .map_err(backend)?;
            } else {
                tx.execute("DELETE FROM blob_chunks WHERE sha256 = ?1", [&sha])
                    .map_err(backend)?;
                tx.execute("DELETE FROM blobs WHERE sha256 = ?1", [&sha])
                    .map_err(backend)?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    // --- the bureau copy ------------------------------------------------

    async fn projections(
        &self,
        owner: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<DocProjection>> {
        let owner = owner.map(str::to_owned);
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {PROJECTION_COLUMNS} FROM projections
                     WHERE ?1 IS NULL OR owner = ?1
                     ORDER BY updated_at DESC, id
                     LIMIT ?2 OFFSET ?3"
                ))
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![owner, limit.max(0), offset.max(0)], projection_row)
                .map_err(backend)?;
            rows.collect::<Result<_, _>>().map_err(backend)
        })
        .await
    }

    async fn stat_facts(
        &self,
        owners: &[String],
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<super::facts::PackedRows> {
        let owners = serde_json::to_string(owners).map_err(|e| DbError::Backend(e.to_string()))?;
        let (from, to) = (from.to_string(), to.to_string());
        // One statement, so one snapshot: the rows' bytes only, copied into
        // one buffer; the caller decodes them (a scan of a million rows
        // takes about 0.2 s).
        let every_office = owners == "[]";
        self.read(move |conn| {
            // Every office: one scan of the table. Some offices: through the
            // owner index (an `OR` around the owner test would defeat it).
            let sql = if every_office {
                "SELECT facts FROM stat_facts
                 WHERE ((last_on >= ?1 AND first_on <= ?2) OR kind = 'campaign')"
            } else {
                "SELECT facts FROM stat_facts
                 WHERE owner IN (SELECT value FROM json_each(?3))
                   AND ((last_on >= ?1 AND first_on <= ?2) OR kind = 'campaign')"
            };
            let mut stmt = conn.prepare_cached(sql).map_err(backend)?;
            let mut rows = if every_office {
                stmt.query(params![from, to])
            } else {
                stmt.query(params![from, to, owners])
            }
            .map_err(backend)?;
            let mut out = super::facts::PackedRows::default();
            while let Some(row) = rows.next().map_err(backend)? {
                let bytes = row
                    .get_ref(0)
                    .map_err(backend)?
                    .as_blob()
                    .map_err(|e| DbError::Backend(e.to_string()))?;
                out.push(bytes);
            }
            Ok(out)
        })
        .await
    }

    async fn stat_owners(&self) -> DbResult<Vec<String>> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare_cached(super::STAT_OWNERS_SQL)
                .map_err(backend)?;
            let rows = stmt.query_map([], |r| r.get(0)).map_err(backend)?;
            rows.collect::<Result<Vec<String>, _>>().map_err(backend)
        })
        .await
    }

    async fn docs_without_facts(&self, after: &str, limit: i64) -> DbResult<Vec<StoredDoc>> {
        let after = after.to_owned();
        self.read(move |conn| {
            let sql = format!(
                "SELECT d.id, d.kind, d.owner, d.holder, d.bytes, d.version FROM docs d
                 WHERE d.id > ?1 AND d.kind NOT IN {}
                   AND NOT EXISTS (SELECT 1 FROM stat_facts s WHERE s.id = d.id)
                 ORDER BY d.id LIMIT ?2",
                super::KINDS_WITHOUT_FACTS
            );
            let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
            let rows = stmt
                .query_map(params![after, limit.max(0)], doc_row)
                .map_err(backend)?;
            rows.collect::<Result<_, _>>().map_err(backend)
        })
        .await
    }

    async fn put_stat_facts(&self, rows: &[super::FactsUpdate]) -> DbResult<()> {
        let rows = rows
            .iter()
            .map(|r| Ok((r.clone(), super::facts_row(r.facts.as_ref())?)))
            .collect::<DbResult<Vec<_>>>()?;
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            for (r, row) in &rows {
                write_facts(&tx, &r.id, &r.owner, &r.kind, row.as_ref())?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    async fn office_health(&self) -> DbResult<Vec<OfficeHealth>> {
        self.read(|conn| {
            let mut orgs = conn
                .prepare_cached(
                    "SELECT o.code, o.name,
                        (SELECT COUNT(*) FROM docs d WHERE d.owner = o.code OR d.holder = o.code),
                        (SELECT COALESCE(SUM(p.conflicts), 0) FROM projections p
                          WHERE p.owner = o.code OR p.holder = o.code)
                     FROM orgs o WHERE o.kind IN ('office', 'bureau') ORDER BY o.code",
                )
                .map_err(backend)?;
            let mut schemas = conn
                .prepare_cached(
                    "SELECT DISTINCT schema FROM projections WHERE owner = ?1 OR holder = ?1 ORDER BY schema",
                )
                .map_err(backend)?;
            let mut devices = conn
                .prepare_cached(
                    "SELECT d.id, d.name, u.name, d.last_sync_at, d.last_cursor, d.schema, d.revoked_at IS NOT NULL
                     FROM devices d JOIN users u ON u.id = d.user_id
                     WHERE u.org = ?1 ORDER BY d.id",
                )
                .map_err(backend)?;
            let heads = orgs
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .map_err(backend)?
                .collect::<Result<Vec<(String, String, i64, i64)>, _>>()
                .map_err(backend)?;
            let mut out = Vec::with_capacity(heads.len());
            for (org, name, documents, pending_conflicts) in heads {
                let schema_versions = schemas
                    .query_map([&org], |r| r.get(0))
                    .map_err(backend)?
                    .collect::<Result<_, _>>()
                    .map_err(backend)?;
                let devices = devices
                    .query_map([&org], |r| {
                        Ok(DeviceHealth {
                            device_id: r.get(0)?,
                            device_name: r.get(1)?,
                            user: r.get(2)?,
                            last_sync_at: col_ts_opt(r, 3)?,
                            last_cursor: r.get(4)?,
                            schema: r.get(5)?,
                            revoked: r.get(6)?,
                        })
                    })
                    .map_err(backend)?
                    .collect::<Result<_, _>>()
                    .map_err(backend)?;
                out.push(OfficeHealth { org, name, documents, pending_conflicts, schema_versions, devices });
            }
            Ok(out)
        })
        .await
    }
}
