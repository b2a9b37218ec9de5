//! `POST /v1/enroll`: a one-time code for a device token.

use axum::extract::State;
use axum::Json;
use hongdun_core::sync::client::{EnrollRequest, EnrollResponse};

use crate::auth::{new_token, normalise_code};
use crate::error::ApiError;
use crate::AppState;

pub async fn enroll(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Json<EnrollResponse>, ApiError> {
    let req: EnrollRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("the enrollment request is not valid JSON ({e}); send {{\"code\": \"…\", \"device_name\": \"…\"}}")))?;
    let code = normalise_code(&req.code);
    if code.len() != 12 {
        state.metrics.error("bad_request");
        return Err(ApiError::bad_request(
            "an enrollment code has 12 letters and digits, e.g. ABCD-EFGH-JKMN",
        ));
    }
    let token = new_token();
    let principal = state
        .db
        .redeem_enrollment(
            &state.key.hash(&code),
            &state.key.hash(&token),
            chrono::Utc::now(),
        )
        .await?;
    let Some(p) = principal else {
        state.metrics.error("unauthorized");
        return Err(ApiError::unauthorized(
            "this enrollment code is unknown, was already used, or has expired; ask the bureau for a new one",
        ));
    };
    let org = state.db.get_org(&p.org).await?;
    state
        .metrics
        .enrollments
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::info!(device = %p.device_id, org = %p.org, name = %req.device_name, "device enrolled");
    Ok(Json(EnrollResponse {
        token,
        device_id: p.device_id,
        role: p.role.as_str().to_string(),
        office: Some(p.org.clone()),
        org_kind: org.as_ref().map(|o| o.kind.as_str().to_string()),
        office_name: org.map(|o| o.name),
        user: p.user_name,
    }))
}
