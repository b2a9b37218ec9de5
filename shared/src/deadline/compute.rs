//! Turning a [`Clock`] into a due date, and a due date into what a person sees.
//!
//! The counting rules (DOMAIN.md "How days are counted"):
//! - the start day is not counted (期间开始的日不计算在内);
//! - a working-day limit counts only working days: 调休 make-up workdays count,
//!   holidays and ordinary weekends do not;
//! - a calendar-day limit whose last day is a rest day or holiday ends on the
//!   next working day (a make-up workday is one);
//! - paused periods are excluded: the clock stops on the pause's first day and
//!   resumes the day after it ends;
//! - approved extensions add their days (the rule's standard extension when a
//!   grant names no number);
//! - the result is provisional when any day it depends on lies in a year with
//!   no published holiday schedule.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::rules::{DayUnit, Limits, RuleSpec};
use super::Clock;
use crate::calendar::Calendar;
use crate::record::{DeadlineState, DeadlineView};

/// A computed due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Due {
    /// The last day on which the act is in time.
    pub due: NaiveDate,
    /// Some day the count depends on lies in a year with no published
    /// schedule: recompute when the schedule arrives.
    pub provisional: bool,
    /// An open pause stops the clock; `due` moves later every day it lasts.
    pub paused: bool,
}

/// The due date of `clock`. An open pause is taken as ending on its first day
/// (so `due` is the earliest the limit can fall); use [`due_as_of`] to count it
/// up to a given day.
pub fn due(clock: &Clock, cal: &Calendar, limits: &Limits) -> Due {
    compute(clock, cal, limits, None)
}

/// The due date of `clock` as of `today`: an open pause that has begun is
/// taken as ending today; one that begins after today is not yet in effect.
pub fn due_as_of(clock: &Clock, cal: &Calendar, limits: &Limits, today: NaiveDate) -> Due {
    compute(clock, cal, limits, Some(today))
}

/// Where `clock` stands on `today`: due date, legal basis (with extensions and
/// pauses noted), state and days left.
///
/// - `met_on` set → [`DeadlineState::Met`], `late` if after the due date;
///   `days_left` is then what was left on the day it was met.
/// - an open pause (begun by `today`) → [`DeadlineState::Paused`], the due
///   date computed as if the pause ended today — unless the limit had already
///   run out before the pause began, which stays Overdue.
/// - otherwise Overdue if `today` is after the due date, DueSoon if the due
///   date is within `due_soon_workdays` working days, else OnTime.
///
/// `days_left` is in the rule's unit (working or calendar days), not counting
/// paused days; negative when overdue (at least −1 once the due date has
/// passed, even over a weekend).
pub fn evaluate(
    clock: &Clock,
    cal: &Calendar,
    limits: &Limits,
    today: NaiveDate,
    due_soon_workdays: u32,
) -> DeadlineView {
    let spec = limits.get(clock.rule);
    let d = due_as_of(clock, cal, limits, today);
    let pauses = spans(clock, Some(today));

    let (state, days_left, late) = match clock.met_on {
        Some(met) => (
            DeadlineState::Met,
            days_until(cal, spec.unit, &pauses, met, d.due),
            met > d.due,
        ),
        None => {
            let left = days_until(cal, spec.unit, &pauses, today, d.due);
            let state = if d.paused && today <= d.due {
                DeadlineState::Paused
            } else if today > d.due {
                DeadlineState::Overdue
            } else if cal.workdays_between(today, d.due) <= i64::from(due_soon_workdays) {
                DeadlineState::DueSoon
            } else {
                DeadlineState::OnTime
            };
            (state, left, false)
        }
    };

    DeadlineView {
        rule: clock.rule,
        name: spec.name.to_string(),
        due: d.due,
        basis: basis(clock, spec, d, Some(today)),
        provisional: d.provisional,
        state,
        days_left,
        late,
    }
}

/// The basis text for `clock`: the rule's legal basis, then one note per
/// extension and pause, e.g. "已延长15个工作日（批准人：张三）", "鉴定期间不计入".
pub fn basis(clock: &Clock, spec: &RuleSpec, due: Due, today: Option<NaiveDate>) -> String {
    let mut parts = vec![spec.basis_text()];
    for e in &clock.extensions {
        match e.days.or(spec.extension) {
            Some(days) => parts.push(format!(
                "已延长{}{}（批准人：{}，{}）",
                days,
                spec.unit.label(),
                e.approver,
                e.approved_on
            )),
            None => parts.push(format!(
                "延期未写明天数，本期限无标准延长期限，未计入（批准人：{}）",
                e.approver
            )),
        }
    }
    for p in &clock.pauses {
        let reason = if p.reason.trim().is_empty() {
            "中止"
        } else {
            p.reason.trim()
        };
        match p.to {
            Some(to) if to >= p.from => {
                parts.push(format!("{reason}期间不计入（{}至{}）", p.from, to))
            }
            Some(_) => {}
            None => {
                if today.is_none_or(|t| t >= p.from) {
                    parts.push(format!("{reason}中，自{}起暂停计时", p.from));
                }
            }
        }
    }
    if due.provisional {
        parts.push("截止日所在年份尚未公布放假安排，暂按法定节假日计算，公布后重算".into());
    }
    parts.join("；")
}

/// The paused spans of `clock`, inclusive. Open pauses end on `today` (or on
/// their first day without one); pauses not yet begun, and closed pauses that
/// end before they start, exclude nothing.
fn spans(clock: &Clock, today: Option<NaiveDate>) -> Vec<(NaiveDate, NaiveDate)> {
    clock
        .pauses
        .iter()
        .filter_map(|p| {
            let to = match (p.to, today) {
                (Some(to), _) => to,
                (None, Some(t)) => t,
                (None, None) => p.from,
            };
            (to >= p.from).then_some((p.from, to))
        })
        .collect()
}

fn in_pause(pauses: &[(NaiveDate, NaiveDate)], d: NaiveDate) -> bool {
    pauses.iter().any(|(from, to)| *from <= d && d <= *to)
}

fn total_days(clock: &Clock, spec: &RuleSpec) -> u32 {
    clock
        .extensions
        .iter()
        .filter_map(|e| e.days.or(spec.extension))
        .fold(spec.days, u32::saturating_add)
}

fn compute(clock: &Clock, cal: &Calendar, limits: &Limits, today: Option<NaiveDate>) -> Due {
    let spec = limits.get(clock.rule);
    let pauses = spans(clock, today);
    let paused = clock
        .pauses
        .iter()
        .any(|p| p.to.is_none() && today.is_none_or(|t| t >= p.from) && clock.met_on.is_none());
    let n = total_days(clock, spec);
    let (first_day, last_day) = Calendar::supported_range();
    let floor = first_day.pred_opt().unwrap_or(first_day);

    // Before 1900 there is no calendar: count from the end of 1899.
    let mut d = clock.start.max(floor);
    let mut provisional = clock.start < floor;
    let mut counted = 0u32;
    // Walk forward day by day; bounded by the end of the supported range.
    while counted < n {
        match d.checked_add_days(Days::new(1)) {
            Some(next) if next <= last_day => d = next,
            _ => {
                return Due {
                    due: d,
                    provisional: true,
                    paused,
                }
            }
        }
        if in_pause(&pauses, d) {
            continue;
        }
        match spec.unit {
            DayUnit::Working => {
                if !cal.is_settled(d) {
                    provisional = true;
                }
                if cal.is_workday(d) {
                    counted += 1;
                }
            }
            DayUnit::Calendar => counted += 1,
        }
    }
    if spec.unit == DayUnit::Calendar {
        // The period ends on a working day outside any pause.
        if !cal.is_settled(d) {
            provisional = true;
        }
        while !cal.is_workday(d) || in_pause(&pauses, d) {
            match d.checked_add_days(Days::new(1)) {
                Some(next) if next <= last_day => d = next,
                _ => {
                    provisional = true;
                    break;
                }
            }
            if !cal.is_settled(d) {
                provisional = true;
            }
        }
    }
    Due {
        due: d,
        provisional,
        paused,
    }
}

/// Days from `from` to `to` in `unit`, not counting paused days: positive when
/// `to` is later; when `to` is earlier, the negative count of days after `to`
/// up to `from`, at least −1.
fn days_until(
    cal: &Calendar,
    unit: DayUnit,
    pauses: &[(NaiveDate, NaiveDate)],
    from: NaiveDate,
    to: NaiveDate,
) -> i64 {
    if from == to {
        return 0;
    }
    let (a, b, sign) = if from < to {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let (first_day, last_day) = Calendar::supported_range();
    let mut d = a.max(first_day.pred_opt().unwrap_or(first_day));
    let mut n = 0i64;
    while d < b && d < last_day {
        match d.checked_add_days(Days::new(1)) {
            Some(next) => d = next,
            None => break,
        }
        if in_pause(pauses, d) {
            continue;
        }
        if unit == DayUnit::Calendar || cal.is_workday(d) {
            n += 1;
        }
    }
    if sign < 0 {
        -n.max(1)
    } else {
        n
    }
}
