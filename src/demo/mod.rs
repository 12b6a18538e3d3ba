//! Demo data: a deterministic, invented Polibase database for trying the
//! dashboard without a real one, and the demo file `serve` falls back to.
//!
//! The reference rows (governing bodies, conferences, parties) are the real
//! ones from `data/`; all activity (meetings, minutes, people, conversations,
//! processing history) is invented. The same scale, seed and clock give the
//! same rows, on PostgreSQL (loaded with `COPY`) and on SQLite (batched
//! `INSERT`s) alike: rows are generated once as Rust values and handed to the
//! backend's writer. Demo data only ever goes into an empty, migrated database.

mod assemblies;
mod dataset;
mod deferred;
mod file;
mod llm;
mod people;
mod postgres;
mod reference;
mod rows;
mod sessions;
mod sqlite;
mod talk;
mod timeline;
mod words;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::db::{Db, DbError, on_pool, schema};

pub use file::{MARKER_TABLE, open_or_create_demo_file};

/// Largest accepted scale: about forty million conversations.
pub const MAX_SCALE: f64 = 20.0;

/// How much demo data to invent, and from which seed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DemoOptions {
    /// 1 ≈ 20,000 meetings and 2,000,000 conversations; must be in (0, 20].
    pub scale: f64,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            scale: 0.05,
            seed: 42,
        }
    }
}

/// What `generate` wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSummary {
    /// Rows written per Polibase table, in the order of `schema::TABLES`.
    pub rows: Vec<(&'static str, u64)>,
    pub elapsed: Duration,
}

/// Why demo data could not be written or the demo file not opened.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the database already has data ({rows} rows in {table}); demo data only goes into an \
         empty database: create a new database and run `migrate` on it first"
    )]
    NotEmpty { table: &'static str, rows: u64 },
    #[error("the database has no table {table}; run `migrate` on it first")]
    NotMigrated { table: &'static str },
    #[error(
        "scale {0} is out of range: give a number above 0 and at most 20 (1 ≈ 2M conversations)"
    )]
    InvalidScale(f64),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("demo database {}: {reason}", path.display())]
    DemoFile { path: PathBuf, reason: String },
    #[error(
        "the built-in reference data is damaged ({0}); rebuild the program from a clean checkout"
    )]
    ReferenceData(String),
}

/// Fills an empty, migrated database with demo data.
///
/// Refuses with [`DemoError::NotEmpty`] and writes nothing if any Polibase table
/// has rows. Everything is written in one transaction.
pub async fn generate(
    db: &Db,
    options: &DemoOptions,
    clock: &Clock,
) -> Result<DemoSummary, DemoError> {
    let started = Instant::now();
    if !(options.scale > 0.0 && options.scale <= MAX_SCALE) {
        return Err(DemoError::InvalidScale(options.scale));
    }
    ensure_empty(db).await?;

    let data = dataset::Dataset::build(options, clock)?;
    let written = match db {
        Db::Postgres(pool) => postgres::write(pool, &data).await?,
        Db::Sqlite(pool) => sqlite::write(pool, &data).await?,
    };
    mark_as_demo(db, options, clock).await?;

    Ok(DemoSummary {
        rows: in_schema_order(written),
        elapsed: started.elapsed(),
    })
}

/// Leaves a table that says the data is invented, so that the dashboard labels it as a demo
/// whichever database it is served from, and the demo file can be told from other files.
async fn mark_as_demo(db: &Db, options: &DemoOptions, clock: &Clock) -> Result<(), DemoError> {
    let create = format!(
        "CREATE TABLE IF NOT EXISTS {} (scale DOUBLE PRECISION NOT NULL, seed BIGINT NOT NULL, \
         generated_at TEXT NOT NULL)",
        schema::DEMO_MARKER
    );
    let insert = format!(
        "INSERT INTO {} (scale, seed, generated_at) VALUES ($1, $2, $3)",
        schema::DEMO_MARKER
    );
    let seed = i64::try_from(options.seed).unwrap_or(i64::MAX);
    let generated_at = clock.now().format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    on_pool!(db, |pool| {
        sqlx::query(&create)
            .execute(pool)
            .await
            .map_err(DbError::from)?;
        sqlx::query(&insert)
            .bind(options.scale)
            .bind(seed)
            .bind(&generated_at)
            .execute(pool)
            .await
            .map_err(DbError::from)?;
    });
    Ok(())
}

async fn ensure_empty(db: &Db) -> Result<(), DemoError> {
    let present = schema::table_names(db).await?;
    for table in schema::TABLES {
        if !present.iter().any(|name| name == table) {
            return Err(DemoError::NotMigrated { table });
        }
        let rows = schema::row_count(db, table).await?;
        if rows > 0 {
            return Err(DemoError::NotEmpty {
                table,
                rows: rows.unsigned_abs(),
            });
        }
    }
    Ok(())
}

fn in_schema_order(mut written: Vec<(&'static str, u64)>) -> Vec<(&'static str, u64)> {
    written.sort_by_key(|(table, _)| schema::TABLES.iter().position(|t| t == table));
    written
}
