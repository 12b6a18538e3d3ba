//! Access control in front of every route: HTTP basic auth against the users file for the page,
//! assets and API, a bearer token for the API, and nothing for the probes.
//!
//! Password verification is slow on purpose (argon2, bcrypt), so it runs on blocking threads,
//! at most one per core at a time, and a success is remembered for a short while under a
//! salted digest of the credentials: a page load with many asset requests verifies once. The
//! `Authorization` header and passwords are never logged.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use moka::future::Cache;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

use super::error::ApiError;
use crate::auth::Users;

/// Paths that stay open whatever the settings: container and load-balancer probes.
const OPEN_PATHS: [&str; 2] = ["/healthz", "/readyz"];
/// `/metrics` is guarded by its own token (`BI_METRICS_TOKEN`).
const OWN_GUARD: [&str; 1] = ["/metrics"];
/// How long a verified login is remembered.
const REMEMBER: Duration = Duration::from_secs(120);
const BASIC_CHALLENGE: &str = r#"Basic realm="polibase-bi", charset="UTF-8""#;
const BEARER_CHALLENGE: &str = r#"Bearer realm="polibase-bi""#;

/// Who may use the dashboard. The default lets everyone in.
#[derive(Clone, Default)]
pub struct Access {
    policy: Option<Arc<Policy>>,
}

struct Policy {
    users: Option<Users>,
    token: Option<[u8; 32]>,
    salt: [u8; 32],
    verified: Cache<[u8; 32], ()>,
    verifying: Semaphore,
}

impl Access {
    /// A policy from an optional users file and an optional API token; with neither, open.
    pub fn new(users: Option<Users>, api_token: Option<String>) -> Self {
        if users.is_none() && api_token.is_none() {
            return Self::default();
        }
        let mut salt = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut salt);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let policy = Policy {
            users,
            token: api_token.map(|t| Sha256::digest(t.as_bytes()).into()),
            salt,
            verified: Cache::builder()
                .max_capacity(1024)
                .time_to_live(REMEMBER)
                .build(),
            verifying: Semaphore::new(cores),
        };
        Self {
            policy: Some(Arc::new(policy)),
        }
    }

    /// Whether anyone who reaches the server may read the dashboard.
    pub fn is_open(&self) -> bool {
        self.policy.is_none()
    }
}

/// Middleware: lets a request through or answers 401.
pub async fn require(State(access): State<Access>, request: Request, next: Next) -> Response {
    let Some(policy) = access.policy.as_deref() else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if OPEN_PATHS.contains(&path) || OWN_GUARD.contains(&path) {
        return next.run(request).await;
    }
    let api = path == "/api" || path.starts_with("/api/");
    if !api && policy.users.is_none() {
        // A token alone protects the API only; the page shell holds no data.
        return next.run(request).await;
    }
    if policy.admits(request.headers(), api).await {
        next.run(request).await
    } else {
        policy.refuse(api)
    }
}

impl Policy {
    async fn admits(&self, headers: &HeaderMap, api: bool) -> bool {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return false;
        };
        let Some((scheme, credentials)) = value.to_str().ok().and_then(|v| v.split_once(' '))
        else {
            return false;
        };
        if scheme.eq_ignore_ascii_case("bearer") {
            return api && self.token_matches(credentials.trim());
        }
        if scheme.eq_ignore_ascii_case("basic") {
            return self.basic_matches(credentials.trim()).await;
        }
        false
    }

    fn token_matches(&self, sent: &str) -> bool {
        let Some(token) = &self.token else {
            return false;
        };
        // Digests have one length, so the comparison reveals neither content nor length.
        let sent: [u8; 32] = Sha256::digest(sent.as_bytes()).into();
        sent.ct_eq(token).into()
    }

    async fn basic_matches(&self, encoded: &str) -> bool {
        let Some(users) = &self.users else {
            return false;
        };
        let Some((user, password)) = decode_basic(encoded) else {
            return false;
        };
        let key = self.cache_key(&user, &password);
        if self.verified.contains_key(&key) {
            return true;
        }
        let Ok(_permit) = self.verifying.acquire().await else {
            return false;
        };
        let (users, name) = (users.clone(), user.clone());
        let ok = tokio::task::spawn_blocking(move || users.verify(&name, &password))
            .await
            .unwrap_or(false);
        if ok {
            self.verified.insert(key, ()).await;
        } else {
            tracing::info!(user = %user, "a login was refused");
        }
        ok
    }

    /// A salted digest of the credentials: the cache never holds a password.
    fn cache_key(&self, user: &str, password: &str) -> [u8; 32] {
        let mut digest = Sha256::new();
        digest.update(self.salt);
        digest.update(user.as_bytes());
        digest.update([0]);
        digest.update(password.as_bytes());
        digest.finalize().into()
    }

    fn refuse(&self, api: bool) -> Response {
        let mut response = if api {
            ApiError::Unauthorized.into_response()
        } else {
            let text = "ログインが必要です / authentication required\n";
            (StatusCode::UNAUTHORIZED, text).into_response()
        };
        let headers = response.headers_mut();
        if self.users.is_some() {
            headers.append(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(BASIC_CHALLENGE),
            );
        }
        if api && self.token.is_some() {
            headers.append(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(BEARER_CHALLENGE),
            );
        }
        response
    }
}

/// `user` and `password` from the base64 part of a basic `Authorization` header.
fn decode_basic(encoded: &str) -> Option<(String, String)> {
    let bytes = STANDARD.decode(encoded).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}
