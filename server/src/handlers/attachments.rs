//! Attachment bytes (docs/SYNC.md, "Attachments"), apart from `/v1/sync`:
//!
//! - `GET /v1/attachments/{sha}`: what the relay holds (resume point).
//! - `PUT /v1/attachments/{sha}?offset=N&size=S`: chunk frames from `offset`;
//!   each frame is checked against its SHA-256 and stored durably (in batches
//!   of up to [`FLUSH_BYTES`], one transaction each) before it counts. The
//!   answer is the new status. A damaged frame ends the request with 422
//!   after the good frames before it are stored.
//! - `GET /v1/attachments/{sha}/bytes?offset=N&max=M`: frames from `offset`
//!   of a complete attachment.
//!
//! Every request is checked against the documents referencing the hash.

use std::sync::atomic::Ordering;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;
use hongdun_core::attachment::{
    decode_frames, encode_frame, is_sha256_hex, BlobStatus, CHUNKS_CONTENT_TYPE, CHUNK_BYTES,
};
use serde::Deserialize;

use crate::caller::Caller;
use crate::error::ApiError;
use crate::relay::attachments::{may_read, verify};
use crate::storage::{BlobAppend, Database};
use crate::AppState;

/// Verified frames are stored once this many bytes wait (and at the end).
pub const FLUSH_BYTES: usize = 512 * 1024;

/// At most this many bytes per download response when the client asks more.
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Deserialize)]
pub struct PutQuery {
    offset: u64,
    size: u64,
}

#[derive(Debug, Deserialize)]
pub struct GetQuery {
    #[serde(default)]
    offset: u64,
    max: Option<u64>,
}

fn hidden() -> ApiError {
    ApiError::not_found("no such attachment, or this device may not read the records that hold it")
}

async fn checked(state: &AppState, who: &Caller, sha: &str) -> Result<(), ApiError> {
    if !is_sha256_hex(sha) {
        return Err(ApiError::bad_request(
            "an attachment is named by its SHA-256: 64 lowercase hex digits",
        ));
    }
    if !may_read(state.db.as_ref(), &who.0, sha, chrono::Utc::now()).await? {
        return Err(hidden());
    }
    Ok(())
}

async fn current(db: &dyn Database, sha: &str) -> Result<BlobStatus, ApiError> {
    let row = db.blob_status(sha).await?;
    Ok(BlobStatus {
        sha256: sha.to_string(),
        size: row.map(|r| r.size.max(0) as u64),
        received: row.map_or(0, |r| r.received.max(0) as u64),
        complete: row.is_some_and(|r| r.complete),
    })
}

pub async fn status(
    State(state): State<AppState>,
    who: Caller,
    Path(sha): Path<String>,
) -> Result<Json<BlobStatus>, ApiError> {
    checked(&state, &who, &sha).await?;
    Ok(Json(current(state.db.as_ref(), &sha).await?))
}

/// Stores `pending` at `offset`; the new offset.
async fn flush(
    db: &dyn Database,
    sha: &str,
    size: u64,
    offset: u64,
    pending: &mut Vec<Vec<u8>>,
) -> Result<u64, ApiError> {
    if pending.is_empty() {
        return Ok(offset);
    }
    let chunks = std::mem::take(pending);
    match db
        .blob_append(sha, size as i64, offset as i64, chunks)
        .await?
    {
        BlobAppend::Appended(n) => Ok(n.max(0) as u64),
        BlobAppend::WrongOffset(n) => Err(ApiError::conflict(
            "wrong_offset",
            format!("the relay holds {n} bytes of this attachment; resume from there"),
        )),
        BlobAppend::WrongSize(n) => Err(ApiError::bad_request(format!(
            "this attachment was announced with {n} bytes, not {size}"
        ))),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    who: Caller,
    Path(sha): Path<String>,
    Query(q): Query<PutQuery>,
    body: Body,
) -> Result<Json<BlobStatus>, ApiError> {
    checked(&state, &who, &sha).await?;
    let max = state.settings.max_attachment_bytes;
    if q.size > max {
        state.metrics.error("too_large");
        return Err(ApiError::too_large(format!(
            "the attachment has {} bytes; this relay accepts at most {max} bytes per file",
            q.size
        )));
    }
    let db = state.db.as_ref();
    let now = current(db, &sha).await?;
    if now.complete {
        return Ok(Json(now));
    }
    if now.received != q.offset {
        return Err(ApiError::conflict(
            "wrong_offset",
            format!(
                "the relay holds {} bytes of this attachment; resume from there",
                now.received
            ),
        ));
    }
    let mut offset = q.offset;
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK_BYTES);
    let mut pending: Vec<Vec<u8>> = Vec::new();
    let mut pending_bytes = 0usize;
    let mut stream = body.into_data_stream();
    let mut failure: Option<ApiError> = None;
    while let Some(item) = stream.next().await {
        let data = match item {
            Ok(d) => d,
            Err(e) => {
                // Cut mid-request: keep every whole, verified chunk.
                tracing::debug!(%sha, error = %e, "attachment upload cut");
                failure = Some(ApiError::bad_request("the upload was cut; resume it"));
                break;
            }
        };
        state
            .metrics
            .bytes_in
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        buf.extend_from_slice(&data);
        let (frames, used, err) = decode_frames(&buf);
        for f in frames {
            pending_bytes += f.len();
            pending.push(f.to_vec());
        }
        buf.drain(..used);
        if let Some(e) = err {
            state.metrics.error("corrupt_chunk");
            failure = Some(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "corrupt_chunk",
                format!("{e}; resume from the relay's offset"),
            ));
            break;
        }
        if offset + pending_bytes as u64 > q.size {
            failure = Some(ApiError::bad_request(
                "more bytes than the attachment's declared size",
            ));
            pending.clear();
            break;
        }
        if pending_bytes >= FLUSH_BYTES {
            offset = flush(db, &sha, q.size, offset, &mut pending).await?;
            pending_bytes = 0;
        }
    }
    offset = flush(db, &sha, q.size, offset, &mut pending).await?;
    if let Some(e) = failure {
        return Err(e);
    }
    if offset == q.size {
        let ok = verify(db, &sha, q.size as i64).await?;
        db.blob_finish(&sha, ok).await?;
        if !ok {
            state.metrics.error("corrupt_file");
            tracing::warn!(%sha, device = %who.0.device_id, "an uploaded attachment did not match its hash; dropped");
            return Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "corrupt_file",
                "the file does not match its SHA-256; it was dropped, upload it again",
            ));
        }
    }
    Ok(Json(current(db, &sha).await?))
}

pub async fn download(
    State(state): State<AppState>,
    who: Caller,
    Path(sha): Path<String>,
    Query(q): Query<GetQuery>,
) -> Result<Response, ApiError> {
    checked(&state, &who, &sha).await?;
    let st = current(state.db.as_ref(), &sha).await?;
    let size = st.size.unwrap_or(0);
    if !st.complete {
        return Err(ApiError::not_found(
            "the relay does not hold this attachment whole yet; the office that added it has not finished uploading",
        ));
    }
    if q.offset > size {
        return Err(ApiError::bad_request(format!(
            "offset {} is past the end ({size} bytes)",
            q.offset
        )));
    }
    let end = size.min(q.offset + q.max.unwrap_or(MAX_RESPONSE_BYTES).min(MAX_RESPONSE_BYTES));
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let db = state.db.clone();
    let metrics = state.metrics.clone();
    tokio::spawn(async move {
        let mut at = q.offset;
        while at < end {
            let chunks = match db.blob_read(&sha, at as i64, 1024 * 1024).await {
                Ok(c) if !c.is_empty() => c,
                Ok(_) => break,
                Err(e) => {
                    tracing::error!(%sha, error = %e, "reading attachment chunks failed");
                    let _ = tx.send(Err(std::io::Error::other("storage"))).await;
                    return;
                }
            };
            let mut out = Vec::with_capacity(1024 * 1024 + 64);
            for (pos, bytes) in chunks {
                let pos = pos.max(0) as u64;
                let from = at.saturating_sub(pos) as usize;
                let to = ((end - pos) as usize).min(bytes.len());
                if from >= to {
                    continue;
                }
                for piece in bytes[from..to].chunks(CHUNK_BYTES) {
                    encode_frame(piece, &mut out);
                }
                at = pos + to as u64;
                if at >= end {
                    break;
                }
            }
            metrics
                .bytes_out
                .fetch_add(out.len() as u64, Ordering::Relaxed);
            if tx.send(Ok(Bytes::from(out))).await.is_err() {
                return; // the client went away
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Ok((
        [(CONTENT_TYPE, CHUNKS_CONTENT_TYPE)],
        Body::from_stream(stream),
    )
        .into_response())
}
