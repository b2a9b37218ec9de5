#![cfg(feature = "native")]
//! The `hongdun` command line, run as a real process: results on stdout,
//! and for bad input a non-zero exit with one plain sentence on stderr.

use std::path::Path;
use std::process::{Command, Output};

fn hongdun(data: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hongdun"));
    cmd.env_remove("HONGDUN_DATA")
        .env("HONGDUN_USER", "测试员")
        .env("HONGDUN_TODAY", "2026-03-20");
    if let Some(d) = data {
        cmd.arg("--data").arg(d);
    }
    cmd.args(args).output().expect("run hongdun")
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

/// Fails with exit code 1 (or 2 for usage errors) and one plain line on stderr.
fn fails(o: &Output) -> String {
    assert!(
        !o.status.success(),
        "unexpectedly succeeded: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.trim().is_empty(), "no message on stderr");
    assert!(!err.contains("panicked"), "panicked: {err}");
    err
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("JSON output")
}

fn init(dir: &Path) {
    ok(&hongdun(
        Some(dir),
        &["init", "--office", "GS01", "--name", "城关市场监管所"],
    ));
}

#[test]
fn calendar_deadline_prints_due_date_basis_and_provisional_flag() {
    // 2026-09-30 + 15 working days: 10-01..07 国庆 off, 10-10 Sat 调休 worked:
    // wd1 10-08, 2 10-09, 3 10-10, 4 10-12 … 15 10-27.
    let v = json(&hongdun(
        None,
        &[
            "--json",
            "calendar",
            "deadline",
            "case.verify",
            "2026-09-30",
        ],
    ));
    assert_eq!(v["due"], "2026-10-27");
    assert_eq!(v["provisional"], false);
    assert!(
        v["basis"].as_str().expect("basis").contains("第十八条"),
        "{v}"
    );
    let v = json(&hongdun(
        None,
        &[
            "--json",
            "calendar",
            "deadline",
            "case.decide",
            "2027-03-01",
        ],
    ));
    assert_eq!(v["provisional"], true);
}

#[test]
fn calendar_is_workday_knows_make_up_saturdays() {
    let v = json(&hongdun(
        None,
        &["--json", "calendar", "is-workday", "2026-10-10"],
    ));
    assert_eq!(v["workday"], true);
    let v = json(&hongdun(
        None,
        &["--json", "calendar", "is-workday", "2026-10-05"],
    ));
    assert_eq!(v["workday"], false);
    let out = ok(&hongdun(
        None,
        &["calendar", "add-workdays", "2026-09-30", "3"],
    ));
    assert!(out.starts_with("2026-10-10"), "{out}");
    let rules = json(&hongdun(None, &["--json", "calendar", "rules"]));
    assert_eq!(rules.as_array().expect("rules").len(), 15);
}

#[test]
fn create_edit_show_list_and_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    init(dir.path());
    let v = json(&hongdun(
        Some(dir.path()),
        &[
            "--json",
            "create",
            "lead",
            "-f",
            "source_type=report",
            "-f",
            "received_on=2026-03-02",
            "-f",
            "summary=群众举报某超市销售假冒茅台酒",
        ],
    ));
    let id = v["id"].as_str().expect("id").to_string();
    ok(&hongdun(
        Some(dir.path()),
        &["edit", &id, "-f", "notes=已电话联系举报人"],
    ));
    let show = json(&hongdun(Some(dir.path()), &["--json", "show", &id]));
    assert_eq!(show["fields"]["notes"], "已电话联系举报人");
    assert_eq!(show["deadlines"][0]["rule"], "case.verify");
    assert_eq!(show["deadlines"][0]["due"], "2026-03-23");
    let list = json(&hongdun(
        Some(dir.path()),
        &["--json", "list", "--text", "茅台"],
    ));
    assert_eq!(list["total"], 1);
    assert_eq!(list["capped"], false, "one match is an exact count");
    let none = json(&hongdun(
        Some(dir.path()),
        &["--json", "list", "--text", "传销"],
    ));
    assert_eq!(none["total"], 0);
    let hist = json(&hongdun(Some(dir.path()), &["--json", "history", &id]));
    let ops: Vec<&str> = hist
        .as_array()
        .expect("h")
        .iter()
        .map(|e| e["op"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ops, vec!["create", "create", "edit"]);
    assert_eq!(hist[2]["by"], "测试员");
    let dl = json(&hongdun(
        Some(dir.path()),
        &["--json", "deadlines", "--within", "10"],
    ));
    assert_eq!(dl.as_array().expect("d").len(), 1);
    ok(&hongdun(Some(dir.path()), &["reindex"]));
}

#[test]
fn export_and_import_round_trip_and_a_bad_line_imports_nothing() {
    let a = tempfile::tempdir().expect("a");
    let b = tempfile::tempdir().expect("b");
    init(a.path());
    init(b.path());
    ok(&hongdun(
        Some(a.path()),
        &[
            "create",
            "lead",
            "-f",
            "source_type=inspection",
            "-f",
            "received_on=2026-03-02",
            "-f",
            "summary=日常巡查发现无照经营",
        ],
    ));
    let file = a.path().join("out.jsonl");
    ok(&hongdun(
        Some(a.path()),
        &["export", "--out", file.to_str().expect("path")],
    ));
    let v = json(&hongdun(
        Some(b.path()),
        &["--json", "import", file.to_str().expect("path")],
    ));
    assert_eq!(v["created"], 1);
    let v = json(&hongdun(
        Some(b.path()),
        &["--json", "import", file.to_str().expect("path")],
    ));
    assert_eq!(v["unchanged"], 1);
    let mut text = std::fs::read_to_string(&file).expect("read");
    text.push_str("{\"id\": \"x1\", \"kind\": \"lead\", \"fields\": {\"summary\": \"缺字段\"}}\n");
    let bad = b.path().join("bad.jsonl");
    std::fs::write(&bad, text).expect("write");
    let c = tempfile::tempdir().expect("c");
    init(c.path());
    let err = fails(&hongdun(
        Some(c.path()),
        &["import", bad.to_str().expect("path")],
    ));
    assert!(err.contains("line 2"), "{err}");
    let v = json(&hongdun(Some(c.path()), &["--json", "list"]));
    assert_eq!(
        v["total"], 0,
        "nothing imported from a file with a bad line"
    );
}

#[test]
fn the_example_records_file_imports() {
    let dir = tempfile::tempdir().expect("tempdir");
    init(dir.path());
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/examples/records.jsonl"
    );
    let v = json(&hongdun(Some(dir.path()), &["--json", "import", example]));
    assert!(v["created"].as_u64().expect("created") >= 5, "{v}");
}

#[test]
fn bad_input_gets_a_plain_sentence_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().expect("tempdir");
    // no store chosen
    let e = fails(&hongdun(None, &["list"]));
    assert!(e.contains("--data"), "{e}");
    // not initialised
    let e = fails(&hongdun(Some(dir.path()), &["list"]));
    assert!(e.contains("init"), "{e}");
    init(dir.path());
    let e = fails(&hongdun(
        None,
        &["calendar", "deadline", "case.nope", "2026-01-01"],
    ));
    assert!(e.contains("calendar rules"), "{e}");
    let e = fails(&hongdun(None, &["calendar", "is-workday", "2026-02-30"]));
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    let e = fails(&hongdun(Some(dir.path()), &["create", "caes", "-f", "a=b"]));
    assert!(e.contains("unknown record kind"), "{e}");
    let e = fails(&hongdun(
        Some(dir.path()),
        &["create", "lead", "-f", "summary"],
    ));
    assert!(e.contains("name=value"), "{e}");
    let e = fails(&hongdun(
        Some(dir.path()),
        &[
            "create",
            "lead",
            "-f",
            "source_type=report",
            "-f",
            "received_on=2026-02-30",
            "-f",
            "summary=x",
        ],
    ));
    assert!(e.contains("received_on"), "{e}");
    let e = fails(&hongdun(Some(dir.path()), &["show", "doesnotexist"]));
    assert!(e.contains("no record"), "{e}");
    let e = fails(&hongdun(
        Some(dir.path()),
        &["import", "/nonexistent/file.jsonl"],
    ));
    assert!(e.contains("cannot read"), "{e}");
    let garbage = dir.path().join("g.jsonl");
    std::fs::write(&garbage, "this is not json\n").expect("write");
    let e = fails(&hongdun(
        Some(dir.path()),
        &["import", garbage.to_str().expect("p")],
    ));
    assert!(e.contains("line 1") && e.contains("RECORDS.md"), "{e}");
    let e = fails(&hongdun(
        Some(dir.path()),
        &["init", "--office", "OTHER", "--name", "别的所"],
    ));
    assert!(e.contains("already belongs"), "{e}");
    // every failure was one line
    for args in [&["show", "nope"][..], &["list", "--kind", "foo"][..]] {
        let e = fails(&hongdun(Some(dir.path()), args));
        assert_eq!(e.trim().lines().count(), 1, "{e}");
    }
}

#[test]
fn a_local_limit_in_the_store_overrides_the_statutory_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    init(dir.path());
    std::fs::write(
        dir.path().join("limits.toml"),
        "[override.\"complaint.accept\"]\ndays = 5\nunit = \"working\"\nnote = \"本市规定：投诉受理期限压缩为5个工作日\"\n",
    )
    .expect("write");
    // Mon 2026-03-02 + 5 working days = Mon 2026-03-09 (statutory 7 would be 03-11).
    let v = json(&hongdun(
        Some(dir.path()),
        &[
            "--json",
            "calendar",
            "deadline",
            "complaint.accept",
            "2026-03-02",
        ],
    ));
    assert_eq!(v["due"], "2026-03-09");
    assert!(
        v["basis"].as_str().expect("basis").contains("本市规定"),
        "{v}"
    );
    let v = json(&hongdun(
        None,
        &[
            "--json",
            "calendar",
            "deadline",
            "complaint.accept",
            "2026-03-02",
        ],
    ));
    assert_eq!(v["due"], "2026-03-11");
    // A broken override file is named in the error.
    std::fs::write(
        dir.path().join("limits.toml"),
        "[override.\"complaint.nope\"]\ndays = 5\nunit = \"working\"\nnote = \"x\"\n",
    )
    .expect("write");
    let e = fails(&hongdun(Some(dir.path()), &["list"]));
    assert!(e.contains("limits.toml"), "{e}");
}

#[test]
fn a_new_years_schedule_dropped_into_the_store_makes_deadlines_final() {
    let dir = tempfile::tempdir().expect("tempdir");
    init(dir.path());
    // Without a 2027 schedule, a 2027 deadline is provisional.
    let v = json(&hongdun(
        Some(dir.path()),
        &["--json", "calendar", "deadline", "case.serve", "2027-03-01"],
    ));
    assert_eq!(v["provisional"], true);
    // The bureau distributes an updated calendar file; no new build needed.
    let mut cal = hongdun_core::calendar::BUILTIN_TOML.to_string();
    cal.push_str(
        "\n[[year]]\nyear = 2027\nnotice = \"测试用2027年安排\"\nholidays = [\n  { name = \"元旦\", from = 2027-01-01, to = 2027-01-03 },\n]\n",
    );
    std::fs::write(dir.path().join("calendar.toml"), cal).expect("write");
    let v = json(&hongdun(
        Some(dir.path()),
        &["--json", "calendar", "deadline", "case.serve", "2027-03-01"],
    ));
    assert_eq!(v["provisional"], false, "{v}");
    // Mon 2027-03-01 + 7 working days = Wed 2027-03-10.
    assert_eq!(v["due"], "2027-03-10");
}
