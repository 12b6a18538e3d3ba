//! The data layer's one error type: it says what failed in words an operator
//! can act on, and never carries SQL text or a connection string.

use std::fmt;

/// What went wrong talking to the database.
#[derive(Clone, Debug, thiserror::Error)]
pub enum DbError {
    /// The server could not be reached or the connection broke.
    #[error("the database is unreachable: {0}")]
    Unreachable(String),
    /// Every connection is busy and none became free in time.
    #[error(
        "no database connection became available in time: the database may be down or \
         unreachable, or every connection is busy"
    )]
    PoolExhausted,
    /// A statement ran longer than the statement timeout.
    #[error("the query exceeded the statement timeout")]
    Timeout,
    /// A table or column the query needs does not exist.
    #[error("the database lacks {0}")]
    MissingSchema(String),
    /// The database role may not read a table.
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// The database URL or options cannot be used.
    #[error("{0}")]
    Config(String),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Other(String),
}

impl DbError {
    /// A short machine-readable code, used in JSON and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable(_) => "database_unavailable",
            Self::PoolExhausted => "pool_exhausted",
            Self::Timeout => "timeout",
            Self::MissingSchema(_) => "missing_schema",
            Self::PermissionDenied(_) => "permission_denied",
            Self::Config(_) => "configuration",
            Self::Other(_) => "database_error",
        }
    }

    /// What went wrong and what to check, without the category prefix.
    pub fn reason(&self) -> String {
        match self {
            Self::Unreachable(reason) => reason.clone(),
            other => other.to_string(),
        }
    }

    /// Whether the failure means the whole database is out of reach.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::PoolExhausted)
    }
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::PoolTimedOut => Self::PoolExhausted,
            sqlx::Error::PoolClosed => Self::Unreachable("the connection pool is closed".into()),
            sqlx::Error::Io(io) => Self::Unreachable(io_reason(&io)),
            sqlx::Error::Tls(tls) => Self::Unreachable(format!("TLS: {tls}")),
            sqlx::Error::Database(db) => from_database_error(db.as_ref()),
            sqlx::Error::Configuration(cfg) => Self::Config(cfg.to_string()),
            other => Self::Other(Short(&other).to_string()),
        }
    }
}

fn from_database_error(db: &dyn sqlx::error::DatabaseError) -> DbError {
    let message = db.message().to_string();
    match db.code().as_deref() {
        Some("42P01") | Some("42703") => DbError::MissingSchema(message),
        Some("42501") => DbError::PermissionDenied(message),
        Some("57014") => DbError::Timeout,
        Some("57P01") | Some("57P02") => DbError::Unreachable(
            "the server ended the session (restart, shutdown or pg_terminate_backend)".into(),
        ),
        Some("57P03") => DbError::Unreachable(
            "the database server is starting up or shutting down; check the PostgreSQL log".into(),
        ),
        Some(code) if code.starts_with("08") || code.starts_with("57P") => DbError::Unreachable(
            format!("{message}; check that PostgreSQL is running and accepts connections"),
        ),
        Some("28P01") | Some("28000") => DbError::Unreachable(
            "authentication failed: check the user and password in DATABASE_URL and \
             pg_hba.conf"
                .into(),
        ),
        Some("3D000") => DbError::Unreachable(
            "the database named in DATABASE_URL does not exist: check its name".into(),
        ),
        _ if message.starts_with("no such table") || message.starts_with("no such column") => {
            DbError::MissingSchema(message)
        }
        _ => DbError::Other(message),
    }
}

/// Why a connection failed at the socket level, and what to check.
fn io_reason(io: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match io.kind() {
        ErrorKind::ConnectionRefused => "connection refused: check that PostgreSQL is running \
            and that the host and port in DATABASE_URL are right"
            .into(),
        ErrorKind::TimedOut => "the connection timed out: check the network and firewall \
            between the dashboard and the database host"
            .into(),
        ErrorKind::NotFound => "the database socket does not exist: check that PostgreSQL is \
            running and the host in DATABASE_URL"
            .into(),
        ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset | ErrorKind::BrokenPipe => {
            "the server closed the connection (restart or terminated session)".into()
        }
        _ => format!(
            "{}: check that PostgreSQL is running and that DATABASE_URL is right",
            io.to_string().lines().next().unwrap_or_default()
        ),
    }
}

/// The first line of an error's text, so that no query text leaks into logs.
struct Short<'a>(&'a sqlx::Error);

impl fmt::Display for Short<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        f.write_str(text.lines().next().unwrap_or_default())
    }
}
