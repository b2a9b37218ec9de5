use super::*;
use chrono::{NaiveDate, TimeZone};
use serde_json::json;

fn actor(n: u8) -> ActorId {
    ActorId::from(vec![n; 16])
}

fn t(min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, min, 0)
        .single()
        .expect("valid time")
}

fn patch(v: serde_json::Value) -> Map<String, Json> {
    v.as_object().cloned().expect("object")
}

fn new_case() -> RecordDoc {
    RecordDoc::create(&actor(1), "c1", RecordKind::Case, "GS01", "张三", t(0)).expect("create")
}

fn event(id: &str, action: &str, by: &str, min: u32) -> EventEnvelope {
    EventEnvelope {
        id: id.into(),
        action: action.into(),
        on: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
        at: t(min),
        by: by.into(),
        params: Map::new(),
    }
}

#[test]
fn new_document_carries_identity_and_schema() {
    let d = new_case();
    assert_eq!(d.id(), "c1");
    assert_eq!(d.kind().expect("kind"), RecordKind::Case);
    assert_eq!(d.office(), "GS01");
    assert_eq!(d.schema(), SCHEMA_VERSION);
}

#[test]
fn fields_round_trip_through_save_and_load() {
    let mut d = new_case();
    d.set_fields(
        &patch(json!({"cause": "销售假冒茅台酒", "fine_fen": 500000})),
        "张三",
        t(1),
        "edit",
    )
    .expect("edit");
    let bytes = d.save();
    let back = RecordDoc::load(&bytes, &actor(2)).expect("load");
    assert_eq!(back.fields().get("cause"), Some(&json!("销售假冒茅台酒")));
    assert_eq!(back.fields().get("fine_fen"), Some(&json!(500000)));
}

#[test]
fn null_removes_a_field() {
    let mut d = new_case();
    d.set_fields(&patch(json!({"cause": "x"})), "张三", t(1), "edit")
        .expect("edit");
    d.set_fields(&patch(json!({"cause": null})), "张三", t(2), "edit")
        .expect("edit");
    assert!(d.fields().get("cause").is_none());
}

#[test]
fn concurrent_writes_of_one_field_keep_both_values_with_author_and_time() {
    let mut a = new_case();
    let mut b = RecordDoc::load(&a.save(), &actor(2)).expect("fork");
    a.set_fields(&patch(json!({"fine_fen": 100000})), "张三", t(5), "edit")
        .expect("a");
    b.set_fields(&patch(json!({"fine_fen": 200000})), "李四", t(6), "edit")
        .expect("b");
    a.merge(&mut b).expect("merge");
    b.merge(&mut a).expect("merge");
    let ca = a.conflicts();
    assert_eq!(ca.len(), 1);
    assert_eq!(ca[0].field, "fine_fen");
    let mut who: Vec<_> = ca[0]
        .values
        .iter()
        .map(|v| (v.by.clone(), v.value.clone()))
        .collect();
    who.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(
        who,
        vec![
            ("张三".to_string(), json!(100000)),
            ("李四".to_string(), json!(200000))
        ]
    );
    // both replicas show the same winner meanwhile
    assert_eq!(a.fields().get("fine_fen"), b.fields().get("fine_fen"));
    assert_eq!(a.fields().get("fine_fen"), Some(&ca[0].values[0].value));
}

#[test]
fn writing_a_conflicted_field_resolves_it_everywhere() {
    let mut a = new_case();
    let mut b = RecordDoc::load(&a.save(), &actor(2)).expect("fork");
    a.set_fields(&patch(json!({"cause": "甲"})), "张三", t(5), "edit")
        .expect("a");
    b.set_fields(&patch(json!({"cause": "乙"})), "李四", t(6), "edit")
        .expect("b");
    a.merge(&mut b).expect("merge");
    a.set_fields(&patch(json!({"cause": "乙"})), "王五", t(7), "resolve")
        .expect("resolve");
    b.merge(&mut a).expect("merge");
    assert!(a.conflicts().is_empty());
    assert!(b.conflicts().is_empty());
    assert_eq!(b.field_values("cause")[0].by, "王五");
}

#[test]
fn different_fields_edited_concurrently_merge_without_conflict() {
    let mut a = new_case();
    let mut b = RecordDoc::load(&a.save(), &actor(2)).expect("fork");
    a.set_fields(&patch(json!({"cause": "甲"})), "张三", t(5), "edit")
        .expect("a");
    b.set_fields(&patch(json!({"fine_fen": 3})), "李四", t(6), "edit")
        .expect("b");
    a.merge(&mut b).expect("merge");
    assert!(a.conflicts().is_empty());
    assert_eq!(a.fields().len(), 2);
}

#[test]
fn concurrent_events_are_both_kept() {
    let mut a = new_case();
    let mut b = RecordDoc::load(&a.save(), &actor(2)).expect("fork");
    a.append_event(&event("e1", "investigate", "张三", 3))
        .expect("a");
    b.append_event(&event("e2", "suspend", "李四", 4))
        .expect("b");
    a.merge(&mut b).expect("merge");
    b.merge(&mut a).expect("merge");
    let mut ids: Vec<_> = a.events().into_iter().map(|e| e.id).collect();
    ids.sort();
    assert_eq!(ids, vec!["e1", "e2"]);
    assert_eq!(a.events(), b.events());
}

#[test]
fn incremental_saves_replay_onto_a_snapshot() {
    let mut d = new_case();
    let snapshot = d.save();
    d.set_fields(&patch(json!({"cause": "甲"})), "张三", t(5), "edit")
        .expect("edit");
    let inc1 = d.save_incremental();
    d.append_event(&event("e1", "investigate", "张三", 6))
        .expect("event");
    let inc2 = d.save_incremental();
    let mut back = RecordDoc::load(&snapshot, &actor(3)).expect("load");
    back.apply(&inc1).expect("inc1");
    back.apply(&inc2).expect("inc2");
    assert_eq!(back.fields(), d.fields());
    assert_eq!(back.events(), d.events());
}

#[test]
fn history_says_who_changed_what_in_causal_order() {
    let mut d = new_case();
    d.set_fields(
        &patch(json!({"cause": "甲", "fine_fen": 1})),
        "李四",
        t(5),
        "edit",
    )
    .expect("edit");
    d.append_event(&event("e1", "investigate", "王五", 6))
        .expect("event");
    let h = d.history();
    assert_eq!(h.len(), 3);
    assert_eq!((h[0].by.as_str(), h[0].op.as_str()), ("张三", "create"));
    assert_eq!(h[1].by, "李四");
    assert_eq!(h[1].what, vec!["cause".to_string(), "fine_fen".to_string()]);
    assert_eq!(
        (h[2].op.as_str(), h[2].what[0].as_str()),
        ("event", "investigate")
    );
    assert_eq!(h[2].at, t(6));
}

#[test]
fn truncated_bytes_are_reported_not_panicked() {
    let mut d = new_case();
    d.set_fields(&patch(json!({"cause": "甲"})), "张三", t(5), "edit")
        .expect("edit");
    let bytes = d.save();
    for cut in [0, 1, 8, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            RecordDoc::load(&bytes[..cut], &actor(2)).is_err(),
            "cut at {cut}"
        );
    }
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0xff;
    assert!(RecordDoc::load(&flipped, &actor(2)).is_err());
}

#[test]
fn a_document_that_is_not_a_record_is_refused() {
    let mut other = AutoCommit::new();
    other.put(ROOT, "hello", "world").expect("put");
    other.commit();
    let err = RecordDoc::load(&other.save(), &actor(2)).expect_err("refused");
    assert!(matches!(err, DocError::Missing("schema")));
}

#[test]
fn a_newer_schema_is_refused_with_a_plain_message() {
    let mut d = new_case();
    d.doc.put(ROOT, "schema", SCHEMA_VERSION + 1).expect("put");
    d.doc.commit();
    let err = RecordDoc::load(&d.save(), &actor(2)).expect_err("refused");
    assert!(err.to_string().contains("newer Hongdun"));
}
