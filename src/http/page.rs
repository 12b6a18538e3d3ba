//! The dashboard page and its static assets.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::AppState;
use crate::metrics::filter::Filters;
use crate::web::{self, Lang, PageContext};

/// The page shell. Invalid filters still get the page (status 400), which shows
/// the API's message in its banner.
pub async fn dashboard(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query.unwrap_or_default();
    let lang_param = url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "lang")
        .map(|(_, value)| value.into_owned());
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let context = PageContext {
        lang: Lang::negotiate(lang_param.as_deref(), accept),
        demo: state.metrics.context().demo,
        query: query.clone(),
    };
    let status = match Filters::from_query(&query) {
        Ok(_) => StatusCode::OK,
        Err(_) => StatusCode::BAD_REQUEST,
    };
    match web::render_page(&context) {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-cache")], Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "the dashboard page could not be rendered");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

/// An asset by its content-hashed name, cacheable forever.
pub async fn asset(Path(name): Path<String>) -> Response {
    let Some(asset) = web::asset(&name) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let mut response = asset.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
