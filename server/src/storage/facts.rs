//! How the relay keeps a document's statistics facts in `stat_facts`:
//! postcard with dates as day numbers, not JSON. A bureau-wide bulletin reads
//! hundreds of thousands of these; a compact typed row decodes several times
//! faster than a string-keyed JSON object and parses no date text. Kinds
//! and clock rules are kept by name, so adding a variant never shifts them.

use chrono::{Datelike, NaiveDate};
use hongdun_core::deadline::RuleId;
use hongdun_core::record::RecordKind;
use hongdun_core::stats::{ClockFact, PaymentFact, RecordFacts};
use serde::{Deserialize, Serialize};

use super::{DbError, DbResult};

/// One row's `facts` column. Field names borrow from the row while decoding.
#[derive(Serialize, Deserialize)]
struct Packed<'a> {
    #[serde(borrow)]
    id: &'a str,
    kind: &'a str,
    office: &'a str,
    #[serde(borrow)]
    dates: Vec<(&'a str, i32)>,
    #[serde(borrow)]
    amounts: Vec<(&'a str, i64)>,
    #[serde(borrow)]
    codes: Vec<(&'a str, &'a str)>,
    outcome: Option<&'a str>,
    payments: Vec<(i64, Option<i32>)>,
    clocks: Vec<(&'a str, i32, Option<i32>)>,
    #[serde(borrow)]
    entities: Vec<&'a str>,
}

fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn date(n: i32) -> DbResult<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n)
        .ok_or_else(|| DbError::Backend(format!("stat_facts: day {n} out of range")))
}

/// Encodes `f` for the `facts` column.
pub fn pack(f: &RecordFacts) -> DbResult<Vec<u8>> {
    let p = Packed {
        id: &f.id,
        kind: f.kind.as_str(),
        office: &f.office,
        dates: f.dates.iter().map(|(k, d)| (k.as_str(), day(*d))).collect(),
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
            .map(|p| (p.amount_fen, p.treasury_date.map(day)))
            .collect(),
        clocks: f
            .clocks
            .iter()
            .map(|c| (c.rule.as_str(), day(c.due), c.met_on.map(day)))
            .collect(),
        entities: f.entities.iter().map(String::as_str).collect(),
    };
    postcard::to_stdvec(&p).map_err(|e| DbError::Backend(format!("stat_facts: {e}")))
}

/// Decodes a `facts` column written by [`pack`].
pub fn unpack(bytes: &[u8]) -> DbResult<RecordFacts> {
    let p: Packed<'_> =
        postcard::from_bytes(bytes).map_err(|e| DbError::Backend(format!("stat_facts: {e}")))?;
    let bad = |what: &str| DbError::Backend(format!("stat_facts: unknown {what}"));
    Ok(RecordFacts {
        id: p.id.to_string(),
        kind: p.kind.parse::<RecordKind>().map_err(|_| bad(p.kind))?,
        office: p.office.to_string(),
        dates: p
            .dates
            .into_iter()
            .map(|(k, d)| Ok((k.to_string(), date(d)?)))
            .collect::<DbResult<_>>()?,
        amounts: p
            .amounts
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        codes: p
            .codes
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        outcome: p.outcome.map(str::to_string),
        payments: p
            .payments
            .into_iter()
            .map(|(amount_fen, d)| {
                Ok(PaymentFact {
                    amount_fen,
                    treasury_date: d.map(date).transpose()?,
                })
            })
            .collect::<DbResult<_>>()?,
        clocks: p
            .clocks
            .into_iter()
            .map(|(rule, due, met)| {
                Ok(ClockFact {
                    rule: rule.parse::<RuleId>().map_err(|_| bad(rule))?,
                    due: date(due)?,
                    met_on: met.map(date).transpose()?,
                })
            })
            .collect::<DbResult<_>>()?,
        entities: p.entities.into_iter().map(str::to_string).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(unpack(&bytes[..bytes.len() / 2]).is_err());
    }
}
