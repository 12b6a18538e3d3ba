//! Creates the Polibase tables in an empty database, for demos, tests and
//! development. A database whose Polibase tables someone else created belongs
//! to Polibase itself, and this module refuses to touch it.

use sqlx::migrate::Migrator;

use super::{Db, DbError, schema};

static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");
static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");

/// What `migrate` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The tables were created now, at the given version.
    Created { version: i64 },
    /// Every migration was already applied; nothing changed.
    UpToDate { version: i64 },
    /// The tables exist but were not created by this program: nothing changed.
    ManagedByPolibase,
}

/// Applies the schema migrations, versioned and idempotent.
pub async fn run(db: &Db) -> Result<Outcome, DbError> {
    let tables = schema::table_names(db).await?;
    let ours = tables.iter().any(|t| t == "_sqlx_migrations");
    let polibase = tables.iter().any(|t| t == "governing_bodies");
    if polibase && !ours {
        return Ok(Outcome::ManagedByPolibase);
    }
    let migrator = match db {
        Db::Postgres(_) => &POSTGRES,
        Db::Sqlite(_) => &SQLITE,
    };
    let result = match db {
        Db::Postgres(pool) => migrator.run(pool).await,
        Db::Sqlite(pool) => migrator.run(pool).await,
    };
    result.map_err(|err| DbError::Other(format!("migration failed: {err}")))?;
    let version = migrator.iter().map(|m| m.version).max().unwrap_or_default();
    Ok(if ours {
        Outcome::UpToDate { version }
    } else {
        Outcome::Created { version }
    })
}
