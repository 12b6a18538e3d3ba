//! HTTP behaviour through the router, without sockets: status codes, the error
//! envelope, parameter validation, health and security headers.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use polibase_bi::config::DatabaseUrl;
use polibase_bi::db::{Access, Db};
use polibase_bi::http::{AppState, Limits, Prometheus, router};
use polibase_bi::metrics::MetricsService;
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;

use crate::support::{MIGRATIONS, context, service, settings};

fn app(pool: PgPool) -> Router {
    router(AppState::new(service(pool)), Limits::default())
}

/// A router whose database does not exist: nothing listens on port 1.
fn app_without_database() -> Router {
    let url: DatabaseUrl = "postgresql://bi:secret@127.0.0.1:1/none".parse().unwrap();
    let mut settings = settings();
    settings.pool_acquire_timeout_secs = 1;
    let db = Db::connect_lazy(&url, &settings, Access::ReadOnly).unwrap();
    let metrics = MetricsService::new(context(db), std::time::Duration::from_secs(60));
    router(AppState::new(metrics), Limits::default())
}

async fn get(app: Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let request = Request::get(uri).body(Body::empty()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes().to_vec(),
    )
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_endpoint_answers_on_an_empty_database(pool: PgPool) {
    for uri in [
        "/",
        "/healthz",
        "/readyz",
        "/api/v1/dashboard",
        "/api/v1/filters",
        "/api/v1/dashboard?period=7d",
        "/api/v1/prefectures/13/municipalities",
    ] {
        let (status, _, body) = get(app(pool.clone()), uri).await;

        assert_eq!(
            status,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_periods_are_rejected_and_change_nothing(pool: PgPool) {
    sqlx::query("INSERT INTO speakers (name) VALUES ('甲')")
        .execute(&pool)
        .await
        .unwrap();
    let bad = [
        "30d%27%3BDROP%20TABLE%20speakers%3B--",
        "-1d",
        "100000d",
        "30",
        "%EF%BC%97d",
        "7d&period=30d",
    ];

    for value in bad {
        let (status, _, body) = get(
            app(pool.clone()),
            &format!("/api/v1/dashboard?period={value}"),
        )
        .await;
        let body = json(&body);

        assert_eq!(status, StatusCode::BAD_REQUEST, "{value}");
        assert_eq!(body["error"]["code"], "invalid_parameter");
        assert!(body["error"]["message"].as_str().unwrap().contains("30d") || value.contains('&'));
    }
    let speakers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM speakers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(speakers, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn no_period_means_thirty_days(pool: PgPool) {
    let (status, _, body) = get(app(pool), "/api/v1/dashboard").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["period"]["days"], 30);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn unknown_conference_and_parameters_are_400(pool: PgPool) {
    for uri in [
        "/api/v1/dashboard?conference=999",
        "/api/v1/dashboard?colour=red",
        "/api/v1/dashboard?prefecture=48",
        "/api/v1/dashboard?from=2026-03-10&to=2026-03-01",
        "/api/v1/prefectures/99/municipalities",
    ] {
        let (status, _, body) = get(app(pool.clone()), uri).await;

        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(json(&body)["error"]["code"], "invalid_parameter");
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn unknown_routes_get_the_json_envelope(pool: PgPool) {
    let (status, _, body) = get(app(pool), "/api/v1/nothing").await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["error"]["code"], "not_found");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn responses_carry_security_headers(pool: PgPool) {
    let (_, headers, _) = get(app(pool), "/").await;

    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers.contains_key(header::REFERRER_POLICY));
}

#[tokio::test]
async fn without_a_database_health_is_200_and_readiness_503() {
    let (health, _, _) = get(app_without_database(), "/healthz").await;
    let (ready, _, body) = get(app_without_database(), "/readyz").await;
    let (data, _, data_body) = get(app_without_database(), "/api/v1/dashboard").await;

    assert_eq!(health, StatusCode::OK);
    assert_eq!(ready, StatusCode::SERVICE_UNAVAILABLE);
    assert!(json(&body)["reason"].as_str().unwrap().len() > 5);
    assert_eq!(data, StatusCode::SERVICE_UNAVAILABLE);
    let text = String::from_utf8_lossy(&data_body);
    assert!(
        !text.contains("secret") && !text.contains("127.0.0.1:1"),
        "{text}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn metrics_are_scraped_by_a_prometheus_parser(pool: PgPool) {
    let state = AppState {
        metrics: service(pool.clone()),
        prometheus: Prometheus::Token("scrape-secret".into()),
    };
    let app = router(state, Limits::default());
    get(app.clone(), "/api/v1/dashboard").await;

    let unauthorised = get(app.clone(), "/metrics").await.0;
    let request = Request::get("/metrics")
        .header(header::AUTHORIZATION, "Bearer scrape-secret")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let text = String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    let lines = text.lines().map(|l| Ok(l.to_string()));
    let scrape = prometheus_parse::Scrape::parse(lines).unwrap();
    let names: Vec<&str> = scrape.samples.iter().map(|s| s.metric.as_str()).collect();

    assert_eq!(unauthorised, StatusCode::UNAUTHORIZED);
    assert!(names.contains(&"http_requests_total"), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("db_panel_duration_seconds")),
        "{names:?}"
    );
    assert!(names.contains(&"db_pool_connections"), "{names:?}");
    assert!(
        names.contains(&"dashboard_cache_requests_total"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.starts_with("process_")), "{names:?}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn metrics_are_off_by_default(pool: PgPool) {
    let (status, _, _) = get(app(pool), "/metrics").await;

    assert_eq!(status, StatusCode::NOT_FOUND);
}
