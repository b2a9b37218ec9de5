//! The central bureau's views: consolidated records across offices and each
//! office's sync health. Bureau role only; anyone else gets 403 without data.

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;

use crate::caller::Caller;
use crate::error::ApiError;
use crate::storage::{DocProjection, OfficeHealth, OrgKind};
use crate::AppState;

fn bureau_only(who: &crate::storage::Principal) -> Result<(), ApiError> {
    if who.org_kind == OrgKind::Bureau {
        Ok(())
    } else {
        Err(ApiError::forbidden("only the bureau may see this view"))
    }
}

/// `GET /v1/bureau/health`: per office, devices' last sync, documents,
/// pending conflicts and schema versions — a stale office is obvious.
pub async fn health(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<OfficeHealth>>, ApiError> {
    bureau_only(&who)?;
    Ok(Json(state.db.office_health().await?))
}

#[derive(Debug, Deserialize)]
pub struct RecordsQuery {
    pub owner: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// `GET /v1/bureau/records`: the consolidated projection across offices.
pub async fn records(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<RecordsQuery>,
) -> Result<Json<Vec<DocProjection>>, ApiError> {
    bureau_only(&who)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let offset = q.offset.unwrap_or(0).max(0);
    Ok(Json(
        state
            .db
            .projections(q.owner.as_deref(), limit, offset)
            .await?,
    ))
}
