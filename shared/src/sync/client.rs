//! Talking to the relay over HTTP: enrollment and sync rounds. Blocking (the
//! desktop app runs it on a background thread), cancellable between rounds,
//! with progress after each round.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::engine::{Progress, RoundLimits, SyncSession, SyncSummary};
use super::protocol::{self, ErrorBody, SyncRequest, SyncResponse, WireError};
use crate::attachment::AttachmentSummary;
use crate::desk::{SyncProblem, SyncProblemKind};
use crate::store::{RemoteConfig, Store, StoreError};

/// Largest response the client accepts once decompressed.
const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Why a sync or an enrollment failed, in words a clerk can act on.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this device is not enrolled with a relay; enroll it first with `hongdun enroll --server URL --code CODE`")]
    NotEnrolled,
    #[error("cannot reach the relay at {server} ({detail}); check the network line and the relay address, then sync again — nothing was lost")]
    Unreachable { server: String, detail: String },
    #[error("the relay refused the request: {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the relay's answer could not be read ({0}); sync again — nothing was lost")]
    BadResponse(String),
    #[error(
        "sync was cancelled; what was already stored is kept and the next sync goes on from there"
    )]
    Cancelled,
    #[error("{0}")]
    Config(String),
    #[error("local store: {0}")]
    Store(#[from] StoreError),
    #[error("the local store is unavailable after an earlier failure; restart Hongdun")]
    StoreUnavailable,
}

impl SyncError {
    /// The class of this failure and its advice for the clerk, for the
    /// desktop's 同步 page. `enrolling` tells a refused enrollment code
    /// (401 on enroll) from a revoked device token (401 on sync).
    pub fn problem(&self, enrolling: bool) -> SyncProblem {
        let kind = match self {
            SyncError::NotEnrolled => SyncProblemKind::NotEnrolled,
            SyncError::Unreachable { .. } => SyncProblemKind::NoLine,
            SyncError::Refused { status: 401, .. } if enrolling => SyncProblemKind::BadCode,
            SyncError::Refused { status: 401, .. } => SyncProblemKind::TokenRevoked,
            SyncError::Refused { status: 429, .. } => SyncProblemKind::RateLimited,
            SyncError::Refused { .. } => SyncProblemKind::Refused,
            SyncError::BadResponse(_) => SyncProblemKind::BadAnswer,
            SyncError::Cancelled => SyncProblemKind::Cancelled,
            SyncError::Config(_) => SyncProblemKind::Config,
            SyncError::Store(_) | SyncError::StoreUnavailable => SyncProblemKind::LocalStore,
        };
        SyncProblem::new(kind, self.to_string())
    }
}

/// How a sync reaches the store: a store of its own (the CLI), or one shared
/// with the desktop window, locked only while a round reads or writes it and
/// never while waiting for the network.
pub trait StoreAccess {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, SyncError>,
    ) -> Result<T, SyncError>;
}

impl StoreAccess for &mut Store {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, SyncError>,
    ) -> Result<T, SyncError> {
        f(self)
    }
}

impl StoreAccess for &Mutex<Store> {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, SyncError>,
    ) -> Result<T, SyncError> {
        let mut store = self.lock().map_err(|_| SyncError::StoreUnavailable)?;
        f(&mut store)
    }
}

impl From<WireError> for SyncError {
    fn from(e: WireError) -> Self {
        SyncError::BadResponse(e.to_string())
    }
}

/// What the relay answers to an enrollment code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    pub device_name: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub token: String,
    pub device_id: String,
    pub role: String,
    pub office: Option<String>,
    pub office_name: Option<String>,
    pub user: String,
    /// What the organisation is (office, bureau, partner); absent from
    /// relays older than this field.
    #[serde(default)]
    pub org_kind: Option<String>,
}

/// The environment variable naming a PEM file of CA certificates to trust
/// for the relay instead of the public roots (a relay whose certificate comes
/// from the bureau's own CA).
pub const CA_FILE_ENV: &str = "HONGDUN_CA_FILE";

/// An HTTP agent for the relay, trusting `HONGDUN_CA_FILE` if set. Reuse one
/// across syncs to keep its connection.
pub fn agent(timeout: Duration) -> Result<ureq::Agent, SyncError> {
    agent_from(
        ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false),
    )
}

/// An agent for attachment transfers: a request may take minutes on a slow
/// line, so it fails only when the line stays silent for `idle`.
pub(crate) fn transfer_agent(idle: Duration) -> Result<ureq::Agent, SyncError> {
    agent_from(
        ureq::Agent::config_builder()
            .timeout_connect(Some(idle))
            .timeout_per_read(Some(idle))
            .timeout_per_write(Some(idle))
            .http_status_as_error(false),
    )
}

fn agent_from(
    mut config: ureq::config::ConfigBuilder<ureq::typestate::AgentScope>,
) -> Result<ureq::Agent, SyncError> {
    if let Ok(path) = std::env::var(CA_FILE_ENV) {
        let pem = std::fs::read(&path).map_err(|e| {
            SyncError::Config(format!(
                "cannot read the CA file {path} ({e}); fix {CA_FILE_ENV} or unset it"
            ))
        })?;
        let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(SyncError::Config(format!(
                "the CA file {path} holds no PEM certificate; fix {CA_FILE_ENV} or unset it"
            )));
        }
        config = config.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
                .build(),
        );
    }
    Ok(config.build().new_agent())
}

pub(crate) fn url(server: &str, path: &str) -> String {
    format!("{}{}", server.trim_end_matches('/'), path)
}

pub(crate) fn refused(status: u16, body: &[u8]) -> SyncError {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(e) => SyncError::Refused {
            status,
            code: e.error,
            message: e.message,
        },
        Err(_) => SyncError::Refused {
            status,
            code: "http".into(),
            message: format!("HTTP status {status}"),
        },
    }
}

/// Trades a one-time enrollment code for a device token and records the
/// enrollment in the store.
pub fn enroll(
    store: &mut Store,
    server: &str,
    code: &str,
    device_name: &str,
) -> Result<RemoteConfig, SyncError> {
    let answer = request_enrollment(server, code, device_name)?;
    record_enrollment(store, server, answer)
}

/// The network half of [`enroll`]: asks the relay for a device token. Needs
/// no store, so the desktop app keeps working while a slow line answers.
pub fn request_enrollment(
    server: &str,
    code: &str,
    device_name: &str,
) -> Result<EnrollResponse, SyncError> {
    let server = server.trim();
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        return Err(SyncError::Config(format!(
            "the relay address `{server}` must start with http:// or https://, e.g. http://192.0.2.10:8765"
        )));
    }
    let agent = agent(Duration::from_secs(60))?;
    let body = serde_json::to_vec(&EnrollRequest {
        code: code.trim().to_string(),
        device_name: device_name.to_string(),
    })
    .map_err(|e| SyncError::BadResponse(e.to_string()))?;
    let mut resp = agent
        .post(url(server, "/v1/enroll"))
        .header("content-type", "application/json")
        .send(&body[..])
        .map_err(|e| SyncError::Unreachable {
            server: server.to_string(),
            detail: e.to_string(),
        })?;
    let status = resp.status().as_u16();
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_vec()
        .map_err(|e| SyncError::BadResponse(e.to_string()))?;
    if status != 200 {
        return Err(refused(status, &bytes));
    }
    serde_json::from_slice(&bytes).map_err(|e| SyncError::BadResponse(e.to_string()))
}

/// The store half of [`enroll`]: keeps the token, and makes an empty store
/// the store of the office it was enrolled for.
pub fn record_enrollment(
    store: &mut Store,
    server: &str,
    r: EnrollResponse,
) -> Result<RemoteConfig, SyncError> {
    let cfg = RemoteConfig {
        server: server.trim().trim_end_matches('/').to_string(),
        token: r.token,
        device_id: r.device_id,
        role: r.role,
        office: r.office.clone(),
        user: r.user,
        org_kind: r.org_kind,
    };
    if store.office().is_none() {
        let code = r
            .office
            .unwrap_or_else(|| format!("PARTNER-{}", cfg.device_id));
        let name = r.office_name.unwrap_or_else(|| "合作单位".to_string());
        store.init(&code, &name)?;
    }
    store.set_remote(&cfg)?;
    Ok(cfg)
}

/// Sends one encoded round and decodes the answer.
pub fn round_trip(
    agent: &ureq::Agent,
    cfg: &RemoteConfig,
    request: &SyncRequest,
) -> Result<(SyncResponse, u64, u64), SyncError> {
    let body = protocol::encode(request)?;
    let up = body.len() as u64;
    let mut resp = agent
        .post(url(&cfg.server, protocol::SYNC_PATH))
        .header("content-type", protocol::CONTENT_TYPE)
        .header("authorization", &format!("Bearer {}", cfg.token))
        .send(&body[..])
        .map_err(|e| SyncError::Unreachable {
            server: cfg.server.clone(),
            detail: e.to_string(),
        })?;
    let status = resp.status().as_u16();
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(MAX_RESPONSE_BYTES as u64)
        .read_to_vec()
        .map_err(|e| SyncError::Unreachable {
            server: cfg.server.clone(),
            detail: e.to_string(),
        })?;
    if status != 200 {
        return Err(refused(status, &bytes));
    }
    let down = bytes.len() as u64;
    let response: SyncResponse = protocol::decode(&bytes, MAX_RESPONSE_BYTES)?;
    Ok((response, up, down))
}

/// Runs a whole sync with the enrolled relay: document rounds until caught
/// up, then attachments within `limits.attachment_budget_bytes` (documents
/// never wait for attachment bytes). `cancel` is checked between rounds and
/// chunks; `progress` is called after each document round.
pub fn sync(
    store: &mut Store,
    limits: RoundLimits,
    timeout: Duration,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SyncSummary, SyncError> {
    let agent = agent(timeout)?;
    sync_inner(store, &agent, limits, timeout, cancel, progress)
}

/// How long an attachment transfer may stay silent before it counts as cut,
/// when the caller gave no timeout of its own ([`sync_with`]).
const TRANSFER_IDLE: Duration = Duration::from_secs(60);

/// As [`sync`], over any [`StoreAccess`] and a given agent. Each round's
/// answer is stored in one transaction before the next request, so stopping
/// anywhere (cancel, a cut line, the app closing or being killed) keeps
/// everything already received and the next sync goes on from there.
pub fn sync_with(
    store: impl StoreAccess,
    agent: &ureq::Agent,
    limits: RoundLimits,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SyncSummary, SyncError> {
    sync_inner(store, agent, limits, TRANSFER_IDLE, cancel, progress)
}

fn sync_inner(
    mut store: impl StoreAccess,
    agent: &ureq::Agent,
    limits: RoundLimits,
    timeout: Duration,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SyncSummary, SyncError> {
    let cfg = store
        .with(|s| Ok(s.remote()?))?
        .ok_or(SyncError::NotEnrolled)?;
    let started = Instant::now();
    let mut session = SyncSession::new(limits);
    let result = (|| {
        while let Some(request) = store.with(|s| Ok(session.next_request(s)?))? {
            if cancel.load(Ordering::Relaxed) {
                return Err(SyncError::Cancelled);
            }
            let (response, up, down) = round_trip(agent, &cfg, &request)?;
            let p =
                store.with(|s| Ok(session.handle_response(s, &request, &response, up, down)?))?;
            progress(&p);
        }
        Ok(())
    })();
    // Attachments after the documents, within their byte budget. Like the
    // rounds, the transfer holds the store only to read or note where a blob
    // stands, never while bytes are on the line.
    let result = result.and_then(|()| {
        if limits.attachment_budget_bytes == 0 {
            return Ok(None);
        }
        super::attachments::transfer(
            &mut store,
            &cfg,
            limits.attachment_budget_bytes,
            timeout,
            cancel,
        )
        .map(Some)
    });
    // A partner's device learns where it may add: its shares and their modes.
    if result.is_ok() && cfg.role == "partner" {
        match super::share::partner_grants(&cfg) {
            Ok(grants) => store.with(|s| Ok(s.remember_partner_grants(&grants)?))?,
            Err(e) => tracing::warn!(error = %e, "could not read this partner's shares"),
        }
    }
    let error = result.as_ref().err().map(|e| e.to_string());
    store.with(|s| Ok(s.record_sync_outcome(error.as_deref())?))?;
    let attachments = result?;
    let mut summary = session.finish(started.elapsed().as_millis() as u64);
    summary.attachments = match attachments {
        Some(a) => a,
        None => {
            let p = store.with(|s| Ok(s.pending_attachments()?))?;
            AttachmentSummary {
                pending_uploads: p.uploads,
                pending_upload_bytes: p.upload_bytes,
                pending_downloads: p.downloads,
                pending_download_bytes: p.download_bytes,
                ..Default::default()
            }
        }
    };
    Ok(summary)
}
