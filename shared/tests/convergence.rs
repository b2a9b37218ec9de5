#![cfg(feature = "crdt")]
//! Replicas of one record applying random concurrent edits and merging in
//! random orders converge: same fields, same conflicts, same events, and the
//! same derived status and deadlines.

use automerge::ActorId;
use chrono::{Days, NaiveDate, TimeZone, Utc};
use hongdun_core::doc::RecordDoc;
use hongdun_core::model;
use hongdun_core::record::{EventEnvelope, RecordKind};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
enum Op {
    /// Replica r writes field f with value v.
    Set { r: usize, f: usize, v: i64 },
    /// Replica r appends workflow action a on day d.
    Event { r: usize, a: usize, d: u64 },
    /// Replica `to` merges what replica `from` has.
    Merge { from: usize, to: usize },
}

const REPLICAS: usize = 4;
const FIELDS: [&str; 4] = ["cause", "fine_fen", "facts", "notes"];
// Lead workflow actions, legal or not in any order: the fold must be total.
const ACTIONS: [&str; 7] = [
    "start_verify",
    "pause",
    "resume",
    "extend_verify",
    "file",
    "not_file",
    "transfer",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..REPLICAS, 0..FIELDS.len(), 0i64..5).prop_map(|(r, f, v)| Op::Set { r, f, v }),
        (0..REPLICAS, 0..ACTIONS.len(), 0u64..40).prop_map(|(r, a, d)| Op::Event { r, a, d }),
        (0..REPLICAS, 0..REPLICAS).prop_map(|(from, to)| Op::Merge { from, to }),
    ]
}

fn value_for(field: &str, v: i64) -> Value {
    if field.ends_with("_fen") {
        json!(v * 1000)
    } else {
        json!(format!("值{v}"))
    }
}

fn params_for(action: &str) -> Map<String, Value> {
    let mut m = Map::new();
    match action {
        "extend_verify" => {
            m.insert("approver".into(), json!("王局长"));
        }
        "pause" => {
            m.insert("reason".into(), json!("鉴定"));
        }
        "not_file" | "transfer" => {
            m.insert("reason".into(), json!("情节轻微"));
            m.insert("to".into(), json!("公安机关"));
        }
        _ => {}
    }
    m
}

fn base() -> RecordDoc {
    let actor = ActorId::from(vec![0u8; 16]);
    let at = Utc
        .with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .expect("time");
    let mut d =
        RecordDoc::create(&actor, "lead-1", RecordKind::Lead, "GS01", "系统", at).expect("create");
    let mut f = Map::new();
    f.insert("source_type".into(), json!("complaint"));
    f.insert("received_on".into(), json!("2026-03-02"));
    f.insert("summary".into(), json!("群众反映某超市销售假冒茅台酒"));
    d.set_fields(&f, "系统", at, "create").expect("fields");
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn replicas_converge_to_the_same_state_and_status(ops in proptest::collection::vec(op(), 1..60)) {
        let mut seed = base();
        let bytes = seed.save();
        let mut replicas: Vec<RecordDoc> = (0..REPLICAS)
            .map(|i| RecordDoc::load(&bytes, &ActorId::from(vec![i as u8 + 1; 16])).expect("load"))
            .collect();
        let day0 = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        for (n, op) in ops.iter().enumerate() {
            let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().expect("time") + chrono::Duration::seconds(n as i64);
            match *op {
                Op::Set { r, f, v } => {
                    let mut p = Map::new();
                    p.insert(FIELDS[f].into(), value_for(FIELDS[f], v));
                    replicas[r].set_fields(&p, &format!("用户{r}"), at, "edit").expect("set");
                }
                Op::Event { r, a, d } => {
                    let e = EventEnvelope {
                        id: format!("e{n}"),
                        action: ACTIONS[a].into(),
                        on: day0 + Days::new(d),
                        at,
                        by: format!("用户{r}"),
                        params: params_for(ACTIONS[a]),
                    };
                    replicas[r].append_event(&e).expect("event");
                }
                Op::Merge { from, to } if from != to => {
                    let mut src = RecordDoc::load(&replicas[from].save(), &ActorId::from(vec![99u8; 16])).expect("copy");
                    replicas[to].merge(&mut src).expect("merge");
                }
                Op::Merge { .. } => {}
            }
        }
        // Everyone exchanges with everyone (in a fixed order: 0←all, then all←0).
        for i in 1..REPLICAS {
            let mut src = RecordDoc::load(&replicas[i].save(), &ActorId::from(vec![98u8; 16])).expect("copy");
            replicas[0].merge(&mut src).expect("merge");
        }
        let full = replicas[0].save();
        for r in replicas.iter_mut().skip(1) {
            r.apply(&full).expect("apply");
        }
        let first = &replicas[0];
        let mut events0 = first.events();
        events0.sort_by(|a, b| a.id.cmp(&b.id));
        let derived0 = model::derive(RecordKind::Lead, &first.fields(), &first.events());
        for r in &replicas[1..] {
            prop_assert_eq!(r.fields(), first.fields());
            prop_assert_eq!(r.conflicts(), first.conflicts());
            let mut ev = r.events();
            ev.sort_by(|a, b| a.id.cmp(&b.id));
            prop_assert_eq!(&ev, &events0);
            let d = model::derive(RecordKind::Lead, &r.fields(), &r.events());
            prop_assert_eq!(&d.status, &derived0.status);
            prop_assert_eq!(&d.clocks, &derived0.clocks);
            prop_assert_eq!(d.rejected.len(), derived0.rejected.len());
        }
    }
}
