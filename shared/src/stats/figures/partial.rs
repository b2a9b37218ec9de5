//! A bulletin's tallies over part of the records (one office's, say), to be
//! added to other parts and finished into the [`Bulletin`]. Every figure is
//! a sum over records, except three that wait for the whole: 息访 (a repeat
//! petition may arrive at another office), 检查户数 (an entity inspected by
//! two offices counts once) and 不合格率 (a ratio of two sums). The relay
//! computes a bureau-wide bulletin office by office this way, so it never
//! holds every office's records at once.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::*;

/// The tallies of some records for one period (see the module docs).
#[derive(Clone)]
pub struct Partial {
    period: Period,
    now: Measured,
    yoy: Measured,
    mom: Option<Measured>,
    /// Repeat petitions: the petition repeated and the day the repeat came.
    repeats: Vec<(String, NaiveDate)>,
    breakdowns: RawBreakdowns,
    trend: Vec<TrendPoint>,
    by_office: BTreeMap<String, OfficeRow>,
    treasury_ytd: i64,
}

/// The tallies of the records of `facts` owned by `offices` (empty: all of
/// them) for `period`, its base periods, the trend and the breakdowns.
pub fn partial<T: Facts>(
    facts: &[T],
    offices: &[String],
    period: Period,
    settings: &StatsSettings,
    with_records: bool,
) -> Partial {
    let selected = select(facts, offices);
    // One pass over every record: repeat petitions, the offices seen, and
    // which records can count in the period, the same period last year and
    // the previous one. The figures of each then walk only those few.
    let last_year = period.same_last_year();
    let previous = period.previous();
    let mut in_now = Vec::new();
    let mut in_yoy = Vec::new();
    let mut in_mom = Vec::new();
    let mut repeats = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let (now_days, yoy_days) = (Days::of(&period), Days::of(&last_year));
    let mom_days = previous.as_ref().map(Days::of);
    let mut last_office = "";
    for f in &selected {
        // Records come office by office, mostly: hash only on a change.
        if f.office() != last_office {
            last_office = f.office();
            seen.insert(last_office);
        }
        if f.kind() == RecordKind::Petition {
            if let (Some(of), Some(d)) = (f.code("repeat_of_id"), f.date("received_on")) {
                repeats.push((of.to_string(), d));
            }
        }
        let touches = counts_by_span(f);
        if touches(&now_days) {
            in_now.push(*f);
        }
        if touches(&yoy_days) {
            in_yoy.push(*f);
        }
        if mom_days.as_ref().is_some_and(&touches) {
            in_mom.push(*f);
        }
    }
    Partial {
        period,
        now: measure(&in_now, &period, settings, with_records),
        yoy: measure(&in_yoy, &last_year, settings, false),
        mom: previous.map(|prev| measure(&in_mom, &prev, settings, false)),
        repeats,
        breakdowns: raw_breakdowns(&in_now, &period, settings, with_records),
        trend: trend(&selected, &period),
        by_office: office_rows(&in_now, &period, seen.into_iter()),
        treasury_ytd: treasury_ytd(&selected, &period),
    }
}

impl Partial {
    /// Adds another part's tallies for the same period (of other records:
    /// a record counted in both parts would count twice).
    pub fn merge(&mut self, other: Partial) {
        debug_assert_eq!(self.period, other.period);
        self.now.merge(other.now);
        self.yoy.merge(other.yoy);
        if let (Some(a), Some(b)) = (self.mom.as_mut(), other.mom) {
            a.merge(b);
        }
        self.repeats.extend(other.repeats);
        self.breakdowns.merge(other.breakdowns);
        for (a, b) in self.trend.iter_mut().zip(&other.trend) {
            a.filed += b.filed;
            a.closed += b.closed;
            a.decided_fen += b.decided_fen;
            a.treasury_fen += b.treasury_fen;
            a.complaints += b.complaints;
        }
        for (office, row) in other.by_office {
            match self.by_office.get_mut(&office) {
                Some(mine) => mine.add(&row),
                None => {
                    self.by_office.insert(office, row);
                }
            }
        }
        self.treasury_ytd += other.treasury_ytd;
    }

    /// The bulletin of `offices` (as asked: empty for every office; each
    /// asked office gets its row even without records).
    pub fn finish(
        self,
        offices: &[String],
        period: Period,
        settings: &StatsSettings,
        with_records: bool,
    ) -> Bulletin {
        let mut repeats: Repeats<'_> = HashMap::new();
        for (of, d) in &self.repeats {
            repeats.entry(of.as_str()).or_default().push(*d);
        }
        let now = self.now.settle(&repeats, settings, with_records);
        let yoy = self.yoy.settle(&repeats, settings, false);
        let mom = self.mom.map(|m| m.settle(&repeats, settings, false));
        let mut bds = self.breakdowns.finish(settings);
        let mut sections: Vec<Section> = SECTIONS
            .iter()
            .map(|(k, t)| Section {
                key: k.to_string(),
                title: t.to_string(),
                figures: Vec::new(),
                breakdowns: bds.remove(k).unwrap_or_default(),
            })
            .collect();
        for (i, (key, label, unit)) in DEFINITIONS.iter().enumerate() {
            let a = &now[i];
            let pair = |acc: &Acc| (acc.value, acc.den);
            let fig = Figure {
                key: key.to_string(),
                label: label.to_string(),
                unit: *unit,
                value: a.value,
                denominator: (*unit == Unit::Rate).then_some(a.den),
                yoy: compare(*unit, pair(a), pair(&yoy[i])),
                mom: mom.as_ref().map(|m| compare(*unit, pair(a), pair(&m[i]))),
                records: a.records.clone(),
            };
            let section = key.split('.').next().unwrap_or("");
            if let Some(s) = sections.iter_mut().find(|s| s.key == section) {
                s.figures.push(fig);
            }
        }
        let mut by_office = self.by_office;
        for o in offices {
            by_office
                .entry(o.clone())
                .or_insert_with(|| OfficeRow::empty(o));
        }
        let mut b = Bulletin {
            period,
            period_label: period.label(),
            offices: offices.to_vec(),
            sections,
            trend: self.trend,
            by_office: by_office.into_values().collect(),
            finance: finance(self.treasury_ytd, &period, settings),
            summary: String::new(),
        };
        b.summary = summary::paragraph(&b);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{RecordFacts, StatsSettings};

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn what_crosses_offices_is_settled_on_the_whole() {
        let june = Period::parse("2026-06").expect("period");
        let s = StatsSettings::default();
        // P1 at GS01, replied 3/10: its 3-month 息访 window ends 6/10, in June.
        let mut p1 = RecordFacts::new("P1", RecordKind::Petition, "GS01");
        p1.dates.insert("received_on".into(), d("2026-03-01"));
        p1.dates.insert("accepted_on".into(), d("2026-03-02"));
        p1.dates.insert("replied_on".into(), d("2026-03-10"));
        // The same petitioner comes again on 4/1, at GS02: P1 is not 息访.
        let mut p2 = RecordFacts::new("P2", RecordKind::Petition, "GS02");
        p2.dates.insert("received_on".into(), d("2026-04-01"));
        p2.codes.insert("repeat_of_id".into(), "P1".into());
        // Both offices inspect the same entity in June: one 检查户数.
        let mut i1 = RecordFacts::new("I1", RecordKind::Inspection, "GS01");
        let mut i2 = RecordFacts::new("I2", RecordKind::Inspection, "GS02");
        for i in [&mut i1, &mut i2] {
            i.dates.insert("inspected_on".into(), d("2026-06-05"));
            i.amounts.insert("premises_count".into(), 1);
            i.entities.push("91360429MAXNKCJF3E".into());
        }
        let facts = vec![p1, p2, i1, i2];
        let one = |o: &str| vec![o.to_string()];
        let mut parts = partial(&facts, &one("GS01"), june, &s, true);
        parts.merge(partial(&facts, &one("GS02"), june, &s, true));
        let added = parts.finish(&[], june, &s, true);
        let whole = super::super::bulletin(&facts, &[], june, &s, true);
        assert_eq!(added, whole);
        let quiet = added.figure("petitions.quiet").expect("息访率");
        assert_eq!((quiet.value, quiet.denominator), (0, Some(1)));
        assert_eq!(added.figure("campaigns.entities").map(|f| f.value), Some(1));
        assert_eq!(added.figure("campaigns.visits").map(|f| f.value), Some(2));
        // Each office alone: GS01's petition looks quiet, as it would.
        let alone =
            partial(&facts, &one("GS01"), june, &s, true).finish(&one("GS01"), june, &s, true);
        let quiet = alone.figure("petitions.quiet").expect("息访率");
        assert_eq!((quiet.value, quiet.denominator), (1, Some(1)));
    }
}
