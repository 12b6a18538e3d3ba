//! The dashboard through least-privilege PostgreSQL roles: with SELECT only it computes every
//! panel and sends nothing but reads; without SELECT on one table only the panels that need
//! that table show the permission state.
//!
//! The statements are captured by a small TCP relay between the dashboard's pool and the real
//! server that reads the SQL text out of the wire protocol (simple `Query` and extended `Parse`
//! messages). The server's own log cannot be used here: `logging_collector` is off, so
//! `pg_current_logfile()` is NULL, and `pg_stat_statements` is not preloaded.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use futures::FutureExt;
use http_body_util::BodyExt;
use polibase_bi::config::DatabaseUrl;
use polibase_bi::db::schema::TABLES;
use polibase_bi::db::{Access, Db};
use polibase_bi::http::{AppState, Limits, router};
use polibase_bi::metrics::MetricsService;
use rand::Rng;
use serde_json::Value;
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use crate::metrics::FIXTURE;
use crate::support::{MIGRATIONS, context, exec, settings};

type Statements = Arc<Mutex<Vec<String>>>;

/// Creates a login role that may connect to this database and read `tables`, read-only.
async fn create_role(pool: &PgPool, tables: &[&str]) -> String {
    let role = format!("bi_ro_{:08x}", rand::thread_rng().r#gen::<u32>());
    let db: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(pool)
        .await
        .unwrap();
    let grants: Vec<String> = tables
        .iter()
        .map(|t| format!("GRANT SELECT ON {t} TO {role}"))
        .collect();
    let sql = format!(
        "CREATE ROLE {role} LOGIN;
         REVOKE ALL ON DATABASE \"{db}\" FROM PUBLIC;
         GRANT CONNECT ON DATABASE \"{db}\" TO {role};
         GRANT USAGE ON SCHEMA public TO {role};
         {};
         ALTER ROLE {role} SET default_transaction_read_only = on",
        grants.join(";\n")
    );
    exec(pool, &sql).await;
    role
}

async fn drop_role(pool: &PgPool, role: &str) {
    for sql in [
        format!("DROP OWNED BY {role}"),
        format!("DROP ROLE IF EXISTS {role}"),
    ] {
        if let Err(err) = sqlx::query(&sql).execute(pool).await {
            eprintln!("cleanup `{sql}` failed: {err}");
        }
    }
}

/// Runs `body` with roles made by `tables`, dropping them afterwards even when it panics.
async fn with_roles<F, Fut>(pool: &PgPool, tables: &[&[&str]], body: F)
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut roles = Vec::new();
    for grants in tables {
        roles.push(create_role(pool, grants).await);
    }
    let outcome = AssertUnwindSafe(body(roles.clone())).catch_unwind().await;
    for role in &roles {
        drop_role(pool, role).await;
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// A relay to the server behind `pool` that records every SQL text sent through it.
async fn relay(pool: &PgPool) -> (u16, Statements) {
    let options = pool.connect_options();
    let upstream = format!("{}:{}", options.get_host(), options.get_port());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let statements = Statements::default();
    let log = statements.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = tokio::net::TcpStream::connect(&upstream).await.unwrap();
            let (client_read, mut client_write) = client.into_split();
            let (mut server_read, server_write) = server.into_split();
            tokio::spawn(async move {
                let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
            });
            tokio::spawn(record(client_read, server_write, log.clone()));
        }
    });
    (port, statements)
}

/// Forwards the client's messages, noting the SQL of `Query` ('Q') and `Parse` ('P').
async fn record(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, log: Statements) {
    // The startup message has no type byte; everything after it has one.
    let mut typed = false;
    loop {
        let kind = if typed {
            match from.read_u8().await {
                Ok(kind) => Some(kind),
                Err(_) => return,
            }
        } else {
            None
        };
        let Ok(length) = from.read_u32().await else {
            return;
        };
        let mut payload = vec![0; (length as usize).saturating_sub(4)];
        if from.read_exact(&mut payload).await.is_err() {
            return;
        }
        let mut frame = Vec::with_capacity(payload.len() + 5);
        frame.extend(kind);
        frame.extend(length.to_be_bytes());
        frame.extend(&payload);
        if to.write_all(&frame).await.is_err() {
            return;
        }
        typed = true;
        let sql = match kind {
            Some(b'Q') => cstring(&payload, 0),
            Some(b'P') => cstring(&payload, 0).and_then(|name| cstring(&payload, name.len() + 1)),
            _ => None,
        };
        if let Some(sql) = sql {
            log.lock().unwrap().push(sql);
        }
    }
}

fn cstring(bytes: &[u8], from: usize) -> Option<String> {
    let rest = bytes.get(from..)?;
    let end = rest.iter().position(|b| *b == 0)?;
    Some(String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// The dashboard served through `role`, over the relay.
fn app_as(role: &str, port: u16, db: &str) -> (Router, Db) {
    let url: DatabaseUrl = format!("postgres://{role}@127.0.0.1:{port}/{db}?sslmode=disable")
        .parse()
        .unwrap();
    let db = Db::connect_lazy(&url, &settings(), Access::ReadOnly).unwrap();
    let metrics = MetricsService::new(context(db.clone()), std::time::Duration::from_secs(60));
    (router(AppState::new(metrics), Limits::default()), db)
}

async fn call(app: &Router, method: Method, uri: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.clone(), request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn database_name(pool: &PgPool) -> String {
    sqlx::query_scalar("SELECT current_database()")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Whether a statement only reads: SELECT, a WITH that selects, SET or SHOW. BEGIN and COMMIT
/// count as not reading: the dashboard runs single statements outside transactions (the pool
/// sends none), so one appearing would mean a code path this test has not reviewed.
fn only_reads(sql: &str) -> bool {
    let upper = sql
        .trim_start_matches(['(', ' ', '\n', '\t'])
        .to_uppercase();
    let first = upper.split_whitespace().next().unwrap_or_default();
    let writes = [
        "INSERT ",
        "UPDATE ",
        "DELETE ",
        "MERGE ",
        "TRUNCATE ",
        "CREATE ",
        "ALTER ",
    ];
    match first {
        "SELECT" | "SET" | "SHOW" => true,
        "WITH" => !writes.iter().any(|w| upper.contains(w)),
        _ => false,
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_select_only_role_computes_every_panel_and_only_reads(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let db_name = database_name(&pool).await;
    let (port, statements) = relay(&pool).await;

    with_roles(&pool, &[&TABLES], |roles| async move {
        let (app, db) = app_as(&roles[0], port, &db_name);
        let mut answers = Vec::new();
        for (method, uri) in [
            (Method::GET, "/api/v1/dashboard"),
            (
                Method::GET,
                "/api/v1/dashboard?period=7d&prefecture=26&type=市町村",
            ),
            (
                Method::GET,
                "/api/v1/dashboard?conference=2&from=2026-03-01&to=2026-03-10",
            ),
            (Method::POST, "/api/v1/refresh?period=90d"),
            (Method::GET, "/api/v1/filters"),
            (Method::GET, "/api/v1/prefectures/26/municipalities"),
            (Method::GET, "/readyz"),
        ] {
            answers.push((uri, call(&app, method, uri).await));
        }
        let read_only: String = match &db {
            Db::Postgres(pool) => sqlx::query_scalar("SHOW default_transaction_read_only")
                .fetch_one(pool)
                .await
                .unwrap(),
            Db::Sqlite(_) => unreachable!(),
        };
        db.close().await;

        for (uri, (status, body)) in &answers {
            assert_eq!(*status, StatusCode::OK, "{uri}: {body}");
            if uri.contains("dashboard") || uri.contains("refresh") {
                assert_eq!(body["panels"], serde_json::json!({}), "{uri}");
                for section in ["coverage", "meetings", "speakers", "activity", "processing"] {
                    assert!(
                        body[section].is_object(),
                        "{uri}: {section} is {}",
                        body[section]
                    );
                }
            }
        }
        assert_eq!(read_only, "on");
        let statements = statements.lock().unwrap().clone();
        assert!(statements.len() > 10, "{statements:?}");
        let writes: Vec<&String> = statements.iter().filter(|s| !only_reads(s)).collect();
        assert!(
            writes.is_empty(),
            "statements that do not only read: {writes:#?}"
        );
    })
    .await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_role_without_one_table_loses_only_the_panels_that_need_it(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let db_name = database_name(&pool).await;
    let (port, _) = relay(&pool).await;
    let without =
        |table: &str| -> Vec<&str> { TABLES.into_iter().filter(|t| *t != table).collect() };
    let no_llm = without("llm_processing_history");
    let no_politicians = without("politicians");
    let no_bodies = without("governing_bodies");

    with_roles(
        &pool,
        &[&no_llm, &no_politicians, &no_bodies],
        |roles| async move {
            let cases = [
                (
                    &roles[0],
                    &["processing"][..],
                    &["coverage", "meetings", "speakers", "activity"][..],
                ),
                (
                    &roles[1],
                    &["activity", "parties"],
                    &["coverage", "meetings", "speakers", "processing"],
                ),
                // Coverage, and the panels that name a conference's body.
                (
                    &roles[2],
                    &[
                        "body_types",
                        "coverage",
                        "linking",
                        "meetings",
                        "top_conferences",
                    ],
                    &["speakers", "activity", "processing"],
                ),
            ];
            for (role, denied, computed) in cases {
                let (app, db) = app_as(role, port, &db_name);
                let (status, body) = call(&app, Method::GET, "/api/v1/dashboard").await;
                db.close().await;

                assert_eq!(status, StatusCode::OK, "{body}");
                assert_denied(&body, denied, role);
                for section in computed {
                    assert!(
                        body[section].is_object(),
                        "{role}: {section} is {}",
                        body[section]
                    );
                }
                let cards = body["cards"].as_array().unwrap();
                let body_cards_known = cards[..2].iter().all(|c| c["numerator"].is_number());
                assert_eq!(
                    body_cards_known,
                    !denied.contains(&"coverage"),
                    "{role}: {cards:?}"
                );
            }
        },
    )
    .await;
}

/// Exactly the `denied` panels carry the permission state, with the page's wording.
fn assert_denied(body: &Value, denied: &[&str], role: &str) {
    let panels = body["panels"].as_object().unwrap();
    let mut names: Vec<&str> = panels.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, denied, "{role}: {panels:?}");
    for panel in denied {
        let state = &panels[*panel];
        assert_eq!(state["code"], "permission_denied", "{panel}");
        assert!(
            state["message"]
                .as_str()
                .unwrap()
                .contains("権限がありません"),
            "{state}"
        );
    }
}

/// A conference filter cannot be checked without access to `conferences`: the answer is the
/// dashboard with the affected panels marked, not a server error.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_conference_filter_without_access_to_conferences_is_not_a_server_error(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let db_name = database_name(&pool).await;
    let (port, _) = relay(&pool).await;
    let no_conferences: Vec<&str> = TABLES.into_iter().filter(|t| *t != "conferences").collect();

    with_roles(&pool, &[&no_conferences], |roles| async move {
        let (app, db) = app_as(&roles[0], port, &db_name);
        let (status, body) = call(&app, Method::GET, "/api/v1/dashboard?conference=1").await;
        db.close().await;

        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["panels"]["meetings"]["code"], "permission_denied",
            "{body}"
        );
        assert!(body["processing"].is_object(), "{body}");
    })
    .await;
}
