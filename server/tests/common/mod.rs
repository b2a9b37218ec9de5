//! Test support: a relay running in this process (SQLite in a temp dir, or a
//! fresh PostgreSQL database when `HONGDUN_TEST_DATABASE_URL` is set), and
//! office, bureau and partner devices with their own stores, enrolled through
//! the real HTTP endpoints.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use hongdun_core::record::RecordKind;
use hongdun_core::store::{ListQuery, Store};
use hongdun_core::sync::client;
use hongdun_core::sync::engine::{RoundLimits, SyncSummary};
use hongdun_server::auth::normalise_code;
use hongdun_server::storage::{Org, OrgKind, Role, User};
use hongdun_server::{AppState, Settings};
use serde_json::{json, Map, Value};

/// Which database backs a relay in a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server for tests, or None (a failure under CI: PostgreSQL
/// must not be skipped silently there).
pub fn postgres_url() -> Option<String> {
    match std::env::var("HONGDUN_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI is set but HONGDUN_TEST_DATABASE_URL is not: the PostgreSQL tests must run in CI"
            );
            eprintln!("HONGDUN_TEST_DATABASE_URL is not set: skipping the PostgreSQL run");
            None
        }
    }
}

/// A fresh database on the test server; its URL.
fn fresh_pg_database(rt: &tokio::runtime::Runtime, admin_url: &str) -> String {
    let name = format!("hd_test_{}", uuid::Uuid::new_v4().simple());
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(admin_url, tokio_postgres::NoTls)
            .await
            .expect("connect to the test PostgreSQL");
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a test database");
    });
    // Replace the database name in the URL (the last path segment).
    let (base, rest) = match admin_url.split_once('?') {
        Some((b, q)) => (b.to_string(), format!("?{q}")),
        None => (admin_url.to_string(), String::new()),
    };
    let base = match base.rfind('/') {
        Some(i) if base[..i].contains("://") && i > base.find("://").unwrap_or(0) + 2 => {
            base[..i].to_string()
        }
        _ => base,
    };
    format!("{base}/{name}{rest}")
}

/// A relay serving HTTP on 127.0.0.1 from this process.
pub struct Relay {
    pub url: String,
    pub addr: SocketAddr,
    pub state: AppState,
    pub rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

impl Relay {
    pub fn start(backend: Backend) -> Option<Relay> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut settings = Settings::new(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            dir.path().to_path_buf(),
        );
        settings.rate_per_second = 10_000.0;
        if backend == Backend::Postgres {
            let admin = postgres_url()?;
            settings.database_url = Some(fresh_pg_database(&rt, &admin));
        }
        let state = rt
            .block_on(hongdun_server::state(settings))
            .expect("relay state");
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = hongdun_server::router::app(state.clone());
        rt.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Some(Relay {
            url: format!("http://{addr}"),
            addr,
            state,
            rt,
            _dir: dir,
        })
    }

    pub fn org(&self, code: &str, name: &str, kind: OrgKind) {
        self.rt
            .block_on(self.state.db.create_org(&Org {
                code: code.into(),
                name: name.into(),
                kind,
            }))
            .expect("create org");
    }

    /// A new user and device of `org`; returns the device's enrollment code.
    pub fn enrollment_code(&self, org: &str, role: Role, user: &str) -> String {
        let db = self.state.db.clone();
        let key = self.state.key.clone();
        self.rt.block_on(async move {
            let user_id = uuid::Uuid::new_v4().simple().to_string();
            db.create_user(&User {
                id: user_id.clone(),
                org: org.into(),
                name: user.into(),
                role,
            })
            .await
            .expect("user");
            let device = uuid::Uuid::new_v4().simple().to_string();
            db.create_device(&device, &user_id, &format!("{user}的电脑"))
                .await
                .expect("device");
            let code = hongdun_server::auth::new_enrollment_code();
            db.create_enrollment(
                &device,
                &key.hash(&normalise_code(&code)),
                chrono::Utc::now() + chrono::Duration::days(1),
            )
            .await
            .expect("enrollment");
            code
        })
    }
}

/// One device with its own store.
pub struct Device {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub name: String,
}

impl Device {
    /// A store for `org` enrolled on `relay` (an office store is initialised
    /// with the office code first, as in real use).
    pub fn enroll(relay: &Relay, org: &str, role: Role, user: &str) -> Device {
        let code = relay.enrollment_code(org, role, user);
        Device::enroll_with(&relay.url, &code, org, user)
    }

    pub fn enroll_with(url: &str, code: &str, org: &str, user: &str) -> Device {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("store");
        client::enroll(&mut store, url, code, &format!("{user}的电脑")).expect("enroll");
        assert_eq!(store.office().expect("office").code, org);
        Device {
            dir,
            store,
            name: user.to_string(),
        }
    }

    pub fn sync(&mut self) -> SyncSummary {
        self.try_sync().expect("sync")
    }

    pub fn try_sync(&mut self) -> Result<SyncSummary, client::SyncError> {
        client::sync(
            &mut self.store,
            RoundLimits::default(),
            Duration::from_secs(30),
            &AtomicBool::new(false),
            &mut |_| {},
        )
    }

    /// Ids of the records this device lists (not annexes, not revoked).
    pub fn ids(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .store
            .list(&ListQuery {
                limit: Some(1000),
                ..Default::default()
            })
            .expect("list")
            .into_iter()
            .map(|r| r.id)
            .collect();
        v.sort();
        v
    }

    pub fn status(&mut self, id: &str) -> String {
        self.store.get(id).expect("get").status
    }
}

pub fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

pub fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A complaint received centrally by `central` on 2026-03-02.
/// Sends `doc_id`'s whole local document — with `extra` appended, as a
/// modified client could — in a hand-made round, and returns the relay's
/// acknowledgement.
pub fn force_upload(
    d: &mut Device,
    doc_id: &str,
    extra: Option<hongdun_core::record::EventEnvelope>,
) -> hongdun_core::sync::protocol::AckResult {
    use hongdun_core::sync::protocol::{DocUpload, SyncRequest, PROTOCOL_VERSION};
    let rec = d.store.get(doc_id).expect("local copy");
    let mut changes = d.store.document_bytes(doc_id).expect("bytes");
    if let Some(e) = extra {
        let mut raw = hongdun_core::doc::RecordDoc::load(&changes, &automerge::ActorId::random())
            .expect("load");
        raw.append_event(&e).expect("event");
        changes = raw.save();
    }
    let req = SyncRequest {
        protocol: PROTOCOL_VERSION,
        request_id: rand::random(),
        cursor: d.store.sync_cursor().expect("cursor"),
        max_feed_bytes: 1 << 20,
        uploads: vec![DocUpload {
            doc_id: doc_id.to_string(),
            kind: rec.kind,
            owner: rec.office.clone(),
            base: vec![],
            changes,
        }],
        want_full: vec![],
        schema: 1,
    };
    let cfg = d.store.remote().expect("remote").expect("enrolled");
    let agent = ureq::Agent::new_with_defaults();
    let (resp, _, _) = client::round_trip(&agent, &cfg, &req).expect("round");
    resp.acks.into_iter().next().expect("one ack").result
}

/// A 流转 event sending a record to `to`, as only the bureau may.
pub fn dispatch_event(to: &str, on: &str, by: &str) -> hongdun_core::record::EventEnvelope {
    hongdun_core::record::EventEnvelope {
        id: uuid::Uuid::new_v4().simple().to_string(),
        action: "dispatch".into(),
        on: day(on),
        at: chrono::Utc::now(),
        by: by.into(),
        params: obj(json!({ "to_office": to })),
    }
}

pub fn new_complaint(d: &mut Device, central: &str, shop: &str) -> String {
    d.store
        .create(
            RecordKind::Complaint,
            &obj(json!({
                "received_on": "2026-03-02",
                "received_by": central,
                "channel": "platform_12315",
                "respondent": {"party_type": "individual_business", "name": shop},
                "claim": "要求退货并赔偿",
                "facts": "购买的电饭煲使用三天即损坏",
                "amount_in_dispute_fen": 39900,
            })),
            &d.name.clone(),
        )
        .expect("complaint")
}

/// A lead owned by the device's office.
pub fn new_lead(d: &mut Device, summary: &str) -> String {
    d.store
        .create(
            RecordKind::Lead,
            &obj(json!({
                "source_type": "inspection",
                "received_on": "2026-03-02",
                "summary": summary,
            })),
            &d.name.clone(),
        )
        .expect("lead")
}

/// A normal-procedure case filed by the device's office.
pub fn new_case(d: &mut Device, cause: &str) -> String {
    d.store
        .create(
            RecordKind::Case,
            &obj(json!({
                "procedure": "normal",
                "cause": cause,
                "filed_on": "2026-03-02",
                "parties": [{"party_type": "enterprise", "name": "某某烟酒贸易有限公司", "uscc": "91350100M000100Y43"}],
                "handlers": [
                    {"name": "张三", "enforcement_cert_no": "36042952888"},
                    {"name": "李四", "enforcement_cert_no": "36042946718"}
                ],
            })),
            &d.name.clone(),
        )
        .expect("case")
}
