//! Evidence attachments through the real WebView (see `desktop_e2e.rs` for
//! what these tests need and how `scripts/test.sh` runs them).
//!
//! A clerk picks an on-site photo in a lead's 附件 panel: it shows as only
//! here with its thumbnail, and after 立即同步 as synced. A colleague's device
//! (the `hongdun` CLI) receives the photo's bytes intact and adds an
//! identification report; after the next sync the desk shows the report as
//! missing here, fetches it with 立即获取 and opens the photo with the system
//! viewer (a copy under its own name). The office's fetch policy is changed
//! in 设置 and holds in the store.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use common::*;

/// Row states the panel shows, as `data-state`.
const LOCAL_ONLY: &str = "local_only";
const SYNCED: &str = "synced";
const MISSING: &str = "missing";

/// The command line in JSON, changes made as 王芳.
fn cli(store: &Path) -> Command {
    let mut cmd = hongdun_json(store);
    cmd.env("HONGDUN_USER", "王芳");
    cmd
}

/// A small real PNG (the panel shows it as a thumbnail).
fn photo() -> Vec<u8> {
    use resvg::tiny_skia::{Color, Pixmap};
    let mut pixmap = Pixmap::new(48, 32).expect("pixmap");
    pixmap.fill(Color::from_rgba8(190, 40, 40, 255));
    pixmap.encode_png().expect("encode png")
}

fn row_css(sha: &str) -> String {
    format!("[data-testid=\"attachment-row\"][data-sha=\"{sha}\"]")
}

/// Waits until the row of `sha` shows `state`; the panel re-reads by itself
/// while bytes move and after each sync.
async fn wait_row_state(client: &Client, sha: &str, state: &str) {
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        let shown = match client.find(Locator::Css(&row_css(sha))).await {
            Ok(row) => row.attr("data-state").await.ok().flatten(),
            Err(_) => None,
        };
        if shown.as_deref() == Some(state) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "attachment {sha} should be {state}, is {shown:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn open_lead(client: &Client, id: &str) {
    click(client, "nav-cases").await;
    click(client, "tab-lead").await;
    click_css(
        client,
        // A cell, not the row: WebKitWebDriver cannot click a <tr> itself.
        &format!("[data-testid=\"record-row\"][data-id=\"{id}\"] td"),
    )
    .await;
    find(client, "panel-attachments").await;
}

async fn sync_now(client: &Client) {
    click(client, "nav-sync").await;
    click(client, "sync-now").await;
    wait_text(client, "sync-pending", "no pending changes", |t| {
        t.trim() == "0"
    })
    .await;
    // The panel reads the rows again when the sync has ended.
    wait_text(client, "sync-phase", "the sync to end", |t| {
        t.contains("空闲")
    })
    .await;
}

struct Scene {
    lead: String,
    photo_path: std::path::PathBuf,
    photo_sha: String,
    colleague: std::path::PathBuf,
    report_path: std::path::PathBuf,
}

async fn scenario(client: &Client, scene: &Scene) {
    click(client, "nav-settings").await;
    fill(client, "settings-user", "李明").await;
    click(client, "settings-user-save").await;

    // 附件: pick the photo; it is stored here first.
    open_lead(client, &scene.lead).await;
    find(client, "attach-input")
        .await
        .send_keys(&scene.photo_path.to_string_lossy())
        .await
        .expect("pick the photo");
    wait_row_state(client, &scene.photo_sha, LOCAL_ONLY).await;
    find_css(
        client,
        &format!(
            "{} [data-testid=\"attachment-thumb\"]",
            row_css(&scene.photo_sha)
        ),
    )
    .await;
    screenshot(client, "attachments.png").await;

    // 立即同步: the photo goes up; the row says so.
    sync_now(client).await;
    open_lead(client, &scene.lead).await;
    wait_row_state(client, &scene.photo_sha, SYNCED).await;

    // A colleague's device gets the photo intact and adds a report.
    run_json(cli(&scene.colleague).arg("sync"));
    let out = scene.colleague.join("photo-copy.png");
    run_json(
        cli(&scene.colleague)
            .args(["fetch-attachment", &scene.lead, &scene.photo_sha, "--out"])
            .arg(&out),
    );
    assert_eq!(
        std::fs::read(&out).expect("the fetched copy"),
        std::fs::read(&scene.photo_path).expect("the photo"),
        "the colleague's copy is the clerk's photo, byte for byte"
    );
    let report = run_json(
        cli(&scene.colleague)
            .args(["attach", &scene.lead])
            .arg(&scene.report_path),
    );
    let report_sha = report["sha256"].as_str().expect("sha").to_string();
    run_json(cli(&scene.colleague).arg("sync"));

    // The desk learns of the report at its next sync: missing here, until
    // 立即获取 brings it.
    sync_now(client).await;
    open_lead(client, &scene.lead).await;
    wait_row_state(client, &report_sha, MISSING).await;
    click_css(
        client,
        &format!(
            "{} [data-testid=\"attachment-fetch\"]",
            row_css(&report_sha)
        ),
    )
    .await;
    wait_row_state(client, &report_sha, SYNCED).await;

    // 打开: the verified photo is handed to the system viewer as a copy
    // under its own name.
    click_css(
        client,
        &format!(
            "{} [data-testid=\"attachment-open\"]",
            row_css(&scene.photo_sha)
        ),
    )
    .await;

    // 设置 → 附件: fetch everything at each sync.
    click(client, "nav-settings").await;
    choose(client, "attach-fetch-policy", "always").await;
    fill(client, "attach-max-file-mb", "50").await;
    click(client, "attach-settings-save").await;
    wait_text(client, "status", "the settings saved", |t| {
        t.contains("已保存")
    })
    .await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and the built binaries; run by scripts/test.sh"]
async fn a_photo_picked_in_the_desk_syncs_and_a_colleagues_report_is_fetched_on_demand() {
    let work = tempfile::tempdir().expect("scratch directory");
    let relay = start_relay(work.path());
    let desk = work.path().join("desk");
    let colleague = work.path().join("colleague");

    // The desk's store is enrolled and holds a lead before the app starts.
    for (store, code) in [(&desk, &relay.codes[0]), (&colleague, &relay.codes[1])] {
        run_json(cli(store).args(["enroll", "--server", &relay.url, "--code", code]));
    }
    let lead = run_json(cli(&desk).args([
        "create",
        "lead",
        "-f",
        "source_type=inspection",
        "-f",
        "received_on=2026-11-20",
        "-f",
        "summary=超市销售假冒白酒，现场拍照取证",
    ]));
    let lead = lead["id"].as_str().expect("lead id").to_string();
    run_json(cli(&desk).arg("sync"));

    let files = work.path().join("files");
    std::fs::create_dir_all(&files).expect("files dir");
    let photo_path = files.join("现场照片.png");
    std::fs::write(&photo_path, photo()).expect("write the photo");
    let report_path = files.join("鉴定报告.pdf");
    std::fs::write(&report_path, b"%PDF-1.4\n% identification report\n").expect("report");
    let photo_sha = {
        use sha2::Digest as _;
        let bytes = std::fs::read(&photo_path).expect("photo");
        format!("{:x}", sha2::Sha256::digest(bytes))
    };

    let scene = Scene {
        lead: lead.clone(),
        photo_path,
        photo_sha: photo_sha.clone(),
        colleague,
        report_path,
    };
    let scene = std::sync::Arc::new(scene);
    let checks = scene.clone();
    with_desk(&desk, "attachments-failure", move |client| async move {
        scenario(&client, &checks).await
    })
    .await;

    // What the desk's store holds afterwards, read by the CLI.
    let listed = run_json(cli(&desk).args(["attachments", &lead]));
    let rows = listed.as_array().expect("attachment list");
    assert_eq!(rows.len(), 2, "{listed}");
    assert!(
        rows.iter().all(|r| r["state"] == "synced"),
        "both files are verified on the desk: {listed}"
    );
    let opened = desk.join("opened").join(&photo_sha).join("现场照片.png");
    assert!(
        opened.exists(),
        "打开 made {} for the viewer",
        opened.display()
    );
    let settings = run_json(cli(&desk).arg("attachment-settings"));
    assert_eq!(settings["fetch"], "always", "{settings}");
    assert_eq!(settings["max_file_bytes"], 50 * 1024 * 1024, "{settings}");
}
