//! Every status machine of DOMAIN §6.2: each legal path walked to its end, and
//! representative illegal actions refused with the action and rule named.

#[path = "model_common.rs"]
mod common;

use common::*;
use hongdun_core::deadline::RuleId;
use hongdun_core::model::{self, case_workflow};
use hongdun_core::record::RecordKind;
use serde_json::{json, Value};

fn clock(w: &Walk, rule: RuleId) -> hongdun_core::deadline::Clock {
    w.derived()
        .clocks
        .into_iter()
        .rev()
        .find(|c| c.rule == rule)
        .unwrap_or_else(|| panic!("no clock {rule}"))
}

// ---------------------------------------------------------------- lead

fn lead() -> Walk {
    Walk::new(
        RecordKind::Lead,
        json!({"source_type": "report", "received_on": "2026-03-02", "summary": "销售假冒茅台酒"}),
    )
}

#[test]
fn lead_verified_with_one_extension_and_an_appraisal_pause_is_filed_with_two_handlers() {
    let mut w = lead();
    w.expect("REGISTERED");
    w.ok("start_verify", "2026-03-03", json!({}))
        .expect("VERIFYING");
    w.ok("extend_verify", "2026-03-16", json!({"approver": "局长"}));
    w.ok("pause", "2026-03-17", json!({"reason": "鉴定"}));
    w.ok("resume", "2026-03-25", json!({}));
    w.ok(
        "file",
        "2026-03-30",
        json!({"handlers": handlers(), "case_id": "case-1"}),
    )
    .expect("FILED");
    let c = clock(&w, RuleId::CaseVerify);
    assert_eq!(c.start, d("2026-03-02"));
    assert_eq!(c.extensions.len(), 1);
    assert_eq!(c.pauses.len(), 1);
    assert_eq!(c.pauses[0].to, Some(d("2026-03-25")));
    assert_eq!(c.pauses[0].reason, "鉴定");
    assert_eq!(c.met_on, Some(d("2026-03-30")));
    let derived = w.derived();
    assert!(derived.closed);
    assert_eq!(derived.dates["filed_on"], d("2026-03-30"));
    assert_eq!(derived.outcome.as_deref(), Some("filed"));
    assert!(derived.allowed_actions.is_empty());
}

#[test]
fn lead_may_end_not_filed_transferred_or_merged() {
    let mut w = lead();
    w.ok("start_verify", "2026-03-03", json!({}));
    w.ok("not_file", "2026-03-10", json!({"reason": "first_minor"}))
        .expect("NOT_FILED");
    let mut w = lead();
    w.ok("transfer", "2026-03-03", json!({"to": "县公安局"}))
        .expect("TRANSFERRED");
    let mut w = lead();
    w.ok("start_verify", "2026-03-03", json!({}));
    w.ok("merge", "2026-03-04", json!({"into": "case-9"}))
        .expect("MERGED");
    assert_eq!(clock(&w, RuleId::CaseVerify).met_on, Some(d("2026-03-04")));
}

#[test]
fn lead_refuses_filing_before_verification_and_a_second_extension() {
    let mut w = lead();
    let e = w.refused("file", "2026-03-03", json!({"handlers": handlers()}));
    assert!(is_status_rule(&e), "{e}");
    assert_eq!(e.status, "REGISTERED");
    w.ok("start_verify", "2026-03-03", json!({}));
    w.ok("extend_verify", "2026-03-10", json!({"approver": "局长"}));
    let e = w.refused("extend_verify", "2026-03-11", json!({"approver": "局长"}));
    assert!(e.rule.contains("程序规定第十八条"), "{e}");
    let e = w.refused("extend_verify", "2026-03-11", json!({}));
    assert!(e.rule.contains("程序规定第十八条"));
    assert!(!w.allows("extend_verify"));
}

#[test]
fn lead_extension_needs_an_approver_and_at_most_fifteen_days() {
    let mut w = lead();
    w.ok("start_verify", "2026-03-03", json!({}));
    let e = w.refused("extend_verify", "2026-03-10", json!({}));
    assert!(e.rule.contains("params.approver"), "{e}");
    let e = w.refused(
        "extend_verify",
        "2026-03-10",
        json!({"approver": "局长", "days": 16}),
    );
    assert!(e.rule.contains("params.days"), "{e}");
}

#[test]
fn lead_resume_needs_an_open_pause_and_pause_a_listed_reason() {
    let mut w = lead();
    w.ok("start_verify", "2026-03-03", json!({}));
    let e = w.refused("resume", "2026-03-04", json!({}));
    assert_eq!(e.rule, "计时未暂停");
    let e = w.refused("pause", "2026-03-04", json!({"reason": "出差"}));
    assert!(e.rule.contains("params.reason"), "{e}");
    w.ok("pause", "2026-03-04", json!({"reason": "testing"}));
    let e = w.refused("pause", "2026-03-05", json!({"reason": "testing"}));
    assert_eq!(e.rule, "计时已暂停");
}

#[test]
fn lead_filing_with_fewer_than_two_certified_handlers_is_refused_under_art42() {
    let mut w = lead();
    w.ok("start_verify", "2026-03-03", json!({}));
    let one = json!([{"name": "张三", "enforcement_cert_no": "35010001"}]);
    let e = w.refused("file", "2026-03-10", json!({"handlers": one}));
    assert!(e.rule.contains("行政处罚法第四十二条"), "{e}");
    let uncertified =
        json!([{"name": "张三", "enforcement_cert_no": "35010001"}, {"name": "李四"}]);
    let e = w.refused("file", "2026-03-10", json!({"handlers": uncertified}));
    assert!(e.rule.contains("行政处罚法第四十二条"), "{e}");
    let same_officer_twice = json!([
        {"name": "张三", "enforcement_cert_no": "35010001"},
        {"name": "张三", "enforcement_cert_no": "35010001"}
    ]);
    let e = w.refused(
        "file",
        "2026-03-10",
        json!({"handlers": same_officer_twice}),
    );
    assert!(e.rule.contains("行政处罚法第四十二条"), "{e}");
    let e = w.refused("file", "2026-03-10", json!({}));
    assert!(e.rule.contains("行政处罚法第四十二条"), "{e}");
}

#[test]
fn decided_lead_refuses_every_further_action_and_unknown_actions() {
    let mut w = lead();
    w.ok("transfer", "2026-03-03", json!({"to": "县公安局"}));
    for action in ["start_verify", "file", "not_file", "pause", "merge"] {
        let e = w.refused(action, "2026-03-04", json!({}));
        assert!(is_status_rule(&e), "{action}: {e}");
        assert_eq!(e.status, "TRANSFERRED");
    }
    let e = w.refused("decide", "2026-03-04", json!({}));
    assert_eq!(e.rule, "未定义的操作");
}

// ---------------------------------------------------------------- case, normal procedure

fn case_fields() -> Value {
    json!({
        "procedure": "normal",
        "cause": "销售假冒茅台酒",
        "filed_on": "2026-04-01",
        "parties": [company("某某商贸有限公司")],
        "handlers": handlers()
    })
}

fn normal_case() -> Walk {
    Walk::new(RecordKind::Case, case_fields())
}

/// Walk a normal case to NOTIFIED.
fn notified_case() -> Walk {
    let mut w = normal_case();
    w.ok("investigate", "2026-04-02", json!({}));
    w.ok("conclude_investigation", "2026-05-06", json!({}));
    w.ok("submit_review", "2026-05-07", json!({}));
    w.ok("approve_notice", "2026-05-08", json!({"approver": "局长"}));
    w.ok(
        "notify",
        "2026-05-09",
        json!({"notice_no": "告〔2026〕1号"}),
    );
    w.expect("NOTIFIED");
    w
}

fn penalty(fine: i64) -> Value {
    json!({"decision_type": "penalty", "decision_no": "马市监处罚〔2026〕193号", "fine_fen": fine,
           "confiscated_gains_fen": 50_000, "penalty_types": ["fine", "confiscate_gains"]})
}

#[test]
fn normal_case_walks_from_filing_through_hearing_decision_payment_to_archive() {
    let mut w = normal_case();
    w.expect("FILED");
    w.ok("investigate", "2026-04-02", json!({}))
        .expect("INVESTIGATING");
    w.ok("pause_clock", "2026-04-05", json!({"reason": "appraisal"}));
    w.ok("resume_clock", "2026-04-20", json!({"result": "假冒"}));
    w.ok("suspend", "2026-04-21", json!({"reason": "当事人下落不明"}))
        .expect("SUSPENDED");
    w.ok("resume", "2026-04-28", json!({}))
        .expect("INVESTIGATING");
    w.ok("conclude_investigation", "2026-05-06", json!({}))
        .expect("INVESTIGATION_CONCLUDED");
    w.ok(
        "submit_review",
        "2026-05-07",
        json!({"legal_review_required": true}),
    )
    .expect("UNDER_REVIEW");
    w.ok(
        "legal_review",
        "2026-05-08",
        json!({"reviewer": "法制科赵六", "reviewer_has_legal_qualification": true}),
    )
    .expect("LEGAL_REVIEW");
    w.ok("approve_notice", "2026-05-11", json!({"approver": "局长"}))
        .expect("APPROVED_FOR_NOTICE");
    w.ok("notify", "2026-05-12", json!({})).expect("NOTIFIED");
    w.ok("request_hearing", "2026-05-14", json!({}))
        .expect("HEARING_REQUESTED");
    w.ok(
        "schedule_hearing",
        "2026-05-15",
        json!({"hearing_on": "2026-05-26"}),
    )
    .expect("HEARING_SCHEDULED");
    w.ok("hold_hearing", "2026-05-26", json!({"host": "钱七"}))
        .expect("HEARD");
    w.ok(
        "deliberate",
        "2026-05-27",
        json!({"collective_ref": "集体讨论记录2026-5"}),
    )
    .expect("DECIDING");
    w.ok(
        "extend_decide",
        "2026-05-28",
        json!({"approver": "局长", "days": 30}),
    );
    w.ok(
        "extend_decide",
        "2026-05-29",
        json!({"approver": "局务会", "collective_ref": "局务会纪要12号"}),
    );
    w.ok("decide", "2026-06-01", penalty(1_000_000))
        .expect("DECIDED");
    w.ok("serve", "2026-06-02", json!({"method": "直接送达"}))
        .expect("SERVED");
    w.ok("publish", "2026-06-05", json!({}));
    w.ok(
        "pay",
        "2026-06-10",
        json!({"kind": "罚款", "amount_fen": 1_000_000, "treasury_date": "2026-06-11",
                                      "voucher_no": "NO.001", "channel": "bank"}),
    )
    .expect("EXECUTING");
    w.ok(
        "pay",
        "2026-06-12",
        json!({"kind": "confiscated_gains", "amount_fen": 50_000}),
    )
    .expect("EXECUTED");
    w.ok(
        "pay",
        "2026-07-01",
        json!({"kind": "auction_proceeds", "amount_fen": 8_800}),
    )
    .expect("EXECUTED");
    w.ok("close", "2026-07-02", json!({})).expect("CLOSED");
    w.ok("archive", "2026-07-03", json!({})).expect("ARCHIVED");

    let decide = clock(&w, RuleId::CaseDecide);
    assert_eq!(decide.start, d("2026-04-01"));
    let reasons: Vec<&str> = decide.pauses.iter().map(|p| p.reason.as_str()).collect();
    assert_eq!(reasons, ["鉴定", "中止", "听证"]);
    assert!(decide.pauses.iter().all(|p| p.to.is_some()));
    assert_eq!(decide.extensions.len(), 2);
    assert_eq!(decide.met_on, Some(d("2026-06-01")));
    assert_eq!(clock(&w, RuleId::CaseReview).met_on, Some(d("2026-05-11")));
    assert_eq!(
        clock(&w, RuleId::CaseHearingRequest).met_on,
        Some(d("2026-05-14"))
    );
    assert_eq!(clock(&w, RuleId::CaseServe).met_on, Some(d("2026-06-02")));
    assert_eq!(clock(&w, RuleId::CasePublish).met_on, Some(d("2026-06-05")));
    let pay = clock(&w, RuleId::CasePay);
    assert_eq!(
        (pay.start, pay.met_on),
        (d("2026-06-02"), Some(d("2026-06-12")))
    );

    let derived = w.derived();
    assert!(derived.closed);
    assert_eq!(derived.payments.len(), 3);
    assert_eq!(derived.payments[0].treasury_date, Some(d("2026-06-11")));
    assert_eq!(derived.payments[0].kind, "fine");
    assert_eq!(derived.amounts["fine_fen"], 1_000_000);
    assert_eq!(derived.amounts["paid_fen"], 1_058_800);
    assert_eq!(derived.outcome.as_deref(), Some("penalty"));
    for key in [
        "filed_on",
        "decided_on",
        "served_on",
        "published_on",
        "executed_on",
        "closed_on",
        "archived_on",
    ] {
        assert!(derived.dates.contains_key(key), "{key}");
    }
}

#[test]
fn penalty_decision_before_notice_is_refused_but_no_penalty_may_close_the_case() {
    let mut w = normal_case();
    w.ok("investigate", "2026-04-02", json!({}));
    w.ok("conclude_investigation", "2026-05-06", json!({}));
    let e = w.refused("decide", "2026-05-07", penalty(100));
    assert!(e.rule.contains("行政处罚法第四十四条"), "{e}");
    let e = w.refused(
        "decide",
        "2026-05-07",
        json!({"decision_type": "no_penalty", "fine_fen": 100}),
    );
    assert!(e.rule.contains("params.fine_fen"), "{e}");
    w.ok(
        "decide",
        "2026-05-07",
        json!({"decision_type": "不予行政处罚"}),
    )
    .expect("DECIDED");
    assert!(clock(&w, RuleId::CaseDecide).met_on.is_some());
    assert!(w
        .derived()
        .clocks
        .iter()
        .all(|c| c.rule != RuleId::CaseServe));
    let e = w.refused("publish", "2026-05-08", json!({}));
    assert!(e.rule.contains("公示规定"), "{e}");
    w.ok("close", "2026-05-08", json!({})).expect("CLOSED");
}

#[test]
fn decision_requires_a_type_and_a_penalty_a_decision_number() {
    let mut w = notified_case();
    let e = w.refused("decide", "2026-05-20", json!({}));
    assert!(e.rule.contains("params.decision_type"), "{e}");
    let e = w.refused(
        "decide",
        "2026-05-20",
        json!({"decision_type": "fine_only"}),
    );
    assert!(e.rule.contains("params.decision_type"), "{e}");
    let e = w.refused("decide", "2026-05-20", json!({"decision_type": "penalty"}));
    assert!(e.rule.contains("params.decision_no"), "{e}");
    let e = w.refused(
        "decide",
        "2026-05-20",
        json!({"decision_type": "penalty", "decision_no": "1", "fine_fen": 12.5}),
    );
    assert!(e.rule.contains("params.fine_fen"), "{e}");
}

#[test]
fn terminated_investigation_stops_the_decision_clock_and_closes() {
    let mut w = normal_case();
    w.ok("investigate", "2026-04-02", json!({}));
    w.ok("suspend", "2026-04-03", json!({"reason": "待公安认定"}));
    w.ok("terminate", "2026-04-10", json!({"reason": "当事人死亡"}))
        .expect("TERMINATED");
    let c = clock(&w, RuleId::CaseDecide);
    assert_eq!(c.met_on, Some(d("2026-04-10")));
    assert_eq!(c.pauses[0].to, Some(d("2026-04-10")));
    let e = w.refused("decide", "2026-04-11", penalty(1));
    assert!(is_status_rule(&e));
    w.ok("close", "2026-04-11", json!({})).expect("CLOSED");
}

#[test]
fn case_refuses_out_of_order_steps_naming_the_state_machine() {
    let mut w = normal_case();
    for action in [
        "conclude_investigation",
        "submit_review",
        "notify",
        "serve",
        "pay",
        "close",
        "archive",
        "resume",
    ] {
        let e = w.refused(action, "2026-04-02", json!({}));
        assert!(is_status_rule(&e), "{action}: {e}");
        assert_eq!(e.status, "FILED");
    }
    w.ok("investigate", "2026-04-02", json!({}));
    let e = w.refused("resume_clock", "2026-04-03", json!({}));
    assert_eq!(e.rule, "计时未暂停");
    w.ok("pause_clock", "2026-04-03", json!({"reason": "鉴定"}));
    let e = w.refused("conclude_investigation", "2026-04-04", json!({}));
    assert_eq!(e.rule, "检测鉴定期间未结束");
    let e = w.refused("suspend", "2026-04-04", json!({"reason": "x"}));
    assert_eq!(e.rule, "检测鉴定期间未结束");
    let e = w.refused("pause_clock", "2026-04-04", json!({"reason": "鉴定"}));
    assert_eq!(e.rule, "计时已暂停");
}

#[test]
fn legal_review_is_required_before_notice_when_flagged_and_needs_a_qualified_reviewer() {
    let mut w = normal_case();
    w.ok("investigate", "2026-04-02", json!({}));
    w.ok("conclude_investigation", "2026-05-06", json!({}));
    w.ok(
        "submit_review",
        "2026-05-07",
        json!({"legal_review_required": true}),
    );
    let e = w.refused("approve_notice", "2026-05-08", json!({"approver": "局长"}));
    assert_eq!(e.rule, "行政处罚法第五十八条");
    let e = w.refused(
        "legal_review",
        "2026-05-08",
        json!({"reviewer": "新人", "reviewer_has_legal_qualification": false}),
    );
    assert_eq!(e.rule, "行政处罚法第五十八条");
    w.ok("supplement", "2026-05-08", json!({}))
        .expect("INVESTIGATING");
    assert_eq!(clock(&w, RuleId::CaseReview).met_on, Some(d("2026-05-08")));
    w.ok("conclude_investigation", "2026-05-10", json!({}));
    w.ok("submit_review", "2026-05-11", json!({}));
    w.ok("approve_notice", "2026-05-12", json!({"approver": "局长"}))
        .expect("APPROVED_FOR_NOTICE");
    assert_eq!(
        w.derived()
            .clocks
            .iter()
            .filter(|c| c.rule == RuleId::CaseReview)
            .count(),
        2
    );
}

#[test]
fn hearing_needs_seven_days_notice() {
    let mut w = notified_case();
    w.ok("request_hearing", "2026-05-11", json!({}));
    let e = w.refused(
        "schedule_hearing",
        "2026-05-12",
        json!({"hearing_on": "2026-05-18"}),
    );
    assert_eq!(e.rule, "行政处罚法第六十四条");
    let e = w.refused("schedule_hearing", "2026-05-12", json!({}));
    assert!(e.rule.contains("params.hearing_on"));
    let e = w.refused("decide", "2026-05-12", penalty(1));
    assert!(is_status_rule(&e));
    w.ok(
        "schedule_hearing",
        "2026-05-12",
        json!({"hearing_on": "2026-05-19"}),
    );
}

#[test]
fn second_extension_of_the_decision_limit_needs_a_collective_decision() {
    let mut w = notified_case();
    let e = w.refused(
        "extend_decide",
        "2026-05-10",
        json!({"approver": "局长", "days": 31}),
    );
    assert!(e.rule.contains("params.days"), "{e}");
    w.ok("extend_decide", "2026-05-10", json!({"approver": "局长"}));
    let e = w.refused(
        "extend_decide",
        "2026-05-11",
        json!({"approver": "局长", "days": 30}),
    );
    assert!(e.rule.contains("集体讨论"), "{e}");
    w.ok(
        "extend_decide",
        "2026-05-11",
        json!({"approver": "局务会", "days": 60, "collective_ref": "纪要3号"}),
    );
    assert_eq!(clock(&w, RuleId::CaseDecide).extensions.len(), 2);
}

#[test]
fn unpaid_penalty_goes_through_reminder_and_court_enforcement_no_earlier_than_ten_days() {
    let mut w = notified_case();
    w.ok("decide", "2026-05-20", penalty(200_000));
    w.ok("serve", "2026-05-21", json!({"method": "postal"}));
    let e = w.refused("close", "2026-05-22", json!({}));
    assert!(e.rule.contains("执行完毕"), "{e}");
    w.ok(
        "defer_payment",
        "2026-05-25",
        json!({"kind": "instalment", "approver": "局长", "days": 60}),
    )
    .expect("DEFERRED");
    assert_eq!(clock(&w, RuleId::CasePay).extensions.len(), 1);
    w.ok("remind", "2026-08-01", json!({})).expect("REMINDED");
    let e = w.refused("apply_court", "2026-08-10", json!({}));
    assert_eq!(e.rule, "行政强制法第五十四条");
    w.ok("apply_court", "2026-08-11", json!({"court": "区人民法院"}))
        .expect("COURT_ENFORCEMENT");
    w.ok(
        "pay",
        "2026-09-01",
        json!({"kind": "fine", "amount_fen": 200_000}),
    )
    .expect("COURT_ENFORCEMENT");
    w.ok(
        "pay",
        "2026-09-01",
        json!({"kind": "late_surcharge", "amount_fen": 100_000}),
    );
    let e = w.refused(
        "pay",
        "2026-09-01",
        json!({"kind": "late_surcharge", "amount_fen": 100_001}),
    );
    assert_eq!(e.rule, "行政处罚法第七十二条");
    w.ok(
        "pay",
        "2026-09-02",
        json!({"kind": "confiscated_gains", "amount_fen": 50_000}),
    )
    .expect("EXECUTED");
    w.ok("close", "2026-09-03", json!({})).expect("CLOSED");
}

#[test]
fn payments_may_not_exceed_the_decided_amounts_and_need_positive_fen() {
    let mut w = notified_case();
    w.ok("decide", "2026-05-20", penalty(200_000));
    let e = w.refused(
        "pay",
        "2026-05-20",
        json!({"kind": "fine", "amount_fen": 1}),
    );
    assert!(is_status_rule(&e), "pay before service: {e}");
    w.ok("serve", "2026-05-21", json!({"method": "direct"}));
    let e = w.refused(
        "pay",
        "2026-05-22",
        json!({"kind": "fine", "amount_fen": 200_001}),
    );
    assert_eq!(e.rule, "缴款不得超过决定金额");
    let e = w.refused(
        "pay",
        "2026-05-22",
        json!({"kind": "fine", "amount_fen": 0}),
    );
    assert!(e.rule.contains("params.amount_fen"));
    let e = w.refused(
        "pay",
        "2026-05-22",
        json!({"kind": "fine", "amount_fen": "200"}),
    );
    assert!(e.rule.contains("params.amount_fen"));
    let e = w.refused(
        "pay",
        "2026-05-22",
        json!({"kind": "tip", "amount_fen": 200}),
    );
    assert!(e.rule.contains("params.kind"));
    let e = w.refused("pay", "2026-05-22", json!({"kind": "fine", "amount_fen": 200, "paid_on": "2026-05-22", "treasury_date": "2026-05-21"}));
    assert!(e.rule.contains("params.treasury_date"));
    let e = w.refused("serve", "2026-05-22", json!({"method": "direct"}));
    assert!(is_status_rule(&e));
    let e = w.refused("serve", "2026-05-22", json!({"method": "pigeon"}));
    assert!(is_status_rule(&e));
}

#[test]
fn warning_only_decisions_are_not_published_and_publication_happens_once() {
    let mut w = notified_case();
    w.ok(
        "decide",
        "2026-05-20",
        json!({"decision_type": "penalty", "decision_no": "x", "penalty_types": ["警告"]}),
    );
    assert!(w
        .derived()
        .clocks
        .iter()
        .all(|c| c.rule != RuleId::CasePublish));
    let e = w.refused("publish", "2026-05-21", json!({}));
    assert!(e.message.contains("警告"), "{e}");
    w.ok("serve", "2026-05-21", json!({"method": "direct"}));
    let e = w.refused(
        "pay",
        "2026-05-22",
        json!({"kind": "fine", "amount_fen": 1}),
    );
    assert_eq!(e.rule, "行政处罚法第六十七条");
    w.ok("execute", "2026-05-22", json!({})).expect("EXECUTED");

    let mut w = notified_case();
    w.ok("decide", "2026-05-20", penalty(100));
    w.ok("publish", "2026-05-21", json!({}));
    let e = w.refused("publish", "2026-05-22", json!({}));
    assert_eq!(e.rule, "公示规定第九条");
}

// ---------------------------------------------------------------- case, simple procedure

fn simple_case(party: Value) -> Walk {
    Walk::new(
        RecordKind::Case,
        json!({"procedure": "simple", "cause": "未明码标价", "parties": [party]}),
    )
}

#[test]
fn simple_procedure_limit_for_a_natural_person_is_20000_fen() {
    let mut w = simple_case(person("赵某"));
    w.expect("PENDING_ON_SITE");
    let e = w.refused(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.0001", "fine_fen": 20_001}),
    );
    assert_eq!(e.rule, case_workflow::ART51_RULE);
    assert_eq!(e.rule, "行政处罚法第五十一条");
    assert!(e.message.contains("fine_fen"), "{e}");
    w.ok(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.0001", "fine_fen": 20_000}),
    )
    .expect("ON_SITE_DECIDED");
}

#[test]
fn simple_procedure_limit_for_an_organisation_is_300000_fen() {
    let mut w = simple_case(company("某某商贸有限公司"));
    let e = w.refused(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.0002", "fine_fen": 300_001}),
    );
    assert_eq!(e.rule, "行政处罚法第五十一条");
    assert!(e.message.contains("fine_fen"));
    w.ok(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.0002", "fine_fen": 300_000}),
    );
}

#[test]
fn sole_trader_gets_the_citizen_limit_under_art51() {
    let sole = json!({"party_type": "个体工商户", "name": "老王烟酒店", "operator_name": "王某", "uscc": "92350102MA2Y00001".to_string()});
    let mut w = simple_case(sole);
    let e = w.refused(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.3", "fine_fen": 20_001}),
    );
    assert_eq!(e.rule, "行政处罚法第五十一条");
}

#[test]
fn simple_procedure_is_refused_once_a_case_was_filed_under_the_normal_procedure() {
    let mut w = normal_case();
    let e = w.refused(
        "decide_on_site",
        "2026-04-02",
        json!({"decision_no": "No.1", "fine_fen": 100}),
    );
    assert_eq!(e.rule, case_workflow::SIMPLE_AFTER_FILING_RULE);
    // Switching the procedure field to simple after filing does not help.
    let mut fields = case_fields();
    fields["procedure"] = json!("simple");
    let mut w = Walk::new(RecordKind::Case, fields);
    w.expect("FILED");
    let e = w.refused(
        "decide_on_site",
        "2026-04-02",
        json!({"decision_no": "No.1", "fine_fen": 100}),
    );
    assert_eq!(e.rule, case_workflow::SIMPLE_AFTER_FILING_RULE);
}

#[test]
fn simple_case_is_decided_on_site_paid_closed_and_archived() {
    let mut w = simple_case(person("赵某"));
    let e = w.refused(
        "pay",
        "2026-04-01",
        json!({"kind": "fine", "amount_fen": 5_000}),
    );
    assert!(is_status_rule(&e));
    let e = w.refused("decide_on_site", "2026-04-01", json!({"fine_fen": 5_000}));
    assert!(e.rule.contains("params.decision_no"));
    w.ok(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.0009", "fine_fen": 5_000}),
    );
    let e = w.refused("close", "2026-04-01", json!({}));
    assert!(e.rule.contains("执行完毕"));
    let e = w.refused("serve", "2026-04-01", json!({"method": "direct"}));
    assert!(is_status_rule(&e));
    w.ok(
        "pay",
        "2026-04-01",
        json!({"kind": "fine", "amount_fen": 5_000, "on_the_spot": true}),
    )
    .expect("PAID");
    w.ok("close", "2026-04-02", json!({})).expect("CLOSED");
    w.ok("archive", "2026-04-03", json!({})).expect("ARCHIVED");
    let pay = clock(&w, RuleId::CasePay);
    assert_eq!(
        (pay.start, pay.met_on),
        (d("2026-04-01"), Some(d("2026-04-01")))
    );
    assert!(w
        .derived()
        .clocks
        .iter()
        .all(|c| c.rule != RuleId::CasePublish && c.rule != RuleId::CaseDecide));
}

#[test]
fn on_the_spot_collection_above_100_yuan_needs_hard_to_collect() {
    let mut w = simple_case(company("某某商贸有限公司"));
    w.ok(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.5", "fine_fen": 10_001}),
    );
    let e = w.refused(
        "pay",
        "2026-04-01",
        json!({"kind": "fine", "amount_fen": 10_001, "channel": "当场收缴"}),
    );
    assert_eq!(e.rule, "行政处罚法第六十八条");
    w.ok(
        "pay",
        "2026-04-01",
        json!({"kind": "fine", "amount_fen": 10_001, "on_the_spot": true, "hard_to_collect": true}),
    );
}

#[test]
fn warning_on_site_closes_without_payment() {
    let mut w = simple_case(person("赵某"));
    w.ok(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.7", "fine_fen": 0, "penalty_types": ["warning"]}),
    );
    assert!(w.derived().clocks.is_empty());
    w.ok("close", "2026-04-01", json!({})).expect("CLOSED");
}

// ---------------------------------------------------------------- complaint

fn complaint() -> Walk {
    Walk::new(
        RecordKind::Complaint,
        json!({"received_on": "2026-03-02", "received_by": "区局12315", "respondent": company("某某商贸有限公司"),
               "claim": "退一赔三", "annex_id": "annex-1"}),
    )
}

#[test]
fn complaint_dispatched_returned_redispatched_accepted_mediated_and_agreed() {
    let mut w = complaint();
    w.expect("RECEIVED");
    w.ok("dispatch", "2026-03-02", json!({"to_office": "城东所"}))
        .expect("DISPATCHED");
    let e = w.refused(
        "return",
        "2026-03-03",
        json!({"reason": "no_jurisdiction", "to_office": "城西所"}),
    );
    assert!(e.rule.contains("第三十七条"), "{e}");
    let e = w.refused("dispatch", "2026-03-03", json!({"to_office": "城西所"}));
    assert!(is_status_rule(&e), "no passing sideways: {e}");
    w.ok(
        "return",
        "2026-03-03",
        json!({"reason": "不属本单位管辖", "to_office": "区局12315"}),
    )
    .expect("RETURNED");
    w.ok("dispatch", "2026-03-03", json!({"to_office": "城西所"}));
    w.ok("claim", "2026-03-04", json!({}))
        .expect("PENDING_ACCEPTANCE");
    w.ok("accept", "2026-03-05", json!({})).expect("ACCEPTED");
    w.ok("start_mediation", "2026-03-06", json!({"mode": "remote"}))
        .expect("MEDIATING");
    w.ok("pause", "2026-03-07", json!({"reason": "testing"}));
    w.ok("resume", "2026-03-17", json!({}));
    let e = w.refused("agree", "2026-03-20", json!({"agreement_no": "调字1号"}));
    assert!(e.rule.contains("params.recovered_fen"), "{e}");
    w.ok(
        "agree",
        "2026-03-20",
        json!({"agreement_no": "调字1号", "recovered_fen": 150_000}),
    )
    .expect("AGREED");
    w.ok("close", "2026-03-21", json!({})).expect("CLOSED");
    let accept = clock(&w, RuleId::ComplaintAccept);
    assert_eq!(
        (accept.start, accept.met_on),
        (d("2026-03-02"), Some(d("2026-03-05")))
    );
    let mediate = clock(&w, RuleId::ComplaintMediate);
    assert_eq!(mediate.start, d("2026-03-05"));
    assert_eq!(mediate.pauses.len(), 1);
    assert_eq!(mediate.met_on, Some(d("2026-03-20")));
    let derived = w.derived();
    assert_eq!(derived.amounts["recovered_fen"], 150_000);
    assert_eq!(derived.dates["accepted_on"], d("2026-03-05"));
    assert!(derived.closed);
}

#[test]
fn terminated_mediation_must_be_notified_to_both_parties_before_closing() {
    let mut w = complaint();
    w.ok("accept", "2026-03-05", json!({}));
    w.ok("start_mediation", "2026-03-06", json!({}));
    let e = w.refused("terminate", "2026-03-10", json!({"art21_reason": "不想调"}));
    assert!(e.rule.contains("params.art21_reason"));
    w.ok(
        "terminate",
        "2026-03-10",
        json!({"art21_reason": "refused_or_absent"}),
    )
    .expect("TERMINATED");
    let e = w.refused("close", "2026-03-11", json!({}));
    assert_eq!(e.rule, "投诉举报暂行办法第二十一条");
    w.ok("notify_outcome", "2026-03-12", json!({}));
    let e = w.refused("notify_outcome", "2026-03-12", json!({}));
    assert_eq!(e.rule, "投诉举报暂行办法第二十一条");
    w.ok(
        "spawn_report",
        "2026-03-12",
        json!({"report_id": "report-7"}),
    );
    w.ok("close", "2026-03-13", json!({})).expect("CLOSED");
    let n = clock(&w, RuleId::ComplaintNotifyOutcome);
    assert_eq!(
        (n.start, n.met_on),
        (d("2026-03-10"), Some(d("2026-03-12")))
    );
    let e = w.refused("spawn_report", "2026-03-14", json!({"report_id": "r"}));
    assert!(is_status_rule(&e));
}

#[test]
fn complaint_not_accepted_or_withdrawn_then_closed() {
    let mut w = complaint();
    let e = w.refused("not_accept", "2026-03-03", json!({}));
    assert!(e.rule.contains("params.art15_reason"));
    w.ok(
        "not_accept",
        "2026-03-03",
        json!({"art15_reason": "time_barred"}),
    )
    .expect("NOT_ACCEPTED");
    assert_eq!(
        clock(&w, RuleId::ComplaintAccept).met_on,
        Some(d("2026-03-03"))
    );
    let e = w.refused("start_mediation", "2026-03-04", json!({}));
    assert!(is_status_rule(&e));
    w.ok("close", "2026-03-04", json!({})).expect("CLOSED");

    let mut w = complaint();
    w.ok("accept", "2026-03-03", json!({}));
    w.ok("withdraw", "2026-03-04", json!({"settled": true}))
        .expect("WITHDRAWN");
    w.ok("close", "2026-03-04", json!({})).expect("CLOSED");
}

#[test]
fn complaint_refuses_return_without_dispatch_and_double_acceptance() {
    let mut w = complaint();
    let e = w.refused("return", "2026-03-03", json!({"reason": "duplicate"}));
    assert!(is_status_rule(&e));
    let e = w.refused("agree", "2026-03-03", json!({"recovered_fen": 0}));
    assert!(is_status_rule(&e));
    w.ok("accept", "2026-03-03", json!({}));
    let e = w.refused("accept", "2026-03-04", json!({}));
    assert!(is_status_rule(&e));
    let e = w.refused("pause", "2026-03-04", json!({"reason": "testing"}));
    assert!(is_status_rule(&e));
}

// ---------------------------------------------------------------- report

fn report(real_name: bool) -> Walk {
    Walk::new(
        RecordKind::Report,
        json!({"received_on": "2026-03-02", "received_by": "区局12315", "real_name": real_name,
               "clue": "某店销售假冒茅台", "annex_id": "annex-2"}),
    )
}

#[test]
fn real_name_report_is_verified_filed_reporter_notified_and_closed() {
    let mut w = report(true);
    w.ok("dispatch", "2026-03-03", json!({"to_office": "城东所"}))
        .expect("DISPATCHED");
    w.ok("start_verify", "2026-03-04", json!({}))
        .expect("VERIFYING");
    w.ok("pause", "2026-03-05", json!({"reason": "权利人辨认"}));
    w.ok("resume", "2026-03-09", json!({}));
    w.ok("extend_verify", "2026-03-20", json!({"approver": "所长"}));
    let e = w.refused("extend_verify", "2026-03-21", json!({"approver": "所长"}));
    assert!(e.rule.contains("程序规定第十八条"));
    let e = w.refused("file", "2026-03-30", json!({}));
    assert!(e.rule.contains("params.case_id"));
    w.ok("file", "2026-03-30", json!({"case_id": "case-1"}))
        .expect("FILED");
    let e = w.refused("close", "2026-03-31", json!({}));
    assert_eq!(e.rule, "投诉举报暂行办法第三十一条");
    w.ok("notify_reporter", "2026-04-01", json!({}))
        .expect("REPORTER_NOTIFIED");
    w.ok("close", "2026-04-02", json!({})).expect("CLOSED");
    let v = clock(&w, RuleId::ReportVerify);
    assert_eq!(
        v.start,
        d("2026-03-03"),
        "the handling unit counts from dispatch"
    );
    assert_eq!(
        (v.pauses.len(), v.extensions.len(), v.met_on),
        (1, 1, Some(d("2026-03-30")))
    );
    let n = clock(&w, RuleId::ReportNotifyReporter);
    assert_eq!(
        (n.start, n.met_on),
        (d("2026-03-30"), Some(d("2026-04-01")))
    );
}

#[test]
fn anonymous_report_has_no_reporter_clock_and_closes_after_decision() {
    let mut w = report(false);
    w.ok("start_verify", "2026-03-03", json!({}));
    w.ok("not_file", "2026-03-10", json!({"reason": "no_violation"}))
        .expect("NOT_FILED");
    assert!(w
        .derived()
        .clocks
        .iter()
        .all(|c| c.rule != RuleId::ReportNotifyReporter));
    let e = w.refused("notify_reporter", "2026-03-11", json!({}));
    assert_eq!(e.rule, "投诉举报暂行办法第三十一条");
    w.ok("close", "2026-03-11", json!({})).expect("CLOSED");
}

#[test]
fn report_without_jurisdiction_or_transferred_ends_before_verification() {
    let mut w = report(false);
    w.ok("no_jurisdiction", "2026-03-03", json!({}))
        .expect("NO_JURISDICTION");
    w.ok("close", "2026-03-03", json!({})).expect("CLOSED");
    let mut w = report(true);
    w.ok("dispatch", "2026-03-03", json!({"to_office": "城东所"}));
    let e = w.refused(
        "return",
        "2026-03-04",
        json!({"reason": "no_jurisdiction", "to_office": "城西所"}),
    );
    assert!(e.rule.contains("第三十七条"));
    w.ok("return", "2026-03-04", json!({"reason": "no_jurisdiction"}))
        .expect("RETURNED");
    w.ok("dispatch", "2026-03-05", json!({"to_office": "城西所"}));
    w.ok("transfer", "2026-03-06", json!({"to": "县农业农村局"}))
        .expect("TRANSFERRED");
    let e = w.refused("start_verify", "2026-03-07", json!({}));
    assert!(is_status_rule(&e));
    w.ok("notify_reporter", "2026-03-08", json!({}));
}

// ---------------------------------------------------------------- petition

fn petition(source: &str) -> Walk {
    Walk::new(
        RecordKind::Petition,
        json!({"source": source, "petition_type": "claim", "received_on": "2026-03-02", "content": "要求查处某超市"}),
    )
}

#[test]
fn petition_is_accepted_handled_by_a_leader_replied_evaluated_reviewed_and_rechecked() {
    let mut w = petition("direct");
    w.ok("register", "2026-03-02", json!({}))
        .expect("REGISTERED");
    w.ok("accept", "2026-03-10", json!({})).expect("ACCEPTED");
    w.ok("assign_leader", "2026-03-11", json!({"leader": "局长"}));
    w.ok("start_handling", "2026-03-11", json!({}))
        .expect("HANDLING");
    w.ok(
        "extend_handle",
        "2026-05-01",
        json!({"approver": "局长", "days": 30}),
    );
    let e = w.refused(
        "extend_handle",
        "2026-05-02",
        json!({"approver": "局长", "days": 10}),
    );
    assert_eq!(e.rule, "信访工作条例第三十四条");
    let e = w.refused("reply", "2026-05-20", json!({"opinion_type": "同意"}));
    assert!(e.rule.contains("params.opinion_type"));
    w.ok("reply", "2026-05-20", json!({"opinion_type": "不予支持"}))
        .expect("REPLIED");
    w.ok("evaluate", "2026-05-25", json!({"result": "不满意"}))
        .expect("EVALUATED");
    w.ok("close", "2026-05-26", json!({})).expect("CLOSED");
    let e = w.refused("request_recheck", "2026-06-01", json!({}));
    assert_eq!(e.rule, "信访工作条例第三十六条");
    w.ok("request_review", "2026-06-15", json!({}))
        .expect("REVIEW_REQUESTED");
    w.ok(
        "review_reply",
        "2026-07-10",
        json!({"opinion_type": "reject"}),
    )
    .expect("REVIEWED");
    w.ok("request_recheck", "2026-08-01", json!({}))
        .expect("RECHECK_REQUESTED");
    w.ok("recheck_reply", "2026-08-20", json!({}))
        .expect("FINAL");
    assert!(w.derived().closed);
    assert!(w.derived().allowed_actions.is_empty());
    assert_eq!(
        clock(&w, RuleId::PetitionNotify).met_on,
        Some(d("2026-03-10"))
    );
    let h = clock(&w, RuleId::PetitionHandle);
    assert_eq!(
        (h.start, h.extensions.len(), h.met_on),
        (d("2026-03-10"), 1, Some(d("2026-05-20")))
    );
    let reviews: Vec<_> = w
        .derived()
        .clocks
        .into_iter()
        .filter(|c| c.rule == RuleId::PetitionReview)
        .collect();
    assert_eq!(reviews.len(), 2);
    assert!(reviews.iter().all(|c| c.met_on.is_some()));
}

#[test]
fn petition_review_must_be_requested_within_thirty_days_of_the_reply() {
    let mut w = petition("direct");
    w.ok("register", "2026-03-02", json!({}));
    w.ok("accept", "2026-03-03", json!({}));
    w.ok("reply", "2026-04-01", json!({"opinion_type": "explain"}));
    let e = w.refused("request_review", "2026-05-02", json!({}));
    assert_eq!(e.rule, "信访工作条例第三十五条");
    w.ok("request_review", "2026-05-01", json!({}));
}

#[test]
fn only_transferred_or_assigned_petitions_may_be_objected_to() {
    let mut w = petition("direct");
    w.ok("register", "2026-03-02", json!({}));
    let e = w.refused("object", "2026-03-03", json!({"reason": "不属本机关职权"}));
    assert_eq!(e.rule, "信访工作条例第二十三条");
    let e = w.refused("reply", "2026-03-03", json!({"opinion_type": "support"}));
    assert!(is_status_rule(&e));
    w.ok("redirect", "2026-03-03", json!({"procedure": "行政复议"}))
        .expect("REDIRECTED");
    w.ok("close", "2026-03-04", json!({})).expect("CLOSED");

    let mut w = petition("transferred");
    let e = w.refused("accept", "2026-03-02", json!({}));
    assert!(is_status_rule(&e));
    w.ok("register", "2026-03-02", json!({}));
    w.ok("object", "2026-03-03", json!({"reason": "不属本机关职权"}))
        .expect("OBJECTED");
    w.ok("close", "2026-03-04", json!({}));

    let mut w = petition("assigned");
    w.ok("register", "2026-03-02", json!({}));
    w.ok("transfer_down", "2026-03-03", json!({"to": "城东所"}))
        .expect("TRANSFERRED_DOWN");
}

// ---------------------------------------------------------------- campaign, inspection, office

#[test]
fn campaign_is_planned_then_active_then_ended() {
    let mut w = Walk::new(RecordKind::Campaign, json!({"name": "2026年红盾护农行动"}));
    w.expect("PLANNED");
    let e = w.refused("end", "2026-03-01", json!({}));
    assert!(is_status_rule(&e));
    w.ok("start", "2026-03-01", json!({})).expect("ACTIVE");
    let e = w.refused("start", "2026-03-02", json!({}));
    assert!(is_status_rule(&e));
    w.ok("end", "2026-05-31", json!({})).expect("ENDED");
    assert!(w.derived().closed);
    assert_eq!(w.derived().dates["started_on"], d("2026-03-01"));
}

#[test]
fn inspection_is_recorded_closed_and_may_be_reopened() {
    let mut w = Walk::new(
        RecordKind::Inspection,
        json!({"inspected_on": "2026-03-05"}),
    );
    w.expect("RECORDED");
    let e = w.refused("reopen", "2026-03-05", json!({}));
    assert!(is_status_rule(&e));
    w.ok("close", "2026-03-06", json!({})).expect("CLOSED");
    w.ok("reopen", "2026-03-07", json!({})).expect("RECORDED");
    assert!(!w.derived().dates.contains_key("closed_on"));
}

#[test]
fn office_directory_and_annex_have_no_workflow() {
    for kind in [RecordKind::Office, RecordKind::Annex] {
        let mut w = Walk::new(kind, json!({}));
        w.expect("ACTIVE");
        let e = w.refused("close", "2026-03-05", json!({}));
        assert_eq!(e.rule, "未定义的操作");
        assert!(model::actions(kind).is_empty());
    }
}

#[test]
fn every_action_has_a_chinese_label_and_a_basis_and_starts_from_known_statuses() {
    for kind in RecordKind::ALL {
        let statuses = model::statuses(kind);
        for a in model::actions(kind) {
            assert!(
                !a.label.is_empty() && !a.basis.is_empty(),
                "{kind}.{}",
                a.action
            );
            assert_eq!(model::event_label(kind, a.action), Some(a.label));
            for from in a.from {
                assert!(
                    statuses.iter().any(|s| s.code == *from),
                    "{kind}.{}: {from}",
                    a.action
                );
            }
        }
    }
    assert_eq!(
        model::event_label(RecordKind::Case, "decide"),
        Some("作出处理决定")
    );
    assert_eq!(model::event_label(RecordKind::Case, "fly"), None);
}

#[test]
fn derive_is_total_on_garbage_fields_and_params() {
    let fields = obj(
        json!({"filed_on": 12, "procedure": ["x"], "parties": "nobody", "received_on": "yesterday"}),
    );
    let events = vec![
        event(
            "a",
            "decide",
            "2026-01-01",
            1,
            json!({"fine_fen": "lots", "decision_type": 7}),
        ),
        event("b", "pay", "2026-01-02", 2, json!({"amount_fen": -5})),
        event(
            "c",
            "decide_on_site",
            "2026-01-03",
            3,
            json!({"fine_fen": i64::MAX, "decision_no": "x"}),
        ),
        event("d", "", "2026-01-04", 4, Value::Null),
    ];
    for kind in RecordKind::ALL {
        let derived = model::derive(kind, &fields, &events);
        assert!(!derived.status.is_empty());
        assert!(derived.rejected.len() <= events.len());
    }
}
