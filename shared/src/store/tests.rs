use super::*;
use crate::record::{DeadlineState, RecordKind};
use serde_json::{json, Map, Value};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().expect("object")
}

fn lead(summary: &str, received: &str) -> Map<String, Value> {
    obj(json!({
        "source_type": "report",
        "received_on": received,
        "summary": summary,
    }))
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    s.init("GS01", "城关市场监管所").expect("init");
    (dir, s)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

#[test]
fn a_created_record_is_listed_and_survives_reopening() {
    let (dir, mut s) = store();
    let id = s
        .create(
            RecordKind::Lead,
            &lead("某超市销售假冒茅台酒", "2026-03-02"),
            "张三",
        )
        .expect("create");
    drop(s);
    let s = Store::open(dir.path()).expect("reopen");
    assert_eq!(s.office().expect("office").code, "GS01");
    let rows = s.list(&ListQuery::default()).expect("list");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, id);
    assert_eq!(rows[0].kind, RecordKind::Lead);
}

#[test]
fn creating_without_an_office_says_to_run_init() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let err = s
        .create(RecordKind::Lead, &lead("x", "2026-03-02"), "张三")
        .expect_err("refused");
    assert!(err.to_string().contains("hongdun init"), "{err}");
}

#[test]
fn an_invalid_field_is_refused_and_nothing_is_written() {
    let (_dir, mut s) = store();
    let id = s
        .create(RecordKind::Lead, &lead("线索", "2026-03-02"), "张三")
        .expect("create");
    let err = s
        .edit(&id, &obj(json!({"received_on": "2026-13-45"})), "张三")
        .expect_err("refused");
    assert!(err.to_string().contains("received_on"), "{err}");
    assert_eq!(
        s.get(&id).expect("get").fields["received_on"],
        json!("2026-03-02")
    );
    assert_eq!(s.history(&id).expect("history").len(), 2);
}

#[test]
fn edits_survive_compaction_and_reopening() {
    let (dir, mut s) = store();
    let id = s
        .create(RecordKind::Lead, &lead("线索", "2026-03-02"), "张三")
        .expect("create");
    for i in 0..(COMPACT_EVERY * 2 + 5) {
        s.edit(&id, &obj(json!({"notes": format!("第{i}次")})), "张三")
            .expect("edit");
    }
    let pending: i64 = s
        .conn
        .query_row(
            "SELECT count(*) FROM changes WHERE doc_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .expect("count");
    assert!(
        pending < COMPACT_EVERY,
        "changes were compacted into the snapshot"
    );
    drop(s);
    let mut s = Store::open(dir.path()).expect("reopen");
    let last = COMPACT_EVERY * 2 + 4;
    assert_eq!(
        s.get(&id).expect("get").fields["notes"],
        json!(format!("第{last}次"))
    );
    assert_eq!(
        s.history(&id).expect("history").len() as i64,
        2 + COMPACT_EVERY * 2 + 5
    );
    assert!(s.compact().expect("compact") <= 1);
}

#[test]
fn search_finds_two_character_chinese_substrings() {
    let (_dir, mut s) = store();
    let a = s
        .create(
            RecordKind::Lead,
            &lead("某超市销售假冒茅台酒", "2026-03-02"),
            "张三",
        )
        .expect("a");
    let b = s
        .create(
            RecordKind::Lead,
            &lead("群众举报某公司组织传销活动", "2026-03-03"),
            "张三",
        )
        .expect("b");
    let _c = s
        .create(
            RecordKind::Lead,
            &lead("无照经营小餐馆", "2026-03-04"),
            "张三",
        )
        .expect("c");
    let find = |t: &str| -> Vec<String> {
        s.list(&ListQuery {
            text: Some(t.into()),
            ..Default::default()
        })
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect()
    };
    assert_eq!(find("茅台"), vec![a.clone()]);
    assert_eq!(find("传销"), vec![b.clone()]);
    assert_eq!(find("茅台酒"), vec![a.clone()]);
    assert!(find("台茅").is_empty());
    assert!(find("销售传销").is_empty());
    // A single character goes through the index too, wherever it stands in
    // its run of Hanzi: first (茅), inside (台), last (酒, 动).
    assert_eq!(find("茅"), vec![a.clone()]);
    assert_eq!(find("台"), vec![a.clone()]);
    assert_eq!(find("酒"), vec![a.clone()]);
    assert_eq!(find("动"), vec![b.clone()]);
    let mut both = find("销");
    both.sort();
    let mut expected = vec![a, b];
    expected.sort();
    assert_eq!(both, expected);
    assert!(find("鞋").is_empty());
}

#[test]
fn a_store_with_an_older_search_index_rebuilds_it_on_opening() {
    let (dir, mut s) = store();
    let a = s
        .create(
            RecordKind::Lead,
            &lead("某超市销售假冒茅台酒", "2026-03-02"),
            "张三",
        )
        .expect("a");
    drop(s);
    // As an older build left it: bigrams only, so no token starts with the
    // run's last character (酒), and no index version noted.
    {
        let conn = rusqlite::Connection::open(dir.path().join("hongdun.db")).expect("raw");
        conn.execute_batch(
            "INSERT INTO search(search) VALUES ('delete-all');
             INSERT INTO search(rowid, grams)
                 SELECT rowid, '某超 超市 市销 销售 售假 假冒 冒茅 茅台 台酒' FROM records;
             DELETE FROM meta WHERE key = 'search_index';",
        )
        .expect("downgrade");
    }
    let s = Store::open(dir.path()).expect("reopen");
    let found: Vec<String> = s
        .list(&ListQuery {
            text: Some("酒".into()),
            ..Default::default()
        })
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(found, vec![a]);
}

#[test]
fn overdue_and_due_soon_filters_follow_the_calendar() {
    let (_dir, mut s) = store();
    // received Mon 2026-03-02: case.verify due 15 working days later = 2026-03-23
    let id = s
        .create(RecordKind::Lead, &lead("线索", "2026-03-02"), "张三")
        .expect("create");
    s.set_today(d("2026-03-20"));
    let soon = s
        .list(&ListQuery {
            due_within_days: Some(5),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(soon.len(), 1);
    let nd = soon[0].next_deadline.as_ref().expect("deadline");
    assert_eq!(nd.due, d("2026-03-23"));
    assert_eq!(nd.state, DeadlineState::DueSoon);
    assert!(s
        .list(&ListQuery {
            overdue: true,
            ..Default::default()
        })
        .expect("list")
        .is_empty());
    s.set_today(d("2026-03-24"));
    let over = s
        .list(&ListQuery {
            overdue: true,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].id, id);
    assert_eq!(
        over[0].next_deadline.as_ref().expect("d").state,
        DeadlineState::Overdue
    );
    let rows = s.deadlines(0, None).expect("deadlines");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].deadline.rule.as_str(), "case.verify");
}

#[test]
fn a_workflow_event_changes_status_and_an_illegal_one_is_refused() {
    let (_dir, mut s) = store();
    let id = s
        .create(RecordKind::Lead, &lead("线索", "2026-03-02"), "张三")
        .expect("create");
    let before = s.get(&id).expect("get").status;
    let mut p = Map::new();
    p.insert("reason".into(), json!("minor_corrected"));
    let err = s
        .append_event(&id, "no_such_action", d("2026-03-05"), Map::new(), "张三")
        .expect_err("refused");
    assert!(err.to_string().contains("no_such_action"), "{err}");
    assert_eq!(s.get(&id).expect("get").status, before);
}

#[test]
fn a_corrupt_document_is_quarantined_and_the_rest_still_opens() {
    let (dir, mut s) = store();
    let good = s
        .create(RecordKind::Lead, &lead("好的线索", "2026-03-02"), "张三")
        .expect("good");
    let bad = s
        .create(
            RecordKind::Lead,
            &lead("将被损坏的线索", "2026-03-02"),
            "张三",
        )
        .expect("bad");
    // Truncate the bad document's snapshot on disk.
    s.conn
        .execute(
            "UPDATE docs SET snapshot = substr(snapshot, 1, 20) WHERE id = ?1",
            [&bad],
        )
        .expect("corrupt");
    drop(s);
    let mut s = Store::open(dir.path()).expect("store still opens");
    assert_eq!(s.list(&ListQuery::default()).expect("list").len(), 2);
    let err = s.get(&bad).expect_err("corrupt");
    assert!(matches!(err, StoreError::Quarantined { .. }), "{err}");
    assert!(err.to_string().contains("quarantined"));
    assert_eq!(
        s.get(&good).expect("good").title,
        s.get(&good).expect("good").title
    );
    let report = s.reindex().expect("reindex");
    assert_eq!(report.records, 1);
    assert_eq!(report.quarantined.len(), 1);
    assert_eq!(report.quarantined[0].id, bad);
    assert_eq!(s.list(&ListQuery::default()).expect("list").len(), 1);
    // The bytes are kept for inspection.
    let kept: Vec<u8> = s
        .conn
        .query_row(
            "SELECT snapshot FROM quarantine WHERE id = ?1",
            [&bad],
            |r| r.get(0),
        )
        .expect("kept");
    assert_eq!(kept.len(), 20);
}

#[test]
fn a_garbage_database_file_gives_a_plain_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("hongdun.db"),
        b"this is not a database at all, just text".repeat(100),
    )
    .expect("write");
    let err = Store::open(dir.path()).expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("cannot be opened") && msg.contains("backup"),
        "{msg}"
    );
}

#[test]
fn a_bad_calendar_file_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("calendar.toml"), "this is = = not toml").expect("write");
    let err = Store::open(dir.path()).expect_err("refused");
    assert!(err.to_string().contains("calendar.toml"), "{err}");
}

#[test]
fn reindex_rebuilds_the_same_projections() {
    let (_dir, mut s) = store();
    for i in 0..20 {
        s.create(
            RecordKind::Lead,
            &lead(&format!("线索{i}号茅台"), "2026-03-02"),
            "张三",
        )
        .expect("create");
    }
    let q = ListQuery {
        text: Some("茅台".into()),
        limit: Some(100),
        ..Default::default()
    };
    let mut before: Vec<String> = s
        .list(&q)
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    s.conn
        .execute_batch("DELETE FROM records; DELETE FROM search; DELETE FROM deadlines;")
        .expect("wipe");
    assert!(s.list(&q).expect("list").is_empty());
    let report = s.reindex().expect("reindex");
    assert_eq!(report.records, 20);
    let mut after: Vec<String> = s
        .list(&q)
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    before.sort();
    after.sort();
    assert_eq!(before, after);
}

#[test]
fn export_then_import_is_idempotent() {
    let (_dir, mut s) = store();
    let id = s
        .create(RecordKind::Lead, &lead("线索", "2026-03-02"), "张三")
        .expect("create");
    let exported = s.export(false).expect("export");
    let (_dir2, mut t) = store();
    let mut sum = ImportSummary::default();
    for r in &exported {
        sum.add(t.import_record(r, "导入").expect("import"));
    }
    assert_eq!(sum.created, 1);
    for r in &exported {
        assert_eq!(
            t.import_record(r, "导入").expect("again"),
            ImportOutcome::Unchanged
        );
    }
    assert_eq!(
        t.get(&id).expect("get").fields,
        s.get(&id).expect("get").fields
    );
}

#[test]
fn a_failed_batch_stores_nothing() {
    let (_dir, mut s) = store();
    let r = s.in_batch(|s| {
        s.create(RecordKind::Lead, &lead("一", "2026-03-02"), "张三")?;
        s.create(
            RecordKind::Lead,
            &obj(json!({"summary": "缺少必填字段"})),
            "张三",
        )?;
        Ok(())
    });
    assert!(r.is_err());
    assert_eq!(s.count(&ListQuery::default()).expect("count"), 0);
}

#[test]
fn uploads_are_bounded_by_documents_as_well_as_bytes() {
    let (_dir, mut s) = store();
    for i in 0..10 {
        s.create(
            RecordKind::Lead,
            &lead(&format!("线索{i}"), "2026-03-02"),
            "张三",
        )
        .expect("create");
    }
    assert_eq!(s.pending_uploads(usize::MAX, 3).expect("uploads").len(), 3);
    assert_eq!(
        s.pending_uploads(1, 1000).expect("uploads").len(),
        1,
        "at least one document goes"
    );
    assert_eq!(
        s.pending_uploads(usize::MAX, 1000).expect("uploads").len(),
        10
    );
}

#[test]
fn an_older_store_gains_its_statistics_projection_on_opening() {
    let (dir, mut s) = store();
    s.create(
        RecordKind::Complaint,
        &obj(json!({
            "received_on": "2026-06-03",
            "respondent": {"party_type": "natural_person", "name": "流动摊贩王某"},
            "claim": "要求退款",
        })),
        "张三",
    )
    .expect("create");
    let june = crate::stats::Period::parse("2026-06").expect("period");
    let count = |s: &Store| {
        s.office_bulletin(june)
            .expect("bulletin")
            .figure("consumer.complaints")
            .map(|f| f.value)
    };
    assert_eq!(count(&s), Some(1));
    drop(s);
    // A store written before statistics: version 1, no stat_facts rows.
    {
        let conn = rusqlite::Connection::open(dir.path().join("hongdun.db")).expect("raw");
        conn.execute_batch(
            "DELETE FROM stat_facts; UPDATE meta SET value = '1' WHERE key = 'store_version';",
        )
        .expect("downgrade");
    }
    let s = Store::open(dir.path()).expect("reopen");
    assert_eq!(count(&s), Some(1));
}

// --- attachments -------------------------------------------------------------

fn blob_files(dir: &std::path::Path) -> usize {
    let area = dir.join("attachments");
    let Ok(entries) = std::fs::read_dir(&area) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name() != "partial")
        .map(|e| std::fs::read_dir(e.path()).map_or(0, |d| d.count()))
        .sum()
}

#[test]
fn the_same_file_is_stored_once_and_bytes_outlive_one_records_reference() {
    let (dir, mut s) = store();
    let a = s
        .create(
            RecordKind::Lead,
            &lead("现场检查发现假冒白酒", "2026-03-02"),
            "张三",
        )
        .expect("a");
    let b = s
        .create(
            RecordKind::Lead,
            &lead("同一批假冒白酒的举报", "2026-03-03"),
            "张三",
        )
        .expect("b");
    let photo = vec![0xabu8; 300_000];
    let va = s
        .attach_bytes(&a, "现场照片.jpg", &photo, "张三")
        .expect("attach a");
    assert_eq!(va.reference.mime, "image/jpeg");
    assert_eq!(va.state, crate::attachment::AttachmentState::LocalOnly);
    // Twice to the same record, once to another: one reference each, one file.
    s.attach_bytes(&a, "现场照片.jpg", &photo, "张三")
        .expect("again");
    s.attach_bytes(&b, "照片副本.jpg", &photo, "李四")
        .expect("attach b");
    assert_eq!(s.attachments(&a).expect("list a").len(), 1);
    assert_eq!(s.attachments(&b).expect("list b").len(), 1);
    assert_eq!(blob_files(dir.path()), 1);
    let sha = va.reference.sha256.clone();
    let path = s.attachment_file(&sha).expect("path").expect("present");
    assert_eq!(std::fs::read(&path).expect("read"), photo);

    // Removing A's reference keeps the bytes B still references.
    assert!(s.detach(&a, &sha, "张三").expect("detach a"));
    assert!(s.attachments(&a).expect("list a").is_empty());
    assert!(s.attachment_file(&sha).expect("path").is_some());
    assert_eq!(blob_files(dir.path()), 1);
    // The last reference gone, the bytes go too.
    assert!(s.detach(&b, &sha, "李四").expect("detach b"));
    assert!(s.attachment_file(&sha).expect("path").is_none());
    assert_eq!(blob_files(dir.path()), 0);
    // The history says who attached and removed what.
    let ops: Vec<String> = s
        .history(&a)
        .expect("history")
        .into_iter()
        .map(|h| h.op)
        .collect();
    assert!(
        ops.contains(&"attach".to_string()) && ops.contains(&"detach".to_string()),
        "{ops:?}"
    );
}

#[test]
fn attachment_limits_refuse_with_a_clear_message_and_store_nothing() {
    let (dir, mut s) = store();
    let a = s
        .create(RecordKind::Lead, &lead("扫描件过大", "2026-03-02"), "张三")
        .expect("a");
    s.set_attachment_settings(&crate::attachment::AttachmentSettings {
        max_file_bytes: 1000,
        max_record_bytes: 1500,
        ..Default::default()
    })
    .expect("settings");
    let err = s
        .attach_bytes(&a, "询问笔录.pdf", &[1u8; 1001], "张三")
        .expect_err("over the file limit");
    assert!(err.to_string().contains("limit per file"), "{err}");
    s.attach_bytes(&a, "收据1.jpg", &[2u8; 900], "张三")
        .expect("fits");
    let err = s
        .attach_bytes(&a, "收据2.jpg", &[3u8; 900], "张三")
        .expect_err("over the record limit");
    assert!(err.to_string().contains("limit per record"), "{err}");
    assert_eq!(s.attachments(&a).expect("list").len(), 1);
    assert_eq!(blob_files(dir.path()), 1);
}

#[test]
fn attachment_references_survive_reopening_and_reindex() {
    let (dir, mut s) = store();
    let a = s
        .create(RecordKind::Lead, &lead("鉴定报告", "2026-03-02"), "张三")
        .expect("a");
    let v = s
        .attach_bytes(&a, "鉴定报告.pdf", b"%PDF-1.4 ...", "张三")
        .expect("attach");
    drop(s);
    let mut s = Store::open(dir.path()).expect("reopen");
    s.reindex().expect("reindex");
    let list = s.attachments(&a).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reference, v.reference);
    assert_eq!(s.pending_attachments().expect("pending").uploads, 1);
}

#[test]
fn a_partner_device_may_add_only_to_case_files_shared_read_write() {
    use crate::joint::{PartnerGrant, ShareMode};
    use crate::store::RemoteConfig;
    let (_dir, mut s) = store();
    let case = obj(json!({
        "procedure": "simple",
        "cause": "销售假冒白酒",
        "parties": [{"party_type": "enterprise", "name": "城关某某超市有限公司", "uscc": "91350100M000100Y43"}],
    }));
    let id = s.create(RecordKind::Case, &case, "张三").expect("case");
    s.set_remote(&RemoteConfig {
        server: "http://127.0.0.1:1".into(),
        token: "t".into(),
        device_id: "d".into(),
        role: "partner".into(),
        office: Some("GA01".into()),
        user: "王警官".into(),
        org_kind: Some("partner".into()),
    })
    .expect("partner enrollment");
    let note = obj(json!({"notes": "现场查获假酒 20 箱"}));
    let grant = |mode| PartnerGrant {
        doc_id: id.clone(),
        mode,
        expires_at: None,
    };
    s.remember_partner_grants(&[grant(ShareMode::Read)])
        .expect("grants");
    assert_eq!(s.partner_mode(&id).expect("mode"), Some(ShareMode::Read));
    let err = s.edit(&id, &note, "王警官").expect_err("read-only");
    assert!(err.to_string().contains("只读"), "{err}");
    // Shared twice (two offices): read-write wins.
    s.remember_partner_grants(&[grant(ShareMode::Read), grant(ShareMode::ReadWrite)])
        .expect("grants");
    assert_eq!(
        s.partner_mode(&id).expect("mode"),
        Some(ShareMode::ReadWrite)
    );
    s.edit(&id, &note, "王警官")
        .expect("a read-write partner adds a note");
}
