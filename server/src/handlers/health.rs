//! `GET /health`: liveness for service managers, load balancers and tests.

use axum::Json;
use serde::Serialize;

/// The health answer. `version` lets an operator see which build answers.
#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}
