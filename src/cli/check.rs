//! `check`: the operator's diagnosis of the database the dashboard would serve.
//! Exit code 0 only when the dashboard can serve.

use std::time::Duration;

use anyhow::anyhow;

use super::{Failure, exit};
use crate::config::Settings;
use crate::db::schema::{self, Schema, TABLES};
use crate::db::{Access, Db, integrity};
use crate::metrics::compute::NEEDS;

/// Tables without which the dashboard has nothing to show.
const REQUIRED: [&str; 3] = ["governing_bodies", "conferences", "meetings"];

pub async fn run(settings: &Settings) -> Result<(), Failure> {
    let url = settings.database();
    println!(
        "Database: {url}{}",
        if settings.is_demo() {
            " (demo data)"
        } else {
            ""
        }
    );
    if let crate::config::DatabaseUrl::Sqlite(path) = &url {
        if !path.exists() {
            return Err(Failure::new(
                exit::DATABASE,
                anyhow!(
                    "{} does not exist yet; `polibase-bi serve` creates the demo file, or set DATABASE_URL",
                    path.display()
                ),
            ));
        }
    }
    let db = Db::connect_lazy(&url, settings, Access::ReadOnly)
        .map_err(|err| Failure::new(exit::USAGE, err))?;
    match tokio::time::timeout(Duration::from_secs(10), db.ping()).await {
        Ok(Ok(())) => println!("Database connection: OK"),
        Ok(Err(err)) => return Err(connection_failed(err.to_string())),
        Err(_) => return Err(connection_failed("no answer within 10 s".into())),
    }
    let version = db
        .server_version()
        .await
        .unwrap_or_else(|err| format!("unknown ({err})"));
    println!("Server version: {version}");
    let schema = Schema::load(&db)
        .await
        .map_err(|err| Failure::new(exit::DATABASE, err))?;
    print_tables(&db, &schema).await;
    print_panels(&schema);
    print_findings(&db, &schema).await;
    print_settings(settings);
    db.close().await;
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|t| !schema.has_table(t))
        .collect();
    if !missing.is_empty() {
        return Err(Failure::new(
            exit::DATABASE,
            anyhow!(
                "the dashboard cannot serve: missing table(s) {}; run `polibase-bi migrate` on an \
             empty database or point DATABASE_URL at a Polibase database",
                missing.join(", ")
            ),
        ));
    }
    println!("\nResult: the dashboard can serve this database.");
    Ok(())
}

fn connection_failed(reason: String) -> Failure {
    println!("Database connection: FAILED");
    Failure::new(
        exit::DATABASE,
        anyhow!(
            "cannot connect to the database: {reason}; check DATABASE_URL, that the server runs \
         and that it accepts connections from here"
        ),
    )
}

async fn print_tables(db: &Db, schema: &Schema) {
    println!("\nTables:");
    for table in TABLES {
        if !schema.has_table(table) {
            println!("  {table:<24} MISSING");
            continue;
        }
        match schema::row_count(db, table).await {
            Ok(rows) => println!("  {table:<24} {rows:>12} rows"),
            Err(err) => println!("  {table:<24} cannot count rows: {err}"),
        }
    }
}

fn print_panels(schema: &Schema) {
    println!("\nPanels:");
    for (panel, needs) in NEEDS {
        match schema.first_missing(needs) {
            None => println!("  {panel:<16} ok"),
            Some(missing) => println!("  {panel:<16} WARNING: unavailable, needs {missing}"),
        }
    }
}

async fn print_findings(db: &Db, schema: &Schema) {
    println!("\nData integrity:");
    if REQUIRED.iter().any(|t| !schema.has_table(t)) || !schema.has_table("minutes") {
        println!("  skipped: tables are missing");
        return;
    }
    for finding in integrity::findings(db).await {
        match finding.count {
            Ok(0) => println!("  ok       {}", finding.what),
            Ok(n) => println!("  WARNING  {n} {}", finding.what),
            Err(err) => println!("  unknown  {}: {err}", finding.what),
        }
    }
}

fn print_settings(settings: &Settings) {
    println!("\nConfiguration:");
    let database = settings
        .database_url
        .as_ref()
        .map_or("(unset: demo data)".into(), |u| u.masked());
    let rows = [
        ("DATABASE_URL", database),
        ("BI_DEMO_PATH", settings.demo_path.display().to_string()),
        ("BI_TIMEZONE", settings.timezone.name().to_string()),
        ("BI_DB_TIMEZONE", settings.db_timezone.name().to_string()),
        (
            "BI_NOW",
            settings.now.map_or("(unset)".into(), |n| n.to_rfc3339()),
        ),
        ("BI_POOL_MAX", settings.pool_max.to_string()),
        (
            "BI_POOL_ACQUIRE_TIMEOUT_SECS",
            settings.pool_acquire_timeout_secs.to_string(),
        ),
        (
            "BI_STATEMENT_TIMEOUT_SECS",
            settings.statement_timeout_secs.to_string(),
        ),
        ("BI_NATIONAL_BODIES", settings.national_bodies.to_string()),
        (
            "LOG_FORMAT",
            format!("{:?}", settings.log_format).to_lowercase(),
        ),
    ];
    for (name, value) in rows {
        println!("  {name:<30} {value}");
    }
}
