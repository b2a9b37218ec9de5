//! Sync over bad lines: a fault-injecting proxy that delays, throttles and
//! cuts connections at random byte offsets, and a relay killed with SIGKILL
//! in the middle of a sync. Nothing acknowledged is lost, nothing applied
//! twice, and everyone converges.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{day, new_case, obj, Backend, Device, Relay};
use hongdun_server::storage::{OrgKind, Role};
use hongdun_tests::proxy::{LinkConfig, Proxy};
use rand::{Rng, SeedableRng};
use serde_json::json;

/// Event ids in a record's history (to check none is lost or duplicated).
fn event_ids(d: &mut Device, id: &str) -> Vec<String> {
    let mut v: Vec<String> = d
        .store
        .get(id)
        .expect("get")
        .events
        .into_iter()
        .map(|e| e.id)
        .collect();
    v.sort();
    v
}

#[test]
fn a_hundred_syncs_cut_at_random_offsets_then_converge() {
    let relay = Relay::start(Backend::Sqlite).expect("relay");
    relay.org("BUREAU", "市局", OrgKind::Bureau);
    relay.org("GS01", "城关所", OrgKind::Office);
    relay.org("GS02", "东城所", OrgKind::Office);
    let proxy = Proxy::start(
        relay.addr,
        LinkConfig::lan()
            .with_cut_probability(0.5)
            .with_cut_offsets(0..800)
            .with_seed(2011),
    )
    .expect("proxy");
    let via = format!("http://{}", proxy.addr());
    let enroll = |org: &str, role, user: &str| {
        let code = relay.enrollment_code(org, role, user);
        Device::enroll_with(&relay.url, &code, org, user)
    };
    let mut offices = [
        enroll("GS01", Role::Staff, "张三"),
        enroll("GS02", Role::Staff, "李四"),
    ];
    let mut bureau = enroll("BUREAU", Role::Bureau, "市局");
    // From now on everyone talks through the flaky line.
    for d in offices.iter_mut().chain(std::iter::once(&mut bureau)) {
        let mut cfg = d.store.remote().expect("remote").expect("enrolled");
        cfg.server = via.clone();
        d.store.set_remote(&cfg).expect("set remote");
    }
    let mut cases: Vec<String> = vec![];
    for d in offices.iter_mut() {
        for i in 0..3 {
            let id = new_case(d, &format!("{}办理的第{i}起案件", d.name));
            d.store
                .append_event(
                    &id,
                    "investigate",
                    day("2026-03-02"),
                    serde_json::Map::new(),
                    &d.name.clone(),
                )
                .expect("investigate");
            cases.push(id);
        }
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut created_events: BTreeSet<String> = BTreeSet::new();
    let mut paused = std::collections::HashMap::new();
    let (mut ok, mut failed) = (0, 0);
    for n in 0..100 {
        // Offline work between syncs: a clock paused or resumed (鉴定), a note.
        let which = rng.random_range(0..offices.len());
        let d = &mut offices[which];
        let mine: Vec<String> = cases[which * 3..which * 3 + 3].to_vec();
        let id = &mine[rng.random_range(0..mine.len())];
        let is_paused = paused.get(id).copied().unwrap_or(false);
        let (action, params) = if is_paused {
            ("resume_clock", serde_json::Map::new())
        } else {
            ("pause_clock", obj(json!({"reason": "appraisal"})))
        };
        let on = day("2026-03-03") + chrono::Days::new(n);
        let e = d
            .store
            .append_event(id, action, on, params, &d.name.clone())
            .expect("event");
        created_events.insert(e.id);
        paused.insert(id.clone(), !is_paused);
        d.store
            .edit(
                id,
                &obj(json!({"notes": format!("第{n}次补充")})),
                &d.name.clone(),
            )
            .expect("edit");
        let who = rng.random_range(0..3);
        let r = if who < 2 {
            offices[who].try_sync()
        } else {
            bureau.try_sync()
        };
        match r {
            Ok(_) => ok += 1,
            Err(_) => failed += 1,
        }
    }
    assert!(
        failed >= 20,
        "the proxy should have cut many syncs (ok {ok}, failed {failed})"
    );
    assert!(proxy.stats().cuts > 10);
    // The line recovers: sync until quiet.
    proxy.set_config(LinkConfig::lan());
    for _ in 0..3 {
        for d in offices.iter_mut() {
            d.sync();
        }
        bureau.sync();
    }
    let mut all_events: BTreeSet<String> = BTreeSet::new();
    for (i, id) in cases.iter().enumerate() {
        let office = &mut offices[i / 3];
        let a = event_ids(office, id);
        let b = event_ids(&mut bureau, id);
        assert_eq!(a, b, "office and bureau hold the same events of {id}");
        let unique: BTreeSet<&String> = b.iter().collect();
        assert_eq!(unique.len(), b.len(), "no event duplicated in {id}");
        all_events.extend(b);
        let fa = office.store.get(id).expect("a").fields;
        let fb = bureau.store.get(id).expect("b").fields;
        assert_eq!(fa, fb);
    }
    assert!(created_events.is_subset(&all_events), "no event lost");
}

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

fn start_relay(data: &std::path::Path, listen: &str) -> RelayProcess {
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

fn admin(data: &std::path::Path, args: &[&str]) -> serde_json::Value {
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

#[test]
fn the_relay_killed_mid_sync_loses_nothing_acknowledged() {
    let data = tempfile::tempdir().expect("tempdir");
    admin(
        data.path(),
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
        data.path(),
        &["create-office", "--code", "GS01", "--name", "城关所"],
    );
    let u1 = admin(
        data.path(),
        &["create-user", "--org", "GS01", "--name", "张三"],
    );
    let u2 = admin(
        data.path(),
        &[
            "create-user",
            "--org",
            "BUREAU",
            "--name",
            "市局",
            "--role",
            "bureau",
        ],
    );
    let d1 = admin(
        data.path(),
        &[
            "create-device",
            "--user",
            u1["user"]["id"].as_str().expect("id"),
            "--name",
            "所里电脑",
        ],
    );
    let d2 = admin(
        data.path(),
        &[
            "create-device",
            "--user",
            u2["user"]["id"].as_str().expect("id"),
            "--name",
            "市局电脑",
        ],
    );
    let relay = start_relay(data.path(), "127.0.0.1:0");
    let url = format!("http://{}", relay.addr);
    let mut office = Device::enroll_with(
        &url,
        d1["enrollment_code"].as_str().expect("code"),
        "GS01",
        "张三",
    );
    let mut bureau = Device::enroll_with(
        &url,
        d2["enrollment_code"].as_str().expect("code"),
        "BUREAU",
        "市局",
    );
    let mut ids = vec![];
    office
        .store
        .in_batch(|s| {
            for i in 0..400 {
                ids.push(
                    s.create(
                        hongdun_core::record::RecordKind::Lead,
                        &obj(json!({"source_type": "inspection", "received_on": "2026-03-02", "summary": format!("第{i}条线索，涉嫌销售假冒茅台酒，需要现场核查经营者进货台账和销售记录")})),
                        "张三",
                    )?,
                );
            }
            Ok(())
        })
        .expect("seed");
    // Sync in small rounds; once the fifth round is stored, SIGKILL the relay a
    // few milliseconds later, while the next round is in flight.
    let addr = relay.addr;
    let mut relay = Some(relay);
    let mut killer = None;
    let limits = hongdun_core::sync::engine::RoundLimits {
        max_upload_bytes: 8 * 1024,
        ..Default::default()
    };
    let first = hongdun_core::sync::client::sync(
        &mut office.store,
        limits,
        Duration::from_secs(10),
        &std::sync::atomic::AtomicBool::new(false),
        &mut |p| {
            if p.round == 5 {
                if let Some(mut r) = relay.take() {
                    killer = Some(std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(3));
                        r.child.kill().expect("SIGKILL the relay");
                        r.child.wait().expect("wait");
                    }));
                }
            }
        },
    );
    if let Some(k) = killer {
        k.join().expect("killer");
    }
    assert!(
        first.is_err(),
        "the relay died mid-sync, so the first sync fails"
    );
    let pending_after_crash = office
        .store
        .sync_status()
        .expect("status")
        .pending_documents;
    assert!(
        pending_after_crash > 0 && pending_after_crash < 400,
        "the crash came mid-way: {pending_after_crash} pending"
    );
    // Restart on the same address and data: the next sync goes on.
    let _relay = start_relay(data.path(), &addr.to_string());
    office.sync();
    assert_eq!(
        office
            .store
            .sync_status()
            .expect("status")
            .pending_documents,
        0
    );
    bureau.sync();
    let mut want = ids.clone();
    want.sort();
    let got = {
        let mut v: Vec<String> = bureau
            .store
            .list(&hongdun_core::store::ListQuery {
                limit: Some(1000),
                ..Default::default()
            })
            .expect("list")
            .into_iter()
            .map(|r| r.id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        got, want,
        "the bureau holds every record after the relay restarted"
    );
}
