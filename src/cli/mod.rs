//! The command line: one module per subcommand. Start-up errors are printed
//! once, with their causes, and end the process with a distinct exit code.

mod check;
mod demo_data;
mod export;
mod hash_password;
mod healthcheck;
mod migrate;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::clock::Clock;
use crate::config::Settings;

/// Exit codes, so that scripts can tell failures apart.
pub mod exit {
    /// Something failed; the message says what.
    pub const FAILURE: u8 = 1;
    /// The command line or a setting is wrong.
    pub const USAGE: u8 = 2;
    /// The database cannot be reached or lacks what the dashboard needs.
    pub const DATABASE: u8 = 3;
    /// The server cannot listen on its address.
    pub const LISTEN: u8 = 4;
}

/// Coverage, linking and processing dashboard for a Polibase database.
#[derive(Debug, Parser)]
#[command(name = "polibase-bi", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    settings: Settings,

    #[command(flatten)]
    serve: serve::ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the dashboard over HTTP (the default).
    Serve,
    /// Create the Polibase tables in an empty database.
    Migrate,
    /// Fill an empty database with deterministic demo data.
    DemoData(demo_data::DemoArgs),
    /// Diagnose the database connection, schema, data and configuration.
    Check,
    /// Ask a running server whether it is alive (for container health checks).
    Healthcheck(healthcheck::HealthArgs),
    /// Write the dashboard's tables as CSV, an Excel workbook or JSON into a directory.
    Export(export::ExportArgs),
    /// Read a password from standard input and print a `user:hash` line for BI_AUTH_USERS_FILE.
    HashPassword(hash_password::HashArgs),
}

/// A failure that ends a command, with the exit code it deserves.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn new(code: u8, error: impl Into<anyhow::Error>) -> Self {
        Self {
            code,
            error: error.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Self {
            code: exit::FAILURE,
            error,
        }
    }
}

/// Parses the command line (after loading `.env`) and runs the subcommand.
pub fn main() -> ExitCode {
    let dotenv = dotenvy::dotenv();
    let cli = Cli::parse();
    crate::telemetry::init(cli.settings.log_format);
    if let Err(err) = dotenv {
        if !err.not_found() {
            tracing::warn!(error = %err, "the .env file could not be read; ignoring it");
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return report(Failure::new(exit::FAILURE, err)),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(failure),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(&settings, &cli.serve).await,
        Command::Migrate => migrate::run(&settings).await,
        Command::DemoData(args) => demo_data::run(&settings, &args).await,
        Command::Check => check::run(&settings).await,
        Command::Healthcheck(args) => healthcheck::run(&args).await,
        Command::Export(args) => export::run(&settings, &args).await,
        Command::HashPassword(args) => hash_password::run(&args),
    }
}

/// Prints the error and its causes on one line each, then exits with its code.
fn report(failure: Failure) -> ExitCode {
    let mut message = format!("error: {}", failure.error);
    for cause in failure.error.chain().skip(1) {
        message.push_str(&format!("\n  caused by: {cause}"));
    }
    eprintln!("{message}");
    ExitCode::from(failure.code)
}

/// The clock all commands share, built from the settings.
pub fn clock(settings: &Settings) -> Clock {
    let frozen = settings.now.map(|now| now.with_timezone(&chrono::Utc));
    Clock::new(settings.timezone, settings.db_timezone, frozen)
}
