//! End to end through the real WebView: the built app in WebKitGTK, driven by
//! WebDriver via `tauri-driver` (see TOOLCHAIN.md), against a real relay
//! (`hongdun-server`) and a second office store synced with the `hongdun` CLI.
//!
//! A clerk enrolls the desk with a code in 设置, registers a lead and files it
//! (立案), files a normal-procedure case and sees its deadline with the legal
//! basis and the days left, records an on-the-spot decision on a simple case
//! and sees its payment deadline, syncs on the 同步 page, and the records
//! arrive in a second device's store of the same office. Every main page is
//! photographed into `$HONGDUN_ARTIFACTS` (default `target/artifacts`).
//!
//! Ignored by plain `cargo test`: it needs an X display (Xvfb), `tauri-driver`,
//! `WebKitWebDriver`, the front end built by trunk before this crate, and the
//! `hongdun` and `hongdun-server` binaries (`HONGDUN_E2E_BIN_DIR`, default the
//! `debug` folder of `$CARGO_TARGET_DIR`). `scripts/test.sh` runs it as
//!
//! ```text
//! xvfb-run -a -s '-screen 0 1366x768x24' \
//!   cargo test -p hongdun-desktop --test 'desktop_*' -- --ignored --nocapture --test-threads=1
//! ```

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Client;

use common::*;

async fn scenario(client: &Client, relay_url: &str, code: &str, today: &str) {
    // 设置: the person at the desk, then enrollment with the bureau's code.
    click(client, "nav-settings").await;
    fill(client, "settings-user", "李明").await;
    click(client, "settings-user-save").await;
    fill(client, "settings-server", relay_url).await;
    fill(client, "settings-code", code).await;
    click(client, "enroll-submit").await;
    wait_text(client, "settings-enrolled", "the relay", |t| {
        t.contains(relay_url)
    })
    .await;
    wait_text(client, "settings-office", "the enrolled office", |t| {
        t.contains(OFFICE.1)
    })
    .await;
    screenshot(client, "settings.png").await;

    // 案源: register a lead, then file it (立案) with two certified handlers.
    open_new_form(client, "tab-lead", "lead").await;
    choose(client, "field-source_type", "inspection.routine").await;
    fill(client, "field-received_on", today).await;
    fill(
        client,
        "field-summary",
        "群众举报城关镇某超市销售假冒茅台酒",
    )
    .await;
    save_form(client).await;
    screenshot(client, "lead.png").await;
    click(client, "action-start_verify").await;
    fill(client, "field-on", today).await;
    click(client, "action-submit").await;
    wait_status(client, "VERIFYING").await;
    click(client, "action-file").await;
    fill_handlers(client).await;
    fill(client, "field-on", today).await;
    click(client, "action-submit").await;
    wait_status(client, "FILED").await;

    // 案件: a normal-procedure case filed today runs the 90-day limit of
    // 行政处罚法 Art 60, shown with its basis and the days left.
    open_new_form(client, "tab-case", "case").await;
    choose(client, "field-procedure", "normal").await;
    fill(client, "field-cause", "销售假冒注册商标的商品").await;
    fill(client, "field-filed_on", today).await;
    choose(client, "field-parties[0].party_type", "enterprise").await;
    fill(client, "field-parties[0].name", "城关镇某超市有限公司").await;
    fill(client, "field-parties[0].uscc", "91350100M000100Y43").await;
    fill_handlers(client).await;
    save_form(client).await;
    wait_status(client, "FILED").await;
    let rows = deadline_rows(client).await;
    eprintln!("filed case deadlines: {rows:?}");
    assert!(
        rows.iter()
            .any(|(_, days, basis)| basis.contains("第六十条") && days.contains("90")),
        "the filed case shows the 90-day decision limit with its basis: {rows:?}"
    );
    screenshot(client, "case-file.png").await;

    // A simple-procedure case decided on the spot: the fine is due within
    // 15 days (行政处罚法 Art 67; a due date on a rest day rolls forward), shown
    // with its basis.
    open_new_form(client, "tab-case", "case").await;
    choose(client, "field-procedure", "simple").await;
    fill(client, "field-cause", "未按规定明码标价").await;
    choose(client, "field-parties[0].party_type", "enterprise").await;
    fill(client, "field-parties[0].name", "城关镇某药店有限公司").await;
    fill(client, "field-parties[0].uscc", "91350100M000100Y43").await;
    save_form(client).await;
    click(client, "action-decide_on_site").await;
    fill(client, "field-decision_no", "城市监简罚〔2026〕1号").await;
    fill(client, "field-fine_fen", "200").await;
    fill(client, "field-on", today).await;
    click(client, "action-submit").await;
    wait_status(client, "ON_SITE_DECIDED").await;
    let rows = deadline_rows(client).await;
    eprintln!("decided case deadlines: {rows:?}");
    assert!(
        rows.iter()
            .any(|(_, days, basis)| basis.contains("第六十七条") && basis.contains("十五日")
                && days.chars().any(|c| c.is_ascii_digit())),
        "the decided case shows the 15-day payment limit (rolled forward off a weekend or holiday) with its basis and days left: {rows:?}"
    );
    screenshot(client, "case-decided.png").await;

    // 修改: the clerk corrects the party's name in 基本信息; only that is saved.
    click(client, "edit-fields").await;
    fill(client, "field-parties[0].name", "城关镇某大药房有限公司").await;
    click(client, "edit-submit").await;
    wait_text(client, "fields-view", "the corrected name", |t| {
        t.contains("城关镇某大药房有限公司")
    })
    .await;
    wait_status(client, "ON_SITE_DECIDED").await;

    // 同步: sync now; nothing is left to send.
    click(client, "nav-sync").await;
    click(client, "sync-now").await;
    wait_text(client, "sync-pending", "no pending changes", |t| {
        t.trim() == "0"
    })
    .await;
    wait_text(client, "sync-summary", "the last sync's summary", |t| {
        !t.is_empty()
    })
    .await;
    screenshot(client, "sync.png").await;

    // Every main page, for the docs.
    for (nav, name) in [
        ("nav-dashboard", "workbench.png"),
        ("nav-cases", "cases.png"),
        ("nav-complaints", "complaints.png"),
        ("nav-petitions", "petitions.png"),
        ("nav-campaigns", "campaigns.png"),
        ("nav-stats", "stats.png"),
    ] {
        click(client, nav).await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        screenshot(client, name).await;
    }
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and the built binaries; run by scripts/test.sh"]
async fn a_clerk_files_and_decides_cases_in_the_desk_and_a_second_office_store_receives_them() {
    let work = tempfile::tempdir().expect("scratch directory");
    let relay = start_relay(work.path());
    let desk = work.path().join("desk");
    let today = chrono::Local::now().date_naive().to_string();

    let (url, code) = (relay.url.clone(), relay.codes[0].clone());
    with_desk(&desk, "desktop-failure", move |client| async move {
        scenario(&client, &url, &code, &today).await
    })
    .await;

    // A second device of the same office syncs with the CLI and holds them.
    let second = work.path().join("second");
    run_json(hongdun_json(&second).args([
        "enroll",
        "--server",
        &relay.url,
        "--code",
        &relay.codes[1],
    ]));
    run_json(hongdun_json(&second).arg("sync"));
    let listed = run_json(hongdun_json(&second).args(["list", "--limit", "100"]));
    let text = listed.to_string();
    for expected in ["假冒茅台酒", "销售假冒注册商标的商品", "未按规定明码标价"]
    {
        assert!(
            text.contains(expected),
            "the second store holds {expected}: {text}"
        );
    }
}

/// How many records a store lists, how many wait to be uploaded, and how
/// many documents were quarantined (read with the core, as the app does).
fn store_state(dir: &Path) -> (usize, usize, usize) {
    let store = hongdun_core::store::Store::open(dir).expect("the store opens");
    let records = store
        .count(&hongdun_core::store::ListQuery::default())
        .expect("count");
    let pending = store.sync_status().expect("sync status").pending_documents;
    let quarantined = store.health().expect("health").quarantined.len();
    (records, pending, quarantined)
}

/// A store at `dir` enrolled with the relay's first code and seeded with
/// `n` demo records not yet uploaded: (records, documents pending).
fn seeded_office(relay: &Relay, dir: &Path, n: usize) -> (usize, usize) {
    run_json(hongdun(dir).arg("--json").args([
        "enroll",
        "--server",
        &relay.url,
        "--code",
        &relay.codes[0],
    ]));
    let seeded = hongdun(dir)
        .args([
            "demo",
            "seed",
            "--offices",
            "1",
            "--records",
            &n.to_string(),
        ])
        .output()
        .expect("seed");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let (records, pending, _) = store_state(dir);
    assert!(pending > 0, "seeded records wait to be uploaded");
    (records, pending)
}

/// The desk's background sync and the CLI run the same rounds
/// (`client::sync_with`): each round's answer is committed before the next
/// request. Killing the syncing process after its first round must leave a
/// store that opens, keeps every record, and finishes on the next sync; a
/// second device of the office then receives everything.
#[test]
#[ignore = "needs the built binaries; run by scripts/test.sh"]
fn a_sync_killed_mid_way_leaves_a_consistent_store_that_finishes_on_the_next_run() {
    use std::io::{BufRead, BufReader};

    let work = tempfile::tempdir().expect("scratch directory");
    let relay = start_relay(work.path());
    let office = work.path().join("office");
    let (records, pending) = seeded_office(&relay, &office, 3000);

    let mut child = hongdun(&office)
        .arg("sync")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start hongdun sync");
    let stderr = child.stderr.take().expect("stderr");
    let first = BufReader::new(stderr)
        .lines()
        .next()
        .and_then(Result::ok)
        .expect("a first round is reported");
    child.kill().expect("SIGKILL the sync");
    let _ = child.wait();
    eprintln!("killed after: {first}");

    let (after_kill, pending_after_kill, quarantined) = store_state(&office);
    assert_eq!(after_kill, records, "every record is still there");
    assert_eq!(quarantined, 0, "no document was damaged");
    assert!(
        pending_after_kill < pending,
        "the first round's uploads stay acknowledged ({pending_after_kill} of {pending} still pending)"
    );

    // The next sync goes on from there and finishes.
    run_json(hongdun(&office).arg("--json").arg("sync"));
    assert_eq!(store_state(&office).1, 0, "nothing is left to upload");

    let second = work.path().join("second");
    run_json(hongdun(&second).arg("--json").args([
        "enroll",
        "--server",
        &relay.url,
        "--code",
        &relay.codes[1],
    ]));
    run_json(hongdun(&second).arg("--json").arg("sync"));
    assert_eq!(
        store_state(&second).0,
        records,
        "the second device holds every record"
    );
}

/// The same for the desk itself: the app's background sync starts as the
/// window opens; the app is killed (SIGKILL) as soon as its first rounds are
/// stored. The store opens with every record, nothing is quarantined, what
/// was acknowledged stays acknowledged, and the CLI's next sync finishes.
#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and the built binaries; run by scripts/test.sh"]
async fn the_desk_killed_while_syncing_keeps_every_record_and_the_next_sync_finishes() {
    let work = tempfile::tempdir().expect("scratch directory");
    let relay = start_relay(work.path());
    let desk = work.path().join("desk");
    let (records, pending) = seeded_office(&relay, &desk, 6000);

    // The app starts and syncs at once; kill it when the first rounds are in.
    let (driver, port) = start_driver(&desk);
    let client = connect(port).await;
    let app = env!("CARGO_BIN_EXE_hongdun-desktop");
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    let seen = loop {
        let (_, now_pending, _) = store_state(&desk);
        if now_pending < pending {
            break now_pending;
        }
        assert!(Instant::now() < deadline, "the desk's sync never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let killed = Command::new("pkill")
        .args(["-KILL", "-f", app])
        .status()
        .expect("pkill");
    assert!(killed.success(), "the app process was found and killed");
    let _ = client.close().await;
    drop(driver);
    eprintln!("killed the desk with {seen} of {pending} documents still to upload");

    let (after_kill, pending_after_kill, quarantined) = store_state(&desk);
    assert_eq!(after_kill, records, "every record is still there");
    assert_eq!(quarantined, 0, "no document was damaged");
    assert!(
        pending_after_kill < pending,
        "the acknowledged rounds stay acknowledged ({pending_after_kill} of {pending} pending)"
    );

    run_json(hongdun(&desk).arg("--json").arg("sync"));
    assert_eq!(store_state(&desk).1, 0, "nothing is left to upload");
}
