//! What statistics need from one record, taken once from its fields and the
//! workflow fold ([`crate::model::derive`]): dates, amounts, payments, the
//! outcome, a few codes and counts, and each legal clock's due date and the
//! day it was met. The store and the relay keep these beside their other
//! projections, so a bulletin never re-reads record documents.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::deadline::RuleId;
use crate::model::{codes, Derived};
use crate::record::RecordKind;

/// The statistical facts of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordFacts {
    pub id: String,
    pub kind: RecordKind,
    /// Owner office code.
    pub office: String,
    /// Dates from the fold: `received_on`, `filed_on`, `decided_on`, `closed_on`…
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dates: BTreeMap<String, NaiveDate>,
    /// Amounts (fen) and counts: decided `fine_fen`, `goods_value_fen`,
    /// `recovered_fen`, an inspection's `officer_count`…
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub amounts: BTreeMap<String, i64>,
    /// Codes: `procedure`, `case_category`, `case_source`, `channel`,
    /// `category`, `petition_type`, `campaign_id`, `repeat_of_id`…
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub codes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Payments booked by the treasury (罚没入库), each with its 入库日期.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<PaymentFact>,
    /// Legal clocks: due date and the day the act was done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clocks: Vec<ClockFact>,
    /// Inspected entities (统一社会信用代码 or name), for 检查户数.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentFact {
    pub amount_fen: i64,
    /// None until the treasury books it.
    pub treasury_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockFact {
    pub rule: RuleId,
    pub due: NaiveDate,
    pub met_on: Option<NaiveDate>,
}

impl ClockFact {
    /// Met on or before its due date.
    pub fn on_time(&self) -> bool {
        self.met_on.is_some_and(|m| m <= self.due)
    }
}

/// What the figures read from one record's facts. [`RecordFacts`] is the
/// owned form (the store, the tests); the relay reads a bureau-wide bulletin
/// through a view that borrows each packed row instead, so several hundred
/// thousand records cost no allocation per key and value.
pub trait Facts {
    fn id(&self) -> &str;
    fn kind(&self) -> RecordKind;
    /// Owner office code.
    fn office(&self) -> &str;
    fn date(&self, name: &str) -> Option<NaiveDate>;
    /// An amount or count; 0 when absent.
    fn amount(&self, name: &str) -> i64;
    fn code(&self, name: &str) -> Option<&str>;
    fn outcome(&self) -> Option<&str>;
    fn payments(&self) -> impl Iterator<Item = PaymentFact> + '_;
    fn clocks(&self) -> impl Iterator<Item = ClockFact> + '_;
    /// Inspected entities, for 检查户数.
    fn entities(&self) -> impl Iterator<Item = &str> + '_;
    /// Every date of the record (fold dates, not payments or clocks).
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_;

    fn clock(&self, rule: RuleId) -> Option<ClockFact> {
        self.clocks().find(|c| c.rule == rule)
    }

    /// A penalty case under the simple procedure (简易程序).
    fn is_simple(&self) -> bool {
        self.code("procedure") == Some("simple")
    }

    /// The earliest and latest day this record's statistics can fall on:
    /// storage keeps them so a bulletin reads only the records of its window.
    fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let days = self
            .dates()
            .chain(self.payments().filter_map(|p| p.treasury_date))
            .chain(self.clocks().map(|c| c.due));
        days.fold(None, |acc, d| match acc {
            None => Some((d, d)),
            Some((a, b)) => Some((a.min(d), b.max(d))),
        })
    }
}

/// Code fields kept, by kind, with the code list that normalises them.
const CODE_FIELDS: &[(RecordKind, &str, Option<&str>)] = &[
    (RecordKind::Case, "procedure", Some("procedure")),
    (RecordKind::Case, "case_category", Some("case_category")),
    (RecordKind::Case, "case_source", Some("case_source")),
    (RecordKind::Case, "campaign_id", None),
    (RecordKind::Complaint, "channel", Some("channel")),
    (
        RecordKind::Complaint,
        "category",
        Some("complaint_category"),
    ),
    (
        RecordKind::Complaint,
        "satisfaction",
        Some("evaluation_result"),
    ),
    (RecordKind::Report, "channel", Some("channel")),
    (RecordKind::Report, "category", Some("case_category")),
    (RecordKind::Petition, "channel", Some("petition_channel")),
    (RecordKind::Petition, "petition_type", Some("petition_type")),
    (RecordKind::Petition, "repeat_of_id", None),
    (RecordKind::Inspection, "campaign_id", None),
    (RecordKind::Campaign, "name", None),
];

/// Count and money fields kept, by kind.
const AMOUNT_FIELDS: &[(RecordKind, &str)] = &[
    (RecordKind::Case, "goods_value_fen"),
    (RecordKind::Complaint, "amount_in_dispute_fen"),
    (RecordKind::Inspection, "officer_count"),
    (RecordKind::Inspection, "premises_count"),
    (RecordKind::Inspection, "sample_batches"),
    (RecordKind::Inspection, "unqualified_batches"),
    (RecordKind::Inspection, "seized_qty"),
    (RecordKind::Inspection, "seized_value_fen"),
    (RecordKind::Inspection, "dens_destroyed"),
];

/// The fold's dates statistics read (the rest stay in the record).
const DATES: &[&str] = &[
    "received_on",
    "filed_on",
    "decided_on",
    "closed_on",
    "accepted_on",
    "replied_on",
    "evaluated_on",
    "leader_assigned_on",
    "started_on",
];

/// The fold's amounts statistics read.
const AMOUNTS: &[&str] = &[
    "fine_fen",
    "confiscated_gains_fen",
    "confiscated_goods_value_fen",
    "recovered_fen",
    "leader_assigned",
];

/// The clocks statistics read (timeliness rates of 12315 and petitions).
const CLOCKS: &[RuleId] = &[
    RuleId::ComplaintAccept,
    RuleId::ComplaintMediate,
    RuleId::ReportVerify,
    RuleId::PetitionNotify,
    RuleId::PetitionHandle,
];

/// Takes the facts of one record: only what a figure reads, so storage
/// stays small and a bureau-wide bulletin parses little. None for kinds statistics do not count
/// (the office directory, confidential annexes, leads).
pub fn facts_of(
    id: &str,
    kind: RecordKind,
    office: &str,
    fields: &Map<String, Value>,
    derived: &Derived,
    clocks: Vec<ClockFact>,
) -> Option<RecordFacts> {
    if matches!(
        kind,
        RecordKind::Office | RecordKind::Annex | RecordKind::Lead
    ) {
        return None;
    }
    let mut codes_out = BTreeMap::new();
    for &(k, name, list) in CODE_FIELDS.iter().filter(|(k, ..)| *k == kind) {
        let _ = k;
        let Some(v) = fields.get(name).and_then(Value::as_str) else {
            continue;
        };
        let v = list
            .and_then(codes::code_list)
            .and_then(|l| l.resolve(v))
            .map_or(v, |c| c.code);
        codes_out.insert(name.to_string(), v.to_string());
    }
    let mut amounts: BTreeMap<String, i64> = derived
        .amounts
        .iter()
        .filter(|(k, _)| AMOUNTS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    for &(_, name) in AMOUNT_FIELDS.iter().filter(|(k, _)| *k == kind) {
        if let Some(v) = fields.get(name).and_then(Value::as_i64) {
            amounts.insert(name.to_string(), v);
        }
    }
    let mut dates: BTreeMap<String, NaiveDate> = derived
        .dates
        .iter()
        .filter(|(k, _)| DATES.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let mut entities = Vec::new();
    if kind == RecordKind::Inspection {
        if let Some(d) = fields
            .get("inspected_on")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
        {
            dates.insert("inspected_on".into(), d);
        }
        if !amounts.contains_key("officer_count") {
            let n = fields
                .get("officer_ids")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            amounts.insert("officer_count".into(), n as i64);
        }
        if fields.get("referred_to_police").and_then(Value::as_bool) == Some(true) {
            amounts.insert("referred_to_police".into(), 1);
        }
        for e in fields
            .get("entities")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = ["uscc", "id_doc_no", "name"]
                .iter()
                .find_map(|k| e.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()));
            if let Some(k) = key {
                entities.push(k.to_string());
            }
        }
        if !amounts.contains_key("premises_count") {
            amounts.insert("premises_count".into(), entities.len().max(1) as i64);
        }
    }
    Some(RecordFacts {
        id: id.to_string(),
        kind,
        office: office.to_string(),
        dates,
        amounts,
        codes: codes_out,
        outcome: derived.outcome.clone(),
        payments: derived
            .payments
            .iter()
            .map(|p| PaymentFact {
                amount_fen: p.amount_fen,
                treasury_date: p.treasury_date,
            })
            .collect(),
        clocks: clocks
            .into_iter()
            .filter(|c| CLOCKS.contains(&c.rule))
            .collect(),
        entities,
    })
}

impl RecordFacts {
    /// A record with no facts yet (fill in what it has).
    pub fn new(id: impl Into<String>, kind: RecordKind, office: impl Into<String>) -> Self {
        RecordFacts {
            id: id.into(),
            kind,
            office: office.into(),
            dates: BTreeMap::new(),
            amounts: BTreeMap::new(),
            codes: BTreeMap::new(),
            outcome: None,
            payments: Vec::new(),
            clocks: Vec::new(),
            entities: Vec::new(),
        }
    }
}

impl Facts for RecordFacts {
    fn id(&self) -> &str {
        &self.id
    }
    fn kind(&self) -> RecordKind {
        self.kind
    }
    fn office(&self) -> &str {
        &self.office
    }
    fn date(&self, name: &str) -> Option<NaiveDate> {
        self.dates.get(name).copied()
    }
    fn amount(&self, name: &str) -> i64 {
        self.amounts.get(name).copied().unwrap_or(0)
    }
    fn code(&self, name: &str) -> Option<&str> {
        self.codes.get(name).map(String::as_str)
    }
    fn outcome(&self) -> Option<&str> {
        self.outcome.as_deref()
    }
    fn payments(&self) -> impl Iterator<Item = PaymentFact> + '_ {
        self.payments.iter().copied()
    }
    fn clocks(&self) -> impl Iterator<Item = ClockFact> + '_ {
        self.clocks.iter().copied()
    }
    fn entities(&self) -> impl Iterator<Item = &str> + '_ {
        self.entities.iter().map(String::as_str)
    }
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.dates.values().copied()
    }
}

/// A reference reads as what it points to (the figures walk `&&T` lists).
impl<T: Facts + ?Sized> Facts for &T {
    fn id(&self) -> &str {
        (**self).id()
    }
    fn kind(&self) -> RecordKind {
        (**self).kind()
    }
    fn office(&self) -> &str {
        (**self).office()
    }
    fn date(&self, name: &str) -> Option<NaiveDate> {
        (**self).date(name)
    }
    fn amount(&self, name: &str) -> i64 {
        (**self).amount(name)
    }
    fn code(&self, name: &str) -> Option<&str> {
        (**self).code(name)
    }
    fn outcome(&self) -> Option<&str> {
        (**self).outcome()
    }
    fn payments(&self) -> impl Iterator<Item = PaymentFact> + '_ {
        (**self).payments()
    }
    fn clocks(&self) -> impl Iterator<Item = ClockFact> + '_ {
        (**self).clocks()
    }
    fn entities(&self) -> impl Iterator<Item = &str> + '_ {
        (**self).entities()
    }
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        (**self).dates()
    }
    fn clock(&self, rule: RuleId) -> Option<ClockFact> {
        (**self).clock(rule)
    }
    fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        (**self).span()
    }
}
