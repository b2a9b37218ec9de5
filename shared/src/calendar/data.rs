//! Reading and checking a calendar file (`data/holidays.toml` format 1).
//!
//! The file is data that changes every November and is distributed by sync,
//! so every mistake a person can make in it is reported with the year and the
//! entry, and nothing in it can make the program panic.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use toml::value::Datetime;

use super::{CalendarError, Special};

/// The only file format this build reads.
pub(super) const FORMAT: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default = "default_format")]
    format: u32,
    #[serde(default)]
    year: Vec<RawYear>,
    statutory: Option<RawStatutory>,
}

fn default_format() -> u32 {
    FORMAT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i32,
    #[serde(default)]
    notice: String,
    #[serde(default)]
    holidays: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    from: Datetime,
    to: Datetime,
    #[serde(default)]
    workdays: Vec<Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatutory {
    #[serde(default)]
    basis: String,
    #[serde(default)]
    weekend_makeup: bool,
    #[serde(default)]
    holidays: Vec<RawFixed>,
    #[serde(default)]
    movable: Vec<RawMovable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFixed {
    name: String,
    on: String,
    #[serde(default)]
    offset: i32,
    days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMovable {
    year: i32,
    spring_festival: Datetime,
    qingming: Datetime,
    dragon_boat: Datetime,
    mid_autumn: Datetime,
}

/// Where a statutory holiday falls each year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Anchor {
    /// A Gregorian month and day, e.g. 10-01.
    Fixed { month: u32, day: u32 },
    /// A key of the movable-festival table.
    Movable(MovableKey),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MovableKey {
    SpringFestival,
    Qingming,
    DragonBoat,
    MidAutumn,
}

/// One holiday of 《全国年节及纪念日放假办法》.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StatutoryHoliday {
    pub name: String,
    pub anchor: Anchor,
    pub offset: i32,
    pub days: u32,
}

/// Gregorian dates of the movable festivals in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Movable {
    pub spring_festival: NaiveDate,
    pub qingming: NaiveDate,
    pub dragon_boat: NaiveDate,
    pub mid_autumn: NaiveDate,
}

impl Movable {
    fn get(&self, key: MovableKey) -> NaiveDate {
        match key {
            MovableKey::SpringFestival => self.spring_festival,
            MovableKey::Qingming => self.qingming,
            MovableKey::DragonBoat => self.dragon_boat,
            MovableKey::MidAutumn => self.mid_autumn,
        }
    }
}

/// Everything a calendar file says, checked.
pub(super) struct Parsed {
    pub published: BTreeMap<NaiveDate, Special>,
    pub published_years: BTreeMap<i32, String>,
    pub statutory: Vec<StatutoryHoliday>,
    pub statutory_basis: String,
    pub weekend_makeup: bool,
    pub movable: BTreeMap<i32, Movable>,
}

/// Years a calendar file may describe. Far outside them a legal deadline is
/// meaningless, and this bound keeps every count finite.
pub(super) const MIN_YEAR: i32 = 1900;
pub(super) const MAX_YEAR: i32 = 2200;

/// A holiday period longer than this is surely a typo (the longest so far,
/// 春节 2020, was 10 days).
const MAX_PERIOD_DAYS: i64 = 16;

fn err(year: i32, entry: impl Into<String>, problem: impl Into<String>) -> CalendarError {
    CalendarError::Entry {
        year,
        entry: entry.into(),
        problem: problem.into(),
    }
}

fn date_of(dt: &Datetime, year: i32, entry: &str, field: &str) -> Result<NaiveDate, CalendarError> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| err(year, entry, format!("{field}: {dt} is not a calendar date")))
        }
        _ => Err(err(
            year,
            entry,
            format!("{field}: write a plain date like 2026-10-01, not `{dt}`"),
        )),
    }
}

fn weekday_zh(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

pub(super) fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

pub(super) fn parse(text: &str) -> Result<Parsed, CalendarError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| CalendarError::Syntax(e.to_string()))?;
    if raw.format != FORMAT {
        return Err(CalendarError::Format { found: raw.format });
    }

    let mut published: BTreeMap<NaiveDate, Special> = BTreeMap::new();
    let mut published_years: BTreeMap<i32, String> = BTreeMap::new();
    // Which entry each off day belongs to, to name both sides of an overlap.
    let mut owner: BTreeMap<NaiveDate, (i32, String)> = BTreeMap::new();

    for y in &raw.year {
        let year = y.year;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(err(
                year,
                "year",
                format!("years {MIN_YEAR}–{MAX_YEAR} only"),
            ));
        }
        if published_years.contains_key(&year) {
            return Err(err(year, "year", "the year is listed twice"));
        }
        published_years.insert(year, y.notice.clone());
        // A notice may reach into the December before its year (元旦 bridges).
        let window_from = NaiveDate::from_ymd_opt(year - 1, 12, 1);
        let window_to = NaiveDate::from_ymd_opt(year, 12, 31);
        let in_window =
            |d: NaiveDate| window_from.is_some_and(|f| d >= f) && window_to.is_some_and(|t| d <= t);

        for h in &y.holidays {
            let name = h.name.trim();
            if name.is_empty() {
                return Err(err(year, "holiday", "a holiday needs a name"));
            }
            let from = date_of(&h.from, year, name, "from")?;
            let to = date_of(&h.to, year, name, "to")?;
            if to < from {
                return Err(err(
                    year,
                    name,
                    format!("ends ({to}) before it starts ({from})"),
                ));
            }
            if !in_window(from) || !in_window(to) {
                return Err(err(
                    year,
                    name,
                    format!(
                        "{from}..{to} is outside {year} (only the December before may be used)"
                    ),
                ));
            }
            if (to - from).num_days() >= MAX_PERIOD_DAYS {
                return Err(err(
                    year,
                    name,
                    format!("{from}..{to} is longer than {MAX_PERIOD_DAYS} days"),
                ));
            }
            let mut d = from;
            while d <= to {
                if let Some((oy, oname)) = owner.get(&d) {
                    return Err(err(
                        year,
                        name,
                        format!("{d} is already a day off for {oy} {oname}: periods overlap"),
                    ));
                }
                owner.insert(d, (year, name.to_string()));
                published.insert(d, Special::Off(name.to_string()));
                match d.checked_add_days(Days::new(1)) {
                    Some(n) => d = n,
                    None => break,
                }
            }
        }
        // Workdays after all periods of the year, so a workday inside a later
        // period is caught too.
        for h in &y.holidays {
            let name = h.name.trim();
            for w in &h.workdays {
                let w = date_of(w, year, name, "workdays")?;
                if !is_weekend(w) {
                    return Err(err(
                        year,
                        name,
                        format!(
                            "make-up workday {w} is a {}; 调休上班 days are Saturdays or Sundays",
                            weekday_zh(w)
                        ),
                    ));
                }
                if !in_window(w) {
                    return Err(err(
                        year,
                        name,
                        format!("make-up workday {w} is outside {year}"),
                    ));
                }
                match published.get(&w) {
                    Some(Special::Off(other)) => {
                        return Err(err(
                            year,
                            name,
                            format!("make-up workday {w} is inside the holiday {other}"),
                        ))
                    }
                    Some(Special::Work(other)) => {
                        return Err(err(
                            year,
                            name,
                            format!("make-up workday {w} is already listed for {other}"),
                        ))
                    }
                    None => {}
                }
                published.insert(w, Special::Work(name.to_string()));
            }
        }
    }

    let (statutory, statutory_basis, weekend_makeup, movable) = match &raw.statutory {
        None => (Vec::new(), String::new(), false, BTreeMap::new()),
        Some(s) => (
            parse_statutory(&s.holidays)?,
            s.basis.clone(),
            s.weekend_makeup,
            parse_movable(&s.movable)?,
        ),
    };

    Ok(Parsed {
        published,
        published_years,
        statutory,
        statutory_basis,
        weekend_makeup,
        movable,
    })
}

fn parse_statutory(list: &[RawFixed]) -> Result<Vec<StatutoryHoliday>, CalendarError> {
    // Errors here have no year: 0 stands for "the statutory table".
    let mut out = Vec::with_capacity(list.len());
    for f in list {
        let name = f.name.trim();
        if name.is_empty() {
            return Err(err(0, "statutory", "a statutory holiday needs a name"));
        }
        let anchor = match f.on.as_str() {
            "spring_festival" => Anchor::Movable(MovableKey::SpringFestival),
            "qingming" => Anchor::Movable(MovableKey::Qingming),
            "dragon_boat" => Anchor::Movable(MovableKey::DragonBoat),
            "mid_autumn" => Anchor::Movable(MovableKey::MidAutumn),
            other => {
                let parsed = other
                    .split_once('-')
                    .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)));
                match parsed {
                    // 2000 is a leap year, so 02-29 is accepted (and skipped in other years).
                    Some((month, day)) if NaiveDate::from_ymd_opt(2000, month, day).is_some() => {
                        Anchor::Fixed { month, day }
                    }
                    _ => {
                        return Err(err(
                            0,
                            name,
                            format!(
                                "on = \"{other}\": use MM-DD or one of spring_festival, qingming, dragon_boat, mid_autumn"
                            ),
                        ))
                    }
                }
            }
        };
        if !(1..=7).contains(&f.days) {
            return Err(err(0, name, format!("days = {}: use 1 to 7", f.days)));
        }
        if !(-7..=7).contains(&f.offset) {
            return Err(err(0, name, format!("offset = {}: use -7 to 7", f.offset)));
        }
        out.push(StatutoryHoliday {
            name: name.to_string(),
            anchor,
            offset: f.offset,
            days: f.days,
        });
    }
    Ok(out)
}

fn parse_movable(list: &[RawMovable]) -> Result<BTreeMap<i32, Movable>, CalendarError> {
    let mut out = BTreeMap::new();
    for m in list {
        let year = m.year;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(err(
                year,
                "movable",
                format!("years {MIN_YEAR}–{MAX_YEAR} only"),
            ));
        }
        // The windows in which each festival can fall (Gregorian, CST).
        let check = |dt: &Datetime, field: &str, from: (u32, u32), to: (u32, u32)| {
            let d = date_of(dt, year, "movable", field)?;
            let lo = NaiveDate::from_ymd_opt(year, from.0, from.1);
            let hi = NaiveDate::from_ymd_opt(year, to.0, to.1);
            if lo.is_some_and(|lo| d >= lo) && hi.is_some_and(|hi| d <= hi) {
                Ok(d)
            } else {
                Err(err(
                    year,
                    "movable",
                    format!(
                        "{field} = {d} cannot be right: it falls between {:02}-{:02} and {:02}-{:02} of {year}",
                        from.0, from.1, to.0, to.1
                    ),
                ))
            }
        };
        let movable = Movable {
            spring_festival: check(&m.spring_festival, "spring_festival", (1, 20), (2, 21))?,
            qingming: check(&m.qingming, "qingming", (4, 3), (4, 6))?,
            dragon_boat: check(&m.dragon_boat, "dragon_boat", (5, 25), (6, 26))?,
            mid_autumn: check(&m.mid_autumn, "mid_autumn", (9, 6), (10, 9))?,
        };
        if out.insert(year, movable).is_some() {
            return Err(err(year, "movable", "the year is listed twice"));
        }
    }
    Ok(out)
}

/// The statutory days off of one year with no published notice: each holiday
/// of the 放假办法, plus (第六条) one 补假 on the next free weekday for every
/// holiday day that falls on a weekend or on another holiday.
pub(super) fn statutory_days(
    year: i32,
    rules: &[StatutoryHoliday],
    movable: &BTreeMap<i32, Movable>,
    weekend_makeup: bool,
) -> BTreeMap<NaiveDate, String> {
    let mut occurrences: Vec<(NaiveDate, &str)> = Vec::new();
    for rule in rules {
        let base = match rule.anchor {
            Anchor::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            Anchor::Movable(key) => movable.get(&year).map(|m| m.get(key)),
        };
        let Some(base) = base else { continue };
        let Some(first) = shift(base, i64::from(rule.offset)) else {
            continue;
        };
        for i in 0..rule.days {
            if let Some(d) = shift(first, i64::from(i)) {
                occurrences.push((d, rule.name.as_str()));
            }
        }
    }
    occurrences.sort();

    let mut off: BTreeMap<NaiveDate, String> = BTreeMap::new();
    let mut owed: Vec<(NaiveDate, &str)> = Vec::new();
    for (d, name) in &occurrences {
        match off.get_mut(d) {
            Some(existing) => {
                if !existing.split('、').any(|n| n == *name) {
                    existing.push('、');
                    existing.push_str(name);
                }
                owed.push((*d, name));
            }
            None => {
                off.insert(*d, (*name).to_string());
                if is_weekend(*d) {
                    owed.push((*d, name));
                }
            }
        }
    }
    if weekend_makeup {
        for (d, name) in owed {
            let mut c = d;
            // At most a few steps: the next weekday not already off.
            for _ in 0..32 {
                let Some(n) = shift(c, 1) else { break };
                c = n;
                if !is_weekend(c) && !off.contains_key(&c) {
                    off.insert(c, format!("{name}（补假）"));
                    break;
                }
            }
        }
    }
    off
}

fn shift(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// Years in a parsed file that have a published notice.
pub(super) fn years(p: &Parsed) -> BTreeSet<i32> {
    p.published_years.keys().copied().collect()
}
