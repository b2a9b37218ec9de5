//! End to end through the real WebView: the built app in WebKitGTK, driven by
//! WebDriver via `tauri-driver` (see TOOLCHAIN.md).
//!
//! Ignored by plain `cargo test`: it needs an X display (Xvfb), `tauri-driver`,
//! `WebKitWebDriver` and a seeded store. `scripts/test.sh` runs it as
//!
//! ```text
//! HONGDUN_E2E_DATA=<store dir> HONGDUN_E2E_OFFICE=<office name> HONGDUN_E2E_EXPECT=rows|empty \
//!   xvfb-run -a -s '-screen 0 1366x768x24' \
//!   cargo test -p hongdun-desktop --test desktop_e2e -- --ignored --nocapture
//! ```
//! and it leaves `desktop-list.png` in `$HONGDUN_ARTIFACTS` (default `target/artifacts`).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const ELEMENT_TIMEOUT: Duration = Duration::from_secs(30);

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

/// A running `tauri-driver`. Stopped with SIGTERM on drop: SIGKILL would leave
/// WebKitWebDriver (and the app) running and hang the harness.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(data: &str) -> Driver {
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
        Driver { child, port }
    }
}

impl Drop for Driver {
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
        eprintln!("tauri-driver still running 10 s after SIGTERM; leaving it");
    }
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

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(ELEMENT_TIMEOUT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("{css} did not appear: {err}"))
        .text()
        .await
        .expect("element text")
}

async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.expect("WebDriver screenshot");
    let path = artifacts_dir().join(name);
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("screenshot: {}", path.display());
    path
}

/// What the list must show, per `HONGDUN_E2E_EXPECT`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// At least one record row (a seeded store).
    Rows,
    /// The empty-state text (a store after `hongdun init` only).
    Empty,
}

async fn check_list(client: &Client, office: &str, expect: Expect) {
    let shown = text_of(client, "#office-name").await;
    assert_eq!(shown.trim(), office, "the header shows the office name");

    match expect {
        Expect::Rows => {
            text_of(client, "table#records tbody tr.record").await;
            let rows = client
                .find_all(Locator::Css("table#records tbody tr.record"))
                .await
                .expect("record rows");
            assert!(!rows.is_empty(), "at least one record row");
            let count = text_of(client, "#count").await;
            assert!(
                count.contains(&rows.len().to_string()),
                "count line {count:?} vs {} rows",
                rows.len()
            );
            eprintln!("list shows {} rows ({count})", rows.len());
            screenshot(client, "desktop-list.png").await;

            // The kind filter narrows the list to that kind only.
            client
                .find(Locator::Css("button.kind[data-kind='case']"))
                .await
                .expect("案件 filter button")
                .click()
                .await
                .expect("click 案件");
            let deadline = Instant::now() + ELEMENT_TIMEOUT;
            loop {
                let active = text_of(client, "button.kind.active").await;
                let kinds = client
                    .find_all(Locator::Css("tr.record td.kind"))
                    .await
                    .unwrap();
                let mut labels = Vec::new();
                for k in &kinds {
                    labels.push(k.text().await.unwrap());
                }
                if active == "案件" && labels.iter().all(|l| l == "案件") {
                    eprintln!("案件 filter shows {} rows", labels.len());
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "案件 filter still shows {labels:?}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        Expect::Empty => {
            let empty = text_of(client, "#empty-state").await;
            assert_eq!(empty.trim(), "暂无记录");
            screenshot(client, "desktop-list.png").await;
        }
    }
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and a seeded store; run by scripts/test.sh"]
async fn desktop_lists_the_offices_records() {
    let data = env("HONGDUN_E2E_DATA").expect("HONGDUN_E2E_DATA: the store directory");
    let office = env("HONGDUN_E2E_OFFICE").expect("HONGDUN_E2E_OFFICE: the expected office name");
    let expect = match env("HONGDUN_E2E_EXPECT").as_deref() {
        None | Some("rows") => Expect::Rows,
        Some("empty") => Expect::Empty,
        Some(other) => panic!("HONGDUN_E2E_EXPECT must be rows or empty, not {other}"),
    };

    let driver = Driver::start(&data);
    let client = connect(driver.port).await;
    // Run the checks as a task so a failed assertion still closes the session
    // (else the app stays running) and leaves a screenshot for the log.
    let checks = tokio::spawn({
        let client = client.clone();
        let office = office.clone();
        async move { check_list(&client, &office, expect).await }
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
}
