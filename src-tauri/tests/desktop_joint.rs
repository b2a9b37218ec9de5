//! 联合办案 end to end through the real WebView: in the office's desk a clerk
//! shares a case file with a police unit on the record page's 共享 panel and
//! gets the partner device's one-time code; the partner enrolls a device
//! with that code (the `hongdun` CLI), holds that case file only and adds a
//! note; the partner's own app runs in 合作单位模式 (banner, no statistics,
//! no other registers, no workflow steps) and adds a seizure in 补充材料; the
//! desk lists the share with the partner's last sync, the 审计记录 panel names
//! the right organisation for each change, and the audit report is exported
//! as xlsx and read back; 停止共享 in the desk takes effect at the partner's
//! next sync, and the partner's app marks the case file 已停止共享.
//!
//! Ignored by plain `cargo test` (needs Xvfb, tauri-driver, the front end
//! built by trunk and the `hongdun`/`hongdun-server` binaries); run as
//!
//! ```text
//! xvfb-run -a -s '-screen 0 1366x768x24' \
//!   cargo test -p hongdun-desktop --test 'desktop_*' -- --ignored --nocapture --test-threads=1
//! ```

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use calamine::{Reader, Xlsx};
use fantoccini::{Client, Locator};

use common::*;

/// Opens the only case file of the office from the 案件 register.
async fn open_case(client: &Client) {
    click(client, "nav-cases").await;
    click(client, "tab-case").await;
    client
        .wait()
        .at_most(ELEMENT_TIMEOUT)
        .for_element(Locator::Css(&format!("{} td.title", by_id("record-row"))))
        .await
        .expect("the case file is listed")
        .click()
        .await
        .expect("open the case file");
    find(client, "record-title").await;
}

/// The text of every element matching `css`.
async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for el in client.find_all(Locator::Css(css)).await.unwrap_or_default() {
        out.push(el.text().await.unwrap_or_default());
    }
    out
}

/// Waits until some element matching `css` shows `what`.
async fn wait_any(client: &Client, css: &str, what: &str) -> Vec<String> {
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        let found = texts(client, css).await;
        if found.iter().any(|t| t.contains(what)) {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "{css} should show {what}: {found:?}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The office shares the case file; the partner enrolls a device with the
/// code (CLI), holds that case file only, adds a note and syncs.
async fn office_shares(client: Client, partner: PathBuf, relay_url: String) {
    let client = &client;
    open_case(client).await;
    find(client, "panel-share").await;
    find(client, "panel-audit").await;

    // An organisation the relay does not know: the relay refuses, the clerk
    // reads why in Chinese, no share is made.
    // The relay's partner organisations are offered as the code is typed.
    find_css(
        client,
        &format!(
            "[data-testid=\"share-partner-options\"] option[value=\"{}\"]",
            PARTNER.0
        ),
    )
    .await;
    fill(client, "share-partner", "GA9999").await;
    click(client, "share-submit").await;
    wait_text(client, "share-status", "the relay's refusal", |t| {
        t.starts_with("共享案卷：") && t.contains("拒绝")
    })
    .await;
    let class = find(client, "share-status")
        .await
        .attr("class")
        .await
        .ok()
        .flatten();
    assert!(
        class.unwrap_or_default().contains("error"),
        "shown as an error"
    );
    eprintln!("unknown partner: {}", text_of(client, "share-status").await);
    assert!(
        client
            .find(Locator::Css(&by_id("share-row")))
            .await
            .is_err(),
        "no share was made"
    );

    // 共享 with the police unit, read-write, for 30 days.
    let until = (chrono::Local::now().date_naive() + chrono::Duration::days(30)).to_string();
    fill(client, "share-partner", PARTNER.0).await;
    fill(client, "share-user", "王警官").await;
    choose(client, "share-mode", "read_write").await;
    fill(client, "share-expires", &until).await;
    click(client, "share-submit").await;
    wait_text(client, "share-code", "the partner device's code", |t| {
        t.trim().len() >= 8
    })
    .await;
    let code = text_of(client, "share-code").await.trim().to_string();
    wait_text(client, "share-explain", "what to do with the code", |t| {
        t.contains(&code) && t.contains("设置")
    })
    .await;
    let rows = wait_any(
        client,
        &format!("{} .partner", by_id("share-row")),
        PARTNER.1,
    )
    .await;
    assert_eq!(rows.len(), 1, "one share: {rows:?}");
    wait_any(client, &format!("{} .mode", by_id("share-row")), "可补充").await;
    wait_any(
        client,
        &format!("{} .last-sync", by_id("share-row")),
        "尚未同步",
    )
    .await;
    screenshot(client, "joint-share.png").await;

    // The partner enrolls a device with the code, syncs, holds this case
    // file only, adds a note and syncs it back.
    let p = partner.clone();
    let url = relay_url.clone();
    let case_id = tokio::task::spawn_blocking(move || {
        run_json(hongdun_json(&p).args(["enroll", "--server", &url, "--code", &code]));
        run_json(hongdun_json(&p).arg("sync"));
        let listed = run_json(hongdun_json(&p).args(["list", "--limit", "100"]));
        let rows = listed["records"].as_array().cloned().unwrap_or_default();
        assert_eq!(
            rows.len(),
            1,
            "the partner holds the shared case only: {listed}"
        );
        let id = rows[0]["id"].as_str().expect("record id").to_string();
        run_json(
            hongdun_json(&p)
                .args(["--by", "王警官", "edit", &id])
                .args(["--field", "notes=经侦大队已调取监控录像"]),
        );
        run_json(hongdun_json(&p).arg("sync"));
        id
    })
    .await
    .expect("the partner's CLI");

    assert!(!case_id.is_empty());
}

/// The partner's own app while the case file is shared: the banner, no
/// statistics or other registers, no workflow steps, and 补充材料 — a
/// seizure added in the form and synced to the relay.
async fn partner_adds(client: Client) {
    let client = &client;
    wait_text(client, "partner-banner", "partner mode", |t| {
        t.contains("合作单位模式") && t.contains(PARTNER.1)
    })
    .await;
    for absent in [
        "nav-stats",
        "nav-complaints",
        "nav-petitions",
        "nav-campaigns",
    ] {
        assert!(
            client.find(Locator::Css(&by_id(absent))).await.is_err(),
            "a partner has no {absent}"
        );
    }
    open_partner_record(client).await;
    find(client, "panel-partner-edit").await;
    assert!(
        client
            .find(Locator::Css(&by_id("panel-actions")))
            .await
            .is_err(),
        "a partner takes no workflow steps"
    );
    choose(client, "partner-section", "seizures").await;
    fill(client, "partner-field-name", "假冒白酒").await;
    fill(client, "partner-field-quantity", "12").await;
    fill(client, "partner-field-unit", "箱").await;
    fill(client, "partner-field-value_fen", "3600").await;
    choose(client, "partner-field-measure", "seize").await;
    click(client, "partner-submit").await;
    wait_text(client, "partner-status", "the addition stored", |t| {
        t.contains("已补充")
    })
    .await;
    wait_text(client, "list-seizures", "the seizure listed", |t| {
        t.contains("假冒白酒")
    })
    .await;
    screenshot(client, "joint-partner-adds.png").await;
    let left = find(client, "partner-field-name")
        .await
        .prop("value")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert_eq!(left, "", "the form is empty again after the addition");
    click(client, "nav-sync").await;
    click(client, "sync-now").await;
    wait_text(client, "sync-pending", "nothing left to send", |t| {
        t.trim() == "0"
    })
    .await;
}

async fn open_partner_record(client: &Client) {
    client
        .wait()
        .at_most(ELEMENT_TIMEOUT)
        .for_element(Locator::Css(&format!("{} button", by_id("partner-record"))))
        .await
        .expect("the banner lists the case file")
        .click()
        .await
        .expect("open it");
    find(client, "record-title").await;
}

/// The office again: the partner's last sync, its additions in the audit
/// trail and the xlsx report, then 停止共享.
async fn office_audits_and_revokes(client: Client, partner: PathBuf) {
    let client = &client;
    open_case(client).await;
    // The desk lists the partner's last sync…
    click(client, "share-refresh").await;
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        let synced = texts(client, &format!("{} .last-sync", by_id("share-row"))).await;
        if synced.iter().any(|t| t.contains(':')) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the partner's last sync: {synced:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        click(client, "share-refresh").await;
    }

    // …receives the partner's note, and the audit trail names both
    // organisations.
    click(client, "nav-sync").await;
    click(client, "sync-now").await;
    wait_text(client, "sync-summary", "a finished sync", |t| !t.is_empty()).await;
    open_case(client).await;
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    let audit_rows = loop {
        click(client, "audit-refresh").await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let rows = texts(client, &format!("{} .org", by_id("audit-row"))).await;
        if rows.iter().any(|t| t.contains(PARTNER.1)) && rows.iter().any(|t| t.contains(OFFICE.1)) {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "the audit trail names the office and the partner: {rows:?}"
        );
    };
    eprintln!("audit organisations: {audit_rows:?}");
    let deadline = Instant::now() + ELEMENT_TIMEOUT;
    loop {
        let whats = texts(client, &format!("{} .what", by_id("audit-row"))).await;
        if whats.iter().any(|w| w.contains("备注")) && whats.iter().any(|w| w.contains("查扣清单"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the partner's note (CLI) and seizure (app) are listed as changes: {whats:?}"
        );
        click(client, "audit-refresh").await;
        tokio::time::sleep(Duration::from_millis(800)).await;
    }
    screenshot(client, "joint-audit.png").await;

    // 导出审计报告: the xlsx names the partner for its change.
    click(client, "audit-export").await;
    wait_text(client, "audit-status", "the written file", |t| {
        t.contains(".xlsx")
    })
    .await;
    let status = text_of(client, "audit-status").await;
    let path = status
        .split_once('：')
        .map(|(_, p)| p.trim().to_string())
        .expect("the status names the file");
    let mut book: Xlsx<_> = calamine::open_workbook(&path).expect("the audit report opens");
    let sheet = book
        .worksheet_range("审计记录")
        .expect("the 审计记录 sheet");
    let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        cells.iter().any(|c| c.contains(PARTNER.1)) && cells.iter().any(|c| c == "王警官"),
        "the report names the partner and its user: {cells:?}"
    );

    // 停止共享, with a confirmation; the list shows it stopped.
    click(client, "share-revoke").await;
    find(client, "share-confirm").await;
    click(client, "share-revoke-confirm").await;
    wait_text(client, "share-status", "the share stopped", |t| {
        t.contains("已停止")
    })
    .await;
    wait_any(
        client,
        &format!("{} .state", by_id("share-row")),
        "已停止共享",
    )
    .await;
    screenshot(client, "joint-revoked.png").await;

    // The partner's next sync marks the case file no longer shared.
    let p = partner.clone();
    tokio::task::spawn_blocking(move || {
        run_json(hongdun_json(&p).arg("sync"));
        let shared = run_json(hongdun_json(&p).arg("shared"));
        let rows = shared["records"].as_array().cloned().unwrap_or_default();
        assert_eq!(shared["mode"]["mode"], "partner", "{shared}");
        assert!(
            rows.len() == 1 && rows[0]["state"] == "no_longer_shared",
            "the partner's copy is marked no longer shared: {shared}"
        );
    })
    .await
    .expect("the partner's CLI");
}

/// The partner's own app after 停止共享: the case file marked 已停止共享 and
/// read-only.
async fn partner_scenario(client: Client) {
    let client = &client;
    wait_text(client, "partner-banner", "partner mode", |t| {
        t.contains("合作单位模式") && t.contains("已停止共享")
    })
    .await;
    open_partner_record(client).await;
    wait_text(client, "no-longer-shared", "the mark", |t| {
        t.contains("已停止共享")
    })
    .await;
    assert!(
        client
            .find(Locator::Css(&by_id("panel-partner-edit")))
            .await
            .is_err(),
        "a case file no longer shared takes no additions"
    );
    screenshot(client, "joint-partner.png").await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and the built binaries; run by scripts/test.sh"]
async fn an_office_shares_a_case_file_with_the_police_revokes_it_and_the_audit_names_each_organisation(
) {
    let work = tempfile::tempdir().expect("scratch directory");
    let relay = start_relay(work.path());
    // The office's store, enrolled, with one case file on the relay.
    let office = work.path().join("office");
    run_json(hongdun_json(&office).args([
        "enroll",
        "--server",
        &relay.url,
        "--code",
        &relay.codes[0],
    ]));
    let case = serde_json::json!({
        "procedure": "normal",
        "cause": "销售假冒注册商标的白酒",
        "filed_on": chrono::Local::now().date_naive().to_string(),
        "parties": [{"party_type": "enterprise", "name": "某某烟酒贸易有限公司", "uscc": "91350100M000100Y43"}],
        "handlers": [
            {"name": "李明", "enforcement_cert_no": "62010001"},
            {"name": "王强", "enforcement_cert_no": "62010002"}
        ],
    });
    run_json(
        hongdun_json(&office)
            .args(["--by", "李明", "create", "case", "--fields-json"])
            .arg(case.to_string()),
    );
    run_json(hongdun_json(&office).arg("sync"));

    let partner = work.path().join("partner");
    let url = relay.url.clone();
    let p = partner.clone();
    with_desk(&office, "joint-office-failure", move |client| {
        office_shares(client, p, url)
    })
    .await;
    with_desk(&partner, "joint-partner-failure", partner_adds).await;
    let p = partner.clone();
    with_desk(&office, "joint-office-failure", move |client| {
        office_audits_and_revokes(client, p)
    })
    .await;
    with_desk(&partner, "joint-partner-failure", partner_scenario).await;
}
