//! Every route the relay answers, in one place.

use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
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
        .with_state(state)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(format!("no such path: {}", uri.path()))
}
