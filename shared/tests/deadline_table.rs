//! Deadline table: for every legal time limit, due dates across 春节, 国庆,
//! 调休 weekends and the end of the published calendar, each worked out by hand
//! in the comment beside it ("wdN" = the Nth working day counted, "dN" = the
//! Nth calendar day; the start day is never counted).
//!
//! Calendar facts used (国务院办公厅 notices):
//! - 2025: 春节 01-28..02-04 off, Sun 01-26 and Sat 02-08 worked;
//!   国庆·中秋 10-01..10-08 off, Sun 09-28 and Sat 10-11 worked.
//! - 2026: 元旦 01-01..03 off, Sun 01-04 worked; 春节 02-15..02-23 off, Sat 02-14
//!   and Sat 02-28 worked; 劳动节 05-01..05 off, Sat 05-09 worked; 中秋 09-25..27
//!   off; 国庆 10-01..07 off, Sun 09-20 and Sat 10-10 worked.
//! - 2027 has no published notice: weekends plus the statutory holidays only
//!   (元旦 Fri 01-01; 春节 除夕 02-05..初三 02-08 plus 补假 02-09, 02-10), and
//!   every such result is provisional.

use chrono::NaiveDate;
use hongdun_core::calendar::Calendar;
use hongdun_core::deadline::compute::due;
use hongdun_core::deadline::rules::Limits;
use hongdun_core::deadline::{Clock, Extension, Pause, RuleId};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// 株洲's local rule: 投诉 acceptance compressed from 7 to 5 working days.
const ZHUZHOU: &str = r#"
[override."complaint.accept"]
days = 5
unit = "working"
note = "株洲: 投诉7个工作日压缩为5"
"#;

struct Row {
    clock: Clock,
    expected: NaiveDate,
    provisional: bool,
    overrides: Option<&'static str>,
    line: u32,
}

#[track_caller]
fn row(rule: &str, start: &str, expected: &str, provisional: bool) -> Row {
    Row {
        clock: Clock {
            rule: rule.parse().expect("rule id"),
            start: date(start),
            pauses: Vec::new(),
            extensions: Vec::new(),
            met_on: None,
        },
        expected: date(expected),
        provisional,
        overrides: None,
        line: std::panic::Location::caller().line(),
    }
}

impl Row {
    fn ext(mut self, days: Option<u32>, approver: &str, on: &str) -> Row {
        self.clock.extensions.push(Extension {
            days,
            approver: approver.into(),
            approved_on: date(on),
        });
        self
    }
    fn pause(mut self, from: &str, to: &str, reason: &str) -> Row {
        self.clock.pauses.push(Pause {
            from: date(from),
            to: Some(date(to)),
            reason: reason.into(),
        });
        self
    }
    fn local(mut self, overrides: &'static str) -> Row {
        self.overrides = Some(overrides);
        self
    }
}

fn table() -> Vec<Row> {
    vec![
        // ---- case.verify: 15 working days (+15) — 程序规定 Art 18 ----
        // received Fri 2025-09-26; wd1 Sun 09-28 (调休上班), wd2 Mon 09-29, wd3 Tue 09-30;
        // 10-01..08 国庆·中秋 not counted; wd4 Thu 10-09, wd5 Fri 10-10, wd6 Sat 10-11 (调休),
        // wd7-11 Mon 10-13..Fri 10-17, wd12-15 Mon 10-20..Thu 10-23.
        row("case.verify", "2025-09-26", "2025-10-23", false),
        // received Wed 2026-09-30, the day before 国庆; 10-01..07 off; wd1 Thu 10-08,
        // wd2 Fri 10-09, wd3 Sat 10-10 (调休), wd4-8 Mon 10-12..Fri 10-16,
        // wd9-13 10-19..10-23, wd14 Mon 10-26, wd15 Tue 10-27.
        row("case.verify", "2026-09-30", "2026-10-27", false),
        // as the first row, extended by the standard 15 working days (批准人 张三):
        // wd16 Fri 10-24, wd17-21 10-27..10-31, wd22-26 11-03..11-07, wd27-30 11-10..Thu 11-13.
        row("case.verify", "2025-09-26", "2025-11-13", false).ext(None, "张三", "2025-10-20"),
        // received Mon 2026-03-02; wd1 Tue 03-03; 鉴定 03-04..03-13 not counted;
        // wd2-6 Mon 03-16..Fri 03-20, wd7-11 03-23..03-27, wd12-15 Mon 03-30..Thu 04-02.
        row("case.verify", "2026-03-02", "2026-04-02", false).pause(
            "2026-03-04",
            "2026-03-13",
            "鉴定",
        ),
        // ---- case.review: 10 working days ----
        // received Fri 2026-02-13; wd1 Sat 02-14 (调休); 02-15..23 春节 off; wd2-5 Tue 02-24..Fri 02-27,
        // wd6 Sat 02-28 (调休), wd7-10 Mon 03-02..Thu 03-05.
        row("case.review", "2026-02-13", "2026-03-05", false),
        // received Thu 2026-04-30; 05-01..05 劳动节 off; wd1-3 Wed 05-06..Fri 05-08,
        // wd4 Sat 05-09 (调休), wd5-9 Mon 05-11..Fri 05-15, wd10 Mon 05-18.
        row("case.review", "2026-04-30", "2026-05-18", false),
        // first review row extended by 5 working days (批准人 李四): wd11 Fri 03-06,
        // wd12-15 Mon 03-09..Thu 03-12.
        row("case.review", "2026-02-13", "2026-03-12", false).ext(Some(5), "李四", "2026-03-04"),
        // ---- case.hearing_request: 5 working days (行政处罚法 Art 64 + Art 85) ----
        // notice served Fri 2025-09-26; wd1 Sun 09-28 (调休), wd2 Mon 09-29, wd3 Tue 09-30;
        // 10-01..08 off; wd4 Thu 10-09, wd5 Fri 10-10.
        row("case.hearing_request", "2025-09-26", "2025-10-10", false),
        // served Thu 2026-12-31; Fri 2027-01-01 元旦 (statutory), weekend 01-02/03;
        // wd1-5 Mon 2027-01-04..Fri 01-08 — 2027 unpublished, so provisional.
        row("case.hearing_request", "2026-12-31", "2027-01-08", true),
        // served Fri 2026-02-13; wd1 Sat 02-14 (调休), 春节 02-15..23 off, wd2-5 Tue 02-24..Fri 02-27.
        row("case.hearing_request", "2026-02-13", "2026-02-27", false),
        // ---- case.decide: 90 days (+30) — 行政处罚法 Art 60 ----
        // filed 2025-11-20; d10 11-30, d41 12-31, d72 2026-01-31, d90 Wed 2026-02-18 —
        // inside 春节 (02-15..23) → next working day Tue 02-24.
        row("case.decide", "2025-11-20", "2026-02-24", false),
        // filed 2026-07-03; d28 07-31, d59 08-31, d89 09-30, d90 Thu 10-01 国庆 → Thu 10-08.
        row("case.decide", "2026-07-03", "2026-10-08", false),
        // same, extended by the standard 30 days (批准人 王五): d120 Sat 10-31 (ordinary
        // weekend) → Mon 11-02.
        row("case.decide", "2026-07-03", "2026-11-02", false).ext(None, "王五", "2026-09-20"),
        // same, 听证 08-10..08-19 (10 days) not counted: d90 falls 10 days later, Sun 10-11
        // (Sat 10-10 is worked but 10-11 is not) → Mon 10-12.
        row("case.decide", "2026-07-03", "2026-10-12", false).pause(
            "2026-08-10",
            "2026-08-19",
            "听证",
        ),
        // filed 2026-10-20; d11 10-31, d41 11-30, d72 12-31, d90 Mon 2027-01-18 — in 2027,
        // provisional.
        row("case.decide", "2026-10-20", "2027-01-18", true),
        // ---- case.serve: 7 working days (行政处罚法 Art 61 + Art 85) ----
        // decided Wed 2026-09-30; 10-01..07 off; wd1 Thu 10-08, wd2 Fri 10-09, wd3 Sat 10-10 (调休),
        // wd4-7 Mon 10-12..Thu 10-15.
        row("case.serve", "2026-09-30", "2026-10-15", false),
        // decided Fri 2025-01-24; wd1 Sun 01-26 (调休), wd2 Mon 01-27; 春节 01-28..02-04 off;
        // wd3-5 Wed 02-05..Fri 02-07, wd6 Sat 02-08 (调休), wd7 Mon 02-10.
        row("case.serve", "2025-01-24", "2025-02-10", false),
        // ---- case.publish: 20 working days (公示规定 Art 9) ----
        // decided Fri 2026-09-18; wd1 Sun 09-20 (调休), wd2-5 Mon 09-21..Thu 09-24; 中秋 09-25..27
        // off; wd6-8 Mon 09-28..Wed 09-30; 国庆 10-01..07 off; wd9 Thu 10-08, wd10 Fri 10-09,
        // wd11 Sat 10-10 (调休), wd12-16 10-12..10-16, wd17-20 Mon 10-19..Thu 10-22.
        row("case.publish", "2026-09-18", "2026-10-22", false),
        // decided Mon 2026-12-14; wd1-4 12-15..Fri 12-18, wd5-9 12-21..12-25, wd10-13 Mon 12-28..
        // Thu 12-31; Fri 2027-01-01 元旦; wd14-18 01-04..01-08, wd19 Mon 01-11, wd20 Tue 01-12.
        row("case.publish", "2026-12-14", "2027-01-12", true),
        // ---- case.pay: 15 days (行政处罚法 Art 67) ----
        // served Sun 2026-02-08; d15 Mon 02-23, last day of 春节 → Tue 02-24.
        row("case.pay", "2026-02-08", "2026-02-24", false),
        // served Fri 2026-02-13; d15 Sat 02-28 — a 调休 make-up workday, so the period ends on it.
        row("case.pay", "2026-02-13", "2026-02-28", false),
        // served Wed 2026-09-16; d15 Thu 10-01 国庆 → Thu 10-08.
        row("case.pay", "2026-09-16", "2026-10-08", false),
        // ---- complaint.accept: 7 working days (投诉举报暂行办法 Art 14) ----
        // received Fri 2026-09-18; wd1 Sun 09-20 (调休), wd2-5 Mon 09-21..Thu 09-24; 中秋 09-25..27
        // off; wd6 Mon 09-28, wd7 Tue 09-29.
        row("complaint.accept", "2026-09-18", "2026-09-29", false),
        // received Tue 2025-09-30; 10-01..08 off; wd1 Thu 10-09, wd2 Fri 10-10, wd3 Sat 10-11 (调休),
        // wd4-7 Mon 10-13..Thu 10-16.
        row("complaint.accept", "2025-09-30", "2025-10-16", false),
        // 株洲 local rule, 5 working days: received Fri 2026-09-18; wd1 Sun 09-20, wd2-5 09-21..Thu 09-24.
        row("complaint.accept", "2026-09-18", "2026-09-24", false).local(ZHUZHOU),
        // 株洲, received Tue 2025-09-30: wd1 10-09, wd2 10-10, wd3 Sat 10-11, wd4 Mon 10-13, wd5 Tue 10-14.
        row("complaint.accept", "2025-09-30", "2025-10-14", false).local(ZHUZHOU),
        // received Thu 2027-02-04 (no published notice): 春节 除夕 Fri 02-05..初三 Mon 02-08 and 补假
        // Tue 02-09, Wed 02-10 off; wd1 Thu 02-11, wd2 Fri 02-12, wd3-7 Mon 02-15..Fri 02-19.
        row("complaint.accept", "2027-02-04", "2027-02-19", true),
        // ---- complaint.mediate: 45 working days (Art 21) ----
        // accepted Mon 2026-09-14; wd1-4 09-15..Fri 09-18, wd5 Sun 09-20 (调休), wd6-9 09-21..09-24;
        // 中秋 off; wd10-12 09-28..09-30; 国庆 off; wd13 10-08, wd14 10-09, wd15 Sat 10-10 (调休);
        // wd16-20 10-12..16, wd21-25 10-19..23, wd26-30 10-26..30, wd31-35 11-02..06,
        // wd36-40 11-09..13, wd41-45 Mon 11-16..Fri 11-20.
        row("complaint.mediate", "2026-09-14", "2026-11-20", false),
        // accepted Mon 2026-11-02; wd1-4 11-03..06, then five a week: wd9 11-13, wd14 11-20,
        // wd19 11-27, wd24 12-04, wd29 12-11, wd34 12-18, wd39 12-25, wd40-43 12-28..Thu 12-31;
        // 2027-01-01 元旦; wd44 Mon 01-04, wd45 Tue 01-05 — provisional.
        row("complaint.mediate", "2026-11-02", "2027-01-05", true),
        // accepted Mon 2026-09-14 with 检测 09-21..09-30 not counted (Art 20): wd1-4 09-15..18,
        // wd5 Sun 09-20 (调休); paused to 09-30; 国庆 off; wd6 10-08, wd7 10-09, wd8 Sat 10-10;
        // wd9-13 10-12..16, wd18 10-23, wd23 10-30, wd28 11-06, wd33 11-13, wd38 11-20,
        // wd43 11-27, wd44 Mon 11-30, wd45 Tue 12-01.
        row("complaint.mediate", "2026-09-14", "2026-12-01", false).pause(
            "2026-09-21",
            "2026-09-30",
            "检测",
        ),
        // ---- complaint.notify_outcome: 7 working days (Art 21) ----
        // terminated Fri 2026-02-13; wd1 Sat 02-14 (调休); 春节 off; wd2-5 Tue 02-24..Fri 02-27,
        // wd6 Sat 02-28 (调休), wd7 Mon 03-02.
        row(
            "complaint.notify_outcome",
            "2026-02-13",
            "2026-03-02",
            false,
        ),
        // terminated Thu 2026-04-30; 劳动节 05-01..05 off; wd1-3 Wed 05-06..Fri 05-08,
        // wd4 Sat 05-09 (调休), wd5-7 Mon 05-11..Wed 05-13.
        row(
            "complaint.notify_outcome",
            "2026-04-30",
            "2026-05-13",
            false,
        ),
        // ---- report.verify: 15 working days (+15) (Art 31 → 程序规定 Art 18) ----
        // received Fri 2026-02-13; wd1 Sat 02-14; wd2-5 02-24..02-27, wd6 Sat 02-28,
        // wd7-11 Mon 03-02..Fri 03-06, wd12-15 Mon 03-09..Thu 03-12.
        row("report.verify", "2026-02-13", "2026-03-12", false),
        // same, +15 working days approved (批准人 赵六): wd16 Fri 03-13, wd17-21 03-16..20,
        // wd22-26 03-23..27, wd27-30 Mon 03-30..Thu 04-02.
        row("report.verify", "2026-02-13", "2026-04-02", false).ext(Some(15), "赵六", "2026-03-10"),
        // received Fri 2025-09-26; same count as case.verify: Thu 2025-10-23.
        row("report.verify", "2025-09-26", "2025-10-23", false),
        // ---- report.notify_reporter: 5 working days (Art 31) ----
        // decided Thu 2026-04-30; wd1-3 Wed 05-06..Fri 05-08, wd4 Sat 05-09 (调休), wd5 Mon 05-11.
        row("report.notify_reporter", "2026-04-30", "2026-05-11", false),
        // decided Thu 2025-12-25; wd1 Fri 12-26, wd2-4 Mon 12-29..Wed 12-31; 元旦 2026-01-01..03
        // off; wd5 Sun 2026-01-04 (调休上班).
        row("report.notify_reporter", "2025-12-25", "2026-01-04", false),
        // ---- petition.notify: 15 days (信访工作条例 Art 23) ----
        // received Wed 2026-09-16; d15 Thu 10-01 国庆 → Thu 10-08.
        row("petition.notify", "2026-09-16", "2026-10-08", false),
        // received Fri 2025-09-19; d15 Sat 10-04 (国庆·中秋) → Thu 10-09.
        row("petition.notify", "2025-09-19", "2025-10-09", false),
        // received Sun 2026-12-20; d15 Mon 2027-01-04, a weekday in unpublished 2027 — provisional.
        row("petition.notify", "2026-12-20", "2027-01-04", true),
        // ---- petition.handle: 60 days (+30) (Art 34) ----
        // accepted 2025-12-01; d30 12-31, d60 Fri 2026-01-30.
        row("petition.handle", "2025-12-01", "2026-01-30", false),
        // accepted 2025-12-20; d11 12-31, d42 01-31, d60 Wed 02-18 in 春节 → Tue 02-24.
        row("petition.handle", "2025-12-20", "2026-02-24", false),
        // accepted 2025-12-01, extended by the standard 30 days (批准人 局长): d90 Sun 03-01 → Mon 03-02.
        row("petition.handle", "2025-12-01", "2026-03-02", false).ext(None, "局长", "2026-01-20"),
        // ---- petition.review: 30 days (Art 35) ----
        // received Tue 2026-09-01; d30 Thu 10-01 国庆 → Thu 10-08.
        row("petition.review", "2026-09-01", "2026-10-08", false),
        // received Thu 2026-01-29; d30 Sat 02-28, a 调休 make-up workday: ends on it.
        row("petition.review", "2026-01-29", "2026-02-28", false),
        // received Thu 2026-12-10; d30 Sat 2027-01-09 → Mon 2027-01-11, provisional.
        row("petition.review", "2026-12-10", "2027-01-11", true),
    ]
}

#[test]
fn every_row_of_the_deadline_table_matches_its_hand_count() {
    let cal = Calendar::builtin();
    let mut failures = Vec::new();
    for r in table() {
        let limits = match r.overrides {
            None => Limits::builtin(),
            Some(text) => Limits::with_overrides_toml(text).expect("override file"),
        };
        let got = due(&r.clock, &cal, &limits);
        if got.due != r.expected || got.provisional != r.provisional || got.paused {
            failures.push(format!(
                "line {}: {} from {}: expected {} (provisional {}), got {} (provisional {}, paused {})",
                r.line,
                r.clock.rule,
                r.clock.start,
                r.expected,
                r.provisional,
                got.due,
                got.provisional,
                got.paused
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_covers_every_rule_at_least_twice_and_has_forty_rows() {
    let rows = table();
    assert!(rows.len() >= 40, "{} rows", rows.len());
    for id in RuleId::ALL {
        let n = rows.iter().filter(|r| r.clock.rule == id).count();
        assert!(n >= 2, "{id} has {n} rows");
    }
}
