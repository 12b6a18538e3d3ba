//! `GET /metrics`: the Prometheus scrape endpoint, off unless enabled and
//! optionally protected by a bearer token.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::{AppState, Prometheus};

pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match &state.prometheus {
        Prometheus::Disabled => {
            return ApiError::NotFound(
                "metrics are disabled; set BI_METRICS_ENABLED=true or BI_METRICS_TOKEN".into(),
            )
            .into_response();
        }
        Prometheus::Token(token) if !bearer_matches(&headers, token) => {
            let mut response = (
                StatusCode::UNAUTHORIZED,
                "a valid bearer token is required\n",
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        }
        Prometheus::Open | Prometheus::Token(_) => {}
    }
    match crate::observability::render(&state.metrics.context().db) {
        Some(text) => {
            let content_type = "text/plain; version=0.0.4; charset=utf-8";
            ([(header::CONTENT_TYPE, content_type)], text).into_response()
        }
        None => ApiError::Internal.into_response(),
    }
}

fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compare every byte so the time taken does not reveal how much matched.
    sent.len() == token.len()
        && sent
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
