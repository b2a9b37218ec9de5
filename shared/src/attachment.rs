//! Evidence attachments (现场照片, 询问笔录 scans, 鉴定报告, receipts): the
//! types every layer shares, including the wasm front end.
//!
//! A record's Automerge document holds only a reference per attachment
//! ([`AttachmentRef`]: SHA-256, name, type, size, who added it and when); the
//! bytes live in a content-addressed blob area of the store and of the relay,
//! once per hash, and travel in verified chunks outside document sync
//! (docs/SYNC.md, "Attachments"). This module also holds the chunk framing
//! both ends speak, so sender and receiver check chunks the same way.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A size in words: `12.3 MB`.
pub fn human(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// One attachment as a record's document references it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    /// SHA-256 of the bytes, 64 lowercase hex digits: the blob's identity.
    pub sha256: String,
    /// The file name as added (shown, and used when opening the file).
    pub name: String,
    /// MIME type, e.g. `image/jpeg`, `application/pdf`.
    pub mime: String,
    pub size: u64,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl AttachmentRef {
    pub fn is_image(&self) -> bool {
        self.mime.starts_with("image/")
    }
}

/// Where an attachment's bytes are, as the attachment panel shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AttachmentState {
    /// Verified here, not yet on the relay (本机，未上传).
    LocalOnly,
    /// Verified here; the relay holds `percent` of it durably (上传中 n%).
    Uploading { percent: u8 },
    /// Verified here and on the relay (已同步).
    Synced,
    /// Not on this device; `fetch_attachment` gets it (本机没有 — 立即获取).
    Missing,
    /// Being fetched; `percent` verified so far (获取中 n%).
    Fetching { percent: u8 },
}

impl AttachmentState {
    /// The bytes are here and verified: the file may be opened.
    pub fn is_present(self) -> bool {
        matches!(
            self,
            AttachmentState::LocalOnly
                | AttachmentState::Uploading { .. }
                | AttachmentState::Synced
        )
    }
}

/// An attachment of a record with its state on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    #[serde(flatten)]
    pub reference: AttachmentRef,
    #[serde(flatten)]
    pub state: AttachmentState,
}

/// When a device fetches attachments it does not have (an office setting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchPolicy {
    /// Only when someone asks for one (`fetch_attachment`): saves the line.
    #[default]
    OnDemand,
    /// Every attachment of every record this device holds, at each sync.
    Always,
}

impl FetchPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            FetchPolicy::OnDemand => "on_demand",
            FetchPolicy::Always => "always",
        }
    }
    pub fn parse(s: &str) -> Option<FetchPolicy> {
        match s.trim() {
            "on_demand" | "on-demand" | "ondemand" => Some(FetchPolicy::OnDemand),
            "always" => Some(FetchPolicy::Always),
            _ => None,
        }
    }
}

/// An office's attachment settings (kept in its store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentSettings {
    pub fetch: FetchPolicy,
    /// Largest file that may be attached.
    pub max_file_bytes: u64,
    /// Largest total of one record's attachments.
    pub max_record_bytes: u64,
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        AttachmentSettings {
            fetch: FetchPolicy::OnDemand,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// 100 MB: a scanned file of a few hundred pages, a short video.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
/// 1 GB per record.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 1024 * 1024 * 1024;

/// The MIME type for a file name, from its extension.
pub fn mime_for_name(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ofd" => "application/ofd",
        "txt" => "text/plain",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "amr" => "audio/amr",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Lowercase hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The SHA-256 of `bytes` in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// Is `s` a SHA-256 in the form references use (64 lowercase hex digits)?
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

// --- chunk framing ---------------------------------------------------------

/// Bytes of file per chunk. Small enough that a cut loses little (at most
/// one chunk is re-sent), large enough that the 36-byte frame header is
/// noise (0.05 %).
pub const CHUNK_BYTES: usize = 64 * 1024;

/// A frame: 4-byte big-endian length, the SHA-256 of the payload, the payload.
pub const FRAME_HEADER: usize = 4 + 32;

/// The content type of a stream of chunk frames.
pub const CHUNKS_CONTENT_TYPE: &str = "application/x-hongdun-chunks";

/// The relay path of one attachment: `GET` its status, `PUT` chunks.
pub fn attachment_path(sha256: &str) -> String {
    format!("/v1/attachments/{sha256}")
}

/// Encodes one chunk as a frame.
pub fn encode_frame(payload: &[u8], out: &mut Vec<u8>) {
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&Sha256::digest(payload));
    out.extend_from_slice(payload);
}

/// Why a frame was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a chunk of {0} bytes is larger than the {CHUNK_BYTES}-byte limit")]
    TooLarge(usize),
    #[error("a chunk does not match its checksum (damaged in transit); it is sent again")]
    Checksum,
}

/// Splits complete frames off the front of `buf`, checking each: returns
/// the verified payloads and how many bytes of `buf` they used. An
/// incomplete frame at the end stays for the next read.
pub fn decode_frames(buf: &[u8]) -> (Vec<&[u8]>, usize, Option<FrameError>) {
    let mut out = Vec::new();
    let mut at = 0;
    while buf.len() - at >= FRAME_HEADER {
        let mut len_bytes = [0u8; 4];
        len_bytes.copy_from_slice(&buf[at..at + 4]);
        let len = u32::from_be_bytes(len_bytes) as usize;
        if len > CHUNK_BYTES {
            return (out, at, Some(FrameError::TooLarge(len)));
        }
        if buf.len() - at < FRAME_HEADER + len {
            break;
        }
        let sum = &buf[at + 4..at + FRAME_HEADER];
        let payload = &buf[at + FRAME_HEADER..at + FRAME_HEADER + len];
        if Sha256::digest(payload).as_slice() != sum {
            return (out, at, Some(FrameError::Checksum));
        }
        out.push(payload);
        at += FRAME_HEADER + len;
    }
    (out, at, None)
}

/// The relay's answer about one attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobStatus {
    pub sha256: String,
    /// The size the uploader declared (None before any byte arrived).
    pub size: Option<u64>,
    /// Bytes the relay holds durably, from the start: upload resumes here.
    pub received: u64,
    /// The whole file arrived and matched its hash: it may be downloaded.
    pub complete: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_flipped_byte_is_refused() {
        let mut buf = Vec::new();
        encode_frame(b"hello", &mut buf);
        encode_frame(&[7u8; 1000], &mut buf);
        let (frames, used, err) = decode_frames(&buf);
        assert_eq!(frames.len(), 2);
        assert_eq!(used, buf.len());
        assert!(err.is_none());
        // An incomplete frame waits for more bytes.
        let (frames, used, err) = decode_frames(&buf[..buf.len() - 1]);
        assert_eq!((frames.len(), used, err), (1, FRAME_HEADER + 5, None));
        let mut bad = buf.clone();
        bad[FRAME_HEADER + 2] ^= 1;
        let (frames, used, err) = decode_frames(&bad);
        assert_eq!((frames.len(), used), (0, 0));
        assert_eq!(err, Some(FrameError::Checksum));
    }

    #[test]
    fn states_and_names_read_as_the_panel_needs() {
        assert!(AttachmentState::Synced.is_present());
        assert!(!AttachmentState::Missing.is_present());
        assert_eq!(mime_for_name("现场.JPG"), "image/jpeg");
        assert_eq!(mime_for_name("noext"), "application/octet-stream");
        assert!(is_sha256_hex(&sha256_hex(b"x")));
        let v = serde_json::to_value(AttachmentState::Uploading { percent: 40 }).unwrap();
        assert_eq!(v, serde_json::json!({"state": "uploading", "percent": 40}));
    }
}

/// What waits to move, for the sync summary and the sync page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAttachments {
    pub uploads: usize,
    pub upload_bytes: u64,
    pub downloads: usize,
    pub download_bytes: u64,
}

/// What the attachment half of a sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttachmentSummary {
    pub uploaded: usize,
    pub fetched: usize,
    /// File bytes that reached the other side and counted (verified).
    pub bytes_up: u64,
    pub bytes_down: u64,
    /// Still waiting after this sync (budget spent, cut off, or refused).
    pub pending_uploads: usize,
    pub pending_upload_bytes: u64,
    pub pending_downloads: usize,
    pub pending_download_bytes: u64,
    /// Attachments that could not move, with the reason.
    pub failed: Vec<(String, String)>,
}
