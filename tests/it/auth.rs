//! Access control: basic auth (argon2 and bcrypt users), the API token, open probes, the 401
//! envelope, a bad users file stopping `serve`, and `hash-password` lines that verify.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use http_body_util::BodyExt;
use polibase_bi::auth::AuthSettings;
use polibase_bi::http::{AppState, Limits, router_with_access};
use serde_json::Value;
use sqlx::PgPool;
use tempfile::TempDir;
use tower::ServiceExt;

use crate::support::{MIGRATIONS, service};

const BIN: &str = env!("CARGO_BIN_EXE_polibase-bi");
const CHALLENGE: &str = r#"Basic realm="polibase-bi", charset="UTF-8""#;

/// A users file with an argon2 user `ayame` and a bcrypt user `botan`.
fn users_file(dir: &TempDir) -> std::path::PathBuf {
    let argon = polibase_bi::auth::hash_password("あやめ-pass").unwrap();
    let bcrypt = bcrypt::hash("botan-pass", 4).unwrap();
    let path = dir.path().join("users");
    let text = format!("# dashboard users\n\nayame:{argon}\nbotan:{bcrypt}\n");
    std::fs::write(&path, text).unwrap();
    path
}

fn app(pool: PgPool, users: Option<&Path>, token: Option<&str>) -> Router {
    let settings = AuthSettings {
        auth_users_file: users.map(Path::to_path_buf),
        api_token: token.map(str::to_string),
    };
    let access = settings.access().unwrap();
    router_with_access(AppState::new(service(pool)), Limits::default(), access)
}

fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

async fn get(app: &Router, uri: &str, authorization: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn without_credentials_everything_but_the_probes_is_401(pool: PgPool) {
    let dir = TempDir::new().unwrap();
    let app = app(pool, Some(&users_file(&dir)), None);

    let page = get(&app, "/", None).await;
    let asset = get(&app, "/assets/app.js", None).await;
    let api = get(&app, "/api/v1/dashboard", None).await;
    let health = get(&app, "/healthz", None).await;
    let ready = get(&app, "/readyz", None).await;

    for reply in [&page, &asset, &api] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.headers[header::WWW_AUTHENTICATE], CHALLENGE);
        assert!(reply.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    }
    assert_eq!(api.json()["error"]["code"], "unauthorized");
    assert!(
        api.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("BI_AUTH_USERS_FILE")
    );
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(ready.status, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn argon2_and_bcrypt_users_get_in_with_their_own_password_only(pool: PgPool) {
    let dir = TempDir::new().unwrap();
    let app = app(pool, Some(&users_file(&dir)), None);
    let cases = [
        (basic("ayame", "あやめ-pass"), StatusCode::OK),
        (basic("botan", "botan-pass"), StatusCode::OK),
        (basic("ayame", "botan-pass"), StatusCode::UNAUTHORIZED),
        (basic("botan", "あやめ-pass"), StatusCode::UNAUTHORIZED),
        (basic("botan", "botan-pass "), StatusCode::UNAUTHORIZED),
        (basic("nobody", "botan-pass"), StatusCode::UNAUTHORIZED),
        ("Basic not-base64!".to_string(), StatusCode::UNAUTHORIZED),
        ("Bearer botan-pass".to_string(), StatusCode::UNAUTHORIZED),
    ];

    for (authorization, expected) in cases {
        let page = get(&app, "/", Some(&authorization)).await;
        let api = get(&app, "/api/v1/dashboard", Some(&authorization)).await;

        assert_eq!(page.status, expected, "{authorization}");
        assert_eq!(api.status, expected, "{authorization}");
        if expected == StatusCode::UNAUTHORIZED {
            assert_eq!(api.json()["error"]["code"], "unauthorized");
        }
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_api_token_opens_the_api_but_not_the_page(pool: PgPool) {
    let dir = TempDir::new().unwrap();
    let app = app(
        pool,
        Some(&users_file(&dir)),
        Some("token-0123456789abcdef"),
    );

    let api = get(
        &app,
        "/api/v1/filters",
        Some("Bearer token-0123456789abcdef"),
    )
    .await;
    let wrong = get(
        &app,
        "/api/v1/filters",
        Some("Bearer token-0123456789abcdeF"),
    )
    .await;
    let shorter = get(&app, "/api/v1/filters", Some("Bearer token")).await;
    let page = get(&app, "/", Some("Bearer token-0123456789abcdef")).await;

    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(shorter.status, StatusCode::UNAUTHORIZED);
    let challenges: Vec<_> = wrong
        .headers
        .get_all(header::WWW_AUTHENTICATE)
        .iter()
        .collect();
    assert_eq!(challenges.len(), 2, "{challenges:?}");
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_token_alone_guards_the_api_and_leaves_the_page_open(pool: PgPool) {
    let app = app(pool, None, Some("only-token"));

    let page = get(&app, "/", None).await;
    let api = get(&app, "/api/v1/dashboard", None).await;
    let with_token = get(&app, "/api/v1/dashboard", Some("Bearer only-token")).await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        api.headers[header::WWW_AUTHENTICATE],
        r#"Bearer realm="polibase-bi""#
    );
    assert_eq!(with_token.status, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_verified_login_is_remembered_for_the_following_requests(pool: PgPool) {
    let dir = TempDir::new().unwrap();
    let app = app(pool, Some(&users_file(&dir)), None);
    let login = basic("ayame", "あやめ-pass");

    let started = Instant::now();
    let first = get(&app, "/healthz-not-open", Some(&login)).await;
    let verification = started.elapsed();
    let started = Instant::now();
    for _ in 0..10 {
        assert_eq!(
            get(&app, "/assets/none.js", Some(&login)).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let ten_cached = started.elapsed();

    assert_eq!(first.status, StatusCode::NOT_FOUND);
    assert!(
        ten_cached < verification * 3,
        "one verification took {verification:?}, ten remembered requests {ten_cached:?}"
    );
}

fn serve_with_users_file(contents: Option<&str>) -> (std::process::Output, TempDir) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("users.txt");
    if let Some(text) = contents {
        std::fs::write(&path, text).unwrap();
    }
    let output = Command::new(BIN)
        .args(["serve", "--port", "0", "--bind", "127.0.0.1"])
        .env("BI_AUTH_USERS_FILE", &path)
        .env("BI_DEMO_PATH", dir.path().join("demo.sqlite"))
        .env_remove("DATABASE_URL")
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (output, dir)
}

#[test]
fn serve_refuses_a_bad_users_file_with_exit_code_2() {
    let good = bcrypt::hash("x", 4).unwrap();
    let cases = [
        (None, "cannot read the users file"),
        (Some(format!("a:{good}\nbroken line\n")), "line 2"),
        (
            Some(format!("# c\n\na:{good}\nb:$1$salt$hash\n")),
            "line 4: unknown hash scheme",
        ),
        (Some("# nobody\n".to_string()), "names no user"),
    ];

    for (contents, words) in cases {
        let (output, dir) = serve_with_users_file(contents.as_deref());
        let stderr = String::from_utf8_lossy(&output.stderr);

        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
        assert!(stderr.contains("users.txt"), "{stderr}");
        assert!(!stderr.contains(&good), "{stderr}");
        assert!(
            !dir.path().join("demo.sqlite").exists(),
            "the demo file was created"
        );
        assert!(!stderr.contains("listening"), "{stderr}");
    }
}

fn hash_password(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(BIN)
        .arg("hash-password")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn hash_password_prints_a_line_that_logs_in(pool: PgPool) {
    let output = hash_password(&["kikyo"], "秘密 の pass\n");
    let line = String::from_utf8(output.stdout).unwrap();
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("users");
    std::fs::write(&path, &line).unwrap();

    let app = app(pool, Some(&path), None);
    let right = get(
        &app,
        "/api/v1/filters",
        Some(&basic("kikyo", "秘密 の pass")),
    )
    .await;
    let wrong = get(
        &app,
        "/api/v1/filters",
        Some(&basic("kikyo", "秘密 の pass\n")),
    )
    .await;

    assert!(output.status.success());
    assert!(line.starts_with("kikyo:$argon2id$"), "{line}");
    assert_eq!(line.lines().count(), 1);
    assert_eq!(right.status, StatusCode::OK);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

#[test]
fn hash_password_rejects_empty_input_and_bad_names() {
    let empty = hash_password(&["kikyo"], "\n");
    let colon = hash_password(&["ki:kyo"], "pw\n");
    let bare = hash_password(&[], "pw\n");

    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("no password"));
    assert_eq!(colon.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&colon.stderr).contains("`:`"));
    assert!(String::from_utf8_lossy(&bare.stdout).starts_with("$argon2id$"));
}

/// A `serve` process on a free port of all interfaces, and its log so far.
struct Server {
    child: std::process::Child,
    base: String,
    log: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    async fn start(pool: &PgPool, env: &[(&str, &str)]) -> Self {
        let options = pool.connect_options();
        let db: String = sqlx::query_scalar("SELECT current_database()")
            .fetch_one(pool)
            .await
            .unwrap();
        let url = format!(
            "postgres://{}@{}:{}/{db}",
            options.get_username(),
            options.get_host(),
            options.get_port()
        );
        let mut child = Command::new(BIN)
            .args(["serve", "--bind", "0.0.0.0", "--port", "0"])
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "debug")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = lines(child.stderr.take().unwrap());
        let mut seen = Vec::new();
        let base = loop {
            let line = log
                .recv_timeout(std::time::Duration::from_secs(30))
                .unwrap();
            seen.push(line.clone());
            if let Some(at) = line.find("open http://127.0.0.1:") {
                let url = line[at + 5..].split_whitespace().next().unwrap();
                break url.trim_end_matches('/').to_string();
            }
        };
        // Start-up logging is over once the server answers.
        let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
        assert_eq!(health.status(), 200);
        Self {
            child,
            base,
            log,
            seen,
        }
    }

    /// Stops the server and returns everything it logged.
    fn stop(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.seen.extend(self.log.iter());
        self.seen.join("\n")
    }
}

fn lines(stderr: std::process::ChildStderr) -> std::sync::mpsc::Receiver<String> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn serve_logs_no_secret_and_warns_only_without_auth(pool: PgPool) {
    let dir = TempDir::new().unwrap();
    let users = users_file(&dir);
    let guarded = Server::start(
        &pool,
        &[
            ("BI_AUTH_USERS_FILE", users.to_str().unwrap()),
            ("BI_API_TOKEN", "tok-secret-31415"),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let base = guarded.base.clone();
    let mut statuses = Vec::new();
    for (user, password) in [("ayame", "wrong-pass-27182"), ("ayame", "あやめ-pass")] {
        let response = client
            .get(format!("{base}/api/v1/filters"))
            .basic_auth(user, Some(password))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    let bearer = client
        .get(format!("{base}/api/v1/filters"))
        .bearer_auth("tok-secret-31415")
        .send()
        .await
        .unwrap();
    statuses.push(bearer.status().as_u16());
    let guarded_log = guarded.stop();
    let open_log = Server::start(&pool, &[]).await.stop();

    assert_eq!(statuses, [401, 200, 200]);
    assert!(
        guarded_log.contains("listening on all interfaces"),
        "{guarded_log}"
    );
    for secret in [
        "wrong-pass-27182",
        "あやめ-pass",
        "tok-secret-31415",
        basic("ayame", "wrong-pass-27182").trim_start_matches("Basic "),
        "$argon2id$",
    ] {
        assert!(!guarded_log.contains(secret), "{secret} in\n{guarded_log}");
    }
    assert!(!guarded_log.contains("WARN"), "{guarded_log}");
    let warning = open_log
        .lines()
        .find(|l| l.contains("WARN"))
        .unwrap_or_default();
    assert!(warning.contains("BI_AUTH_USERS_FILE"), "{open_log}");
}
