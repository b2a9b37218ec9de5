//! The `Caller` extractor: every authenticated route starts from the device
//! token in `Authorization: Bearer …`, checked (and rate-limited) here.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::storage::Principal;
use crate::AppState;

/// The authenticated device making a request.
#[derive(Debug, Clone)]
pub struct Caller(pub Principal);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let Some(token) = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            state.metrics.error("unauthorized");
            return Err(ApiError::unauthorized(
                "no device token; enroll this device with `hongdun enroll --server URL --code CODE`",
            ));
        };
        let hash = state.key.hash(token);
        if !state.limiter.allow(&hash) {
            state.metrics.error("rate_limited");
            return Err(ApiError::too_many(
                "too many requests from this device; wait a moment and sync again",
            ));
        }
        match state.db.principal_by_token(&hash).await {
            Ok(Some(p)) => Ok(Caller(p)),
            Ok(None) => {
                state.metrics.error("unauthorized");
                Err(ApiError::unauthorized(
                    "this device token is unknown or was revoked; ask the bureau for a new enrollment code",
                ))
            }
            Err(e) => {
                tracing::error!(error = %e, "token lookup failed");
                state.metrics.error("internal");
                Err(ApiError::internal())
            }
        }
    }
}
