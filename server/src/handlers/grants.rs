//! Sharing one document with a partner (联合办案): `POST /v1/grants`,
//! `DELETE /v1/grants/{id}`, `GET /v1/docs/{id}/grants` (who it is shared
//! with, and when each partner last synced) and `POST
//! /v1/grants/{id}/enrollments` (a one-time code for a partner's device),
//! `GET /v1/partners` (the partner organisations one may share with) and
//! `GET /v1/partner/grants` (a partner device's own shares and their modes).
//! The office that holds a document (or the bureau) may share it; a partner
//! can never share onwards, and never lists a document's grants (it would
//! learn the other partners' names).
//!
//! Who may enroll a partner's device: the office that shares with the
//! partner, through one of its active grants — in a joint action the office
//! meets the police unit or the brand owner and hands the code over on the
//! spot, without waiting for the relay's administrator. Such a device is
//! *sponsored* by the office: it reads only the grants that office made to
//! its partner organisation, so an office can never use a device it enrolled
//! to read what other offices share with the same partner. The relay's
//! administrator (`hongdun-server admin create-device`) enrolls unsponsored
//! partner devices, which read every grant to their organisation.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::{new_enrollment_code, normalise_code};
use crate::caller::Caller;
use crate::error::ApiError;
use crate::relay::access::{access, Access};
use crate::storage::{EntryKind, Grant, GrantMode, NewEntry, OrgKind, Principal, User};
use crate::AppState;
use hongdun_core::joint::{PartnerEnrollment, Share, ShareMode};

/// A stored grant's mode as the shared types name it.
fn share_mode(mode: GrantMode) -> ShareMode {
    match mode {
        GrantMode::Read => ShareMode::Read,
        GrantMode::ReadWrite => ShareMode::ReadWrite,
    }
}

/// How long a partner's enrollment code stays valid.
const ENROLLMENT_VALID: chrono::TimeDelta = chrono::TimeDelta::days(7);

#[derive(Debug, Deserialize)]
pub struct NewGrant {
    pub doc_id: String,
    /// The partner organisation's code.
    pub partner: String,
    /// "read" or "read_write".
    pub mode: String,
    pub expires_at: Option<DateTime<Utc>>,
    /// Also enroll a device of the partner: a one-time code comes back.
    #[serde(default)]
    pub enroll: Option<NewPartnerDevice>,
}

/// A new device of a partner's user.
#[derive(Debug, Deserialize)]
pub struct NewPartnerDevice {
    /// The partner's user (e.g. 王警官).
    pub user: String,
    pub device_name: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct GrantOut {
    pub grant: Grant,
    /// The grant as the sharing office sees it.
    pub share: Share,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrollment: Option<PartnerEnrollment>,
}

#[derive(Debug, Serialize)]
pub struct SharesOut {
    pub shares: Vec<Share>,
}

/// The grant as the sharing office sees it: the partner's name and its last
/// sync.
async fn share_of(state: &AppState, g: &Grant, now: DateTime<Utc>) -> Result<Share, ApiError> {
    let partner_name = state
        .db
        .get_org(&g.partner)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let partner_last_sync = state.db.org_last_sync(&g.partner).await?;
    Ok(Share {
        id: g.id.clone(),
        doc_id: g.doc_id.clone(),
        partner: g.partner.clone(),
        partner_name,
        mode: share_mode(g.mode),
        expires_at: g.expires_at,
        created_by: g.created_by.clone(),
        created_at: g.created_at,
        revoked_at: g.revoked_at,
        active: g.is_active(now),
        partner_last_sync,
    })
}

/// The partner user's name, trimmed, or why it is refused.
fn check_user(req: &NewPartnerDevice) -> Result<&str, ApiError> {
    let user = req.user.trim();
    if user.is_empty() || user.chars().count() > 64 {
        return Err(ApiError::bad_request(
            "give the partner's user name (1 to 64 characters)",
        ));
    }
    Ok(user)
}

/// A new user and device of the grant's partner, sponsored by the caller's
/// organisation, and its one-time enrollment code.
async fn enroll_partner_device(
    state: &AppState,
    who: &Principal,
    grant: &Grant,
    req: &NewPartnerDevice,
    now: DateTime<Utc>,
) -> Result<PartnerEnrollment, ApiError> {
    let user = check_user(req)?;
    let user_id = uuid::Uuid::new_v4().simple().to_string();
    state
        .db
        .create_user(&User {
            id: user_id.clone(),
            org: grant.partner.clone(),
            name: user.to_string(),
            role: crate::storage::Role::Partner,
        })
        .await?;
    let device_id = uuid::Uuid::new_v4().simple().to_string();
    let device_name = req
        .device_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{user}的设备"));
    state
        .db
        .create_device(&device_id, &user_id, &device_name)
        .await?;
    state.db.sponsor_device(&device_id, &who.org).await?;
    let code = new_enrollment_code();
    let expires_at = now + ENROLLMENT_VALID;
    state
        .db
        .create_enrollment(
            &device_id,
            &state.key.hash(&normalise_code(&code)),
            expires_at,
        )
        .await?;
    tracing::info!(partner = %grant.partner, device = %device_id, by = %who.device_id, "partner device created");
    Ok(PartnerEnrollment {
        code,
        device_id,
        expires_at,
    })
}

/// A grant the caller may manage (revoke, list, enroll through): it has
/// read-write access to the granted document and is not a partner. Any
/// other grant — someone else's, or none — is "no such grant".
async fn managed_grant(state: &AppState, who: &Principal, id: &str) -> Result<Grant, ApiError> {
    let grant = state
        .db
        .get_grant(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such grant"))?;
    let doc = state
        .db
        .load_doc(&grant.doc_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such grant"))?;
    if who.org_kind == OrgKind::Partner
        || access(state.db.as_ref(), who, &doc, Utc::now()).await? != Access::ReadWrite
    {
        return Err(ApiError::not_found("no such grant"));
    }
    Ok(grant)
}

const NOT_YOURS: &str = "no document with that id that this device may share";

pub async fn create(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: axum::body::Bytes,
) -> Result<Json<GrantOut>, ApiError> {
    let req: NewGrant = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the grant request is not valid JSON ({e}); send {{\"doc_id\", \"partner\", \"mode\": \"read\"|\"read_write\", \"expires_at\"}}"
        ))
    })?;
    let mode = GrantMode::parse(&req.mode)
        .ok_or_else(|| ApiError::bad_request("mode must be \"read\" or \"read_write\""))?;
    let now = Utc::now();
    if req.expires_at.is_some_and(|e| e <= now) {
        return Err(ApiError::bad_request(
            "expires_at is in the past; give a future time or none",
        ));
    }
    if who.org_kind == OrgKind::Partner {
        return Err(ApiError::forbidden(
            "a partner cannot share documents onwards",
        ));
    }
    // Checked before anything is stored: a bad name must not leave a grant.
    if let Some(d) = &req.enroll {
        check_user(d)?;
    }
    let partner = state.db.get_org(&req.partner).await?;
    if partner.as_ref().map(|o| o.kind) != Some(OrgKind::Partner) {
        return Err(ApiError::bad_request(format!(
            "`{}` is not a partner organisation known to the relay",
            req.partner
        )));
    }
    let doc = state
        .db
        .load_doc(&req.doc_id)
        .await?
        .ok_or_else(|| ApiError::not_found(NOT_YOURS))?;
    if access(state.db.as_ref(), &who, &doc, now).await? != Access::ReadWrite {
        return Err(ApiError::not_found(NOT_YOURS));
    }
    if doc.kind == "annex" {
        return Err(ApiError::bad_request(
            "the confidential annex is never shared with partners",
        ));
    }
    let grant = Grant {
        id: uuid::Uuid::new_v4().simple().to_string(),
        doc_id: req.doc_id.clone(),
        partner: req.partner.clone(),
        mode,
        expires_at: req.expires_at,
        created_by: format!("{}@{}", who.user_name, who.org),
        created_at: now,
        revoked_at: None,
        office: Some(who.org.clone()),
    };
    state.db.create_grant(&grant).await?;
    state
        .db
        .append_entries(
            &req.doc_id,
            &[NewEntry {
                kind: EntryKind::Access,
                audience: Some(req.partner.clone()),
                origin_device: None,
                bytes: vec![],
            }],
        )
        .await?;
    tracing::info!(doc = %req.doc_id, partner = %req.partner, mode = mode.as_str(), by = %who.device_id, "document shared");
    let enrollment = match &req.enroll {
        Some(d) => Some(enroll_partner_device(&state, &who, &grant, d, now).await?),
        None => None,
    };
    let share = share_of(&state, &grant, now).await?;
    Ok(Json(GrantOut {
        grant,
        share,
        enrollment,
    }))
}

/// `GET /v1/partner/grants`: the calling partner device's active shares
/// (case file, read or read-write, expiry), so its desk knows where it may
/// add. Partners only; a grant of another sponsor's never shows.
pub async fn mine(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<hongdun_core::joint::PartnerGrant>>, ApiError> {
    if who.org_kind != OrgKind::Partner {
        return Err(ApiError::forbidden(
            "only a partner's device has shares of its own",
        ));
    }
    let now = Utc::now();
    let grants = state.db.grants_for_partner(&who.org).await?;
    Ok(Json(
        grants
            .into_iter()
            .filter(|g| g.reaches(&who) && g.is_active(now))
            .map(|g| hongdun_core::joint::PartnerGrant {
                doc_id: g.doc_id,
                mode: share_mode(g.mode),
                expires_at: g.expires_at,
            })
            .collect(),
    ))
}

/// `GET /v1/partners`: the partner organisations an office may share with
/// (code and name), for the 共享 form. Offices and the bureau only: a
/// partner never learns who the other partners are.
pub async fn partners(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<hongdun_core::joint::PartnerOrg>>, ApiError> {
    if who.org_kind == OrgKind::Partner {
        return Err(ApiError::forbidden(
            "a partner cannot list partner organisations",
        ));
    }
    let mut orgs: Vec<hongdun_core::joint::PartnerOrg> = state
        .db
        .list_orgs()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Partner)
        .map(|o| hongdun_core::joint::PartnerOrg {
            code: o.code,
            name: o.name,
        })
        .collect();
    orgs.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Json(orgs))
}

/// `GET /v1/docs/{id}/grants`: every grant of a document (active or not),
/// for the office that may share it.
pub async fn list(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(doc_id): Path<String>,
) -> Result<Json<SharesOut>, ApiError> {
    let now = Utc::now();
    let doc = state
        .db
        .load_doc(&doc_id)
        .await?
        .ok_or_else(|| ApiError::not_found(NOT_YOURS))?;
    if who.org_kind == OrgKind::Partner
        || access(state.db.as_ref(), &who, &doc, now).await? != Access::ReadWrite
    {
        return Err(ApiError::not_found(NOT_YOURS));
    }
    let mut shares = Vec::new();
    for g in state.db.grants_for_doc(&doc_id).await? {
        shares.push(share_of(&state, &g, now).await?);
    }
    Ok(Json(SharesOut { shares }))
}

/// `POST /v1/grants/{id}/enrollments`: a one-time code for a new device of
/// the grant's partner (see the module doc for who may).
pub async fn enroll(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<PartnerEnrollment>, ApiError> {
    let req: NewPartnerDevice = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the request is not valid JSON ({e}); send {{\"user\": \"…\", \"device_name\": \"…\"}}"
        ))
    })?;
    let grant = managed_grant(&state, &who, &id).await?;
    let now = Utc::now();
    if !grant.is_active(now) {
        return Err(ApiError::bad_request(
            "this share was revoked or has expired; share the case again first",
        ));
    }
    Ok(Json(
        enroll_partner_device(&state, &who, &grant, &req, now).await?,
    ))
}

pub async fn revoke(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<GrantOut>, ApiError> {
    let grant = managed_grant(&state, &who, &id).await?;
    let now = Utc::now();
    if state.db.revoke_grant(&id, now).await? {
        state
            .db
            .append_entries(
                &grant.doc_id,
                &[NewEntry {
                    kind: EntryKind::Revoke,
                    audience: Some(grant.partner.clone()),
                    origin_device: None,
                    bytes: vec![],
                }],
            )
            .await?;
        tracing::info!(doc = %grant.doc_id, partner = %grant.partner, by = %who.device_id, "share revoked");
    }
    let grant = state
        .db
        .get_grant(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such grant"))?;
    let share = share_of(&state, &grant, now).await?;
    Ok(Json(GrantOut {
        grant,
        share,
        enrollment: None,
    }))
}
