//! `POST /v1/sync`: one sync round (docs/SYNC.md).

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use hongdun_core::sync::protocol::{self, AckResult, SyncRequest, WireError};

use crate::caller::Caller;
use crate::error::ApiError;
use crate::relay::{run_round, RoundError};
use crate::AppState;

/// Largest decoded request the relay accepts.
pub const MAX_DECODED_REQUEST: usize = 64 * 1024 * 1024;

pub async fn sync(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let m = &state.metrics;
    m.bytes_in
        .fetch_add(body.len() as u64, std::sync::atomic::Ordering::Relaxed);
    let req: SyncRequest = protocol::decode(&body, MAX_DECODED_REQUEST).map_err(|e| {
        m.error("bad_request");
        match e {
            WireError::TooLarge { .. } => ApiError::too_large(e.to_string()),
            _ => ApiError::bad_request(format!(
                "{e}; is this a Hongdun client of the same version?"
            )),
        }
    })?;
    let resp = run_round(
        state.db.as_ref(),
        &who,
        &req,
        state.relay_limits,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| match e {
        RoundError::Protocol(_) | RoundError::TooManyUploads(..) => {
            m.error("bad_request");
            ApiError::bad_request(e.to_string())
        }
        RoundError::Replayed => {
            m.error("replayed");
            ApiError::conflict("replayed", e.to_string())
        }
        RoundError::Db(e) => {
            m.error("internal");
            e.into()
        }
    })?;
    for a in &resp.acks {
        let counter = match a.result {
            AckResult::Stored { .. } => &m.docs_stored,
            AckResult::Unchanged { .. } => &m.docs_unchanged,
            AckResult::Refused { .. } | AckResult::NeedFull => &m.docs_refused,
        };
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    m.docs_sent
        .fetch_add(resp.feed.len() as u64, std::sync::atomic::Ordering::Relaxed);
    let bytes = protocol::encode(&resp).map_err(|e| {
        tracing::error!(error = %e, "encoding a response failed");
        ApiError::internal()
    })?;
    m.bytes_out
        .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
    m.observe_round(started.elapsed());
    tracing::debug!(device = %who.device_id, uploads = req.uploads.len(), feed = resp.feed.len(), ms = started.elapsed().as_millis() as u64, "sync round");
    Ok(([(CONTENT_TYPE, protocol::CONTENT_TYPE)], bytes).into_response())
}
