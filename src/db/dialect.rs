//! The few places where PostgreSQL and SQLite spell the same idea differently:
//! time-zone conversion, month labels, durations and lists of ids.
//!
//! Everything else is shared SQL. Fragments here only ever interpolate values
//! that the program itself produced (zone names validated at start, integers),
//! never user input; user input is always bound as a parameter.

use crate::clock::Clock;

/// Which SQL dialect a query is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Sqlite,
}

impl Dialect {
    /// The date, in the dashboard's zone, of a stored wall-clock timestamp column.
    ///
    /// SQLite has no zone database, so it shifts by the current offset between the
    /// two zones; this is exact for zones without daylight saving time (Japan, UTC).
    pub fn local_date(self, column: &str, clock: &Clock) -> String {
        match self {
            Self::Postgres => format!(
                "CAST(({column} AT TIME ZONE '{}') AT TIME ZONE '{}' AS DATE)",
                clock.db_zone.name(),
                clock.zone.name()
            ),
            Self::Sqlite => {
                format!("date({column}, '{:+} seconds')", clock.offset_seconds())
            }
        }
    }

    /// `YYYY-MM` of a date column.
    pub fn month_of(self, column: &str) -> String {
        match self {
            Self::Postgres => format!("to_char({column}, 'YYYY-MM')"),
            Self::Sqlite => format!("strftime('%Y-%m', {column})"),
        }
    }

    /// Whole milliseconds between two timestamp columns, as an integer (exact in both).
    pub fn millis_between(self, start: &str, end: &str) -> String {
        match self {
            Self::Postgres => {
                format!("CAST(ROUND(EXTRACT(EPOCH FROM ({end} - {start})) * 1000) AS BIGINT)")
            }
            Self::Sqlite => format!(
                "CAST(ROUND((unixepoch({end}, 'subsec') - unixepoch({start}, 'subsec')) * 1000) \
                 AS INTEGER)"
            ),
        }
    }

    /// A subquery yielding the integers of a JSON array bound at parameter `$n`.
    pub fn id_list(self, n: usize) -> String {
        match self {
            Self::Postgres => {
                format!(
                    "SELECT CAST(value AS INTEGER) FROM json_array_elements_text(CAST(${n} AS JSON))"
                )
            }
            Self::Sqlite => format!("SELECT value FROM json_each(${n})"),
        }
    }
}
