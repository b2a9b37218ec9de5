//! Every route the relay answers, in one place.

use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;

use crate::error::ApiError;
use crate::handlers;
use crate::AppState;

/// The relay's routes over `state`.
pub fn app(state: AppState) -> Router {
    let limit = state.settings.max_body_bytes;
    Router::new()
        .route("/health", get(handlers::health::health))
        .route("/metrics", get(handlers::metrics::metrics))
        .route("/v1/enroll", post(handlers::enroll::enroll))
        .route("/v1/me", get(handlers::me::me))
        .route(
            hongdun_core::sync::protocol::SYNC_PATH,
            post(handlers::sync::sync),
        )
        .route(
            "/v1/attachments/{sha}",
            get(handlers::attachments::status).put(handlers::attachments::upload),
        )
        .route(
            "/v1/attachments/{sha}/bytes",
            get(handlers::attachments::download),
        )
        .route("/v1/grants", post(handlers::grants::create))
        .route("/v1/partners", get(handlers::grants::partners))
        .route("/v1/partner/grants", get(handlers::grants::mine))
        .route("/v1/grants/{id}", delete(handlers::grants::revoke))
        .route(
            "/v1/grants/{id}/enrollments",
            post(handlers::grants::enroll),
        )
        .route("/v1/docs/{id}/grants", get(handlers::grants::list))
        .route("/v1/docs/{id}/authors", get(handlers::authors::authors))
        .route("/v1/bureau/health", get(handlers::bureau::health))
        .route("/v1/bureau/records", get(handlers::bureau::records))
        .route("/v1/bureau/bulletin", get(handlers::bureau::bulletin))
        .route(
            "/v1/bureau/comparison",
            get(handlers::bureau::office_comparison),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::map_response(move |resp| {
            json_rejection(resp, limit)
        }))
        .with_state(state)
}

/// The body extractors answer an oversized body in plain text; every error
/// of the relay is JSON `{error, message}`.
async fn json_rejection(resp: Response, limit: usize) -> Response {
    let is_json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if resp.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return ApiError::too_large(format!(
            "the request body is larger than this relay accepts ({} MB); send less per request",
            limit / (1024 * 1024)
        ))
        .into_response();
    }
    resp
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(format!("no such path: {}", uri.path()))
}
