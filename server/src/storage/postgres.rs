//! The shared backend: PostgreSQL, for a province that runs several
//! stateless relay instances on one database.
//!
//! Because other relays write to the same tables at the same time, nothing
//! here relies on process-local state: every multi-statement write is one
//! transaction, the optimistic version check of [`Database::store_doc`] is a
//! conditional `UPDATE` (or `INSERT .. ON CONFLICT DO NOTHING` for a new
//! document), an enrollment code is consumed by a conditional `UPDATE ..
//! RETURNING`, and the change feed is kept gap-free for readers with an
//! advisory lock (see [`FEED_LOCK`]).
//!
//! Connections are plain TCP (`NoTls`): the database is expected on loopback
//! or a private link of the same host group; encrypting the link to the
//! database is outside what the relay configures.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use futures_util::TryStreamExt;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use super::{
    ActorInfo, BlobAppend, BlobRow, Database, DbError, DbResult, Device, DeviceHealth,
    DocProjection, EntryKind, FeedEntry, Grant, GrantMode, NewEntry, OfficeHealth, Org, OrgKind,
    Principal, Role, StoredDoc, User, Visibility,
};

/// Schema migrations, in order; all pending ones run in one transaction.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("sql/postgres/0001_init.sql")),
    (
        2,
        "stat_facts",
        include_str!("sql/postgres/0002_stat_facts.sql"),
    ),
    (
        3,
        "attachments",
        include_str!("sql/postgres/0003_attachments.sql"),
    ),
    (4, "joint", include_str!("sql/postgres/0004_joint.sql")),
    (
        5,
        "stat_facts_packed",
        include_str!("sql/postgres/0005_stat_facts_packed.sql"),
    ),
];

/// Advisory lock serialising feed inserts across every relay on the database.
///
/// `BIGSERIAL` hands out sequence numbers when a row is inserted, not when its
/// transaction commits. Without a lock, relay A could take seq 41, relay B
/// seq 42, and B commit first: a client reading then would get 42, move its
/// cursor past 41, and never see 41 once A commits. Every transaction that
/// inserts feed rows therefore first takes this transaction-level lock (held
/// until commit or rollback), so the transaction holding the newest seq
/// always commits last — PostgreSQL makes a commit visible before it releases
/// the transaction's locks — and a reader that sees seq N sees every lower
/// seq that will ever commit. The lock is taken as the last step before the
/// feed insert, after the document's row lock, to keep it short and the lock
/// order the same in every transaction (no deadlocks).
const FEED_LOCK: i64 = 0x686f_6e67_6475_6e01; // "hongdun" 01

/// Advisory lock serialising migrations when several relays start at once.
const MIGRATE_LOCK: i64 = 0x686f_6e67_6475_6e02; // "hongdun" 02

/// Largest number of connections one relay keeps open.
const POOL_SIZE: usize = 16;

/// Replay protection keeps request ids this long; older ones are pruned.
const SEEN_REQUESTS_KEPT: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// The relay's storage in a PostgreSQL database shared with other relays.
pub struct PostgresDatabase {
    pool: Pool,
    /// Where it connects, without the password (for logs and `Debug`).
    target: String,
    notes: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for PostgresDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresDatabase")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

impl PostgresDatabase {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`,
    /// libpq style options such as `?options=-csearch_path%3Dname` accepted),
    /// checking that one connection can be made. Call [`Database::migrate`]
    /// before use.
    pub async fn connect(url: &str) -> DbResult<Self> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| DbError::Backend(format!("bad database URL: {e}")))?;
        let target = describe(&config);
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| DbError::Backend(format!("database pool: {e}")))?;
        let db = PostgresDatabase {
            pool,
            target,
            notes: Default::default(),
        };
        let probe = db.pool.get().await;
        drop(probe.map_err(|e| DbError::Backend(format!("cannot connect to {}: {e}", db.target)))?);
        Ok(db)
    }

    async fn client(&self) -> DbResult<deadpool_postgres::Object> {
        self.pool
            .get()
            .await
            .map_err(|e| DbError::Backend(format!("database pool: {e}")))
    }
}

/// `user@host:port/db` — never the password.
fn describe(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect::<Vec<_>>()
        .join(",");
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{}@{host}:{port}/{}",
        config.get_user().unwrap_or(""),
        config.get_dbname().unwrap_or("")
    )
}

fn backend(e: tokio_postgres::Error) -> DbError {
    if let Some(code) = e.code() {
        if *code == SqlState::UNIQUE_VIOLATION
            || *code == SqlState::FOREIGN_KEY_VIOLATION
            || *code == SqlState::CHECK_VIOLATION
            || *code == SqlState::NOT_NULL_VIOLATION
        {
            let detail = e
                .as_db_error()
                .map(|d| d.message().to_owned())
                .unwrap_or_else(|| e.to_string());
            return DbError::Conflict(detail);
        }
    }
    DbError::Backend(e.to_string())
}

fn parsed<T>(row: &Row, idx: usize, parse: fn(&str) -> Option<T>) -> DbResult<T> {
    let text: &str = row.try_get(idx).map_err(backend)?;
    parse(text).ok_or_else(|| DbError::Backend(format!("unknown value {text:?} in column {idx}")))
}

fn get<'a, T: tokio_postgres::types::FromSql<'a>>(row: &'a Row, idx: usize) -> DbResult<T> {
    row.try_get(idx).map_err(backend)
}

const PRINCIPAL_SELECT: &str = "SELECT d.id, u.id, u.name, u.role, o.code, o.kind, d.sponsor
     FROM devices d JOIN users u ON u.id = d.user_id JOIN orgs o ON o.code = u.org";

fn principal_row(row: &Row) -> DbResult<Principal> {
    Ok(Principal {
        device_id: get(row, 0)?,
        user_id: get(row, 1)?,
        user_name: get(row, 2)?,
        role: parsed(row, 3, Role::parse)?,
        org: get(row, 4)?,
        org_kind: parsed(row, 5, OrgKind::parse)?,
        sponsor: get(row, 6)?,
    })
}

fn org_row(row: &Row) -> DbResult<Org> {
    Ok(Org {
        code: get(row, 0)?,
        name: get(row, 1)?,
        kind: parsed(row, 2, OrgKind::parse)?,
    })
}

const GRANT_COLUMNS: &str =
    "id, doc_id, partner, mode, expires_at, created_by, created_at, revoked_at, office";

fn grant_row(row: &Row) -> DbResult<Grant> {
    Ok(Grant {
        id: get(row, 0)?,
        doc_id: get(row, 1)?,
        partner: get(row, 2)?,
        mode: parsed(row, 3, GrantMode::parse)?,
        expires_at: get(row, 4)?,
        created_by: get(row, 5)?,
        created_at: get(row, 6)?,
        revoked_at: get(row, 7)?,
        office: get(row, 8)?,
    })
}

const PROJECTION_COLUMNS: &str =
    "id, kind, owner, holder, number, title, status, status_label, closed, \
     conflicts, next_due, schema, data, updated_at";

/// `id, kind, owner, holder, bytes, version` of `docs`.
fn doc_row(row: &Row) -> DbResult<StoredDoc> {
    Ok(StoredDoc {
        id: get(row, 0)?,
        kind: get(row, 1)?,
        owner: get(row, 2)?,
        holder: get(row, 3)?,
        bytes: get(row, 4)?,
        version: get(row, 5)?,
    })
}

fn projection_row(row: &Row) -> DbResult<DocProjection> {
    Ok(DocProjection {
        id: get(row, 0)?,
        kind: get(row, 1)?,
        owner: get(row, 2)?,
        holder: get(row, 3)?,
        number: get(row, 4)?,
        title: get(row, 5)?,
        status: get(row, 6)?,
        status_label: get(row, 7)?,
        closed: get(row, 8)?,
        conflicts: get(row, 9)?,
        next_due: get(row, 10)?,
        schema: get(row, 11)?,
        data: get(row, 12)?,
        updated_at: get(row, 13)?,
        facts: None,
        attachments: vec![],
    })
}

fn feed_row(row: &Row) -> DbResult<FeedEntry> {
    Ok(FeedEntry {
        seq: get(row, 0)?,
        doc_id: get(row, 1)?,
        kind: parsed(row, 2, EntryKind::parse)?,
        audience: get(row, 3)?,
        origin_device: get(row, 4)?,
        bytes: get(row, 5)?,
    })
}

/// Takes [`FEED_LOCK`] and appends `entries`, inside the caller's transaction.
async fn insert_entries(
    tx: &deadpool_postgres::Transaction<'_>,
    doc_id: &str,
    entries: &[NewEntry],
) -> DbResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&FEED_LOCK])
        .await
        .map_err(backend)?;
    let stmt = tx
        .prepare_cached(
            "INSERT INTO feed (doc_id, kind, audience, origin_device, bytes) VALUES ($1, $2, $3, $4, $5)",
        )
        .await
        .map_err(backend)?;
    for e in entries {
        tx.execute(
            &stmt,
            &[
                &doc_id,
                &e.kind.as_str(),
                &e.audience,
                &e.origin_device,
                &e.bytes,
            ],
        )
        .await
        .map_err(backend)?;
    }
    Ok(())
}

async fn query_all<T>(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    map: fn(&Row) -> DbResult<T>,
) -> DbResult<Vec<T>> {
    let stmt = client.prepare_cached(sql).await.map_err(backend)?;
    client
        .query(&stmt, params)
        .await
        .map_err(backend)?
        .iter()
        .map(map)
        .collect()
}

async fn query_opt<T>(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    map: fn(&Row) -> DbResult<T>,
) -> DbResult<Option<T>> {
    let stmt = client.prepare_cached(sql).await.map_err(backend)?;
    client
        .query_opt(&stmt, params)
        .await
        .map_err(backend)?
        .as_ref()
        .map(map)
        .transpose()
}

/// Writes (or, given None, deletes) a document's `stat_facts` row.
async fn write_facts(
    client: &impl GenericClient,
    id: &str,
    owner: &str,
    kind: &str,
    row: Option<&(NaiveDate, NaiveDate, Vec<u8>)>,
) -> DbResult<()> {
    match row {
        Some((first, last, packed)) => {
            execute(
                client,
                "INSERT INTO stat_facts (id, owner, kind, first_on, last_on, facts)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, kind = excluded.kind,
                     first_on = excluded.first_on, last_on = excluded.last_on, facts = excluded.facts",
                &[&id, &owner, &kind, first, last, packed],
            )
            .await?
        }
        None => execute(client, "DELETE FROM stat_facts WHERE id = $1", &[&id]).await?,
    };
    Ok(())
}

async fn execute(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> DbResult<u64> {
    let stmt = client.prepare_cached(sql).await.map_err(backend)?;
    client.execute(&stmt, params).await.map_err(backend)
}

#[async_trait]
impl Database for PostgresDatabase {
    async fn migrate(&self) -> DbResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        // Relays starting together wait for each other here; the second
        // finds the migrations applied.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])
            .await
            .map_err(backend)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS hongdun_migrations (
                 version    BIGINT PRIMARY KEY,
                 name       TEXT NOT NULL,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )
        .await
        .map_err(backend)?;
        for &(version, name, sql) in MIGRATIONS {
            let done = tx
                .query_opt(
                    "SELECT 1 FROM hongdun_migrations WHERE version = $1",
                    &[&version],
                )
                .await
                .map_err(backend)?
                .is_some();
            if !done {
                tx.batch_execute(sql)
                    .await
                    .map_err(|e| DbError::Backend(format!("migration {version} ({name}): {e}")))?;
                tx.execute(
                    "INSERT INTO hongdun_migrations (version, name) VALUES ($1, $2)",
                    &[&version, &name],
                )
                .await
                .map_err(backend)?;
            }
        }
        tx.commit().await.map_err(backend)
    }

    // --- identity -------------------------------------------------------

    async fn create_org(&self, org: &Org) -> DbResult<()> {
        let client = self.client().await?;
        execute(
            &client,
            "INSERT INTO orgs (code, name, kind) VALUES ($1, $2, $3)",
            &[&org.code, &org.name, &org.kind.as_str()],
        )
        .await?;
        Ok(())
    }

    async fn get_org(&self, code: &str) -> DbResult<Option<Org>> {
        let client = self.client().await?;
        query_opt(
            &client,
            "SELECT code, name, kind FROM orgs WHERE code = $1",
            &[&code],
            org_row,
        )
        .await
    }

    async fn list_orgs(&self) -> DbResult<Vec<Org>> {
        let client = self.client().await?;
        query_all(
            &client,
            "SELECT code, name, kind FROM orgs ORDER BY code",
            &[],
            org_row,
        )
        .await
    }

    async fn create_user(&self, user: &User) -> DbResult<()> {
        let client = self.client().await?;
        execute(
            &client,
            "INSERT INTO users (id, org, name, role) VALUES ($1, $2, $3, $4)",
            &[&user.id, &user.org, &user.name, &user.role.as_str()],
        )
        .await?;
        Ok(())
    }

    async fn get_user(&self, id: &str) -> DbResult<Option<User>> {
        let client = self.client().await?;
        query_opt(
            &client,
            "SELECT id, org, name, role FROM users WHERE id = $1",
            &[&id],
            |r| {
                Ok(User {
                    id: get(r, 0)?,
                    org: get(r, 1)?,
                    name: get(r, 2)?,
                    role: parsed(r, 3, Role::parse)?,
                })
            },
        )
        .await
    }

    async fn create_device(&self, device_id: &str, user_id: &str, name: &str) -> DbResult<()> {
        let client = self.client().await?;
        execute(
            &client,
            "INSERT INTO devices (id, user_id, name) VALUES ($1, $2, $3)",
            &[&device_id, &user_id, &name],
        )
        .await?;
        Ok(())
    }

    async fn create_enrollment(
        &self,
        device_id: &str,
        code_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        let client = self.client().await?;
        execute(
            &client,
            "INSERT INTO enrollments (code_hash, device_id, expires_at) VALUES ($1, $2, $3)",
            &[&code_hash, &device_id, &expires_at],
        )
        .await?;
        Ok(())
    }

    async fn redeem_enrollment(
        &self,
        code_hash: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<Principal>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        // A second relay redeeming the same code blocks on the row lock, then
        // re-checks `used_at IS NULL` against the committed row and matches
        // nothing: the code works once.
        let device: Option<String> = query_opt(
            &tx,
            "UPDATE enrollments SET used_at = $2
             WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING device_id",
            &[&code_hash, &now],
            |r| get(r, 0),
        )
        .await?;
        let Some(device) = device else {
            return Ok(None);
        };
        // A revoked device stays revoked, and its code is not consumed either
        // (dropping the transaction rolls it back).
        let bound = execute(
            &tx,
            "UPDATE devices SET token_hash = $2, enrolled_at = $3 WHERE id = $1 AND revoked_at IS NULL",
            &[&device, &token_hash, &now],
        )
        .await?;
        if bound == 0 {
            return Ok(None);
        }
        let principal = query_opt(
            &tx,
            &format!("{PRINCIPAL_SELECT} WHERE d.id = $1"),
            &[&device],
            principal_row,
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(principal)
    }

    async fn principal_by_token(&self, token_hash: &str) -> DbResult<Option<Principal>> {
        let client = self.client().await?;
        query_opt(
            &client,
            &format!(
                "{PRINCIPAL_SELECT}
                 WHERE d.token_hash = $1 AND d.enrolled_at IS NOT NULL AND d.revoked_at IS NULL"
            ),
            &[&token_hash],
            principal_row,
        )
        .await
    }

    async fn revoke_device(&self, device_id: &str, at: DateTime<Utc>) -> DbResult<bool> {
        let client = self.client().await?;
        let n = execute(
            &client,
            "UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&device_id, &at],
        )
        .await?;
        Ok(n > 0)
    }

    async fn list_devices(&self) -> DbResult<Vec<Device>> {
        let client = self.client().await?;
        query_all(
            &client,
            "SELECT id, user_id, name, enrolled_at, revoked_at, last_sync_at, last_cursor, schema
             FROM devices ORDER BY id",
            &[],
            |r| {
                Ok(Device {
                    id: get(r, 0)?,
                    user_id: get(r, 1)?,
                    name: get(r, 2)?,
                    enrolled_at: get(r, 3)?,
                    revoked_at: get(r, 4)?,
                    last_sync_at: get(r, 5)?,
                    last_cursor: get(r, 6)?,
                    schema: get(r, 7)?,
                })
            },
        )
        .await
    }

    async fn note_request(
        &self,
        device_id: &str,
        request_id: &[u8],
        at: DateTime<Utc>,
    ) -> DbResult<bool> {
        let client = self.client().await?;
        if self
            .notes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .is_multiple_of(64)
        {
            let cutoff = at - SEEN_REQUESTS_KEPT;
            execute(
                &client,
                "DELETE FROM seen_requests WHERE at < $1",
                &[&cutoff],
            )
            .await?;
        }
        let n = execute(
            &client,
            "INSERT INTO seen_requests (device_id, request_id, at) VALUES ($1, $2, $3)
             ON CONFLICT (device_id, request_id) DO NOTHING",
            &[&device_id, &request_id, &at],
        )
        .await?;
        Ok(n == 1)
    }

    async fn sponsor_device(&self, device_id: &str, office: &str) -> DbResult<()> {
        let client = self.client().await?;
        let n = execute(
            &client,
            "UPDATE devices SET sponsor = $2 WHERE id = $1 AND enrolled_at IS NULL",
            &[&device_id, &office],
        )
        .await?;
        if n == 0 {
            return Err(DbError::NotFound(format!("unenrolled device {device_id}")));
        }
        Ok(())
    }

    async fn org_last_sync(&self, org: &str) -> DbResult<Option<DateTime<Utc>>> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT MAX(d.last_sync_at) FROM devices d JOIN users u ON u.id = d.user_id
                 WHERE u.org = $1",
                &[&org],
            )
            .await
            .map_err(backend)?;
        get(&row, 0)
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        execute(
            &tx,
            "INSERT INTO actors (actor, device_id, first_seen)
             SELECT a, $2, $3 FROM UNNEST($1::TEXT[]) AS a
             ON CONFLICT (actor) DO NOTHING",
            &[&actors, &device_id, &at],
        )
        .await?;
        let foreign: Vec<String> = query_all(
            &tx,
            "SELECT a.actor FROM actors a JOIN devices d ON d.id = a.device_id
             WHERE a.actor = ANY($1::TEXT[])
               AND d.user_id <> (SELECT user_id FROM devices WHERE id = $2)
             ORDER BY a.actor",
            &[&actors, &device_id],
            |r| get(r, 0),
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(foreign)
    }

    async fn actor_infos(&self, actors: &[String]) -> DbResult<Vec<ActorInfo>> {
        let client = self.client().await?;
        query_all(
            &client,
            "SELECT a.actor, d.id, d.name, u.name, o.code, o.name, o.kind
             FROM actors a JOIN devices d ON d.id = a.device_id
             JOIN users u ON u.id = d.user_id JOIN orgs o ON o.code = u.org
             WHERE a.actor = ANY($1::TEXT[])
             ORDER BY a.actor",
            &[&actors],
            |r| {
                Ok(ActorInfo {
                    actor: get(r, 0)?,
                    device_id: get(r, 1)?,
                    device_name: get(r, 2)?,
                    user_name: get(r, 3)?,
                    org: get(r, 4)?,
                    org_name: get(r, 5)?,
                    org_kind: parsed(r, 6, OrgKind::parse)?,
                })
            },
        )
        .await
    }

    async fn touch_device(
        &self,
        device_id: &str,
        at: DateTime<Utc>,
        cursor: i64,
        schema: i64,
    ) -> DbResult<()> {
        let client = self.client().await?;
        let n = execute(
            &client,
            "UPDATE devices SET last_sync_at = $2, last_cursor = $3, schema = $4 WHERE id = $1",
            &[&device_id, &at, &cursor, &schema],
        )
        .await?;
        if n == 0 {
            return Err(DbError::NotFound(format!("device {device_id}")));
        }
        Ok(())
    }

    // --- grants ---------------------------------------------------------

    async fn create_grant(&self, g: &Grant) -> DbResult<()> {
        let client = self.client().await?;
        execute(
            &client,
            &format!(
                "INSERT INTO grants ({GRANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            ),
            &[
                &g.id,
                &g.doc_id,
                &g.partner,
                &g.mode.as_str(),
                &g.expires_at,
                &g.created_by,
                &g.created_at,
                &g.revoked_at,
                &g.office,
            ],
        )
        .await?;
        Ok(())
    }

    async fn get_grant(&self, id: &str) -> DbResult<Option<Grant>> {
        let client = self.client().await?;
        query_opt(
            &client,
            &format!("SELECT {GRANT_COLUMNS} FROM grants WHERE id = $1"),
            &[&id],
            grant_row,
        )
        .await
    }

    async fn revoke_grant(&self, id: &str, at: DateTime<Utc>) -> DbResult<bool> {
        let client = self.client().await?;
        // It was active if it was unrevoked and had not expired by `at`.
        let was_active: Option<bool> = query_opt(
            &client,
            "UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL
             RETURNING expires_at IS NULL OR expires_at > $2",
            &[&id, &at],
            |r| get(r, 0),
        )
        .await?;
        Ok(was_active.unwrap_or(false))
    }

    async fn grants_for_doc(&self, doc_id: &str) -> DbResult<Vec<Grant>> {
        let client = self.client().await?;
        query_all(
            &client,
            &format!(
                "SELECT {GRANT_COLUMNS} FROM grants WHERE doc_id = $1 ORDER BY created_at, id"
            ),
            &[&doc_id],
            grant_row,
        )
        .await
    }

    async fn grants_for_partner(&self, partner: &str) -> DbResult<Vec<Grant>> {
        let client = self.client().await?;
        query_all(
            &client,
            &format!(
                "SELECT {GRANT_COLUMNS} FROM grants WHERE partner = $1 ORDER BY created_at, id"
            ),
            &[&partner],
            grant_row,
        )
        .await
    }

    // --- documents and the feed -----------------------------------------

    async fn load_doc(&self, id: &str) -> DbResult<Option<StoredDoc>> {
        let client = self.client().await?;
        query_opt(
            &client,
            "SELECT id, kind, owner, holder, bytes, version FROM docs WHERE id = $1",
            &[&id],
            doc_row,
        )
        .await
    }

    async fn store_doc(
        &self,
        doc: &StoredDoc,
        expected_version: i64,
        p: &DocProjection,
        entries: &[NewEntry],
    ) -> DbResult<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        // The conditional write is the version check. A concurrent writer of
        // the same document waits on its row lock (or, for a new document,
        // on the conflicting insert), then finds the version moved on and
        // changes nothing: exactly one of two racing writers wins.
        let stored = if expected_version == 0 {
            execute(
                &tx,
                "INSERT INTO docs (id, kind, owner, holder, bytes, version) VALUES ($1, $2, $3, $4, $5, 1)
                 ON CONFLICT (id) DO NOTHING",
                &[&doc.id, &doc.kind, &doc.owner, &doc.holder, &doc.bytes],
            )
            .await?
        } else {
            execute(
                &tx,
                "UPDATE docs SET kind = $2, owner = $3, holder = $4, bytes = $5, version = $6 + 1
                 WHERE id = $1 AND version = $6",
                &[
                    &doc.id,
                    &doc.kind,
                    &doc.owner,
                    &doc.holder,
                    &doc.bytes,
                    &expected_version,
                ],
            )
            .await?
        };
        if stored == 0 {
            return Ok(false); // dropping the transaction rolls it back
        }
        execute(
            &tx,
            &format!(
                "INSERT INTO projections ({PROJECTION_COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 ON CONFLICT (id) DO UPDATE SET
                     kind = excluded.kind, owner = excluded.owner, holder = excluded.holder,
                     number = excluded.number, title = excluded.title, status = excluded.status,
                     status_label = excluded.status_label, closed = excluded.closed,
                     conflicts = excluded.conflicts, next_due = excluded.next_due,
                     schema = excluded.schema, data = excluded.data, updated_at = excluded.updated_at"
            ),
            &[
                &doc.id,
                &p.kind,
                &p.owner,
                &p.holder,
                &p.number,
                &p.title,
                &p.status,
                &p.status_label,
                &p.closed,
                &p.conflicts,
                &p.next_due,
                &p.schema,
                &p.data,
                &p.updated_at,
            ],
        )
        .await?;
        write_facts(
            &tx,
            &doc.id,
            &p.owner,
            &p.kind,
            super::facts_row(p.facts.as_ref())?.as_ref(),
        )
        .await?;
        insert_entries(&tx, &doc.id, entries).await?;
        execute(&tx, "DELETE FROM blob_refs WHERE doc_id = $1", &[&doc.id]).await?;
        for sha in &p.attachments {
            execute(
                &tx,
                "INSERT INTO blob_refs (sha256, doc_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[sha, &doc.id],
            )
            .await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn append_entries(&self, doc_id: &str, entries: &[NewEntry]) -> DbResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        insert_entries(&tx, doc_id, entries).await?;
        tx.commit().await.map_err(backend)
    }

    async fn feed_since(
        &self,
        cursor: i64,
        vis: &Visibility,
        now: DateTime<Utc>,
        limit: i64,
    ) -> DbResult<Vec<FeedEntry>> {
        let client = self.client().await?;
        let limit = limit.max(0);
        const HEAD: &str =
            "SELECT f.seq, f.doc_id, f.kind, f.audience, f.origin_device, f.bytes FROM feed f";
        match vis {
            // The bureau reads every document; nothing is addressed to it.
            Visibility::All => {
                query_all(
                    &client,
                    &format!("{HEAD} WHERE f.seq > $1 AND f.kind = 'change' ORDER BY f.seq LIMIT $2"),
                    &[&cursor, &limit],
                    feed_row,
                )
                .await
            }
            Visibility::Office(org) => {
                query_all(
                    &client,
                    &format!(
                        "{HEAD} WHERE f.seq > $1 AND (
                            (f.kind = 'change' AND EXISTS (
                                SELECT 1 FROM docs d WHERE d.id = f.doc_id AND (d.owner = $3 OR d.holder = $3)))
                            OR (f.kind IN ('access', 'revoke') AND f.audience = $3))
                         ORDER BY f.seq LIMIT $2"
                    ),
                    &[&cursor, &limit, org],
                    feed_row,
                )
                .await
            }
            Visibility::Partner(org) => {
                query_all(
                    &client,
                    &format!(
                        "{HEAD} WHERE f.seq > $1 AND (
                            (f.kind = 'change' AND EXISTS (
                                SELECT 1 FROM docs d JOIN grants g ON g.doc_id = d.id
                                WHERE d.id = f.doc_id AND d.kind <> 'annex' AND g.partner = $3
                                  AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > $4)))
                            OR (f.kind IN ('access', 'revoke') AND f.audience = $3))
                         ORDER BY f.seq LIMIT $2"
                    ),
                    &[&cursor, &limit, org, &now],
                    feed_row,
                )
                .await
            }
            Visibility::PartnerVia { partner, office } => {
                query_all(
                    &client,
                    &format!(
                        "{HEAD} WHERE f.seq > $1 AND (
                            (f.kind = 'change' AND EXISTS (
                                SELECT 1 FROM docs d JOIN grants g ON g.doc_id = d.id
                                WHERE d.id = f.doc_id AND d.kind <> 'annex' AND g.partner = $3 AND g.office = $5
                                  AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > $4)))
                            OR (f.kind IN ('access', 'revoke') AND f.audience = $3 AND EXISTS (
                                SELECT 1 FROM grants g WHERE g.doc_id = f.doc_id AND g.partner = $3 AND g.office = $5)))
                         ORDER BY f.seq LIMIT $2"
                    ),
                    &[&cursor, &limit, partner, &now, office],
                    feed_row,
                )
                .await
            }
        }
    }

    async fn feed_head(&self) -> DbResult<i64> {
        let client = self.client().await?;
        let row = client
            .query_one("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM feed", &[])
            .await
            .map_err(backend)?;
        get(&row, 0)
    }

    // --- attachments ----------------------------------------------------

    async fn blob_docs(&self, sha256: &str) -> DbResult<Vec<String>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT doc_id FROM blob_refs WHERE sha256 = $1 ORDER BY doc_id",
                &[&sha256],
            )
            .await
            .map_err(backend)?;
        rows.iter().map(|r| get(r, 0)).collect()
    }

    async fn blob_status(&self, sha256: &str) -> DbResult<Option<BlobRow>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT size, received, complete FROM blobs WHERE sha256 = $1",
                &[&sha256],
            )
            .await
            .map_err(backend)?;
        row.map(|r| {
            Ok(BlobRow {
                size: get(&r, 0)?,
                received: get(&r, 1)?,
                complete: get(&r, 2)?,
            })
        })
        .transpose()
    }

    async fn blob_append(
        &self,
        sha256: &str,
        size: i64,
        offset: i64,
        chunks: Vec<Vec<u8>>,
    ) -> DbResult<BlobAppend> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        execute(
            &tx,
            "INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&sha256, &size],
        )
        .await?;
        // The row lock serialises two relays appending to the same blob.
        let row = tx
            .query_one(
                "SELECT size, received FROM blobs WHERE sha256 = $1 FOR UPDATE",
                &[&sha256],
            )
            .await
            .map_err(backend)?;
        let declared: i64 = get(&row, 0)?;
        let mut received: i64 = get(&row, 1)?;
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
            execute(
                &tx,
                "INSERT INTO blob_chunks (sha256, pos, bytes) VALUES ($1, $2, $3)",
                &[&sha256, &received, chunk],
            )
            .await?;
            received += chunk.len() as i64;
        }
        execute(
            &tx,
            "UPDATE blobs SET received = $2 WHERE sha256 = $1",
            &[&sha256, &received],
        )
        .await?;
        tx.commit().await.map_err(backend)?;
        Ok(BlobAppend::Appended(received))
    }

    async fn blob_read(
        &self,
        sha256: &str,
        from: i64,
        max_bytes: i64,
    ) -> DbResult<Vec<(i64, Vec<u8>)>> {
        let client = self.client().await?;
        // Chunks are at most 64 KB: ask for enough rows to cover max_bytes.
        let rows_wanted: i64 = (max_bytes / (64 * 1024)).max(1) + 1;
        let rows = client
            .query(
                "SELECT pos, bytes FROM blob_chunks WHERE sha256 = $1 AND pos >= COALESCE(
                     (SELECT MAX(pos) FROM blob_chunks WHERE sha256 = $1 AND pos <= $2), 0)
                 ORDER BY pos LIMIT $3",
                &[&sha256, &from, &rows_wanted],
            )
            .await
            .map_err(backend)?;
        let mut out = Vec::new();
        let mut total = 0i64;
        for r in &rows {
            let bytes: Vec<u8> = get(r, 1)?;
            total += bytes.len() as i64;
            out.push((get(r, 0)?, bytes));
            if total >= max_bytes {
                break;
            }
        }
        Ok(out)
    }

    async fn blob_finish(&self, sha256: &str, verified: bool) -> DbResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        if verified {
            execute(
                &tx,
                "UPDATE blobs SET complete = TRUE WHERE sha256 = $1",
                &[&sha256],
            )
            .await?;
        } else {
            execute(&tx, "DELETE FROM blob_chunks WHERE sha256 = $1", &[&sha256]).await?;
            execute(&tx, "DELETE FROM blobs WHERE sha256 = $1", &[&sha256]).await?;
        }
        tx.commit().await.map_err(backend)
    }

    // --- the bureau copy ------------------------------------------------

    async fn projections(
        &self,
        owner: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<DocProjection>> {
        let client = self.client().await?;
        query_all(
            &client,
            &format!(
                "SELECT {PROJECTION_COLUMNS} FROM projections
                 WHERE $1::TEXT IS NULL OR owner = $1
                 ORDER BY updated_at DESC, id
                 LIMIT $2 OFFSET $3"
            ),
            &[&owner, &limit.max(0), &offset.max(0)],
            projection_row,
        )
        .await
    }

    async fn stat_facts(
        &self,
        owners: &[String],
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<super::facts::PackedRows> {
        let client = self.client().await?;
        let owners: Vec<String> = owners.to_vec();
        // Rows are streamed into one buffer as they arrive, not first
        // gathered as hundreds of thousands of `Row`s.
        let in_window = "((last_on >= $1 AND first_on <= $2) OR kind = 'campaign')";
        let rows = if owners.is_empty() {
            let sql = format!("SELECT facts FROM stat_facts WHERE {in_window}");
            let params: [&(dyn ToSql + Sync); 2] = [&from, &to];
            client.query_raw(&sql, params).await
        } else {
            let sql = format!("SELECT facts FROM stat_facts WHERE owner = ANY($3) AND {in_window}");
            let params: [&(dyn ToSql + Sync); 3] = [&from, &to, &owners];
            client.query_raw(&sql, params).await
        }
        .map_err(backend)?;
        futures_util::pin_mut!(rows);
        let mut out = super::facts::PackedRows::default();
        while let Some(row) = rows.try_next().await.map_err(backend)? {
            let bytes: &[u8] = row.try_get(0).map_err(backend)?;
            out.push(bytes);
        }
        Ok(out)
    }

    async fn stat_owners(&self) -> DbResult<Vec<String>> {
        let client = self.client().await?;
        let rows = client
            .query(super::STAT_OWNERS_SQL, &[])
            .await
            .map_err(backend)?;
        rows.iter().map(|r| r.try_get(0).map_err(backend)).collect()
    }

    async fn docs_without_facts(&self, after: &str, limit: i64) -> DbResult<Vec<StoredDoc>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT d.id, d.kind, d.owner, d.holder, d.bytes, d.version FROM docs d
             WHERE d.id > $1 AND d.kind NOT IN {}
               AND NOT EXISTS (SELECT 1 FROM stat_facts s WHERE s.id = d.id)
             ORDER BY d.id LIMIT $2",
            super::KINDS_WITHOUT_FACTS
        );
        query_all(&client, &sql, &[&after, &limit.max(0)], doc_row).await
    }

    async fn put_stat_facts(&self, rows: &[super::FactsUpdate]) -> DbResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        for r in rows {
            let row = super::facts_row(r.facts.as_ref())?;
            write_facts(&tx, &r.id, &r.owner, &r.kind, row.as_ref()).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn office_health(&self) -> DbResult<Vec<OfficeHealth>> {
        let client = self.client().await?;
        // Three queries whatever the number of offices (the relay may be far
        // from the database): the offices with their counts, every office's
        // schema versions, every office's devices.
        let mut out = query_all(
            &client,
            "SELECT o.code, o.name,
                (SELECT COUNT(*) FROM docs d WHERE d.owner = o.code OR d.holder = o.code),
                (SELECT COALESCE(SUM(p.conflicts), 0)::BIGINT FROM projections p
                  WHERE p.owner = o.code OR p.holder = o.code)
             FROM orgs o WHERE o.kind IN ('office', 'bureau') ORDER BY o.code",
            &[],
            |r| {
                Ok(OfficeHealth {
                    org: get(r, 0)?,
                    name: get(r, 1)?,
                    documents: get(r, 2)?,
                    pending_conflicts: get(r, 3)?,
                    schema_versions: Vec::new(),
                    devices: Vec::new(),
                })
            },
        )
        .await?;
        let index: HashMap<String, usize> = out
            .iter()
            .enumerate()
            .map(|(i, h)| (h.org.clone(), i))
            .collect();
        let schemas = query_all(
            &client,
            "SELECT DISTINCT o.code, p.schema FROM orgs o
             JOIN projections p ON p.owner = o.code OR p.holder = o.code
             WHERE o.kind IN ('office', 'bureau') ORDER BY o.code, p.schema",
            &[],
            |r| Ok((get::<String>(r, 0)?, get::<i64>(r, 1)?)),
        )
        .await?;
        for (org, schema) in schemas {
            if let Some(&i) = index.get(&org) {
                out[i].schema_versions.push(schema);
            }
        }
        let devices = query_all(
            &client,
            "SELECT u.org, d.id, d.name, u.name, d.last_sync_at, d.last_cursor, d.schema, d.revoked_at IS NOT NULL
             FROM devices d JOIN users u ON u.id = d.user_id ORDER BY u.org, d.id",
            &[],
            |r| {
                Ok((
                    get::<String>(r, 0)?,
                    DeviceHealth {
                        device_id: get(r, 1)?,
                        device_name: get(r, 2)?,
                        user: get(r, 3)?,
                        last_sync_at: get(r, 4)?,
                        last_cursor: get(r, 5)?,
                        schema: get(r, 6)?,
                        revoked: get(r, 7)?,
                    },
                ))
            },
        )
        .await?;
        for (org, device) in devices {
            if let Some(&i) = index.get(&org) {
                out[i].devices.push(device);
            }
        }
        Ok(out)
    }
}
