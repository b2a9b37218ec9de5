//! Where a deadline stands on a given day: state, days left, lateness and the
//! basis text shown beside it.

use chrono::NaiveDate;
use hongdun_core::calendar::Calendar;
use hongdun_core::deadline::compute::{due, due_as_of, evaluate};
use hongdun_core::deadline::rules::Limits;
use hongdun_core::deadline::{Clock, Extension, Pause, RuleId};
use hongdun_core::record::DeadlineState;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn clock(rule: RuleId, start: &str) -> Clock {
    Clock {
        rule,
        start: d(start),
        pauses: Vec::new(),
        extensions: Vec::new(),
        met_on: None,
    }
}

/// case.verify received Wed 2026-09-30: due Tue 2026-10-27 (see deadline_table).
fn verify() -> Clock {
    clock(RuleId::CaseVerify, "2026-09-30")
}

fn at(c: &Clock, today: &str) -> hongdun_core::record::DeadlineView {
    evaluate(c, &Calendar::builtin(), &Limits::builtin(), d(today), 3)
}

#[test]
fn on_time_counts_working_days_left_skipping_the_weekend_and_counting_the_make_up_saturday() {
    // (10-09, 10-27]: Sat 10-10 (调休), 10-12..16, 10-19..23, 10-26, 10-27 = 13.
    let v = at(&verify(), "2026-10-09");
    assert_eq!(
        (v.state, v.days_left, v.due),
        (DeadlineState::OnTime, 13, d("2026-10-27"))
    );
    assert_eq!(v.name, "案源核查并决定是否立案");
    assert!(v.basis.contains("第十八条"), "{}", v.basis);
    assert!(!v.provisional && !v.late);
}

#[test]
fn due_soon_within_three_working_days() {
    // Thu 10-22: 10-23, 10-26, 10-27 left = 3.
    let v = at(&verify(), "2026-10-22");
    assert_eq!((v.state, v.days_left), (DeadlineState::DueSoon, 3));
    // On the due day itself: 0 left, still due soon (not overdue).
    let v = at(&verify(), "2026-10-27");
    assert_eq!((v.state, v.days_left), (DeadlineState::DueSoon, 0));
    // A wider window from the caller.
    let v = evaluate(
        &verify(),
        &Calendar::builtin(),
        &Limits::builtin(),
        d("2026-10-09"),
        15,
    );
    assert_eq!(v.state, DeadlineState::DueSoon);
}

#[test]
fn overdue_counts_working_days_past_due_as_negative() {
    // Sat 10-31: 10-28, 10-29, 10-30 past due.
    let v = at(&verify(), "2026-10-31");
    assert_eq!((v.state, v.days_left), (DeadlineState::Overdue, -3));
    // The day after a Friday due date is a weekend: still at least −1.
    let c = clock(RuleId::CaseHearingRequest, "2026-02-13"); // due Fri 2026-02-27
    let v = at(&c, "2026-02-28"); // Sat, but a 调休 workday
    assert_eq!((v.state, v.days_left), (DeadlineState::Overdue, -1));
    let c = clock(RuleId::CaseServe, "2026-09-30"); // due Thu 10-15
    let v = at(&c, "2026-10-16");
    assert_eq!((v.state, v.days_left), (DeadlineState::Overdue, -1));
}

#[test]
fn met_before_due_is_met_and_not_late() {
    let mut c = verify();
    c.met_on = Some(d("2026-10-20"));
    let v = at(&c, "2026-12-01");
    assert_eq!(
        (v.state, v.late, v.days_left),
        (DeadlineState::Met, false, 5)
    );
}

#[test]
fn met_after_due_is_met_and_late() {
    let mut c = verify();
    c.met_on = Some(d("2026-10-29"));
    let v = at(&c, "2026-12-01");
    assert_eq!(
        (v.state, v.late, v.days_left),
        (DeadlineState::Met, true, -2)
    );
}

#[test]
fn open_pause_stops_the_clock_and_due_moves_as_if_it_ended_today() {
    // case.decide filed 2026-07-03; 鉴定 since 08-10, still running on 08-19:
    // 08-10..08-19 not counted, so d90 = Sun 10-11 → Mon 10-12.
    let mut c = clock(RuleId::CaseDecide, "2026-07-03");
    c.pauses.push(Pause {
        from: d("2026-08-10"),
        to: None,
        reason: "鉴定".into(),
    });
    let v = at(&c, "2026-08-19");
    assert_eq!(v.state, DeadlineState::Paused);
    assert_eq!(v.due, d("2026-10-12"));
    // 08-19 → 10-12 in calendar days: 12 + 30 + 12 = 54.
    assert_eq!(v.days_left, 54);
    assert!(
        v.basis.contains("鉴定中，自2026-08-10起暂停计时"),
        "{}",
        v.basis
    );
    // Ended the same day (08-10..08-20, 11 days): d90 = Mon 10-12 still.
    assert_eq!(at(&c, "2026-08-20").due, d("2026-10-12"));
    // Two days later (08-10..08-21, 12 days): d90 = Tue 10-13.
    assert_eq!(at(&c, "2026-08-21").due, d("2026-10-13"));
    // Without a "today", the pause is taken as ending on its first day.
    let early = due(&c, &Calendar::builtin(), &Limits::builtin());
    assert!(early.paused);
    // d90 one day later than 10-01 → Fri 10-02, in 国庆 → Thu 10-08.
    assert_eq!(early.due, d("2026-10-08"));
}

#[test]
fn pause_that_begins_after_the_limit_ran_out_does_not_hide_overdue() {
    let mut c = clock(RuleId::CaseServe, "2026-09-30"); // due Thu 10-15
    c.pauses.push(Pause {
        from: d("2026-10-20"),
        to: None,
        reason: "中止".into(),
    });
    let v = at(&c, "2026-10-22");
    assert_eq!((v.state, v.due), (DeadlineState::Overdue, d("2026-10-15")));
}

#[test]
fn pause_recorded_for_a_later_day_is_not_yet_in_effect() {
    let mut c = verify();
    c.pauses.push(Pause {
        from: d("2026-10-20"),
        to: None,
        reason: "检测".into(),
    });
    let v = at(&c, "2026-10-09");
    assert_eq!((v.state, v.due), (DeadlineState::OnTime, d("2026-10-27")));
    assert!(
        !due_as_of(
            &c,
            &Calendar::builtin(),
            &Limits::builtin(),
            d("2026-10-09")
        )
        .paused
    );
}

#[test]
fn closed_pause_is_noted_as_not_counted_in_the_basis() {
    let mut c = clock(RuleId::CaseVerify, "2026-03-02");
    c.pauses.push(Pause {
        from: d("2026-03-04"),
        to: Some(d("2026-03-13")),
        reason: "鉴定".into(),
    });
    let v = at(&c, "2026-03-20");
    assert_eq!(v.due, d("2026-04-02"));
    assert!(
        v.basis.contains("鉴定期间不计入（2026-03-04至2026-03-13）"),
        "{}",
        v.basis
    );
    // Days left do not count paused days: (03-20, 04-02] = 03-23..27, 03-30..04-02 = 9.
    assert_eq!(v.days_left, 9);
}

#[test]
fn extension_with_approver_is_named_in_the_basis() {
    let mut c = clock(RuleId::CaseVerify, "2025-09-26");
    c.extensions.push(Extension {
        days: None,
        approver: "张三".into(),
        approved_on: d("2025-10-20"),
    });
    let v = at(&c, "2025-10-24");
    assert_eq!(v.due, d("2025-11-13"));
    assert!(
        v.basis.contains("已延长15个工作日（批准人：张三"),
        "{}",
        v.basis
    );
}

#[test]
fn extension_without_days_on_a_rule_with_no_standard_extension_adds_nothing_and_says_so() {
    let mut c = clock(RuleId::CaseReview, "2026-02-13"); // due Thu 03-05
    c.extensions.push(Extension {
        days: None,
        approver: "李四".into(),
        approved_on: d("2026-03-01"),
    });
    let v = at(&c, "2026-03-02");
    assert_eq!(v.due, d("2026-03-05"));
    assert!(v.basis.contains("未计入"), "{}", v.basis);
}

#[test]
fn local_override_is_shown_as_a_local_rule_on_top_of_the_law() {
    let limits = Limits::with_overrides_toml(
        "[override.\"complaint.accept\"]\ndays = 5\nunit = \"working\"\nnote = \"株洲: 投诉7个工作日压缩为5\"\n",
    )
    .expect("override");
    let c = clock(RuleId::ComplaintAccept, "2026-09-18");
    let v = evaluate(&c, &Calendar::builtin(), &limits, d("2026-09-21"), 3);
    assert_eq!(v.due, d("2026-09-24"));
    assert!(
        v.basis.contains("第十四条") && v.basis.contains("本地规定：株洲"),
        "{}",
        v.basis
    );
}

#[test]
fn deadline_in_an_unpublished_year_is_provisional_and_says_it_will_be_recomputed() {
    let c = clock(RuleId::CaseHearingRequest, "2026-12-31");
    let v = at(&c, "2026-12-31");
    assert_eq!(v.due, d("2027-01-08"));
    assert!(v.provisional);
    assert!(v.basis.contains("暂按法定节假日计算"), "{}", v.basis);
}

#[test]
fn absurd_clocks_do_not_panic() {
    let cal = Calendar::builtin();
    let limits = Limits::builtin();
    for start in [
        NaiveDate::MIN,
        NaiveDate::MAX,
        d("1899-12-31"),
        d("2200-12-31"),
    ] {
        // One working-day rule and one calendar-day rule.
        for rule in [RuleId::CaseVerify, RuleId::CaseDecide] {
            let mut c = clock(rule, "2026-01-01");
            c.start = start;
            c.extensions.push(Extension {
                days: Some(u32::MAX),
                approver: "x".into(),
                approved_on: start,
            });
            c.pauses.push(Pause {
                from: NaiveDate::MAX,
                to: Some(NaiveDate::MIN),
                reason: String::new(),
            });
            let v = evaluate(&c, &cal, &limits, NaiveDate::MIN, u32::MAX);
            assert!(v.provisional);
            let _ = evaluate(&c, &cal, &limits, NaiveDate::MAX, 0);
        }
    }
}
