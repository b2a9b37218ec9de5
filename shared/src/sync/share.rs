//! 共享 — sharing a case file with a partner organisation through the relay
//! (`docs/SYNC.md`, "Joint operations"): create a share with an enrollment
//! code for the partner's device, list a case file's shares with each
//! partner's last sync, revoke one, and fetch the author directory behind
//! the audit trail. Blocking HTTP like [`super::client`]; the desktop app
//! calls these from a background thread.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::client::{agent, refused, url, SyncError};
use crate::joint::{
    Author, PartnerEnrollment, PartnerGrant, PartnerOrg, Share, ShareCreated, ShareMode,
};
use crate::store::{RemoteConfig, Store};

const TIMEOUT: Duration = Duration::from_secs(60);
const MAX_ANSWER: u64 = 8 * 1024 * 1024;

/// What to share, with whom, for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareRequest {
    /// The partner organisation's code on the relay.
    pub partner: String,
    pub mode: ShareMode,
    pub expires_at: Option<DateTime<Utc>>,
    /// Also enroll a device for this partner user: the answer carries its
    /// one-time code.
    pub partner_user: Option<String>,
    pub partner_device: Option<String>,
}

#[derive(Serialize)]
struct GrantBody<'a> {
    doc_id: &'a str,
    partner: &'a str,
    mode: &'a str,
    expires_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enroll: Option<EnrollBody<'a>>,
}

#[derive(Serialize)]
struct EnrollBody<'a> {
    user: &'a str,
    device_name: Option<&'a str>,
}

#[derive(Deserialize)]
struct GrantAnswer {
    share: Share,
    #[serde(default)]
    enrollment: Option<PartnerEnrollment>,
}

#[derive(Deserialize)]
struct SharesAnswer {
    shares: Vec<Share>,
}

#[derive(Deserialize)]
struct AuthorsAnswer {
    authors: Vec<Author>,
}

pub(super) fn remote(store: &Store) -> Result<RemoteConfig, SyncError> {
    store.remote()?.ok_or(SyncError::NotEnrolled)
}

/// One JSON request to the relay with this device's token.
pub(super) fn call<T: DeserializeOwned>(
    cfg: &RemoteConfig,
    method: &str,
    path: &str,
    body: Option<Vec<u8>>,
) -> Result<T, SyncError> {
    let agent = agent(TIMEOUT)?;
    let target = url(&cfg.server, path);
    let auth = format!("Bearer {}", cfg.token);
    let unreachable = |e: ureq::Error| SyncError::Unreachable {
        server: cfg.server.clone(),
        detail: e.to_string(),
    };
    let mut resp = match (method, body) {
        ("GET", _) => agent
            .get(&target)
            .header("authorization", &auth)
            .call()
            .map_err(unreachable)?,
        ("DELETE", _) => agent
            .delete(&target)
            .header("authorization", &auth)
            .call()
            .map_err(unreachable)?,
        (_, body) => agent
            .post(&target)
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .send(&body.unwrap_or_default()[..])
            .map_err(unreachable)?,
    };
    let status = resp.status().as_u16();
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_vec()
        .map_err(|e| SyncError::BadResponse(e.to_string()))?;
    if status != 200 {
        return Err(refused(status, &bytes));
    }
    serde_json::from_slice(&bytes).map_err(|e| SyncError::BadResponse(e.to_string()))
}

/// A partner device's own shares (`GET /v1/partner/grants`); each sync of a
/// partner's device stores them, so the desk knows offline where it may add.
pub fn partner_grants(cfg: &RemoteConfig) -> Result<Vec<PartnerGrant>, SyncError> {
    call(cfg, "GET", "/v1/partner/grants", None)
}

/// The partner organisations this office may share with (`GET /v1/partners`).
pub fn partners(cfg: &RemoteConfig) -> Result<Vec<PartnerOrg>, SyncError> {
    call(cfg, "GET", "/v1/partners", None)
}

/// Shares a case file: creates the grant on the relay and, when a partner
/// user is named, a one-time enrollment code for that user's device. Local
/// changes must reach the relay first (sync), or the relay does not know
/// the case file yet and answers "no document".
pub fn share(store: &mut Store, id: &str, req: &ShareRequest) -> Result<ShareCreated, SyncError> {
    let cfg = remote(store)?;
    let doc_id = store.resolve_id(id)?;
    create_share(&cfg, &doc_id, req)
}

/// [`share`] without the store: the request alone, for a caller that read
/// the relay's address and the document id beforehand (the desk does not
/// hold its store while waiting for the relay).
pub fn create_share(
    cfg: &RemoteConfig,
    doc_id: &str,
    req: &ShareRequest,
) -> Result<ShareCreated, SyncError> {
    let body = GrantBody {
        doc_id,
        partner: req.partner.trim(),
        mode: req.mode.as_str(),
        expires_at: req.expires_at,
        enroll: req.partner_user.as_deref().map(|user| EnrollBody {
            user,
            device_name: req.partner_device.as_deref(),
        }),
    };
    let body = serde_json::to_vec(&body).map_err(|e| SyncError::BadResponse(e.to_string()))?;
    let answer: GrantAnswer = call(cfg, "POST", "/v1/grants", Some(body))?;
    Ok(ShareCreated {
        share: answer.share,
        enrollment: answer.enrollment,
    })
}

/// A one-time code for another device of the partner of an active share.
pub fn enroll_partner_device(
    store: &Store,
    grant_id: &str,
    user: &str,
    device_name: Option<&str>,
) -> Result<PartnerEnrollment, SyncError> {
    let cfg = remote(store)?;
    let body = serde_json::to_vec(&EnrollBody { user, device_name })
        .map_err(|e| SyncError::BadResponse(e.to_string()))?;
    call(
        &cfg,
        "POST",
        &format!("/v1/grants/{}/enrollments", path_segment(grant_id)),
        Some(body),
    )
}

/// Every share of a case file (active or not), with each partner's last sync.
pub fn shares(store: &Store, id: &str) -> Result<Vec<Share>, SyncError> {
    let cfg = remote(store)?;
    let doc_id = store.resolve_id(id)?;
    shares_of(&cfg, &doc_id)
}

/// [`shares`] without the store (see [`create_share`]).
pub fn shares_of(cfg: &RemoteConfig, doc_id: &str) -> Result<Vec<Share>, SyncError> {
    let answer: SharesAnswer = call(
        cfg,
        "GET",
        &format!("/v1/docs/{}/grants", path_segment(doc_id)),
        None,
    )?;
    Ok(answer.shares)
}

/// Revokes a share; the partner loses the case file at its next sync.
pub fn unshare(store: &Store, grant_id: &str) -> Result<Share, SyncError> {
    revoke(&remote(store)?, grant_id)
}

/// [`unshare`] without the store (see [`create_share`]).
pub fn revoke(cfg: &RemoteConfig, grant_id: &str) -> Result<Share, SyncError> {
    let answer: GrantAnswer = call(
        cfg,
        "DELETE",
        &format!("/v1/grants/{}", path_segment(grant_id)),
        None,
    )?;
    Ok(answer.share)
}

/// Fetches who made the changes of a record from the relay and keeps them
/// in the store for offline audit views.
pub fn refresh_authors(store: &mut Store, id: &str) -> Result<Vec<Author>, SyncError> {
    let cfg = remote(store)?;
    let doc_id = store.resolve_id(id)?;
    let authors = fetch_authors(&cfg, &doc_id)?;
    store.remember_authors(&authors)?;
    Ok(authors)
}

/// Who made the changes of a document, from the relay, without the store
/// (keep them with `Store::remember_authors`; see [`create_share`]).
pub fn fetch_authors(cfg: &RemoteConfig, doc_id: &str) -> Result<Vec<Author>, SyncError> {
    let answer: AuthorsAnswer = call(
        cfg,
        "GET",
        &format!("/v1/docs/{}/authors", path_segment(doc_id)),
        None,
    )?;
    Ok(answer.authors)
}

/// Ids and grant ids are hex; anything else is refused here rather than
/// sent as a path.
pub(super) fn path_segment(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
