//! Loads the demo rows into PostgreSQL with `COPY … FROM STDIN` (text format).
//!
//! Rows are encoded into a buffer that is sent whenever it passes
//! [`CHUNK_BYTES`], so memory stays flat however many conversations there are.
//! Everything loads in one transaction: a failure leaves the database empty.
//! Foreign keys and secondary indexes are set aside during the load (see
//! [`Deferred`]). Ids are written explicitly, so each serial sequence is then moved past the
//! highest id, and the tables are analysed for the dashboard's query plans.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use sqlx::postgres::{PgConnection, PgPool};

use super::dataset::Dataset;
use super::deferred::Deferred;
use super::rows::{Cell, Row};
use crate::db::{DbError, schema};

/// Bytes of encoded rows sent per `COPY` message.
const CHUNK_BYTES: usize = 1 << 20;

/// Writes every table in foreign-key order; returns the rows written per table.
pub async fn write(pool: &PgPool, data: &Dataset) -> Result<Vec<(&'static str, u64)>, DbError> {
    let mut tx = pool.begin().await?;
    let deferred = Deferred::drop(&mut tx, &schema::TABLES).await?;
    let counts = vec![
        copy(&mut tx, data.bodies.iter()).await?,
        copy(&mut tx, data.parties.iter()).await?,
        copy(&mut tx, data.conferences.iter()).await?,
        copy(&mut tx, data.meetings.iter()).await?,
        copy(&mut tx, data.minutes.iter()).await?,
        copy(&mut tx, data.politicians.iter()).await?,
        copy(&mut tx, data.speakers.iter()).await?,
        copy(&mut tx, data.conversations()).await?,
        copy(&mut tx, data.llm_runs.iter()).await?,
    ];
    deferred.restore(&mut tx).await?;
    for (table, _) in &counts {
        reset_sequence(&mut tx, table).await?;
    }
    tx.commit().await?;
    analyze(pool, &counts).await?;
    Ok(counts)
}

async fn copy<R: Row>(
    conn: &mut PgConnection,
    rows: impl Iterator<Item = R>,
) -> Result<(&'static str, u64), DbError> {
    let sql = format!("COPY {} ({}) FROM STDIN", R::TABLE, R::COLUMNS.join(", "));
    let mut copy = conn.copy_in_raw(&sql).await?;
    let mut buffer = Vec::with_capacity(CHUNK_BYTES + 4_096);
    for row in rows {
        encode_row(&mut buffer, &row.cells());
        if buffer.len() >= CHUNK_BYTES {
            copy.send(std::mem::take(&mut buffer)).await?;
            buffer.reserve(CHUNK_BYTES + 4_096);
        }
    }
    if !buffer.is_empty() {
        copy.send(buffer).await?;
    }
    Ok((R::TABLE, copy.finish().await?))
}

/// Makes the next generated id follow the highest one written.
async fn reset_sequence(conn: &mut PgConnection, table: &str) -> Result<(), DbError> {
    // Table names come from the row types' constants, never from input.
    let sql = format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) \
         FROM {table}"
    );
    sqlx::query(&sql).execute(conn).await?;
    Ok(())
}

async fn analyze(pool: &PgPool, counts: &[(&'static str, u64)]) -> Result<(), DbError> {
    let tables: Vec<&str> = counts.iter().map(|(table, _)| *table).collect();
    sqlx::query(&format!("ANALYZE {}", tables.join(", ")))
        .execute(pool)
        .await?;
    Ok(())
}

/// Appends one row in COPY text format: tab-separated, `\N` for NULL.
fn encode_row(buffer: &mut Vec<u8>, cells: &[Cell<'_>]) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            buffer.push(b'\t');
        }
        match *cell {
            Cell::Null => buffer.extend_from_slice(b"\\N"),
            Cell::Int(value) => buffer.extend_from_slice(value.to_string().as_bytes()),
            Cell::Bool(value) => buffer.push(if value { b't' } else { b'f' }),
            Cell::Text(text) => escape(buffer, text),
            Cell::Date(date) => push_date(buffer, date),
            Cell::Time(time) => push_time(buffer, time),
        }
    }
    buffer.push(b'\n');
}

/// Escapes the bytes COPY's text format gives a meaning to.
fn escape(buffer: &mut Vec<u8>, text: &str) {
    if !text
        .bytes()
        .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
    {
        buffer.extend_from_slice(text.as_bytes());
        return;
    }
    for byte in text.bytes() {
        match byte {
            b'\\' => buffer.extend_from_slice(b"\\\\"),
            b'\t' => buffer.extend_from_slice(b"\\t"),
            b'\n' => buffer.extend_from_slice(b"\\n"),
            b'\r' => buffer.extend_from_slice(b"\\r"),
            other => buffer.push(other),
        }
    }
}

/// `YYYY-MM-DD`, written by hand: `format!` would dominate a two-million-row load.
fn push_date(buffer: &mut Vec<u8>, date: NaiveDate) {
    push_digits(buffer, date.year().unsigned_abs(), 4);
    buffer.push(b'-');
    push_digits(buffer, date.month(), 2);
    buffer.push(b'-');
    push_digits(buffer, date.day(), 2);
}

/// `YYYY-MM-DD HH:MM:SS`; demo times are whole seconds.
fn push_time(buffer: &mut Vec<u8>, time: NaiveDateTime) {
    push_date(buffer, time.date());
    buffer.push(b' ');
    push_digits(buffer, time.hour(), 2);
    buffer.push(b':');
    push_digits(buffer, time.minute(), 2);
    buffer.push(b':');
    push_digits(buffer, time.second(), 2);
}

fn push_digits(buffer: &mut Vec<u8>, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u32.pow(place)) % 10;
        buffer.push(b'0' + digit as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_encoded_in_copy_text_format() {
        let time = NaiveDate::from_ymd_opt(2026, 3, 9)
            .unwrap()
            .and_hms_opt(7, 5, 0)
            .unwrap();
        let cells = [
            Cell::Int(-12),
            Cell::Null,
            Cell::Bool(true),
            Cell::Text("a\tb\\c\nd"),
            Cell::Date(time.date()),
            Cell::Time(time),
        ];
        let mut buffer = Vec::new();

        encode_row(&mut buffer, &cells);

        let expected = "-12\t\\N\tt\ta\\tb\\\\c\\nd\t2026-03-09\t2026-03-09 07:05:00\n";
        assert_eq!(String::from_utf8(buffer).unwrap(), expected);
    }
}
