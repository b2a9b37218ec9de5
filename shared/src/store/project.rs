//! Projections: what the list, search and deadline tables hold for a record,
//! derived from its document alone (so `reindex` can always rebuild them).

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::deadline::compute;
use crate::deadline::rules::Limits;
use crate::deadline::Clock;
use crate::doc::RecordDoc;
use crate::model;
use crate::record::{DeadlineView, RecordKind};

/// The projected row of one record.
#[derive(Debug, Clone)]
pub struct Projection {
    pub id: String,
    pub kind: RecordKind,
    pub office: String,
    pub number: Option<String>,
    pub title: String,
    /// The record's current fields (what the relay's projection keeps).
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// Status, clocks, dates and amounts the model folded from the events.
    pub derived: model::Derived,
    pub conflicts: usize,
    /// Every clock with its due date (computed with the calendar of the day).
    pub dues: Vec<ClockDue>,
    pub search_text: String,
}

#[derive(Debug, Clone)]
pub struct ClockDue {
    pub clock: Clock,
    pub due: NaiveDate,
    pub paused: bool,
    pub met: bool,
}

impl Projection {
    /// The earliest due date among clocks still running. A closed record
    /// has none, whatever clocks its events left open.
    pub fn next_due(&self) -> Option<&ClockDue> {
        if self.derived.closed {
            return None;
        }
        self.dues.iter().filter(|d| !d.met).min_by_key(|d| d.due)
    }
}

impl Projection {
    /// What statistics need from this record (none for kinds not counted).
    pub fn facts(&self) -> Option<crate::stats::RecordFacts> {
        let clocks = self
            .dues
            .iter()
            .map(|d| crate::stats::ClockFact {
                rule: d.clock.rule,
                due: d.due,
                met_on: d.clock.met_on,
            })
            .collect();
        crate::stats::facts_of(
            &self.id,
            self.kind,
            &self.office,
            &self.fields,
            &self.derived,
            clocks,
        )
    }
}

pub fn project(
    doc: &RecordDoc,
    cal: &Calendar,
    limits: &Limits,
) -> Result<Projection, crate::doc::DocError> {
    let kind = doc.kind()?;
    let fields = doc.fields();
    let events = doc.events();
    let derived = model::derive(kind, &fields, &events);
    let dues = derived
        .clocks
        .iter()
        .map(|clock| {
            let due = compute::due(clock, cal, limits);
            ClockDue {
                clock: clock.clone(),
                due: due.due,
                paused: due.paused,
                met: clock.met_on.is_some(),
            }
        })
        .collect();
    let search_text = if kind == RecordKind::Annex {
        // The confidential annex is never searchable from lists.
        String::new()
    } else {
        model::search_text(kind, &fields)
    };
    Ok(Projection {
        id: doc.id(),
        kind,
        office: doc.office(),
        number: model::number(kind, &fields),
        title: model::title(kind, &fields),
        fields,
        derived,
        conflicts: doc.conflicts().len(),
        dues,
        search_text,
    })
}

/// How many working days before its due date a deadline counts as 临期.
pub const DUE_SOON_WORKDAYS: u32 = 3;

/// The deadline views of a set of clocks as of `today`, next due first.
pub fn views(
    clocks: &[Clock],
    cal: &Calendar,
    limits: &Limits,
    today: NaiveDate,
) -> Vec<DeadlineView> {
    let mut v: Vec<DeadlineView> = clocks
        .iter()
        .map(|c| compute::evaluate(c, cal, limits, today, DUE_SOON_WORKDAYS))
        .collect();
    v.sort_by_key(|d| (d.state == crate::record::DeadlineState::Met, d.due));
    v
}

/// The next deadline still running, as of `today`.
pub fn next_view(
    clocks: &[Clock],
    cal: &Calendar,
    limits: &Limits,
    today: NaiveDate,
) -> Option<DeadlineView> {
    views(clocks, cal, limits, today)
        .into_iter()
        .find(|d| d.state != crate::record::DeadlineState::Met)
}
