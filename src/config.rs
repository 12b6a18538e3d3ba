//! Settings shared by every subcommand: each one is a command-line flag with an
//! environment fallback (and so can come from `.env`), validated once at start.
//!
//! Secrets (the database password, tokens) never appear in `Debug` output or in
//! `check`: [`DatabaseUrl`] prints itself with the password masked.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use clap::{Args, ValueEnum};
use url::Url;

/// Where the dashboard's data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A PostgreSQL server: `postgres://` or `postgresql://`.
    Postgres(Url),
    /// A SQLite file: `sqlite://path`.
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    /// The URL as the driver needs it, password included. Never log this.
    pub fn expose(&self) -> String {
        match self {
            Self::Postgres(url) => url.to_string(),
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
        }
    }

    /// The URL with its password replaced by `****`, safe to print.
    pub fn masked(&self) -> String {
        match self {
            Self::Postgres(url) => mask_password(url),
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
        }
    }
}

fn mask_password(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        // Setting a password only fails on URLs without a host, which never parse here.
        let _ = shown.set_password(Some("****"));
    }
    shown.to_string()
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err("a sqlite URL needs a file path: sqlite://polibase.sqlite".into());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        let url = Url::parse(raw).map_err(|err| {
            format!(
                "`{}` is not a database URL ({err}); expected \
                 postgresql://user:password@host:5432/database or sqlite://path",
                mask_raw(raw)
            )
        })?;
        match url.scheme() {
            "postgres" | "postgresql" if url.host_str().is_some() => Ok(Self::Postgres(url)),
            "postgres" | "postgresql" => Err(format!(
                "`{}` names no host; expected postgresql://user:password@host:5432/database",
                mask_password(&url)
            )),
            other => Err(format!(
                "unsupported database scheme `{other}` in `{}`; use postgresql:// or sqlite://",
                mask_password(&url)
            )),
        }
    }
}

/// Masks whatever stands between `://user:` and `@` in a URL that did not parse.
fn mask_raw(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://") else {
        return raw.to_string();
    };
    let rest = &raw[scheme_end + 3..];
    let Some(at) = rest.rfind('@') else {
        return raw.to_string();
    };
    let userinfo = &rest[..at];
    match userinfo.find(':') {
        Some(colon) => format!(
            "{}{}:****{}",
            &raw[..scheme_end + 3],
            &userinfo[..colon],
            &rest[at..]
        ),
        None => raw.to_string(),
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Settings every subcommand reads.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// PostgreSQL URL of the Polibase database (or sqlite://path). Unset: the demo database.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<DatabaseUrl>,

    /// Demo database file served when DATABASE_URL is not set.
    #[arg(
        long,
        env = "BI_DEMO_PATH",
        default_value = "polibase-bi-demo.sqlite",
        global = true
    )]
    pub demo_path: PathBuf,

    /// Time zone whose calendar date is "today" on the dashboard.
    #[arg(long, env = "BI_TIMEZONE", default_value = "Asia/Tokyo", global = true)]
    pub timezone: Tz,

    /// Time zone in which the database wrote its timestamps (`timestamp without time zone`).
    #[arg(long, env = "BI_DB_TIMEZONE", default_value = "UTC", global = true)]
    pub db_timezone: Tz,

    /// Freezes "now" at this RFC 3339 time, for reproducible reports and tests.
    #[arg(long, env = "BI_NOW", global = true)]
    pub now: Option<DateTime<FixedOffset>>,

    /// Log line format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t, global = true)]
    pub log_format: LogFormat,

    /// Most database connections the dashboard opens (2–100; one stays free for checking the
    /// database when queries fail).
    #[arg(long, env = "BI_POOL_MAX", default_value_t = 5, global = true,
          value_parser = clap::value_parser!(u32).range(2..=100))]
    pub pool_max: u32,

    /// Seconds a request waits for a free database connection before it gets a 503 (1–600).
    #[arg(long, env = "BI_POOL_ACQUIRE_TIMEOUT_SECS", default_value_t = 5, global = true,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub pool_acquire_timeout_secs: u64,

    /// Seconds one panel's queries may run before they are cancelled (1–3600).
    #[arg(long, env = "BI_STATEMENT_TIMEOUT_SECS", default_value_t = 10, global = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub statement_timeout_secs: u64,

    /// Denominator of the nationwide registration rate: the national code list plus the state.
    #[arg(long, env = "BI_NATIONAL_BODIES", default_value_t = 1966, global = true,
          value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub national_bodies: i64,
}

impl Settings {
    /// The database to use: the one named, or the demo file.
    pub fn database(&self) -> DatabaseUrl {
        self.database_url
            .clone()
            .unwrap_or_else(|| DatabaseUrl::Sqlite(self.demo_path.clone()))
    }

    /// Whether the dashboard serves the built-in demo database.
    pub fn is_demo(&self) -> bool {
        self.database_url.is_none()
    }

    pub fn acquire_timeout(&self) -> Duration {
        Duration::from_secs(self.pool_acquire_timeout_secs.max(1))
    }

    pub fn statement_timeout(&self) -> Duration {
        Duration::from_secs(self.statement_timeout_secs.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoded_password_survives_and_is_masked() {
        let url: DatabaseUrl = "postgresql://bi:p%40ss%3Aw%2Frd%25%23%3F@127.0.0.1:5432/db"
            .parse()
            .unwrap();

        assert_eq!(url.masked(), "postgresql://bi:****@127.0.0.1:5432/db");
        assert!(url.expose().contains("p%40ss%3Aw%2Frd%25%23%3F"));
        assert!(!format!("{url:?}").contains("p%40ss"));
    }

    #[test]
    fn malformed_url_is_rejected_with_password_masked() {
        let err = "postgresql://bi:secret@host:notaport/db"
            .parse::<DatabaseUrl>()
            .unwrap_err();

        assert!(err.contains("bi:****@host"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn sqlite_and_unknown_schemes() {
        assert_eq!(
            "sqlite://demo.sqlite".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Sqlite("demo.sqlite".into())
        );
        assert!(
            "mysql://u:p@h/db"
                .parse::<DatabaseUrl>()
                .unwrap_err()
                .contains("u:****@h")
        );
    }
}
