//! The HTTP layer's one error type and its JSON envelope:
//! `{"error": {"code", "message"}}`. 4xx messages say what to change; 5xx
//! messages reveal nothing internal.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::metrics::MetricsError;
use crate::metrics::filter::InvalidParameter;

#[derive(Debug)]
pub enum ApiError {
    InvalidParameter(String),
    NotFound(String),
    MethodNotAllowed,
    Unauthorized,
    PayloadTooLarge(String),
    Unavailable(String),
    /// One panel of the dashboard has no figures; the message says why.
    PanelUnavailable(String),
    /// Every database connection stayed in use too long.
    Busy(String),
    /// The server sheds load: too many requests at once.
    Overloaded,
    Internal,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            Self::InvalidParameter(message) => (
                StatusCode::BAD_REQUEST,
                "invalid_parameter",
                message.clone(),
            ),
            Self::NotFound(message) => (StatusCode::NOT_FOUND, "not_found", message.clone()),
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not accept that method; see docs/API.md".into(),
            ),
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "sign in: send HTTP basic credentials of a user in BI_AUTH_USERS_FILE, or \
                 Authorization: Bearer <BI_API_TOKEN>"
                    .into(),
            ),
            Self::PayloadTooLarge(message) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                message.clone(),
            ),
            Self::Unavailable(message) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unavailable",
                message.clone(),
            ),
            Self::PanelUnavailable(message) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "panel_unavailable",
                message.clone(),
            ),
            Self::Busy(message) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "database_busy",
                message.clone(),
            ),
            Self::Overloaded => (
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "the server is busy; retry in a moment".into(),
            ),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the dashboard could not be computed; the server log has details".into(),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        let body = Json(json!({ "error": { "code": code, "message": message } }));
        (status, body).into_response()
    }
}

impl From<InvalidParameter> for ApiError {
    fn from(err: InvalidParameter) -> Self {
        Self::InvalidParameter(err.0)
    }
}

impl From<MetricsError> for ApiError {
    fn from(err: MetricsError) -> Self {
        match err {
            MetricsError::InvalidParameter(message) => Self::InvalidParameter(message),
            MetricsError::Unavailable(reason) => {
                Self::Unavailable(format!("the database is unavailable: {reason}"))
            }
            MetricsError::Busy(reason) => Self::Busy(format!("the database is busy: {reason}")),
            MetricsError::Failed(message) => {
                tracing::error!(error = %message, "the dashboard could not be computed");
                Self::Internal
            }
        }
    }
}
