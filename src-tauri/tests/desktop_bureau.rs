//! The central bureau's 统计 page through the real WebView (see
//! `desktop_e2e.rs` for what these tests need and how `scripts/test.sh` runs
//! them).
//!
//! One office registers two petitions and syncs; a second office
//! has never synced. The desk enrolled for the bureau opens 统计 on 各单位汇总:
//! the relay's consolidated bulletin, and per office its figures beside its
//! sync health — the office that never synced is marked as possibly
//! incomplete — and exports the consolidated bulletin as .xlsx.

mod common;

use std::path::Path;
use std::process::Command;

use fantoccini::Client;

use common::*;

const QUIET_OFFICE: (&str, &str) = ("GS0102", "东关市场监督管理所");
const BUREAU: (&str, &str) = ("SJ00", "市市场监督管理局");

/// The command line in JSON, changes made as 李明.
fn cli(store: &Path) -> Command {
    let mut cmd = hongdun_json(store);
    cmd.env("HONGDUN_USER", "李明");
    cmd
}

async fn row_of(client: &Client, office: &str) -> (String, String) {
    let row = find(client, &format!("stats-office-{office}")).await;
    let stale = row
        .attr("data-stale")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    (row.text().await.unwrap_or_default(), stale)
}

async fn scenario(client: &Client, exports: &Path) {
    click(client, "nav-stats").await;
    find(client, "stats-scope-bureau").await;
    find(client, "stats-comparison").await;
    screenshot(client, "stats-bureau.png").await;

    let (busy, stale) = row_of(client, OFFICE.0).await;
    assert_eq!(
        stale, "false",
        "the office that synced today is current: {busy}"
    );
    assert!(busy.contains(OFFICE.1), "{busy}");
    let (quiet, stale) = row_of(client, QUIET_OFFICE.0).await;
    assert_eq!(
        stale, "true",
        "an office that never synced is marked: {quiet}"
    );
    assert!(
        quiet.contains("从未同步") && quiet.contains("数据可能不全"),
        "{quiet}"
    );
    // Its figures count its two petitions (信访, the eighth column).
    let petitions = find_css(
        client,
        &format!(
            "[data-testid=\"stats-office-{}\"] td:nth-child(8)",
            OFFICE.0
        ),
    )
    .await
    .text()
    .await
    .expect("petitions cell");
    assert_eq!(petitions.trim(), "2", "{busy}");
    wait_text(client, "stats-summary", "a generated summary", |t| {
        !t.is_empty()
    })
    .await;

    click(client, "stats-export-xlsx").await;
    wait_text(client, "stats-status", "the exported file", |t| {
        t.contains("已导出到")
    })
    .await;
    let written: Vec<_> = std::fs::read_dir(exports)
        .expect("exports folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written
            .iter()
            .any(|n| n.starts_with("红盾汇总通报-") && n.ends_with(".xlsx")),
        "{written:?}"
    );

    // The office's own view is one click away.
    click(client, "stats-scope-office").await;
    find(client, "stats-month").await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and the built binaries; run by scripts/test.sh"]
async fn the_bureau_sees_every_offices_figures_beside_its_sync_health() {
    let work = tempfile::tempdir().expect("scratch directory");
    let relay = start_relay(work.path());
    relay_admin(
        &relay.data,
        &[
            "create-office",
            "--code",
            QUIET_OFFICE.0,
            "--name",
            QUIET_OFFICE.1,
        ],
    );
    relay_admin(
        &relay.data,
        &[
            "create-office",
            "--code",
            BUREAU.0,
            "--name",
            BUREAU.1,
            "--kind",
            "bureau",
        ],
    );
    let bureau_code = enrollment_code(&relay.data, BUREAU.0, "张科长", "统计科电脑");

    // The office registers two petitions today and syncs.
    let office = work.path().join("office");
    run_json(cli(&office).args(["enroll", "--server", &relay.url, "--code", &relay.codes[1]]));
    let today = chrono::Local::now().date_naive().to_string();
    for channel in ["visit", "letter"] {
        run_json(cli(&office).args([
            "create",
            "petition",
            "-f",
            &format!("channel={channel}"),
            "-f",
            "source=direct",
            "-f",
            "petition_type=claim",
            "-f",
            &format!("received_on={today}"),
            "-f",
            "content=对投诉处理结果不满意",
        ]));
    }
    run_json(cli(&office).arg("sync"));

    // The bureau's desk is enrolled before the app starts.
    let desk = work.path().join("bureau");
    run_json(cli(&desk).args(["enroll", "--server", &relay.url, "--code", &bureau_code]));

    let exports = desk.join("exports");
    with_desk(&desk, "bureau-failure", move |client| async move {
        scenario(&client, &exports).await
    })
    .await;
}
