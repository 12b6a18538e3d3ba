//! The page in a real browser: Debian's `chromium` driven through `chromedriver` against a
//! server on a loopback port. Every chart draws, hostile names stay text, and the period
//! control, the refresh button, the prefecture map and the export links do what they say.

use std::future::Future;
use std::net::TcpListener as StdTcpListener;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{MIGRATIONS, exec, serve};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const SCREENSHOT: &str = "/tmp/e2e.png";
const INSTALL: &str = "apt-get install chromium chromium-driver";
/// The longest wait for anything the page does; polling stops as soon as it is done.
const TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);

/// Names that would run script or change markup if the page ever treated data as HTML.
const BODY_NAME: &str = "<img src=x onerror=alert(1)>";
const CONFERENCE_NAME: &str = "<script>window.__pwned=1</script>";
const PARTY_NAME: &str = "&amp;";

/// Data for every chart and table in a 30-day and a 7-day window ending 2026-03-10 (the
/// frozen "now" of the tests). The hostile names are set afterwards with bound parameters.
const FIXTURE: &str = "
INSERT INTO governing_bodies (id, name, type, organization_code, organization_type, created_at)
VALUES (1, '日本国', '国', NULL, NULL, '2026-01-01'),
       (2, '京都府', '都道府県', '260002', '都道府県', '2026-01-01'),
       (3, 'body', '市町村', '261009', '市', '2026-01-01'),
       (4, '葛飾区', '市町村', '131229', '特別区', '2026-01-01'),
       (5, '都城市', '市町村', '452025', '市', '2026-01-01');
INSERT INTO conferences (id, name, type, governing_body_id)
VALUES (1, '衆議院', '議院', 1), (2, 'conference', '市議会', 3), (3, '本会議', '区議会', 4);
INSERT INTO meetings (id, conference_id, date, created_at)
VALUES (1, 1, '2026-03-09', '2026-03-09 10:00'), (2, 1, '2026-03-05', '2026-03-05 00:00'),
       (3, 2, '2026-03-06', '2026-03-06 00:00'), (4, 2, '2025-11-20', '2025-11-20 00:00'),
       (5, 3, '2026-02-20', '2026-02-20 00:00');
INSERT INTO minutes (id, meeting_id, processed_at, created_at)
VALUES (1, 1, '2026-03-09 10:00', '2026-03-09 09:00'), (2, 2, NULL, '2026-03-05 00:00'),
       (3, 3, '2026-03-06 00:00', '2026-03-06 00:00'), (4, 5, '2026-02-21 00:00', '2026-02-20');
INSERT INTO political_parties (id, name) VALUES (1, '自由民主党'), (2, 'party');
INSERT INTO politicians (id, name, political_party_id, created_at)
VALUES (1, '議員甲', 1, '2026-03-08 10:00'), (2, '議員乙', 2, '2026-03-07 10:00');
INSERT INTO speakers (id, name, type, is_politician, politician_id, created_at)
VALUES (1, '甲', '政治家', TRUE, 1, '2026-03-08 10:00'), (2, '乙', '政治家', TRUE, 2, '2026-03-07'),
       (3, '丙', '参考人', FALSE, NULL, '2026-03-06');
INSERT INTO conversations (id, minutes_id, speaker_id, comment, sequence_number)
VALUES (1, 1, 1, 'a', 1), (2, 1, 2, 'b', 2), (3, 1, 3, 'c', 3), (4, 1, NULL, 'd', 4),
       (5, 3, 2, 'e', 1), (6, 3, 3, 'f', 2), (7, 3, 3, 'g', 3), (8, 3, NULL, 'h', 4),
       (9, 4, 1, 'i', 1), (10, 2, 1, 'j', 1);
INSERT INTO llm_processing_history (processing_type, model_name, model_version,
    input_reference_type, input_reference_id, status, started_at, completed_at, created_at)
VALUES ('minutes_division', 'm', '1', 'minutes', 1, 'completed',
        '2026-03-01 00:00:00', '2026-03-01 00:00:10', '2026-03-01'),
       ('minutes_division', 'm', '1', 'minutes', 2, 'failed',
        '2026-03-09 00:00:00', '2026-03-09 00:00:30', '2026-03-09'),
       ('speaker_matching', 'm', '1', 'speakers', 1, 'completed',
        '2026-02-01 00:00:00', '2026-02-01 00:00:05', '2026-02-01'),
       ('speaker_matching', 'm', '1', 'speakers', 2, 'pending', NULL, NULL, '2026-03-09')
";

async fn insert_fixture(pool: &PgPool) {
    exec(pool, FIXTURE).await;
    for (sql, name) in [
        (
            "UPDATE governing_bodies SET name = $1 WHERE id = 3",
            BODY_NAME,
        ),
        (
            "UPDATE conferences SET name = $1 WHERE id = 2",
            CONFERENCE_NAME,
        ),
        (
            "UPDATE political_parties SET name = $1 WHERE id = 2",
            PARTY_NAME,
        ),
    ] {
        sqlx::query(sql).bind(name).execute(pool).await.unwrap();
    }
}

/// A `chromedriver` this test started, in a process group of its own so that dropping the
/// guard (also while a failed assertion unwinds) ends it together with the browsers it ran.
pub(crate) struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    pub(crate) async fn start() -> Self {
        for (path, what) in [(CHROMEDRIVER, "chromedriver"), (CHROMIUM, "chromium")] {
            assert!(
                Path::new(path).is_file(),
                "{what} is missing at {path}: the browser test needs it ({INSTALL})"
            );
        }
        let port = free_port();
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("{CHROMEDRIVER} did not start ({e}): {INSTALL}"))
        };
        let driver = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        driver.wait_until_ready().await;
        driver
    }

    async fn wait_until_ready(&self) {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let status = http.get(format!("{}/status", self.url)).send().await;
            if let Ok(response) = status {
                let body: Value = response.json().await.unwrap_or_default();
                if body["value"]["ready"] == true {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on {} within {TIMEOUT:?}",
                self.url
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and every chromium process it launched.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    StdTcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn capabilities() -> Capabilities {
    let value = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,2400",
                "--lang=ja"
            ],
            "prefs": {"intl.accept_languages": "ja"}
        },
        "goog:loggingPrefs": {"browser": "ALL"}
    });
    match value {
        Value::Object(map) => map,
        _ => unreachable!(),
    }
}

/// chromedriver's console log: the entries logged since the previous call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// Collects console entries and prints each once.
#[derive(Default)]
struct Console {
    entries: Vec<Value>,
}

impl Console {
    async fn collect(&mut self, client: &Client) {
        let log = client.issue_cmd(BrowserLog).await.unwrap();
        for entry in log.as_array().cloned().unwrap_or_default() {
            println!("console {}: {}", entry["level"], entry["message"]);
            self.entries.push(entry);
        }
    }

    /// Proves that console messages reach the test at all, so "no errors" means something.
    async fn probe(&mut self, client: &Client) {
        js(client, "console.warn('console probe');").await;
        self.collect(client).await;
        assert!(
            self.entries.iter().any(|e| e["message"]
                .as_str()
                .is_some_and(|m| m.contains("console probe"))),
            "the browser console cannot be read: {:?}",
            self.entries
        );
    }

    fn assert_no_errors(&self) {
        let severe: Vec<&Value> = self
            .entries
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .collect();
        assert!(severe.is_empty(), "console errors: {severe:#?}");
    }
}

/// Runs `script` until it returns something `done` accepts; panics with `what` and the last
/// value after `TIMEOUT`.
pub(crate) async fn wait_for(
    client: &Client,
    what: &str,
    script: &str,
    done: impl Fn(&Value) -> bool,
) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let value = client.execute(script, vec![]).await.unwrap();
        if done(&value) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; last: {value}"
        );
        tokio::time::sleep(POLL).await;
    }
}

pub(crate) async fn js(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.unwrap()
}

/// True once no request is pending and every chart has left its loading state.
const CHARTS_SETTLED: &str = "
    const charts = [...document.querySelectorAll('[data-chart]')];
    return charts.length > 0
        && !document.body.classList.contains('is-loading')
        && !document.getElementById('refresh').disabled
        && charts.every((c) => c.dataset.state !== 'loading' && c.querySelector('svg, canvas'));
";

/// Every chart container: its name, state, what it drew and its size.
const CHART_REPORT: &str = "
    return [...document.querySelectorAll('[data-chart]')].map((c) => {
        const box = c.getBoundingClientRect();
        return {
            name: c.dataset.chart,
            state: c.dataset.state,
            surface: !!c.querySelector('svg, canvas'),
            shapes: c.querySelectorAll('svg path, svg rect, svg text, svg circle').length,
            width: box.width,
            height: box.height,
        };
    });
";

/// Panels whose data did not arrive: messages shown instead of tables, figures or sections.
const EMPTY_PANELS: &str = "
    const shown = (n) => !n.hidden && !n.closest('[hidden]');
    const rows = [...document.querySelectorAll('td.table-message')]
        .filter(shown)
        .map((td) => `${td.closest('table').id}: ${td.textContent}`);
    const stats = [...document.querySelectorAll('dl.stats .stat-message')]
        .filter(shown)
        .map((n) => `${n.closest('dl').id}: ${n.textContent}`);
    const messages = [...document.querySelectorAll('[data-section-message], [data-panel-message]')]
        .filter(shown)
        .map((n) => n.textContent);
    const banner = document.getElementById('banner').hidden ? [] : [document.body.innerText];
    return [...rows, ...stats, ...messages, ...banner];
";

async fn wait_for_charts(client: &Client, what: &str) {
    wait_for(client, what, CHARTS_SETTLED, |v| v == &json!(true)).await;
}

async fn assert_every_chart_drawn(client: &Client) {
    let report = js(client, CHART_REPORT).await;
    let charts = report.as_array().unwrap();
    assert!(charts.len() >= 15, "chart containers: {report:#}");
    for chart in charts {
        assert_eq!(chart["state"], "ready", "a chart without data: {chart}");
        assert_eq!(
            chart["surface"], true,
            "a chart without svg/canvas: {chart}"
        );
        assert!(
            chart["shapes"].as_u64().unwrap() > 0,
            "a blank chart: {chart}"
        );
        assert!(
            chart["width"].as_f64().unwrap() > 50.0 && chart["height"].as_f64().unwrap() > 50.0,
            "a collapsed chart: {chart}"
        );
    }
    let empty = js(client, EMPTY_PANELS).await;
    assert_eq!(empty, json!([]), "panels without data");
}

async fn query_param(client: &Client, key: &str) -> Option<String> {
    let url = client.current_url().await.unwrap();
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub(crate) async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Every export link, as written in its `href` attribute.
async fn export_hrefs(client: &Client) -> Vec<String> {
    let hrefs = js(
        client,
        "return [...document.querySelectorAll('#export-xlsx, a[data-export]')]
            .map((a) => a.getAttribute('href'));",
    )
    .await;
    serde_json::from_value(hrefs).unwrap()
}

fn assert_export_links(hrefs: &[String], query: &str) {
    assert!(hrefs.len() > 5, "export links: {hrefs:?}");
    assert_eq!(hrefs[0], format!("/api/v1/export/dashboard.xlsx{query}"));
    for href in &hrefs[1..] {
        let panel = href
            .strip_prefix("/api/v1/export/")
            .and_then(|rest| rest.strip_suffix(&format!(".csv{query}")))
            .unwrap_or_else(|| {
                panic!("export link {href} is not /api/v1/export/<panel>.csv{query}")
            });
        assert!(
            !panel.is_empty() && panel.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "export link {href}"
        );
    }
}

/// Fetches the prefectures CSV and the workbook through their links, as the page carries the
/// filters, and checks what came back.
async fn assert_downloads_work(client: &Client) {
    let fetched = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const links = [document.querySelector('a[data-export=\"prefectures\"]'),
                            document.getElementById('export-xlsx')];
             Promise.all(links.map(async (link) => {
               const href = link.getAttribute('href');
               const response = await fetch(href);
               const bytes = new Uint8Array(await response.arrayBuffer());
               return { href, status: response.status,
                        type: response.headers.get('content-type'),
                        head: Array.from(bytes.slice(0, 3)),
                        text: new TextDecoder().decode(bytes) };
             })).then(done, (error) => done(String(error)));",
            vec![],
        )
        .await
        .unwrap();
    let (csv, xlsx) = (&fetched[0], &fetched[1]);
    assert_eq!(
        csv["href"], "/api/v1/export/prefectures.csv?period=7d&prefecture=26",
        "{fetched}"
    );
    assert_eq!(csv["status"], 200, "{}", csv["text"]);
    assert_eq!(csv["type"], "text/csv; charset=utf-8");
    assert_eq!(
        csv["head"],
        json!([0xEF, 0xBB, 0xBF]),
        "the CSV starts with a BOM"
    );
    let text = csv["text"].as_str().unwrap();
    assert!(text.contains("都道府県コード"), "{text}");
    assert!(
        text.contains("26,京都府,"),
        "the prefecture filter applies: {text}"
    );
    assert!(
        !text.contains("東京都"),
        "the prefecture filter applies: {text}"
    );
    assert_eq!(
        xlsx["href"],
        "/api/v1/export/dashboard.xlsx?period=7d&prefecture=26"
    );
    assert_eq!(xlsx["status"], 200);
    assert_eq!(
        xlsx["type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(xlsx["head"][0], json!(b'P'), "the workbook is a zip");
    assert_eq!(xlsx["head"][1], json!(b'K'), "the workbook is a zip");
}

pub(crate) async fn run<F, Fut>(driver: &Chromedriver, scenario: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities())
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("no browser session through {}: {e}", driver.url));
    let outcome = AssertUnwindSafe(scenario(client.clone()))
        .catch_unwind()
        .await;
    let _ = client.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_dashboard_works_in_a_real_browser(pool: PgPool) {
    insert_fixture(&pool).await;
    let base = serve(pool.clone()).await;
    let driver = Chromedriver::start().await;

    run(&driver, |client| async move {
        let mut console = Console::default();
        client.goto(&format!("{base}/")).await.unwrap();
        wait_for_charts(&client, "the first render").await;

        // Every chart drew something, and every table and figure has its data.
        assert_eq!(
            js(&client, "return document.documentElement.lang;").await,
            "ja"
        );
        assert_every_chart_drawn(&client).await;
        let png = client.screenshot().await.unwrap();
        std::fs::write(SCREENSHOT, png).unwrap();

        // Hostile names are text: nothing ran, no element was made from them.
        assert_eq!(
            js(&client, "return typeof window.__pwned;").await,
            "undefined"
        );
        assert_eq!(
            js(
                &client,
                "return document.querySelectorAll('img[src=\"x\"]').length;"
            )
            .await,
            0
        );
        assert_eq!(
            js(
                &client,
                "return document.querySelectorAll('main script').length;"
            )
            .await,
            0
        );
        let text = js(&client, "return document.body.innerText;").await;
        let text = text.as_str().unwrap();
        for name in [BODY_NAME, CONFERENCE_NAME, PARTY_NAME] {
            assert!(text.contains(name), "{name} is not shown as text:\n{text}");
        }
        let options = js(
            &client,
            "return [...document.querySelectorAll('#f-conference option')]
                .map((o) => o.textContent).join('\\n');",
        )
        .await;
        assert!(
            options.as_str().unwrap().contains(CONFERENCE_NAME),
            "conference choices: {options}"
        );
        let labels = js(
            &client,
            "return document.getElementById('chart-meetings-by-conference').textContent;",
        )
        .await;
        assert!(
            labels.as_str().unwrap().contains(CONFERENCE_NAME),
            "conference chart labels: {labels}"
        );
        assert_export_links(&export_hrefs(&client).await, "");
        console.probe(&client).await;
        console.assert_no_errors();

        // The period control: 7 days in the URL, the daily chart and the export links.
        client
            .find(Locator::Css("#f-period"))
            .await
            .unwrap()
            .select_by_value("7d")
            .await
            .unwrap();
        wait_for(
            &client,
            "a daily chart of 7 days",
            "const node = document.getElementById('chart-activity-daily');
             const chart = window.echarts.getInstanceByDom(node);
             return node.dataset.state === 'ready' && chart
                 ? chart.getOption().xAxis[0].data.length : null;",
            |v| v == &json!(7),
        )
        .await;
        wait_for_charts(&client, "the 7-day render").await;
        assert_eq!(query_param(&client, "period").await.as_deref(), Some("7d"));
        assert_every_chart_drawn(&client).await;
        assert_export_links(&export_hrefs(&client).await, "?period=7d");

        // データを更新 recomputes: a meeting added meanwhile shows up.
        let button = client.find(Locator::Css("#refresh")).await.unwrap();
        assert_eq!(button.text().await.unwrap(), "データを更新");
        let meetings = "#stats-meetings .stat-value";
        assert_eq!(text_of(&client, meetings).await, "5");
        let as_of = text_of(&client, "#as-of").await;
        sqlx::query(
            "INSERT INTO meetings (id, conference_id, date, created_at)
             VALUES (6, 1, '2026-03-10', '2026-03-10 00:00')",
        )
        .execute(&pool)
        .await
        .unwrap();
        button.click().await.unwrap();
        wait_for(
            &client,
            "the refreshed meeting count",
            "return document.querySelector('#stats-meetings .stat-value').textContent;",
            |v| v == "6",
        )
        .await;
        wait_for_charts(&client, "the refreshed render").await;
        // The clock is frozen, so the time stays; what matters is that it is still shown.
        assert_eq!(text_of(&client, "#as-of").await, as_of);
        assert!(as_of.contains("2026"), "as of: {as_of}");

        // A prefecture tile filters by its prefecture and opens its municipalities.
        client
            .find(Locator::XPath(
                "//*[@id='chart-prefecture-map']//*[local-name()='text' and text()='京都']",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(
            &client,
            "the prefecture filter in the URL",
            "return new URLSearchParams(window.location.search).get('prefecture');",
            |v| v == "26",
        )
        .await;
        wait_for_charts(&client, "the prefecture render").await;
        assert_eq!(query_param(&client, "period").await.as_deref(), Some("7d"));
        assert_eq!(
            js(
                &client,
                "return document.getElementById('f-prefecture').value;"
            )
            .await,
            "26"
        );
        assert_export_links(&export_hrefs(&client).await, "?period=7d&prefecture=26");
        assert_downloads_work(&client).await;
        wait_for(
            &client,
            "the municipalities of 京都府",
            "const panel = document.getElementById('drilldown');
             return panel.hidden ? '' : panel.innerText;",
            |v| v.as_str().is_some_and(|t| t.contains(BODY_NAME)),
        )
        .await;

        console.collect(&client).await;
        console.assert_no_errors();
        assert_eq!(
            js(&client, "return typeof window.__pwned;").await,
            "undefined"
        );

        // The English page downloads English headers.
        client
            .goto(&format!("{base}/?lang=en&period=7d"))
            .await
            .unwrap();
        wait_for_charts(&client, "the English render").await;
        assert_export_links(&export_hrefs(&client).await, "?period=7d&lang=en");
        let header = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const link = document.querySelector('a[data-export=\"prefectures\"]');
                 fetch(link.getAttribute('href'))
                   .then((r) => r.text()).then((t) => done(t.split('\\r\\n')[0]),
                                               (e) => done(String(e)));",
                vec![],
            )
            .await
            .unwrap();
        // fetch's text() drops the byte-order mark.
        assert_eq!(
            header,
            "Prefecture code,Prefecture,Total,With data,Rate (%),Rating"
        );
    })
    .await;
}
