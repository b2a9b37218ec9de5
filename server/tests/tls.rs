//! The relay over HTTPS (`--tls-cert`, `--tls-key`): a device that trusts the
//! relay's CA (`HONGDUN_CA_FILE`) enrolls and syncs; plain HTTP to it fails.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use hongdun_core::store::Store;
use hongdun_core::sync::client;

#[test]
fn a_device_enrolls_and_syncs_over_tls_with_the_bureaus_ca() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("certificate");
    let cert_pem = dir.path().join("relay.crt");
    let key_pem = dir.path().join("relay.key");
    std::fs::write(&cert_pem, cert.cert.pem()).expect("write cert");
    std::fs::write(&key_pem, cert.signing_key.serialize_pem()).expect("write key");
    let data = dir.path().join("relay");
    let admin = |args: &[&str]| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_hongdun-server"))
            .args(["admin", "--data"])
            .arg(&data)
            .args(args)
            .output()
            .expect("admin");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json")
    };
    admin(&["create-office", "--code", "GS01", "--name", "城关所"]);
    let user = admin(&["create-user", "--org", "GS01", "--name", "张三"]);
    let device = admin(&[
        "create-device",
        "--user",
        user["user"]["id"].as_str().expect("id"),
        "--name",
        "所里电脑",
    ]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_hongdun-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .arg("--tls-cert")
        .arg(&cert_pem)
        .arg("--tls-key")
        .arg(&key_pem)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start relay");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    assert!(line.contains("(https)"), "{line}");
    let addr = line.split_whitespace().nth(2).expect("addr").to_string();

    // This test binary has only this test: setting the variable is safe here.
    std::env::set_var(client::CA_FILE_ENV, &cert_pem);
    let store_dir = tempfile::tempdir().expect("store");
    let mut store = Store::open(store_dir.path()).expect("store");
    let code = device["enrollment_code"].as_str().expect("code");
    let cfg = client::enroll(&mut store, &format!("https://{addr}"), code, "所里电脑")
        .expect("enroll over TLS");
    assert_eq!(cfg.office.as_deref(), Some("GS01"));
    let summary = client::sync(
        &mut store,
        Default::default(),
        std::time::Duration::from_secs(30),
        &std::sync::atomic::AtomicBool::new(false),
        &mut |_| {},
    )
    .expect("sync over TLS");
    assert_eq!(summary.round_trips, 1);
    // Plain HTTP to the TLS port does not work.
    let plain = ureq::get(&format!("http://{addr}/health")).call();
    assert!(plain.is_err());
    let _ = child.kill();
    let _ = child.wait();
}
