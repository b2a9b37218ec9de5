//! Moving attachment bytes between the store's blob area and the relay
//! (docs/SYNC.md, "Attachments"). Runs after document sync, never instead
//! of it, within a byte budget per sync.
//!
//! Upload: `PUT /v1/attachments/{sha}?offset=N&size=S` with a body of chunk
//! frames (each checked by the relay against its own SHA-256 and stored
//! durably before the next counts); the answer is the relay's durable offset.
//! After a cut the client asks `GET /v1/attachments/{sha}` where to resume.
//! Download: `GET /v1/attachments/{sha}/bytes?offset=N`, a stream of frames
//! the client checks one by one, appending only good chunks to the partial
//! file, whose length is where the next try resumes. A damaged chunk ends the
//! response and is fetched again; the whole file is checked against its hash
//! before the attachment counts as present.

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use super::client::{refused, transfer_agent, url, StoreAccess, SyncError};
use crate::attachment::{
    attachment_path, decode_frames, encode_frame, BlobStatus, CHUNKS_CONTENT_TYPE, CHUNK_BYTES,
};
use crate::store::{PendingBlob, RemoteConfig};

/// At most this many file bytes per request: a request holds the line for
/// seconds, not minutes, and the relay checks access again at the next one.
pub const REQUEST_BYTES: u64 = 8 * 1024 * 1024;

/// Tries in a row that make no progress before a transfer gives up (until
/// the next sync).
const MAX_STALLED_TRIES: u32 = 6;

pub use crate::attachment::AttachmentSummary;

/// Uploads what waits, then fetches what is wanted, until `budget` file
/// bytes have moved (at least one request always runs).
pub fn transfer<S: StoreAccess>(
    store: &mut S,
    cfg: &RemoteConfig,
    budget: u64,
    idle_timeout: Duration,
    cancel: &AtomicBool,
) -> Result<AttachmentSummary, SyncError> {
    let agent = transfer_agent(idle_timeout)?;
    let mut summary = AttachmentSummary::default();
    let mut left = budget;
    for blob in store.with(|s| Ok(s.blobs_to_upload()?))? {
        if left == 0 || cancel.load(Ordering::Relaxed) {
            break;
        }
        match upload(store, &agent, cfg, &blob, left, cancel) {
            Ok((sent, complete)) => {
                left = left.saturating_sub(sent);
                summary.bytes_up += sent;
                summary.uploaded += usize::from(complete);
            }
            Err(SyncError::Cancelled) => return Err(SyncError::Cancelled),
            Err(e) => summary.failed.push((blob.sha256.clone(), e.to_string())),
        }
    }
    for blob in store.with(|s| Ok(s.blobs_to_fetch()?))? {
        if left == 0 || cancel.load(Ordering::Relaxed) {
            break;
        }
        match fetch(store, &agent, cfg, &blob.sha256, left, cancel) {
            Ok((got, complete)) => {
                left = left.saturating_sub(got);
                summary.bytes_down += got;
                summary.fetched += usize::from(complete);
            }
            Err(SyncError::Cancelled) => return Err(SyncError::Cancelled),
            Err(e) => summary.failed.push((blob.sha256.clone(), e.to_string())),
        }
    }
    let pending = store.with(|s| Ok(s.pending_attachments()?))?;
    summary.pending_uploads = pending.uploads;
    summary.pending_upload_bytes = pending.upload_bytes;
    summary.pending_downloads = pending.downloads;
    summary.pending_download_bytes = pending.download_bytes;
    Ok(summary)
}

/// Fetches one attachment now (the panel's "fetch now"); the enrolled relay.
pub fn fetch_now<S: StoreAccess>(
    mut store: S,
    sha: &str,
    idle_timeout: Duration,
    cancel: &AtomicBool,
) -> Result<bool, SyncError> {
    let cfg = store
        .with(|s| Ok(s.remote()?))?
        .ok_or(SyncError::NotEnrolled)?;
    let agent = transfer_agent(idle_timeout)?;
    let here = store.with(|s| {
        let here = s.attachment_file(sha)?.is_some();
        if !here {
            s.want_attachment(sha)?;
        }
        Ok(here)
    })?;
    if here {
        return Ok(true);
    }
    let (_, complete) = fetch(&mut store, &agent, &cfg, sha, u64::MAX, cancel)?;
    Ok(complete)
}

/// The relay's status of one attachment.
pub fn status(agent: &ureq::Agent, cfg: &RemoteConfig, sha: &str) -> Result<BlobStatus, SyncError> {
    let mut resp = agent
        .get(url(&cfg.server, &attachment_path(sha)))
        .header("authorization", &format!("Bearer {}", cfg.token))
        .call()
        .map_err(|e| unreachable(cfg, e))?;
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_vec()
        .map_err(|e| unreachable(cfg, e))?;
    if status != 200 {
        return Err(refused(status, &body));
    }
    serde_json::from_slice(&body).map_err(|e| SyncError::BadResponse(e.to_string()))
}

fn unreachable(cfg: &RemoteConfig, e: impl std::fmt::Display) -> SyncError {
    SyncError::Unreachable {
        server: cfg.server.clone(),
        detail: e.to_string(),
    }
}

/// Is this failure worth another try (a cut, a damaged chunk, a reset)?
fn transient(e: &SyncError) -> bool {
    match e {
        SyncError::Unreachable { .. } | SyncError::BadResponse(_) => true,
        SyncError::Refused { status, .. } => {
            matches!(*status, 409 | 422 | 429 | 500 | 502 | 503 | 504)
        }
        _ => false,
    }
}

fn backoff(stalled: u32) {
    thread::sleep(Duration::from_millis(200 * u64::from(stalled.min(5))));
}

/// Uploads one blob from where the relay stands, up to `budget` bytes.
/// Returns the bytes the relay newly holds and whether it is complete.
fn upload<S: StoreAccess>(
    store: &mut S,
    agent: &ureq::Agent,
    cfg: &RemoteConfig,
    blob: &PendingBlob,
    budget: u64,
    cancel: &AtomicBool,
) -> Result<(u64, bool), SyncError> {
    let start = blob.done;
    let mut offset = blob.done;
    let mut stalled = 0u32;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(SyncError::Cancelled);
        }
        let moved = offset.saturating_sub(start);
        if moved >= budget {
            return Ok((moved, false));
        }
        let want = (budget - moved).min(REQUEST_BYTES);
        let file = store.with(|s| Ok(s.open_blob(&blob.sha256)?))?;
        match put_chunks(file, agent, cfg, blob, offset, want, cancel) {
            Ok(st) => {
                store.with(|s| {
                    Ok(s.note_relay_received(&blob.sha256, st.received, st.complete)?)
                })?;
                if st.complete {
                    return Ok((st.received.saturating_sub(start), true));
                }
                if st.received <= offset {
                    stalled += 1;
                } else {
                    stalled = 0;
                }
                offset = st.received;
            }
            Err(SyncError::Cancelled) => return Err(SyncError::Cancelled),
            Err(e) if transient(&e) => {
                stalled += 1;
                tracing::debug!(sha = %blob.sha256, error = %e, "attachment upload interrupted; asking where to resume");
                if stalled > MAX_STALLED_TRIES {
                    return Err(e);
                }
                backoff(stalled);
                match status(agent, cfg, &blob.sha256) {
                    Ok(st) => {
                        store.with(|s| {
                            Ok(s.note_relay_received(&blob.sha256, st.received, st.complete)?)
                        })?;
                        if st.complete {
                            return Ok((st.received.saturating_sub(start), true));
                        }
                        if st.received > offset {
                            stalled = 0;
                        }
                        offset = st.received;
                    }
                    Err(e2) if transient(&e2) => {}
                    Err(e2) => return Err(e2),
                }
            }
            Err(e) => return Err(e),
        }
        if stalled > MAX_STALLED_TRIES {
            return Err(SyncError::BadResponse(
                "the relay keeps refusing this attachment's chunks".into(),
            ));
        }
    }
}

/// A file read as chunk frames, from `offset`, at most `limit` file bytes.
struct FrameReader<'a> {
    file: std::fs::File,
    left: u64,
    frame: Vec<u8>,
    at: usize,
    chunk: Vec<u8>,
    cancel: &'a AtomicBool,
}

impl Read for FrameReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.frame.len() {
            if self.left == 0 {
                return Ok(0);
            }
            if self.cancel.load(Ordering::Relaxed) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
            }
            let want = (CHUNK_BYTES as u64).min(self.left) as usize;
            self.chunk.resize(want, 0);
            let mut filled = 0;
            while filled < want {
                let n = self.file.read(&mut self.chunk[filled..])?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            if filled == 0 {
                self.left = 0;
                return Ok(0);
            }
            self.left -= filled as u64;
            self.frame.clear();
            encode_frame(&self.chunk[..filled], &mut self.frame);
            self.at = 0;
        }
        let n = buf.len().min(self.frame.len() - self.at);
        buf[..n].copy_from_slice(&self.frame[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn put_chunks(
    mut file: std::fs::File,
    agent: &ureq::Agent,
    cfg: &RemoteConfig,
    blob: &PendingBlob,
    offset: u64,
    limit: u64,
    cancel: &AtomicBool,
) -> Result<BlobStatus, SyncError> {
    file.seek(SeekFrom::Start(offset))
        .map_err(|e| SyncError::Config(format!("cannot read the attachment file: {e}")))?;
    let mut reader = FrameReader {
        file,
        left: limit.min(blob.size.saturating_sub(offset)),
        frame: Vec::new(),
        at: 0,
        chunk: Vec::new(),
        cancel,
    };
    let path = format!(
        "{}?offset={offset}&size={}",
        attachment_path(&blob.sha256),
        blob.size
    );
    let result = agent
        .put(url(&cfg.server, &path))
        .header("content-type", CHUNKS_CONTENT_TYPE)
        .header("authorization", &format!("Bearer {}", cfg.token))
        .send(ureq::SendBody::from_reader(&mut reader));
    if cancel.load(Ordering::Relaxed) {
        return Err(SyncError::Cancelled);
    }
    let mut resp = result.map_err(|e| unreachable(cfg, e))?;
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_vec()
        .map_err(|e| unreachable(cfg, e))?;
    if status != 200 {
        return Err(refused(status, &body));
    }
    serde_json::from_slice(&body).map_err(|e| SyncError::BadResponse(e.to_string()))
}

/// Fetches one blob, resuming its partial file, up to `budget` bytes.
/// Returns the verified bytes added and whether it is now present.
fn fetch<S: StoreAccess>(
    store: &mut S,
    agent: &ureq::Agent,
    cfg: &RemoteConfig,
    sha: &str,
    budget: u64,
    cancel: &AtomicBool,
) -> Result<(u64, bool), SyncError> {
    let mut got = 0u64;
    let mut stalled = 0u32;
    let mut restarts = 0u32;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(SyncError::Cancelled);
        }
        if got >= budget {
            return Ok((got, false));
        }
        let (file, have, size) = store.with(|s| {
            let (file, have) = s.open_partial(sha)?;
            Ok((file, have, s.attachment_size(sha)?))
        })?;
        let size = match size {
            Some(s) => s,
            None => return Err(SyncError::Config(format!("no attachment {sha} here"))),
        };
        if have >= size {
            if store.with(|s| Ok(s.finish_download(sha)?))? {
                return Ok((got, true));
            }
            restarts += 1;
            if restarts > 2 {
                return Err(SyncError::BadResponse(
                    "the relay's copy of this attachment does not match its hash".into(),
                ));
            }
            continue;
        }
        let want = (budget - got).min(REQUEST_BYTES);
        match get_chunks(agent, cfg, sha, have, want, file, cancel) {
            (n, None) => {
                got += n;
                stalled = if n == 0 { stalled + 1 } else { 0 };
                if n == 0 {
                    backoff(stalled);
                }
            }
            (n, Some(e)) => {
                got += n;
                if matches!(e, SyncError::Cancelled) || !transient(&e) {
                    return Err(e);
                }
                stalled = if n == 0 { stalled + 1 } else { 0 };
                tracing::debug!(%sha, error = %e, "attachment download interrupted; resuming");
                backoff(stalled);
                if stalled > MAX_STALLED_TRIES {
                    return Err(e);
                }
            }
        }
        if stalled > MAX_STALLED_TRIES {
            return Err(SyncError::BadResponse(
                "the relay sends nothing for this attachment".into(),
            ));
        }
    }
}

/// One download request: appends verified chunks to `file`. Returns the
/// bytes appended, with the error that ended the response if one did.
fn get_chunks(
    agent: &ureq::Agent,
    cfg: &RemoteConfig,
    sha: &str,
    offset: u64,
    max: u64,
    mut file: std::fs::File,
    cancel: &AtomicBool,
) -> (u64, Option<SyncError>) {
    let path = format!("{}/bytes?offset={offset}&max={max}", attachment_path(sha));
    let mut resp = match agent
        .get(url(&cfg.server, &path))
        .header("authorization", &format!("Bearer {}", cfg.token))
        .call()
    {
        Ok(r) => r,
        Err(e) => return (0, Some(unreachable(cfg, e))),
    };
    let status = resp.status().as_u16();
    if status != 200 {
        let body = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        return (0, Some(refused(status, &body)));
    }
    let mut reader = resp.body_mut().as_reader();
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK_BYTES);
    let mut read_buf = vec![0u8; 64 * 1024];
    let mut appended = 0u64;
    let outcome = loop {
        if cancel.load(Ordering::Relaxed) {
            break Err(SyncError::Cancelled);
        }
        let n = match reader.read(&mut read_buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) => break Err(unreachable(cfg, e)),
        };
        buf.extend_from_slice(&read_buf[..n]);
        let (frames, used, err) = decode_frames(&buf);
        for payload in &frames {
            if let Err(e) = file.write_all(payload) {
                let _ = file.sync_data();
                return (
                    appended,
                    Some(SyncError::Config(format!(
                        "cannot write the attachment file: {e}"
                    ))),
                );
            }
            appended += payload.len() as u64;
        }
        buf.drain(..used);
        if let Some(e) = err {
            // A damaged chunk: keep the good ones, ask again from here.
            break Err(SyncError::BadResponse(e.to_string()));
        }
    };
    // Only verified chunks were written: make them durable either way.
    let _ = file.sync_data();
    (appended, outcome.err())
}
