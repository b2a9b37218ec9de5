//! The storage contract, run against every backend: SQLite always (in a
//! temporary directory), PostgreSQL when `HONGDUN_TEST_DATABASE_URL` names a
//! database the tests may create schemas in (each test gets a fresh schema,
//! dropped afterwards). Under CI (`CI` set) a missing URL fails the
//! PostgreSQL tests instead of skipping them, so CI cannot quietly test only
//! one backend.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use hongdun_core::record::RecordKind;
use hongdun_core::stats::{Facts, RecordFacts};
use hongdun_server::storage::postgres::PostgresDatabase;
use hongdun_server::storage::sqlite::SqliteDatabase;
use hongdun_server::storage::{
    Database, DbError, DocProjection, EntryKind, FactsUpdate, FeedEntry, Grant, GrantMode,
    NewEntry, Org, OrgKind, Role, StoredDoc, User, Visibility,
};

type Db = Arc<dyn Database>;

const PG_URL_VAR: &str = "HONGDUN_TEST_DATABASE_URL";

// --- backends -----------------------------------------------------------

async fn sqlite_backend() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = SqliteDatabase::open(&dir.path().join("relay.sqlite3")).expect("open sqlite");
    db.migrate().await.expect("migrate sqlite");
    (Arc::new(db), dir)
}

/// A fresh schema in the test database, dropped when the test ends (also
/// when it fails).
struct PgSchema {
    admin_url: String,
    name: String,
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime: use a thread with its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok(client) = pg_admin(&url).await {
                    let _ = client
                        .batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
                        .await;
                }
            });
        })
        .join();
    }
}

async fn pg_admin(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(conn);
    Ok(client)
}

/// The PostgreSQL backend on a new schema, or `None` (skip) when no test
/// database is configured outside CI.
async fn postgres_backend() -> Option<(Db, PgSchema)> {
    let Ok(url) = std::env::var(PG_URL_VAR) else {
        if std::env::var_os("CI").is_some() {
            panic!("{PG_URL_VAR} is not set: CI must run the PostgreSQL storage tests");
        }
        eprintln!("skipped: set {PG_URL_VAR} to run the PostgreSQL storage tests");
        return None;
    };
    let name = format!("hongdun_test_{}", uuid::Uuid::new_v4().simple());
    let admin = pg_admin(&url).await.expect("connect to the test database");
    admin
        .batch_execute(&format!("CREATE SCHEMA {name}"))
        .await
        .expect("create the test schema");
    let schema = PgSchema {
        admin_url: url.clone(),
        name: name.clone(),
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    let db = PostgresDatabase::connect(&format!("{url}{sep}options=-csearch_path%3D{name}"))
        .await
        .expect("connect postgres");
    db.migrate().await.expect("migrate postgres");
    Some((Arc::new(db), schema))
}

/// Runs each scenario once per backend: `sqlite::NAME` and `postgres::NAME`.
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (db, _dir) = super::sqlite_backend().await;
                    super::$name(db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some((db, _schema)) = super::postgres_backend().await else { return };
                    super::$name(db).await;
                }
            )*
        }
    };
}

on_every_backend!(
    migrate_twice_changes_nothing,
    identity_round_trips_and_duplicates_conflict,
    enrollment_code_works_once_and_not_after_expiry,
    racing_redemptions_of_one_code_enroll_once,
    revoked_device_token_stops_working_at_once,
    replayed_request_id_is_refused_and_old_ids_are_forgotten,
    store_doc_checks_the_version_so_one_of_two_writers_wins,
    racing_writers_of_one_document_store_exactly_once,
    feed_is_in_seq_order_and_pages_by_cursor,
    office_sees_documents_it_owns_or_holds_and_holder_change_moves_visibility,
    partner_sees_only_actively_granted_documents_and_never_annexes,
    access_and_revoke_entries_reach_only_their_audience,
    concurrent_appends_never_show_a_reader_a_gap,
    grants_round_trip_and_revoke_once,
    projections_filter_by_owner_and_page,
    office_health_counts_documents_conflicts_schemas_and_devices,
    a_sponsored_partner_device_sees_only_its_sponsors_grants,
    an_actor_is_bound_to_its_first_device_and_refused_to_other_users,
    statistics_facts_are_written_in_batches_and_read_by_owner_and_window,
);

// --- fixtures -------------------------------------------------------------

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap()
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

async fn org(db: &Db, code: &str, kind: OrgKind) {
    db.create_org(&Org {
        code: code.into(),
        name: format!("{code} 名称"),
        kind,
    })
    .await
    .unwrap();
}

async fn user(db: &Db, id: &str, org: &str, role: Role) {
    db.create_user(&User {
        id: id.into(),
        org: org.into(),
        name: format!("{id} 姓名"),
        role,
    })
    .await
    .unwrap();
}

/// Bureau B, offices O1 O2 O3, partners P and P2, one user each.
async fn world(db: &Db) {
    org(db, "B", OrgKind::Bureau).await;
    for o in ["O1", "O2", "O3"] {
        org(db, o, OrgKind::Office).await;
    }
    org(db, "P", OrgKind::Partner).await;
    org(db, "P2", OrgKind::Partner).await;
    user(db, "ub", "B", Role::Bureau).await;
    user(db, "u1", "O1", Role::Staff).await;
    user(db, "u2", "O2", Role::Head).await;
    user(db, "up", "P", Role::Partner).await;
}

fn doc(id: &str, kind: &str, owner: &str, holder: Option<&str>, bytes: &[u8]) -> StoredDoc {
    StoredDoc {
        id: id.into(),
        kind: kind.into(),
        owner: owner.into(),
        holder: holder.map(Into::into),
        bytes: bytes.to_vec(),
        version: 0,
    }
}

fn projection(
    d: &StoredDoc,
    conflicts: i64,
    schema: i64,
    updated_at: DateTime<Utc>,
) -> DocProjection {
    DocProjection {
        id: d.id.clone(),
        kind: d.kind.clone(),
        owner: d.owner.clone(),
        holder: d.holder.clone(),
        number: Some(format!("{}罚立〔2024〕1号", d.owner)),
        title: format!("{} 案", d.id),
        status: "filed".into(),
        status_label: "已立案".into(),
        closed: false,
        conflicts,
        next_due: Some("2024-05-30".into()),
        schema,
        data: serde_json::json!({ "fine_fen": 150_000, "parties": ["某商行"] }),
        updated_at,
        facts: None,
        attachments: vec![],
    }
}

fn change(bytes: &[u8]) -> NewEntry {
    NewEntry {
        kind: EntryKind::Change,
        audience: None,
        origin_device: Some("dev-1".into()),
        bytes: bytes.to_vec(),
    }
}

fn addressed(kind: EntryKind, audience: &str) -> NewEntry {
    NewEntry {
        kind,
        audience: Some(audience.into()),
        origin_device: None,
        bytes: Vec::new(),
    }
}

/// Stores `d` over `expected` with one change entry carrying `change_bytes`.
async fn put(db: &Db, d: &StoredDoc, expected: i64, change_bytes: &[u8]) -> bool {
    db.store_doc(
        d,
        expected,
        &projection(d, 0, 1, t0()),
        &[change(change_bytes)],
    )
    .await
    .unwrap()
}

fn grant(id: &str, doc_id: &str, partner: &str, expires_at: Option<DateTime<Utc>>) -> Grant {
    Grant {
        id: id.into(),
        doc_id: doc_id.into(),
        partner: partner.into(),
        mode: GrantMode::Read,
        expires_at,
        created_by: "u1".into(),
        created_at: t0(),
        revoked_at: None,
        office: None,
    }
}

/// The whole feed a viewer may see at `now`, as (doc id, change bytes).
async fn visible(db: &Db, vis: Visibility, now: DateTime<Utc>) -> Vec<(String, Vec<u8>)> {
    db.feed_since(0, &vis, now, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.doc_id, e.bytes))
        .collect()
}

fn ids(entries: &[(String, Vec<u8>)]) -> Vec<&str> {
    entries.iter().map(|(id, _)| id.as_str()).collect()
}

// --- scenarios -----------------------------------------------------------

async fn migrate_twice_changes_nothing(db: Db) {
    world(&db).await;
    db.migrate().await.unwrap();
    assert_eq!(db.list_orgs().await.unwrap().len(), 6);
}

async fn identity_round_trips_and_duplicates_conflict(db: Db) {
    world(&db).await;
    let o1 = db.get_org("O1").await.unwrap().unwrap();
    assert_eq!((o1.name.as_str(), o1.kind), ("O1 名称", OrgKind::Office));
    assert_eq!(db.get_org("nope").await.unwrap(), None);
    let codes: Vec<String> = db
        .list_orgs()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.code)
        .collect();
    assert_eq!(codes, ["B", "O1", "O2", "O3", "P", "P2"]);
    let u2 = db.get_user("u2").await.unwrap().unwrap();
    assert_eq!((u2.org.as_str(), u2.role), ("O2", Role::Head));
    assert_eq!(db.get_user("nobody").await.unwrap(), None);

    let again = db
        .create_org(&Org {
            code: "O1".into(),
            name: "x".into(),
            kind: OrgKind::Office,
        })
        .await;
    assert!(matches!(again, Err(DbError::Conflict(_))), "{again:?}");
    let orphan = db
        .create_user(&User {
            id: "u9".into(),
            org: "nope".into(),
            name: "x".into(),
            role: Role::Staff,
        })
        .await;
    assert!(orphan.is_err(), "a user of an unknown org must be refused");
}

async fn enrollment_code_works_once_and_not_after_expiry(db: Db) {
    world(&db).await;
    db.create_device("dev-1", "u1", "所里的笔记本")
        .await
        .unwrap();
    db.create_device("dev-2", "u1", "备用机").await.unwrap();
    db.create_enrollment("dev-1", "code-1", t0() + hours(24))
        .await
        .unwrap();
    db.create_enrollment("dev-2", "code-2", t0() + hours(1))
        .await
        .unwrap();
    assert_eq!(
        db.principal_by_token("tok-1").await.unwrap(),
        None,
        "not enrolled yet"
    );

    let p = db
        .redeem_enrollment("code-1", "tok-1", t0())
        .await
        .unwrap()
        .expect("first redeem works");
    assert_eq!(
        (
            p.device_id.as_str(),
            p.user_id.as_str(),
            p.user_name.as_str(),
            p.role,
            p.org.as_str(),
            p.org_kind
        ),
        ("dev-1", "u1", "u1 姓名", Role::Staff, "O1", OrgKind::Office)
    );
    assert_eq!(
        db.redeem_enrollment("code-1", "tok-other", t0())
            .await
            .unwrap(),
        None,
        "a code works once"
    );
    assert_eq!(db.principal_by_token("tok-other").await.unwrap(), None);
    assert_eq!(db.principal_by_token("tok-1").await.unwrap(), Some(p));
    assert_eq!(
        db.redeem_enrollment("no-such-code", "tok-3", t0())
            .await
            .unwrap(),
        None
    );

    // Expiry is exclusive: at the expiry instant the code is dead.
    assert_eq!(
        db.redeem_enrollment("code-2", "tok-2", t0() + hours(1))
            .await
            .unwrap(),
        None
    );
    assert_eq!(db.principal_by_token("tok-2").await.unwrap(), None);

    let devices = db.list_devices().await.unwrap();
    assert_eq!(devices.len(), 2);
    assert_eq!(
        (devices[0].id.as_str(), devices[0].enrolled_at),
        ("dev-1", Some(t0()))
    );
    assert_eq!(
        (devices[1].id.as_str(), devices[1].enrolled_at),
        ("dev-2", None)
    );
}

async fn racing_redemptions_of_one_code_enroll_once(db: Db) {
    world(&db).await;
    db.create_device("dev-1", "u1", "laptop").await.unwrap();
    db.create_enrollment("dev-1", "code-1", t0() + hours(1))
        .await
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let db = Arc::clone(&db);
            tokio::spawn(async move {
                db.redeem_enrollment("code-1", &format!("tok-{i}"), t0())
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut winners = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        if t.await.unwrap().is_some() {
            winners.push(i);
        }
    }
    assert_eq!(winners.len(), 1, "exactly one redemption wins: {winners:?}");
    let token = format!("tok-{}", winners[0]);
    assert!(db.principal_by_token(&token).await.unwrap().is_some());
}

async fn revoked_device_token_stops_working_at_once(db: Db) {
    world(&db).await;
    db.create_device("dev-1", "u1", "laptop").await.unwrap();
    db.create_enrollment("dev-1", "code-1", t0() + hours(1))
        .await
        .unwrap();
    db.redeem_enrollment("code-1", "tok-1", t0())
        .await
        .unwrap()
        .unwrap();
    assert!(db.revoke_device("dev-1", t0() + hours(2)).await.unwrap());
    assert!(
        !db.revoke_device("dev-1", t0() + hours(3)).await.unwrap(),
        "already revoked"
    );
    assert!(!db.revoke_device("no-such-device", t0()).await.unwrap());
    assert_eq!(db.principal_by_token("tok-1").await.unwrap(), None);
    let dev = db.list_devices().await.unwrap().remove(0);
    assert_eq!(dev.revoked_at, Some(t0() + hours(2)));

    // A fresh code cannot bring a revoked device back.
    db.create_enrollment("dev-1", "code-2", t0() + hours(10))
        .await
        .unwrap();
    assert_eq!(
        db.redeem_enrollment("code-2", "tok-2", t0() + hours(4))
            .await
            .unwrap(),
        None
    );
    assert_eq!(db.principal_by_token("tok-2").await.unwrap(), None);
}

async fn replayed_request_id_is_refused_and_old_ids_are_forgotten(db: Db) {
    world(&db).await;
    db.create_device("dev-1", "u1", "a").await.unwrap();
    db.create_device("dev-2", "u1", "b").await.unwrap();
    assert!(db.note_request("dev-1", b"req-1", t0()).await.unwrap());
    assert!(
        !db.note_request("dev-1", b"req-1", t0()).await.unwrap(),
        "a replay"
    );
    assert!(
        !db.note_request("dev-1", b"req-1", t0() + hours(23))
            .await
            .unwrap(),
        "still a replay within a day"
    );
    assert!(
        db.note_request("dev-2", b"req-1", t0()).await.unwrap(),
        "ids are per device"
    );
    assert!(db.note_request("dev-1", b"req-2", t0()).await.unwrap());

    // Pruning is opportunistic (now and then, not on every call): after
    // enough requests two days later, the day-old ids are gone.
    let later = t0() + hours(48);
    for i in 0..200u32 {
        assert!(db
            .note_request("dev-2", &i.to_be_bytes(), later)
            .await
            .unwrap());
    }
    assert!(
        db.note_request("dev-1", b"req-1", later).await.unwrap(),
        "pruned after a day"
    );
    assert!(
        !db.note_request("dev-2", &7u32.to_be_bytes(), later)
            .await
            .unwrap(),
        "recent ids are kept"
    );
}

async fn store_doc_checks_the_version_so_one_of_two_writers_wins(db: Db) {
    world(&db).await;
    let d = doc("case-1", "case", "O1", None, b"v1");
    assert!(put(&db, &d, 0, b"c1").await);
    let loaded = db.load_doc("case-1").await.unwrap().unwrap();
    assert_eq!(
        (loaded.version, loaded.bytes.as_slice(), loaded.holder),
        (1, &b"v1"[..], None)
    );
    assert!(
        !put(
            &db,
            &doc("case-1", "case", "O1", None, b"other"),
            0,
            b"lost"
        )
        .await,
        "it exists already"
    );

    // Two writers loaded version 1; the first to store wins.
    assert!(put(&db, &doc("case-1", "case", "O1", None, b"A"), 1, b"cA").await);
    assert!(
        !put(
            &db,
            &doc("case-1", "case", "O1", Some("O2"), b"B"),
            1,
            b"cB"
        )
        .await
    );
    let loaded = db.load_doc("case-1").await.unwrap().unwrap();
    assert_eq!(
        (loaded.version, loaded.bytes.as_slice(), loaded.holder),
        (2, &b"A"[..], None)
    );
    // The loser changed nothing: neither the projection nor the feed.
    let p = db.projections(None, 10, 0).await.unwrap();
    assert_eq!((p.len(), p[0].holder.clone()), (1, None));
    let feed = visible(&db, Visibility::All, t0()).await;
    assert_eq!(
        feed.iter().map(|(_, b)| b.as_slice()).collect::<Vec<_>>(),
        [&b"c1"[..], b"cA"]
    );
    assert_eq!(db.load_doc("nope").await.unwrap(), None);
}

async fn racing_writers_of_one_document_store_exactly_once(db: Db) {
    world(&db).await;
    assert!(put(&db, &doc("case-1", "case", "O1", None, b"v1"), 0, b"c0").await);
    let tasks: Vec<_> = (0..8u8)
        .map(|i| {
            let db = Arc::clone(&db);
            tokio::spawn(async move {
                put(&db, &doc("case-1", "case", "O1", None, &[i]), 1, &[i]).await
            })
        })
        .collect();
    let mut winners = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        if t.await.unwrap() {
            winners.push(i as u8);
        }
    }
    assert_eq!(winners.len(), 1, "one winner: {winners:?}");
    let loaded = db.load_doc("case-1").await.unwrap().unwrap();
    assert_eq!((loaded.version, loaded.bytes), (2, winners.clone()));
    let feed = visible(&db, Visibility::All, t0()).await;
    assert_eq!(feed.len(), 2, "only the winner's change reached the feed");
    assert_eq!(feed[1].1, winners);

    // Racing creators of a new document: one wins as well.
    let tasks: Vec<_> = (0..8u8)
        .map(|i| {
            let db = Arc::clone(&db);
            tokio::spawn(async move {
                put(&db, &doc("case-new", "case", "O1", None, &[i]), 0, &[i]).await
            })
        })
        .collect();
    let mut created = 0;
    for t in tasks {
        created += usize::from(t.await.unwrap());
    }
    assert_eq!(created, 1);
}

async fn feed_is_in_seq_order_and_pages_by_cursor(db: Db) {
    world(&db).await;
    assert_eq!(db.feed_head().await.unwrap(), 0);
    assert!(db
        .feed_since(0, &Visibility::All, t0(), 10)
        .await
        .unwrap()
        .is_empty());
    for i in 0..5u8 {
        let d = doc(&format!("case-{i}"), "case", "O1", None, b"doc");
        let entries = [change(&[i, 0]), change(&[i, 1])];
        assert!(db
            .store_doc(&d, 0, &projection(&d, 0, 1, t0()), &entries)
            .await
            .unwrap());
    }
    let all = db.feed_since(0, &Visibility::All, t0(), 100).await.unwrap();
    assert_eq!(all.len(), 10);
    assert!(
        all.windows(2).all(|w| w[0].seq < w[1].seq),
        "strictly increasing seq"
    );
    let bytes: Vec<Vec<u8>> = all.iter().map(|e| e.bytes.clone()).collect();
    let expected: Vec<Vec<u8>> = (0..5u8).flat_map(|i| [vec![i, 0], vec![i, 1]]).collect();
    assert_eq!(
        bytes, expected,
        "entries keep the order they were stored in"
    );
    assert_eq!(all[0].origin_device.as_deref(), Some("dev-1"));
    assert_eq!(db.feed_head().await.unwrap(), all[9].seq);

    // Paging: limit, then resume from the last seq seen.
    let mut cursor = 0;
    let mut paged: Vec<FeedEntry> = Vec::new();
    loop {
        let page = db
            .feed_since(cursor, &Visibility::All, t0(), 3)
            .await
            .unwrap();
        assert!(page.len() <= 3);
        let Some(last) = page.last() else { break };
        cursor = last.seq;
        paged.extend(page);
    }
    assert_eq!(paged, all);
    assert!(db
        .feed_since(all[9].seq, &Visibility::All, t0(), 10)
        .await
        .unwrap()
        .is_empty());
}

async fn office_sees_documents_it_owns_or_holds_and_holder_change_moves_visibility(db: Db) {
    world(&db).await;
    assert!(put(&db, &doc("c1", "case", "O1", None, b"d"), 0, b"c1-a").await);
    assert!(put(&db, &doc("c2", "complaint", "O2", None, b"d"), 0, b"c2-a").await);
    assert!(put(&db, &doc("a1", "annex", "O1", None, b"d"), 0, b"a1-a").await);
    let office = |o: &str| Visibility::Office(o.into());

    assert_eq!(ids(&visible(&db, office("O1"), t0()).await), ["c1", "a1"]);
    assert_eq!(ids(&visible(&db, office("O2"), t0()).await), ["c2"]);
    assert!(visible(&db, office("O3"), t0()).await.is_empty());
    assert_eq!(
        ids(&visible(&db, Visibility::All, t0()).await),
        ["c1", "c2", "a1"],
        "the bureau sees all"
    );

    // 流转: O2 dispatches its complaint to O1. O1 now sees the document's
    // whole history; the owner keeps seeing it.
    assert!(
        put(
            &db,
            &doc("c2", "complaint", "O2", Some("O1"), b"d"),
            1,
            b"c2-b"
        )
        .await
    );
    assert_eq!(
        ids(&visible(&db, office("O1"), t0()).await),
        ["c1", "c2", "a1", "c2"]
    );
    assert_eq!(ids(&visible(&db, office("O2"), t0()).await), ["c2", "c2"]);

    // Handed on to O3: O1 no longer sees it, O3 does.
    assert!(
        put(
            &db,
            &doc("c2", "complaint", "O2", Some("O3"), b"d"),
            2,
            b"c2-c"
        )
        .await
    );
    assert_eq!(ids(&visible(&db, office("O1"), t0()).await), ["c1", "a1"]);
    assert_eq!(
        ids(&visible(&db, office("O3"), t0()).await),
        ["c2", "c2", "c2"]
    );
    assert_eq!(
        ids(&visible(&db, office("O2"), t0()).await),
        ["c2", "c2", "c2"]
    );
}

async fn partner_sees_only_actively_granted_documents_and_never_annexes(db: Db) {
    world(&db).await;
    for (id, kind) in [
        ("c1", "case"),
        ("c2", "case"),
        ("c3", "case"),
        ("a1", "annex"),
    ] {
        assert!(put(&db, &doc(id, kind, "O1", None, b"d"), 0, id.as_bytes()).await);
    }
    db.create_grant(&grant("g1", "c1", "P", None))
        .await
        .unwrap();
    db.create_grant(&grant("g2", "c2", "P", Some(t0() + hours(1))))
        .await
        .unwrap();
    db.create_grant(&grant("g3", "a1", "P", None))
        .await
        .unwrap(); // must not leak the annex
    db.create_grant(&grant("g4", "c3", "P2", None))
        .await
        .unwrap();
    let partner = |p: &str| Visibility::Partner(p.into());

    assert_eq!(
        ids(&visible(&db, partner("P"), t0()).await),
        ["c1", "c2"],
        "no annex, ever"
    );
    assert_eq!(ids(&visible(&db, partner("P2"), t0()).await), ["c3"]);
    assert!(
        visible(&db, partner("P3"), t0()).await.is_empty(),
        "knowing an id grants nothing"
    );
    // The grant on c2 expires: exclusive at the instant itself.
    assert_eq!(
        ids(&visible(&db, partner("P"), t0() + hours(1)).await),
        ["c1"]
    );
    // A revoked grant hides the document at once.
    assert!(db.revoke_grant("g4", t0()).await.unwrap());
    assert!(visible(&db, partner("P2"), t0()).await.is_empty());
    // A later change to a granted document reaches the partner too.
    assert!(put(&db, &doc("c1", "case", "O1", None, b"d2"), 1, b"c1-b").await);
    let seen = visible(&db, partner("P"), t0()).await;
    assert_eq!(
        seen.iter().map(|(_, b)| b.as_slice()).collect::<Vec<_>>(),
        [&b"c1"[..], b"c2", b"c1-b"]
    );
    // Offices and partners never see each other's audience-less entries as theirs.
    assert_eq!(
        ids(&visible(&db, Visibility::Office("O2".into()), t0()).await),
        Vec::<&str>::new()
    );
}

async fn access_and_revoke_entries_reach_only_their_audience(db: Db) {
    world(&db).await;
    assert!(put(&db, &doc("c1", "case", "O1", None, b"d"), 0, b"c1").await);
    db.append_entries(
        "c1",
        &[
            addressed(EntryKind::Access, "P"),
            addressed(EntryKind::Revoke, "O2"),
        ],
    )
    .await
    .unwrap();
    db.append_entries("c1", &[]).await.unwrap();
    let kinds = |entries: Vec<FeedEntry>| -> Vec<(String, EntryKind)> {
        entries.into_iter().map(|e| (e.doc_id, e.kind)).collect()
    };
    let feed = |vis: Visibility| {
        let db = Arc::clone(&db);
        async move { db.feed_since(0, &vis, t0(), 100).await.unwrap() }
    };

    let p = feed(Visibility::Partner("P".into())).await;
    assert_eq!(
        kinds(p.clone()),
        [("c1".to_string(), EntryKind::Access)],
        "an access entry needs no grant"
    );
    assert_eq!(p[0].audience.as_deref(), Some("P"));
    assert!(feed(Visibility::Partner("P2".into())).await.is_empty());
    assert_eq!(
        kinds(feed(Visibility::Office("O2".into())).await),
        [("c1".to_string(), EntryKind::Revoke)]
    );
    assert_eq!(
        kinds(feed(Visibility::Office("O1".into())).await),
        [("c1".to_string(), EntryKind::Change)]
    );
    assert_eq!(
        kinds(feed(Visibility::All).await),
        [("c1".to_string(), EntryKind::Change)]
    );
    assert_eq!(db.feed_head().await.unwrap(), 3);
}

/// Readers polling while many writers append must only ever see a prefix of
/// the final feed: never seq N+1 before seq N has committed.
async fn concurrent_appends_never_show_a_reader_a_gap(db: Db) {
    world(&db).await;
    let writers: Vec<_> = (0..6)
        .map(|w| {
            let db = Arc::clone(&db);
            tokio::spawn(async move {
                for i in 0..15 {
                    let entries = [
                        addressed(EntryKind::Access, "O1"),
                        addressed(EntryKind::Access, "O1"),
                    ];
                    db.append_entries(&format!("doc-{w}-{i}"), &entries)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    let reader = {
        let db = Arc::clone(&db);
        tokio::spawn(async move {
            let mut snapshots = Vec::new();
            for _ in 0..60 {
                let seqs: Vec<i64> = db
                    .feed_since(0, &Visibility::Office("O1".into()), t0(), 10_000)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|e| e.seq)
                    .collect();
                snapshots.push(seqs);
                tokio::task::yield_now().await;
            }
            snapshots
        })
    };
    for w in writers {
        w.await.unwrap();
    }
    let snapshots = reader.await.unwrap();
    let last: Vec<i64> = db
        .feed_since(0, &Visibility::Office("O1".into()), t0(), 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(last.len(), 6 * 15 * 2);
    for s in snapshots {
        assert_eq!(s.as_slice(), &last[..s.len()], "a reader saw a gap");
    }
}

async fn grants_round_trip_and_revoke_once(db: Db) {
    world(&db).await;
    let mut g1 = grant("g1", "c1", "P", Some(t0() + hours(5)));
    g1.mode = GrantMode::ReadWrite;
    db.create_grant(&g1).await.unwrap();
    db.create_grant(&grant("g2", "c2", "P", Some(t0() + hours(1))))
        .await
        .unwrap();
    db.create_grant(&grant("g3", "c1", "P2", None))
        .await
        .unwrap();
    assert_eq!(db.get_grant("g1").await.unwrap(), Some(g1.clone()));
    assert_eq!(db.get_grant("nope").await.unwrap(), None);
    let by_doc: Vec<String> = db
        .grants_for_doc("c1")
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(by_doc, ["g1", "g3"]);
    let by_partner: Vec<String> = db
        .grants_for_partner("P")
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(by_partner, ["g1", "g2"]);

    assert!(
        db.revoke_grant("g1", t0() + hours(2)).await.unwrap(),
        "it was active"
    );
    assert!(
        !db.revoke_grant("g1", t0() + hours(3)).await.unwrap(),
        "idempotent"
    );
    let g = db.get_grant("g1").await.unwrap().unwrap();
    assert_eq!(g.revoked_at, Some(t0() + hours(2)));
    assert!(!g.is_active(t0() + hours(2)));
    assert!(
        !db.revoke_grant("g2", t0() + hours(2)).await.unwrap(),
        "it had expired"
    );
    assert!(!db.revoke_grant("nope", t0()).await.unwrap());
}

async fn projections_filter_by_owner_and_page(db: Db) {
    world(&db).await;
    for (i, owner) in ["O1", "O1", "O2", "O1"].into_iter().enumerate() {
        let d = doc(&format!("c{i}"), "case", owner, None, b"d");
        let p = projection(&d, 0, 1, t0() + hours(i as i64));
        assert!(db.store_doc(&d, 0, &p, &[]).await.unwrap());
    }
    let all = db.projections(None, 100, 0).await.unwrap();
    assert_eq!(
        all.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["c3", "c2", "c1", "c0"],
        "newest first"
    );
    let d = doc("c0", "case", "O1", None, b"d");
    assert_eq!(
        all[3],
        projection(&d, 0, 1, t0()),
        "every field round-trips, JSON data included"
    );
    let o1 = db.projections(Some("O1"), 2, 1).await.unwrap();
    assert_eq!(
        o1.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["c1", "c0"]
    );
    assert!(db.projections(Some("O3"), 10, 0).await.unwrap().is_empty());

    // A store replaces the projection.
    let mut p = projection(&d, 3, 2, t0() + hours(10));
    p.closed = true;
    p.status = "closed".into();
    assert!(db.store_doc(&d, 1, &p, &[]).await.unwrap());
    assert_eq!(db.projections(None, 1, 0).await.unwrap(), [p]);
}

async fn office_health_counts_documents_conflicts_schemas_and_devices(db: Db) {
    world(&db).await;
    let store =
        |id: &'static str, owner: &'static str, holder: Option<&'static str>, conflicts, schema| {
            let db = Arc::clone(&db);
            async move {
                let d = doc(id, "case", owner, holder, b"d");
                assert!(db
                    .store_doc(&d, 0, &projection(&d, conflicts, schema, t0()), &[])
                    .await
                    .unwrap());
            }
        };
    store("c1", "O1", None, 1, 1).await;
    store("c2", "O1", None, 2, 2).await;
    store("c3", "O2", Some("O1"), 4, 3).await;
    db.create_device("d1", "u1", "笔记本").await.unwrap();
    db.create_device("d2", "u1", "台式机").await.unwrap();
    db.create_device("d3", "u2", "所长的电脑").await.unwrap();
    db.create_device("dp", "up", "partner laptop")
        .await
        .unwrap();
    db.touch_device("d1", t0() + hours(1), 17, 2).await.unwrap();
    db.revoke_device("d2", t0()).await.unwrap();
    assert!(matches!(
        db.touch_device("nope", t0(), 1, 1).await,
        Err(DbError::NotFound(_))
    ));

    let health = db.office_health().await.unwrap();
    let orgs: Vec<&str> = health.iter().map(|h| h.org.as_str()).collect();
    assert_eq!(
        orgs,
        ["B", "O1", "O2", "O3"],
        "offices and the bureau, not partners"
    );
    let [b, o1, o2, o3] = &health[..] else {
        unreachable!()
    };
    assert_eq!(
        (
            b.documents,
            b.pending_conflicts,
            b.schema_versions.clone(),
            b.devices.len()
        ),
        (0, 0, vec![], 0)
    );
    assert_eq!(
        (o1.name.as_str(), o1.documents, o1.pending_conflicts),
        ("O1 名称", 3, 7)
    );
    assert_eq!(o1.schema_versions, [1, 2, 3]);
    assert_eq!(
        (
            o2.documents,
            o2.pending_conflicts,
            o2.schema_versions.clone()
        ),
        (1, 4, vec![3])
    );
    assert_eq!((o3.documents, o3.devices.len()), (0, 0));

    let devs: Vec<_> = o1
        .devices
        .iter()
        .map(|d| {
            (
                d.device_id.as_str(),
                d.device_name.as_str(),
                d.user.as_str(),
                d.last_sync_at,
                d.last_cursor,
                d.schema,
                d.revoked,
            )
        })
        .collect();
    assert_eq!(
        devs,
        [
            (
                "d1",
                "笔记本",
                "u1 姓名",
                Some(t0() + hours(1)),
                17,
                Some(2),
                false
            ),
            ("d2", "台式机", "u1 姓名", None, 0, None, true),
        ]
    );
    assert_eq!(
        o2.devices
            .iter()
            .map(|d| d.device_id.as_str())
            .collect::<Vec<_>>(),
        ["d3"]
    );
}

async fn a_sponsored_partner_device_sees_only_its_sponsors_grants(db: Db) {
    world(&db).await;
    for id in ["c1", "c2"] {
        assert!(
            put(
                &db,
                &doc(id, "case", if id == "c1" { "O1" } else { "O2" }, None, b"d"),
                0,
                id.as_bytes()
            )
            .await
        );
    }
    let mut g1 = grant("g1", "c1", "P", None);
    g1.office = Some("O1".into());
    let mut g2 = grant("g2", "c2", "P", None);
    g2.office = Some("O2".into());
    db.create_grant(&g1).await.unwrap();
    db.create_grant(&g2).await.unwrap();
    db.append_entries("c2", &[addressed(EntryKind::Access, "P")])
        .await
        .unwrap();
    let via = |o: &str| Visibility::PartnerVia {
        partner: "P".into(),
        office: o.into(),
    };
    assert_eq!(ids(&visible(&db, via("O1"), t0()).await), ["c1"]);
    assert_eq!(
        ids(&visible(&db, via("O2"), t0()).await),
        ["c2", "c2"],
        "its change and the access entry"
    );
    // The admin's (unsponsored) partner device sees both.
    assert_eq!(
        ids(&visible(&db, Visibility::Partner("P".into()), t0()).await),
        ["c1", "c2", "c2"]
    );
    // The sponsor is set before enrollment, and shows in the principal.
    db.create_device("dp", "up", "打假专员的电脑")
        .await
        .unwrap();
    db.sponsor_device("dp", "O1").await.unwrap();
    db.create_enrollment("dp", "code-dp", t0() + hours(1))
        .await
        .unwrap();
    let p = db
        .redeem_enrollment("code-dp", "tok-dp", t0())
        .await
        .unwrap()
        .expect("enrolled");
    assert_eq!(p.sponsor.as_deref(), Some("O1"));
    assert!(
        db.sponsor_device("dp", "O2").await.is_err(),
        "an enrolled device's sponsor cannot change"
    );
    assert_eq!(db.org_last_sync("P").await.unwrap(), None);
    db.touch_device("dp", t0() + hours(2), 5, 1).await.unwrap();
    assert_eq!(db.org_last_sync("P").await.unwrap(), Some(t0() + hours(2)));
}

async fn an_actor_is_bound_to_its_first_device_and_refused_to_other_users(db: Db) {
    world(&db).await;
    db.create_device("d1", "u1", "所里电脑").await.unwrap();
    db.create_device("d1b", "u1", "所里笔记本").await.unwrap();
    db.create_device("dp", "up", "打假专员的电脑")
        .await
        .unwrap();
    let a = |s: &str| vec![s.to_string()];
    assert!(db
        .claim_actors("d1", &a("aa01"), t0())
        .await
        .unwrap()
        .is_empty());
    // Claiming again, or by another device of the same user, is fine.
    assert!(db
        .claim_actors("d1", &a("aa01"), t0())
        .await
        .unwrap()
        .is_empty());
    assert!(db
        .claim_actors("d1b", &a("aa01"), t0())
        .await
        .unwrap()
        .is_empty());
    // Another user's device cannot take it over.
    assert_eq!(
        db.claim_actors("dp", &["aa01".to_string(), "bb02".to_string()], t0())
            .await
            .unwrap(),
        a("aa01")
    );
    let infos = db
        .actor_infos(&["aa01".to_string(), "bb02".to_string(), "cc03".to_string()])
        .await
        .unwrap();
    assert_eq!(infos.len(), 2, "unknown actors are left out");
    let first = infos.iter().find(|i| i.actor == "aa01").unwrap();
    assert_eq!((first.device_id.as_str(), first.org.as_str()), ("d1", "O1"));
    assert_eq!(first.org_kind, OrgKind::Office);
    let second = infos.iter().find(|i| i.actor == "bb02").unwrap();
    assert_eq!(
        (second.device_id.as_str(), second.org.as_str()),
        ("dp", "P")
    );
    assert_eq!(second.user_name, "up 姓名");
}

fn facts_update(id: &str, owner: &str, kind: RecordKind, on: Option<&str>) -> FactsUpdate {
    let mut facts = RecordFacts::new(id, kind, owner);
    if let Some(d) = on {
        facts.dates.insert("received_on".into(), d.parse().unwrap());
    }
    facts.codes.insert("name".into(), format!("行动{id}"));
    FactsUpdate {
        id: id.into(),
        owner: owner.into(),
        kind: kind.as_str().into(),
        facts: Some(facts),
    }
}

async fn statistics_facts_are_written_in_batches_and_read_by_owner_and_window(db: Db) {
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    assert!(db.stat_owners().await.unwrap().is_empty());
    db.put_stat_facts(&[
        facts_update("c1", "GS02", RecordKind::Complaint, Some("2026-06-03")),
        facts_update("c2", "GS01", RecordKind::Complaint, Some("2026-06-20")),
        facts_update("c3", "GS01", RecordKind::Complaint, Some("2025-01-05")),
        facts_update("k1", "GS03", RecordKind::Campaign, Some("2024-01-01")),
        // No dated fact: nothing is kept.
        facts_update("c4", "GS04", RecordKind::Complaint, None),
    ])
    .await
    .unwrap();
    assert_eq!(db.stat_owners().await.unwrap(), ["GS01", "GS02", "GS03"]);
    let ids = |rows: hongdun_server::storage::facts::PackedRows| {
        let mut ids: Vec<String> = rows
            .views()
            .unwrap()
            .iter()
            .map(|v| v.id().to_string())
            .collect();
        ids.sort();
        ids
    };
    let (from, to) = (day("2026-06-01"), day("2026-06-30"));
    // Every owner: June's records, and every campaign whatever its dates.
    assert_eq!(
        ids(db.stat_facts(&[], from, to).await.unwrap()),
        ["c1", "c2", "k1"]
    );
    assert_eq!(
        ids(db.stat_facts(&["GS01".into()], from, to).await.unwrap()),
        ["c2"]
    );
    assert_eq!(
        ids(db
            .stat_facts(&["GS01".into(), "GS03".into()], day("2025-01-01"), to)
            .await
            .unwrap()),
        ["c2", "c3", "k1"]
    );
    // A record moved to another office, and one whose facts are dropped.
    let mut moved = facts_update("c2", "GS02", RecordKind::Complaint, Some("2026-06-20"));
    moved.owner = "GS02".into();
    let mut dropped = facts_update("c3", "GS01", RecordKind::Complaint, None);
    dropped.facts = None;
    db.put_stat_facts(&[moved, dropped]).await.unwrap();
    assert_eq!(db.stat_owners().await.unwrap(), ["GS02", "GS03"]);
    assert_eq!(
        ids(db.stat_facts(&["GS02".into()], from, to).await.unwrap()),
        ["c1", "c2"]
    );
}
