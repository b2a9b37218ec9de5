//! The legal calendar: which days are working days.
//!
//! Working days come from the State Council's yearly notice
//! (国务院办公厅关于XXXX年部分节假日安排的通知): its holiday periods and its 调休
//! make-up workdays (a Saturday or Sunday that is worked). The notices live in
//! `data/holidays.toml`, built in as the default ([`Calendar::builtin`]) and
//! replaceable at run time with an updated file ([`Calendar::from_toml`]): the
//! office store keeps `calendar.toml` in its data directory and the bureau
//! distributes new years by sync, so no new build is needed each November.
//!
//! A year without a published notice is counted with weekends and the fixed
//! holidays of 《全国年节及纪念日放假办法》 only (with its 第六条 补假 for a
//! holiday on a weekend), and every count that touches such a year is marked
//! **provisional**: it must be recomputed when the notice arrives.
//!
//! ```
//! use chrono::NaiveDate;
//! use hongdun_core::calendar::Calendar;
//!
//! let cal = Calendar::builtin();
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! // 2026-09-30 (Wed) + 3 working days: 10-01..07 国庆 are off, 10-08 Thu,
//! // 10-09 Fri, 10-10 Sat (调休上班).
//! let due = cal.add_workdays(d(2026, 9, 30), 3);
//! assert_eq!(due.date, d(2026, 10, 10));
//! assert!(!due.provisional);
//! ```
//!
//! Nothing here panics on any date chrono accepts: counts stop (saturate) at
//! the ends of the supported years 1900–2200, and such results are provisional.

mod data;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The built-in calendar file.
pub const BUILTIN_TOML: &str = include_str!("../../data/holidays.toml");

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// 工作日 — an ordinary Monday to Friday.
    Workday,
    /// 休息日 — an ordinary Saturday or Sunday.
    Weekend,
    /// 法定节假日 — a day off of a holiday period (including weekend days joined
    /// to it, and 补假 days in provisional years).
    Holiday { name: String },
    /// 调休上班日 — a Saturday or Sunday worked to bridge a holiday; a working day.
    MakeUpWorkday { name: String },
}

impl DayKind {
    /// True for days on which the office works (and a working-day limit counts).
    pub fn is_workday(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday { .. })
    }

    /// Short Chinese label, e.g. "国庆节" or "调休上班（春节）".
    pub fn label(&self) -> String {
        match self {
            DayKind::Workday => "工作日".to_string(),
            DayKind::Weekend => "休息日".to_string(),
            DayKind::Holiday { name } => name.clone(),
            DayKind::MakeUpWorkday { name } => format!("调休上班（{name}）"),
        }
    }
}

/// The result of a count: the date, and whether any day it depends on lies in
/// a year with no published schedule (recompute when the schedule arrives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Counted {
    pub date: NaiveDate,
    pub provisional: bool,
}

/// A calendar file could not be used. Names the year and the entry, so the
/// person maintaining the file can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the calendar file is not valid TOML: {0}")]
    Syntax(String),
    #[error("calendar file format {found} is not supported; this build reads format 1")]
    Format { found: u32 },
    /// `year` is 0 for the statutory table, which belongs to no year.
    #[error("calendar {year}, {entry}: {problem}")]
    Entry {
        year: i32,
        entry: String,
        problem: String,
    },
}

/// A day that differs from the plain week in a published notice.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Special {
    Off(String),
    Work(String),
}

/// The legal calendar. Cheap to clone; build it once and share it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Days of published notices that differ from the plain week.
    published: BTreeMap<NaiveDate, Special>,
    /// Years with a published notice → the notice's title.
    published_years: BTreeMap<i32, String>,
    /// Statutory days off for every unpublished year 1900–2200.
    fallback: BTreeMap<NaiveDate, String>,
    statutory_basis: String,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// First and last day that counting walks through; beyond them counts saturate.
fn first_supported() -> NaiveDate {
    ymd(data::MIN_YEAR, 1, 1)
}
fn last_supported() -> NaiveDate {
    ymd(data::MAX_YEAR, 12, 31)
}

fn next_day(d: NaiveDate) -> Option<NaiveDate> {
    d.checked_add_days(Days::new(1))
}

impl Calendar {
    /// The calendar built into this version (`data/holidays.toml`): notices
    /// 2011–2026, statutory holidays and movable festival dates to 2060.
    pub fn builtin() -> Calendar {
        static BUILTIN: OnceLock<Calendar> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // The built-in file is checked by the unit tests; should it
                // ever fail, fall back to weekends only rather than panic.
                Calendar::from_toml(BUILTIN_TOML).unwrap_or_else(|_| Calendar::weekends_only())
            })
            .clone()
    }

    /// A calendar that knows no holidays at all: every count is provisional.
    pub fn weekends_only() -> Calendar {
        Calendar {
            published: BTreeMap::new(),
            published_years: BTreeMap::new(),
            fallback: BTreeMap::new(),
            statutory_basis: String::new(),
        }
    }

    /// Parse and check a calendar file (the format of `data/holidays.toml`).
    /// Rejected: a make-up workday that is not a Saturday or Sunday, or falls
    /// inside a holiday; overlapping periods; dates that are not dates or lie
    /// outside the notice's year; a year listed twice; implausible festival
    /// dates; unknown keys.
    pub fn from_toml(text: &str) -> Result<Calendar, CalendarError> {
        let parsed = data::parse(text)?;
        let years = data::years(&parsed);
        let mut fallback = BTreeMap::new();
        for year in data::MIN_YEAR..=data::MAX_YEAR {
            if years.contains(&year) {
                continue;
            }
            fallback.extend(data::statutory_days(
                year,
                &parsed.statutory,
                &parsed.movable,
                parsed.weekend_makeup,
            ));
        }
        Ok(Calendar {
            published: parsed.published,
            published_years: parsed.published_years,
            fallback,
            statutory_basis: parsed.statutory_basis,
        })
    }

    /// What kind of day `d` is.
    pub fn day_kind(&self, d: NaiveDate) -> DayKind {
        match self.published.get(&d) {
            Some(Special::Off(name)) => return DayKind::Holiday { name: name.clone() },
            Some(Special::Work(name)) => return DayKind::MakeUpWorkday { name: name.clone() },
            None => {}
        }
        if !self.is_published(d.year()) {
            if let Some(name) = self.fallback.get(&d) {
                return DayKind::Holiday { name: name.clone() };
            }
        }
        if data::is_weekend(d) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        }
    }

    /// True if the office works on `d`: a weekday that is not a holiday, or a
    /// 调休 make-up workday.
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        match self.published.get(&d) {
            Some(Special::Off(_)) => false,
            Some(Special::Work(_)) => true,
            None => {
                if !self.is_published(d.year()) && self.fallback.contains_key(&d) {
                    false
                } else {
                    !data::is_weekend(d)
                }
            }
        }
    }

    /// True if the State Council notice for `year` is in this calendar.
    pub fn is_published(&self, year: i32) -> bool {
        self.published_years.contains_key(&year)
    }

    /// The first and last day counting walks through (1900-01-01, 2200-12-31);
    /// counts that would go beyond them saturate and are provisional.
    pub fn supported_range() -> (NaiveDate, NaiveDate) {
        (first_supported(), last_supported())
    }

    /// The latest year with a published notice, if any.
    pub fn last_published_year(&self) -> Option<i32> {
        self.published_years.keys().next_back().copied()
    }

    /// Years with a published notice, in order.
    pub fn published_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.published_years.keys().copied()
    }

    /// The title of the notice for `year`, as written in the file.
    pub fn notice(&self, year: i32) -> Option<&str> {
        self.published_years.get(&year).map(String::as_str)
    }

    /// The legal basis of the fallback rules for unpublished years.
    pub fn statutory_basis(&self) -> &str {
        &self.statutory_basis
    }

    /// True when `d`'s kind is settled by a published notice; false means it
    /// was derived from the statutory rules only and may change.
    pub fn is_settled(&self, d: NaiveDate) -> bool {
        self.is_published(d.year())
    }

    /// The days of `year` that are not plain weekdays/weekends: holidays and
    /// make-up workdays (for listing a year's calendar).
    pub fn special_days(&self, year: i32) -> Vec<(NaiveDate, DayKind)> {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut d = from;
        loop {
            let kind = self.day_kind(d);
            if matches!(
                kind,
                DayKind::Holiday { .. } | DayKind::MakeUpWorkday { .. }
            ) {
                out.push((d, kind));
            }
            match next_day(d) {
                Some(n) if n <= to => d = n,
                _ => break,
            }
        }
        out
    }

    /// The date `n` working days after `start`. The start day is not counted
    /// (期间开始的日不计算在内); `n == 0` returns `start`. Holidays and ordinary
    /// weekends are skipped; 调休 make-up workdays count. Counts saturate at
    /// the end of 2200 (and start no earlier than 1900), provisional.
    pub fn add_workdays(&self, start: NaiveDate, n: u32) -> Counted {
        // Before 1900 there is no calendar to speak of: count as if from the
        // end of 1899 (weekends only), so the walk stays short.
        let floor = first_supported().pred_opt().unwrap_or(NaiveDate::MIN);
        let mut provisional = n > 0 && start < floor;
        let mut d = if n > 0 { start.max(floor) } else { start };
        let mut counted = 0u32;
        while counted < n {
            match next_day(d) {
                Some(next) if next <= last_supported() => d = next,
                _ => {
                    return Counted {
                        date: d,
                        provisional: true,
                    }
                }
            }
            if !self.is_settled(d) {
                provisional = true;
            }
            if self.is_workday(d) {
                counted += 1;
            }
        }
        Counted {
            date: d,
            provisional,
        }
    }

    /// The date `n` calendar days after `start`; if that day is a rest day or a
    /// holiday, the first working day after it (a make-up workday is one).
    pub fn add_calendar_days(&self, start: NaiveDate, n: u32) -> Counted {
        let nominal = match start.checked_add_days(Days::new(u64::from(n))) {
            Some(d) if d <= last_supported() || start > last_supported() => d,
            _ => {
                return Counted {
                    date: last_supported().max(start),
                    provisional: true,
                }
            }
        };
        self.roll_forward(nominal)
    }

    /// `d` itself if it is a working day, else the first working day after it.
    pub fn roll_forward(&self, d: NaiveDate) -> Counted {
        let mut d = d;
        let mut provisional = !self.is_settled(d);
        while !self.is_workday(d) {
            match next_day(d) {
                Some(next) if next <= last_supported() => d = next,
                _ => {
                    return Counted {
                        date: d,
                        provisional: true,
                    }
                }
            }
            if !self.is_settled(d) {
                provisional = true;
            }
        }
        Counted {
            date: d,
            provisional,
        }
    }

    /// Working days after `a` up to and including `b`; negative when `b` is
    /// before `a` (then the working days after `b` up to and including `a`).
    /// Days outside 1900–2200 are not counted.
    pub fn workdays_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.workdays_between(b, a);
        }
        let mut d = a.max(first_supported().pred_opt().unwrap_or(NaiveDate::MIN));
        let end = b.min(last_supported());
        let mut count = 0i64;
        while d < end {
            match next_day(d) {
                Some(next) => d = next,
                None => break,
            }
            if self.is_workday(d) {
                count += 1;
            }
        }
        count
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::builtin()
    }
}

#[cfg(test)]
mod tests;
