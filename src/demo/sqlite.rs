//! Loads the demo rows into SQLite: one transaction of multi-row `INSERT`s
//! with bound parameters.
//!
//! A statement binds at most [`MAX_PARAMETERS`] values (the bundled SQLite's
//! limit), so a batch holds as many rows as fit. Batches of one table share
//! one statement text, which the driver prepares once. Values bind exactly as
//! the driver binds them anywhere else: timestamps as `YYYY-MM-DD HH:MM:SS`,
//! dates as `YYYY-MM-DD`, booleans as 0/1.

use sqlx::Sqlite;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteConnection, SqlitePool};

use super::dataset::Dataset;
use super::rows::{Cell, Row};
use crate::db::DbError;

/// `SQLITE_MAX_VARIABLE_NUMBER` of the SQLite library sqlx bundles.
const MAX_PARAMETERS: usize = 32_766;

/// Writes every table in foreign-key order; returns the rows written per table.
pub async fn write(pool: &SqlitePool, data: &Dataset) -> Result<Vec<(&'static str, u64)>, DbError> {
    let mut tx = pool.begin().await?;
    let counts = vec![
        insert(&mut tx, data.bodies.iter()).await?,
        insert(&mut tx, data.parties.iter()).await?,
        insert(&mut tx, data.conferences.iter()).await?,
        insert(&mut tx, data.meetings.iter()).await?,
        insert(&mut tx, data.minutes.iter()).await?,
        insert(&mut tx, data.politicians.iter()).await?,
        insert(&mut tx, data.speakers.iter()).await?,
        insert(&mut tx, data.conversations()).await?,
        insert(&mut tx, data.llm_runs.iter()).await?,
    ];
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(counts)
}

async fn insert<R: Row>(
    conn: &mut SqliteConnection,
    rows: impl Iterator<Item = R>,
) -> Result<(&'static str, u64), DbError> {
    let per_batch = MAX_PARAMETERS / R::COLUMNS.len();
    let mut batch = Vec::with_capacity(per_batch);
    let mut written = 0;
    for row in rows {
        batch.push(row);
        if batch.len() == per_batch {
            written += insert_batch(conn, &batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        written += insert_batch(conn, &batch).await?;
    }
    Ok((R::TABLE, written))
}

async fn insert_batch<R: Row>(conn: &mut SqliteConnection, batch: &[R]) -> Result<u64, DbError> {
    let sql = insert_sql(R::TABLE, R::COLUMNS, batch.len());
    let cells: Vec<Vec<Cell<'_>>> = batch.iter().map(Row::cells).collect();
    let query = cells.iter().flatten().fold(sqlx::query(&sql), bind);
    Ok(query.execute(conn).await?.rows_affected())
}

/// `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), …` for `rows` rows.
fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    let values = vec![one.as_str(); rows].join(", ");
    format!(
        "INSERT INTO {table} ({}) VALUES {values}",
        columns.join(", ")
    )
}

fn bind<'q>(
    query: Query<'q, Sqlite, SqliteArguments<'q>>,
    cell: &Cell<'q>,
) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    match *cell {
        Cell::Null => query.bind(None::<i64>),
        Cell::Int(value) => query.bind(value),
        Cell::Bool(value) => query.bind(value),
        Cell::Text(text) => query.bind(text),
        Cell::Date(date) => query.bind(date),
        Cell::Time(time) => query.bind(time),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_statement_lists_one_placeholder_group_per_row() {
        let sql = insert_sql("t", &["a", "b"], 2);

        assert_eq!(sql, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }
}
