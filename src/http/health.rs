//! Liveness and readiness. `/healthz` never touches the database; `/readyz`
//! asks it, with a timeout, and says why it is not ready.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::AppState;

const READY_TIMEOUT: Duration = Duration::from_secs(3);

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let db = &state.metrics.context().db;
    match tokio::time::timeout(READY_TIMEOUT, db.ping()).await {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": "ok" })),
        ),
        Ok(Err(err)) => not_ready(err.to_string()),
        Err(_) => not_ready(format!(
            "the database did not answer within {READY_TIMEOUT:?}"
        )),
    }
}

fn not_ready(reason: String) -> (StatusCode, Json<Value>) {
    let body = json!({ "status": "unavailable", "database": "unreachable", "reason": reason });
    (StatusCode::SERVICE_UNAVAILABLE, Json(body))
}
