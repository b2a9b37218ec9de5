//! `hongdun verify`: is every stored document's history intact?
//!
//! Reads the stored bytes directly (never through the document cache, which
//! would quarantine what it cannot load) and checks, per document:
//!
//! - the snapshot loads with Automerge's own verification (its recorded
//!   heads match the changes it holds);
//! - every change — in the snapshot and in each incremental row — hashes to
//!   what its chunk header says: the SHA-256 of the change's bytes is
//!   recomputed and compared with the header's checksum (the hash's first
//!   four bytes, which is how a change's identity is bound to its content);
//! - the dependency graph is closed: every change a change depends on is
//!   stored too.
//!
//! Documents quarantined earlier are reported as failures as well.

use std::collections::HashSet;

use automerge::{Automerge, Change, ChangeHash};
use sha2::{Digest, Sha256};

use super::{Store, StoreError};
use crate::joint::{VerifyFailure, VerifyReport};

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Splits concatenated storage chunks (what `save_incremental` appends).
fn chunks(mut bytes: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        if bytes.len() < 10 || bytes[..4] != MAGIC {
            return Err("a stored change does not start like an Automerge chunk".into());
        }
        // uleb128 length after magic, checksum and type.
        let (mut len, mut shift, mut i) = (0usize, 0u32, 9usize);
        loop {
            let b = *bytes
                .get(i)
                .ok_or_else(|| "a stored change is cut short".to_string())?;
            len |= usize::from(b & 0x7f)
                .checked_shl(shift)
                .ok_or_else(|| "a stored change has an impossible length".to_string())?;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 56 {
                return Err("a stored change has an impossible length".into());
            }
        }
        let end = i
            .checked_add(len)
            .filter(|e| *e <= bytes.len())
            .ok_or_else(|| "a stored change is cut short".to_string())?;
        out.push(&bytes[..end]);
        bytes = &bytes[end..];
    }
    Ok(out)
}

/// Recomputes a change's hash from its bytes and checks it against the
/// checksum its header carries.
fn check_change(change: &Change) -> Result<(), String> {
    let raw = change.raw_bytes();
    if raw.len() < 8 {
        return Err("a change is cut short".into());
    }
    let digest: [u8; 32] = Sha256::digest(&raw[8..]).into();
    if digest[..4] != raw[4..8] || ChangeHash(digest) != change.hash() {
        return Err(format!(
            "change {} does not match its hash: its bytes were altered",
            change.hash()
        ));
    }
    Ok(())
}

fn verify_doc(snapshot: &[u8], rows: &[Vec<u8>]) -> Result<usize, String> {
    let doc = Automerge::load(snapshot)
        .map_err(|e| format!("the snapshot does not load or its hashes do not match ({e})"))?;
    let mut changes: Vec<Change> = doc.get_changes(&[]);
    for row in rows {
        for chunk in chunks(row)? {
            let change = Change::try_from(chunk)
                .map_err(|e| format!("a stored change cannot be read ({e})"))?;
            changes.push(change);
        }
    }
    let mut known: HashSet<ChangeHash> = HashSet::with_capacity(changes.len());
    for c in &changes {
        check_change(c)?;
        known.insert(c.hash());
    }
    for c in &changes {
        if let Some(missing) = c.deps().iter().find(|d| !known.contains(d)) {
            return Err(format!(
                "change {} depends on change {missing}, which is not stored: the history is incomplete",
                c.hash()
            ));
        }
    }
    Ok(changes.len())
}

impl Store {
    /// Checks every stored document's history; see the module doc.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        let mut report = VerifyReport::default();
        let ids: Vec<String> = {
            let mut stmt = self.conn.prepare("SELECT id FROM docs ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let mut snap = self
            .conn
            .prepare("SELECT snapshot FROM docs WHERE id = ?1")?;
        let mut rows = self
            .conn
            .prepare("SELECT bytes FROM changes WHERE doc_id = ?1 ORDER BY seq")?;
        for id in ids {
            let snapshot: Vec<u8> = snap.query_row([&id], |r| r.get(0))?;
            let changes = rows
                .query_map([&id], |r| r.get::<_, Vec<u8>>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            report.documents += 1;
            match verify_doc(&snapshot, &changes) {
                Ok(n) => report.changes += n,
                Err(problem) => report.failures.push(VerifyFailure {
                    problem: format!("record {}: {problem}", short(&id)),
                    doc_id: id,
                }),
            }
        }
        let mut q = self
            .conn
            .prepare("SELECT id, reason FROM quarantine ORDER BY at")?;
        let quarantined = q
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        for (id, reason) in quarantined {
            report.documents += 1;
            report.failures.push(VerifyFailure {
                problem: format!(
                    "record {} was quarantined earlier because it did not load ({reason})",
                    short(&id)
                ),
                doc_id: id,
            });
        }
        Ok(report)
    }
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordKind;
    use serde_json::json;

    fn obj(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn store_with_case() -> (tempfile::TempDir, Store, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open");
        store.init("GS01", "城关所").expect("init");
        let id = store
            .create(
                RecordKind::Lead,
                &obj(json!({"source_type": "inspection", "received_on": "2026-03-02", "summary": "销售假冒白酒"})),
                "张三",
            )
            .expect("lead");
        for i in 0..3 {
            store
                .edit(
                    &id,
                    &obj(json!({"summary": format!("销售假冒白酒{i}")})),
                    "张三",
                )
                .expect("edit");
        }
        (dir, store, id)
    }

    #[test]
    fn an_intact_store_verifies() {
        let (_dir, store, _) = store_with_case();
        let report = store.verify().expect("verify");
        assert!(report.ok(), "{:?}", report.failures);
        assert_eq!(report.documents, 1);
        assert!(report.changes >= 4, "{} changes", report.changes);
    }

    #[test]
    fn a_flipped_byte_in_a_stored_change_fails_verification_for_that_record_only() {
        let (dir, store, id) = store_with_case();
        // Corrupt the last byte of the second incremental change row.
        let seq: i64 = store
            .conn
            .query_row(
                "SELECT seq FROM changes WHERE doc_id = ?1 ORDER BY seq LIMIT 1 OFFSET 1",
                [&id],
                |r| r.get(0),
            )
            .expect("a change row");
        let mut bytes: Vec<u8> = store
            .conn
            .query_row("SELECT bytes FROM changes WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .expect("bytes");
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        store
            .conn
            .execute(
                "UPDATE changes SET bytes = ?2 WHERE seq = ?1",
                rusqlite::params![seq, bytes],
            )
            .expect("corrupt");
        let report = store.verify().expect("verify");
        assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
        assert_eq!(report.failures[0].doc_id, id);
        drop(dir);
    }

    #[test]
    fn a_missing_change_breaks_the_dependency_graph() {
        let (_dir, store, id) = store_with_case();
        store
            .conn
            .execute(
                "DELETE FROM changes WHERE seq = (SELECT seq FROM changes WHERE doc_id = ?1 ORDER BY seq LIMIT 1)",
                [&id],
            )
            .expect("delete");
        let report = store.verify().expect("verify");
        assert_eq!(report.failures.len(), 1);
        assert!(
            report.failures[0].problem.contains("not stored"),
            "{}",
            report.failures[0].problem
        );
    }
}
