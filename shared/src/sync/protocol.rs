//! The sync wire format (docs/SYNC.md). One HTTP request carries one round:
//! the client's new changes for many documents and its feed cursor; the reply
//! carries acknowledgements, the feed of what changed since the cursor, and
//! the new cursor. Bodies are postcard-encoded and zstd-compressed.
//!
//! Every round is idempotent: uploaded changes are Automerge changes (the
//! relay ignores those it has), and the cursor only moves once the client has
//! stored what came before it, so a round cut anywhere is simply run again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::record::RecordKind;

/// Version of this format; the relay refuses others with a clear message.
pub const PROTOCOL_VERSION: u32 = 1;

/// The HTTP path of a sync round.
pub const SYNC_PATH: &str = "/v1/sync";

/// The content type of encoded rounds.
pub const CONTENT_TYPE: &str = "application/x-hongdun-sync";

/// An Automerge change hash.
pub type Hash = [u8; 32];

/// Automerge heads as wire hashes, sorted (so equal sets compare equal).
#[cfg(feature = "crdt")]
pub fn hashes(heads: &[automerge::ChangeHash]) -> Vec<Hash> {
    let mut v: Vec<Hash> = heads.iter().map(|h| h.0).collect();
    v.sort();
    v
}

/// The client's half of a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub protocol: u32,
    /// A fresh random id per request: the relay refuses a request it has seen
    /// (a replay), while a retry after a cut is a new request.
    pub request_id: [u8; 16],
    /// The last feed position whose updates the client has stored.
    pub cursor: u64,
    /// The most feed bytes the client wants in the reply (the relay may cap it
    /// lower). Bounds a round to seconds on a slow line.
    pub max_feed_bytes: u64,
    /// Documents with changes the relay may not have.
    pub uploads: Vec<DocUpload>,
    /// Documents the client wants whole (its copy was lost or damaged).
    pub want_full: Vec<String>,
    /// The schema version of the client's documents (for the health view).
    pub schema: i64,
}

/// New changes of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocUpload {
    pub doc_id: String,
    pub kind: RecordKind,
    /// The office recorded in the document as its owner.
    pub owner: String,
    /// The heads the client last knew the relay to have; `changes` holds
    /// everything after them.
    pub base: Vec<Hash>,
    /// Automerge change bytes (`save_after(base)`), or a whole saved document.
    pub changes: Vec<u8>,
}

/// The relay's half of a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub acks: Vec<DocAck>,
    /// Updates since the request's cursor that the caller may read, grouped
    /// per document, in feed order.
    pub feed: Vec<FeedDoc>,
    /// The cursor to send next time, once `feed` is stored.
    pub cursor: u64,
    /// More feed is waiting after `cursor`: run another round.
    pub more: bool,
    /// Documents the caller could read before and may no longer (a revoked
    /// or expired grant, an item returned to the bureau).
    pub revoked: Vec<String>,
    pub server_time: DateTime<Utc>,
}

/// What the relay did with one upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocAck {
    pub doc_id: String,
    pub result: AckResult,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AckResult {
    /// Merged; the relay's heads afterwards.
    Stored { heads: Vec<Hash> },
    /// The relay had every change already.
    Unchanged { heads: Vec<Hash> },
    /// Not merged, and why (a write the caller's role may not make). The
    /// document stays as it was on the relay.
    Refused { reason: String },
    /// The changes build on history the relay does not have: upload the
    /// whole document next round.
    NeedFull,
}

/// One document's updates in the feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedDoc {
    pub doc_id: String,
    pub kind: RecordKind,
    pub owner: String,
    /// The office handling it now (after 流转/交办), if not the owner.
    pub holder: Option<String>,
    /// The relay's heads after these updates.
    pub heads: Vec<Hash>,
    /// Automerge change bytes, or the whole saved document when `full`.
    pub bytes: Vec<u8>,
    /// `bytes` is a whole document (new to the caller, or newly shared).
    pub full: bool,
}

/// A JSON error from the relay: `{"error": "<code>", "message": "<sentence>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable code, e.g. "unauthorized", "replayed".
    pub error: String,
    /// A plain sentence saying what was wrong.
    pub message: String,
}

/// Encoding or decoding a round failed.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("the body is not valid zstd data: {0}")]
    Compression(String),
    #[error("the body is not a Hongdun sync message: {0}")]
    Format(String),
    #[error("the body is larger than {limit} bytes once decompressed")]
    TooLarge { limit: usize },
}

#[cfg(feature = "native")]
mod codec {
    use std::io::Read;

    use super::WireError;

    /// Encodes a message: postcard, then zstd.
    pub fn encode<T: serde::Serialize>(msg: &T) -> Result<Vec<u8>, WireError> {
        let raw = postcard::to_allocvec(msg).map_err(|e| WireError::Format(e.to_string()))?;
        zstd::bulk::compress(&raw, 3).map_err(|e| WireError::Compression(e.to_string()))
    }

    /// Decodes a message, refusing more than `limit` decompressed bytes (a
    /// small body must not expand into gigabytes).
    pub fn decode<T: serde::de::DeserializeOwned>(
        body: &[u8],
        limit: usize,
    ) -> Result<T, WireError> {
        let mut dec = zstd::stream::read::Decoder::new(body)
            .map_err(|e| WireError::Compression(e.to_string()))?;
        let mut raw = Vec::new();
        (&mut dec)
            .take(limit as u64 + 1)
            .read_to_end(&mut raw)
            .map_err(|e| WireError::Compression(e.to_string()))?;
        if raw.len() > limit {
            return Err(WireError::TooLarge { limit });
        }
        postcard::from_bytes(&raw).map_err(|e| WireError::Format(e.to_string()))
    }
}

#[cfg(feature = "native")]
pub use codec::{decode, encode};
