//! PostgreSQL and SQLite give the same dashboard: every API document is
//! identical apart from `as_of`, for demo datasets and the edge-case fixture.

use polibase_bi::config::DatabaseUrl;
use polibase_bi::db::{Access, Db, migrate};
use polibase_bi::demo::{DemoOptions, generate};
use polibase_bi::metrics::compute;
use polibase_bi::metrics::filter::Filters;
use serde_json::Value;
use sqlx::PgPool;
use tempfile::TempDir;

use crate::metrics::FIXTURE;
use crate::support::{MIGRATIONS, context, settings};

/// Filter sets that exercise every dialect-specific query path.
const QUERIES: [&str; 10] = [
    "",
    "period=7d",
    "period=90d",
    "period=365d",
    "from=2025-12-01&to=2026-02-15",
    "type=%E5%B8%82%E7%94%BA%E6%9D%91",
    "type=%E6%9C%AA%E5%88%86%E9%A1%9E",
    "prefecture=13",
    "prefecture=unknown&period=7d",
    "conference=2",
];

async fn sqlite(dir: &TempDir) -> Db {
    let path = dir.path().join("parity.sqlite");
    let db = Db::connect_lazy(&DatabaseUrl::Sqlite(path), &settings(), Access::ReadWrite).unwrap();
    migrate::run(&db).await.unwrap();
    db
}

async fn document(db: &Db, query: &str) -> Value {
    let filters = Filters::from_query(query).unwrap();
    let document = compute::dashboard(&context(db.clone()), &filters)
        .await
        .unwrap();
    let mut json = serde_json::to_value(document).unwrap();
    json["as_of"] = Value::Null;
    json
}

async fn assert_same_documents(postgres: &Db, sqlite: &Db) {
    for query in QUERIES {
        let (left, right) = (
            document(postgres, query).await,
            document(sqlite, query).await,
        );

        assert!(
            left["panels"].as_object().unwrap().is_empty(),
            "{query}: {}",
            left["panels"]
        );
        let differences = differences("", &left, &right);
        assert!(
            differences.is_empty(),
            "`{query}` differs at {differences:#?}"
        );
    }
}

/// Paths where two JSON values differ, with both values.
fn differences(path: &str, left: &Value, right: &Value) -> Vec<String> {
    match (left, right) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            let null = Value::Null;
            keys.into_iter()
                .flat_map(|k| {
                    let (x, y) = (a.get(k).unwrap_or(&null), b.get(k).unwrap_or(&null));
                    differences(&format!("{path}.{k}"), x, y)
                })
                .collect()
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .flat_map(|(i, (x, y))| differences(&format!("{path}[{i}]"), x, y))
            .collect(),
        _ if left == right => Vec::new(),
        _ => vec![format!("{path}: postgres {left} / sqlite {right}")],
    }
}

async fn demo_parity(pool: PgPool, scale: f64, seed: u64) {
    let dir = TempDir::new().unwrap();
    let (postgres, sqlite) = (Db::Postgres(pool), sqlite(&dir).await);
    let options = DemoOptions { scale, seed };
    let clock = context(postgres.clone()).clock;
    generate(&postgres, &options, &clock).await.unwrap();
    generate(&sqlite, &options, &clock).await.unwrap();

    assert_same_documents(&postgres, &sqlite).await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn demo_scale_001_seed_1(pool: PgPool) {
    demo_parity(pool, 0.01, 1).await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn demo_scale_001_seed_2(pool: PgPool) {
    demo_parity(pool, 0.01, 2).await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn demo_scale_005_seed_1(pool: PgPool) {
    demo_parity(pool, 0.05, 1).await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn demo_scale_005_seed_2(pool: PgPool) {
    demo_parity(pool, 0.05, 2).await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn edge_case_fixture(pool: PgPool) {
    let dir = TempDir::new().unwrap();
    let sqlite = sqlite(&dir).await;
    let Db::Sqlite(sqlite_pool) = &sqlite else {
        unreachable!()
    };
    for statement in FIXTURE.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        sqlx::query(statement).execute(&pool).await.unwrap();
        sqlx::query(statement).execute(sqlite_pool).await.unwrap();
    }

    assert_same_documents(&Db::Postgres(pool), &sqlite).await;
}
