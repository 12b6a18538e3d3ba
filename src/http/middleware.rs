//! What every request passes through: limits, load shedding, compression,
//! security headers and one log line per request.

use std::time::Instant;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::Limits;
use super::error::ApiError;

/// Longest accepted query string; every legitimate filter set is far shorter.
const MAX_QUERY_BYTES: usize = 2048;
/// Largest accepted request body; no endpoint reads a body.
const MAX_BODY_BYTES: usize = 16 * 1024;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; object-src 'none'; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn apply(routes: Router, limits: Limits) -> Router {
    let shedding = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
            overloaded()
        }))
        .load_shed()
        .concurrency_limit(limits.max_concurrent);
    routes
        .layer(middleware::from_fn(reject_long_queries))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(middleware::from_fn(reject_large_bodies))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .layer(CompressionLayer::new())
        .layer(security_header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::REFERRER_POLICY, "no-referrer"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(shedding)
        .layer(middleware::from_fn(log_request))
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

fn overloaded() -> Response {
    let mut response = ApiError::Overloaded.into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

async fn reject_long_queries(request: Request, next: Next) -> Response {
    let length = request.uri().query().map_or(0, str::len);
    if length > MAX_QUERY_BYTES {
        let message = format!("the query string is {length} bytes; at most {MAX_QUERY_BYTES}");
        return (
            StatusCode::URI_TOO_LONG,
            ApiError::InvalidParameter(message),
        )
            .into_response();
    }
    next.run(request).await
}

/// Answers a declared body over the limit with the JSON envelope before the body-limit layer
/// (plain text) sees it; that layer still bounds bodies sent without a length.
async fn reject_large_bodies(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    if declared > MAX_BODY_BYTES as u64 {
        let message = format!(
            "the request body is {declared} bytes; at most {MAX_BODY_BYTES} (no endpoint needs a \
             body: send filters as query parameters)"
        );
        return ApiError::PayloadTooLarge(message).into_response();
    }
    next.run(request).await
}

/// One line per request: method, matched route, status and duration. Probes
/// (`/healthz`, `/readyz`, `/metrics`) log at debug so they do not drown the rest.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let took = started.elapsed();
    crate::observability::record_request(method.as_str(), &route, status, took);
    let millis = took.as_secs_f64() * 1000.0;
    if matches!(route.as_str(), "/healthz" | "/readyz" | "/metrics") {
        tracing::debug!(%method, route, status, millis, "request");
    } else {
        tracing::info!(%method, route, status, millis, "request");
    }
    response
}
