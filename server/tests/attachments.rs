//! Attachments through a real relay (SQLite and PostgreSQL): a 20 MB file
//! through a line cut at random offsets, a byte flipped in transit, a
//! partner's exact share, and SIGKILL of the relay and of a client during a
//! transfer.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use common::*;
use hongdun_core::attachment::{AttachmentSettings, AttachmentState, FetchPolicy};
use hongdun_core::record::RecordKind;
use hongdun_core::sync::client;
use hongdun_core::sync::engine::{RoundLimits, SyncSummary};
use hongdun_server::storage::{GrantMode, OrgKind, Role};
use hongdun_tests::proxy::{CutDirection, LinkConfig, Proxy};
use rand::{RngCore, SeedableRng};
use serde_json::json;

const MB: u64 = 1024 * 1024;

fn setup(backend: Backend, offices: &[&str]) -> Option<Relay> {
    let relay = Relay::start(backend)?;
    relay.org("BUREAU", "市市场监督管理局", OrgKind::Bureau);
    for o in offices {
        relay.org(o, &format!("{o}市场监督管理所"), OrgKind::Office);
    }
    Some(relay)
}

/// A file of `size` random bytes (photos do not compress either).
fn random_file(dir: &Path, name: &str, size: u64, seed: u64) -> PathBuf {
    let mut bytes = vec![0u8; size as usize];
    rand::rngs::StdRng::seed_from_u64(seed).fill_bytes(&mut bytes);
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("write file");
    path
}

/// Points a device at another address (a proxy in front of the relay).
fn via(d: &mut Device, server: &str) {
    let mut cfg = d.store.remote().expect("remote").expect("enrolled");
    cfg.server = server.to_string();
    d.store.set_remote(&cfg).expect("set remote");
}

fn sync_with(d: &mut Device, budget: u64) -> Result<SyncSummary, client::SyncError> {
    client::sync(
        &mut d.store,
        RoundLimits {
            attachment_budget_bytes: budget,
            ..RoundLimits::default()
        },
        Duration::from_secs(20),
        &AtomicBool::new(false),
        &mut |_| {},
    )
}

/// Syncs until no attachment waits (a sync cut off is simply run again).
fn sync_until_settled(d: &mut Device, tries: usize) -> usize {
    let mut failed = 0;
    for _ in 0..tries {
        match sync_with(d, 256 * MB) {
            Ok(s)
                if s.attachments.pending_uploads == 0
                    && s.attachments.pending_downloads == 0
                    && s.attachments.failed.is_empty() =>
            {
                return failed
            }
            Ok(_) | Err(_) => failed += 1,
        }
    }
    panic!("attachments still pending after {tries} syncs");
}

fn fetch_always(d: &mut Device) {
    d.store
        .set_attachment_settings(&AttachmentSettings {
            fetch: FetchPolicy::Always,
            ..AttachmentSettings::default()
        })
        .expect("settings");
}

fn twenty_mb_through_random_cuts(backend: Backend) {
    let Some(relay) = setup(backend, &["GS01"]) else {
        return;
    };
    let files = tempfile::tempdir().expect("tempdir");
    let mut office = Device::enroll(&relay, "GS01", Role::Staff, "张三");
    let mut bureau = Device::enroll(&relay, "BUREAU", Role::Bureau, "市局");
    let case = new_case(&mut office, "销售假冒注册商标白酒案");
    let size = 20 * MB;
    let file = random_file(files.path(), "现场录像.mp4", size, 20);
    let sha = office
        .store
        .attach_file(&case, &file, None, "张三")
        .expect("attach")
        .reference
        .sha256;
    // The document goes first, whatever happens to the bytes.
    sync_with(&mut office, 0).expect("document sync");

    // Upload through a line that cuts every connection between 0.5 and 4 MB in.
    let proxy = Proxy::start(
        relay.addr,
        LinkConfig::lan()
            .with_cut_probability(1.0)
            .with_cut_direction(CutDirection::ClientToServer)
            .with_cut_offsets(MB / 2..4 * MB)
            .with_seed(90),
    )
    .expect("proxy");
    via(&mut office, &format!("http://{}", proxy.addr()));
    let retried = sync_until_settled(&mut office, 40);
    let up = proxy.stats();
    assert!(
        up.cuts >= 3,
        "the line should have been cut a few times: {up:?}"
    );
    assert!(
        up.client_to_server_bytes as f64 <= 1.2 * size as f64,
        "upload resumed where it was cut: {} bytes on the wire for {size} ({up:?}, {retried} syncs retried)",
        up.client_to_server_bytes
    );
    assert_eq!(
        office.store.attachment_state(&sha).expect("state"),
        AttachmentState::Synced
    );

    // Download to the bureau through a line cut the other way.
    proxy.set_config(
        LinkConfig::lan()
            .with_cut_probability(1.0)
            .with_cut_direction(CutDirection::ServerToClient)
            .with_cut_offsets(MB / 2..4 * MB)
            .with_seed(91),
    );
    proxy.reset_stats();
    sync_with(&mut bureau, 0).expect("bureau document sync");
    assert_eq!(
        bureau.store.attachment_state(&sha).expect("state"),
        AttachmentState::Missing,
        "on demand by default: nothing fetched yet"
    );
    fetch_always(&mut bureau);
    via(&mut bureau, &format!("http://{}", proxy.addr()));
    sync_until_settled(&mut bureau, 40);
    let down = proxy.stats();
    assert!(down.cuts >= 3, "{down:?}");
    assert!(
        down.server_to_client_bytes as f64 <= 1.2 * size as f64,
        "download resumed where it was cut: {down:?}"
    );
    let got = bureau
        .store
        .attachment_file(&sha)
        .expect("path")
        .expect("present");
    assert_eq!(
        std::fs::read(got).expect("read"),
        std::fs::read(&file).expect("read")
    );
    let views = bureau.store.attachments(&case).expect("list");
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].state, AttachmentState::Synced);
}

#[test]
fn a_20_mb_file_survives_random_cuts_and_resumes_where_it_was_cut_sqlite() {
    twenty_mb_through_random_cuts(Backend::Sqlite);
}

#[test]
fn a_20_mb_file_survives_random_cuts_and_resumes_where_it_was_cut_postgres() {
    twenty_mb_through_random_cuts(Backend::Postgres);
}

#[test]
fn a_flipped_byte_in_a_chunk_is_refused_and_sent_again() {
    let Some(relay) = setup(Backend::Sqlite, &["GS01"]) else {
        return;
    };
    let files = tempfile::tempdir().expect("tempdir");
    let mut office = Device::enroll(&relay, "GS01", Role::Staff, "张三");
    let mut bureau = Device::enroll(&relay, "BUREAU", Role::Bureau, "市局");
    let case = new_case(&mut office, "销售假冒化肥案");
    let file = random_file(files.path(), "鉴定报告.pdf", 3 * MB, 7);
    let sha = office
        .store
        .attach_file(&case, &file, None, "张三")
        .expect("attach")
        .reference
        .sha256;
    sync_with(&mut office, 0).expect("documents");
    sync_with(&mut bureau, 0).expect("documents");
    // Every connection has one byte flipped somewhere in the body.
    let proxy = Proxy::start(
        relay.addr,
        LinkConfig::lan()
            .with_flips(1.0, CutDirection::ClientToServer, 100_000..2_000_000)
            .with_seed(5),
    )
    .expect("proxy");
    via(&mut office, &format!("http://{}", proxy.addr()));
    sync_until_settled(&mut office, 20);
    assert!(proxy.stats().flips >= 1, "{:?}", proxy.stats());
    let relay_copy = relay
        .rt
        .block_on(relay.state.db.blob_status(&sha))
        .expect("status")
        .expect("held");
    assert!(relay_copy.complete, "the relay verified the whole file");

    proxy.set_config(LinkConfig::lan().with_flips(
        1.0,
        CutDirection::ServerToClient,
        100_000..2_000_000,
    ));
    proxy.reset_stats();
    via(&mut bureau, &format!("http://{}", proxy.addr()));
    fetch_always(&mut bureau);
    sync_until_settled(&mut bureau, 20);
    assert!(proxy.stats().flips >= 1, "{:?}", proxy.stats());
    let got = bureau
        .store
        .attachment_file(&sha)
        .expect("path")
        .expect("present");
    assert_eq!(
        std::fs::read(got).expect("read"),
        std::fs::read(&file).expect("read")
    );
}

/// The relay's answer to a raw status request for `sha` by `d`.
fn raw_status(d: &Device, sha: &str) -> u16 {
    let cfg = d.store.remote().expect("remote").expect("enrolled");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for path in [
        format!("/v1/attachments/{sha}"),
        format!("/v1/attachments/{sha}/bytes?offset=0"),
    ] {
        let resp = agent
            .get(format!("{}{path}", cfg.server))
            .header("authorization", &format!("Bearer {}", cfg.token))
            .call()
            .expect("request");
        if resp.status().as_u16() != 200 {
            return resp.status().as_u16();
        }
    }
    200
}

fn partner_gets_exactly_its_shared_attachments(backend: Backend) {
    let Some(relay) = setup(backend, &["GS01"]) else {
        return;
    };
    relay.org("PP01", "某酒业公司打假办", OrgKind::Partner);
    let mut office = Device::enroll(&relay, "GS01", Role::Staff, "张三");
    let mut partner = Device::enroll(&relay, "PP01", Role::Partner, "打假专员");
    let shared = new_case(&mut office, "销售假冒茅台酒案");
    let other = new_lead(&mut office, "另一条线索：销售假冒五粮液");
    let annex = office
        .store
        .create(
            RecordKind::Annex,
            &obj(json!({"subject_kind": "case", "subject_id": shared, "persons": [{"name": "王秘密", "phone": "13900001111", "role": "reporter"}]})),
            "张三",
        )
        .expect("annex");
    let mut attach = |id: &str, name: &str, bytes: &[u8]| {
        office
            .store
            .attach_bytes(id, name, bytes, "张三")
            .expect("attach")
            .reference
            .sha256
    };
    let seizure = attach(&shared, "查扣现场.jpg", b"seizure photo bytes");
    let report = attach(&shared, "鉴定报告.pdf", b"appraisal report bytes");
    let _also_elsewhere = attach(&other, "鉴定报告.pdf", b"appraisal report bytes");
    let other_photo = attach(&other, "线索照片.jpg", b"other lead photo");
    let informant = attach(&annex, "举报人身份证.jpg", b"informant id card");
    sync_until_settled(&mut office, 3);

    let db = relay.state.db.clone();
    relay
        .rt
        .block_on(db.create_grant(&hongdun_server::storage::Grant {
            id: "g1".into(),
            doc_id: shared.clone(),
            partner: "PP01".into(),
            mode: GrantMode::Read,
            expires_at: None,
            created_by: "t".into(),
            created_at: chrono::Utc::now(),
            revoked_at: None,
            office: None,
        }))
        .expect("grant");
    relay
        .rt
        .block_on(db.append_entries(
            &shared,
            &[hongdun_server::storage::NewEntry {
                kind: hongdun_server::storage::EntryKind::Access,
                audience: Some("PP01".into()),
                origin_device: None,
                bytes: vec![],
            }],
        ))
        .expect("access entry");
    fetch_always(&mut partner);
    sync_until_settled(&mut partner, 3);
    assert_eq!(partner.ids(), vec![shared.clone()]);
    let mut got: Vec<String> = partner
        .store
        .attachments(&shared)
        .expect("list")
        .into_iter()
        .inspect(|v| assert_eq!(v.state, AttachmentState::Synced, "{v:?}"))
        .map(|v| v.reference.sha256)
        .collect();
    got.sort();
    let mut want = vec![seizure.clone(), report.clone()];
    want.sort();
    assert_eq!(got, want);
    assert!(partner
        .store
        .attachment_file(&other_photo)
        .expect("p")
        .is_none());
    assert!(partner
        .store
        .attachment_file(&informant)
        .expect("p")
        .is_none());
    // Asking the relay directly by hash reads nothing of the other lead or the annex.
    assert_eq!(raw_status(&partner, &seizure), 200);
    assert_eq!(raw_status(&partner, &other_photo), 404);
    assert_eq!(raw_status(&partner, &informant), 404);
    assert_eq!(raw_status(&partner, &"0".repeat(64)), 404);
}

#[test]
fn a_partner_receives_exactly_the_attachments_of_its_shared_files_sqlite() {
    partner_gets_exactly_its_shared_attachments(Backend::Sqlite);
}

#[test]
fn a_partner_receives_exactly_the_attachments_of_its_shared_files_postgres() {
    partner_gets_exactly_its_shared_attachments(Backend::Postgres);
}

// --- SIGKILL -----------------------------------------------------------------

struct RelayProcess {
    child: Child,
    addr: SocketAddr,
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_relay(data: &Path, listen: &str) -> RelayProcess {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hongdun-server"))
        .args(["serve", "--listen", listen, "--rate", "1000", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start hongdun-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .and_then(|a| a.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    RelayProcess { child, addr }
}

fn admin(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_hongdun-server"))
        .arg("admin")
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("admin");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("admin JSON")
}

/// A relay process with an office GS01 and the bureau; enrollment codes for
/// one device of each.
fn relay_process(data: &Path) -> (RelayProcess, String, String) {
    admin(
        data,
        &[
            "create-office",
            "--code",
            "BUREAU",
            "--name",
            "市局",
            "--kind",
            "bureau",
        ],
    );
    admin(
        data,
        &["create-office", "--code", "GS01", "--name", "城关所"],
    );
    let mut codes = vec![];
    for (org, role) in [("GS01", "staff"), ("BUREAU", "bureau")] {
        let u = admin(
            data,
            &[
                "create-user",
                "--org",
                org,
                "--name",
                "用户",
                "--role",
                role,
            ],
        );
        let d = admin(
            data,
            &[
                "create-device",
                "--user",
                u["user"]["id"].as_str().expect("id"),
                "--name",
                "电脑",
            ],
        );
        codes.push(d["enrollment_code"].as_str().expect("code").to_string());
    }
    let relay = start_relay(data, "127.0.0.1:0");
    let bureau = codes.pop().expect("bureau code");
    let office = codes.pop().expect("office code");
    (relay, office, bureau)
}

/// What the relay durably holds of `sha`, asked as `d`.
fn relay_received(d: &Device, sha: &str) -> Option<u64> {
    let cfg = d.store.remote().expect("remote").expect("enrolled");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let mut resp = agent
        .get(format!("{}/v1/attachments/{sha}", cfg.server))
        .header("authorization", &format!("Bearer {}", cfg.token))
        .call()
        .ok()?;
    let v: serde_json::Value = resp.body_mut().read_json().ok()?;
    v["received"].as_u64()
}

#[test]
fn the_relay_killed_during_an_upload_loses_nothing_acknowledged() {
    let data = tempfile::tempdir().expect("tempdir");
    let files = tempfile::tempdir().expect("tempdir");
    let (relay, office_code, bureau_code) = relay_process(data.path());
    let url = format!("http://{}", relay.addr);
    let mut office = Device::enroll_with(&url, &office_code, "GS01", "张三");
    let mut bureau = Device::enroll_with(&url, &bureau_code, "BUREAU", "市局");
    let case = new_case(&mut office, "销售假冒农药案");
    let size = 12 * MB;
    let file = random_file(files.path(), "扣押物品照片.zip", size, 11);
    let sha = office
        .store
        .attach_file(&case, &file, None, "张三")
        .expect("attach")
        .reference
        .sha256;
    sync_with(&mut office, 0).expect("documents");
    // A 16 Mbit/s line, so the upload takes seconds and can be caught mid-way.
    let proxy =
        Proxy::start(relay.addr, LinkConfig::lan().with_bandwidth_bps(16_000_000)).expect("proxy");
    via(&mut office, &format!("http://{}", proxy.addr()));
    let office_dir = office.dir.path().to_path_buf();
    let uploader = std::thread::spawn(move || {
        let r = sync_with(&mut office, 256 * MB);
        (office, r.is_ok())
    });
    // Wait until a few MB are durable on the relay, then SIGKILL it.
    let watcher = Device {
        store: hongdun_core::store::Store::open(&office_dir).expect("second handle"),
        dir: tempfile::tempdir().expect("unused"),
        name: "watcher".into(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let acknowledged = loop {
        let n = relay_received(&watcher, &sha).unwrap_or(0);
        if n >= 3 * MB {
            break n;
        }
        assert!(Instant::now() < deadline, "the upload never got going");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut relay = relay;
    relay.child.kill().expect("SIGKILL the relay");
    relay.child.wait().expect("wait");
    let (mut office, _) = uploader.join().expect("uploader");
    // The relay comes back on the same address: what it acknowledged is there.
    let relay = start_relay(data.path(), &relay.addr.to_string());
    let after = relay_received(&watcher, &sha).expect("status after restart");
    assert!(
        after >= acknowledged,
        "the relay acknowledged {acknowledged} bytes before SIGKILL but holds {after}"
    );
    assert!(after < size, "the kill came mid-upload");
    sync_until_settled(&mut office, 10);
    fetch_always(&mut bureau);
    sync_until_settled(&mut bureau, 10);
    let got = bureau
        .store
        .attachment_file(&sha)
        .expect("path")
        .expect("present");
    assert_eq!(
        std::fs::read(got).expect("read"),
        std::fs::read(&file).expect("read")
    );
    drop(relay);
}

/// The `hongdun` command line next to the relay binary (built with the workspace).
fn hongdun_cli() -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_hongdun-server")).with_file_name("hongdun");
    if !path.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let ok = Command::new(cargo)
            .args(["build", "-p", "hongdun-core", "--bin", "hongdun"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok && path.exists(), "cannot build the hongdun command line");
    }
    path
}

#[test]
fn a_client_killed_during_a_download_resumes_with_nothing_lost() {
    let data = tempfile::tempdir().expect("tempdir");
    let files = tempfile::tempdir().expect("tempdir");
    let (relay, office_code, bureau_code) = relay_process(data.path());
    let url = format!("http://{}", relay.addr);
    let mut office = Device::enroll_with(&url, &office_code, "GS01", "张三");
    let mut bureau = Device::enroll_with(&url, &bureau_code, "BUREAU", "市局");
    let case = new_case(&mut office, "无照经营案");
    let size = 12 * MB;
    let file = random_file(files.path(), "询问笔录扫描.pdf", size, 12);
    let sha = office
        .store
        .attach_file(&case, &file, None, "张三")
        .expect("attach")
        .reference
        .sha256;
    sync_until_settled(&mut office, 5);
    sync_with(&mut bureau, 0).expect("documents");
    let proxy =
        Proxy::start(relay.addr, LinkConfig::lan().with_bandwidth_bps(16_000_000)).expect("proxy");
    via(&mut bureau, &format!("http://{}", proxy.addr()));
    let bureau_dir = bureau.dir.path().to_path_buf();
    let partial = bureau.store.partial_path(&sha);
    // Close the store but keep its directory: the command line uses it now.
    let Device {
        dir: _keep_dir,
        store,
        ..
    } = bureau;
    drop(store);
    let mut child = Command::new(hongdun_cli())
        .args(["--json", "--data"])
        .arg(&bureau_dir)
        .args(["fetch-attachment", &case, &sha[..12]])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start hongdun fetch-attachment");
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::metadata(&partial).map_or(0, |m| m.len()) < 3 * MB {
        assert!(Instant::now() < deadline, "the fetch never got going");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("SIGKILL the client");
    child.wait().expect("wait");
    let kept = std::fs::metadata(&partial).map_or(0, |m| m.len());
    assert!(kept >= 3 * MB && kept < size, "killed mid-fetch: {kept}");
    // Reopened: the attachment is not shown as present, and resumes.
    let mut store = hongdun_core::store::Store::open(&bureau_dir).expect("reopen");
    assert!(matches!(
        store.attachment_state(&sha).expect("state"),
        AttachmentState::Fetching { .. }
    ));
    assert!(store.attachment_file(&sha).expect("path").is_none());
    proxy.reset_stats();
    let done = hongdun_core::sync::attachments::fetch_now(
        &mut store,
        &sha,
        Duration::from_secs(20),
        &AtomicBool::new(false),
    )
    .expect("resume");
    assert!(done);
    assert!(
        proxy.stats().server_to_client_bytes < size - kept + MB,
        "resumed from {kept}, not from zero: {:?}",
        proxy.stats()
    );
    let got = store.attachment_file(&sha).expect("path").expect("present");
    assert_eq!(
        std::fs::read(got).expect("read"),
        std::fs::read(&file).expect("read")
    );
    drop(relay);
}
