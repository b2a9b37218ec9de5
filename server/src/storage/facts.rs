//! How the relay keeps a document's statistics facts in `stat_facts`:
//! postcard with dates as day numbers, not JSON. A bureau-wide bulletin reads
//! hundreds of thousands of these, so it does not rebuild them as
//! [`RecordFacts`] (a map and a string per key and value): it reads the rows'
//! bytes into one buffer ([`PackedRows`]) and the figures read each record
//! through a [`FactsView`] borrowing from it. Kinds and clock rules are kept
//! by name, so adding a variant never shifts them.

use chrono::{Datelike, NaiveDate};
use hongdun_core::deadline::RuleId;
use hongdun_core::record::RecordKind;
use hongdun_core::stats::{ClockFact, Facts, PaymentFact, RecordFacts};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{DbError, DbResult};

/// A day as its number from the common era (`i32` on disk).
#[derive(Clone, Copy)]
struct Day(NaiveDate);

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.num_days_from_ce().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n)
            .map(Day)
            .ok_or_else(|| D::Error::custom(format!("day {n} out of range")))
    }
}

/// A kind or clock rule by name (its `Display` text, parsed back with
/// `FromStr`), so adding a variant never shifts the stored ones.
#[derive(Clone, Copy)]
struct ByName<T>(T);

impl<T: std::fmt::Display> Serialize for ByName<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de, T: std::str::FromStr> Deserialize<'de> for ByName<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <&str>::deserialize(d)?;
        name.parse()
            .map(ByName)
            .map_err(|_| D::Error::custom(format!("unknown name {name}")))
    }
}

/// One row's `facts` column, borrowing its text from the row's bytes: the
/// figures read it through [`Facts`] without copying anything out.
#[derive(Serialize, Deserialize)]
pub struct FactsView<'a> {
    #[serde(borrow)]
    id: &'a str,
    kind: ByName<RecordKind>,
    office: &'a str,
    #[serde(borrow)]
    dates: Vec<(&'a str, Day)>,
    #[serde(borrow)]
    amounts: Vec<(&'a str, i64)>,
    #[serde(borrow)]
    codes: Vec<(&'a str, &'a str)>,
    outcome: Option<&'a str>,
    payments: Vec<(i64, Option<Day>)>,
    clocks: Vec<(ByName<RuleId>, Day, Option<Day>)>,
    #[serde(borrow)]
    entities: Vec<&'a str>,
}

impl Facts for FactsView<'_> {
    fn id(&self) -> &str {
        self.id
    }
    fn kind(&self) -> RecordKind {
        self.kind.0
    }
    fn office(&self) -> &str {
        self.office
    }
    fn date(&self, name: &str) -> Option<NaiveDate> {
        self.dates
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, d)| d.0)
    }
    fn amount(&self, name: &str) -> i64 {
        self.amounts
            .iter()
            .find(|(k, _)| *k == name)
            .map_or(0, |(_, v)| *v)
    }
    fn code(&self, name: &str) -> Option<&str> {
        self.codes.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
    fn outcome(&self) -> Option<&str> {
        self.outcome
    }
    fn payments(&self) -> impl Iterator<Item = PaymentFact> + '_ {
        self.payments.iter().map(|(amount_fen, d)| PaymentFact {
            amount_fen: *amount_fen,
            treasury_date: d.map(|d| d.0),
        })
    }
    fn clocks(&self) -> impl Iterator<Item = ClockFact> + '_ {
        self.clocks.iter().map(|(rule, due, met)| ClockFact {
            rule: rule.0,
            due: due.0,
            met_on: met.map(|d| d.0),
        })
    }
    fn entities(&self) -> impl Iterator<Item = &str> + '_ {
        self.entities.iter().copied()
    }
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.dates.iter().map(|(_, d)| d.0)
    }
}

/// The `facts` columns of the rows a bulletin reads, back to back in one
/// buffer (one allocation for all of them, not several per record).
#[derive(Debug, Default)]
pub struct PackedRows {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl PackedRows {
    pub fn push(&mut self, row: &[u8]) {
        self.bytes.extend_from_slice(row);
        self.ends.push(self.bytes.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Each row as a view; an error names the first row that does not decode.
    pub fn views(&self) -> DbResult<Vec<FactsView<'_>>> {
        let mut out = Vec::with_capacity(self.ends.len());
        let mut start = 0;
        for &end in &self.ends {
            out.push(view(&self.bytes[start..end])?);
            start = end;
        }
        Ok(out)
    }
}

/// Decodes a `facts` column written by [`pack`] as a view into `bytes`.
pub fn view(bytes: &[u8]) -> DbResult<FactsView<'_>> {
    postcard::from_bytes(bytes).map_err(|e| DbError::Backend(format!("stat_facts: {e}")))
}

/// Encodes `f` for the `facts` column.
pub fn pack(f: &RecordFacts) -> DbResult<Vec<u8>> {
    let p = FactsView {
        id: &f.id,
        kind: ByName(f.kind),
        office: &f.office,
        dates: f.dates.iter().map(|(k, d)| (k.as_str(), Day(*d))).collect(),
        amounts: f.amounts.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
        codes: f
            .codes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        outcome: f.outcome.as_deref(),
        payments: f
            .payments
            .iter()
            .map(|p| (p.amount_fen, p.treasury_date.map(Day)))
            .collect(),
        clocks: f
            .clocks
            .iter()
            .map(|c| (ByName(c.rule), Day(c.due), c.met_on.map(Day)))
            .collect(),
        entities: f.entities.iter().map(String::as_str).collect(),
    };
    postcard::to_stdvec(&p).map_err(|e| DbError::Backend(format!("stat_facts: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The owned facts a view reads as.
    fn owned(v: &FactsView<'_>) -> RecordFacts {
        RecordFacts {
            id: v.id.to_string(),
            kind: v.kind.0,
            office: v.office.to_string(),
            dates: v.dates.iter().map(|(k, d)| (k.to_string(), d.0)).collect(),
            amounts: v.amounts.iter().map(|(k, a)| (k.to_string(), *a)).collect(),
            codes: v
                .codes
                .iter()
                .map(|(k, c)| (k.to_string(), c.to_string()))
                .collect(),
            outcome: v.outcome.map(str::to_string),
            payments: v.payments().collect(),
            clocks: v.clocks().collect(),
            entities: v.entities.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn unpack(bytes: &[u8]) -> DbResult<RecordFacts> {
        Ok(owned(&view(bytes)?))
    }

    #[test]
    fn packed_facts_read_back_equal() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        let f = RecordFacts {
            id: "c-1".into(),
            kind: RecordKind::Complaint,
            office: "GS0101".into(),
            dates: [("received_on".to_string(), d("2026-06-02"))].into(),
            amounts: [("recovered_fen".to_string(), 12_345)].into(),
            codes: [("channel".to_string(), "12315".to_string())].into(),
            outcome: Some("agreed".into()),
            payments: vec![PaymentFact {
                amount_fen: 500,
                treasury_date: None,
            }],
            clocks: vec![ClockFact {
                rule: RuleId::ComplaintAccept,
                due: d("2026-06-09"),
                met_on: Some(d("2026-06-03")),
            }],
            entities: vec!["91110000MA00000000".into()],
        };
        let bytes = pack(&f).expect("pack");
        assert_eq!(unpack(&bytes).expect("unpack"), f);
        // Kinds and rules are stored as length-prefixed names.
        assert!(bytes.windows(10).any(|w| w == b"\x09complaint"));
        assert!(bytes.windows(17).any(|w| w == b"\x10complaint.accept"));
        assert!(unpack(&bytes[..bytes.len() / 2]).is_err());
    }

    #[test]
    fn a_view_reads_as_the_facts_it_was_packed_from() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        let case = RecordFacts {
            id: "k-1".into(),
            kind: RecordKind::Case,
            office: "GS0102".into(),
            dates: [
                ("filed_on".to_string(), d("2026-05-30")),
                ("decided_on".to_string(), d("2026-06-20")),
            ]
            .into(),
            amounts: [("fine_fen".to_string(), 300_000)].into(),
            codes: [("procedure".to_string(), "normal".to_string())].into(),
            outcome: Some("penalty".into()),
            payments: vec![PaymentFact {
                amount_fen: 300_000,
                treasury_date: Some(d("2026-07-02")),
            }],
            clocks: Vec::new(),
            entities: vec!["甲公司".into()],
        };
        let mut rows = PackedRows::default();
        rows.push(&pack(&case).expect("pack"));
        rows.push(&pack(&case).expect("pack"));
        assert_eq!(rows.len(), 2);
        let views = rows.views().expect("views");
        assert_eq!(
            views.iter().map(owned).collect::<Vec<_>>(),
            vec![case.clone(), case.clone()]
        );
        let v = &views[1];
        assert_eq!(v.id(), "k-1");
        assert_eq!(v.kind(), RecordKind::Case);
        assert_eq!(v.office(), "GS0102");
        assert_eq!(v.date("decided_on"), Some(d("2026-06-20")));
        assert_eq!(v.date("closed_on"), None);
        assert_eq!(v.amount("fine_fen"), 300_000);
        assert_eq!(v.amount("goods_value_fen"), 0);
        assert_eq!(v.code("procedure"), Some("normal"));
        assert!(!v.is_simple());
        assert_eq!(v.outcome(), Some("penalty"));
        assert_eq!(v.payments().collect::<Vec<_>>(), case.payments);
        assert_eq!(v.entities().collect::<Vec<_>>(), vec!["甲公司"]);
        assert_eq!(v.span(), case.span());
        assert_eq!(v.span(), Some((d("2026-05-30"), d("2026-07-02"))));

        let mut bad = PackedRows::default();
        bad.push(b"\x03abc");
        assert!(bad.views().is_err());
    }
}
