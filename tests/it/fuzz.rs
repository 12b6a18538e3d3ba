//! Property test of the HTTP layer over a real fixture database: random query strings, path
//! parameters and `Authorization` headers on every endpoint, with access control off and on,
//! never give a 500 or a panic, every non-2xx API answer is the JSON envelope, and every answer
//! carries the security headers.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, Uri, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http_body_util::BodyExt;
use polibase_bi::auth::AuthSettings;
use polibase_bi::http::{AppState, Limits, router, router_with_access};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;

use crate::metrics::FIXTURE;
use crate::support::{MIGRATIONS, exec, service};

/// Cases per run: enough to reach every route with many shapes, under 30 s in a debug build.
const CASES: u32 = 1000;

/// Every route: method and path, `{}` standing for a random path parameter.
const ROUTES: [(&str, &str); 9] = [
    ("GET", "/"),
    ("GET", "/api/v1/dashboard"),
    ("GET", "/api/v1/filters"),
    ("GET", "/api/v1/prefectures/{}/municipalities"),
    ("POST", "/api/v1/refresh"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/assets/{}"),
    ("GET", "/api/v1/export/{}.csv"),
];

const USER: &str = "fuzzer";
const PASSWORD: &str = "ふぁず-pass";
const TOKEN: &str = "fuzz-token";

const KEYS: [&str; 7] = [
    "period",
    "type",
    "prefecture",
    "conference",
    "from",
    "to",
    "lang",
];

const VALUES: [&str; 24] = [
    "7d",
    "30d",
    "90d",
    "365d",
    "all",
    "custom",
    "1",
    "2",
    "5",
    "999",
    "13",
    "26",
    "01",
    "47",
    "48",
    "市町村",
    "国",
    "都道府県",
    "2026-03-01",
    "2026-03-10",
    "2026-02-30",
    "ja",
    "en",
    "",
];

const SEGMENTS: [&str; 8] = [
    "13", "01", "47", "00", "coverage", "activity", "app.js", "..",
];

#[derive(Clone, Debug)]
struct Case {
    route: usize,
    segment: String,
    params: Vec<(String, String, bool)>,
    /// Whether the request goes to the server with access control on.
    guarded: bool,
    authorization: Option<String>,
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(VALUES.to_vec()).prop_map(str::to_string),
        3 => "\\PC{0,24}",
        2 => "[0-9a-zA-Z%+&=;.~-]{0,16}",
        1 => "%[0-9A-Fa-fGZ]{0,2}[%a-z]{0,3}",
        1 => (1usize..5000).prop_map(|n| "長".repeat(n / 3 + 1)),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(KEYS.to_vec()).prop_map(str::to_string),
        1 => "\\PC{0,10}",
        1 => "[a-z%=&]{0,6}",
    ]
}

fn case() -> impl Strategy<Value = Case> {
    let segment = prop_oneof![
        prop::sample::select(SEGMENTS.to_vec()).prop_map(str::to_string),
        "\\PC{0,12}",
    ];
    let params = prop::collection::vec((key(), text(), any::<bool>()), 0..6);
    let access = (any::<bool>(), prop::option::of(authorization()));
    (0..ROUTES.len(), segment, params, access).prop_map(
        |(route, segment, params, (guarded, authorization))| Case {
            route,
            segment,
            params,
            guarded,
            authorization,
        },
    )
}

/// `Authorization` values: well-formed basic and bearer credentials, right and wrong, and junk.
fn authorization() -> impl Strategy<Value = String> {
    let login = prop_oneof![
        Just(format!("{USER}:{PASSWORD}")),
        Just(format!("nobody:{PASSWORD}")),
        "\\PC{0,20}",
    ];
    prop_oneof![
        login.prop_map(|text| format!("Basic {}", STANDARD.encode(text))),
        prop_oneof![Just(TOKEN.to_string()), "[ -~]{0,40}"].prop_map(|t| format!("Bearer {t}")),
        "[ -~]{0,60}",
    ]
}

/// Percent-encodes for a query or path; `raw` keeps the text as typed when the URI allows it.
fn encode(text: &str, raw: bool) -> String {
    if raw
        && text
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"#\"<>\\^`{|}".contains(&b))
    {
        return text.to_string();
    }
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn uri(case: &Case) -> Uri {
    let path = ROUTES[case.route]
        .1
        .replace("{}", &encode(&case.segment, false).replace('+', "%20"));
    let query: Vec<String> = case
        .params
        .iter()
        .map(|(k, v, raw)| format!("{}={}", encode(k, *raw), encode(v, *raw)))
        .collect();
    let text = if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    };
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

async fn check(apps: Apps, case: Case) -> Result<(), TestCaseError> {
    let uri = uri(&case);
    let method: Method = ROUTES[case.route].0.parse().unwrap();
    let mut request = Request::builder().method(method).uri(uri.clone());
    if let Some(value) = &case.authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    let app = if case.guarded {
        apps.guarded
    } else {
        apps.open
    };
    let response = app
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();

    let status = parts.status;
    prop_assert!(
        status != StatusCode::INTERNAL_SERVER_ERROR,
        "{uri}: {status}"
    );
    prop_assert!(status.as_u16() < 500 || status == StatusCode::SERVICE_UNAVAILABLE);
    security_headers(&parts.headers, &uri)?;
    if uri.path().starts_with("/api/") && !status.is_success() {
        let json: Value = serde_json::from_slice(&body)
            .map_err(|e| TestCaseError::fail(format!("{uri}: {status} not JSON: {e}")))?;
        prop_assert!(json["error"]["code"].is_string(), "{uri}: {json}");
        prop_assert!(json["error"]["message"].is_string(), "{uri}: {json}");
    }
    Ok(())
}

fn security_headers(headers: &HeaderMap, uri: &Uri) -> Result<(), TestCaseError> {
    for name in [
        header::CONTENT_SECURITY_POLICY,
        header::X_CONTENT_TYPE_OPTIONS,
        header::REFERRER_POLICY,
        header::X_FRAME_OPTIONS,
    ] {
        prop_assert!(headers.contains_key(&name), "{uri}: no {name}");
    }
    Ok(())
}

/// The same dashboard without and with access control.
#[derive(Clone)]
struct Apps {
    open: Router,
    guarded: Router,
}

fn apps(pool: PgPool, users: &std::path::Path) -> Apps {
    let settings = AuthSettings {
        auth_users_file: Some(users.to_path_buf()),
        api_token: Some(TOKEN.into()),
    };
    let metrics = service(pool);
    Apps {
        open: router(AppState::new(metrics.clone()), Limits::default()),
        guarded: router_with_access(
            AppState::new(metrics),
            Limits::default(),
            settings.access().unwrap(),
        ),
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn random_requests_never_fail_the_server(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let dir = tempfile::TempDir::new().unwrap();
    let users = dir.path().join("users");
    let hash = polibase_bi::auth::hash_password(PASSWORD).unwrap();
    std::fs::write(&users, format!("{USER}:{hash}\n")).unwrap();
    let apps = apps(pool, &users);
    let handle = tokio::runtime::Handle::current();
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };

    let outcome = tokio::task::spawn_blocking(move || {
        let mut runner = TestRunner::new(config);
        runner
            .run(&case(), |case| handle.block_on(check(apps.clone(), case)))
            .map_err(|err| err.to_string())
    })
    .await
    .unwrap();

    assert_eq!(outcome, Ok(()));
}
