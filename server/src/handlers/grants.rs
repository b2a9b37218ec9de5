//! Sharing one document with a partner (联合办案): `POST /v1/grants` and
//! `DELETE /v1/grants/{id}`. The office that holds a document (or the
//! bureau) may share it; a partner can never share onwards.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::error::ApiError;
use crate::relay::access::{access, Access};
use crate::storage::{EntryKind, Grant, GrantMode, NewEntry, OrgKind};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct NewGrant {
    pub doc_id: String,
    /// The partner organisation's code.
    pub partner: String,
    /// "read" or "read_write".
    pub mode: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
pub struct GrantOut {
    pub grant: Grant,
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
    Ok(Json(GrantOut { grant }))
}

pub async fn revoke(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<GrantOut>, ApiError> {
    let grant = state
        .db
        .get_grant(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such grant"))?;
    let now = Utc::now();
    let doc = state
        .db
        .load_doc(&grant.doc_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such grant"))?;
    if who.org_kind == OrgKind::Partner
        || access(state.db.as_ref(), &who, &doc, now).await? != Access::ReadWrite
    {
        return Err(ApiError::not_found("no such grant"));
    }
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
    }
    let grant = state
        .db
        .get_grant(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such grant"))?;
    Ok(Json(GrantOut { grant }))
}
