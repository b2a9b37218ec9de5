//! The bureau bulletin on a real relay (SQLite and PostgreSQL): offices sync
//! their cases, the bureau asks for the consolidated bulletin and the
//! per-office comparison; an office that never synced shows as stale; the
//! figures equal the ones each office computes from its own store; anyone
//! but the bureau gets 403.

mod common;

use chrono::{DateTime, Utc};
use common::{day, obj, Backend, Device, Relay};
use hongdun_core::record::{EventEnvelope, RecordKind};
use hongdun_core::stats::{BureauBulletin, OfficeComparison, Period};
use hongdun_core::store::RecordExport;
use hongdun_server::storage::{FactsUpdate, OrgKind, Role};
use serde_json::{json, Value};

fn get(url: &str, token: &str) -> (u16, Value) {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut resp = agent
        .get(url)
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .expect("request");
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .with_config()
        .limit(1 << 26)
        .read_to_vec()
        .expect("body");
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&body)));
    (status, v)
}

/// A normal-procedure case filed on `filed`; with `decided`, a 1万元 fine
/// decided, served and paid, booked by the treasury on `booked`.
fn case(id: &str, filed: &str, decided: Option<(&str, &str)>) -> RecordExport {
    let mut steps: Vec<(&str, &str, Value)> = vec![("investigate", filed, json!({}))];
    if let Some((on, booked)) = decided {
        steps.extend([
            ("conclude_investigation", on, json!({})),
            ("submit_review", on, json!({"legal_review_required": false})),
            ("approve_notice", on, json!({"approver": "吴斌"})),
            ("notify", on, json!({"notice_no": "青市监告〔2026〕1号"})),
            (
                "decide",
                on,
                json!({"decision_type": "penalty", "decision_no": "青市监处罚〔2026〕1号",
                    "fine_fen": 1_000_000, "approver": "吴斌", "penalty_types": ["fine"]}),
            ),
            ("serve", on, json!({"method": "direct"})),
            (
                "pay",
                on,
                json!({"kind": "fine", "amount_fen": 1_000_000, "paid_on": on,
                    "treasury_date": booked, "voucher_no": "3620260001", "channel": "bank"}),
            ),
        ]);
    }
    let events = steps
        .iter()
        .enumerate()
        .map(|(i, (action, on, params))| EventEnvelope {
            id: format!("{id}-e{i}"),
            action: action.to_string(),
            on: day(on),
            at: DateTime::<Utc>::from_naive_utc_and_offset(
                day(on).and_hms_opt(2, 0, i as u32).expect("time"),
                Utc,
            ),
            by: "宋琴".into(),
            params: obj(params.clone()),
        })
        .collect();
    RecordExport {
        id: id.into(),
        kind: RecordKind::Case,
        office: None,
        fields: obj(json!({
            "procedure": "normal", "cause": "销售侵犯注册商标专用权的商品", "filed_on": filed,
            "case_category": "trademark", "case_source": "report", "goods_value_fen": 100_000,
            "parties": [{"party_type": "enterprise", "name": "青石县益民超市有限公司",
                "uscc": "91360429MAXNKCJF3E", "legal_rep": "梁志强"}],
            "handlers": [
                {"name": "宋琴", "officer_id": "GS0101-04", "enforcement_cert_no": "36042901412"},
                {"name": "林鹏", "officer_id": "GS0101-07", "enforcement_cert_no": "36042942241"}
            ],
        })),
        events,
    }
}

fn import(d: &mut Device, records: &[RecordExport]) {
    for r in records {
        d.store
            .import_record(r, "测试")
            .unwrap_or_else(|e| panic!("import {}: {e}", r.id));
    }
}

fn bureau_bulletin(backend: Backend) {
    let Some(relay) = Relay::start(backend) else {
        return;
    };
    relay.org("BUREAU", "青石县市场监督管理局", OrgKind::Bureau);
    relay.org("GS01", "城关所", OrgKind::Office);
    relay.org("GS02", "东城所", OrgKind::Office);
    relay.org("GS03", "石桥所", OrgKind::Office);
    let mut gs01 = Device::enroll(&relay, "GS01", Role::Staff, "宋琴");
    let mut gs02 = Device::enroll(&relay, "GS02", Role::Staff, "林鹏");
    // GS03 enrolls a device but never syncs: its figures are all zero and
    // the comparison must show it as stale, not as an office with no work.
    let _gs03 = Device::enroll(&relay, "GS03", Role::Staff, "范建国");

    // GS01: two cases filed in June 2026, one decided and paid, booked 6/20
    // (立案 2, 罚没 decided 1万, 入库 1万).
    import(
        &mut gs01,
        &[
            case("a1", "2026-06-02", Some(("2026-06-15", "2026-06-20"))),
            case("a2", "2026-06-30", None),
        ],
    );
    // GS02: one case filed in June 2026 and one in June 2025 (同比 base).
    import(
        &mut gs02,
        &[
            case("b1", "2026-06-10", None),
            case("b2", "2025-06-11", None),
        ],
    );
    gs01.sync();
    gs02.sync();

    let mut bureau = Device::enroll(&relay, "BUREAU", Role::Bureau, "市局统计员");
    bureau.sync();
    let btoken = bureau.store.remote().expect("r").expect("enrolled").token;
    let url = |q: &str| format!("{}/v1/bureau/bulletin?{q}", relay.url);

    let (status, v) = get(&url("period=2026-06"), &btoken);
    assert_eq!(status, 200, "{v}");
    let bb: BureauBulletin = serde_json::from_value(v).expect("bureau bulletin");
    let b = &bb.bulletin;
    // 立案: a1, a2, b1 = 3; June 2025: b2 = 1 → 增长200.0%.
    let filed = b.figure("cases.filed").expect("filed");
    assert_eq!((filed.value, filed.yoy.text.as_str()), (3, "增长200.0%"));
    // Drill-down ids are left out unless asked for.
    assert!(filed.records.is_empty());
    assert_eq!(b.figure("cases.treasury").map(|f| f.value), Some(1_000_000));
    assert_eq!(b.figure("cases.decided").map(|f| f.value), Some(1_000_000));

    // The comparison lists every office by code with its sync health.
    let rows: Vec<(&str, i64, bool)> = bb
        .comparison
        .rows
        .iter()
        .map(|r| (r.office.as_str(), r.figures.filed, r.health.stale))
        .collect();
    assert_eq!(
        rows,
        [("GS01", 2, false), ("GS02", 1, false), ("GS03", 0, true)]
    );
    let gs03 = &bb.comparison.rows[2];
    assert_eq!((gs03.name.as_str(), gs03.health.devices), ("石桥所", 1));
    assert!(gs03.health.last_sync_at.is_none());
    assert_eq!(bb.comparison.rows[0].health.days_since_sync, Some(0));

    // One office, with drill-down: the same figures GS01 computes itself.
    let (status, v) = get(&url("period=2026-06&offices=GS01&records=true"), &btoken);
    assert_eq!(status, 200, "{v}");
    let one: BureauBulletin = serde_json::from_value(v).expect("GS01 bulletin");
    let own = gs01
        .store
        .office_bulletin(Period::parse("2026-06").expect("period"))
        .expect("own bulletin");
    assert_eq!(one.bulletin.sections, own.sections);
    assert_eq!(one.bulletin.trend, own.trend);
    let mut ids = one
        .bulletin
        .figure("cases.filed")
        .expect("f")
        .records
        .clone();
    ids.sort();
    assert_eq!(ids, ["a1", "a2"]);
    assert_eq!(one.comparison.rows.len(), 1);

    // The comparison alone.
    let (status, v) = get(
        &format!("{}/v1/bureau/comparison?period=2026-Q2", relay.url),
        &btoken,
    );
    assert_eq!(status, 200, "{v}");
    let cmp: OfficeComparison = serde_json::from_value(v).expect("comparison");
    assert_eq!(cmp.period_label, "2026年第二季度");
    assert_eq!(cmp.rows.iter().map(|r| r.figures.filed).sum::<i64>(), 3);

    // Offices and partners get 403, bad periods 400, both as JSON.
    let otoken = gs01.store.remote().expect("r").expect("enrolled").token;
    for path in ["bulletin", "comparison"] {
        let (status, v) = get(
            &format!("{}/v1/bureau/{path}?period=2026-06", relay.url),
            &otoken,
        );
        assert_eq!(
            (status, v["error"].as_str()),
            (403, Some("forbidden")),
            "{v}"
        );
        assert!(v.get("bulletin").is_none() && v.get("rows").is_none());
    }
    for q in ["period=2026-13", "period=June", ""] {
        let (status, v) = get(&url(q), &btoken);
        assert_eq!(
            (status, v["error"].as_str()),
            (400, Some("bad_request")),
            "{q}: {v}"
        );
        assert!(
            v["message"].as_str().is_some_and(|m| m.contains("2026")),
            "{v}"
        );
    }
}

#[test]
fn bureau_bulletin_and_comparison_with_sync_health_sqlite() {
    bureau_bulletin(Backend::Sqlite);
}

#[test]
fn bureau_bulletin_and_comparison_with_sync_health_postgres() {
    bureau_bulletin(Backend::Postgres);
}

/// Documents stored before the relay kept statistics facts (or whose facts
/// were dropped when their stored form changed) gain them when the relay
/// starts, and the bulletin counts them again.
fn facts_rebuilt_at_start(backend: Backend) {
    let Some(relay) = Relay::start(backend) else {
        return;
    };
    relay.org("BUREAU", "青石县市场监督管理局", OrgKind::Bureau);
    relay.org("GS01", "城关所", OrgKind::Office);
    let mut gs01 = Device::enroll(&relay, "GS01", Role::Staff, "宋琴");
    import(
        &mut gs01,
        &[
            case("a1", "2026-06-02", Some(("2026-06-15", "2026-06-20"))),
            case("a2", "2026-06-30", None),
            case("a3", "2025-06-11", None),
        ],
    );
    gs01.sync();
    let mut bureau = Device::enroll(&relay, "BUREAU", Role::Bureau, "市局统计员");
    bureau.sync();
    let btoken = bureau.store.remote().expect("r").expect("enrolled").token;
    let url = format!("{}/v1/bureau/bulletin?period=2026-06", relay.url);
    let bulletin = || {
        let (status, v) = get(&url, &btoken);
        assert_eq!(status, 200, "{v}");
        serde_json::from_value::<BureauBulletin>(v)
            .expect("bureau bulletin")
            .bulletin
    };
    let before = bulletin();
    assert_eq!(before.figure("cases.filed").map(|f| f.value), Some(2));

    // The documents stay; their facts go, as on a relay from before them.
    let db = relay.state.db.clone();
    let drop_facts: Vec<FactsUpdate> = ["a1", "a2", "a3"]
        .into_iter()
        .map(|id| FactsUpdate {
            id: id.into(),
            owner: "GS01".into(),
            kind: "case".into(),
            facts: None,
        })
        .collect();
    relay
        .rt
        .block_on(db.put_stat_facts(&drop_facts))
        .expect("drop facts");
    assert_eq!(bulletin().figure("cases.filed").map(|f| f.value), Some(0));
    assert_eq!(
        relay
            .rt
            .block_on(db.docs_without_facts("", 100))
            .expect("docs without facts")
            .len(),
        3
    );

    // The relay starts again on the same storage: the facts are rebuilt.
    relay
        .rt
        .block_on(hongdun_server::open_database(&relay.state.settings))
        .expect("relay start");
    let after = bulletin();
    assert_eq!(after.sections, before.sections);
    assert_eq!(after.trend, before.trend);
    assert_eq!(
        after.figure("cases.filed").map(|f| f.yoy.text.as_str()),
        Some("增长100.0%")
    );
    assert_eq!(
        after.figure("cases.treasury").map(|f| f.value),
        Some(1_000_000)
    );
    // Nothing is left to rebuild, so the next start does no work.
    let again = relay
        .rt
        .block_on(hongdun_server::relay::backfill::stat_facts(db.as_ref()))
        .expect("backfill");
    assert_eq!(again, 0);
}

#[test]
fn documents_without_statistics_facts_gain_them_at_relay_start_sqlite() {
    facts_rebuilt_at_start(Backend::Sqlite);
}

#[test]
fn documents_without_statistics_facts_gain_them_at_relay_start_postgres() {
    facts_rebuilt_at_start(Backend::Postgres);
}
