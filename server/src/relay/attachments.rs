//! Attachment bytes on the relay, sans-IO over [`Database`]: who may touch a
//! hash, and the check of a whole file against its hash.
//!
//! Access follows the documents: a caller may read (and upload) the bytes of
//! a hash when it may read at least one document whose latest stored version
//! references that hash (`blob_refs`, rewritten with every stored document).
//! A partner therefore gets exactly the attachments of the case files
//! granted to it, and never those only a confidential annex references. A
//! hash nobody may read looks like one that does not exist. Uploading needs
//! no more than read access: only bytes matching a referenced hash are ever
//! kept, so an upload can add nothing but the file the reference names.

use chrono::{DateTime, Utc};
use hongdun_core::attachment::to_hex;
use sha2::{Digest, Sha256};

use super::access::{access, Access};
use crate::storage::{Database, DbResult, Principal};

/// Bytes read back per query when verifying a whole file.
const VERIFY_BATCH: i64 = 4 * 1024 * 1024;

/// May `who` read the attachment `sha256`?
pub async fn may_read(
    db: &dyn Database,
    who: &Principal,
    sha256: &str,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    for doc_id in db.blob_docs(sha256).await? {
        if let Some(doc) = db.load_doc(&doc_id).await? {
            if access(db, who, &doc, now).await? != Access::None {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Hashes every stored chunk of `sha256` in order: true if the bytes are
/// exactly `size` long and match the hash.
pub async fn verify(db: &dyn Database, sha256: &str, size: i64) -> DbResult<bool> {
    let mut hasher = Sha256::new();
    let mut at = 0i64;
    while at < size {
        let chunks = db.blob_read(sha256, at, VERIFY_BATCH).await?;
        if chunks.is_empty() {
            return Ok(false);
        }
        for (pos, bytes) in chunks {
            if pos != at {
                return Ok(false);
            }
            hasher.update(&bytes);
            at += bytes.len() as i64;
        }
    }
    Ok(at == size && to_hex(&hasher.finalize()) == sha256)
}
