//! Foreign keys and secondary indexes set aside while PostgreSQL loads the demo.
//!
//! Checking two million conversation references one row at a time, and
//! growing four indexes row by row, costs several times the `COPY` itself;
//! building each index once and validating each foreign key in one pass at the
//! end gives the same guarantees in a fraction of the time. The definitions
//! are read from the catalog, not repeated here, so they come back exactly as
//! the migrations made them. Everything happens inside the loading transaction:
//! if any step fails, the rollback restores the original schema.

use sqlx::postgres::PgConnection;

use crate::db::DbError;

/// Memory for rebuilding the indexes, for this transaction only.
const INDEX_MEMORY: &str = "SET LOCAL maintenance_work_mem = '256MB'";

const FOREIGN_KEYS: &str = "\
    SELECT CAST(t.relname AS TEXT), CAST(c.conname AS TEXT), pg_get_constraintdef(c.oid) \
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
    WHERE c.contype = 'f' AND t.relnamespace = CAST(current_schema() AS regnamespace) \
      AND t.relname = ANY($1) \
    ORDER BY 1, 2";

/// Indexes of the tables that no constraint owns (primary and unique keys stay).
const INDEXES: &str = "\
    SELECT CAST(c.relname AS TEXT), pg_get_indexdef(i.indexrelid) \
    FROM pg_index i \
    JOIN pg_class c ON c.oid = i.indexrelid \
    JOIN pg_class t ON t.oid = i.indrelid \
    WHERE t.relnamespace = CAST(current_schema() AS regnamespace) AND t.relname = ANY($1) \
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) \
    ORDER BY 1";

/// What was dropped, to be restored after the load.
#[derive(Debug)]
pub struct Deferred {
    /// Table, constraint name and definition (`FOREIGN KEY (…) REFERENCES …`).
    foreign_keys: Vec<(String, String, String)>,
    /// Index name and its full `CREATE INDEX` statement.
    indexes: Vec<(String, String)>,
}

impl Deferred {
    /// Drops the foreign keys and secondary indexes of `tables`.
    pub async fn drop(conn: &mut PgConnection, tables: &[&str]) -> Result<Self, DbError> {
        let foreign_keys: Vec<(String, String, String)> = sqlx::query_as(FOREIGN_KEYS)
            .bind(tables)
            .fetch_all(&mut *conn)
            .await?;
        let indexes: Vec<(String, String)> = sqlx::query_as(INDEXES)
            .bind(tables)
            .fetch_all(&mut *conn)
            .await?;
        for (table, name, _) in &foreign_keys {
            let sql = format!(
                "ALTER TABLE {} DROP CONSTRAINT {}",
                quoted(table),
                quoted(name)
            );
            sqlx::query(&sql).execute(&mut *conn).await?;
        }
        for (name, _) in &indexes {
            sqlx::query(&format!("DROP INDEX {}", quoted(name)))
                .execute(&mut *conn)
                .await?;
        }
        Ok(Self {
            foreign_keys,
            indexes,
        })
    }

    /// Rebuilds the indexes and re-adds (and so validates) the foreign keys.
    pub async fn restore(self, conn: &mut PgConnection) -> Result<(), DbError> {
        sqlx::query(INDEX_MEMORY).execute(&mut *conn).await?;
        for (_, definition) in &self.indexes {
            sqlx::query(definition).execute(&mut *conn).await?;
        }
        for (table, name, definition) in &self.foreign_keys {
            let sql = format!(
                "ALTER TABLE {} ADD CONSTRAINT {} {definition}",
                quoted(table),
                quoted(name)
            );
            sqlx::query(&sql).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// A catalog name as an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
