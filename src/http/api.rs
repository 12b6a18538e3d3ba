//! The JSON API: the dashboard document, refresh, filter options and the
//! prefecture drill-down. Every endpoint takes the page's filter parameters.

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ApiError;
use crate::metrics::drilldown;
use crate::metrics::filter::Filters;
use crate::metrics::prefecture::Prefecture;
use crate::metrics::service::Snapshot;

pub async fn dashboard(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let filters = Filters::from_query(query.as_deref().unwrap_or_default())?;
    let snapshot = state.metrics.dashboard(&filters).await?;
    Ok(snapshot_response(&snapshot, &headers))
}

/// Recomputes now and answers with the new document; the time taken is in
/// the `X-Computed-In-Ms` header.
pub async fn refresh(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let filters = Filters::from_query(query.as_deref().unwrap_or_default())?;
    let snapshot = state.metrics.refresh(&filters).await?;
    Ok(snapshot_response(&snapshot, &headers))
}

/// The snapshot's JSON, gzip-compressed once per snapshot when the client accepts it.
fn snapshot_response(snapshot: &Arc<Snapshot>, headers: &HeaderMap) -> Response {
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let body = if gzip {
        snapshot.gzip.clone()
    } else {
        snapshot.json.clone()
    };
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzip {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    let took = snapshot.took.as_millis().to_string();
    if let Ok(value) = HeaderValue::from_str(&took) {
        headers.insert("x-computed-in-ms", value);
    }
    response
}

pub async fn filters(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Filters::from_query(query.as_deref().unwrap_or_default())?;
    let metrics = &state.metrics;
    let options = metrics
        .with_database(|| drilldown::filter_options(metrics.context()))
        .await?;
    Ok(Json(options).into_response())
}

pub async fn municipalities(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Filters::from_query(query.as_deref().unwrap_or_default())?;
    let prefecture = Prefecture::from_code(&code).ok_or_else(|| {
        ApiError::InvalidParameter(format!(
            "prefecture must be a JIS number 01 to 47 (got `{}`)",
            code.chars().take(40).collect::<String>()
        ))
    })?;
    let metrics = &state.metrics;
    let list = metrics
        .with_database(|| drilldown::municipalities(metrics.context(), prefecture))
        .await?;
    Ok(Json(list).into_response())
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint; see docs/API.md".into())
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
