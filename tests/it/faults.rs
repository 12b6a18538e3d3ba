//! Database faults against real PostgreSQL over real HTTP: a database that is down at
//! start, goes away, restarts, kills our sessions, blocks on a lock or runs out of
//! connections. Start/stop/restart use a throwaway cluster of their own ([`Cluster`]);
//! session kills, locks and pool limits use the shared server with a fresh database.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener as StdTcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use polibase_bi::config::{DatabaseUrl, Settings};
use polibase_bi::db::{Access, Db};
use polibase_bi::http::{AppState, Limits, router};
use polibase_bi::metrics::MetricsService;
use polibase_bi::metrics::compute::NEEDS;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};

use crate::browser::{self, Chromedriver, js, text_of, wait_for};
use crate::support::{MIGRATIONS, context, exec, settings};

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";
/// Trust authentication ignores it; it is there to prove no answer ever shows it.
const PASSWORD: &str = "never-shown-pw";
/// Panels that read no table other than bodies, conferences, meetings, minutes and
/// processing history, so a lock on `conversations` must not touch them.
const NOT_CONVERSATIONS: [&str; 4] = ["coverage", "meetings", "minutes", "processing"];

/// A small Polibase: bodies, conferences, meetings, minutes, speakers, conversations.
const FIXTURE: &str = "
INSERT INTO governing_bodies (id, name, type, organization_code, organization_type, created_at)
VALUES (1, '日本国', '国', NULL, NULL, '2026-01-01'),
       (2, '京都府', '都道府県', '260002', '都道府県', '2026-01-01'),
       (3, '京都市', '市町村', '261009', '市', '2026-01-01'),
       (4, '葛飾区', '市町村', '131229', '特別区', '2026-01-01');
INSERT INTO conferences (id, name, type, governing_body_id)
VALUES (1, '衆議院', '議院', 1), (2, '市議会', '市議会', 3), (3, '本会議', '区議会', 4);
INSERT INTO meetings (id, conference_id, date, created_at)
VALUES (1, 1, '2026-03-09', '2026-03-09 10:00'), (2, 1, '2026-03-05', '2026-03-05 00:00'),
       (3, 2, '2026-03-06', '2026-03-06 00:00'), (4, 3, '2026-02-20', '2026-02-20 00:00');
INSERT INTO minutes (id, meeting_id, processed_at, created_at)
VALUES (1, 1, '2026-03-09 10:00', '2026-03-09 09:00'), (2, 2, NULL, '2026-03-05 00:00'),
       (3, 3, '2026-03-06 00:00', '2026-03-06 00:00'), (4, 4, '2026-02-21 00:00', '2026-02-20');
INSERT INTO political_parties (id, name) VALUES (1, '自由民主党');
INSERT INTO politicians (id, name, political_party_id, created_at)
VALUES (1, '議員甲', 1, '2026-03-08 10:00');
INSERT INTO speakers (id, name, type, is_politician, politician_id, created_at)
VALUES (1, '甲', '政治家', TRUE, 1, '2026-03-08 10:00'), (2, '乙', '参考人', FALSE, NULL, '2026-03-06');
INSERT INTO conversations (id, minutes_id, speaker_id, comment, sequence_number)
VALUES (1, 1, 1, 'a', 1), (2, 1, 2, 'b', 2), (3, 3, NULL, 'c', 1), (4, 4, 1, 'd', 1);
INSERT INTO llm_processing_history (processing_type, model_name, model_version,
    input_reference_type, input_reference_id, status, started_at, completed_at, created_at)
VALUES ('minutes_division', 'm', '1', 'minutes', 1, 'completed',
        '2026-03-01 00:00:00', '2026-03-01 00:00:10', '2026-03-01')
";

/* ---------- a throwaway PostgreSQL cluster ---------- */

/// A PostgreSQL cluster of this test alone, in a temporary directory, on a free port.
/// Dropping it (also while a failed assertion unwinds) stops it and removes its files.
struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
}

impl Cluster {
    /// initdb, start, create the `polibase` database with the Polibase tables and data.
    async fn create() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("polibase-bi-pg-")
            .tempdir()
            .unwrap();
        run("chown", &["postgres:postgres", path_str(dir.path())]);
        let cluster = Self {
            dir,
            port: free_port(),
        };
        as_postgres(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        cluster.start();
        let admin = format!("postgresql://postgres@127.0.0.1:{}/postgres", cluster.port);
        let mut connection = PgConnection::connect(&admin).await.unwrap();
        sqlx::query("CREATE DATABASE polibase")
            .execute(&mut connection)
            .await
            .unwrap();
        connection.close().await.unwrap();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(&cluster.admin_url())
            .await
            .unwrap();
        MIGRATIONS.run(&pool).await.unwrap();
        exec(&pool, FIXTURE).await;
        pool.close().await;
        cluster
    }

    fn data(&self) -> String {
        format!("{}/data", path_str(self.dir.path()))
    }

    fn pg_ctl(&self, action: &str, extra: &[&str]) {
        let dir = path_str(self.dir.path());
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dir} -c fsync=off",
            self.port
        );
        let (data, log) = (self.data(), format!("{dir}/server.log"));
        let mut args = vec!["-D", &data, "-l", &log, "-w", "-o", &options];
        args.extend_from_slice(extra);
        args.push(action);
        as_postgres("pg_ctl", &args);
    }

    fn start(&self) {
        self.pg_ctl("start", &[]);
    }

    fn stop(&self) {
        self.pg_ctl("stop", &["-m", "fast"]);
    }

    fn restart(&self) {
        self.pg_ctl("restart", &["-m", "fast"]);
    }

    /// The dashboard's URL: with a password, so that leaks would show.
    fn url(&self) -> String {
        format!(
            "postgresql://postgres:{PASSWORD}@127.0.0.1:{}/polibase",
            self.port
        )
    }

    fn admin_url(&self) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/polibase", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(format!("{PG_BIN}/pg_ctl"))
            .args(["-D", &self.data(), "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn as_postgres(program: &str, args: &[&str]) {
    let binary: PathBuf = [PG_BIN, program].iter().collect();
    let mut all = vec!["-u", "postgres", "--", path_str(&binary)];
    all.extend_from_slice(args);
    run("runuser", &all);
}

fn run(program: &str, args: &[&str]) {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program} did not start: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    StdTcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/* ---------- the dashboard on a loopback port ---------- */

struct Served {
    base: String,
    metrics: MetricsService,
    http: reqwest::Client,
}

struct Reply {
    status: StatusCode,
    body: Value,
    took: Duration,
}

impl Served {
    /// Serves `url` as `serve` does, with `tune` applied to the settings.
    async fn start(url: &str, ttl: Duration, tune: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = settings();
        settings.pool_acquire_timeout_secs = 2;
        tune(&mut settings);
        let url: DatabaseUrl = url.parse().unwrap();
        let db = Db::connect_lazy(&url, &settings, Access::ReadOnly).unwrap();
        let mut context = context(db);
        context.statement_timeout = settings.statement_timeout();
        let metrics = MetricsService::new(context, ttl);
        let _ = metrics.check_database().await;
        let app = router(AppState::new(metrics.clone()), Limits::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            base: format!("http://{address}"),
            metrics,
            http: reqwest::Client::new(),
        }
    }

    async fn call(&self, method: Method, path: &str) -> Reply {
        let started = Instant::now();
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = response.status();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            body,
            took: started.elapsed(),
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path).await
    }

    /// Asks for the dashboard until it is fresh again; how long that took.
    async fn until_fresh(&self, limit: Duration) -> (Duration, Value) {
        let started = Instant::now();
        loop {
            let reply = self.get("/api/v1/dashboard").await;
            if reply.status == StatusCode::OK && reply.body["stale"] == false {
                return (started.elapsed(), reply.body);
            }
            assert!(
                started.elapsed() < limit,
                "no fresh dashboard within {limit:?}: {} {}",
                reply.status,
                reply.body
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The URL of a `#[sqlx::test]` database, as the dashboard would be configured.
fn url_of(pool: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL").unwrap();
    let mut url = url::Url::parse(&base).unwrap();
    url.set_path(pool.connect_options().get_database().unwrap());
    url.to_string()
}

fn assert_unavailable(what: &str, reply: &Reply) {
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: {}",
        reply.body
    );
    assert_eq!(
        reply.body["error"]["code"], "database_unavailable",
        "{what}"
    );
    let message = reply.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("PostgreSQL is running"),
        "{what}: the message says what to check: {message}"
    );
    for secret in [PASSWORD, "postgresql://", "postgres://"] {
        assert!(
            !message.contains(secret),
            "{what} leaks {secret}: {message}"
        );
    }
}

/// Panels that failed because the database was out of reach.
fn unreachable_panels(doc: &Value) -> Vec<String> {
    doc["panels"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, state)| state["code"] == "database_unavailable")
        .map(|(id, _)| id.clone())
        .collect()
}

/* ---------- log capture ---------- */

/// WARN and ERROR lines logged on this thread while the guard lives (tests run on a
/// current-thread runtime, so the server's tasks log here too).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let logs = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::WARN)
            .with_writer(move || logs.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        Self::include_this_thread();
        guard
    }

    /// Tests on other threads register and drop their own subscribers; tracing caches per
    /// call site whether anyone listens, so recompute that cache with this subscriber alive.
    fn include_this_thread() {
        tracing::callsite::rebuild_interest_cache();
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    fn count(&self, text: &str) -> usize {
        self.text()
            .lines()
            .filter(|line| line.contains("WARN") && line.contains(text))
            .count()
    }
}

/* ---------- tests ---------- */

#[tokio::test]
async fn a_database_down_at_start_is_reported_then_used_once_up_without_restart() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let cluster = Cluster::create().await;
    cluster.stop();

    let served = Served::start(&cluster.url(), Duration::from_secs(60), |_| {}).await;
    let health = served.get("/healthz").await;
    let ready = served.get("/readyz").await;

    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    let reason = ready.body["reason"].as_str().unwrap();
    assert!(reason.contains("connection refused"), "{reason}");
    assert!(!reason.contains(PASSWORD), "{reason}");
    for (method, path) in [
        (Method::GET, "/api/v1/dashboard"),
        (Method::GET, "/api/v1/dashboard?period=7d&type=市町村"),
        (Method::GET, "/api/v1/filters"),
        (Method::GET, "/api/v1/prefectures/26/municipalities"),
        (Method::POST, "/api/v1/refresh"),
    ] {
        let reply = served.call(method, path).await;
        assert_unavailable(path, &reply);
        assert!(
            reply.took < Duration::from_secs(1),
            "{path} waited {:?} instead of answering at once",
            reply.took
        );
    }
    // Many requests over several back-off windows: every answer is immediate, and the
    // outage is logged once, not once per attempt or per request.
    let until = Instant::now() + Duration::from_millis(3500);
    let mut asked = 0;
    while Instant::now() < until {
        let reply = served.get("/api/v1/dashboard?period=90d").await;
        assert_unavailable("while down", &reply);
        assert!(reply.took < Duration::from_secs(1), "{:?}", reply.took);
        asked += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(asked > 50, "only {asked} requests");
    assert_eq!(served.metrics.outages(), 1);
    assert_eq!(logs.count("the database is unavailable"), 1);
    let page = served.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.as_str().unwrap().contains("id=\"banner\""));

    let next_attempt = served.metrics.outage().unwrap().retry_in();
    cluster.start();
    Logs::include_this_thread();
    let (waited, doc) = served.until_fresh(Duration::from_secs(40)).await;

    assert!(
        waited <= next_attempt + Duration::from_secs(3),
        "fresh data after {waited:?}; the next attempt was due in {next_attempt:?}"
    );
    assert!(unreachable_panels(&doc).is_empty(), "{doc}");
    assert!(doc["cards"].as_array().is_some_and(|c| !c.is_empty()));
    assert_eq!(served.get("/readyz").await.status, StatusCode::OK);
    assert_eq!(served.get("/api/v1/filters").await.status, StatusCode::OK);
    assert_eq!(
        logs.count("the database is reachable again"),
        1,
        "{}",
        logs.text()
    );
    assert_eq!(
        logs.count("the database is unavailable"),
        1,
        "{}",
        logs.text()
    );
}

#[tokio::test]
async fn after_an_outage_the_last_data_is_served_marked_stale() {
    let cluster = Cluster::create().await;
    let served = Served::start(&cluster.url(), Duration::from_secs(1), |_| {}).await;
    let fresh = served.get("/api/v1/dashboard").await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    assert_eq!(fresh.body["stale"], false);
    assert!(fresh.body["stale_since"].is_null());

    cluster.stop();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let refresh = served.call(Method::POST, "/api/v1/refresh").await;
    let kept = served.get("/api/v1/dashboard").await;
    let filters = served.get("/api/v1/filters").await;

    assert_unavailable("refresh after the database stopped", &refresh);
    assert_eq!(kept.status, StatusCode::OK);
    assert!(kept.took < Duration::from_secs(1), "{:?}", kept.took);
    assert_eq!(kept.body["stale"], true);
    assert!(kept.body["stale_since"].as_str().is_some());
    let reason = kept.body["database_error"].as_str().unwrap();
    assert!(reason.contains("connection refused"), "{reason}");
    assert_eq!(kept.body["as_of"], fresh.body["as_of"]);
    assert_eq!(kept.body["cards"], fresh.body["cards"]);
    assert_eq!(kept.body["coverage"], fresh.body["coverage"]);
    assert_unavailable("filters while down", &filters);

    cluster.start();
    let (_, doc) = served.until_fresh(Duration::from_secs(40)).await;
    assert!(doc["database_error"].is_null());
    assert_eq!(doc["cards"], fresh.body["cards"]);
}

#[tokio::test]
async fn the_first_request_after_a_restart_succeeds() {
    let cluster = Cluster::create().await;
    let served = Served::start(&cluster.url(), Duration::from_secs(60), |_| {}).await;
    let before = served.get("/api/v1/dashboard").await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(served.get("/api/v1/filters").await.status, StatusCode::OK);
    assert!(
        served.metrics.context().db.pool_state().1 > 0,
        "idle connections to kill"
    );

    cluster.restart();
    let refresh = served.call(Method::POST, "/api/v1/refresh").await;
    cluster.restart();
    let filters = served.get("/api/v1/filters").await;
    cluster.restart();
    let drill = served.get("/api/v1/prefectures/26/municipalities").await;
    cluster.restart();
    let other = served.get("/api/v1/dashboard?period=7d").await;

    assert_eq!(refresh.status, StatusCode::OK, "{}", refresh.body);
    assert!(
        unreachable_panels(&refresh.body).is_empty(),
        "{}",
        refresh.body
    );
    assert_eq!(refresh.body["cards"], before.body["cards"]);
    assert_eq!(filters.status, StatusCode::OK, "{}", filters.body);
    assert_eq!(drill.status, StatusCode::OK, "{}", drill.body);
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    assert!(unreachable_panels(&other.body).is_empty(), "{}", other.body);
    assert_eq!(served.get("/readyz").await.status, StatusCode::OK);
    assert_eq!(served.metrics.outages(), 0, "a restart is not an outage");
}

/// Ends every session of the dashboard on this test's database; how many.
async fn terminate_ours(pool: &PgPool) -> i64 {
    let (ended,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'polibase-bi') AS ended",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    // Wait until the backends are gone, so that the next request meets dead connections.
    for _ in 0..50 {
        if sessions(pool, "TRUE").await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    ended
}

/// Sessions of the dashboard on this test's database matching `condition`.
async fn sessions(pool: &PgPool, condition: &str) -> i64 {
    let (count,): (i64,) = sqlx::query_as(&format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND application_name = 'polibase-bi' AND ({condition})"
    ))
    .fetch_one(pool)
    .await
    .unwrap();
    count
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn terminated_sessions_are_replaced_on_the_next_request(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let served = Served::start(&url_of(&pool), Duration::from_secs(60), |_| {}).await;
    let before = served.get("/api/v1/dashboard").await;
    assert_eq!(before.status, StatusCode::OK);

    assert!(terminate_ours(&pool).await > 0);
    let refresh = served.call(Method::POST, "/api/v1/refresh").await;
    assert!(terminate_ours(&pool).await > 0);
    let filters = served.get("/api/v1/filters").await;
    assert!(terminate_ours(&pool).await > 0);
    let drill = served.get("/api/v1/prefectures/13/municipalities").await;
    assert!(terminate_ours(&pool).await > 0);
    let ready = served.get("/readyz").await;

    assert_eq!(refresh.status, StatusCode::OK, "{}", refresh.body);
    assert!(
        unreachable_panels(&refresh.body).is_empty(),
        "{}",
        refresh.body
    );
    assert_eq!(refresh.body["cards"], before.body["cards"]);
    assert_eq!(filters.status, StatusCode::OK, "{}", filters.body);
    assert_eq!(drill.status, StatusCode::OK, "{}", drill.body);
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(served.metrics.outages(), 0);
}

/// Holds `LOCK TABLE conversations` until dropped (the transaction rolls back).
async fn lock_conversations(pool: &PgPool) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut lock = pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    lock
}

/// Panels that read `conversations`, from the panels' declared inputs.
fn conversation_panels() -> BTreeSet<String> {
    NEEDS
        .iter()
        .filter(|(_, needs)| needs.iter().any(|n| n.starts_with("conversations.")))
        .map(|(id, _)| id.to_string())
        .collect()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_blocked_table_times_out_only_its_panels_and_leaves_nothing_running(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let served = Served::start(&url_of(&pool), Duration::from_secs(60), |s| {
        s.statement_timeout_secs = 1;
        s.pool_acquire_timeout_secs = 10;
    })
    .await;
    let lock = lock_conversations(&pool).await;
    let computed = served.metrics.computations();

    let replies = futures::future::join_all(
        (0..10).map(|_| served.call(Method::POST, "/api/v1/refresh?period=7d")),
    )
    .await;

    assert_eq!(
        served.metrics.computations() - computed,
        1,
        "ten concurrent refreshes of one view share one computation"
    );
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body, replies[0].body);
    }
    let doc = &replies[0].body;
    let timed_out: BTreeSet<String> = doc["panels"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, state)| state["code"] == "timeout")
        .map(|(id, state)| {
            let message = state["message"].as_str().unwrap();
            assert!(message.contains("集計がタイムアウトしました"), "{message}");
            assert!(message.contains("上限 1 秒"), "{message}");
            id.clone()
        })
        .collect();
    // Every panel declared to read conversations timed out (others may read it too).
    assert!(conversation_panels().is_subset(&timed_out), "{doc}");
    for panel in NOT_CONVERSATIONS {
        assert!(doc["panels"].get(panel).is_none(), "{panel}: {doc}");
    }
    assert!(
        doc["coverage"].is_object() && doc["meetings"].is_object(),
        "{doc}"
    );
    assert!(doc["processing"].is_object(), "{doc}");

    lock.rollback().await.unwrap();
    let mut left = i64::MAX;
    for _ in 0..30 {
        left = sessions(
            &pool,
            "state = 'active' OR state LIKE 'idle in transaction%'",
        )
        .await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        left, 0,
        "queries of ours still running or idle in transaction"
    );
    let after = served.call(Method::POST, "/api/v1/refresh?period=7d").await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(
        after.body["panels"].as_object().unwrap().is_empty(),
        "{}",
        after.body
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_pool_limit_holds_under_load_and_overflow_gets_503(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let served = Served::start(&url_of(&pool), Duration::from_secs(60), |s| {
        s.pool_max = 2;
        s.pool_acquire_timeout_secs = 1;
        s.statement_timeout_secs = 2;
    })
    .await;
    let lock = lock_conversations(&pool).await;
    let most = Arc::new(AtomicI64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (pool, most, done) = (pool.clone(), most.clone(), done.clone());
        tokio::spawn(async move {
            let mut samples = 0;
            while !done.load(Ordering::Relaxed) {
                most.fetch_max(sessions(&pool, "TRUE").await, Ordering::Relaxed);
                samples += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            samples
        })
    };
    let mut paths = Vec::new();
    for period in ["7d", "30d", "90d", "365d"] {
        for kind in ["国", "都道府県", "市町村"] {
            for prefecture in ["", "&prefecture=26"] {
                paths.push(format!(
                    "/api/v1/dashboard?period={period}&type={kind}{prefecture}"
                ));
            }
        }
    }

    let replies = futures::future::join_all(paths.iter().map(|p| served.get(p))).await;
    let computed = served.metrics.computations();
    let refreshes = futures::future::join_all(
        (0..10).map(|_| served.call(Method::POST, "/api/v1/refresh?period=30d&prefecture=13")),
    )
    .await;
    done.store(true, Ordering::Relaxed);
    let samples = sampler.await.unwrap();
    drop(lock);

    assert_eq!(
        served.metrics.computations() - computed,
        1,
        "ten concurrent refreshes of one view share one computation"
    );
    for reply in &refreshes {
        assert_eq!(reply.status, refreshes[0].status, "{}", reply.body);
        assert_ne!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    }

    assert!(samples > 10, "only {samples} samples");
    let most = most.load(Ordering::Relaxed);
    assert!(
        (1..=2).contains(&most),
        "{most} connections of ours at once"
    );
    let mut busy = 0;
    for (path, reply) in paths.iter().zip(&replies) {
        match reply.status {
            StatusCode::OK => assert!(unreachable_panels(&reply.body).is_empty()),
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(reply.body["error"]["code"], "database_busy", "{path}");
                let message = reply.body["error"]["message"].as_str().unwrap();
                assert!(message.contains("retry"), "{message}");
                busy += 1;
            }
            other => panic!("{path}: {other} {}", reply.body),
        }
    }
    assert!(busy > 0, "no request waited past the acquire timeout");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn shutdown_cancels_background_refreshes_quietly(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_polibase-bi"))
        .arg("serve")
        .env_remove("RUST_LOG")
        .env("DATABASE_URL", url_of(&pool))
        .env("BIND_ADDRESS", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("BI_CACHE_TTL_SECS", "1")
        .env("BI_STATEMENT_TIMEOUT_SECS", "5")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server did not start");
    let first = http
        .get(format!("{base}/api/v1/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let lock = lock_conversations(&pool).await;
    // Served from memory; the refresh it starts in the background blocks on the lock.
    let second = http
        .get(format!("{base}/api/v1/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        sessions(&pool, "state = 'active'").await > 0,
        "a refresh is running"
    );

    let stopping = Instant::now();
    run("kill", &["-TERM", &child.id().to_string()]);
    let status = child.wait().unwrap();
    let took = stopping.elapsed();
    drop(lock);

    let mut logs = String::new();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read>),
    ]
    .into_iter()
    .flatten()
    {
        let mut stream = stream;
        stream.read_to_string(&mut logs).unwrap();
    }
    assert!(status.success(), "{status}: {logs}");
    assert!(logs.contains("polibase-bi stopped"), "{logs}");
    assert!(
        took < Duration::from_secs(4),
        "shutdown took {took:?}: {logs}"
    );
    let noisy: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .collect();
    assert!(noisy.is_empty(), "shutdown logged: {noisy:#?}");
}

/// The page's visible banner as (title, text), once it shows.
async fn banner(client: &fantoccini::Client) -> (String, String) {
    wait_for(
        client,
        "the banner",
        "return !document.getElementById('banner').hidden;",
        |shown| shown == true,
    )
    .await;
    (
        text_of(client, "#banner-title").await,
        text_of(client, "#banner-text").await,
    )
}

#[tokio::test]
async fn the_page_shows_a_database_banner_with_the_date_of_the_data() {
    let cluster = Cluster::create().await;
    let served = Served::start(&cluster.url(), Duration::from_secs(1), |_| {}).await;
    let i18n: Value = serde_json::from_str(include_str!("../../assets/i18n.json")).unwrap();
    let driver = Chromedriver::start().await;
    let (cluster, served, i18n) = (&cluster, &served, &i18n);

    browser::run(&driver, |client| async move {
        let base = &served.base;
        client.goto(&format!("{base}/")).await.unwrap();
        let rendered = "return document.getElementById('as-of').dateTime;";
        wait_for(&client, "the first render", rendered, |v| {
            v.as_str().is_some_and(|s| !s.is_empty())
        })
        .await;
        assert_eq!(
            js(&client, "return document.getElementById('banner').hidden;").await,
            true
        );
        let as_of = text_of(&client, "#as-of").await;
        let template = i18n["ja"]["as_of"].as_str().unwrap();
        let (before, after) = template.split_once("{time}").unwrap();
        let time = as_of.trim_start_matches(before).trim_end_matches(after);

        cluster.stop();
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let refresh = served.call(Method::POST, "/api/v1/refresh").await;
        assert_unavailable("refresh", &refresh);
        client.refresh().await.unwrap();
        let (title, text) = banner(&client).await;

        assert_eq!(title, i18n["ja"]["db_unavailable"]);
        let stale = i18n["ja"]["stale_server"].as_str().unwrap();
        assert!(text.contains(&stale.replace("{time}", time)), "{text}");
        assert!(text.contains(i18n["ja"]["db_retrying"].as_str().unwrap()));
        assert_eq!(
            js(
                &client,
                "return document.getElementById('stale-badge').hidden;"
            )
            .await,
            false
        );

        client.goto(&format!("{base}/?lang=en")).await.unwrap();
        let (title, text) = banner(&client).await;
        assert_eq!(title, i18n["en"]["db_unavailable"]);
        let stale = i18n["en"]["stale_server"].as_str().unwrap();
        let (prefix, _) = stale.split_once("{time}").unwrap();
        assert!(text.contains(prefix), "{text}");

        // A view never computed has no data to keep: the banner alone says why.
        client.goto(&format!("{base}/?period=7d")).await.unwrap();
        let (title, text) = banner(&client).await;
        assert_eq!(title, i18n["ja"]["db_unavailable"]);
        assert!(
            text.contains(i18n["ja"]["db_retrying"].as_str().unwrap()),
            "{text}"
        );
        assert!(text.contains("PostgreSQL is running"), "{text}");
    })
    .await;
}
