//! Whole-relay scenarios: offices, the bureau and partners, each with its own
//! store, syncing through one relay over HTTP — against SQLite and, with
//! `HONGDUN_TEST_DATABASE_URL`, against PostgreSQL.

mod common;

use common::{
    day, dispatch_event, force_upload, new_case, new_complaint, new_lead, obj, Backend, Device,
    Relay,
};
use hongdun_core::record::RecordKind;
use hongdun_core::store::ListQuery;
use hongdun_core::sync::protocol::AckResult;
use hongdun_server::storage::{GrantMode, OrgKind, Role};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map};

fn setup(backend: Backend, offices: &[&str]) -> Option<Relay> {
    let relay = Relay::start(backend)?;
    relay.org("BUREAU", "市市场监督管理局", OrgKind::Bureau);
    for o in offices {
        relay.org(o, &format!("{o}市场监督管理所"), OrgKind::Office);
    }
    Some(relay)
}

fn dispatch_return_and_close(backend: Backend) {
    let Some(relay) = setup(backend, &["GS01", "GS02"]) else {
        return;
    };
    let mut bureau = Device::enroll(&relay, "BUREAU", Role::Bureau, "中心受理员");
    let mut gs01 = Device::enroll(&relay, "GS01", Role::Staff, "张三");
    let mut gs02 = Device::enroll(&relay, "GS02", Role::Staff, "李四");

    // The bureau's central intake takes two complaints and dispatches them.
    let c1 = new_complaint(&mut bureau, "BUREAU", "城关镇某家电商行");
    let c2 = new_complaint(&mut bureau, "BUREAU", "东城某超市");
    let mut to = |id: &str, office: &str| {
        let mut p = Map::new();
        p.insert("to_office".into(), json!(office));
        p.insert("from_office".into(), json!("BUREAU"));
        bureau
            .store
            .append_event(id, "dispatch", day("2026-03-02"), p, "中心受理员")
            .expect("dispatch");
    };
    to(&c1, "GS01");
    to(&c2, "GS02");
    bureau.sync();

    gs01.sync();
    gs02.sync();
    assert_eq!(
        gs01.ids(),
        vec![c1.clone()],
        "GS01 reads only what was dispatched to it"
    );
    assert_eq!(gs02.ids(), vec![c2.clone()]);

    // GS01 has no jurisdiction and returns it (to the bureau, never sideways).
    gs01.store
        .append_event(
            &c1,
            "return",
            day("2026-03-03"),
            obj(json!({"reason": "no_jurisdiction"})),
            "张三",
        )
        .expect("return");
    gs01.sync();

    // GS02 handles its complaint offline to the end, then syncs.
    let d = |s| day(s);
    gs02.store
        .append_event(&c2, "claim", d("2026-03-03"), Map::new(), "李四")
        .expect("claim");
    gs02.store
        .append_event(&c2, "accept", d("2026-03-04"), Map::new(), "李四")
        .expect("accept");
    gs02.store
        .append_event(&c2, "start_mediation", d("2026-03-05"), Map::new(), "李四")
        .expect("mediate");
    gs02.store
        .append_event(
            &c2,
            "agree",
            d("2026-03-10"),
            obj(json!({"recovered_fen": 39900, "agreement_no": "调2026-01"})),
            "李四",
        )
        .expect("agree");
    gs02.store
        .append_event(&c2, "close", d("2026-03-11"), Map::new(), "李四")
        .expect("close");
    let s = gs02.sync();
    assert!(s.documents_refused.is_empty(), "{:?}", s.documents_refused);

    // The bureau follows the handling and the feedback.
    bureau.sync();
    assert_eq!(bureau.status(&c1), "RETURNED");
    assert_eq!(bureau.status(&c2), "CLOSED");

    // The returning office no longer reads the returned item.
    gs01.sync();
    assert!(
        gs01.ids().is_empty(),
        "the returned item is gone from GS01's lists"
    );
    // …and a write to it from GS01 (a client that tried anyway) is refused by
    // the relay, never merged.
    gs01.store
        .edit(&c1, &obj(json!({"facts": "私自修改"})), "张三")
        .expect("local edit");
    assert!(matches!(
        force_upload(&mut gs01, &c1, None),
        AckResult::Refused { .. }
    ));
    bureau.sync();
    assert_ne!(
        bureau.store.get(&c1).expect("c1").fields["facts"],
        json!("私自修改")
    );
    // GS02 may not dispatch sideways either (a hand-made event, as the model
    // already refuses it locally).
    let ack = force_upload(
        &mut gs02,
        &c2,
        Some(dispatch_event("GS01", "2026-03-12", "李四")),
    );
    assert!(matches!(ack, AckResult::Refused { .. }), "{ack:?}");
    gs01.sync();
    assert!(gs01.ids().is_empty());
}

#[test]
fn bureau_dispatches_office_returns_other_closes_sqlite() {
    dispatch_return_and_close(Backend::Sqlite);
}

#[test]
fn bureau_dispatches_office_returns_other_closes_postgres() {
    dispatch_return_and_close(Backend::Postgres);
}

fn converge(backend: Backend, seed: u64) {
    let offices = ["GS01", "GS02", "GS03"];
    let Some(relay) = setup(backend, &offices) else {
        return;
    };
    relay.org("GA01", "县公安局经侦大队", OrgKind::Partner);
    let mut devices: Vec<Device> = offices
        .iter()
        .map(|o| Device::enroll(&relay, o, Role::Staff, &format!("{o}办案员")))
        .collect();
    let mut bureau = Device::enroll(&relay, "BUREAU", Role::Bureau, "市局");
    let mut partner = Device::enroll(&relay, "GA01", Role::Partner, "民警");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    // Each office creates records offline; one case file will be shared.
    let mut by_office: Vec<Vec<String>> = vec![];
    for d in devices.iter_mut() {
        let mut ids = vec![];
        ids.push(new_case(d, &format!("{}查处销售假冒茅台酒案", d.name)));
        for i in 1..4 {
            ids.push(new_lead(
                d,
                &format!("{}第{i}条线索：销售假冒茅台酒", d.name),
            ));
        }
        by_office.push(ids);
    }
    for d in devices.iter_mut() {
        d.sync();
    }
    // Share two of GS01's records with the partner: one read-write, one read.
    let shared_rw = by_office[0][0].clone();
    let shared_r = by_office[0][1].clone();
    let grant = |doc: &str, mode| {
        relay
            .rt
            .block_on(
                relay
                    .state
                    .db
                    .create_grant(&hongdun_server::storage::Grant {
                        id: uuid::Uuid::new_v4().simple().to_string(),
                        doc_id: doc.to_string(),
                        partner: "GA01".into(),
                        mode,
                        expires_at: None,
                        created_by: "test".into(),
                        created_at: chrono::Utc::now(),
                        revoked_at: None,
                        office: None,
                    }),
            )
            .expect("grant");
        relay
            .rt
            .block_on(relay.state.db.append_entries(
                doc,
                &[hongdun_server::storage::NewEntry {
                    kind: hongdun_server::storage::EntryKind::Access,
                    audience: Some("GA01".into()),
                    origin_device: None,
                    bytes: vec![],
                }],
            ))
            .expect("access entry");
    };
    grant(&shared_rw, GrantMode::ReadWrite);
    grant(&shared_r, GrantMode::Read);
    bureau.sync();
    partner.sync();

    // Concurrent offline edits, then syncs in random order, several times.
    for round in 0..4 {
        for (i, d) in devices.iter_mut().enumerate() {
            let ids = &by_office[i];
            let id = &ids[rng.random_range(0..ids.len())];
            d.store
                .edit(
                    id,
                    &obj(json!({"notes": format!("{} 第{round}轮", d.name)})),
                    &d.name.clone(),
                )
                .expect("edit");
        }
        bureau
            .store
            .edit(
                &shared_rw,
                &obj(json!({"notes": format!("市局督办 第{round}轮")})),
                "市局",
            )
            .expect("bureau edit");
        partner
            .store
            .edit(
                &shared_rw,
                &obj(json!({"seizures": [{"name": "假冒茅台酒", "quantity": round + 1, "unit": "瓶", "measure": "seize"}]})),
                "民警",
            )
            .expect("partner edits the seizure list");
        let mut order: Vec<usize> = (0..5).collect();
        order.shuffle(&mut rng);
        for k in order {
            match k {
                0..=2 => {
                    devices[k].sync();
                }
                3 => {
                    bureau.sync();
                }
                _ => {
                    partner.sync();
                }
            }
        }
    }
    // Final rounds until quiet.
    for _ in 0..2 {
        for d in devices.iter_mut() {
            d.sync();
        }
        bureau.sync();
        partner.sync();
    }
    // The bureau holds everything; each office its own; the partner exactly its grants.
    let mut all: Vec<String> = by_office.iter().flatten().cloned().collect();
    all.sort();
    assert_eq!(bureau.ids(), all);
    for (i, d) in devices.iter().enumerate() {
        let mut mine = by_office[i].clone();
        mine.sort();
        assert_eq!(d.ids(), mine, "office {i}");
    }
    let mut granted = vec![shared_rw.clone(), shared_r.clone()];
    granted.sort();
    assert_eq!(partner.ids(), granted);
    // Everyone converged on the same state of every document they hold.
    for (i, d) in devices.iter_mut().enumerate() {
        for id in &by_office[i] {
            let a = d.store.get(id).expect("office copy");
            let b = bureau.store.get(id).expect("bureau copy");
            assert_eq!(a.fields, b.fields, "{id}");
            assert_eq!(a.conflicts, b.conflicts, "{id}");
            assert_eq!(a.status, b.status);
        }
    }
    for id in &granted {
        let p = partner.store.get(id).expect("partner copy");
        let b = bureau.store.get(id).expect("bureau copy");
        assert_eq!(p.fields, b.fields);
    }
    // The partner's seizure list merged into the office's copy.
    let office_copy = devices[0].store.get(&shared_rw).expect("rw");
    assert!(
        office_copy.fields.contains_key("seizures"),
        "{:?}",
        office_copy.fields
    );
}

#[test]
fn three_offices_bureau_and_partner_converge_sqlite() {
    converge(Backend::Sqlite, 7);
}

#[test]
fn three_offices_bureau_and_partner_converge_postgres() {
    converge(Backend::Postgres, 11);
}

fn partner_sees_nothing_else(backend: Backend) {
    let Some(relay) = setup(backend, &["GS01"]) else {
        return;
    };
    relay.org("PP01", "某酒业公司打假办", OrgKind::Partner);
    let mut office = Device::enroll(&relay, "GS01", Role::Staff, "张三");
    let mut partner = Device::enroll(&relay, "PP01", Role::Partner, "打假专员");
    let mut ids = vec![];
    for i in 0..20 {
        ids.push(new_lead(&mut office, &format!("线索{i}")));
    }
    // An informant's identity in the confidential annex of a report.
    let annex = office
        .store
        .create(
            RecordKind::Annex,
            &obj(json!({"subject_kind": "lead", "subject_id": ids[0], "persons": [{"name": "王秘密", "phone": "13900001111", "role": "reporter"}]})),
            "张三",
        )
        .expect("annex");
    office.sync();
    // Grant one lead; try to grant the annex (refused by the relay's rules).
    let db = relay.state.db.clone();
    relay
        .rt
        .block_on(db.create_grant(&hongdun_server::storage::Grant {
            id: "g1".into(),
            doc_id: ids[0].clone(),
            partner: "PP01".into(),
            mode: GrantMode::Read,
            expires_at: None,
            created_by: "t".into(),
            created_at: chrono::Utc::now(),
            revoked_at: None,
            office: None,
        }))
        .expect("grant");
    relay
        .rt
        .block_on(db.create_grant(&hongdun_server::storage::Grant {
            id: "g2".into(),
            doc_id: annex.clone(),
            partner: "PP01".into(),
            mode: GrantMode::Read,
            expires_at: None,
            created_by: "t".into(),
            created_at: chrono::Utc::now(),
            revoked_at: None,
            office: None,
        }))
        .expect("grant (the relay still never sends an annex)");
    partner.sync();
    assert_eq!(partner.ids(), vec![ids[0].clone()]);
    // Probing: asking for 10,000 document ids whole (the real ones among them) reads none.
    let mut probe: Vec<String> = (0..10_000).map(|i| format!("{:032x}", i)).collect();
    probe.extend(ids[1..].iter().cloned());
    probe.push(annex.clone());
    let req = hongdun_core::sync::protocol::SyncRequest {
        protocol: hongdun_core::sync::protocol::PROTOCOL_VERSION,
        request_id: rand::random(),
        cursor: 0,
        max_feed_bytes: 64 * 1024 * 1024,
        uploads: vec![],
        want_full: probe,
        schema: 1,
    };
    let cfg = partner.store.remote().expect("remote").expect("enrolled");
    let agent = ureq::Agent::new_with_defaults();
    let (resp, _, _) =
        hongdun_core::sync::client::round_trip(&agent, &cfg, &req).expect("probe round");
    let got: Vec<&str> = resp.feed.iter().map(|f| f.doc_id.as_str()).collect();
    assert_eq!(
        got,
        vec![ids[0].as_str()],
        "only the granted document comes back"
    );
    // The annex content never reaches the partner's store, byte for byte.
    drop(partner.store);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(partner.dir.path()).expect("dir") {
        let p = entry.expect("entry").path();
        if p.is_file() {
            bytes.extend(std::fs::read(&p).expect("read"));
        }
    }
    for secret in ["王秘密", "13900001111"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} leaked into the partner's store"
        );
    }
    let _ = office.store.list(&ListQuery::default());
}

#[test]
fn a_partner_reads_exactly_its_grants_and_never_the_annex_sqlite() {
    partner_sees_nothing_else(Backend::Sqlite);
}

#[test]
fn a_partner_reads_exactly_its_grants_and_never_the_annex_postgres() {
    partner_sees_nothing_else(Backend::Postgres);
}

#[test]
fn an_offices_own_history_of_dispatch_and_return_is_accepted_but_never_sideways() {
    let relay = setup(Backend::Sqlite, &["GS01", "GS02"]).expect("relay");
    let mut gs01 = Device::enroll(&relay, "GS01", Role::Staff, "张三");
    let mut gs02 = Device::enroll(&relay, "GS02", Role::Staff, "李四");
    // Imported from the old 12315 system: dispatched to GS01, returned, sent again.
    let c = new_complaint(&mut gs01, "县局12315中心", "某超市");
    let ev = |d: &mut Device, action: &str, params: serde_json::Value| {
        d.store
            .append_event(&c, action, day("2026-03-02"), obj(params), "张三")
            .expect("event");
    };
    ev(
        &mut gs01,
        "dispatch",
        json!({"to_office": "GS01", "from_office": "县局12315中心"}),
    );
    ev(
        &mut gs01,
        "return",
        json!({"reason": "missing_elements", "to_office": "县局12315中心"}),
    );
    let s = gs01.sync();
    assert!(s.documents_refused.is_empty(), "{:?}", s.documents_refused);
    // Sending its own record on to another office is still the bureau's job.
    let ack = force_upload(
        &mut gs01,
        &c,
        Some(dispatch_event("GS02", "2026-03-05", "张三")),
    );
    assert!(matches!(ack, AckResult::Refused { .. }), "{ack:?}");
    gs02.sync();
    assert!(gs02.ids().is_empty(), "GS02 never receives GS01's record");
}
