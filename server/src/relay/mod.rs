//! The relay's sync engine, sans-IO over [`Database`]: a request and the
//! caller in, a response out. The HTTP handler only decodes, authenticates
//! and encodes; tests drive [`run_round`] directly.
//!
//! - [`access`]: who may read and write which document.
//! - [`backfill`]: statistics facts for documents stored without them.
//! - [`bulletin`]: the bureau's bulletin, computed office by office.
//! - [`attachments`]: who may read an attachment's bytes; whole-file checks.
//! - [`upload`]: merging a client's changes, refusing writes a role may not make.
//! - [`feed`]: what changed since a cursor, for this caller, within a byte bound.

pub mod access;
pub mod attachments;
pub mod backfill;
pub mod bulletin;
pub mod feed;
pub mod upload;

use chrono::{DateTime, Utc};
use hongdun_core::sync::protocol::{SyncRequest, SyncResponse, PROTOCOL_VERSION};

use crate::storage::{Database, DbError, Principal};

/// The relay's own bounds on a round.
#[derive(Debug, Clone, Copy)]
pub struct RelayLimits {
    /// At most this many feed bytes per response, whatever the client asks.
    pub max_feed_bytes: u64,
    /// At most this many documents uploaded per request.
    pub max_uploads: usize,
}

impl Default for RelayLimits {
    fn default() -> Self {
        RelayLimits {
            max_feed_bytes: 4 * 1024 * 1024,
            max_uploads: 2000,
        }
    }
}

/// A request the relay will not run, with the status it answers.
#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    #[error("this relay speaks sync protocol {PROTOCOL_VERSION}, the client sent {0}; update Hongdun on this device")]
    Protocol(u32),
    #[error("this request was already received (a replay); a retry must be a new request")]
    Replayed,
    #[error("too many documents in one request ({0}); send at most {1}")]
    TooManyUploads(usize, usize),
    #[error("storage: {0}")]
    Db(#[from] DbError),
}

/// Runs one sync round for `who`.
pub async fn run_round(
    db: &dyn Database,
    who: &Principal,
    req: &SyncRequest,
    limits: RelayLimits,
    now: DateTime<Utc>,
) -> Result<SyncResponse, RoundError> {
    if req.protocol != PROTOCOL_VERSION {
        return Err(RoundError::Protocol(req.protocol));
    }
    if req.uploads.len() > limits.max_uploads {
        return Err(RoundError::TooManyUploads(
            req.uploads.len(),
            limits.max_uploads,
        ));
    }
    if !db
        .note_request(&who.device_id, &req.request_id, now)
        .await?
    {
        return Err(RoundError::Replayed);
    }
    let mut acks = Vec::with_capacity(req.uploads.len());
    for up in &req.uploads {
        acks.push(upload::apply(db, who, up, now).await?);
    }
    let max = req.max_feed_bytes.min(limits.max_feed_bytes).max(1);
    let out = feed::collect(db, who, req.cursor, &req.want_full, max, now).await?;
    db.touch_device(&who.device_id, now, out.cursor as i64, req.schema)
        .await?;
    Ok(SyncResponse {
        acks,
        feed: out.docs,
        cursor: out.cursor,
        more: out.more,
        revoked: out.revoked,
        server_time: now,
    })
}
