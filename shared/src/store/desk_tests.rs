//! The store's side of the desktop app: drafts, the 工作台 overview, the
//! 接访日 schedule, the month at a glance and the desk settings.

use super::*;
use crate::desk::{Draft, SyncState};
use crate::record::RecordKind;
use serde_json::{json, Map, Value};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().expect("object")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    s.init("GS01", "城关市场监管所").expect("init");
    (dir, s)
}

fn lead(summary: &str, received: &str) -> Map<String, Value> {
    obj(json!({"source_type": "report", "received_on": received, "summary": summary}))
}

#[test]
fn a_saved_draft_survives_reopening_the_store_until_discarded() {
    let (dir, s) = store();
    let draft = Draft {
        key: "new:lead".into(),
        kind: Some(RecordKind::Lead),
        record_id: None,
        title: "新案源".into(),
        fields: obj(json!({"summary": "某超市销售过期", "received_on": "2026-13"})),
        updated_at: None,
    };
    s.save_draft(&draft).expect("save");
    drop(s);
    let s = Store::open(dir.path()).expect("reopen");
    let back = s.load_draft("new:lead").expect("load").expect("kept");
    assert_eq!(
        back.fields, draft.fields,
        "invalid values are kept as typed"
    );
    assert_eq!(back.kind, Some(RecordKind::Lead));
    assert_eq!(s.list_drafts().expect("list").len(), 1);
    s.discard_draft("new:lead").expect("discard");
    assert!(s.load_draft("new:lead").expect("load").is_none());
    assert!(s.list_drafts().expect("list").is_empty());
}

#[test]
fn saving_a_draft_under_the_same_key_replaces_it() {
    let (_dir, s) = store();
    let mut draft = Draft {
        key: "edit:abc".into(),
        kind: None,
        record_id: Some("abc".into()),
        title: String::new(),
        fields: obj(json!({"a": 1})),
        updated_at: None,
    };
    s.save_draft(&draft).expect("save");
    draft.fields = obj(json!({"a": 2}));
    s.save_draft(&draft).expect("save again");
    assert_eq!(s.list_drafts().expect("list").len(), 1);
    assert_eq!(
        s.load_draft("edit:abc")
            .expect("load")
            .expect("kept")
            .fields["a"],
        json!(2)
    );
}

#[test]
fn the_overview_counts_overdue_and_due_within_three_working_days_by_kind() {
    let (_dir, mut s) = store();
    // case.verify: 15 working days after receipt.
    s.create(RecordKind::Lead, &lead("甲", "2026-03-02"), "张三")
        .expect("due 03-23");
    s.create(RecordKind::Lead, &lead("乙", "2026-02-02"), "张三")
        .expect("long overdue");
    s.create(RecordKind::Lead, &lead("丙", "2026-03-16"), "张三")
        .expect("due in April");
    // Fri 03-20: 3 working days reach Wed 03-25, so 03-23 is due soon.
    s.set_today(d("2026-03-20"));
    let o = s.deadline_overview(10).expect("overview");
    assert_eq!(o.overdue.len(), 1);
    assert_eq!(
        (o.overdue[0].kind, o.overdue[0].count),
        (RecordKind::Lead, 1)
    );
    assert_eq!(o.due_soon.len(), 1);
    assert_eq!(o.due_soon[0].count, 1);
    let row = &o.due_soon[0].rows[0];
    assert_eq!(row.deadline.due, d("2026-03-23"));
    assert!(
        !row.deadline.basis.is_empty(),
        "each deadline has its basis"
    );
    assert_eq!(row.deadline.days_left, 1);
    // Only the first rows are listed; every one is counted.
    s.set_today(d("2026-05-01"));
    let o = s.deadline_overview(2).expect("overview");
    assert_eq!(o.overdue[0].count, 3);
    assert_eq!(o.overdue[0].rows.len(), 2);
}

#[test]
fn the_dashboard_lists_my_open_items_and_todays_reception_duty() {
    let (_dir, mut s) = store();
    s.set_desk_user("李四").expect("user");
    s.create(
        RecordKind::Office,
        &obj(json!({
            "office_code": "GS01",
            "name": "城关市场监管所",
            "reception_days": [
                {"date": "2026-03-20", "leader": "王所长", "place": "一楼接待室"},
                {"date": "2026-03-27", "leader": "赵副所长"}
            ]
        })),
        "李四",
    )
    .expect("directory");
    s.create(
        RecordKind::Lead,
        &lead("李四 核查某超市", "2026-03-02"),
        "李四",
    )
    .expect("mine");
    s.create(
        RecordKind::Lead,
        &lead("张三 核查某药店", "2026-03-02"),
        "张三",
    )
    .expect("not mine");
    s.set_today(d("2026-03-20"));
    let dash = s.dashboard(SyncState::default()).expect("dashboard");
    assert_eq!(dash.user.as_deref(), Some("李四"));
    assert_eq!(dash.my_items_total, 1);
    assert_eq!(dash.my_items.len(), 1);
    assert_eq!(dash.duty_today.len(), 1);
    assert_eq!(dash.duty_today[0].leader, "王所长");
    assert_eq!(dash.duty_next.len(), 1);
    assert_eq!(dash.duty_next[0].date, d("2026-03-27"));
}

#[test]
fn a_reception_day_without_a_leader_is_refused() {
    let (_dir, mut s) = store();
    let err = s
        .create(
            RecordKind::Office,
            &obj(json!({"office_code": "GS01", "name": "所", "reception_days": [{"date": "2026-03-20", "leader": " "}]})),
            "李四",
        )
        .expect_err("refused");
    assert!(err.to_string().contains("接访领导"), "{err}");
}

#[test]
fn the_month_glance_counts_dated_steps_in_that_month_only() {
    let (dir, mut s) = store();
    s.create(RecordKind::Lead, &lead("甲", "2026-03-02"), "张三")
        .expect("march");
    s.create(RecordKind::Lead, &lead("乙", "2026-03-30"), "张三")
        .expect("march");
    s.create(RecordKind::Lead, &lead("丙", "2026-04-01"), "张三")
        .expect("april");
    let g = s.month_glance(d("2026-03-15")).expect("glance");
    assert_eq!(g.month, "2026-03");
    assert_eq!((g.from, g.to), (d("2026-03-01"), d("2026-03-31")));
    let received = g
        .counts
        .iter()
        .find(|c| c.kind == RecordKind::Lead && c.what == "received_on")
        .expect("received_on counted");
    assert_eq!(received.count, 2);
    assert!(g.open_now.contains(&(RecordKind::Lead, 3)));
    // A store from before the projection gets it on first open.
    s.conn
        .execute_batch(
            "DELETE FROM record_dates; DELETE FROM meta WHERE key = 'projection_record_dates';",
        )
        .expect("age the store");
    drop(s);
    let s = Store::open(dir.path()).expect("reopen");
    assert_eq!(
        s.month_glance(d("2026-04-01"))
            .expect("glance")
            .counts
            .len(),
        1
    );
}

#[test]
fn the_desk_user_defaults_to_none_and_bad_settings_are_refused() {
    let (_dir, s) = store();
    assert_eq!(s.desk_user().expect("user"), None);
    assert!(s.set_desk_user("  ").is_err());
    assert!(s.set_sync_interval_minutes(0).is_err());
    s.set_sync_interval_minutes(30).expect("interval");
    let settings = s.settings().expect("settings");
    assert_eq!(settings.sync_interval_minutes, 30);
    assert_eq!(settings.office.expect("office").code, "GS01");
    assert_eq!(settings.relay, None);
}

#[test]
fn a_search_counts_only_up_to_the_cap_and_says_when_more_match() {
    let (_dir, mut s) = store();
    for i in 0..5 {
        s.create(
            RecordKind::Lead,
            &lead(&format!("某超市销售假冒茅台酒（{i}）"), "2026-03-02"),
            "张三",
        )
        .expect("create");
    }
    s.create(
        RecordKind::Lead,
        &lead("某网店虚假宣传", "2026-03-02"),
        "张三",
    )
    .expect("create");
    let q = ListQuery {
        text: Some("茅台".into()),
        ..ListQuery::default()
    };
    assert_eq!(s.count_up_to(&q, 3).expect("count"), (3, true));
    assert_eq!(s.count_up_to(&q, 5).expect("count"), (5, false));
    assert_eq!(s.count_up_to(&q, 1000).expect("count"), (5, false));
}

#[test]
fn a_page_under_the_cap_has_its_exact_count_and_a_list_without_search_always_does() {
    let (_dir, mut s) = store();
    for summary in ["销售假冒茅台酒", "销售过期茅台", "虚假宣传"] {
        s.create(RecordKind::Lead, &lead(summary, "2026-03-02"), "张三")
            .expect("create");
    }
    let search = s
        .page(&ListQuery {
            text: Some(" 茅台 ".into()),
            limit: Some(1),
            ..ListQuery::default()
        })
        .expect("page");
    assert_eq!(
        (search.rows.len(), search.total, search.capped),
        (1, 2, false)
    );
    let all = s.page(&ListQuery::default()).expect("page");
    assert_eq!((all.rows.len(), all.total, all.capped), (3, 3, false));
}
