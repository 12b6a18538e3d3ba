//! Shared helpers: settings, a frozen clock and hand-made fixtures.

use std::time::Duration;

use chrono::{DateTime, Utc};
use polibase_bi::clock::Clock;
use polibase_bi::config::Settings;
use polibase_bi::db::Db;
use polibase_bi::http::{AppState, Limits, router};
use polibase_bi::metrics::filter::Filters;
use polibase_bi::metrics::{Context, MetricsService, compute};
use serde_json::Value;
use sqlx::PgPool;

/// The Polibase tables, created in every `#[sqlx::test]` database.
pub static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// 2026-03-10 08:30 in Tokyo, still 2026-03-09 in UTC.
pub const NOW: &str = "2026-03-10T08:30:00+09:00";

pub fn settings() -> Settings {
    Settings {
        database_url: None,
        demo_path: "polibase-bi-demo.sqlite".into(),
        timezone: chrono_tz::Asia::Tokyo,
        db_timezone: chrono_tz::UTC,
        now: Some(DateTime::parse_from_rfc3339(NOW).unwrap()),
        log_format: Default::default(),
        pool_max: 5,
        pool_acquire_timeout_secs: 5,
        statement_timeout_secs: 10,
        national_bodies: 1966,
    }
}

pub fn context(db: Db) -> Context {
    let now = DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc);
    Context {
        db,
        clock: Clock::new(chrono_tz::Asia::Tokyo, chrono_tz::UTC, Some(now)),
        demo: false,
        national_bodies: 1966,
        statement_timeout: Duration::from_secs(10),
    }
}

pub fn service(pool: PgPool) -> MetricsService {
    MetricsService::new(context(Db::Postgres(pool)), Duration::from_secs(60))
}

/// Runs SQL statements separated by `;` (fixtures contain no other semicolons).
pub async fn exec(pool: &PgPool, sql: &str) {
    for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        sqlx::query(statement)
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

/// The dashboard document as JSON, for a query string such as `period=7d`.
pub async fn dashboard(pool: &PgPool, query: &str) -> Value {
    let filters = Filters::from_query(query).unwrap();
    let document = compute::dashboard(&context(Db::Postgres(pool.clone())), &filters)
        .await
        .unwrap();
    serde_json::to_value(document).unwrap()
}

/// The card with `id`.
pub fn card<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

/// The dashboard of `pool` on a loopback port, served until the test's runtime ends; its base URL.
pub async fn serve(pool: PgPool) -> String {
    serve_metrics(service(pool)).await
}

/// A metrics service on a loopback port, served until the test's runtime ends; its base URL.
pub async fn serve_metrics(metrics: MetricsService) -> String {
    let app = router(AppState::new(metrics), Limits::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}
