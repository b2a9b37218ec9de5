use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn cal() -> Calendar {
    Calendar::builtin()
}

/// A calendar file with one year, for the error tests.
fn one_year(holidays: &str) -> String {
    format!("format = 1\n[[year]]\nyear = 2026\nholidays = [\n{holidays}\n]\n")
}

fn entry_error(text: &str) -> (i32, String, String) {
    match Calendar::from_toml(text) {
        Err(CalendarError::Entry {
            year,
            entry,
            problem,
        }) => (year, entry, problem),
        other => panic!("expected an entry error, got {other:?}"),
    }
}

#[test]
fn builtin_file_parses_and_covers_2011_through_2026() {
    let parsed = Calendar::from_toml(BUILTIN_TOML);
    assert!(parsed.is_ok(), "{parsed:?}");
    let cal = cal();
    for year in 2011..=2026 {
        assert!(cal.is_published(year), "{year} missing");
    }
    assert!(!cal.is_published(2010));
    assert!(!cal.is_published(2027));
    assert_eq!(cal.last_published_year(), Some(2026));
}

/// One 调休 make-up workday (a worked Saturday or Sunday) per published year,
/// and one holiday weekday beside it.
#[test]
fn make_up_workday_of_every_year_is_a_workday_and_its_holiday_is_not() {
    let cal = cal();
    let cases = [
        // (make-up workday, a weekday off in the same notice)
        (d(2011, 1, 30), d(2011, 2, 2)), // 春节: Sun 1-30 worked; Wed 2-2 off
        (d(2011, 12, 31), d(2012, 1, 3)), // 元旦 2012: Sat 2011-12-31 worked
        (d(2013, 1, 5), d(2013, 1, 2)),  // 元旦: Sat 1-5 worked
        (d(2014, 1, 26), d(2014, 2, 6)), // 春节: Sun 1-26 worked; Thu 2-6 off
        (d(2015, 9, 6), d(2015, 9, 4)),  // 抗战胜利70周年: Sun 9-6 worked, Fri 9-4 off
        (d(2016, 6, 12), d(2016, 6, 10)), // 端午: Sun 6-12 worked
        (d(2017, 9, 30), d(2017, 10, 6)), // 中秋国庆: Sat 9-30 worked
        (d(2018, 4, 8), d(2018, 4, 6)),  // 清明: Sun 4-8 worked
        (d(2018, 12, 29), d(2018, 12, 31)), // 元旦 2019: Sat 2018-12-29 worked, Mon 12-31 off
        (d(2019, 5, 5), d(2019, 5, 3)),  // 劳动节 (amended): Sun 5-5 worked
        (d(2020, 1, 19), d(2020, 1, 31)), // 春节 (extended to 2-2): Sun 1-19 worked
        (d(2021, 9, 18), d(2021, 9, 20)), // 中秋: Sat 9-18 worked
        (d(2022, 4, 2), d(2022, 4, 4)),  // 清明: Sat 4-2 worked
        (d(2023, 6, 25), d(2023, 6, 23)), // 端午: Sun 6-25 worked
        (d(2024, 2, 18), d(2024, 2, 16)), // 春节: Sun 2-18 worked
        (d(2025, 10, 11), d(2025, 10, 8)), // 国庆中秋: Sat 10-11 worked, Wed 10-8 off
        (d(2026, 1, 4), d(2026, 1, 2)),  // 元旦: Sun 1-4 worked
        (d(2026, 2, 14), d(2026, 2, 23)), // 春节: Sat 2-14 worked, Mon 2-23 off
        (d(2026, 2, 28), d(2026, 2, 20)), // 春节: Sat 2-28 worked
        (d(2026, 5, 9), d(2026, 5, 5)),  // 劳动节: Sat 5-9 worked
        (d(2026, 9, 20), d(2026, 10, 7)), // 国庆: Sun 9-20 worked
        (d(2026, 10, 10), d(2026, 10, 1)), // 国庆: Sat 10-10 worked
    ];
    for (worked, off) in cases {
        assert!(
            cal.is_workday(worked),
            "{worked} should be a make-up workday"
        );
        assert!(
            matches!(cal.day_kind(worked), DayKind::MakeUpWorkday { .. }),
            "{worked}: {:?}",
            cal.day_kind(worked)
        );
        assert!(!cal.is_workday(off), "{off} should be a holiday");
        assert!(
            matches!(cal.day_kind(off), DayKind::Holiday { .. }),
            "{off}"
        );
    }
    // Every published year has at least one make-up workday in its notice.
    for year in 2011..=2026 {
        let any = cal
            .special_days(year)
            .iter()
            .any(|(_, k)| matches!(k, DayKind::MakeUpWorkday { .. }))
            // 2012's 元旦 make-up day lies in 2011; 2014 had 4 in the year.
            || year == 2012;
        assert!(any, "{year} has no make-up workday");
    }
}

#[test]
fn ordinary_days_are_workdays_or_weekends() {
    let cal = cal();
    assert_eq!(cal.day_kind(d(2026, 3, 10)), DayKind::Workday); // Tue
    assert_eq!(cal.day_kind(d(2026, 3, 14)), DayKind::Weekend); // Sat
    assert_eq!(
        cal.day_kind(d(2026, 10, 3)),
        DayKind::Holiday {
            name: "国庆节".into()
        }
    );
    assert_eq!(
        cal.day_kind(d(2026, 10, 10)),
        DayKind::MakeUpWorkday {
            name: "国庆节".into()
        }
    );
    // 2020's 春节 extension: Sat 2-1 was no longer worked.
    assert!(!cal.is_workday(d(2020, 2, 1)));
    assert!(cal.is_workday(d(2020, 2, 3)));
}

#[test]
fn unpublished_year_uses_statutory_holidays_and_weekend_makeup() {
    let cal = cal();
    // 2027: 元旦 Fri 1-1.
    assert!(!cal.is_workday(d(2027, 1, 1)));
    // 春节 2027: 正月初一 = Sat 2-6, so 除夕 Fri 2-5 .. 初三 Mon 2-8 are off, and
    // the two holiday days on the weekend are made up on Tue 2-9 and Wed 2-10.
    for day in 5..=10 {
        assert!(!cal.is_workday(d(2027, 2, day)), "2027-02-{day}");
    }
    assert!(cal.is_workday(d(2027, 2, 11)));
    // 清明 Mon 4-5, 劳动节 Sat 5-1 + Sun 5-2 → made up Mon 5-3, Tue 5-4.
    assert!(!cal.is_workday(d(2027, 4, 5)));
    assert!(!cal.is_workday(d(2027, 5, 3)));
    assert!(!cal.is_workday(d(2027, 5, 4)));
    assert!(cal.is_workday(d(2027, 5, 5)));
    // 端午 Wed 6-9, 中秋 Wed 9-15, 国庆 Fri 10-1 .. Sun 10-3 → +Mon 10-4, Tue 10-5.
    assert!(!cal.is_workday(d(2027, 6, 9)));
    assert!(!cal.is_workday(d(2027, 9, 15)));
    assert!(!cal.is_workday(d(2027, 10, 5)));
    assert!(cal.is_workday(d(2027, 10, 6)));
    // A year past the movable table still knows its fixed holidays.
    assert!(!cal.is_workday(d(2070, 10, 1)));
    assert!(!cal.is_settled(d(2027, 3, 1)));
    assert!(cal.is_settled(d(2026, 12, 31)));
}

#[test]
fn mid_autumn_on_national_day_gets_one_extra_day_in_a_provisional_year() {
    // 2031: 中秋 = 10-01 (Wed), the same day as 国庆. 10-01..03 off, and the
    // double-booked day is made up on the next free weekday, Mon 10-06.
    let cal = cal();
    assert!(!cal.is_workday(d(2031, 10, 3)));
    assert!(!cal.is_workday(d(2031, 10, 6)));
    assert!(cal.is_workday(d(2031, 10, 7)));
}

#[test]
fn add_workdays_does_not_count_the_start_day_and_zero_returns_start() {
    let cal = cal();
    // Fri 2026-03-06 + 1 working day = Mon 03-09.
    assert_eq!(cal.add_workdays(d(2026, 3, 6), 1).date, d(2026, 3, 9));
    assert_eq!(cal.add_workdays(d(2026, 3, 7), 0).date, d(2026, 3, 7));
}

#[test]
fn add_workdays_skips_national_day_and_counts_make_up_saturday() {
    let cal = cal();
    // Wed 2026-09-30: 10-01..07 off; Thu 10-08 wd1, Fri 10-09 wd2, Sat 10-10 wd3 (调休).
    let c = cal.add_workdays(d(2026, 9, 30), 3);
    assert_eq!(
        c,
        Counted {
            date: d(2026, 10, 10),
            provisional: false
        }
    );
}

#[test]
fn add_workdays_into_an_unpublished_year_is_provisional() {
    let cal = cal();
    // Thu 2026-12-31: Fri 2027-01-01 元旦 (statutory), Mon 01-04 wd1.
    let c = cal.add_workdays(d(2026, 12, 31), 1);
    assert_eq!(
        c,
        Counted {
            date: d(2027, 1, 4),
            provisional: true
        }
    );
}

#[test]
fn calendar_days_ending_in_spring_festival_roll_forward_to_the_make_up_saturday() {
    let cal = cal();
    // 2026-02-08 + 15 = Mon 02-23, last day of 春节 → next working day Tue 02-24.
    assert_eq!(
        cal.add_calendar_days(d(2026, 2, 8), 15).date,
        d(2026, 2, 24)
    );
    // 2026-02-13 + 15 = Sat 02-28, a make-up workday: the period ends on it.
    assert_eq!(
        cal.add_calendar_days(d(2026, 2, 13), 15).date,
        d(2026, 2, 28)
    );
    // Ordinary Sunday 2026-03-15 → Mon 03-16.
    assert_eq!(
        cal.add_calendar_days(d(2026, 3, 1), 14).date,
        d(2026, 3, 16)
    );
}

#[test]
fn workdays_between_counts_after_a_up_to_b() {
    let cal = cal();
    // (Wed 9-30, Sat 10-10]: 10-08, 10-09, 10-10 → 3.
    assert_eq!(cal.workdays_between(d(2026, 9, 30), d(2026, 10, 10)), 3);
    assert_eq!(cal.workdays_between(d(2026, 10, 10), d(2026, 9, 30)), -3);
    assert_eq!(cal.workdays_between(d(2026, 3, 9), d(2026, 3, 9)), 0);
}

#[test]
fn extreme_dates_never_panic_and_saturate() {
    let cal = cal();
    for start in [
        NaiveDate::MIN,
        d(1, 1, 1),
        d(1899, 12, 31),
        d(2200, 12, 30),
        NaiveDate::MAX,
    ] {
        let _ = cal.day_kind(start);
        let a = cal.add_workdays(start, u32::MAX);
        assert!(a.provisional);
        let b = cal.add_calendar_days(start, u32::MAX);
        assert!(b.provisional);
        let _ = cal.add_workdays(start, 10);
        let _ = cal.add_calendar_days(start, 10);
        let _ = cal.workdays_between(start, d(2026, 1, 1));
        let _ = cal.workdays_between(NaiveDate::MIN, NaiveDate::MAX);
        let _ = cal.roll_forward(start);
    }
    assert_eq!(cal.add_workdays(d(2200, 12, 30), 100).date, d(2200, 12, 31));
}

#[test]
fn a_weekday_listed_as_make_up_workday_is_rejected_naming_year_and_entry() {
    let text = one_year(
        r#"{ name = "国庆节", from = 2026-10-01, to = 2026-10-07, workdays = [2026-10-09] },"#,
    );
    let (year, entry, problem) = entry_error(&text);
    assert_eq!((year, entry.as_str()), (2026, "国庆节"));
    assert!(
        problem.contains("2026-10-09") && problem.contains("星期五"),
        "{problem}"
    );
}

#[test]
fn overlapping_periods_are_rejected() {
    let text = one_year(
        r#"{ name = "中秋节", from = 2026-09-25, to = 2026-10-02 },
           { name = "国庆节", from = 2026-10-01, to = 2026-10-07 },"#,
    );
    let (year, entry, problem) = entry_error(&text);
    assert_eq!((year, entry.as_str()), (2026, "国庆节"));
    assert!(
        problem.contains("overlap") && problem.contains("中秋节"),
        "{problem}"
    );
}

#[test]
fn make_up_workday_inside_a_holiday_is_rejected() {
    let text = one_year(
        r#"{ name = "国庆节", from = 2026-10-01, to = 2026-10-07, workdays = [2026-10-03] },"#,
    );
    let (_, entry, problem) = entry_error(&text);
    assert_eq!(entry, "国庆节");
    assert!(problem.contains("inside"), "{problem}");
}

#[test]
fn bad_dates_are_rejected() {
    // Ends before it starts.
    let (_, entry, _) = entry_error(&one_year(
        r#"{ name = "端午节", from = 2026-06-21, to = 2026-06-19 },"#,
    ));
    assert_eq!(entry, "端午节");
    // Outside the notice's year.
    let (year, _, problem) = entry_error(&one_year(
        r#"{ name = "端午节", from = 2025-06-19, to = 2025-06-21 },"#,
    ));
    assert_eq!(year, 2026);
    assert!(problem.contains("outside"), "{problem}");
    // A date-time instead of a date.
    let (_, _, problem) = entry_error(&one_year(
        r#"{ name = "端午节", from = 2026-06-19T08:00:00, to = 2026-06-21 },"#,
    ));
    assert!(problem.contains("plain date"), "{problem}");
    // Not a date at all: TOML itself rejects it.
    assert!(matches!(
        Calendar::from_toml(&one_year(
            r#"{ name = "端午节", from = 2026-02-30, to = 2026-06-21 },"#
        )),
        Err(CalendarError::Syntax(_)) | Err(CalendarError::Entry { .. })
    ));
    // A string where a date belongs.
    assert!(matches!(
        Calendar::from_toml(&one_year(
            r#"{ name = "端午节", from = "2026-06-19", to = 2026-06-21 },"#
        )),
        Err(CalendarError::Syntax(_))
    ));
}

#[test]
fn duplicate_years_unknown_keys_and_formats_are_rejected() {
    let twice = "[[year]]\nyear = 2026\n[[year]]\nyear = 2026\n";
    assert_eq!(entry_error(twice).0, 2026);
    assert!(matches!(
        Calendar::from_toml("[[year]]\nyear = 2026\nholiday = []\n"),
        Err(CalendarError::Syntax(_))
    ));
    assert_eq!(
        Calendar::from_toml("format = 2\n"),
        Err(CalendarError::Format { found: 2 })
    );
    assert!(matches!(
        Calendar::from_toml("[[year"),
        Err(CalendarError::Syntax(_))
    ));
}

#[test]
fn implausible_movable_festival_dates_are_rejected() {
    let text = "[statutory]\nmovable = [ { year = 2027, spring_festival = 2027-03-06, qingming = 2027-04-05, dragon_boat = 2027-06-09, mid_autumn = 2027-09-15 } ]\n";
    let (year, entry, problem) = entry_error(text);
    assert_eq!((year, entry.as_str()), (2027, "movable"));
    assert!(problem.contains("spring_festival"), "{problem}");
    let bad_on = "[statutory]\nholidays = [ { name = \"元旦\", on = \"13-01\", days = 1 } ]\n";
    assert_eq!(entry_error(bad_on).1, "元旦");
}

#[test]
fn an_updated_file_replaces_the_builtin_one_at_run_time() {
    // The bureau distributes 2027's notice: 元旦 2027-01-01..03, Sun 01-04 … say
    // Sat 2026-12-26 is worked. No new build: parse the file and use it.
    let mut text = BUILTIN_TOML.to_string();
    let insert = "\n[[year]]\nyear = 2027\nnotice = \"test\"\nholidays = [\n  { name = \"元旦\", from = 2027-01-01, to = 2027-01-03, workdays = [2026-12-26] },\n]\n";
    let at = text
        .find("\n[statutory]\n")
        .expect("statutory table in builtin file");
    text.insert_str(at, insert);
    let cal = Calendar::from_toml(&text).expect("updated file parses");
    assert!(cal.is_published(2027));
    assert_eq!(cal.last_published_year(), Some(2027));
    assert!(cal.is_workday(d(2026, 12, 26)));
    let c = cal.add_workdays(d(2026, 12, 31), 1);
    assert_eq!(
        c,
        Counted {
            date: d(2027, 1, 4),
            provisional: false
        }
    );
}

#[test]
fn empty_file_is_a_weekend_only_calendar() {
    let cal = Calendar::from_toml("").expect("empty file is valid");
    assert_eq!(cal.last_published_year(), None);
    assert!(cal.is_workday(d(2026, 10, 1)));
    assert!(cal.add_workdays(d(2026, 9, 30), 1).provisional);
}
