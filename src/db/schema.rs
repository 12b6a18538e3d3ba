//! What the connected database actually has: its tables, their columns and row
//! counts. Real Polibase databases sit at different migrations, so panels ask
//! this module whether their inputs exist instead of failing on them.

use std::collections::{BTreeMap, BTreeSet};

use super::{Db, DbError, on_pool};

/// The Polibase tables the dashboard reads, in the order `check` lists them.
pub const TABLES: [&str; 9] = [
    "governing_bodies",
    "conferences",
    "meetings",
    "minutes",
    "speakers",
    "conversations",
    "politicians",
    "political_parties",
    "llm_processing_history",
];

/// The table `demo-data` adds beside the Polibase tables: its presence marks invented data.
pub const DEMO_MARKER: &str = "polibase_bi_demo";

/// Tables and their columns as the database reports them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    pub tables: BTreeMap<String, BTreeSet<String>>,
}

impl Schema {
    /// Reads the tables and columns of the current schema, readable or not.
    pub async fn load(db: &Db) -> Result<Self, DbError> {
        let sql = match db {
            // The catalog, not information_schema: the latter hides tables the role may not
            // read, which would turn "permission denied" into "missing table".
            Db::Postgres(_) => {
                "SELECT CAST(c.relname AS TEXT), CAST(a.attname AS TEXT) \
                 FROM pg_catalog.pg_attribute a \
                 JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
                 WHERE c.relnamespace = CAST(current_schema() AS regnamespace) \
                   AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
                   AND a.attnum > 0 AND NOT a.attisdropped"
            }
            Db::Sqlite(_) => {
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table'"
            }
        };
        let rows: Vec<(String, String)> =
            on_pool!(db, |pool| sqlx::query_as(sql).fetch_all(pool).await)?;
        let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (table, column) in rows {
            tables.entry(table).or_default().insert(column);
        }
        Ok(Self { tables })
    }

    pub fn has_table(&self, table: &str) -> bool {
        self.tables.contains_key(table)
    }

    /// Whether `demo-data` filled this database.
    pub fn is_demo(&self) -> bool {
        self.has_table(DEMO_MARKER)
    }

    pub fn has_column(&self, table: &str, column: &str) -> bool {
        self.tables
            .get(table)
            .is_some_and(|columns| columns.contains(column))
    }

    /// The first of `needs` (`table` or `table.column`) that this schema lacks.
    pub fn first_missing<'a>(&self, needs: &[&'a str]) -> Option<&'a str> {
        needs
            .iter()
            .copied()
            .find(|need| match need.split_once('.') {
                Some((table, column)) => !self.has_column(table, column),
                None => !self.has_table(need),
            })
    }
}

/// Names of all tables in the current schema.
pub async fn table_names(db: &Db) -> Result<Vec<String>, DbError> {
    let sql = match db {
        Db::Postgres(_) => {
            "SELECT CAST(relname AS TEXT) FROM pg_catalog.pg_class \
             WHERE relnamespace = CAST(current_schema() AS regnamespace) \
               AND relkind IN ('r', 'p', 'v', 'm', 'f')"
        }
        Db::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table'",
    };
    Ok(on_pool!(db, |pool| sqlx::query_scalar(sql)
        .fetch_all(pool)
        .await)?)
}

/// Exact row count of one of the known tables.
pub async fn row_count(db: &Db, table: &str) -> Result<i64, DbError> {
    if !TABLES.contains(&table) {
        return Err(DbError::Other(format!("unknown table {table}")));
    }
    // The table name comes from the constant list above, never from input.
    let sql = format!("SELECT COUNT(*) FROM {table}");
    Ok(on_pool!(db, |pool| sqlx::query_scalar(&sql)
        .fetch_one(pool)
        .await)?)
}
