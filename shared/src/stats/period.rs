//! Reporting periods (月、季、半年、年、累计) and the periods they are compared
//! with: the same period last year (同比) and the one before it (环比).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A period a bulletin reports on. Dates are local dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    /// One month: `2026-06`.
    Month { year: i32, month: u32 },
    /// One quarter: `2026-Q2`.
    Quarter { year: i32, quarter: u32 },
    /// A half year: `2026-H1`.
    Half { year: i32, half: u32 },
    /// A calendar year: `2026`.
    Year { year: i32 },
    /// January to the end of `month` (累计): `2026-06-ytd`.
    YearToDate { year: i32, month: u32 },
}

/// The text was not a period this module knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a period; use 2026-06 (month), 2026-Q2 (quarter), 2026-H1 (half year), 2026 (year) or 2026-06-ytd (year to date)")]
pub struct PeriodError(pub String);

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Every caller passes a validated month and a day that exists in it.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    ymd(ny, nm, 1).pred_opt().unwrap_or(NaiveDate::MIN)
}

/// `months` months before (negative: after) the first of `year-month`.
pub fn shift_month(year: i32, month: u32, back: i32) -> (i32, u32) {
    let idx = year * 12 + month as i32 - 1 - back;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

impl Period {
    /// Parses `2026-06`, `2026-Q2`, `2026-H1`, `2026` or `2026-06-ytd`.
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let err = || PeriodError(s.to_string());
        let t = s.trim();
        let year_of = |y: &str| -> Result<i32, PeriodError> {
            let y: i32 = y.parse().map_err(|_| err())?;
            if (1990..=2200).contains(&y) {
                Ok(y)
            } else {
                Err(err())
            }
        };
        let parts: Vec<&str> = t.split('-').collect();
        let p = match parts.as_slice() {
            [y] => Period::Year { year: year_of(y)? },
            [y, q] if q.starts_with(['Q', 'q']) => Period::Quarter {
                year: year_of(y)?,
                quarter: q[1..].parse().map_err(|_| err())?,
            },
            [y, h] if h.starts_with(['H', 'h']) => Period::Half {
                year: year_of(y)?,
                half: h[1..].parse().map_err(|_| err())?,
            },
            [y, m] => Period::Month {
                year: year_of(y)?,
                month: m.parse().map_err(|_| err())?,
            },
            [y, m, ytd] if ytd.eq_ignore_ascii_case("ytd") => Period::YearToDate {
                year: year_of(y)?,
                month: m.parse().map_err(|_| err())?,
            },
            _ => return Err(err()),
        };
        let ok = match p {
            Period::Month { month, .. } | Period::YearToDate { month, .. } => {
                (1..=12).contains(&month)
            }
            Period::Quarter { quarter, .. } => (1..=4).contains(&quarter),
            Period::Half { half, .. } => (1..=2).contains(&half),
            Period::Year { .. } => true,
        };
        if ok {
            Ok(p)
        } else {
            Err(err())
        }
    }

    pub fn year(&self) -> i32 {
        match *self {
            Period::Month { year, .. }
            | Period::Quarter { year, .. }
            | Period::Half { year, .. }
            | Period::Year { year }
            | Period::YearToDate { year, .. } => year,
        }
    }

    /// First and last month (inclusive) within the year.
    fn months(&self) -> (u32, u32) {
        match *self {
            Period::Month { month, .. } => (month, month),
            Period::Quarter { quarter, .. } => (quarter * 3 - 2, quarter * 3),
            Period::Half { half, .. } => (half * 6 - 5, half * 6),
            Period::Year { .. } => (1, 12),
            Period::YearToDate { month, .. } => (1, month),
        }
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        ymd(self.year(), self.months().0, 1)
    }

    /// The last day (included).
    pub fn end(&self) -> NaiveDate {
        month_end(self.year(), self.months().1)
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start() <= d && d <= self.end()
    }

    /// The same period a year earlier (同比).
    pub fn same_last_year(&self) -> Period {
        let mut p = *self;
        match &mut p {
            Period::Month { year, .. }
            | Period::Quarter { year, .. }
            | Period::Half { year, .. }
            | Period::Year { year }
            | Period::YearToDate { year, .. } => *year -= 1,
        }
        p
    }

    /// The period just before (环比). None for year to date, which has no
    /// neighbour of the same length.
    pub fn previous(&self) -> Option<Period> {
        Some(match *self {
            Period::Month { year, month } => {
                let (year, month) = shift_month(year, month, 1);
                Period::Month { year, month }
            }
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Half { year, half: 1 } => Period::Half {
                year: year - 1,
                half: 2,
            },
            Period::Half { year, .. } => Period::Half { year, half: 1 },
            Period::Year { year } => Period::Year { year: year - 1 },
            Period::YearToDate { .. } => return None,
        })
    }

    /// The period as typed on the command line.
    pub fn code(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("{year}-{month:02}"),
            Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Period::Half { year, half } => format!("{year}-H{half}"),
            Period::Year { year } => format!("{year}"),
            Period::YearToDate { year, month } => format!("{year}-{month:02}-ytd"),
        }
    }

    /// The period in Chinese, as the bulletins write it.
    pub fn label(&self) -> String {
        const Q: [&str; 4] = ["一", "二", "三", "四"];
        match *self {
            Period::Month { year, month } => format!("{year}年{month}月"),
            Period::Quarter { year, quarter } => {
                format!("{year}年第{}季度", Q[(quarter as usize - 1).min(3)])
            }
            Period::Half { year, half } => {
                format!("{year}年{}半年", if half == 1 { "上" } else { "下" })
            }
            Period::Year { year } => format!("{year}年"),
            Period::YearToDate { year, month: 1 } => format!("{year}年1月"),
            Period::YearToDate { year, month } => format!("{year}年1—{month}月"),
        }
    }

    /// The period of the month containing `d`.
    pub fn month_of(d: NaiveDate) -> Period {
        Period::Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// The twelve months ending with this period's last month, oldest first
    /// (the trend chart).
    pub fn trend_months(&self) -> Vec<Period> {
        let end = self.end();
        (0..12)
            .rev()
            .map(|back| {
                let (year, month) = shift_month(end.year(), end.month(), back);
                Period::Month { year, month }
            })
            .collect()
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

impl std::str::FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_parse_and_span_their_days() {
        let m = Period::parse("2026-02").unwrap();
        assert_eq!((m.start(), m.end()), (d("2026-02-01"), d("2026-02-28")));
        let q = Period::parse("2026-Q4").unwrap();
        assert_eq!((q.start(), q.end()), (d("2026-10-01"), d("2026-12-31")));
        let h = Period::parse("2026-H1").unwrap();
        assert_eq!((h.start(), h.end()), (d("2026-01-01"), d("2026-06-30")));
        let y = Period::parse("2026-06-ytd").unwrap();
        assert_eq!((y.start(), y.end()), (d("2026-01-01"), d("2026-06-30")));
        assert_eq!(y.label(), "2026年1—6月");
        for bad in ["2026-13", "2026-Q5", "26", "2026-06-xx", "", "2026-H3"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn comparisons_go_back_a_year_and_one_period() {
        let jan = Period::parse("2026-01").unwrap();
        assert_eq!(jan.previous().unwrap().code(), "2025-12");
        assert_eq!(jan.same_last_year().code(), "2025-01");
        assert_eq!(
            Period::parse("2026-Q1").unwrap().previous().unwrap().code(),
            "2025-Q4"
        );
        assert_eq!(
            Period::parse("2026-H2").unwrap().previous().unwrap().code(),
            "2026-H1"
        );
        assert!(Period::parse("2026-03-ytd").unwrap().previous().is_none());
        let t = Period::parse("2026-06").unwrap().trend_months();
        assert_eq!(t.first().unwrap().code(), "2025-07");
        assert_eq!(t.last().unwrap().code(), "2026-06");
    }
}
