//! Every bad request gets a 4xx with a clear JSON error, and the relay and
//! its stored data stay intact.

mod common;

use common::{new_lead, obj, Backend, Device, Relay};
use hongdun_core::sync::protocol::{self, SyncRequest, PROTOCOL_VERSION};
use hongdun_server::storage::{GrantMode, OrgKind, Role};
use serde_json::{json, Value};

struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    /// A 4xx with `{"error": code, "message": "..."}`.
    fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        let v = self.json();
        assert_eq!(v["error"], code, "{v}");
        assert!(v["message"].as_str().is_some_and(|m| m.len() > 10), "{v}");
    }
}

fn post(url: &str, token: Option<&str>, body: &[u8]) -> Answer {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut req = agent
        .post(url)
        .header("content-type", protocol::CONTENT_TYPE);
    if let Some(t) = token {
        req = req.header("authorization", &format!("Bearer {t}"));
    }
    let mut resp = req.send(body).expect("request");
    Answer {
        status: resp.status().as_u16(),
        body: resp
            .body_mut()
            .with_config()
            .limit(1 << 26)
            .read_to_vec()
            .expect("body"),
    }
}

fn get(url: &str, token: Option<&str>) -> Answer {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut req = agent.get(url);
    if let Some(t) = token {
        req = req.header("authorization", &format!("Bearer {t}"));
    }
    let mut resp = req.call().expect("request");
    Answer {
        status: resp.status().as_u16(),
        body: resp.body_mut().read_to_vec().expect("body"),
    }
}

fn request(cursor: u64) -> SyncRequest {
    SyncRequest {
        protocol: PROTOCOL_VERSION,
        request_id: rand::random(),
        cursor,
        max_feed_bytes: 1 << 20,
        uploads: vec![],
        want_full: vec![],
        schema: 1,
    }
}

fn bad_requests(backend: Backend) {
    let Some(relay) = Relay::start(backend) else {
        return;
    };
    relay.org("BUREAU", "市局", OrgKind::Bureau);
    relay.org("GS01", "城关所", OrgKind::Office);
    relay.org("PP01", "某酒业公司", OrgKind::Partner);
    let mut office = Device::enroll(&relay, "GS01", Role::Staff, "张三");
    let id = new_lead(&mut office, "销售假冒茅台酒线索");
    office.sync();
    let token = office.store.remote().expect("r").expect("enrolled").token;
    let sync_url = format!("{}{}", relay.url, protocol::SYNC_PATH);

    // Missing and wrong tokens.
    post(&sync_url, None, b"x").assert_error(401, "unauthorized");
    post(
        &sync_url,
        Some("hd_not-a-real-token"),
        &protocol::encode(&request(0)).expect("enc"),
    )
    .assert_error(401, "unauthorized");
    // Malformed, truncated, wrong-version, decompression-bomb and oversized bodies.
    post(&sync_url, Some(&token), b"definitely not zstd").assert_error(400, "bad_request");
    let good = protocol::encode(&request(0)).expect("encode");
    post(&sync_url, Some(&token), &good[..good.len() / 2]).assert_error(400, "bad_request");
    let mut old = request(0);
    old.protocol = 99;
    post(
        &sync_url,
        Some(&token),
        &protocol::encode(&old).expect("enc"),
    )
    .assert_error(400, "bad_request");
    let bomb = zstd::bulk::compress(&vec![0u8; 80 * 1024 * 1024], 19).expect("bomb");
    assert!(bomb.len() < 1024 * 1024);
    post(&sync_url, Some(&token), &bomb).assert_error(413, "too_large");
    // Just over the relay's 32 MB limit: the relay stops reading at the
    // limit and answers 413; the few bytes past it still fit the socket's
    // buffers, so the client always gets to read the answer (with a whole
    // extra megabyte it could be cut off mid-write, a broken pipe).
    let huge = vec![7u8; 32 * 1024 * 1024 + 16 * 1024];
    post(&sync_url, Some(&token), &huge).assert_error(413, "too_large");
    // A replayed request (same request id) is refused.
    let r = request(0);
    let body = protocol::encode(&r).expect("enc");
    assert_eq!(post(&sync_url, Some(&token), &body).status, 200);
    post(&sync_url, Some(&token), &body).assert_error(409, "replayed");
    // Unknown document ids asked for whole: nothing, and no error that tells.
    let mut probe = request(0);
    probe.want_full = vec!["0".repeat(32), "../../etc/passwd".into(), String::new()];
    let a = post(
        &sync_url,
        Some(&token),
        &protocol::encode(&probe).expect("enc"),
    );
    assert_eq!(a.status, 200);
    let resp: protocol::SyncResponse = protocol::decode(&a.body, 1 << 26).expect("decode");
    assert!(resp.feed.iter().all(|f| f.doc_id == id));

    // Enrollment: malformed, unknown and reused codes.
    let enroll_url = format!("{}/v1/enroll", relay.url);
    post(&enroll_url, None, b"{not json").assert_error(400, "bad_request");
    post(&enroll_url, None, br#"{"code":"12","device_name":"x"}"#).assert_error(400, "bad_request");
    post(
        &enroll_url,
        None,
        br#"{"code":"AAAA-BBBB-CCCC","device_name":"x"}"#,
    )
    .assert_error(401, "unauthorized");
    let code = relay.enrollment_code("GS01", Role::Staff, "李四");
    let body = json!({"code": code, "device_name": "x"}).to_string();
    assert_eq!(post(&enroll_url, None, body.as_bytes()).status, 200);
    post(&enroll_url, None, body.as_bytes()).assert_error(401, "unauthorized");

    // Bureau views are for the bureau only.
    get(&format!("{}/v1/bureau/health", relay.url), Some(&token)).assert_error(403, "forbidden");
    let mut bureau = Device::enroll(&relay, "BUREAU", Role::Bureau, "市局");
    bureau.sync();
    let btoken = bureau.store.remote().expect("r").expect("e").token;
    let h = get(&format!("{}/v1/bureau/health", relay.url), Some(&btoken));
    assert_eq!(h.status, 200);
    let offices = h.json();
    let gs01 = offices
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["org"] == "GS01")
        .expect("GS01");
    assert_eq!(gs01["documents"], 1);
    assert!(gs01["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .any(|d| !d["last_sync_at"].is_null()));
    let recs = get(&format!("{}/v1/bureau/records", relay.url), Some(&btoken));
    assert_eq!(recs.json().as_array().expect("records").len(), 1);
    get(&format!("{}/no/such/path", relay.url), None).assert_error(404, "not_found");

    // Grants: a partner with an expired grant is told it lost the document.
    let mut partner = Device::enroll(&relay, "PP01", Role::Partner, "打假专员");
    let grant = |expires| hongdun_server::storage::Grant {
        id: uuid::Uuid::new_v4().simple().to_string(),
        doc_id: id.clone(),
        partner: "PP01".into(),
        mode: GrantMode::Read,
        expires_at: expires,
        created_by: "t".into(),
        created_at: chrono::Utc::now(),
        revoked_at: None,
        office: None,
    };
    let g = grant(Some(
        chrono::Utc::now() + chrono::Duration::milliseconds(1500),
    ));
    relay
        .rt
        .block_on(relay.state.db.create_grant(&g))
        .expect("grant");
    relay
        .rt
        .block_on(relay.state.db.append_entries(
            &id,
            &[hongdun_server::storage::NewEntry {
                kind: hongdun_server::storage::EntryKind::Access,
                audience: Some("PP01".into()),
                origin_device: None,
                bytes: vec![],
            }],
        ))
        .expect("entry");
    partner.sync();
    assert_eq!(partner.ids(), vec![id.clone()]);
    std::thread::sleep(std::time::Duration::from_millis(1600));
    let s = partner.sync();
    assert_eq!(s.documents_revoked, vec![id.clone()]);
    assert!(
        partner.ids().is_empty(),
        "an expired grant hides the document"
    );

    // A revoked device is refused at its next round.
    let device = office.store.remote().expect("r").expect("e").device_id;
    relay
        .rt
        .block_on(relay.state.db.revoke_device(&device, chrono::Utc::now()))
        .expect("revoke");
    match office.try_sync() {
        Err(hongdun_core::sync::client::SyncError::Refused { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (401, "unauthorized"));
        }
        other => panic!("a revoked device must be refused, got {other:?}"),
    }
    // The stored data is intact: the bureau still reads the one record.
    bureau
        .store
        .edit(&id, &obj(json!({"notes": "市局已阅"})), "市局")
        .expect("edit");
    bureau.sync();
    let m = get(&format!("{}/metrics", relay.url), None);
    let text = String::from_utf8_lossy(&m.body);
    assert!(text.contains("hongdun_sync_rounds_total"));
    assert!(text.contains("hongdun_errors_total{code=\"unauthorized\"}"));
    assert!(text.contains("hongdun_errors_total{code=\"replayed\"} 1"));
}

#[test]
fn bad_requests_get_clear_json_errors_and_change_nothing_sqlite() {
    bad_requests(Backend::Sqlite);
}

#[test]
fn bad_requests_get_clear_json_errors_and_change_nothing_postgres() {
    bad_requests(Backend::Postgres);
}

#[test]
fn a_flood_from_one_token_is_rate_limited() {
    let relay = Relay::start(Backend::Sqlite).expect("relay");
    relay.org("GS01", "城关所", OrgKind::Office);
    // A relay with a tight limit on the same database.
    let mut state = relay.state.clone();
    state.limiter = std::sync::Arc::new(hongdun_server::ratelimit::RateLimiter::new(1.0, 5.0));
    let listener = relay
        .rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = hongdun_server::router::app(state);
    relay.rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let url = format!("http://{addr}/v1/me");
    let codes: Vec<u16> = (0..12)
        .map(|_| get(&url, Some("hd_flood")).status)
        .collect();
    assert!(codes.contains(&429), "{codes:?}");
    let a = get(&url, Some("hd_flood"));
    if a.status == 429 {
        a.assert_error(429, "rate_limited");
    }
}
