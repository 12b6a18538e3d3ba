//! The data layer: connections to PostgreSQL or SQLite and every query the
//! dashboard runs, grouped by the dashboard section they feed.
//!
//! The dashboard only reads. PostgreSQL connections are opened with
//! `default_transaction_read_only` and a `statement_timeout`, so every query is
//! read-only and bounded without extra round trips; SQLite files are opened
//! read-only. Writing connections exist only for `migrate` and `demo-data`.
//! Nothing above this module knows which database it talks to.

pub mod availability;
mod dialect;
mod error;
pub mod integrity;
pub mod migrate;
pub mod queries;
pub mod schema;

use std::time::Duration;

use log::LevelFilter;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{ConnectOptions, Connection};

use crate::config::{DatabaseUrl, Settings};

pub use dialect::Dialect;
pub use error::DbError;

/// Runs the same sqlx expression against whichever pool `db` holds.
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Postgres($pool) => $body,
            $crate::db::Db::Sqlite($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// A pool of connections to the dashboard's database.
#[derive(Clone, Debug)]
pub enum Db {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

/// Whether a pool may write (only `migrate` and `demo-data`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    ReadOnly,
    ReadWrite,
}

impl Db {
    /// Opens a pool lazily: no connection is made until the first query, so the
    /// server starts even when the database is down.
    pub fn connect_lazy(
        url: &DatabaseUrl,
        settings: &Settings,
        access: Access,
    ) -> Result<Self, DbError> {
        match url {
            DatabaseUrl::Postgres(_) => {
                let options = pg_options(url, settings, access)?;
                let pool = PgPoolOptions::new()
                    .max_connections(query_connections(settings.pool_max, access))
                    .min_connections(0)
                    .acquire_timeout(settings.acquire_timeout())
                    .idle_timeout(Some(Duration::from_secs(300)))
                    .test_before_acquire(true)
                    // A wait for a busy pool is expected under load and ends in a 503 of its
                    // own; one log line per waiting query would flood the log.
                    .acquire_slow_level(LevelFilter::Debug)
                    .connect_lazy_with(options);
                Ok(Self::Postgres(pool))
            }
            DatabaseUrl::Sqlite(path) => {
                let options = SqliteConnectOptions::new()
                    .log_statements(LevelFilter::Off)
                    .log_slow_statements(LevelFilter::Off, Duration::from_secs(3600))
                    .filename(path)
                    .read_only(access == Access::ReadOnly)
                    .create_if_missing(access == Access::ReadWrite)
                    .busy_timeout(settings.statement_timeout());
                let pool = SqlitePoolOptions::new()
                    .max_connections(settings.pool_max)
                    .acquire_timeout(settings.acquire_timeout())
                    .acquire_slow_level(LevelFilter::Debug)
                    .connect_lazy_with(options);
                Ok(Self::Sqlite(pool))
            }
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Self::Postgres(_) => Dialect::Postgres,
            Self::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// Answers whether the database responds to a trivial query.
    pub async fn ping(&self) -> Result<(), DbError> {
        let _: i32 = on_pool!(self, |pool| sqlx::query_scalar("SELECT 1")
            .fetch_one(pool)
            .await)?;
        Ok(())
    }

    /// Tries one new connection outside the pool, so that a down database is
    /// told apart from a busy pool and the reason is the server's own. Bounded by
    /// `limit`; SQLite files are simply pinged.
    pub async fn probe(&self, limit: Duration) -> Result<(), DbError> {
        let Self::Postgres(pool) = self else {
            return self.ping().await;
        };
        let options = pool.connect_options();
        let attempt = async {
            let connection = PgConnection::connect_with(&options).await?;
            connection.close().await
        };
        match tokio::time::timeout(limit, attempt).await {
            Ok(outcome) => Ok(outcome?),
            Err(_) => Err(DbError::Unreachable(format!(
                "no answer within {} s: check the network and firewall between the \
                 dashboard and the database host",
                limit.as_secs().max(1)
            ))),
        }
    }

    /// Most connections the pool may hold.
    pub fn max_connections(&self) -> u32 {
        on_pool!(self, |pool| pool.options().get_max_connections())
    }

    /// The server's version string (`PostgreSQL 15.4 …` or `SQLite 3.45.0`).
    pub async fn server_version(&self) -> Result<String, DbError> {
        match self {
            Self::Postgres(pool) => Ok(sqlx::query_scalar("SELECT version()")
                .fetch_one(pool)
                .await?),
            Self::Sqlite(pool) => {
                let version: String = sqlx::query_scalar("SELECT sqlite_version()")
                    .fetch_one(pool)
                    .await?;
                Ok(format!("SQLite {version}"))
            }
        }
    }

    /// Closes the pool. It is closed as soon as this is called (connections given
    /// back afterwards are closed, not kept); the future resolves once every
    /// connection is closed.
    pub fn close(&self) -> impl std::future::Future<Output = ()> + '_ {
        match self {
            Self::Postgres(pool) => futures::future::Either::Left(pool.close()),
            Self::Sqlite(pool) => futures::future::Either::Right(pool.close()),
        }
    }

    /// Connections currently open and idle, for the pool gauges.
    pub fn pool_state(&self) -> (u32, usize) {
        match self {
            Self::Postgres(pool) => (pool.size(), pool.num_idle()),
            Self::Sqlite(pool) => (pool.size(), pool.num_idle()),
        }
    }
}

/// Connections a PostgreSQL pool may hold. A read-only pool keeps one of `pool_max` free for
/// the single direct connection that tells a down database from a busy pool, so that the
/// two together never pass `pool_max`.
fn query_connections(pool_max: u32, access: Access) -> u32 {
    if access == Access::ReadOnly && pool_max > 1 {
        pool_max - 1
    } else {
        pool_max
    }
}

fn pg_options(
    url: &DatabaseUrl,
    settings: &Settings,
    access: Access,
) -> Result<PgConnectOptions, DbError> {
    let options: PgConnectOptions = url
        .expose()
        .parse()
        .map_err(|_| DbError::Config(format!("cannot use database URL {}", url.masked())))?;
    // sqlx would log slow statements with their SQL text; panels report their own timings.
    let options = options
        .application_name("polibase-bi")
        .log_statements(LevelFilter::Off)
        .log_slow_statements(LevelFilter::Off, Duration::from_secs(3600));
    if access == Access::ReadWrite {
        return Ok(options);
    }
    let timeout_ms = settings.statement_timeout().as_millis().to_string();
    Ok(options.options([
        ("default_transaction_read_only", "on"),
        ("statement_timeout", timeout_ms.as_str()),
        ("idle_in_transaction_session_timeout", "30000"),
    ]))
}
