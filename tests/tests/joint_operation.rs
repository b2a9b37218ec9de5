//! 联合办案 end to end: an office shares one case file with a brand owner's
//! anti-counterfeiting office and a police unit through a real relay
//! (SQLite and PostgreSQL); the three co-edit offline, sync in random
//! (seeded) orders and converge; revocation stops the partner's next sync;
//! forged requests read and write nothing; the confidential annex never
//! reaches a partner's files; the audit report names the right
//! organisation for every change.

#[path = "../../server/tests/common/mod.rs"]
mod common;

use std::collections::HashMap;

use calamine::{Data, Reader, Xlsx};
use common::{obj, Backend, Device, Relay};
use hongdun_core::doc::RecordDoc;
use hongdun_core::joint::{ShareMode, ShareState, StoreMode, OTHER_PARTNER};
use hongdun_core::record::RecordKind;
use hongdun_core::sync::client;
use hongdun_core::sync::protocol::{AckResult, DocUpload, SyncRequest, PROTOCOL_VERSION};
use hongdun_core::sync::share::{self, ShareRequest};
use hongdun_server::storage::{OrgKind, Role};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde_json::{json, Value};

const OFFICE: &str = "GS01";
const BRAND: &str = "PP01";
const POLICE: &str = "GA01";
const SECRETS: [&str; 2] = ["王秘密", "13900001111"];

fn new_case(d: &mut Device) -> String {
    d.store
        .create(
            RecordKind::Case,
            &obj(json!({
                "procedure": "normal",
                "cause": "销售假冒注册商标的白酒",
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

fn share_with(office: &mut Device, case: &str, partner: &str, user: &str) -> (String, String) {
    let created = share::share(
        &mut office.store,
        case,
        &ShareRequest {
            partner: partner.into(),
            mode: ShareMode::ReadWrite,
            expires_at: Some(chrono::Utc::now() + chrono::Duration::days(30)),
            partner_user: Some(user.into()),
            partner_device: None,
        },
    )
    .expect("share");
    let code = created.enrollment.expect("an enrollment code").code;
    (created.share.id, code)
}

/// An offline edit of a partner section.
fn edit(d: &mut Device, case: &str, field: &str, round: usize) {
    let value = match field {
        "seizures" => {
            json!([{"name": format!("假冒白酒{round}箱（{}）", d.name), "quantity": round + 1, "unit": "箱", "measure": "seize"}])
        }
        "appraisals" => {
            json!([{"item": format!("第{round}批白酒（{}）", d.name), "agency": "权利人", "result": "非本公司产品", "conforming": false}])
        }
        "evidence" => json!([{"name": format!("询问笔录{round}（{}）", d.name)}]),
        _ => json!(format!("{}第{round}轮备注", d.name)),
    };
    d.store
        .edit(case, &obj(json!({ field: value })), &d.name.clone())
        .expect("edit");
}

/// What a device holds of a record: fields and conflicts.
fn state(d: &mut Device, id: &str) -> Value {
    let r = d.store.get(id).expect("record");
    json!({"fields": r.fields, "conflicts": r.conflicts})
}

/// A hand-made upload of `bytes` as `doc_id`, as a modified client could send.
fn forged_upload(d: &mut Device, doc_id: &str, owner: &str, bytes: Vec<u8>) -> AckResult {
    let req = SyncRequest {
        protocol: PROTOCOL_VERSION,
        request_id: rand::random(),
        cursor: d.store.sync_cursor().expect("cursor"),
        max_feed_bytes: 1 << 20,
        uploads: vec![DocUpload {
            doc_id: doc_id.into(),
            kind: RecordKind::Case,
            owner: owner.into(),
            base: vec![],
            changes: bytes,
        }],
        want_full: vec![],
        schema: 1,
    };
    let cfg = d.store.remote().expect("remote").expect("enrolled");
    let (resp, _, _) =
        client::round_trip(&ureq::Agent::new_with_defaults(), &cfg, &req).expect("forged round");
    resp.acks.into_iter().next().expect("one ack").result
}

/// What the relay answers a device's hand-made JSON request: the status.
fn http(d: &Device, method: &str, path: &str, body: Option<Value>) -> u16 {
    let cfg = d.store.remote().expect("remote").expect("enrolled");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}{path}", cfg.server);
    let auth = format!("Bearer {}", cfg.token);
    let resp = match (method, body) {
        ("GET", _) => agent.get(&url).header("authorization", &auth).call(),
        ("DELETE", _) => agent.delete(&url).header("authorization", &auth).call(),
        (_, b) => agent
            .post(&url)
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .send(b.unwrap_or(Value::Null).to_string().as_bytes()),
    };
    resp.expect("request").status().as_u16()
}

/// Every byte of every file in a store directory (the database, -wal, -shm…).
fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let p = entry.expect("entry").path();
        if p.is_file() {
            bytes.extend(std::fs::read(&p).expect("read"));
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn joint_operation(backend: Backend, seed: u64) {
    let Some(relay) = Relay::start(backend) else {
        return;
    };
    relay.org(OFFICE, "城关市场监督管理所", OrgKind::Office);
    relay.org("GS02", "东关市场监督管理所", OrgKind::Office);
    relay.org(BRAND, "某酒业公司打假办", OrgKind::Partner);
    relay.org(POLICE, "县公安局经侦大队", OrgKind::Partner);
    let mut office = Device::enroll(&relay, OFFICE, Role::Staff, "张三");
    let mut other_office = Device::enroll(&relay, "GS02", Role::Staff, "赵六");

    // The office's case file, another record, and the reporter's annex.
    let case = new_case(&mut office);
    let lead = common::new_lead(&mut office, "群众举报销售假酒");
    let annex = office
        .store
        .create(
            RecordKind::Annex,
            &obj(json!({"subject_kind": "lead", "subject_id": lead, "persons": [{"name": SECRETS[0], "phone": SECRETS[1], "role": "reporter"}]})),
            "张三",
        )
        .expect("annex");
    edit(&mut office, &case, "seizures", 0);
    office.sync();
    // Another office shares its own case with the same brand owner.
    let other_case = new_case(&mut other_office);
    other_office.sync();
    share::share(
        &mut other_office.store,
        &other_case,
        &ShareRequest {
            partner: BRAND.into(),
            mode: ShareMode::Read,
            expires_at: None,
            partner_user: None,
            partner_device: None,
        },
    )
    .expect("the other office shares");

    // 共享: one action per partner, each with a code for the partner's device.
    let (brand_grant, brand_code) = share_with(&mut office, &case, BRAND, "打假专员");
    let (police_grant, police_code) = share_with(&mut office, &case, POLICE, "王警官");
    let mut brand = Device::enroll_with(&relay.url, &brand_code, BRAND, "打假专员");
    let mut police = Device::enroll_with(&relay.url, &police_code, POLICE, "王警官");
    for p in [&mut brand, &mut police] {
        assert!(matches!(
            p.store.mode().expect("mode"),
            StoreMode::Partner { .. }
        ));
        p.sync();
        // Only the granted case file — not the lead, not the annex, and not
        // what another office shared with the same partner organisation.
        assert_eq!(p.ids(), vec![case.clone()]);
        assert_eq!(
            p.store.share_state(&case).expect("state"),
            ShareState::Shared
        );
    }

    // Offline co-editing, synced in random orders, converges.
    let mut rng = StdRng::seed_from_u64(seed);
    for round in 1..=4 {
        edit(&mut office, &case, ["notes", "seizures"][round % 2], round);
        edit(&mut brand, &case, ["appraisals", "notes"][round % 2], round);
        edit(
            &mut police,
            &case,
            ["seizures", "evidence"][round % 2],
            round,
        );
        let mut order = [0usize, 1, 2];
        order.shuffle(&mut rng);
        for &i in order.iter().take(1 + round % 3) {
            [&mut office, &mut brand, &mut police][i].sync();
        }
    }
    for _ in 0..2 {
        let mut order = [0usize, 1, 2];
        order.shuffle(&mut rng);
        for &i in &order {
            [&mut office, &mut brand, &mut police][i].sync();
        }
    }
    let want = state(&mut office, &case);
    assert_eq!(state(&mut brand, &case), want, "brand owner converged");
    assert_eq!(state(&mut police, &case), want, "police converged");
    assert_eq!(
        brand.store.history(&case).expect("h").len(),
        office.store.history(&case).expect("h").len()
    );

    // The office sees who it is shared with and when each last synced.
    let shares = share::shares(&office.store, &case).expect("shares");
    assert_eq!(shares.len(), 2);
    for s in &shares {
        assert!(s.active && s.partner_last_sync.is_some(), "{s:?}");
    }

    // Each partner's device knows its share's mode (read-write here).
    assert_eq!(
        brand.store.partner_mode(&case).expect("mode"),
        Some(ShareMode::ReadWrite)
    );
    assert_eq!(http(&office, "GET", "/v1/partner/grants", None), 403);

    // The office is offered the partner organisations; a partner never
    // learns who the others are.
    let cfg = office.store.remote().expect("remote").expect("enrolled");
    let offered = share::partners(&cfg).expect("partners");
    let codes: Vec<&str> = offered.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, {
        let mut want = vec![BRAND, POLICE];
        want.sort();
        want
    });
    assert_eq!(http(&brand, "GET", "/v1/partners", None), 403);

    // Forged requests: by id, by listing, by forged bodies, someone else's grant.
    assert_eq!(
        http(&brand, "GET", &format!("/v1/docs/{lead}/authors"), None),
        404
    );
    assert_eq!(
        http(&brand, "GET", &format!("/v1/docs/{case}/grants"), None),
        404
    );
    assert_eq!(
        http(
            &brand,
            "DELETE",
            &format!("/v1/grants/{police_grant}"),
            None
        ),
        404
    );
    assert_eq!(
        http(
            &brand,
            "POST",
            &format!("/v1/grants/{police_grant}/enrollments"),
            Some(json!({"user": "冒名"}))
        ),
        404
    );
    assert_eq!(
        http(
            &brand,
            "POST",
            "/v1/grants",
            Some(json!({"doc_id": case, "partner": POLICE, "mode": "read"}))
        ),
        403
    );
    assert_eq!(
        http(
            &other_office,
            "DELETE",
            &format!("/v1/grants/{police_grant}"),
            None
        ),
        404,
        "another office cannot revoke this office's share"
    );
    let mut probe: Vec<String> = (0..500).map(|i| format!("{i:032x}")).collect();
    probe.extend([
        lead.clone(),
        annex.clone(),
        other_case.clone(),
        case.clone(),
    ]);
    let req = SyncRequest {
        protocol: PROTOCOL_VERSION,
        request_id: rand::random(),
        cursor: 0,
        max_feed_bytes: 64 << 20,
        uploads: vec![],
        want_full: probe,
        schema: 1,
    };
    let cfg = brand.store.remote().expect("remote").expect("enrolled");
    let (resp, _, _) =
        client::round_trip(&ureq::Agent::new_with_defaults(), &cfg, &req).expect("probe");
    let got: Vec<&str> = resp.feed.iter().map(|f| f.doc_id.as_str()).collect();
    assert_eq!(got, vec![case.as_str()], "only the shared case file");
    // Uploading another record whole, a field outside the partner sections,
    // or a change signed with the office's author id: all refused.
    let lead_bytes = office.store.document_bytes(&lead).expect("lead");
    assert!(matches!(
        forged_upload(&mut brand, &lead, OFFICE, lead_bytes),
        AckResult::Refused { .. }
    ));
    let mut doc = RecordDoc::load(
        &brand.store.document_bytes(&case).expect("case"),
        brand.store.actor(),
    )
    .expect("load");
    doc.set_fields(
        &obj(json!({"cause": "改过的案由"})),
        "打假专员",
        chrono::Utc::now(),
        "edit",
    )
    .expect("edit");
    assert!(matches!(
        forged_upload(&mut brand, &case, OFFICE, doc.save()),
        AckResult::Refused { .. }
    ));
    let mut spoof = RecordDoc::load(
        &brand.store.document_bytes(&case).expect("case"),
        office.store.actor(),
    )
    .expect("load");
    spoof
        .set_fields(
            &obj(json!({"notes": "冒充办案单位"})),
            "张三",
            chrono::Utc::now(),
            "edit",
        )
        .expect("edit");
    match forged_upload(&mut brand, &case, OFFICE, spoof.save()) {
        AckResult::Refused { reason } => assert!(reason.contains("author id"), "{reason}"),
        other => panic!("a change signed as the office was accepted: {other:?}"),
    }
    office.sync();
    assert_eq!(state(&mut office, &case), want, "nothing forged was merged");

    // The audit trail names the right organisation for every change.
    let org_of: HashMap<String, &str> = [
        (office.store.actor().to_hex_string(), OFFICE),
        (brand.store.actor().to_hex_string(), BRAND),
        (police.store.actor().to_hex_string(), POLICE),
    ]
    .into_iter()
    .collect();
    share::refresh_authors(&mut office.store, &case).expect("authors");
    let entries = office.store.audit(&case).expect("audit");
    assert!(entries.len() >= 12);
    for e in &entries {
        assert_eq!(Some(&e.org.as_str()), org_of.get(&e.actor), "{e:?}");
    }
    for org in [OFFICE, BRAND, POLICE] {
        assert!(entries.iter().any(|e| e.org == org), "no change by {org}");
    }
    assert!(entries.iter().any(|e| e.what.contains("检测鉴定结果")));
    let report = office.dir.path().join("audit.xlsx");
    hongdun_core::audit::write_xlsx(&report, "审计记录", &entries).expect("xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook(&report).expect("open xlsx");
    let sheet = book.worksheet_range("审计记录").expect("sheet");
    let actor_of: HashMap<&str, &str> = entries
        .iter()
        .map(|e| (e.hash.as_str(), e.actor.as_str()))
        .collect();
    let mut rows = 0;
    for row in sheet.rows().skip(2) {
        let cell = |i: usize| match row.get(i) {
            Some(Data::String(s)) => s.clone(),
            _ => String::new(),
        };
        let org = org_of[actor_of[cell(5).as_str()]];
        assert!(
            cell(1).contains(&format!("（{org}）")),
            "row {row:?} should name {org}"
        );
        rows += 1;
    }
    assert_eq!(rows, entries.len());
    // A partner's audit view never names the other partner.
    let seen = share::refresh_authors(&mut brand.store, &case).expect("partner authors");
    let police_actor = police.store.actor().to_hex_string();
    let p = seen
        .iter()
        .find(|a| a.actor == police_actor)
        .expect("police author");
    assert_eq!(p.org_name, OTHER_PARTNER);
    let text = serde_json::to_string(&seen).expect("json");
    assert!(!text.contains(POLICE) && !text.contains("经侦"), "{text}");

    // Revoking: the police's next sync takes the case file away.
    share::unshare(&office.store, &police_grant).expect("unshare");
    edit(&mut office, &case, "notes", 99);
    office.sync();
    police.sync();
    assert_eq!(
        police.store.share_state(&case).expect("state"),
        ShareState::NoLongerShared
    );
    assert!(
        police.ids().is_empty(),
        "revoked case files leave the lists"
    );
    assert_ne!(
        state(&mut police, &case),
        state(&mut office, &case),
        "nothing after the revocation reaches the police"
    );
    assert!(
        police
            .store
            .edit(&case, &obj(json!({"notes": "撤销后补充"})), "王警官")
            .is_err(),
        "a case file no longer shared cannot be edited"
    );
    // Bad requests get plain 4xx answers.
    let brand_enroll = format!("/v1/grants/{brand_grant}/enrollments");
    assert_eq!(
        http(&office, "POST", &brand_enroll, Some(json!({"user": " "}))),
        400
    );
    assert_eq!(
        http(&office, "POST", &brand_enroll, Some(json!("不是对象"))),
        400
    );
    let enroll_path = format!("/v1/grants/{police_grant}/enrollments");
    assert_eq!(
        http(
            &office,
            "POST",
            &enroll_path,
            Some(json!({"user": "王警官"}))
        ),
        400,
        "no new partner device through a revoked share"
    );
    assert_eq!(
        http(
            &office,
            "POST",
            "/v1/grants/nonexistent/enrollments",
            Some(json!({"user": "某人"}))
        ),
        404
    );
    assert_eq!(
        http(
            &office,
            "POST",
            "/v1/grants",
            Some(json!({"doc_id": annex, "partner": BRAND, "mode": "read"}))
        ),
        400,
        "the annex is never shared"
    );
    assert_eq!(
        http(
            &office,
            "POST",
            "/v1/grants",
            Some(
                json!({"doc_id": case, "partner": POLICE, "mode": "read", "enroll": {"user": ""}})
            )
        ),
        400
    );
    let shares = share::shares(&office.store, &case).expect("shares");
    assert_eq!(shares.len(), 2, "a refused share leaves no grant behind");
    let revoked = shares.iter().find(|s| s.id == police_grant).expect("share");
    assert!(!revoked.active && revoked.revoked_at.is_some());
    brand.sync();
    assert_eq!(state(&mut brand, &case), state(&mut office, &case));

    // Every history in the partners' stores verifies…
    for p in [&brand, &police] {
        assert!(p.store.verify().expect("verify").ok());
    }
    // …and the annex's content is nowhere in their files.
    let dirs: Vec<tempfile::TempDir> = [brand, police]
        .into_iter()
        .map(|d| {
            drop(d.store);
            d.dir
        })
        .collect();
    for dir in &dirs {
        let bytes = all_bytes(dir.path());
        assert!(bytes.len() > 4096);
        for secret in SECRETS {
            assert!(
                !contains(&bytes, secret),
                "{secret} leaked into a partner's store"
            );
        }
    }
    // The office's own store does hold it (the scan would see it).
    drop(office.store);
    assert!(contains(&all_bytes(office.dir.path()), SECRETS[0]));
}

#[test]
fn office_brand_owner_and_police_co_edit_one_case_file_and_converge_sqlite() {
    joint_operation(Backend::Sqlite, 7);
}

#[test]
fn office_brand_owner_and_police_co_edit_one_case_file_and_converge_postgres() {
    joint_operation(Backend::Postgres, 11);
}
