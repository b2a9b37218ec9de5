//! What the desktop end-to-end tests share: the built binaries, a real relay
//! with one office, `tauri-driver` with the app in WebKitGTK, a WebDriver
//! session, and helpers that find, fill and click elements by `data-testid`.
//! Each test binary uses a part of it.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

pub const ELEMENT_TIMEOUT: Duration = Duration::from_secs(30);
pub const OFFICE: (&str, &str) = ("GS0101", "城关市场监督管理所");
/// A partner organisation (联合办案) the office may share case files with.
pub const PARTNER: (&str, &str) = ("GA0101", "城关派出所");

pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

pub fn artifacts_dir() -> PathBuf {
    let dir = env("HONGDUN_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/artifacts"));
    std::fs::create_dir_all(&dir).expect("create the artifacts directory");
    dir
}

/// Where `hongdun` and `hongdun-server` were built.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = env("HONGDUN_E2E_BIN_DIR") {
        return PathBuf::from(dir);
    }
    let target = env("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("debug")
}

pub fn bin(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p hongdun-core -p hongdun-server --bins`",
        path.display()
    );
    path
}

/// Runs a command to completion; its stdout as JSON.
pub fn run_json(cmd: &mut Command) -> serde_json::Value {
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
pub struct Running {
    pub child: Child,
    pub what: &'static str,
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
/// and a second device of the same office), and one partner organisation
/// ([`PARTNER`]) without devices.
pub struct Relay {
    pub _process: Running,
    pub url: String,
    pub codes: [String; 2],
    /// The relay's data directory, for more `admin` commands.
    pub data: PathBuf,
}

/// The `hongdun` command line on the store in `dir`.
pub fn hongdun(dir: &Path) -> Command {
    let mut cmd = Command::new(bin("hongdun"));
    cmd.arg("--data").arg(dir);
    cmd
}

/// The same, answering in JSON (for [`run_json`]).
pub fn hongdun_json(dir: &Path) -> Command {
    let mut cmd = hongdun(dir);
    cmd.arg("--json");
    cmd
}

/// `hongdun-server admin --data DATA ARGS…`, its JSON answer.
pub fn relay_admin(data: &Path, args: &[&str]) -> serde_json::Value {
    run_json(
        Command::new(bin("hongdun-server"))
            .arg("admin")
            .arg("--data")
            .arg(data)
            .args(args),
    )
}

/// A new user of `org` with one device; the device's enrollment code.
pub fn enrollment_code(data: &Path, org: &str, user: &str, device: &str) -> String {
    let made = relay_admin(data, &["create-user", "--org", org, "--name", user]);
    let id = made["user"]["id"].as_str().expect("user id").to_string();
    let made = relay_admin(data, &["create-device", "--user", &id, "--name", device]);
    made["enrollment_code"]
        .as_str()
        .expect("enrollment code")
        .to_string()
}

pub fn start_relay(dir: &Path) -> Relay {
    let server = bin("hongdun-server");
    let data = dir.join("relay");
    let admin = |args: &[&str]| relay_admin(&data, args);
    admin(&["create-office", "--code", OFFICE.0, "--name", OFFICE.1]);
    admin(&[
        "create-office",
        "--code",
        PARTNER.0,
        "--name",
        PARTNER.1,
        "--kind",
        "partner",
    ]);
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
        data,
    }
}

pub fn start_driver(data: &Path) -> (Running, u16) {
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
/// connection reset: retry 20 × 500 ms. The app is the one built with the
/// tests, or `HONGDUN_E2E_APP` (e.g. a release build for perf_webview).
pub async fn connect(port: u16) -> Client {
    let app =
        env("HONGDUN_E2E_APP").unwrap_or_else(|| env!("CARGO_BIN_EXE_hongdun-desktop").to_string());
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

pub fn by_id(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

pub async fn find(client: &Client, testid: &str) -> Element {
    find_css(client, &by_id(testid)).await
}

/// The element matching a CSS selector, waiting until it appears.
/// Looks again while the element is missing or was replaced as it was
/// found (a page re-rendering after a sync answers "stale element").
pub async fn find_css(client: &Client, css: &str) -> Element {
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        match client.find(Locator::Css(css)).await {
            Ok(el) => return el,
            Err(err) if Instant::now() >= deadline => panic!("{css} did not appear: {err}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Clicks the element matching `css`, finding it again while the page
/// re-renders it (a list reloading after a tab change).
pub async fn click_css(client: &Client, css: &str) {
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        match find_css(client, css).await.click().await {
            Ok(()) => return,
            Err(err) if Instant::now() < deadline => {
                eprintln!("click {css}: {err:?}; trying again");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(err) => panic!("click {css}: {err:?}"),
        }
    }
}

pub async fn click(client: &Client, testid: &str) {
    find(client, testid)
        .await
        .click()
        .await
        .unwrap_or_else(|err| panic!("click {testid}: {err}"));
}

pub async fn fill(client: &Client, testid: &str, text: &str) {
    let el = find(client, testid).await;
    el.clear()
        .await
        .unwrap_or_else(|err| panic!("clear {testid}: {err}"));
    el.send_keys(text)
        .await
        .unwrap_or_else(|err| panic!("type into {testid}: {err}"));
}

pub async fn choose(client: &Client, testid: &str, value: &str) {
    find(client, testid)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|err| panic!("choose {value} in {testid}: {err}"));
}

/// The text of `testid`, looked up again if the page re-rendered it.
pub async fn text_of(client: &Client, testid: &str) -> String {
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
pub async fn wait_text(client: &Client, testid: &str, what: &str, check: impl Fn(&str) -> bool) {
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
pub async fn wait_status(client: &Client, status: &str) {
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

pub async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("WebDriver screenshot");
    let path = artifacts_dir().join(name);
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("screenshot: {}", path.display());
}

/// The deadline rows of the open record: (name, days left, basis).
pub async fn deadline_rows(client: &Client) -> Vec<(String, String, String)> {
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
pub async fn fill_handlers(client: &Client) {
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

pub async fn open_new_form(client: &Client, tab: &str, kind: &str) {
    click(client, "nav-cases").await;
    click(client, tab).await;
    click(client, &format!("new-{kind}")).await;
    find(client, "form-submit").await;
}

pub async fn save_form(client: &Client) {
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

/// Start the app on the store in `desk` through tauri-driver, run `checks`
/// with the WebDriver session as a task (so a failed assertion still closes
/// the session, else the app stays running), photograph the window into
/// `<failure>.png` when they fail, and re-raise their panic.
pub async fn with_desk<F, Fut>(desk: &Path, failure: &str, checks: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (driver, port) = start_driver(desk);
    let client = connect(port).await;
    let outcome = tokio::spawn(checks(client.clone())).await;
    if outcome.is_err() {
        let _ = client
            .screenshot()
            .await
            .map(|png| std::fs::write(artifacts_dir().join(format!("{failure}.png")), png));
    }
    client.close().await.expect("close the WebDriver session");
    drop(driver);
    if let Err(err) = outcome {
        std::panic::resume_unwind(err.into_panic());
    }
}
