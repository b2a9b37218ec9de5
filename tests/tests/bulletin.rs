//! The bulletin over a hand-built dataset: every expected figure below is
//! worked out by hand in the comment beside it, from the records in
//! `dataset()` (imported through the real store, as `hongdun import` does).
//! The period is June 2026; 同比 compares with June 2025, 环比 with May 2026.
//! Offices: GS0101 (most records), GS0102 (two cases) and GS0103 (no data).
//!
//! Working days follow the 2026 schedule (data/holidays.toml): 劳动节 5/1–5/5
//! with 5/9 (Sat) worked, 端午节 6/19–6/21. The first day of a period is not
//! counted; a calendar-day limit ending on a rest day moves to the next working day.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, NaiveDate, Utc};
use hongdun_core::record::{EventEnvelope, RecordKind};
use hongdun_core::stats::{self, export, Bulletin, ExportFormat, Period};
use hongdun_core::store::{RecordExport, Store};
use serde_json::{json, Map, Value};

const A: &str = "GS0101";
const B: &str = "GS0102";
const C: &str = "GS0103";
const PARTY: &str = "91360429MAXNKCJF3E";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// One record with its events (`(action, on, params)`), ids derived from `id`.
fn rec(
    id: &str,
    kind: RecordKind,
    office: &str,
    fields: Value,
    events: &[(&str, &str, Value)],
) -> RecordExport {
    let events = events
        .iter()
        .enumerate()
        .map(|(i, (action, on, params))| EventEnvelope {
            id: format!("{id}-e{i:02}"),
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
        kind,
        office: Some(office.into()),
        fields: obj(fields),
        events,
    }
}

fn party() -> Value {
    json!({"party_type": "enterprise", "name": "青石县益民超市有限公司", "uscc": PARTY, "legal_rep": "梁志强"})
}

fn handlers() -> Value {
    json!([
        {"name": "宋琴", "officer_id": "GS0101-04", "enforcement_cert_no": "36042901412"},
        {"name": "林鹏", "officer_id": "GS0101-07", "enforcement_cert_no": "36042942241"}
    ])
}

fn case_fields(filed: &str, category: &str, source: &str, goods_fen: i64) -> Value {
    json!({
        "procedure": "normal", "cause": "销售侵犯注册商标专用权的商品", "filed_on": filed,
        "case_category": category, "case_source": source, "goods_value_fen": goods_fen,
        "parties": [party()], "handlers": handlers(),
    })
}

/// investigate → … → notify, the steps before a decision.
fn to_notice(from: &str, notify: &str) -> Vec<(&'static str, String, Value)> {
    vec![
        ("investigate", from.into(), json!({})),
        ("conclude_investigation", notify.into(), json!({})),
        (
            "submit_review",
            notify.into(),
            json!({"legal_review_required": false}),
        ),
        ("approve_notice", notify.into(), json!({"approver": "吴斌"})),
        (
            "notify",
            notify.into(),
            json!({"notice_no": "青市监告〔2026〕1号"}),
        ),
    ]
}

fn penalty(no: &str, fine: i64, gains: i64) -> Value {
    let mut p = json!({"decision_type": "penalty", "decision_no": no, "fine_fen": fine,
        "approver": "吴斌", "penalty_types": ["fine"]});
    if gains > 0 {
        p["confiscated_gains_fen"] = json!(gains);
        p["penalty_types"] = json!(["fine", "confiscate_gains"]);
    }
    p
}

fn pay(kind: &str, fen: i64, paid: &str, treasury: &str) -> Value {
    json!({"kind": kind, "amount_fen": fen, "paid_on": paid, "treasury_date": treasury,
        "voucher_no": "3620260001", "channel": "bank"})
}

fn case(
    id: &str,
    office: &str,
    fields: Value,
    steps: Vec<(&'static str, String, Value)>,
) -> RecordExport {
    let steps: Vec<(&str, &str, Value)> = steps
        .iter()
        .map(|(a, on, p)| (*a, on.as_str(), p.clone()))
        .collect();
    rec(id, RecordKind::Case, office, fields, &steps)
}

fn s(v: &str) -> String {
    v.to_string()
}

fn complaint(received: &str, channel: &str, category: &str, dispute: i64) -> Value {
    json!({
        "channel": channel, "received_on": received, "category": category,
        "respondent": party(), "claim": "要求退货退款", "amount_in_dispute_fen": dispute,
    })
}

fn report(received: &str, channel: &str) -> Value {
    json!({"channel": channel, "received_on": received, "real_name": false,
        "clue": "举报该超市销售过期食品", "category": "food", "reported_party": party()})
}

fn petition(received: &str, channel: &str, repeat_of: Option<&str>) -> Value {
    let mut v = json!({"channel": channel, "source": "direct", "petition_type": "claim",
        "received_on": received, "content": "对投诉处理结果不满意"});
    if let Some(r) = repeat_of {
        v["repeat_of_id"] = json!(r);
    }
    v
}

/// The records. Each comment says where the record counts.
fn dataset() -> Vec<RecordExport> {
    let mut v = Vec::new();
    // ---- penalty cases ------------------------------------------------
    // A1: filed 5/29 (May: 立案 环比 base), goods 1万元; decided 6/22: fine
    // 3万 + gains 0.5万 = 3.5万 decided in June (大要案 bracket 1万—5万).
    // Paid in June, but the treasury booked the fine on 7/2 (not June) and
    // the gains on 6/30 (June: 0.5万 入库).
    let mut steps = to_notice("2026-05-29", "2026-06-09");
    steps.extend([
        (
            "decide",
            s("2026-06-22"),
            penalty("青市监处罚〔2026〕1号", 3_000_000, 500_000),
        ),
        ("serve", s("2026-06-23"), json!({"method": "direct"})),
        (
            "pay",
            s("2026-06-29"),
            pay("fine", 3_000_000, "2026-06-29", "2026-07-02"),
        ),
        (
            "pay",
            s("2026-06-29"),
            pay("confiscated_gains", 500_000, "2026-06-29", "2026-06-30"),
        ),
    ]);
    v.push(case(
        "A1",
        A,
        case_fields("2026-05-29", "trademark", "report", 1_000_000),
        steps,
    ));
    // A2: filed 6/2 (June), goods 0.2万; clock paused 6/5–6/20 for testing
    // and extended 30 days on 6/25; undecided: counts only as filed.
    v.push(case(
        "A2",
        A,
        case_fields("2026-06-02", "food", "inspection.routine", 200_000),
        vec![
            ("investigate", s("2026-06-02"), json!({})),
            ("pause_clock", s("2026-06-05"), json!({"reason": "testing"})),
            (
                "resume_clock",
                s("2026-06-20"),
                json!({"result": "检验报告已送达"}),
            ),
            (
                "extend_decide",
                s("2026-06-25"),
                json!({"approver": "吴斌", "days": 30, "reason": "案情复杂"}),
            ),
        ],
    ));
    // A3: filed 6/30, the period's last day (June), tagged to campaign CP.
    let mut a3 = case_fields("2026-06-30", "trademark", "report", 0);
    a3["campaign_id"] = json!("CP");
    v.push(case(
        "A3",
        A,
        a3,
        vec![("investigate", s("2026-06-30"), json!({}))],
    ));
    // A4: filed 4/1, decided 5/20 (fine 0.05万, May), paid 5/25 but booked
    // by the treasury on 6/1 (June 入库 0.05万), closed 6/1 (June 结案).
    let mut steps = to_notice("2026-04-01", "2026-05-06");
    steps.extend([
        (
            "decide",
            s("2026-05-20"),
            penalty("青市监处罚〔2026〕2号", 50_000, 0),
        ),
        ("serve", s("2026-05-21"), json!({"method": "direct"})),
        (
            "pay",
            s("2026-05-25"),
            pay("fine", 50_000, "2026-05-25", "2026-06-01"),
        ),
        ("close", s("2026-06-01"), json!({"approver": "吴斌"})),
    ]);
    v.push(case(
        "A4",
        A,
        case_fields("2026-04-01", "food", "complaint", 0),
        steps,
    ));
    // A5: filed 6/10/2025 (立案 同比 base).
    v.push(case(
        "A5",
        A,
        case_fields("2025-06-10", "food", "report", 0),
        vec![("investigate", s("2025-06-10"), json!({}))],
    ));
    // A6: simple procedure, decided on the spot 6/15 (200元), booked 6/16.
    let simple = json!({"procedure": "simple", "cause": "未明码标价", "case_category": "price",
        "parties": [party()], "handlers": handlers(), "fine_fen": 20_000,
        "decision_no": "青市监简罚〔2026〕1号"});
    v.push(case(
        "A6",
        A,
        simple,
        vec![
            (
                "decide_on_site",
                s("2026-06-15"),
                json!({"decision_no": "青市监简罚〔2026〕1号", "fine_fen": 20_000, "penalty_types": ["fine"]}),
            ),
            ("pay", s("2026-06-15"), pay("fine", 20_000, "2026-06-15", "2026-06-16")),
            ("close", s("2026-06-17"), json!({"approver": "吴斌"})),
        ],
    ));
    // A7: filed 5/4 (May), referred to the judiciary 6/20 (June 移送司法机关).
    v.push(case(
        "A7",
        A,
        case_fields("2026-05-04", "trademark", "report", 0),
        vec![
            ("investigate", s("2026-05-04"), json!({})),
            ("conclude_investigation", s("2026-06-15"), json!({})),
            (
                "decide",
                s("2026-06-20"),
                json!({"decision_type": "referred_judicial", "approver": "吴斌",
                    "collective_ref": "局务会〔2026〕第3次"}),
            ),
        ],
    ));
    // B1: GS0102, filed 6/10 (June), goods 12万, decided 6/29 fine 15万
    // (大要案 bracket 10万—20万: the larger of 案值 and 罚没); unpaid.
    let mut steps = to_notice("2026-06-10", "2026-06-15");
    steps.push((
        "decide",
        s("2026-06-29"),
        penalty("青市监处罚〔2026〕3号", 15_000_000, 0),
    ));
    v.push(case(
        "B1",
        B,
        case_fields("2026-06-10", "trademark", "inspection.routine", 12_000_000),
        steps,
    ));
    // B2: GS0102, filed 6/20/2025 (立案 同比 base).
    v.push(case(
        "B2",
        B,
        case_fields("2025-06-20", "food", "report", 0),
        vec![("investigate", s("2025-06-20"), json!({}))],
    ));

    // ---- 12315 complaints (GS0101) --------------------------------------
    // K1: received Mon 6/1; 7 working days → due 6/10, accepted 6/3 (on
    // time). Agreed 6/12, recovered 0.08万, closed 6/15; dispute 0.1万.
    v.push(rec(
        "K1",
        RecordKind::Complaint,
        A,
        complaint("2026-06-01", "platform_12315", "goods.food", 100_000),
        &[
            ("accept", "2026-06-03", json!({})),
            ("start_mediation", "2026-06-04", json!({})),
            ("agree", "2026-06-12", json!({"recovered_fen": 80_000})),
            ("close", "2026-06-15", json!({})),
        ],
    ));
    // K2: received Thu 5/28 (May); 7 working days (5/29, 6/1–6/5, 6/8) → due
    // 6/8, accepted 6/10 (late). Mediation terminated 6/20, closed 6/24; dispute 0.05万.
    v.push(rec(
        "K2",
        RecordKind::Complaint,
        A,
        complaint("2026-05-28", "phone", "services.catering", 50_000),
        &[
            ("accept", "2026-06-10", json!({})),
            ("start_mediation", "2026-06-11", json!({})),
            (
                "terminate",
                "2026-06-20",
                json!({"art21_reason": "no_agreement_possible"}),
            ),
            ("notify_outcome", "2026-06-22", json!({})),
            ("close", "2026-06-24", json!({})),
        ],
    ));
    // K3: received 6/25 (June); acceptance due 7/6 (July): in no June cohort.
    v.push(rec(
        "K3",
        RecordKind::Complaint,
        A,
        complaint("2026-06-25", "platform_12315", "goods.clothing", 0),
        &[],
    ));
    // K4: received 6/5/2025 (投诉 同比 base).
    v.push(rec(
        "K4",
        RecordKind::Complaint,
        A,
        complaint("2025-06-05", "platform_12315", "goods.food", 0),
        &[],
    ));
    // K5: accepted Mon 4/20; 45 working days from 4/21 (4/21–4/30: 8, 5/6–5/9:
    // 12, 5/11–5/29: 27, 6/1–6/12: 37, 6/15–6/18: 41, 6/22–6/25: 45) → due
    // 6/25; agreed 6/24 (on time), recovered 0.03万, closed 6/26; dispute 0.04万.
    v.push(rec(
        "K5",
        RecordKind::Complaint,
        A,
        complaint("2026-04-17", "phone", "goods.food", 40_000),
        &[
            ("accept", "2026-04-20", json!({})),
            ("start_mediation", "2026-04-21", json!({})),
            ("agree", "2026-06-24", json!({"recovered_fen": 30_000})),
            ("close", "2026-06-26", json!({})),
        ],
    ));
    // K6: accepted Fri 4/17; 45 working days from 4/20 → due 6/24; still
    // mediating (late).
    v.push(rec(
        "K6",
        RecordKind::Complaint,
        A,
        complaint("2026-04-16", "phone", "goods.food", 0),
        &[
            ("accept", "2026-04-17", json!({})),
            ("start_mediation", "2026-04-20", json!({})),
        ],
    ));

    // ---- 12315 reports (GS0101) -----------------------------------------
    // R1: received Mon 5/11; 15 working days from 5/12 → due 6/1; not filed 5/29 (on time).
    v.push(rec(
        "R1",
        RecordKind::Report,
        A,
        report("2026-05-11", "hotline_12345"),
        &[
            ("start_verify", "2026-05-12", json!({})),
            (
                "not_file",
                "2026-05-29",
                json!({"reason": "minor_corrected"}),
            ),
        ],
    ));
    // R2: received Tue 5/12 → due 6/2, extended 15 working days on 5/29 → due
    // 6/24; not filed 6/23 (on time).
    v.push(rec(
        "R2",
        RecordKind::Report,
        A,
        report("2026-05-12", "platform_12315"),
        &[
            ("start_verify", "2026-05-13", json!({})),
            (
                "extend_verify",
                "2026-05-29",
                json!({"approver": "吴斌", "days": 15}),
            ),
            ("not_file", "2026-06-23", json!({"reason": "no_violation"})),
        ],
    ));
    // R3: received Tue 6/2 (June) → due 6/24 (6/3–6/18: 12, 6/22–6/24: 15); undecided (late).
    v.push(rec(
        "R3",
        RecordKind::Report,
        A,
        report("2026-06-02", "platform_12315"),
        &[("start_verify", "2026-06-03", json!({}))],
    ));

    // ---- petitions (GS0101) ----------------------------------------------
    // P0: replied 3/10 (its 3-month quiet window ends 6/10, in June); P3 repeats
    // it on 5/20: not settled. P0b: replied 3/20, no repeat: settled.
    v.push(rec(
        "P0",
        RecordKind::Petition,
        A,
        petition("2026-02-02", "letter", None),
        &[
            ("register", "2026-02-02", json!({})),
            ("accept", "2026-02-03", json!({})),
            ("reply", "2026-03-10", json!({"opinion_type": "explain"})),
        ],
    ));
    v.push(rec(
        "P0b",
        RecordKind::Petition,
        A,
        petition("2026-02-10", "letter", None),
        &[
            ("register", "2026-02-10", json!({})),
            ("accept", "2026-02-11", json!({})),
            ("reply", "2026-03-20", json!({"opinion_type": "support"})),
        ],
    ));
    // P1: received 6/1 (June); notify due 6/16, accepted 6/5 (on time); leader
    // assigned; replied 6/20, evaluated 6/25 satisfied.
    v.push(rec(
        "P1",
        RecordKind::Petition,
        A,
        petition("2026-06-01", "visit", None),
        &[
            ("register", "2026-06-01", json!({})),
            ("accept", "2026-06-05", json!({})),
            ("assign_leader", "2026-06-05", json!({"leader": "吴斌局长"})),
            ("reply", "2026-06-20", json!({"opinion_type": "support"})),
            ("evaluate", "2026-06-25", json!({"result": "satisfied"})),
        ],
    ));
    // P2: received 5/25 (May); notify due 6/9, accepted 6/12 (late); replied 6/28.
    v.push(rec(
        "P2",
        RecordKind::Petition,
        A,
        petition("2026-05-25", "online", None),
        &[
            ("register", "2026-05-25", json!({})),
            ("accept", "2026-06-12", json!({})),
            ("reply", "2026-06-28", json!({"opinion_type": "explain"})),
        ],
    ));
    // P3: received 5/20 (May), repeats P0; notify due 6/4, accepted 5/22 (on time).
    v.push(rec(
        "P3",
        RecordKind::Petition,
        A,
        petition("2026-05-20", "online", Some("P0")),
        &[
            ("register", "2026-05-20", json!({})),
            ("accept", "2026-05-22", json!({})),
        ],
    ));
    // P4: accepted 4/10; 60 days → due 6/9; replied 6/8 (on time, June reply, not evaluated).
    v.push(rec(
        "P4",
        RecordKind::Petition,
        A,
        petition("2026-04-08", "letter", None),
        &[
            ("register", "2026-04-08", json!({})),
            ("accept", "2026-04-10", json!({})),
            ("reply", "2026-06-08", json!({"opinion_type": "reject"})),
        ],
    ));
    // P5: accepted 4/15; 60 days → 6/14, a Sunday → due Mon 6/15; no reply (late).
    v.push(rec(
        "P5",
        RecordKind::Petition,
        A,
        petition("2026-04-13", "letter", None),
        &[
            ("register", "2026-04-13", json!({})),
            ("accept", "2026-04-15", json!({})),
        ],
    ));

    // ---- campaign and inspections (GS0101) -------------------------------
    v.push(rec(
        "CP",
        RecordKind::Campaign,
        A,
        json!({"name": "端午节市场专项检查", "campaign_type": "holiday_market",
        "start_on": "2026-06-01", "end_on": "2026-06-30"}),
        &[("start", "2026-06-01", json!({}))],
    ));
    // I1: 6/10 in CP: 3 officers (by ids), 2 visits to two entities, 4
    // batches sampled, 1 unqualified, 1 den, 20 items worth 0.3万 seized, referred to police.
    v.push(rec(
        "I1",
        RecordKind::Inspection,
        A,
        json!({
            "campaign_id": "CP", "inspected_on": "2026-06-10",
            "officer_ids": ["GS0101-04", "GS0101-07", "GS0101-09"], "premises_count": 2,
            "entities": [party(), {"party_type": "natural_person", "name": "流动摊贩王某"}],
            "sample_batches": 4, "unqualified_batches": 1, "dens_destroyed": 1,
            "seized_qty": 20, "seized_value_fen": 300_000, "referred_to_police": true,
        }),
        &[],
    ));
    // I2: 6/30, routine: 2 officers, 1 visit to an entity already counted, 2 batches.
    v.push(rec(
        "I2",
        RecordKind::Inspection,
        A,
        json!({
            "inspected_on": "2026-06-30", "officer_count": 2, "premises_count": 1,
            "entities": [party()], "sample_batches": 2, "unqualified_batches": 0,
        }),
        &[],
    ));
    // I3: 7/1, the day after the period: counts nowhere in June.
    v.push(rec(
        "I3",
        RecordKind::Inspection,
        A,
        json!({
            "inspected_on": "2026-07-01", "officer_count": 5, "premises_count": 4,
        }),
        &[],
    ));
    v
}

fn store_with_dataset(dir: &Path) -> Store {
    let mut store = Store::open(dir).expect("open store");
    store.init(A, "城关市场监督管理所").expect("init");
    for r in dataset() {
        store
            .import_record(&r, "测试")
            .unwrap_or_else(|e| panic!("import {}: {e}", r.id));
    }
    store
}

fn june() -> Period {
    Period::parse("2026-06").expect("period")
}

fn offices(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// (value, denominator, 同比 text, 环比 text) of a figure.
fn fig(b: &Bulletin, key: &str) -> (i64, Option<i64>, String, String) {
    let f = b.figure(key).unwrap_or_else(|| panic!("no figure {key}"));
    (
        f.value,
        f.denominator,
        f.yoy.text.clone(),
        f.mom.as_ref().map_or("—".into(), |m| m.text.clone()),
    )
}

fn records(b: &Bulletin, key: &str) -> Vec<String> {
    let mut r = b.figure(key).map(|f| f.records.clone()).unwrap_or_default();
    r.sort();
    r
}

#[test]
fn bulletin_figures_match_the_hand_worked_dataset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_dataset(dir.path());
    let b = store.bulletin(june(), &offices(&[A, B])).expect("bulletin");

    // 立案: A2, A3, B1 = 3; June 2025: A5, B2 = 2 (+50%); May: A1, A7 = 2 (+50%).
    assert_eq!(
        fig(&b, "cases.filed"),
        (3, None, "增长50.0%".into(), "增长50.0%".into())
    );
    assert_eq!(records(&b, "cases.filed"), ["A2", "A3", "B1"]);
    // 结案: A4 on 6/1 = 1; none a year ago or in May: 新增 both.
    assert_eq!(
        fig(&b, "cases.closed"),
        (1, None, "新增".into(), "新增".into())
    );
    // 简易程序: A6 = 1.
    assert_eq!(fig(&b, "cases.simple").0, 1);
    // 案值 of cases filed in June: A2 200,000 + A3 0 + B1 12,000,000 fen.
    assert_eq!(fig(&b, "cases.goods_value").0, 12_200_000);
    // 罚没 decided in June: A1 3,500,000 + B1 15,000,000 + A6 20,000 fen;
    // May: A4 50,000 → (18,520,000 − 50,000) ÷ 50,000 = +36940%.
    assert_eq!(
        fig(&b, "cases.decided"),
        (18_520_000, None, "新增".into(), "增长36940.0%".into())
    );
    // 入库 by treasury date in June: A1 gains 500,000 (6/30) + A4 50,000 (6/1,
    // decided in May) + A6 20,000 (6/16); A1's fine was booked 7/2.
    assert_eq!(fig(&b, "cases.treasury").0, 570_000);
    assert_eq!(records(&b, "cases.treasury"), ["A1", "A4", "A6"]);
    // 移送司法机关: A7.
    assert_eq!(fig(&b, "cases.judicial").0, 1);
    // 大要案 (≥ 1万): A1 (3.5万), B1 (15万); brackets 1万—5万: A1, 10万—20万: B1.
    assert_eq!(fig(&b, "cases.big").0, 2);
    let big = b.breakdown("cases.big_by_bracket").expect("brackets");
    let by: Vec<(&str, i64)> = big
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.value))
        .collect();
    assert_eq!(
        by,
        [
            ("1万元—5万元", 1),
            ("5万元—10万元", 0),
            ("10万元—20万元", 1),
            ("20万元—40万元", 0),
            ("40万元以上", 0)
        ]
    );
    // By type (filed in June): trademark A3, B1; food A2.
    let cat = b.breakdown("cases.by_category").expect("by category");
    assert_eq!(
        cat.rows
            .iter()
            .map(|r| (r.code.as_str(), r.value))
            .collect::<Vec<_>>(),
        [("trademark", 2), ("food", 1)]
    );

    // 投诉 received in June: K1, K3 = 2; June 2025: K4 (+100%); May: K2 (+100%).
    assert_eq!(
        fig(&b, "consumer.complaints"),
        (2, None, "增长100.0%".into(), "增长100.0%".into())
    );
    // 按时初查 (acceptance due in June): K1 on time, K2 late = 1/2.
    assert_eq!(
        (
            fig(&b, "consumer.accept_on_time").0,
            fig(&b, "consumer.accept_on_time").1
        ),
        (1, Some(2))
    );
    // 按时办结 (45-day limit due in June): K5 on time, K6 late = 1/2.
    assert_eq!(
        (
            fig(&b, "consumer.close_on_time").0,
            fig(&b, "consumer.close_on_time").1
        ),
        (1, Some(2))
    );
    assert_eq!(records(&b, "consumer.close_on_time"), ["K5", "K6"]);
    // 调解成功 (accepted, closed in June): K1 agreed, K2 terminated, K5 agreed = 2/3.
    assert_eq!(
        (
            fig(&b, "consumer.mediation_success").0,
            fig(&b, "consumer.mediation_success").1
        ),
        (2, Some(3))
    );
    assert_eq!(
        b.figure("consumer.mediation_success")
            .and_then(|f| f.rate())
            .map(|r| format!("{r:.1}")),
        Some("66.7".into())
    );
    // 办结率 (accepted in June: K1, K2; both closed by 6/30) = 2/2.
    assert_eq!(
        (fig(&b, "consumer.closure").0, fig(&b, "consumer.closure").1),
        (2, Some(2))
    );
    // 举报 received in June: R3; May: R1, R2 → 下降50%; June 2025: 0 → 新增.
    assert_eq!(
        fig(&b, "consumer.reports"),
        (1, None, "新增".into(), "下降50.0%".into())
    );
    // 按时核查 (due in June): R1 (6/1) on time, R2 (6/24 after extension) on time, R3 (6/24) late = 2/3.
    assert_eq!(
        (
            fig(&b, "consumer.report_verify_on_time").0,
            fig(&b, "consumer.report_verify_on_time").1
        ),
        (2, Some(3))
    );
    // 争议金额 of complaints closed in June: K1 100,000 + K2 50,000 + K5 40,000.
    assert_eq!(fig(&b, "consumer.disputed").0, 190_000);
    // 挽回经济损失: K1 80,000 + K5 30,000.
    assert_eq!(fig(&b, "consumer.recovered").0, 110_000);
    // By channel (received in June): platform_12315 K1, K3.
    let ch = b
        .breakdown("consumer.complaints_by_channel")
        .expect("channels");
    assert_eq!(
        ch.rows
            .iter()
            .map(|r| (r.code.as_str(), r.value))
            .collect::<Vec<_>>(),
        [("platform_12315", 2)]
    );
    let gs = b
        .breakdown("consumer.complaints_by_category")
        .expect("goods/services");
    assert_eq!(
        gs.rows
            .iter()
            .map(|r| (r.label.as_str(), r.value))
            .collect::<Vec<_>>(),
        [("商品类", 2)]
    );

    // 信访 received in June: P1; May: P2, P3 → 下降50%; June 2025: 0 → 新增.
    assert_eq!(
        fig(&b, "petitions.received"),
        (1, None, "新增".into(), "下降50.0%".into())
    );
    // 及时受理 (notice due in June): P1 (6/16) on time, P2 (6/9) late, P3 (6/4) on time = 2/3.
    let r = |k: &str| (fig(&b, k).0, fig(&b, k).1);
    assert_eq!(r("petitions.accept_on_time"), (2, Some(3)));
    // 按期办结 (60 days due in June): P4 (6/9) on time, P5 (6/15) late = 1/2.
    assert_eq!(r("petitions.handle_on_time"), (1, Some(2)));
    assert_eq!(records(&b, "petitions.handle_on_time"), ["P4", "P5"]);
    // 满意率 (evaluated in June): P1 satisfied = 1/1.
    assert_eq!(r("petitions.satisfaction"), (1, Some(1)));
    // 参评率 (replied in June: P1, P2, P4; evaluated: P1) = 1/3.
    assert_eq!(r("petitions.participation"), (1, Some(3)));
    // 包案化解率 (leader-assigned, received in June: P1, replied) = 1/1.
    assert_eq!(r("petitions.leader_resolved"), (1, Some(1)));
    // 回复率 (accepted in June: P1, P2; both replied) = 2/2; 办结率: none closed = 0/2.
    assert_eq!(r("petitions.reply"), (2, Some(2)));
    assert_eq!(r("petitions.closure"), (0, Some(2)));
    // 息访率 (replied in March, window ends in June): P0 repeated by P3, P0b quiet = 1/2.
    assert_eq!(r("petitions.quiet"), (1, Some(2)));

    // Inspections in June: I1, I2 (I3 is 7/1).
    // 出动 3 + 2 = 5 人次; 户次 2 + 1 = 3; 户数: the enterprise and the stall = 2.
    assert_eq!(fig(&b, "campaigns.officers").0, 5);
    assert_eq!(fig(&b, "campaigns.visits").0, 3);
    assert_eq!(fig(&b, "campaigns.entities").0, 2);
    // 抽检 4 + 2 = 6 批次, 不合格 1, rate 1/6.
    assert_eq!(fig(&b, "campaigns.samples").0, 6);
    assert_eq!(r("campaigns.unqualified_rate"), (1, Some(6)));
    // 移送公安 1, 捣毁窝点 1, 查获 20 件 0.3万元.
    assert_eq!(fig(&b, "campaigns.police").0, 1);
    assert_eq!(fig(&b, "campaigns.dens").0, 1);
    assert_eq!(fig(&b, "campaigns.seized_value").0, 300_000);
    // Cases tagged to a campaign, filed in June: A3.
    assert_eq!(records(&b, "campaigns.cases"), ["A3"]);
    let camp = b
        .breakdown("campaigns.inspections_by_campaign")
        .expect("by campaign");
    let mut rows: Vec<(&str, i64)> = camp
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.value))
        .collect();
    rows.sort();
    assert_eq!(rows, [("日常检查", 1), ("端午节市场专项检查", 1)]);

    // Trend: June 2026 is the last of twelve months; May shows A1, A7 filed.
    let last = b.trend.last().expect("trend");
    assert_eq!(
        (
            last.month.as_str(),
            last.filed,
            last.closed,
            last.treasury_fen
        ),
        ("2026-06", 3, 1, 570_000)
    );
    assert_eq!(b.trend[10].filed, 2);

    // By office: GS0101 filed A2, A3; GS0102 filed B1.
    let rows: Vec<(&str, i64)> = b
        .by_office
        .iter()
        .map(|o| (o.office.as_str(), o.filed))
        .collect();
    assert_eq!(rows, [(A, 2), (B, 1)]);

    // The summary paragraph states the figures in the house style.
    assert!(
        b.summary
            .starts_with("2026年6月，共立案3件，比去年同期增长50.0%"),
        "{}",
        b.summary
    );
    assert!(b.summary.contains("罚没入库0.57万元"), "{}", b.summary);
    // Finance figures are off unless the office turns them on.
    assert!(b.finance.is_none());
}

#[test]
fn two_offices_merged_are_the_sum_of_each_and_an_office_without_data_is_all_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_dataset(dir.path());
    let a = store.bulletin(june(), &offices(&[A])).expect("A");
    let b = store.bulletin(june(), &offices(&[B])).expect("B");
    let ab = store.bulletin(june(), &offices(&[A, B])).expect("A+B");
    // A: A2, A3; B: B1.
    assert_eq!(fig(&a, "cases.filed").0, 2);
    assert_eq!(fig(&b, "cases.filed").0, 1);
    for key in [
        "cases.filed",
        "cases.decided",
        "cases.treasury",
        "cases.big",
        "cases.goods_value",
    ] {
        assert_eq!(fig(&ab, key).0, fig(&a, key).0 + fig(&b, key).0, "{key}");
    }
    // GS0102 a year ago: B2 → 同比 持平 (1 vs 1).
    assert_eq!(fig(&b, "cases.filed").2, "持平");
    // GS0103 has no records: every figure is zero, rates and comparisons "—".
    let c = store.bulletin(june(), &offices(&[C])).expect("C");
    for s in &c.sections {
        for f in &s.figures {
            assert_eq!(f.value, 0, "{}", f.key);
            assert!(f.records.is_empty(), "{}", f.key);
            assert_eq!(f.yoy.text, "—", "{}", f.key);
        }
    }
    assert!(c.trend.iter().all(|t| t.filed == 0 && t.complaints == 0));
    // Listed beside the others, it shows as a row of zeros, not missing.
    let abc = store.bulletin(june(), &offices(&[A, B, C])).expect("A+B+C");
    assert_eq!(fig(&abc, "cases.filed").0, 3);
    assert_eq!(
        abc.by_office
            .iter()
            .map(|o| o.office.as_str())
            .collect::<Vec<_>>(),
        [A, B, C]
    );
    // The desktop's entry point: this store's office only.
    assert_eq!(
        store
            .office_bulletin(june())
            .expect("own")
            .figure("cases.filed")
            .map(|f| f.value),
        Some(2)
    );
}

#[test]
fn quarter_half_year_and_year_to_date_cover_their_months() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_dataset(dir.path());
    let all = offices(&[A, B]);
    // Q2 and H1 and 1—6月: filed A4 (4/1), A7 (5/4), A1 (5/29), A2, A3, B1 = 6.
    for p in ["2026-Q2", "2026-H1", "2026-06-ytd"] {
        let b = store
            .bulletin(Period::parse(p).expect("p"), &all)
            .expect("bulletin");
        assert_eq!(fig(&b, "cases.filed").0, 6, "{p}");
    }
    // Q2 vs Q1 (no cases): 新增; YTD has no 环比.
    let q2 = store
        .bulletin(Period::parse("2026-Q2").expect("p"), &all)
        .expect("q2");
    assert_eq!(fig(&q2, "cases.filed").3, "新增");
    let ytd = store
        .bulletin(Period::parse("2026-06-ytd").expect("p"), &all)
        .expect("ytd");
    assert!(ytd.figure("cases.filed").expect("f").mom.is_none());
    // 2025 (year): A5, B2 filed.
    let y = store
        .bulletin(Period::parse("2025").expect("p"), &all)
        .expect("2025");
    assert_eq!(fig(&y, "cases.filed").0, 2);
}

#[test]
fn finance_figures_appear_only_when_the_office_turns_them_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_dataset(dir.path());
    std::fs::write(
        dir.path().join("stats.toml"),
        "[finance]\nenabled = true\nofficers = 4\nbudget_yuan = { \"2026\" = 100000 }\n",
    )
    .expect("settings");
    let b = store.bulletin(june(), &offices(&[A])).expect("bulletin");
    let f = b.finance.expect("finance on");
    // 入库 1—6月 for GS0101: A4 50,000 (6/1) + A6 20,000 + A1 gains 500,000 = 570,000 fen;
    // budget 100,000 yuan = 10,000,000 fen → 5.7%; per officer 570,000 ÷ 4 = 142,500.
    assert_eq!(f.treasury_ytd_fen, 570_000);
    assert_eq!(
        f.completion_rate.map(|r| format!("{r:.1}")),
        Some("5.7".into())
    );
    assert_eq!(f.per_officer_fen, Some(142_500));
    assert!(f.note.contains("不作排名"));
    // Brackets are settings too.
    std::fs::write(
        dir.path().join("stats.toml"),
        "big_case_brackets_yuan = [100000]\n",
    )
    .expect("settings");
    let b = store.bulletin(june(), &offices(&[A, B])).expect("bulletin");
    // Only B1 (15万) reaches 10万.
    assert_eq!(fig(&b, "cases.big").0, 1);
    // A bad settings file is refused with its name.
    std::fs::write(
        dir.path().join("stats.toml"),
        "big_case_brackets_yuan = [5, 1]\n",
    )
    .expect("settings");
    let err = store
        .bulletin(june(), &offices(&[A]))
        .expect_err("bad settings")
        .to_string();
    assert!(
        err.contains("stats.toml") && err.contains("ascending"),
        "{err}"
    );
}

/// Converts `file` to PDF with LibreOffice (its own profile directory) and
/// returns the PDF's text.
fn pdf_text(file: &Path, work: &Path) -> String {
    let profile = work.join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(work)
        .arg(file)
        .output()
        .expect("soffice runs (scripts/setup.sh installs libreoffice-calc and libreoffice-writer)");
    assert!(
        out.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = work.join(file.with_extension("pdf").file_name().expect("name"));
    assert!(
        pdf.exists(),
        "no PDF from {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stdout)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(text.status.success());
    String::from_utf8_lossy(&text.stdout).into_owned()
}

#[test]
fn exported_xlsx_and_docx_open_in_libreoffice_with_the_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_dataset(&dir.path().join("store"));
    let b = store.bulletin(june(), &offices(&[A, B])).expect("bulletin");
    let work = dir.path();
    // Strip spaces: pdftotext may put them between CJK and digits.
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    for format in [ExportFormat::Xlsx, ExportFormat::Docx] {
        let file = work.join(format!("bulletin.{}", format.extension()));
        export::write(&b, format, &file).expect("export");
        let text = squash(&pdf_text(&file, work));
        assert!(text.contains("2026年6月工作通报"), "{format:?}: {text}");
        // 立案 3 (同比 增长50.0%), 罚没入库 0.57万元, 罚没 decided 18.52万元.
        for needle in [
            "立案数",
            "增长50.0%",
            "0.57万元",
            "18.52万元",
            "调解成功率",
            "66.7%",
            "息访率",
            "50.0%",
        ] {
            assert!(text.contains(needle), "{format:?} lacks {needle}: {text}");
        }
    }
    // CSV and JSON round-trip the same numbers.
    let csv = work.join("bulletin.csv");
    export::write(&b, ExportFormat::Csv, &csv).expect("csv");
    let csv = std::fs::read_to_string(&csv).expect("read csv");
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.lines()
            .any(|l| l.contains("cases.filed") && l.contains(",3,")),
        "{csv}"
    );
    let json = work.join("bulletin.json");
    export::write(&b, ExportFormat::Json, &json).expect("json");
    let back: Bulletin =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("parse");
    assert_eq!(back, b);
}

#[test]
fn charts_render_to_png_with_chinese_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_dataset(dir.path());
    let b = store.bulletin(june(), &offices(&[A, B])).expect("bulletin");
    for kind in hongdun_core::stats::ChartKind::ALL {
        let svg = hongdun_core::stats::svg(&b, kind);
        assert!(svg.contains(kind.title()));
        let png = export::chart_png(&svg).expect("png");
        assert_eq!(&png[1..4], b"PNG");
    }
    // The trend chart carries June's 3 filed cases as a bar label.
    assert!(hongdun_core::stats::svg(&b, hongdun_core::stats::ChartKind::Trend).contains(">3<"));
}

#[test]
fn unknown_periods_are_refused_plainly() {
    for bad in ["2026-13", "June", "2026-Q0"] {
        let e = Period::parse(bad).expect_err(bad).to_string();
        assert!(e.contains("is not a period"), "{e}");
    }
}

/// A bulletin with every drill-down list sorted (parts add up in office order).
fn sorted(mut b: Bulletin) -> Bulletin {
    for s in &mut b.sections {
        for f in &mut s.figures {
            f.records.sort();
        }
        for bd in &mut s.breakdowns {
            for r in &mut bd.rows {
                r.records.sort();
            }
        }
    }
    b
}

#[test]
fn a_bulletin_added_up_office_by_office_equals_the_one_made_at_once() {
    // The relay computes a bureau-wide bulletin one office at a time and
    // adds the parts: the figures must not depend on it.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_dataset(dir.path());
    let settings = store.stats_settings().expect("settings");
    for period in ["2026-06", "2026-Q2", "2026-H1", "2026-06-ytd", "2026"] {
        let period = Period::parse(period).expect("period");
        let (from, to) = stats::figures::window(&period, &settings);
        let facts = store.record_facts(from, to).expect("facts");
        let both = offices(&[A, B, C]);
        let whole = stats::bulletin(&facts, &both, period, &settings, true);
        let mut parts = stats::partial(&facts, &offices(&[A]), period, &settings, true);
        for o in [B, C] {
            parts.merge(stats::partial(
                &facts,
                &offices(&[o]),
                period,
                &settings,
                true,
            ));
        }
        let added = parts.finish(&both, period, &settings, true);
        assert_eq!(sorted(added), sorted(whole), "{}", period.label());
    }
}
