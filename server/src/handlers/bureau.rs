//! The central bureau's views: consolidated records across offices, each
//! office's sync health, and the consolidated bulletin with the per-office
//! comparison (computed from the stored statistics facts by
//! `hongdun_core::stats`, the same code as an office's own bulletin).
//! Bureau role only; anyone else gets 403 without data.

use axum::extract::{Query, State};
use axum::Json;
use chrono::Utc;
use hongdun_core::stats::{
    BureauBulletin, OfficeComparison, OfficeComparisonRow, OfficeRow, Period, SyncHealth,
};
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

#[derive(Debug, Deserialize)]
pub struct BulletinQuery {
    /// `2026-06`, `2026-Q2`, `2026-H1`, `2026` or `2026-06-ytd`.
    pub period: Option<String>,
    /// Office codes, comma-separated (default: every office).
    pub offices: Option<String>,
    /// Keep the drill-down record ids (default false: they are large).
    pub records: Option<bool>,
}

struct Asked {
    period: Period,
    offices: Vec<String>,
}

fn asked(q: &BulletinQuery) -> Result<Asked, ApiError> {
    let text = q.period.as_deref().ok_or_else(|| {
        ApiError::bad_request("give ?period=2026-06 (or 2026-Q2, 2026-H1, 2026, 2026-06-ytd)")
    })?;
    let period = Period::parse(text).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let offices = q
        .offices
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Asked { period, offices })
}

/// The bulletin of `offices` (empty: all) from the stored statistics facts.
async fn compute(
    state: &AppState,
    a: &Asked,
    with_records: bool,
) -> Result<hongdun_core::stats::Bulletin, ApiError> {
    Ok(crate::relay::bulletin::bulletin(
        state.db.as_ref(),
        &state.settings.stats,
        a.period,
        &a.offices,
        with_records,
    )
    .await?)
}

/// Every office (by code) with its name and sync health, beside its figures.
async fn comparison(
    state: &AppState,
    b: &hongdun_core::stats::Bulletin,
    offices: &[String],
) -> Result<OfficeComparison, ApiError> {
    let orgs = state.db.list_orgs().await?;
    let health = state.db.office_health().await?;
    let now = Utc::now();
    let mut rows = Vec::new();
    for org in orgs.iter().filter(|o| o.kind == OrgKind::Office) {
        if !offices.is_empty() && !offices.contains(&org.code) {
            continue;
        }
        let h = health.iter().find(|h| h.org == org.code);
        let sync = SyncHealth::from_syncs(
            h.into_iter()
                .flat_map(|h| &h.devices)
                .filter(|d| !d.revoked)
                .map(|d| d.last_sync_at),
            h.map_or(0, |h| h.pending_conflicts),
            now,
        );
        let figures = b
            .by_office
            .iter()
            .find(|r| r.office == org.code)
            .cloned()
            .unwrap_or_else(|| OfficeRow::empty(&org.code));
        rows.push(OfficeComparisonRow {
            office: org.code.clone(),
            name: org.name.clone(),
            figures,
            health: sync,
        });
    }
    rows.sort_by(|a, b| a.office.cmp(&b.office));
    Ok(OfficeComparison {
        period: b.period,
        period_label: b.period_label.clone(),
        rows,
    })
}

/// `GET /v1/bureau/bulletin?period=2026-06[&offices=A,B][&records=true]`:
/// the consolidated bulletin and the per-office comparison with sync health.
pub async fn bulletin(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<BulletinQuery>,
) -> Result<Json<BureauBulletin>, ApiError> {
    bureau_only(&who)?;
    let a = asked(&q)?;
    let b = compute(&state, &a, q.records.unwrap_or(false)).await?;
    let comparison = comparison(&state, &b, &a.offices).await?;
    Ok(Json(BureauBulletin {
        bulletin: b,
        comparison,
    }))
}

/// `GET /v1/bureau/comparison?period=2026-06`: each office's main figures
/// beside its sync health (listed by code, never ranked).
pub async fn office_comparison(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<BulletinQuery>,
) -> Result<Json<OfficeComparison>, ApiError> {
    bureau_only(&who)?;
    let a = asked(&q)?;
    let b = compute(&state, &a, false).await?;
    Ok(Json(comparison(&state, &b, &a.offices).await?))
}
