//! Crash safety: a writer killed with SIGKILL in the middle of a burst of
//! edits loses nothing it acknowledged. `HONGDUN_CRASH_ROUNDS` sets the number
//! of rounds (50 by default; the soak target in docs/PERFORMANCE.md is 2000).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use hongdun_core::store::{ListQuery, Store};
use rand::Rng;

#[test]
fn every_acknowledged_edit_survives_sigkill() {
    let rounds: u64 = std::env::var("HONGDUN_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = rand::rng();
    // id -> lead number, for every acknowledged create across all rounds
    let mut acked: HashMap<String, u64> = HashMap::new();
    let mut total_acks = 0usize;
    let mut killed_mid_burst = 0;
    for round in 0..rounds {
        let mut child = Command::new(env!("CARGO_BIN_EXE_burst_writer"))
            .arg(dir.path())
            .arg((round * 10_000 + 1).to_string())
            .arg("5000")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start writer");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the writer to be under way, then kill it after a random delay.
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("writer started");
        assert!(first.starts_with("target "), "{first}");
        let target = first.trim_start_matches("target ").to_string();
        std::thread::sleep(Duration::from_millis(rng.random_range(5..120)));
        // On Unix, Child::kill sends SIGKILL: no chance to flush or roll back.
        child.kill().expect("SIGKILL the writer");
        let status = child.wait().expect("wait");
        reader.join().expect("reader");
        if status.code().is_none() {
            killed_mid_burst += 1;
        }
        let mut last_edit = None;
        for line in rx.try_iter() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["ack", "create", n, id] => {
                    acked.insert(id.to_string(), n.parse().expect("n"));
                    total_acks += 1;
                }
                ["ack", "edit", n] => {
                    last_edit = Some(n.parse::<u64>().expect("n"));
                    total_acks += 1;
                }
                _ => {}
            }
        }
        // Reopen after the crash: the store opens, and everything acknowledged is there.
        let mut store = Store::open(dir.path()).expect("store reopens after SIGKILL");
        for (id, n) in &acked {
            let rec = store
                .get(id)
                .unwrap_or_else(|e| panic!("round {round}: acknowledged record {n} lost: {e}"));
            assert_eq!(
                rec.fields["lead_no"],
                serde_json::json!(format!("BURST-{n}"))
            );
        }
        if let Some(n) = last_edit {
            let rec = store.get(&target).expect("target");
            let notes = rec.fields["notes"].as_str().expect("notes").to_string();
            let stored: u64 = notes
                .trim_start_matches("edit ")
                .parse()
                .expect("edit number");
            // The edit after the last acknowledged one may have committed unacknowledged.
            assert!(
                stored == n || stored == n + 1,
                "round {round}: acked edit {n}, stored {stored}"
            );
        }
        // Projections agree with the documents.
        let listed = store.count(&ListQuery::default()).expect("count");
        let health = store.reindex().expect("reindex");
        assert!(health.quarantined.is_empty(), "{:?}", health.quarantined);
        assert_eq!(store.count(&ListQuery::default()).expect("count"), listed);
    }
    assert!(total_acks > 0, "the writer never acknowledged anything");
    assert!(killed_mid_burst > 0, "no round was killed mid-burst");
}
