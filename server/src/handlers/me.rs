//! `GET /v1/me`: who this device token belongs to (clients check enrollment).

use axum::Json;

use crate::caller::Caller;
use crate::storage::Principal;

pub async fn me(Caller(who): Caller) -> Json<Principal> {
    Json(who)
}
