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
//!   cargo test -p hongdun-desktop --test desktop_e2e -- --ignored --nocapture
//! ```

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

const ELEMENT_TIMEOUT: Duration = Duration::from_secs(30);
const OFFICE: (&str, &str) = ("GS0101", "城关市场监督管理所");

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

fn artifacts_dir() -> PathBuf {
    let dir = env("HONGDUN_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/artifacts"));
    std::fs::create_dir_all(&dir).expect("create the artifacts directory");
    dir
}

/// Where `hongdun` and `hongdun-server` were built.
fn bin_dir() -> PathBuf {
    if let Some(dir) = env("HONGDUN_E2E_BIN_DIR") {
        return PathBuf::from(dir);
    }
    let target = env("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("debug")
}

fn bin(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p hongdun-core -p hongdun-server --bins`",
        path.display()
    );
    path
}

/// Runs a command to completion; its stdout as JSON.
fn run_json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().expect("run a Hongdun binary");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|err| {
        panic!(
            "{cmd:?} printed no JSON ({err}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// A child process stopped with SIGTERM on drop (SIGKILL would leave
/// tauri-driver's WebKitWebDriver and the app running and hang the harness).
struct Running {
    child: Child,
    what: &'static str,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        eprintln!("{} still running 10 s after SIGTERM; leaving it", self.what);
    }
}

/// The relay with one office, one user and two enrollment codes (the desk
/// and a second device of the same office).
struct Relay {
    _process: Running,
    url: String,
    codes: [String; 2],
}

fn start_relay(dir: &Path) -> Relay {
    let server = bin("hongdun-server");
    let data = dir.join("relay");
    let admin = |args: &[&str]| {
        run_json(
            Command::new(&server)
                .arg("admin")
                .arg("--data")
                .arg(&data)
                .args(args),
        )
    };
    admin(&["create-office", "--code", OFFICE.0, "--name", OFFICE.1]);
    let user = admin(&["create-user", "--org", OFFICE.0, "--name", "李明"]);
    let user = user["user"]["id"].as_str().expect("user id").to_string();
    let mut codes = Vec::new();
    for name in ["所里电脑", "所长电脑"] {
        let device = admin(&["create-device", "--user", &user, "--name", name]);
        codes.push(
            device["enrollment_code"]
                .as_str()
                .expect("enrollment code")
                .to_string(),
        );
    }
    let port = free_port();
    let child = Command::new(&server)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data")
        .arg(&data)
        .stdin(Stdio::null())
        .spawn()
        .expect("start hongdun-server");
    let process = Running {
        child,
        what: "hongdun-server",
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the relay did not start listening"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Relay {
        _process: process,
        url: format!("http://127.0.0.1:{port}"),
        codes: [codes[0].clone(), codes[1].clone()],
    }
}

fn start_driver(data: &Path) -> (Running, u16) {
    let port = free_port();
    let native_port = free_port();
    let child = Command::new("tauri-driver")
        .args(["--port", &port.to_string()])
        .args(["--native-port", &native_port.to_string()])
        // Inherited by WebKitWebDriver and then by the app.
        .env("HONGDUN_DATA", data)
        .stdin(Stdio::null())
        .spawn()
        .expect("start tauri-driver (installed by scripts/setup.sh)");
    (
        Running {
            child,
            what: "tauri-driver",
        },
        port,
    )
}

/// Session creation races tauri-driver's start-up and sometimes has its
/// connection reset: retry 20 × 500 ms.
async fn connect(port: u16) -> Client {
    let app = env!("CARGO_BIN_EXE_hongdun-desktop");
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last = String::new();
    for _ in 0..20 {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return client,
            Err(err) => last = err.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("no WebDriver session after 20 attempts: {last}");
}

fn by_id(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

async fn find(client: &Client, testid: &str) -> Element {
    client
        .wait()
        .at_most(ELEMENT_TIMEOUT)
        .for_element(Locator::Css(&by_id(testid)))
        .await
        .unwrap_or_else(|err| panic!("{testid} did not appear: {err}"))
}

async fn click(client: &Client, testid: &str) {
    find(client, testid)
        .await
        .click()
        .await
        .unwrap_or_else(|err| panic!("click {testid}: {err}"));
}

async fn fill(client: &Client, testid: &str, text: &str) {
    let el = find(client, testid).await;
    el.clear()
        .await
        .unwrap_or_else(|err| panic!("clear {testid}: {err}"));
    el.send_keys(text)
        .await
        .unwrap_or_else(|err| panic!("type into {testid}: {err}"));
}

async fn choose(client: &Client, testid: &str, value: &str) {
    find(client, testid)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|err| panic!("choose {value} in {testid}: {err}"));
}

/// The text of `testid`, looked up again if the page re-rendered it.
async fn text_of(client: &Client, testid: &str) -> String {
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        match find(client, testid).await.text().await {
            Ok(text) => return text,
            Err(err) if Instant::now() < deadline => {
                eprintln!("{testid} changed while read ({err}); reading again");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(err) => panic!("{testid}: {err}"),
        }
    }
}

/// Waits until `check` holds for the text of `testid`.
async fn wait_text(client: &Client, testid: &str, what: &str, check: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        let text = text_of(client, testid).await;
        if check(&text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{testid} should show {what}, shows {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until the open record has status `status`.
async fn wait_status(client: &Client, status: &str) {
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        let el = find(client, "record-status").await;
        let shown = el.attr("data-status").await.ok().flatten();
        if shown.as_deref() == Some(status) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the record should reach {status}, is {shown:?} ({:?})",
            text_of(client, "status").await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("WebDriver screenshot");
    let path = artifacts_dir().join(name);
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("screenshot: {}", path.display());
}

/// The deadline rows of the open record: (name, days left, basis).
async fn deadline_rows(client: &Client) -> Vec<(String, String, String)> {
    client
        .wait()
        .at_most(ELEMENT_TIMEOUT)
        .for_element(Locator::Css(".deadline-row"))
        .await
        .expect("the record shows its deadlines");
    let mut out = Vec::new();
    for row in client
        .find_all(Locator::Css(".deadline-row"))
        .await
        .expect("deadline rows")
    {
        let mut cells = Vec::new();
        for class in [".deadline-name", ".days-left", ".basis"] {
            let text = match row.find(Locator::Css(class)).await {
                Ok(cell) => cell.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            cells.push(text);
        }
        out.push((cells[0].clone(), cells[1].clone(), cells[2].clone()));
    }
    out
}

/// Two certified handlers (行政处罚法 Art 42), adding rows as needed.
async fn fill_handlers(client: &Client) {
    for (i, (name, cert)) in [("李明", "62010001"), ("王强", "62010002")]
        .iter()
        .enumerate()
    {
        let name_field = format!("field-handlers[{i}].name");
        if client
            .find(Locator::Css(&by_id(&name_field)))
            .await
            .is_err()
        {
            click(client, "add-handlers").await;
        }
        fill(client, &name_field, name).await;
        fill(
            client,
            &format!("field-handlers[{i}].enforcement_cert_no"),
            cert,
        )
        .await;
    }
}

async fn open_new_form(client: &Client, tab: &str, kind: &str) {
    click(client, "nav-cases").await;
    click(client, tab).await;
    click(client, &format!("new-{kind}")).await;
    find(client, "form-submit").await;
}

async fn save_form(client: &Client) {
    click(client, "form-submit").await;
    let saved = client
        .wait()
        .at_most(ELEMENT_TIMEOUT)
        .for_element(Locator::Css(&by_id("record-title")))
        .await;
    if saved.is_err() {
        let mut why = Vec::new();
        for testid in ["status", "form-errors"] {
            if let Ok(el) = client.find(Locator::Css(&by_id(testid))).await {
                why.push(el.text().await.unwrap_or_default());
            }
        }
        panic!("the form was not saved: {why:?}");
    }
}

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

    let (driver, port) = start_driver(&desk);
    let client = connect(port).await;
    // Run the checks as a task so a failed assertion still closes the session
    // (else the app stays running) and leaves a screenshot for the log.
    let checks = tokio::spawn({
        let client = client.clone();
        let (url, code, today) = (relay.url.clone(), relay.codes[0].clone(), today.clone());
        async move { scenario(&client, &url, &code, &today).await }
    })
    .await;
    if checks.is_err() {
        let _ = client
            .screenshot()
            .await
            .map(|png| std::fs::write(artifacts_dir().join("desktop-failure.png"), png));
    }
    client.close().await.expect("close the WebDriver session");
    drop(driver);
    if let Err(err) = checks {
        std::panic::resume_unwind(err.into_panic());
    }

    // A second device of the same office syncs with the CLI and holds them.
    let cli = bin("hongdun");
    let second = work.path().join("second");
    run_json(
        Command::new(&cli)
            .arg("--data")
            .arg(&second)
            .arg("--json")
            .args(["enroll", "--server", &relay.url, "--code", &relay.codes[1]]),
    );
    run_json(
        Command::new(&cli)
            .arg("--data")
            .arg(&second)
            .arg("--json")
            .arg("sync"),
    );
    let listed = run_json(
        Command::new(&cli)
            .arg("--data")
            .arg(&second)
            .arg("--json")
            .args(["list", "--limit", "100"]),
    );
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
    let cli = bin("hongdun");
    let hongdun = |dir: &Path| {
        let mut cmd = Command::new(&cli);
        cmd.arg("--data").arg(dir);
        cmd
    };
    let office = work.path().join("office");
    run_json(hongdun(&office).arg("--json").args([
        "enroll",
        "--server",
        &relay.url,
        "--code",
        &relay.codes[0],
    ]));
    let seeded = hongdun(&office)
        .args(["demo", "seed", "--offices", "1", "--records", "3000"])
        .output()
        .expect("seed");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let (records, pending, _) = store_state(&office);
    assert!(pending > 0, "seeded records wait to be uploaded");

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
