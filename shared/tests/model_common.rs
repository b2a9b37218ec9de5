//! Helpers shared by the model test files (included with `mod`).
#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use hongdun_core::model::{self, Derived, TransitionError};
use hongdun_core::record::{EventEnvelope, RecordKind};
use serde_json::{json, Map, Value};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("object expected"),
    }
}

/// A valid USCC built from a stem.
pub fn uscc(stem: &str) -> String {
    format!("{stem}{}", model::ids::uscc_check_char(stem).expect("stem"))
}

pub fn id_no(stem: &str) -> String {
    format!("{stem}{}", model::ids::id_check_char(stem).expect("stem"))
}

pub fn company(name: &str) -> Value {
    json!({"party_type": "enterprise", "name": name, "uscc": "91350100M000100Y43", "legal_rep": "王五"})
}

pub fn person(name: &str) -> Value {
    json!({"party_type": "natural_person", "name": name, "id_doc_no": id_no("35010219900307123"), "phone": "13800000000"})
}

pub fn handlers() -> Value {
    json!([
        {"name": "张三", "enforcement_cert_no": "35010001"},
        {"name": "李四", "enforcement_cert_no": "35010002"}
    ])
}

pub fn event(id: &str, action: &str, on: &str, seq: u32, params: Value) -> EventEnvelope {
    let on = d(on);
    let at = Utc.from_utc_datetime(&on.and_hms_opt(1, 0, 0).expect("time"))
        + chrono::Duration::seconds(i64::from(seq));
    EventEnvelope {
        id: id.to_string(),
        action: action.to_string(),
        on,
        at,
        by: "tester".to_string(),
        params: match params {
            Value::Object(m) => m,
            _ => Map::new(),
        },
    }
}

/// A record being walked through its workflow: every `ok` step must pass
/// `check_event`; every `refused` step must fail it.
pub struct Walk {
    pub kind: RecordKind,
    pub fields: Map<String, Value>,
    pub events: Vec<EventEnvelope>,
    seq: u32,
}

impl Walk {
    pub fn new(kind: RecordKind, fields: Value) -> Walk {
        Walk {
            kind,
            fields: obj(fields),
            events: Vec::new(),
            seq: 0,
        }
    }

    fn next(&mut self, action: &str, on: &str, params: Value) -> EventEnvelope {
        self.seq += 1;
        event(&format!("e{:03}", self.seq), action, on, self.seq, params)
    }

    #[track_caller]
    pub fn ok(&mut self, action: &str, on: &str, params: Value) -> &mut Walk {
        let ev = self.next(action, on, params);
        if let Err(e) = model::check_event(self.kind, &self.fields, &self.events, &ev) {
            panic!("{action} on {on} refused: {e}");
        }
        self.events.push(ev);
        self
    }

    #[track_caller]
    pub fn refused(&mut self, action: &str, on: &str, params: Value) -> TransitionError {
        let ev = self.next(action, on, params);
        match model::check_event(self.kind, &self.fields, &self.events, &ev) {
            Ok(()) => panic!("{action} on {on} was accepted in status {}", self.status()),
            Err(e) => {
                assert_eq!(e.action, action, "error names the action");
                assert!(!e.rule.is_empty(), "error names a rule");
                e
            }
        }
    }

    pub fn derived(&self) -> Derived {
        model::derive(self.kind, &self.fields, &self.events)
    }

    pub fn status(&self) -> String {
        self.derived().status
    }

    #[track_caller]
    pub fn expect(&mut self, status: &str) -> &mut Walk {
        let derived = self.derived();
        assert_eq!(derived.status, status, "rejected: {:?}", derived.rejected);
        assert!(derived.rejected.is_empty());
        self
    }

    pub fn allows(&self, action: &str) -> bool {
        self.derived()
            .allowed_actions
            .iter()
            .any(|a| a.action == action)
    }
}

/// The rule of a refusal for a status the action does not start from.
pub fn is_status_rule(e: &TransitionError) -> bool {
    e.rule.starts_with("状态机")
}
