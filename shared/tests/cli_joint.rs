#![cfg(feature = "native")]
//! `hongdun verify`, `hongdun audit` and the sharing commands as a real
//! process: a corrupted change fails verification with a plain sentence and
//! a non-zero exit; the audit report is written; sharing without an
//! enrollment says what to do.

use std::path::Path;
use std::process::{Command, Output};

fn hongdun(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hongdun"))
        .env_remove("HONGDUN_DATA")
        .env("HONGDUN_USER", "张三")
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("run hongdun")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fails(o: &Output) -> String {
    assert!(!o.status.success(), "unexpectedly succeeded");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.starts_with("hongdun: "), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    err
}

/// A store with one lead edited a few times; its id.
fn store_with_lead(dir: &Path) -> String {
    ok(&hongdun(
        dir,
        &["init", "--office", "GS01", "--name", "城关所"],
    ));
    let out = ok(&hongdun(
        dir,
        &[
            "--json",
            "create",
            "lead",
            "-f",
            "source_type=inspection",
            "-f",
            "received_on=2026-03-02",
            "-f",
            "summary=销售假冒白酒",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let id = v["id"].as_str().expect("id").to_string();
    for i in 0..3 {
        ok(&hongdun(
            dir,
            &["edit", &id, "-f", &format!("summary=销售假冒白酒{i}")],
        ));
    }
    id
}

#[test]
fn verify_passes_an_intact_store_and_fails_a_corrupted_change_with_a_plain_sentence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = store_with_lead(dir.path());
    let out = ok(&hongdun(dir.path(), &["verify"]));
    assert!(out.contains("every history verifies"), "{out}");

    // Flip one byte inside the newest stored change.
    {
        let conn = rusqlite::Connection::open(dir.path().join("hongdun.db")).expect("db");
        let (seq, mut bytes): (i64, Vec<u8>) = conn
            .query_row(
                "SELECT seq, bytes FROM changes ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("a change row");
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x20;
        conn.execute(
            "UPDATE changes SET bytes = ?2 WHERE seq = ?1",
            rusqlite::params![seq, bytes],
        )
        .expect("corrupt");
    }
    let o = hongdun(dir.path(), &["verify"]);
    let err = fails(&o);
    assert!(err.contains("1 of 1 records do not verify"), "{err}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains(&id[..12]), "names the record: {stdout}");
}

#[test]
fn audit_writes_an_xlsx_report_and_sharing_needs_an_enrolled_device() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = store_with_lead(dir.path());
    let report = dir.path().join("审计.xlsx");
    let out = ok(&hongdun(
        dir.path(),
        &["audit", &id, "--out", report.to_str().expect("path")],
    ));
    assert!(
        out.contains("修改：线索摘要") || out.contains("修改："),
        "{out}"
    );
    let bytes = std::fs::read(&report).expect("report written");
    assert!(bytes.starts_with(b"PK"), "an xlsx (zip) file");

    let err = fails(&hongdun(
        dir.path(),
        &["share", &id, "--partner", "GA01", "--mode", "read-write"],
    ));
    assert!(err.contains("enroll"), "{err}");
    let err = fails(&hongdun(
        dir.path(),
        &["share", &id, "--partner", "GA01", "--mode", "write"],
    ));
    assert!(err.contains("read-write"), "{err}");
    let err = fails(&hongdun(
        dir.path(),
        &["share", &id, "--partner", "GA01", "--expires", "2020-01-01"],
    ));
    assert!(err.contains("past"), "{err}");
    let err = fails(&hongdun(dir.path(), &["shared"]));
    assert!(err.contains("office store"), "{err}");
}
