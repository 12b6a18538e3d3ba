//! Exports over real HTTP and a real PostgreSQL fixture: every panel's CSV, the workbook read
//! back with calamine, LibreOffice opening a CSV, and the `export` command as a process.

use std::io::Cursor;
use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};
use percent_encoding::percent_decode_str;
use polibase_bi::db::Db;
use polibase_bi::export::PANELS;
use polibase_bi::metrics::MetricsService;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, HeaderMap};
use serde_json::Value;
use sqlx::PgPool;

use crate::metrics::FIXTURE;
use crate::support::{MIGRATIONS, NOW, context, exec, serve, serve_metrics};

const BOM: &[u8] = b"\xEF\xBB\xBF";
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const MARKUP: &str = "<script>alert(1)</script>";

/// Names a spreadsheet would run as formulas, or markup, set with bound parameters.
const NAMES: [(&str, &str); 6] = [
    ("UPDATE governing_bodies SET name = $1 WHERE id = 3", MARKUP),
    ("UPDATE conferences SET name = $1 WHERE id = 1", "=1+1"),
    ("UPDATE conferences SET name = $1 WHERE id = 4", "＝SUM(A1)"),
    ("UPDATE governing_bodies SET name = $1 WHERE id = 1", "@cmd"),
    (
        "UPDATE political_parties SET name = $1 WHERE id = 1",
        "\tparty",
    ),
    (
        "UPDATE llm_processing_history SET processing_type = $1 \
         WHERE processing_type = 'speaker_matching'",
        "-x",
    ),
];

async fn insert_fixture(pool: &PgPool) {
    exec(pool, FIXTURE).await;
    for (sql, name) in NAMES {
        sqlx::query(sql).bind(name).execute(pool).await.unwrap();
    }
}

struct Download {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

async fn download(url: &str) -> Download {
    let response = reqwest::get(url).await.unwrap();
    Download {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

impl Download {
    fn header(&self, name: reqwest::header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// The CSV records after the BOM, parsed by the csv crate.
    fn records(&self) -> Vec<Vec<String>> {
        assert!(self.body.starts_with(BOM), "no BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&self.body[BOM.len()..])
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    /// `(filename, filename*)` of Content-Disposition, the second percent-decoded.
    fn file_names(&self) -> (String, String) {
        let value = self.header(CONTENT_DISPOSITION);
        let mut parts = value.split(';').map(str::trim);
        assert_eq!(parts.next(), Some("attachment"), "{value}");
        let (mut ascii, mut unicode) = (None, None);
        for part in parts {
            let (key, raw) = part.split_once('=').unwrap();
            match key {
                "filename" => ascii = Some(raw.trim_matches('"').to_owned()),
                "filename*" => {
                    let encoded = raw.strip_prefix("UTF-8''").unwrap();
                    unicode = Some(percent_decode_str(encoded).decode_utf8().unwrap().into());
                }
                other => panic!("unexpected parameter {other} in {value}"),
            }
        }
        (ascii.unwrap(), unicode.unwrap())
    }
}

fn row<'a>(records: &'a [Vec<String>], first: &str) -> &'a [String] {
    records
        .iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("no row starting with {first:?} in {records:?}"))
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_panel_downloads_as_csv(pool: PgPool) {
    insert_fixture(&pool).await;
    let base = serve(pool).await;
    let page = reqwest::get(format!("{base}/")).await.unwrap();
    let html = page.text().await.unwrap();
    let linked: Vec<&str> = html
        .split("data-export=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert!(linked.len() >= 14, "export links on the page: {linked:?}");

    for panel in &PANELS {
        let csv = download(&format!("{base}/api/v1/export/{}.csv", panel.name)).await;

        assert_eq!(csv.status, StatusCode::OK, "{}", panel.name);
        assert_eq!(csv.header(CONTENT_TYPE), "text/csv; charset=utf-8");
        assert_eq!(csv.header(CACHE_CONTROL), "no-store");
        assert!(csv.body.starts_with(BOM), "{}", panel.name);
        let records = csv.records();
        assert!(records.len() > 1, "{}: {records:?}", panel.name);
        assert!(records.iter().all(|r| r.len() == records[0].len()));
        let (ascii, unicode) = csv.file_names();
        assert_eq!(ascii, format!("{}_2026-03-10.csv", panel.name));
        assert!(unicode.ends_with("_2026-03-10.csv"), "{unicode}");
        assert!(!unicode.is_ascii(), "{unicode} is not the Japanese title");
    }
    for name in linked {
        assert!(
            PANELS.iter().any(|p| p.name == name),
            "the page links {name}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn csv_rows_match_the_hand_computed_figures(pool: PgPool) {
    insert_fixture(&pool).await;
    let base = serve(pool).await;
    let get = |panel: &str| {
        let url = format!("{base}/api/v1/export/{panel}");
        async move { download(&url).await.records() }
    };

    let prefectures = get("prefectures.csv").await;
    let worst = get("per_meeting_worst.csv").await;
    let types = get("coverage_by_type.csv").await;
    let minutes = get("minutes_processing.csv").await;

    assert_eq!(
        prefectures[0],
        [
            "都道府県コード",
            "都道府県",
            "総数",
            "データあり",
            "率 (%)",
            "判定"
        ]
    );
    assert_eq!(
        row(&prefectures, "26"),
        ["26", "京都府", "1", "1", "100", "目標達成"]
    );
    assert_eq!(row(&prefectures, ""), ["", "不明", "1", "0", "0", "要対応"]);
    assert_eq!(
        worst[1],
        ["3", "2026-03-03", "京都市議会", MARKUP, "0", "2"]
    );
    assert_eq!(row(&types, "未分類"), ["未分類", "1", "0", "0"]);
    assert_eq!(minutes[1][0..4], ["4", "2", "2", "50"]);
    assert_eq!(minutes[1][5], "2026-03-05T09:00:00+09:00");
    assert_eq!(
        get("prefectures.csv?lang=en").await[0],
        [
            "Prefecture code",
            "Prefecture",
            "Total",
            "With data",
            "Rate (%)",
            "Rating"
        ]
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn formula_names_are_quoted_and_numbers_are_not(pool: PgPool) {
    insert_fixture(&pool).await;
    let base = serve(pool).await;

    let conferences = download(&format!("{base}/api/v1/export/meetings_by_conference.csv")).await;
    let parties = download(&format!("{base}/api/v1/export/parties.csv")).await;
    let cards = download(&format!("{base}/api/v1/export/cards.csv")).await;
    let llm = download(&format!("{base}/api/v1/export/llm_by_type.csv")).await;

    let conferences = conferences.records();
    assert_eq!(row(&conferences, "1"), ["1", "'=1+1", "'@cmd", "2"]);
    assert_eq!(row(&conferences, "4"), ["4", "'＝SUM(A1)", "", "1"]);
    assert_eq!(parties.records()[1], ["'\tparty", "2", "1", "2"]);
    let llm = llm.records();
    assert_eq!(row(&llm, "'-x")[1..6], ["2", "1", "0", "0", "1"]);
    assert_eq!(row(&llm, "minutes_division")[9..], ["20", "10", "30"]);
    let cards = cards.records();
    let minutes = row(&cards, "minutes_processed");
    assert_eq!(minutes[1], "議事録処理率");
    assert_eq!(
        minutes[6], "-50",
        "a negative change stays a number: {minutes:?}"
    );
    assert_eq!(row(&cards, "llm_error_rate")[6], "25");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_requests_get_the_json_envelope(pool: PgPool) {
    insert_fixture(&pool).await;
    exec(
        &pool,
        "ALTER TABLE politicians DROP COLUMN political_party_id",
    )
    .await;
    let base = serve(pool).await;
    let get = |path: &str| {
        let url = format!("{base}/api/v1/export/{path}");
        async move { download(&url).await }
    };

    let period = get("prefectures.csv?period=bogus").await;
    let lang = get("prefectures.csv?lang=fr").await;
    let unknown = get("nope.csv").await;
    let workbook_panel = get("prefectures.xlsx").await;
    let parties = get("parties.csv").await;
    let conference = get("cards.csv?conference=999").await;

    assert_eq!(period.status, StatusCode::BAD_REQUEST);
    assert_eq!(period.json()["error"]["code"], "invalid_parameter");
    assert!(
        period.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("period")
    );
    assert_eq!(lang.status, StatusCode::BAD_REQUEST);
    assert!(
        lang.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ja or en")
    );
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let message = unknown.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("prefectures") && message.contains("llm_by_type"),
        "{message}"
    );
    assert_eq!(workbook_panel.status, StatusCode::NOT_FOUND);
    assert_eq!(parties.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(parties.json()["error"]["code"], "panel_unavailable");
    let reason = parties.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        reason.contains("politicians.political_party_id"),
        "{reason}"
    );
    assert_eq!(
        conference.status,
        StatusCode::BAD_REQUEST,
        "{:?}",
        conference.json()
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_panel_that_timed_out_answers_503_with_the_reason(pool: PgPool) {
    insert_fixture(&pool).await;
    let mut context = context(Db::Postgres(pool));
    // No panel query finishes within a nanosecond; the bodies list is not a panel.
    context.statement_timeout = std::time::Duration::from_nanos(1);
    let base = serve_metrics(MetricsService::new(
        context,
        std::time::Duration::from_secs(60),
    ))
    .await;

    let parties = download(&format!("{base}/api/v1/export/parties.csv")).await;
    let prefectures = download(&format!("{base}/api/v1/export/prefectures.csv")).await;

    assert_eq!(parties.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(parties.json()["error"]["code"], "panel_unavailable");
    let reason = parties.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        reason.contains("timed out") && reason.contains("(timeout)"),
        "{reason}"
    );
    assert_eq!(prefectures.status, StatusCode::OK);
}

/// The workbook's sheet `name` as rows of cells.
fn sheet(workbook: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<Data>> {
    let range = workbook.worksheet_range(name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn open_xlsx(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_workbook_has_a_sheet_per_panel(pool: PgPool) {
    insert_fixture(&pool).await;
    let base = serve(pool).await;

    let xlsx = download(&format!("{base}/api/v1/export/dashboard.xlsx?period=7d")).await;

    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(xlsx.header(CONTENT_TYPE), XLSX_TYPE);
    assert!(xlsx.body.starts_with(b"PK"));
    assert_eq!(
        xlsx.file_names(),
        (
            "dashboard_2026-03-10.xlsx".into(),
            "ダッシュボード_2026-03-10.xlsx".into()
        )
    );
    let mut book = open_xlsx(xlsx.body);
    let names = book.sheet_names();
    assert_eq!(names.len(), PANELS.len() + 1);
    assert_eq!(names[0], "条件");
    assert!(
        names.contains(&"都道府県別カバー率".to_owned()),
        "{names:?}"
    );
    let filters = sheet(&mut book, "条件");
    assert_eq!(filters[3][0], Data::String("期間".into()));
    assert_eq!(filters[3][1], Data::String("7d".into()));
    let start = filters[4][1].as_date().unwrap();
    assert_eq!(start.to_string(), "2026-03-04");
    let prefectures = sheet(&mut book, "都道府県別カバー率");
    assert_eq!(prefectures[0][1], Data::String("都道府県".into()));
    assert_eq!(prefectures[1][1], Data::String("京都府".into()));
    assert_eq!(prefectures[1][4], Data::Float(100.0));
    let days = sheet(&mut book, "日別の推移");
    assert_eq!(days.len(), 8);
    assert_eq!(days[7][0].as_date().unwrap().to_string(), "2026-03-10");
    assert_eq!(days[7][2], Data::Float(4.0));
    let conferences = sheet(&mut book, "会議体ごとの会議数");
    let formula = conferences
        .iter()
        .find(|r| r[0] == Data::Float(1.0))
        .unwrap();
    assert_eq!(formula[1], Data::String("=1+1".into()));
    for name in &names {
        let formulas = book.worksheet_formula(name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "formula in {name}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_workbook_in_english_says_why_a_panel_is_missing(pool: PgPool) {
    insert_fixture(&pool).await;
    exec(
        &pool,
        "ALTER TABLE politicians DROP COLUMN political_party_id",
    )
    .await;
    let base = serve(pool).await;

    let xlsx = download(&format!("{base}/api/v1/export/dashboard.xlsx?lang=en")).await;

    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book = open_xlsx(xlsx.body);
    assert_eq!(book.sheet_names()[0], "Filters");
    let parties = sheet(&mut book, "Conversations by party");
    let Data::String(reason) = &parties[0][0] else {
        panic!("no reason: {parties:?}")
    };
    assert!(
        reason.contains("politicians.political_party_id"),
        "{reason}"
    );
    let prefectures = sheet(&mut book, "Coverage by prefecture");
    assert_eq!(prefectures[0][0], Data::String("Prefecture code".into()));
}

/// LibreOffice reads an exported CSV as UTF-8 with the explicit CSV filter: the Japanese
/// text, the numbers and the quoted formula survive into a spreadsheet.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn libreoffice_reads_the_csv(pool: PgPool) {
    insert_fixture(&pool).await;
    let base = serve(pool).await;
    let csv = download(&format!("{base}/api/v1/export/meetings_by_conference.csv")).await;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("meetings.csv");
    std::fs::write(&input, &csv.body).unwrap();

    let output = libreoffice(dir.path(), &input);

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let converted = std::fs::read(dir.path().join("meetings.xlsx")).unwrap();
    let mut book = open_xlsx(converted);
    let first = name_of_first_sheet(&book);
    let rows = sheet(&mut book, &first);
    assert_eq!(rows[0][1], Data::String("会議体".into()));
    let kyoto = rows
        .iter()
        .find(|r| r[1] == Data::String("京都市議会".into()));
    let kyoto = kyoto.unwrap_or_else(|| panic!("Japanese text lost: {rows:?}"));
    assert_eq!(kyoto[2], Data::String(MARKUP.into()));
    assert_eq!(kyoto[3], Data::Float(3.0));
    let guarded = rows.iter().find(|r| r[0] == Data::Float(1.0)).unwrap();
    let Data::String(name) = &guarded[1] else {
        panic!("the guarded name is not text: {guarded:?}")
    };
    assert!(name.ends_with("=1+1"), "{name}");
    let formulas = book.worksheet_formula(&first).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "LibreOffice made a formula"
    );
}

fn name_of_first_sheet(book: &Xlsx<Cursor<Vec<u8>>>) -> String {
    book.sheet_names()[0].clone()
}

/// `libreoffice --headless --convert-to xlsx` with the CSV filter spelt out (comma, double
/// quote, UTF-8) and a profile of its own, so that parallel runs do not share one.
fn libreoffice(dir: &Path, input: &Path) -> Output {
    let profile = dir.join("profile");
    let found = ["libreoffice", "soffice"].into_iter().find(|program| {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let program = found.unwrap_or_else(|| {
        panic!("libreoffice is missing: apt-get install libreoffice-calc-nogui")
    });
    Command::new(program)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--infilter=CSV:44,34,76",
            "--convert-to",
            "xlsx",
        ])
        .arg("--outdir")
        .arg(dir)
        .arg(input)
        .output()
        .unwrap()
}

/// The `export` command against the test's database, writing into `out`.
fn export_command(pool: &PgPool, database_url: Option<&str>, args: &[&str]) -> Output {
    let url = database_url.map_or_else(|| database_url_of(pool), str::to_owned);
    Command::new(env!("CARGO_BIN_EXE_polibase-bi"))
        .arg("export")
        .args(args)
        .env("DATABASE_URL", url)
        .env("BI_NOW", NOW)
        .env("BI_TIMEZONE", "Asia/Tokyo")
        .env("BI_DB_TIMEZONE", "UTC")
        .env("BI_POOL_ACQUIRE_TIMEOUT_SECS", "2")
        .output()
        .unwrap()
}

/// The URL of the database `#[sqlx::test]` made for this test.
fn database_url_of(pool: &PgPool) -> String {
    let server = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path(pool.connect_options().get_database().unwrap());
    url.to_string()
}

fn stdout_paths(output: &Output) -> Vec<String> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_export_command_writes_every_format(pool: PgPool) {
    insert_fixture(&pool).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports/march");
    let out_arg = out.to_str().unwrap();

    let csv = export_command(&pool, None, &["--format", "csv", "--out", out_arg]);
    let xlsx = export_command(
        &pool,
        None,
        &[
            "--format",
            "xlsx",
            "--out",
            out_arg,
            "--query",
            "period=7d&lang=en",
        ],
    );
    let json = export_command(
        &pool,
        None,
        &[
            "--format",
            "json",
            "--out",
            out_arg,
            "--period",
            "90d",
            "--prefecture",
            "26",
        ],
    );

    for output in [&csv, &xlsx, &json] {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let written = stdout_paths(&csv);
    assert_eq!(written.len(), PANELS.len());
    let prefectures = out.join("prefectures_2026-03-10.csv");
    assert!(
        written.contains(&prefectures.display().to_string()),
        "{written:?}"
    );
    let bytes = std::fs::read(&prefectures).unwrap();
    assert!(bytes.starts_with(BOM));
    assert!(
        String::from_utf8(bytes)
            .unwrap()
            .contains("26,京都府,1,1,100,目標達成")
    );
    assert_eq!(
        stdout_paths(&xlsx),
        [out.join("dashboard_2026-03-10.xlsx").display().to_string()]
    );
    let mut book = open_xlsx(std::fs::read(out.join("dashboard_2026-03-10.xlsx")).unwrap());
    assert_eq!(book.sheet_names()[0], "Filters");
    assert_eq!(sheet(&mut book, "Daily activity").len(), 8);
    let doc: Value =
        serde_json::from_slice(&std::fs::read(out.join("dashboard_2026-03-10.json")).unwrap())
            .unwrap();
    assert_eq!(doc["period"]["key"], "90d");
    assert_eq!(doc["filters"]["prefecture"], "26");
    assert_eq!(doc["coverage"]["total_bodies"], 2);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_export_command_fails_clearly(pool: PgPool) {
    insert_fixture(&pool).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let below_file = file.join("sub");
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();

    let onto_file = export_command(
        &pool,
        None,
        &["--format", "csv", "--out", file.to_str().unwrap()],
    );
    let under_file = export_command(
        &pool,
        None,
        &["--format", "csv", "--out", below_file.to_str().unwrap()],
    );
    let bad_filter = export_command(
        &pool,
        None,
        &["--format", "csv", "--out", out_arg, "--period", "9d"],
    );
    let bad_format = export_command(&pool, None, &["--format", "pdf", "--out", out_arg]);
    let no_database = export_command(
        &pool,
        Some("postgresql://bi@127.0.0.1:1/none"),
        &["--format", "json", "--out", out_arg],
    );

    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(onto_file.status.code(), Some(2), "{}", stderr(&onto_file));
    assert!(
        stderr(&onto_file).contains("is a file"),
        "{}",
        stderr(&onto_file)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    assert_eq!(under_file.status.code(), Some(2), "{}", stderr(&under_file));
    assert!(stderr(&under_file).contains("cannot write into --out"));
    assert_eq!(bad_filter.status.code(), Some(2), "{}", stderr(&bad_filter));
    assert!(stderr(&bad_filter).contains("period must be one of"));
    assert_eq!(bad_format.status.code(), Some(2));
    assert_eq!(
        no_database.status.code(),
        Some(3),
        "{}",
        stderr(&no_database)
    );
    for output in [
        &onto_file,
        &under_file,
        &bad_filter,
        &bad_format,
        &no_database,
    ] {
        assert!(
            output.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(!stderr(output).contains("panicked"), "{}", stderr(output));
    }
    let written = std::fs::read_dir(&out).map_or(0, |entries| entries.count());
    assert_eq!(written, 0, "files were written despite the failures");
}
