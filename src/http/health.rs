//! Liveness and readiness. `/healthz` never touches the database; `/readyz`
//! asks it, with a timeout, and says why it is not ready. While the database
//! is known to be down, `/readyz` answers at once from the last attempt instead
//! of opening a connection per poll.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::AppState;
use crate::metrics::MetricsError;

const READY_TIMEOUT: Duration = Duration::from_secs(3);

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let metrics = &state.metrics;
    match tokio::time::timeout(READY_TIMEOUT, metrics.readiness()).await {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": "ok" })),
        ),
        Ok(Err(MetricsError::Busy(reason))) => not_ready("busy", reason, None),
        Ok(Err(err)) => {
            let retry = metrics.outage().map(|o| o.retry_in().as_secs_f32().ceil());
            not_ready("unreachable", err.to_string(), retry)
        }
        Err(_) => not_ready(
            "unreachable",
            format!("the database did not answer within {READY_TIMEOUT:?}"),
            None,
        ),
    }
}

fn not_ready(
    database: &str,
    reason: String,
    retry_in_secs: Option<f32>,
) -> (StatusCode, Json<Value>) {
    let body = json!({
        "status": "unavailable",
        "database": database,
        "reason": reason,
        "retry_in_secs": retry_in_secs,
    });
    (StatusCode::SERVICE_UNAVAILABLE, Json(body))
}
