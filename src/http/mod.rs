//! The HTTP layer: one route table, the middleware every response passes
//! through, and the server's start and graceful shutdown. Nothing here
//! writes SQL; handlers ask the metrics service.

mod api;
mod auth;
mod error;
mod export;
mod health;
mod middleware;
mod page;
mod prometheus;

use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};

use crate::metrics::MetricsService;

pub use auth::Access;
pub use error::ApiError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub metrics: MetricsService,
    pub prometheus: Prometheus,
}

impl AppState {
    /// State with `/metrics` disabled.
    pub fn new(metrics: MetricsService) -> Self {
        Self {
            metrics,
            prometheus: Prometheus::Disabled,
        }
    }
}

/// Whether `/metrics` is served, and to whom.
#[derive(Clone, Debug, Default)]
pub enum Prometheus {
    /// `/metrics` answers 404.
    #[default]
    Disabled,
    /// Anyone who can reach the server may scrape.
    Open,
    /// Scrapers must send `Authorization: Bearer <token>`.
    Token(String),
}

/// Limits applied to every request.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub request_timeout: Duration,
    pub max_concurrent: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            max_concurrent: 512,
        }
    }
}

/// The route table, open to everyone who reaches it.
pub fn router(state: AppState, limits: Limits) -> Router {
    router_with_access(state, limits, Access::default())
}

/// The route table behind access control (see `auth`).
pub fn router_with_access(state: AppState, limits: Limits, access: Access) -> Router {
    if !matches!(state.prometheus, Prometheus::Disabled) {
        // Install the recorder before the first request so that it is counted.
        crate::observability::handle();
    }
    let api = Router::new()
        .route("/dashboard", get(api::dashboard))
        .route("/refresh", post(api::refresh))
        .route("/filters", get(api::filters))
        .route(
            "/prefectures/{code}/municipalities",
            get(api::municipalities),
        )
        .route("/export/{file}", get(export::download))
        .fallback(api::not_found);
    let routes = Router::new()
        .route("/", get(page::dashboard))
        .route("/assets/{name}", get(page::asset))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(prometheus::scrape))
        .nest("/api/v1", api)
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(access, auth::require));
    middleware::apply(routes, limits)
}
