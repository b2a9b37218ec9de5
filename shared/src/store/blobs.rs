//! The store's blob area: attachment bytes by content, outside the documents.
//!
//! Files, not SQLite rows: a verified attachment is one file
//! `attachments/<first two hex digits>/<sha256>` under the store directory,
//! so the desktop app hands its path to the system viewer, and a 100 MB scan
//! never passes through the database or its WAL. A file is written under
//! `attachments/partial/`, fsync'd, then renamed into place (and the
//! directory fsync'd) before the reference is committed: a reference whose
//! `blobs.present` is 1 always has its whole verified file. The SQLite
//! tables hold the bookkeeping, in the same transactions as the documents:
//!
//! - `blob_refs(sha256, record_id)`: which records reference which hash —
//!   rewritten from the document each time a record is stored (local edit
//!   or sync), so it follows merges. A file is deleted only when no record
//!   references its hash any more.
//! - `blobs(sha256, size, present, uploaded, relay_received, wanted)`: what
//!   is here, what the relay holds (upload resumes at `relay_received`), and
//!   what someone asked to fetch.
//!
//! A download in progress is `attachments/partial/<sha256>`; its length is
//! where it resumes. It holds only chunks that matched their checksum, and it
//! becomes present only after the whole file matches its SHA-256.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::{Store, StoreError};
use crate::attachment::{
    is_sha256_hex, mime_for_name, to_hex, AttachmentRef, AttachmentSettings, AttachmentState,
    AttachmentView, FetchPolicy,
};

const AREA: &str = "attachments";
const PARTIAL: &str = "partial";
const SETTINGS_KEY: &str = "attachment_settings";

/// One blob waiting to go to the relay or to come from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingBlob {
    pub sha256: String,
    pub size: u64,
    /// Upload: what the relay was last known to hold. Download: what the
    /// partial file holds.
    pub done: u64,
}

pub use crate::attachment::{human, PendingAttachments};

fn io_err(path: &Path, source: io::Error) -> StoreError {
    StoreError::Dir {
        path: path.to_path_buf(),
        source,
    }
}

fn fsync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_err(dir, e))
}

/// Rewrites the references of one record (inside the caller's transaction).
pub(super) fn write_refs(
    tx: &Connection,
    record_id: &str,
    refs: &[AttachmentRef],
) -> Result<(), rusqlite::Error> {
    tx.execute("DELETE FROM blob_refs WHERE record_id = ?1", [record_id])?;
    for r in refs {
        tx.execute(
            "INSERT OR IGNORE INTO blob_refs(sha256, record_id) VALUES (?1, ?2)",
            params![r.sha256, record_id],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO blobs(sha256, size) VALUES (?1, ?2)",
            params![r.sha256, r.size as i64],
        )?;
    }
    Ok(())
}

impl Store {
    fn area(&self) -> PathBuf {
        self.dir.join(AREA)
    }

    fn blob_file(&self, sha: &str) -> PathBuf {
        self.area().join(&sha[..2]).join(sha)
    }

    /// Where a download of `sha` in progress is kept.
    pub fn partial_path(&self, sha: &str) -> PathBuf {
        self.area().join(PARTIAL).join(sha)
    }

    /// The office's attachment settings (defaults until set).
    pub fn attachment_settings(&self) -> Result<AttachmentSettings, StoreError> {
        Ok(match self.meta_get(SETTINGS_KEY)? {
            Some(text) => serde_json::from_str(&text)?,
            None => AttachmentSettings::default(),
        })
    }

    pub fn set_attachment_settings(&self, s: &AttachmentSettings) -> Result<(), StoreError> {
        if s.max_file_bytes == 0 || s.max_record_bytes == 0 {
            return Err(StoreError::Invalid(
                "attachment limits must be above zero".into(),
            ));
        }
        self.meta_set(SETTINGS_KEY, &serde_json::to_string(s)?)
    }

    /// Attaches the file at `path` to a record (its name unless `name` is
    /// given). The bytes are stored once per hash; the record references them.
    pub fn attach_file(
        &mut self,
        record: &str,
        path: &Path,
        name: Option<&str>,
        by: &str,
    ) -> Result<AttachmentView, StoreError> {
        let meta = fs::metadata(path).map_err(|e| io_err(path, e))?;
        if !meta.is_file() {
            return Err(StoreError::Invalid(format!(
                "{} is not a file",
                path.display()
            )));
        }
        let name = match name {
            Some(n) => n.to_string(),
            None => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "attachment".into()),
        };
        let file = File::open(path).map_err(|e| io_err(path, e))?;
        self.attach_reader(record, file, meta.len(), &name, by)
    }

    /// Attaches bytes held in memory (a photo pasted or dropped into the app).
    pub fn attach_bytes(
        &mut self,
        record: &str,
        name: &str,
        bytes: &[u8],
        by: &str,
    ) -> Result<AttachmentView, StoreError> {
        self.attach_reader(record, bytes, bytes.len() as u64, name, by)
    }

    fn attach_reader(
        &mut self,
        record: &str,
        mut source: impl Read,
        size: u64,
        name: &str,
        by: &str,
    ) -> Result<AttachmentView, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(
                "an attachment needs a file name".into(),
            ));
        }
        let id = self.resolve_id(record)?;
        let settings = self.attachment_settings()?;
        if size > settings.max_file_bytes {
            return Err(StoreError::AttachmentLimit(format!(
                "{name} is {} and the limit per file is {}; ask the office head to raise it (`hongdun attachment-settings --max-file-mb`) or attach a smaller scan",
                human(size),
                human(settings.max_file_bytes)
            )));
        }
        // Copy into the blob area while hashing; the hash names the file.
        let area = self.area();
        let partial_dir = area.join(PARTIAL);
        fs::create_dir_all(&partial_dir).map_err(|e| io_err(&partial_dir, e))?;
        let tmp = partial_dir.join(format!("add-{}", to_hex(&rand::random::<[u8; 8]>())));
        let (sha, copied) = (|| -> io::Result<(String, u64)> {
            let mut out = File::create(&tmp)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; 256 * 1024];
            let mut n_total = 0u64;
            loop {
                let n = source.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                out.write_all(&buf[..n])?;
                n_total += n as u64;
            }
            out.sync_all()?;
            Ok((to_hex(&hasher.finalize()), n_total))
        })()
        .map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io_err(&tmp, e)
        })?;
        let result = self.commit_attachment(&id, &tmp, &sha, copied, name, by, &settings);
        let _ = fs::remove_file(&tmp);
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn commit_attachment(
        &mut self,
        id: &str,
        tmp: &Path,
        sha: &str,
        size: u64,
        name: &str,
        by: &str,
        settings: &AttachmentSettings,
    ) -> Result<AttachmentView, StoreError> {
        if size > settings.max_file_bytes {
            return Err(StoreError::AttachmentLimit(format!(
                "{name} is {} and the limit per file is {}",
                human(size),
                human(settings.max_file_bytes)
            )));
        }
        let doc = self.load_doc(id)?;
        let existing = doc.attachments();
        let total: u64 = existing
            .iter()
            .filter(|r| r.sha256 != sha)
            .map(|r| r.size)
            .sum::<u64>()
            + size;
        if total > settings.max_record_bytes {
            return Err(StoreError::AttachmentLimit(format!(
                "this record's attachments would total {} and the limit per record is {}; remove an attachment or ask the office head to raise the limit (`hongdun attachment-settings --max-record-mb`)",
                human(total),
                human(settings.max_record_bytes)
            )));
        }
        let reference = AttachmentRef {
            sha256: sha.to_string(),
            name: name.to_string(),
            mime: mime_for_name(name).to_string(),
            size,
            added_by: by.to_string(),
            added_at: Utc::now(),
        };
        // The bytes first, durably; then the reference.
        let file = self.blob_file(sha);
        if !self.blob_present(sha)? || !file.exists() {
            let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
            fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
            fs::rename(tmp, &file).map_err(|e| io_err(&file, e))?;
            fsync_dir(&dir)?;
        }
        let same = existing
            .iter()
            .find(|r| r.sha256 == sha && r.name == name)
            .cloned();
        if let Some(same) = same {
            // The same file under the same name: nothing to change.
            self.mark_present(sha, size)?;
            return self.view(same);
        }
        // Present before referenced: a crash in between leaves an unreferenced
        // blob (collected later), never a reference to missing bytes.
        self.mark_present(sha, size)?;
        let doc = self.load_doc(id)?;
        doc.add_attachment(&reference)?;
        self.persist(id, false)?;
        self.view(reference)
    }

    fn mark_present(&self, sha: &str, size: u64) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO blobs(sha256, size, present) VALUES (?1, ?2, 1)
             ON CONFLICT(sha256) DO UPDATE SET present = 1, size = ?2",
            params![sha, size as i64],
        )?;
        Ok(())
    }

    fn blob_present(&self, sha: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT present FROM blobs WHERE sha256 = ?1", [sha], |r| {
                r.get::<_, bool>(0)
            })
            .optional()?
            .unwrap_or(false))
    }

    /// Removes a record's reference to an attachment. The bytes stay while
    /// another record references them; otherwise they are deleted here (the
    /// relay keeps its copy, and the record's history still names the file).
    pub fn detach(&mut self, record: &str, sha256: &str, by: &str) -> Result<bool, StoreError> {
        let id = self.resolve_id(record)?;
        let doc = self.load_doc(&id)?;
        if !doc.remove_attachment(sha256, by, Utc::now())? {
            return Ok(false);
        }
        self.persist(&id, false)?;
        self.collect_garbage()?;
        Ok(true)
    }

    /// Deletes the files and rows of hashes no record references.
    pub fn collect_garbage(&mut self) -> Result<usize, StoreError> {
        let orphans: Vec<String> = {
            let mut stmt = self.conn.prepare(
                "SELECT sha256 FROM blobs b
                 WHERE NOT EXISTS (SELECT 1 FROM blob_refs r WHERE r.sha256 = b.sha256)",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        for sha in &orphans {
            if !is_sha256_hex(sha) {
                continue;
            }
            for path in [self.blob_file(sha), self.partial_path(sha)] {
                match fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(io_err(&path, e)),
                }
            }
            self.conn
                .execute("DELETE FROM blobs WHERE sha256 = ?1", [sha])?;
        }
        Ok(orphans.len())
    }

    /// A record's attachments with their state on this device.
    pub fn attachments(&mut self, record: &str) -> Result<Vec<AttachmentView>, StoreError> {
        let id = self.resolve_id(record)?;
        let refs = self.load_doc(&id)?.attachments();
        refs.into_iter().map(|r| self.view(r)).collect()
    }

    fn view(&self, reference: AttachmentRef) -> Result<AttachmentView, StoreError> {
        let state = self.state_of(&reference.sha256, reference.size)?;
        Ok(AttachmentView { reference, state })
    }

    /// Where the bytes of `sha` are on this device.
    pub fn attachment_state(&self, sha: &str) -> Result<AttachmentState, StoreError> {
        let size: Option<i64> = self
            .conn
            .query_row("SELECT size FROM blobs WHERE sha256 = ?1", [sha], |r| {
                r.get(0)
            })
            .optional()?;
        self.state_of(sha, size.unwrap_or(0).max(0) as u64)
    }

    fn state_of(&self, sha: &str, size: u64) -> Result<AttachmentState, StoreError> {
        let row: Option<(bool, bool, i64)> = self
            .conn
            .query_row(
                "SELECT present, uploaded, relay_received FROM blobs WHERE sha256 = ?1",
                [sha],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (present, uploaded, relay) = row.unwrap_or((false, false, 0));
        let pct = |n: u64| -> u8 { (n.min(size) * 100).checked_div(size).unwrap_or(0) as u8 };
        Ok(if present && self.blob_file(sha).exists() {
            if uploaded {
                AttachmentState::Synced
            } else if relay > 0 {
                AttachmentState::Uploading {
                    percent: pct(relay as u64),
                }
            } else {
                AttachmentState::LocalOnly
            }
        } else {
            match fs::metadata(self.partial_path(sha)) {
                Ok(m) if m.len() > 0 => AttachmentState::Fetching {
                    percent: pct(m.len()),
                },
                _ => AttachmentState::Missing,
            }
        })
    }

    /// The verified file of an attachment on this device (to open it with
    /// the system viewer), or None while it is missing.
    pub fn attachment_file(&self, sha: &str) -> Result<Option<PathBuf>, StoreError> {
        if !is_sha256_hex(sha) {
            return Ok(None);
        }
        let path = self.blob_file(sha);
        Ok((self.blob_present(sha)? && path.exists()).then_some(path))
    }

    /// Resolves a hash or a unique prefix (at least 6 hex digits) among the
    /// attachments a record references.
    pub fn resolve_attachment(&mut self, record: &str, sha: &str) -> Result<String, StoreError> {
        let refs = self.attachments(record)?;
        let matches: Vec<&AttachmentView> = refs
            .iter()
            .filter(|a| sha.len() >= 6 && a.reference.sha256.starts_with(sha))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one.reference.sha256.clone()),
            [] => Err(StoreError::Invalid(format!(
                "record {record} has no attachment {sha}; `hongdun attachments {record}` lists them"
            ))),
            _ => Err(StoreError::Invalid(format!(
                "{sha} matches several attachments; give more digits"
            ))),
        }
    }

    /// The size of an attachment some record references, if any does.
    pub fn attachment_size(&self, sha: &str) -> Result<Option<u64>, StoreError> {
        let size: Option<i64> = self
            .conn
            .query_row("SELECT size FROM blobs WHERE sha256 = ?1", [sha], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(size.map(|s| s.max(0) as u64))
    }

    /// Marks an attachment to be fetched at the next sync (the panel's
    /// "fetch now" when the fetch itself cannot run at once).
    pub fn want_attachment(&self, sha: &str) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE blobs SET wanted = 1 WHERE sha256 = ?1", [sha])?;
        Ok(())
    }

    /// Verified attachments the relay does not hold whole yet, referenced by
    /// records this device still holds.
    pub fn blobs_to_upload(&self) -> Result<Vec<PendingBlob>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT b.sha256, b.size, b.relay_received FROM blobs b
             WHERE b.present = 1 AND b.uploaded = 0 AND EXISTS (
                 SELECT 1 FROM blob_refs r JOIN records rec ON rec.id = r.record_id
                 WHERE r.sha256 = b.sha256 AND rec.revoked = 0)
             ORDER BY b.sha256",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PendingBlob {
                sha256: r.get(0)?,
                size: r.get::<_, i64>(1)?.max(0) as u64,
                done: r.get::<_, i64>(2)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Attachments to fetch: those asked for, or all of them when the office
    /// fetches always — of records this device may still read.
    pub fn blobs_to_fetch(&self) -> Result<Vec<PendingBlob>, StoreError> {
        let always = self.attachment_settings()?.fetch == FetchPolicy::Always;
        let mut stmt = self.conn.prepare(
            "SELECT b.sha256, b.size FROM blobs b
             WHERE b.present = 0 AND (b.wanted = 1 OR ?1) AND EXISTS (
                 SELECT 1 FROM blob_refs r JOIN records rec ON rec.id = r.record_id
                 WHERE r.sha256 = b.sha256 AND rec.revoked = 0)
             ORDER BY b.sha256",
        )?;
        let rows = stmt.query_map([always], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (sha256, size) = row?;
            let done = fs::metadata(self.partial_path(&sha256)).map_or(0, |m| m.len());
            out.push(PendingBlob { sha256, size, done });
        }
        Ok(out)
    }

    /// Counts for the sync summary.
    pub fn pending_attachments(&self) -> Result<PendingAttachments, StoreError> {
        let up = self.blobs_to_upload()?;
        let down = self.blobs_to_fetch()?;
        Ok(PendingAttachments {
            uploads: up.len(),
            upload_bytes: up.iter().map(|b| b.size.saturating_sub(b.done)).sum(),
            downloads: down.len(),
            download_bytes: down.iter().map(|b| b.size.saturating_sub(b.done)).sum(),
        })
    }

    /// Notes what the relay holds of an upload; `complete` once it verified all.
    pub fn note_relay_received(
        &self,
        sha: &str,
        received: u64,
        complete: bool,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE blobs SET relay_received = ?2, uploaded = ?3 WHERE sha256 = ?1",
            params![sha, received as i64, complete],
        )?;
        Ok(())
    }

    /// Opens the verified file of `sha` for upload.
    pub fn open_blob(&self, sha: &str) -> Result<File, StoreError> {
        let path = self.blob_file(sha);
        File::open(&path).map_err(|e| io_err(&path, e))
    }

    /// Opens (creating) the partial file of a download for appending, cut
    /// back to `keep` bytes (what it held when the download resumed).
    pub fn open_partial(&self, sha: &str) -> Result<(File, u64), StoreError> {
        let path = self.partial_path(sha);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| io_err(&path, e))?;
        let len = file.metadata().map_err(|e| io_err(&path, e))?.len();
        Ok((file, len))
    }

    /// Checks a finished download against its hash: if it matches, moves it
    /// into place and marks it present (and on the relay); if not, deletes
    /// it and returns false (it is fetched again from the start).
    pub fn finish_download(&mut self, sha: &str) -> Result<bool, StoreError> {
        let partial = self.partial_path(sha);
        let actual = hash_file(&partial).map_err(|e| io_err(&partial, e))?;
        if actual.0 != sha {
            tracing::warn!(%sha, "a fetched attachment did not match its hash; fetching it again");
            let _ = fs::remove_file(&partial);
            return Ok(false);
        }
        let file = self.blob_file(sha);
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_err(&partial, e))?;
        fs::rename(&partial, &file).map_err(|e| io_err(&file, e))?;
        fsync_dir(&dir)?;
        self.conn.execute(
            "UPDATE blobs SET present = 1, uploaded = 1, wanted = 0, relay_received = size
             WHERE sha256 = ?1",
            [sha],
        )?;
        Ok(true)
    }
}

/// SHA-256 (hex) and length of a file.
pub fn hash_file(path: &Path) -> io::Result<(String, u64)> {
    let mut f = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((to_hex(&hasher.finalize()), total))
}
