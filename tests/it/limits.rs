//! Request limits over a real socket: oversized bodies, over-long query strings and oversized
//! headers each get a clear status (and the JSON envelope where the dashboard answers itself).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{MIGRATIONS, serve};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn envelope(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(response.headers().contains_key("content-security-policy"));
    assert_eq!(content_type, "application/json");
    (status, response.json().await.unwrap())
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_oversized_body_is_413_in_the_json_envelope(pool: PgPool) {
    let base = serve(pool).await;

    let small = client()
        .post(format!("{base}/api/v1/refresh"))
        .body(vec![b'x'; 100])
        .send()
        .await
        .unwrap();
    let large = client()
        .post(format!("{base}/api/v1/refresh"))
        .body(vec![b'x'; 64 * 1024])
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(large).await;

    assert_eq!(small.status(), StatusCode::OK);
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("65536 bytes")
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_over_long_query_string_is_414_in_the_json_envelope(pool: PgPool) {
    let base = serve(pool).await;
    let long = "a".repeat(3000);

    let api = client()
        .get(format!("{base}/api/v1/dashboard?type={long}"))
        .send()
        .await
        .unwrap();
    let page = client()
        .get(format!("{base}/?lang={long}"))
        .send()
        .await
        .unwrap();
    let (api_status, api_body) = envelope(api).await;
    let (page_status, _) = envelope(page).await;

    assert_eq!(api_status, StatusCode::URI_TOO_LONG);
    assert_eq!(page_status, StatusCode::URI_TOO_LONG);
    assert_eq!(api_body["error"]["code"], "invalid_parameter");
    assert!(
        api_body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most")
    );
}

/// Sends raw bytes and returns the status code of the answer, if any.
async fn raw_status(base: &str, request: &[u8]) -> Option<u16> {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    // The server may answer and close before reading everything; that is fine.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn oversized_headers_are_431(pool: PgPool) {
    let base = serve(pool).await;
    let many: String = (0..200).map(|i| format!("x-filler-{i}: {i}\r\n")).collect();
    let huge = format!("cookie: {}\r\n", "c".repeat(1024 * 1024));

    let normal = raw_status(
        &base,
        b"GET /healthz HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n",
    );
    let count = format!("GET /healthz HTTP/1.1\r\nhost: a\r\n{many}connection: close\r\n\r\n");
    let size = format!("GET /healthz HTTP/1.1\r\nhost: a\r\n{huge}connection: close\r\n\r\n");

    assert_eq!(normal.await, Some(200));
    assert_eq!(raw_status(&base, count.as_bytes()).await, Some(431));
    assert_eq!(raw_status(&base, size.as_bytes()).await, Some(431));
}
