//! Demo data: determinism, backend parity, refusal of non-empty databases and the demo file.

// A test fails by panicking where the unexpected happened; helpers included.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use polibase_bi::clock::Clock;
use polibase_bi::config::{DatabaseUrl, Settings};
use polibase_bi::db::{Access, Db, migrate};
use polibase_bi::demo::{DemoError, DemoOptions, generate, open_or_create_demo_file};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, PgPool};
use tempfile::TempDir;

const NOW: &str = "2026-03-10T08:30:00+09:00";

fn clock() -> Clock {
    let now = DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc);
    Clock::new(chrono_tz::Asia::Tokyo, chrono_tz::UTC, Some(now))
}

fn settings(demo_path: &Path) -> Settings {
    Settings {
        database_url: None,
        demo_path: demo_path.to_path_buf(),
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

fn options(scale: f64, seed: u64) -> DemoOptions {
    DemoOptions { scale, seed }
}

/// A SQLite database file in `dir`, opened for writing, migrated if asked.
async fn sqlite(dir: &TempDir, name: &str, migrated: bool) -> Db {
    let path = dir.path().join(name);
    let url = DatabaseUrl::Sqlite(path.clone());
    let db = Db::connect_lazy(&url, &settings(&path), Access::ReadWrite).unwrap();
    if migrated {
        migrate::run(&db).await.unwrap();
    }
    db
}

async fn rows<T>(db: &Db, sql: &str) -> Vec<T>
where
    T: Send + Unpin + for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, SqliteRow>,
{
    match db {
        Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
    }
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    rows::<(i64,)>(db, &sql).await[0].0
}

type MeetingRow = (
    i32,
    i32,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
);
type MinutesRow = (i32, i32, Option<NaiveDateTime>, NaiveDateTime);
type SpeakerRow = (
    i32,
    String,
    Option<String>,
    Option<bool>,
    Option<i32>,
    NaiveDateTime,
);
type ConversationRow = (
    i32,
    Option<i32>,
    Option<i32>,
    Option<String>,
    String,
    i32,
    NaiveDateTime,
);
type RunRow = (
    i32,
    String,
    String,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// Every column that matters of the invented tables, in id order.
#[derive(Debug, PartialEq)]
struct Snapshot {
    conferences: Vec<(i32, String, Option<String>, Option<i32>)>,
    meetings: Vec<MeetingRow>,
    minutes: Vec<MinutesRow>,
    politicians: Vec<(i32, String, Option<i32>, NaiveDateTime)>,
    speakers: Vec<SpeakerRow>,
    conversations: Vec<ConversationRow>,
    runs: Vec<RunRow>,
}

/// All rows of `table`, in id order, reduced to `columns`.
async fn ordered<T>(db: &Db, table: &str, columns: &str) -> Vec<T>
where
    T: Send + Unpin + for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, SqliteRow>,
{
    rows(db, &format!("SELECT {columns} FROM {table} ORDER BY id")).await
}

async fn snapshot(db: &Db) -> Snapshot {
    Snapshot {
        conferences: ordered(db, "conferences", "id, name, type, governing_body_id").await,
        meetings: ordered(
            db,
            "meetings",
            "id, conference_id, date, url, name, created_at",
        )
        .await,
        minutes: ordered(db, "minutes", "id, meeting_id, processed_at, created_at").await,
        politicians: ordered(
            db,
            "politicians",
            "id, name, political_party_id, created_at",
        )
        .await,
        speakers: ordered(
            db,
            "speakers",
            "id, name, type, is_politician, politician_id, created_at",
        )
        .await,
        conversations: ordered(
            db,
            "conversations",
            "id, minutes_id, speaker_id, speaker_name, comment, sequence_number, created_at",
        )
        .await,
        runs: ordered(
            db,
            "llm_processing_history",
            "id, processing_type, status, started_at, completed_at",
        )
        .await,
    }
}

#[tokio::test]
async fn same_seed_gives_the_same_rows_and_another_seed_different_ones() {
    let dir = TempDir::new().unwrap();
    let (first, second, other) = (
        sqlite(&dir, "a.sqlite", true).await,
        sqlite(&dir, "b.sqlite", true).await,
        sqlite(&dir, "c.sqlite", true).await,
    );

    let a = generate(&first, &options(0.01, 42), &clock())
        .await
        .unwrap();
    let b = generate(&second, &options(0.01, 42), &clock())
        .await
        .unwrap();
    generate(&other, &options(0.01, 7), &clock()).await.unwrap();

    assert_eq!(a.rows, b.rows);
    let reference = snapshot(&first).await;
    assert_eq!(reference, snapshot(&second).await);
    let changed = snapshot(&other).await;
    assert_ne!(reference.meetings, changed.meetings);
    assert_ne!(reference.conversations, changed.conversations);
}

#[sqlx::test(migrations = "./migrations/postgres")]
async fn postgres_and_sqlite_receive_identical_rows(pool: PgPool) {
    let postgres = Db::Postgres(pool);
    let dir = TempDir::new().unwrap();
    let sqlite = sqlite(&dir, "twin.sqlite", true).await;

    let loaded = generate(&postgres, &options(0.01, 42), &clock())
        .await
        .unwrap();
    let twin = generate(&sqlite, &options(0.01, 42), &clock())
        .await
        .unwrap();

    assert_eq!(loaded.rows, twin.rows);
    assert_eq!(snapshot(&postgres).await, snapshot(&sqlite).await);
}

#[sqlx::test(migrations = "./migrations/postgres")]
async fn scale_sets_the_size_and_sequences_continue_after_the_ids(pool: PgPool) {
    let db = Db::Postgres(pool.clone());

    let summary = generate(&db, &options(0.01, 42), &clock()).await.unwrap();

    let written = |table: &str| summary.rows.iter().find(|(t, _)| *t == table).unwrap().1;
    assert_eq!(written("governing_bodies"), 1795);
    assert_eq!(written("political_parties"), 17);
    assert_eq!(written("meetings"), 200);
    assert_eq!(written("politicians"), 60);
    assert_eq!(written("speakers"), 138);
    assert_eq!(written("llm_processing_history"), 40);
    assert!(
        (180..=240).contains(&written("minutes")),
        "{:?}",
        summary.rows
    );
    assert!(
        (15_000..=25_000).contains(&written("conversations")),
        "{:?}",
        summary.rows
    );
    for (table, rows) in &summary.rows {
        assert_eq!(count(&db, table).await, *rows as i64, "{table}");
    }
    let next: i32 =
        sqlx::query_scalar("INSERT INTO meetings (conference_id) VALUES (1) RETURNING id")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(next, 201);
}

/// Every constraint and index of the schema, as PostgreSQL describes them.
async fn constraints_and_indexes(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE connamespace = CAST(current_schema() AS regnamespace) \
         UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() \
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "./migrations/postgres")]
async fn loading_keeps_every_index_and_foreign_key(pool: PgPool) {
    let migrated = constraints_and_indexes(&pool).await;

    generate(&Db::Postgres(pool.clone()), &options(0.01, 42), &clock())
        .await
        .unwrap();

    assert_eq!(constraints_and_indexes(&pool).await, migrated);
    assert!(
        migrated
            .iter()
            .any(|d| d.starts_with("conversations_speaker_id_fkey"))
    );
}

#[sqlx::test(migrations = "./migrations/postgres")]
async fn a_database_with_rows_is_refused_and_left_alone(pool: PgPool) {
    sqlx::query("INSERT INTO political_parties (name) VALUES ('既存党')")
        .execute(&pool)
        .await
        .unwrap();
    let db = Db::Postgres(pool);

    let refused = generate(&db, &options(0.01, 42), &clock())
        .await
        .unwrap_err();

    assert!(matches!(
        refused,
        DemoError::NotEmpty {
            table: "political_parties",
            rows: 1
        }
    ));
    assert!(refused.to_string().contains("empty database"), "{refused}");
    assert_eq!(count(&db, "political_parties").await, 1);
    for table in [
        "governing_bodies",
        "conferences",
        "meetings",
        "conversations",
    ] {
        assert_eq!(count(&db, table).await, 0, "{table}");
    }
}

#[tokio::test]
async fn an_unmigrated_database_or_a_bad_scale_is_refused() {
    let dir = TempDir::new().unwrap();
    let bare = sqlite(&dir, "bare.sqlite", false).await;
    let migrated = sqlite(&dir, "migrated.sqlite", true).await;

    let unmigrated = generate(&bare, &options(0.01, 42), &clock())
        .await
        .unwrap_err();
    let scales = [0.0, -1.0, 20.5, f64::NAN];

    assert!(
        matches!(unmigrated, DemoError::NotMigrated { .. }),
        "{unmigrated}"
    );
    assert!(unmigrated.to_string().contains("migrate"));
    for scale in scales {
        let err = generate(&migrated, &options(scale, 42), &clock())
            .await
            .unwrap_err();
        assert!(matches!(err, DemoError::InvalidScale(_)), "{scale}: {err}");
    }
    assert_eq!(count(&migrated, "governing_bodies").await, 0);
}

/// Files in `dir`, sorted, to show that nothing was left behind.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_demo_file_is_built_once_then_served_read_only() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("demo.sqlite");

    let db = open_or_create_demo_file(&path, &settings(&path), &clock())
        .await
        .unwrap();
    let marker: Vec<(f64, i64)> = rows(&db, "SELECT scale, seed FROM polibase_bi_demo").await;
    let covered: Vec<(i64,)> = rows(
        &db,
        "SELECT COUNT(DISTINCT c.governing_body_id) FROM meetings m \
         JOIN conferences c ON c.id = m.conference_id",
    )
    .await;
    let Db::Sqlite(pool) = &db else {
        panic!("the demo is SQLite")
    };
    let write = sqlx::query("DELETE FROM meetings").execute(pool).await;
    db.close().await;
    let built = std::fs::read(&path).unwrap();
    let again = open_or_create_demo_file(&path, &settings(&path), &clock())
        .await
        .unwrap();
    again.close().await;

    assert_eq!(marker, vec![(0.05, 42)]);
    let share = covered[0].0 as f64 / 1795.0;
    assert!((0.4..=0.6).contains(&share), "{share}");
    assert!(write.is_err(), "the demo file must be read-only");
    assert_eq!(std::fs::read(&path).unwrap(), built);
    assert_eq!(listing(dir.path()), vec![path]);
}

/// Asserts that opening `path` fails with `expected` in the message and leaves it as it was.
async fn assert_refused(path: &Path, expected: &str) {
    let before = std::fs::read(path).ok();

    let err = open_or_create_demo_file(path, &settings(path), &clock())
        .await
        .unwrap_err();

    let message = err.to_string();
    assert!(matches!(err, DemoError::DemoFile { .. }), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains(expected), "{message}");
    assert!(message.contains("BI_DEMO_PATH"), "{message}");
    assert_eq!(std::fs::read(path).ok(), before);
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let text = dir.path().join("notes.sqlite");
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&text, "これはデータベースではありません\n".repeat(40)).unwrap();
    std::fs::write(&empty, "").unwrap();

    assert_refused(&text, "is not a SQLite database").await;
    assert_refused(&empty, "is not a SQLite database").await;
}

#[tokio::test]
async fn a_directory_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("demo.sqlite");
    std::fs::create_dir(&path).unwrap();

    assert_refused(&path, "is a directory").await;

    assert!(path.is_dir());
    assert_eq!(listing(&path), Vec::<PathBuf>::new());
}

#[tokio::test]
async fn an_unrelated_or_truncated_sqlite_file_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let other = sqlite(&dir, "other.sqlite", false).await;
    let Db::Sqlite(pool) = &other else {
        panic!("SQLite expected")
    };
    sqlx::query("CREATE TABLE notes (body TEXT)")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO notes SELECT zeroblob(2000) FROM (SELECT 1 UNION SELECT 2 UNION SELECT 3)",
    )
    .execute(pool)
    .await
    .unwrap();
    other.close().await;
    let unrelated = dir.path().join("other.sqlite");
    let truncated = dir.path().join("truncated.sqlite");
    let bytes = std::fs::read(&unrelated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();

    assert_refused(&unrelated, "is not a polibase-bi demo database").await;
    assert_refused(&truncated, "is truncated").await;
}

/// Demo data loaded into PostgreSQL is labelled as a demo on the dashboard; real data is not.
#[sqlx::test(migrations = "./migrations/postgres")]
async fn demo_data_in_postgres_is_labelled_as_a_demo(pool: PgPool) {
    let before = crate::support::dashboard(&pool, "").await;
    generate(&Db::Postgres(pool.clone()), &options(0.01, 42), &clock())
        .await
        .unwrap();

    let after = crate::support::dashboard(&pool, "").await;

    assert_eq!(before["demo"], false);
    assert_eq!(after["demo"], true);
}
