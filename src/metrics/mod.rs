//! The metrics layer: every figure of the dashboard, computed from the data
//! layer and kept as snapshots so that readers never wait for the database.

pub mod compute;
pub mod document;
pub mod drilldown;
pub mod filter;
pub mod prefecture;
pub mod rate;
pub mod sections;
pub mod service;

use std::time::Duration;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Db, DbError};

pub use service::{MetricsService, Snapshot};

/// What computing figures needs: the database, the clock and a few settings.
#[derive(Clone, Debug)]
pub struct Context {
    pub db: Db,
    pub clock: Clock,
    /// Whether the database is the built-in demo.
    pub demo: bool,
    /// Denominator of the nationwide registration rate.
    pub national_bodies: i64,
    /// How long one panel's queries may run.
    pub statement_timeout: Duration,
}

impl Context {
    /// The context the settings describe, on `db`, with `clock` for "now".
    pub fn from_settings(db: Db, clock: Clock, settings: &Settings) -> Self {
        Self {
            db,
            clock,
            demo: settings.is_demo(),
            national_bodies: settings.national_bodies,
            statement_timeout: settings.statement_timeout(),
        }
    }
}

/// Why the dashboard could not be computed.
#[derive(Clone, Debug, thiserror::Error)]
pub enum MetricsError {
    /// A filter value does not exist in the data (a conference id, say).
    #[error("{0}")]
    InvalidParameter(String),
    /// The database cannot be reached at all.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The database answers but no connection became free in time.
    #[error("the database is busy: {0}")]
    Busy(String),
    /// Anything else; the message is safe to show.
    #[error("{0}")]
    Failed(String),
}

impl MetricsError {
    pub fn from_db(err: DbError) -> Self {
        if matches!(err, DbError::PoolExhausted) {
            return Self::Busy(err.to_string());
        }
        if err.is_unavailable() {
            return Self::Unavailable(err.to_string());
        }
        Self::Failed(err.to_string())
    }
}
