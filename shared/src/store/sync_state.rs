//! The store's side of sync: which documents wait to be uploaded, what the
//! relay is known to have, applying what the relay sent, and the device's
//! enrollment. The round logic itself is in `crate::sync` (sans-IO).

use automerge::ChangeHash;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::doc::RecordDoc;
use crate::sync::protocol::{AckResult, DocAck, DocUpload, FeedDoc, Hash};

/// Where this device syncs and who it is there (after `hongdun enroll`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteConfig {
    pub server: String,
    pub token: String,
    pub device_id: String,
    pub role: String,
    pub office: Option<String>,
    pub user: String,
    /// office, bureau or partner (None: enrolled with an older relay).
    #[serde(default)]
    pub org_kind: Option<String>,
}

impl std::fmt::Debug for RemoteConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteConfig")
            .field("server", &self.server)
            .field("token", &"<redacted>")
            .field("device_id", &self.device_id)
            .field("role", &self.role)
            .field("office", &self.office)
            .field("user", &self.user)
            .finish()
    }
}

pub use crate::desk::SyncStatus;

fn heads_to_blob(heads: &[Hash]) -> Vec<u8> {
    heads.iter().flat_map(|h| h.iter().copied()).collect()
}

fn blob_to_heads(blob: &[u8]) -> Vec<Hash> {
    blob.chunks_exact(32)
        .filter_map(|c| <[u8; 32]>::try_from(c).ok())
        .collect()
}

fn from_hashes(heads: &[Hash]) -> Vec<ChangeHash> {
    heads.iter().map(|h| ChangeHash(*h)).collect()
}

/// Does `doc` hold changes that are not in the history ending at `relay`
/// (the relay's heads)? Heads this replica has not seen yet are ignored.
fn has_changes_beyond(doc: &mut RecordDoc, relay: &[Hash]) -> bool {
    let am = doc.automerge_mut();
    let known: Vec<ChangeHash> = from_hashes(relay)
        .into_iter()
        .filter(|h| am.get_change_meta_by_hash(h).is_some())
        .collect();
    if known.is_empty() {
        return true;
    }
    !am.get_changes_meta(&known).is_empty()
}

impl Store {
    pub(crate) fn meta_get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn meta_set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            [key, value],
        )?;
        Ok(())
    }

    /// The enrollment of this device, if any.
    pub fn remote(&self) -> Result<Option<RemoteConfig>, StoreError> {
        match self.meta_get("remote")? {
            Some(text) => Ok(Some(serde_json::from_str(&text)?)),
            None => Ok(None),
        }
    }

    /// Records this device's enrollment. A partner or bureau device gets the
    /// office it was enrolled for (or a pseudo-office for partners) if the
    /// store had none.
    pub fn set_remote(&mut self, cfg: &RemoteConfig) -> Result<(), StoreError> {
        self.meta_set("remote", &serde_json::to_string(cfg)?)
    }

    /// The feed position whose updates are stored here.
    pub fn sync_cursor(&self) -> Result<u64, StoreError> {
        Ok(self
            .meta_get("sync_cursor")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Notes the end of a sync (or its failure) for the sync page.
    pub fn record_sync_outcome(&self, error: Option<&str>) -> Result<(), StoreError> {
        self.meta_set("last_sync_at", &chrono::Utc::now().to_rfc3339())?;
        match error {
            Some(e) => self.meta_set("last_sync_error", e),
            None => {
                self.conn
                    .execute("DELETE FROM meta WHERE key = 'last_sync_error'", [])?;
                Ok(())
            }
        }
    }

    /// Documents with local changes not yet on the relay.
    pub fn pending_upload_count(&self) -> Result<usize, StoreError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM sync_docs WHERE dirty = 1 AND revoked = 0",
            [],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    pub fn sync_status(&self) -> Result<SyncStatus, StoreError> {
        let remote = self.remote()?;
        let pending = self.pending_upload_count()?;
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id, refused FROM sync_docs WHERE refused IS NOT NULL")?;
        let refused = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SyncStatus {
            configured: remote.is_some(),
            server: remote.map(|r| r.server),
            cursor: self.sync_cursor()?,
            pending_documents: pending,
            refused,
            last_sync_at: self.meta_get("last_sync_at")?,
            last_error: self.meta_get("last_sync_error")?,
            attachments: self.pending_attachments()?,
        })
    }

    /// Documents the relay should send whole (lost or quarantined here).
    pub fn wanted_full(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id FROM sync_docs WHERE need_full = 1 AND revoked = 0")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    /// The local changes the relay may not have, up to about `max_bytes` and
    /// at most `max_docs` documents (always at least one document, so a big
    /// one still goes through).
    pub fn pending_uploads(
        &mut self,
        max_bytes: usize,
        max_docs: usize,
    ) -> Result<Vec<DocUpload>, StoreError> {
        let rows: Vec<(String, Vec<u8>)> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT s.doc_id, s.relay_heads FROM sync_docs s JOIN docs d ON d.id = s.doc_id
                 WHERE s.dirty = 1 AND s.revoked = 0 ORDER BY s.doc_id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let mut out = Vec::new();
        let mut total = 0usize;
        for (id, blob) in rows {
            let base = blob_to_heads(&blob);
            let doc = match self.load_doc(&id) {
                Ok(d) => d,
                Err(StoreError::Quarantined { .. }) => continue,
                Err(e) => return Err(e),
            };
            let changes = if base.is_empty() {
                doc.save()
            } else {
                doc.automerge_mut().save_after(&from_hashes(&base))
            };
            total += changes.len();
            out.push(DocUpload {
                doc_id: id,
                kind: doc.kind()?,
                owner: doc.office(),
                base,
                changes,
            });
            if total >= max_bytes || out.len() >= max_docs.max(1) {
                break;
            }
        }
        Ok(out)
    }

    /// Records the relay's answer to uploads: what it now has, or why it
    /// refused a document.
    pub fn apply_acks(&mut self, acks: &[DocAck]) -> Result<(), StoreError> {
        for ack in acks {
            match &ack.result {
                AckResult::Stored { heads } | AckResult::Unchanged { heads } => {
                    let mut relay = heads.clone();
                    relay.sort();
                    let dirty = match self.load_doc(&ack.doc_id) {
                        Ok(doc) => has_changes_beyond(doc, &relay),
                        Err(StoreError::NotFound(_)) | Err(StoreError::Quarantined { .. }) => {
                            continue
                        }
                        Err(e) => return Err(e),
                    };
                    self.conn.execute(
                        "INSERT INTO sync_docs(doc_id, relay_heads, dirty, refused) VALUES (?1, ?2, ?3, NULL)
                         ON CONFLICT(doc_id) DO UPDATE SET relay_heads = ?2, dirty = ?3, refused = NULL",
                        params![ack.doc_id, heads_to_blob(&relay), dirty],
                    )?;
                }
                AckResult::NeedFull => {
                    // Forget what we thought the relay had: send it whole.
                    self.conn.execute(
                        "UPDATE sync_docs SET relay_heads = x'', dirty = 1 WHERE doc_id = ?1",
                        [&ack.doc_id],
                    )?;
                }
                AckResult::Refused { reason } => {
                    tracing::warn!(doc = %ack.doc_id, %reason, "the relay refused a document");
                    self.conn.execute(
                        "UPDATE sync_docs SET dirty = 0, refused = ?2 WHERE doc_id = ?1",
                        params![ack.doc_id, reason],
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Stores the feed of one round and moves the cursor, in one transaction:
    /// after a crash either all of it is here and the cursor moved, or none of
    /// it and the next round asks again.
    pub fn apply_feed(
        &mut self,
        feed: &[FeedDoc],
        cursor: u64,
        revoked: &[String],
    ) -> Result<usize, StoreError> {
        self.in_batch(|s| {
            let mut applied = 0;
            for item in feed {
                if s.apply_feed_doc(item)? {
                    applied += 1;
                }
            }
            for id in revoked {
                s.conn.execute(
                    "INSERT INTO sync_docs(doc_id, dirty, revoked) VALUES (?1, 0, 1)
                     ON CONFLICT(doc_id) DO UPDATE SET revoked = 1, dirty = 0",
                    [id],
                )?;
                s.conn
                    .execute("UPDATE records SET revoked = 1 WHERE id = ?1", [id])?;
            }
            s.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('sync_cursor', ?1)",
                [cursor.to_string()],
            )?;
            Ok(applied)
        })
    }

    /// Applies one document's updates; false if it could not be applied here
    /// (then it is asked for whole next round).
    fn apply_feed_doc(&mut self, item: &FeedDoc) -> Result<bool, StoreError> {
        let exists = self
            .resolve_id(&item.doc_id)
            .is_ok_and(|id| id == item.doc_id);
        let applied = if exists {
            let doc = self.load_doc(&item.doc_id)?;
            doc.apply(&item.bytes).is_ok()
        } else {
            match RecordDoc::load(&item.bytes, &self.actor) {
                Ok(doc) if doc.id() == item.doc_id => {
                    self.cache.insert(item.doc_id.clone(), doc);
                    true
                }
                _ => false,
            }
        };
        if !applied {
            // Changes whose history is missing here: ask for the whole document.
            self.cache.remove(&item.doc_id);
            self.conn.execute(
                "INSERT INTO sync_docs(doc_id, dirty, need_full) VALUES (?1, 0, 1)
                 ON CONFLICT(doc_id) DO UPDATE SET need_full = 1",
                [&item.doc_id],
            )?;
            return Ok(false);
        }
        let mut relay = item.heads.clone();
        relay.sort();
        let dirty = {
            let doc = self
                .cache
                .get_mut(&item.doc_id)
                .ok_or_else(|| StoreError::NotFound(item.doc_id.clone()))?;
            has_changes_beyond(doc, &relay)
        };
        self.persist_from(&item.doc_id, !exists, false)?;
        self.conn.execute(
            "INSERT INTO sync_docs(doc_id, relay_heads, dirty, need_full, revoked) VALUES (?1, ?2, ?3, 0, 0)
             ON CONFLICT(doc_id) DO UPDATE SET relay_heads = ?2, dirty = ?3, need_full = 0, revoked = 0",
            params![item.doc_id, heads_to_blob(&relay), dirty],
        )?;
        Ok(true)
    }
}
