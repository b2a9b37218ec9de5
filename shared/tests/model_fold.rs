//! The fold is deterministic and total: the same events in any input order give
//! the same Derived; concurrent conflicting transitions leave one applied and
//! the other in `rejected`; back-dated events are checked in their place.

#[path = "model_common.rs"]
mod common;

use common::*;
use hongdun_core::model;
use hongdun_core::record::{EventEnvelope, RecordKind};
use serde_json::json;

fn case_fields() -> serde_json::Map<String, serde_json::Value> {
    obj(json!({
        "procedure": "normal", "cause": "销售假冒茅台酒", "filed_on": "2026-04-01",
        "parties": [company("某某商贸有限公司")], "handlers": handlers()
    }))
}

fn case_events() -> Vec<EventEnvelope> {
    vec![
        event("a1", "investigate", "2026-04-02", 1, json!({})),
        event(
            "a2",
            "pause_clock",
            "2026-04-03",
            2,
            json!({"reason": "鉴定"}),
        ),
        event("a3", "resume_clock", "2026-04-09", 3, json!({})),
        event("a4", "conclude_investigation", "2026-05-06", 4, json!({})),
        event("a5", "submit_review", "2026-05-07", 5, json!({})),
        event(
            "a6",
            "approve_notice",
            "2026-05-08",
            6,
            json!({"approver": "局长"}),
        ),
        event("a7", "notify", "2026-05-09", 7, json!({})),
        event(
            "a8",
            "decide",
            "2026-05-20",
            8,
            json!({"decision_type": "penalty", "decision_no": "1", "fine_fen": 300}),
        ),
        event("a9", "serve", "2026-05-21", 9, json!({"method": "direct"})),
        event(
            "b1",
            "pay",
            "2026-05-22",
            10,
            json!({"kind": "fine", "amount_fen": 100}),
        ),
        event(
            "b2",
            "pay",
            "2026-05-23",
            11,
            json!({"kind": "fine", "amount_fen": 200}),
        ),
        // Illegal wherever it lands: a second close.
        event("b3", "close", "2026-05-24", 12, json!({})),
        event("b4", "close", "2026-05-25", 13, json!({})),
    ]
}

/// A few fixed permutations: reversed, rotated, interleaved.
fn permutations(events: &[EventEnvelope]) -> Vec<Vec<EventEnvelope>> {
    let mut out = vec![events.to_vec()];
    let mut rev = events.to_vec();
    rev.reverse();
    out.push(rev);
    for k in 1..events.len() {
        let mut rot = events.to_vec();
        rot.rotate_left(k);
        out.push(rot);
    }
    let (even, odd): (Vec<_>, Vec<_>) = events
        .iter()
        .cloned()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    out.push(odd.into_iter().chain(even).map(|(_, e)| e).collect());
    out
}

#[test]
fn same_events_in_any_input_order_give_the_same_derived() {
    let fields = case_fields();
    let events = case_events();
    let reference = model::derive(RecordKind::Case, &fields, &events);
    assert_eq!(reference.status, "CLOSED");
    assert_eq!(reference.rejected.len(), 1);
    assert_eq!(reference.rejected[0].event_id, "b4");
    for p in permutations(&events) {
        assert_eq!(model::derive(RecordKind::Case, &fields, &p), reference);
    }
}

#[test]
fn two_concurrent_decisions_leave_one_applied_and_one_rejected() {
    let fields = case_fields();
    let mut events: Vec<_> = case_events().into_iter().take(7).collect();
    // Two offices decide offline on the same day; the recording time orders them.
    let first = event(
        "x-office-a",
        "decide",
        "2026-05-20",
        100,
        json!({"decision_type": "penalty", "decision_no": "A-1", "fine_fen": 500}),
    );
    let second = event(
        "x-office-b",
        "decide",
        "2026-05-20",
        101,
        json!({"decision_type": "no_penalty"}),
    );
    for order in [
        [first.clone(), second.clone()],
        [second.clone(), first.clone()],
    ] {
        let mut all = events.clone();
        all.extend(order);
        let derived = model::derive(RecordKind::Case, &fields, &all);
        assert_eq!(derived.status, "DECIDED");
        assert_eq!(derived.outcome.as_deref(), Some("penalty"));
        assert_eq!(derived.amounts["fine_fen"], 500);
        assert_eq!(derived.rejected.len(), 1);
        let r = &derived.rejected[0];
        assert_eq!(r.event_id, "x-office-b");
        assert_eq!(r.error.action, "decide");
        assert_eq!(r.error.status, "DECIDED");
        assert!(r.error.rule.starts_with("状态机"), "{}", r.error.rule);
    }
    // And before appending, the second decision is refused.
    events.push(first);
    let e = model::check_event(RecordKind::Case, &fields, &events, &second).unwrap_err();
    assert_eq!(e.action, "decide");
}

#[test]
fn identical_timestamps_are_ordered_by_event_id() {
    let fields =
        obj(json!({"received_on": "2026-03-02", "respondent": company("某公司"), "claim": "退款"}));
    let accept = event("b", "accept", "2026-03-03", 1, json!({}));
    let mut refuse = event(
        "a",
        "not_accept",
        "2026-03-03",
        1,
        json!({"art15_reason": "time_barred"}),
    );
    refuse.at = accept.at;
    let d1 = model::derive(
        RecordKind::Complaint,
        &fields,
        &[accept.clone(), refuse.clone()],
    );
    let d2 = model::derive(RecordKind::Complaint, &fields, &[refuse, accept]);
    assert_eq!(d1, d2);
    assert_eq!(d1.status, "NOT_ACCEPTED");
    assert_eq!(d1.rejected[0].event_id, "b");
}

#[test]
fn duplicate_event_ids_are_applied_once() {
    let fields = case_fields();
    let e = event("same", "investigate", "2026-04-02", 1, json!({}));
    let derived = model::derive(RecordKind::Case, &fields, &[e.clone(), e.clone()]);
    assert_eq!(derived.status, "INVESTIGATING");
    assert_eq!(derived.rejected.len(), 1);
    assert_eq!(derived.rejected[0].error.rule, "事件唯一性");
    let err =
        model::check_event(RecordKind::Case, &fields, std::slice::from_ref(&e), &e).unwrap_err();
    assert_eq!(err.rule, "事件唯一性");
}

#[test]
fn back_dated_event_that_would_invalidate_a_later_one_is_refused() {
    let fields = case_fields();
    let events = vec![
        event("e1", "investigate", "2026-04-02", 1, json!({})),
        event("e2", "conclude_investigation", "2026-05-06", 2, json!({})),
    ];
    // A suspension dated before the conclusion would make the conclusion illegal.
    let late = event(
        "e3",
        "suspend",
        "2026-04-20",
        3,
        json!({"reason": "待鉴定"}),
    );
    let e = model::check_event(RecordKind::Case, &fields, &events, &late).unwrap_err();
    assert_eq!(e.rule, "事件顺序");
    assert_eq!(e.action, "suspend");
    // A back-dated event that fits is accepted in its place.
    let fits = event(
        "e4",
        "pause_clock",
        "2026-04-20",
        4,
        json!({"reason": "检测"}),
    );
    let mut events2 = events.clone();
    events2.remove(1);
    model::check_event(RecordKind::Case, &fields, &events2, &fits).unwrap();
}

#[test]
fn editing_a_field_later_does_not_rewrite_an_admitted_on_site_decision() {
    // Admitted for an organisation at 2000 yuan; later the party type is edited
    // to a natural person. Art 51 is an admission rule: history stays.
    let mut w = Walk::new(
        RecordKind::Case,
        json!({"procedure": "simple", "cause": "未明码标价", "parties": [company("某公司")]}),
    );
    w.ok(
        "decide_on_site",
        "2026-04-01",
        json!({"decision_no": "No.1", "fine_fen": 200_000}),
    );
    w.fields.insert("parties".into(), json!([person("赵某")]));
    assert_eq!(w.status(), "ON_SITE_DECIDED");
    // But no on-site fine above 3000 yuan survives the fold, whoever the party.
    let fields = obj(json!({"procedure": "simple", "cause": "x", "parties": [company("某公司")]}));
    let ev = event(
        "z",
        "decide_on_site",
        "2026-04-01",
        1,
        json!({"decision_no": "No.2", "fine_fen": 300_001}),
    );
    let derived = model::derive(RecordKind::Case, &fields, &[ev]);
    assert_eq!(derived.status, "PENDING_ON_SITE");
    assert_eq!(derived.rejected[0].error.rule, "行政处罚法第五十一条");
}

#[test]
fn allowed_actions_follow_the_status_and_history() {
    let fields = case_fields();
    let derived = model::derive(RecordKind::Case, &fields, &[]);
    let actions: Vec<_> = derived
        .allowed_actions
        .iter()
        .map(|a| a.action.as_str())
        .collect();
    assert!(actions.contains(&"investigate"));
    assert!(actions.contains(&"extend_decide"));
    assert!(
        !actions.contains(&"decide_on_site"),
        "already filed: no simple procedure"
    );
    assert!(!actions.contains(&"decide"));
    assert!(derived.allowed_actions.iter().all(|a| !a.label.is_empty()));
}

#[test]
fn derived_round_trips_through_json_for_the_ui() {
    let fields = case_fields();
    let derived = model::derive(RecordKind::Case, &fields, &case_events());
    let text = serde_json::to_string(&derived).unwrap();
    let back: model::Derived = serde_json::from_str(&text).unwrap();
    assert_eq!(back, derived);
    assert!(text.contains("\"rule\":\"case.decide\""));
}
