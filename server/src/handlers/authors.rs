//! `GET /v1/docs/{id}/authors`: who made the changes of a document — each
//! Automerge actor in its history mapped to the enrolled device, user and
//! organisation the relay's actor directory binds it to (see
//! `relay::upload` for how actors are bound).
//!
//! Anyone who may read the document may ask. A partner sees the offices and
//! the bureau by name, and its own organisation, but every other partner
//! only as 其他合作单位 with no user or device: a partner never learns which
//! other partners a case file is shared with. Actors the relay does not know
//! (changes not uploaded yet) are left out; the client shows them as unknown.

use std::collections::BTreeSet;

use automerge::ActorId;
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use hongdun_core::doc::RecordDoc;
use hongdun_core::joint::{Author, OTHER_PARTNER};
use serde::Serialize;

use crate::caller::Caller;
use crate::error::ApiError;
use crate::relay::access::{access, Access};
use crate::storage::{ActorInfo, OrgKind, Principal};
use crate::AppState;

#[derive(Debug, Serialize)]
pub struct AuthorsOut {
    pub authors: Vec<Author>,
}

const NOT_YOURS: &str = "no document with that id that this device may read";

/// What `who` may see of one actor's identity.
fn as_seen_by(who: &Principal, info: ActorInfo) -> Author {
    let hidden = who.org_kind == OrgKind::Partner
        && info.org_kind == OrgKind::Partner
        && info.org != who.org;
    if hidden {
        Author {
            actor: info.actor,
            org: String::new(),
            org_name: OTHER_PARTNER.to_string(),
            user: String::new(),
            device: String::new(),
        }
    } else {
        Author {
            actor: info.actor,
            org: info.org,
            org_name: info.org_name,
            user: info.user_name,
            device: info.device_name,
        }
    }
}

pub async fn authors(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(doc_id): Path<String>,
) -> Result<Json<AuthorsOut>, ApiError> {
    let stored = state
        .db
        .load_doc(&doc_id)
        .await?
        .ok_or_else(|| ApiError::not_found(NOT_YOURS))?;
    if access(state.db.as_ref(), &who, &stored, Utc::now()).await? == Access::None {
        return Err(ApiError::not_found(NOT_YOURS));
    }
    let mut doc = RecordDoc::load(&stored.bytes, &ActorId::from(b"hongdun-relay-au".to_vec()))
        .map_err(|e| {
            tracing::error!(doc = %doc_id, error = %e, "the relay's copy of a document does not load");
            ApiError::internal()
        })?;
    let actors: BTreeSet<String> = doc
        .automerge_mut()
        .get_changes_meta(&[])
        .into_iter()
        .map(|m| m.actor.to_hex_string())
        .collect();
    let actors: Vec<String> = actors.into_iter().collect();
    let infos = state.db.actor_infos(&actors).await?;
    Ok(Json(AuthorsOut {
        authors: infos.into_iter().map(|i| as_seen_by(&who, i)).collect(),
    }))
}
