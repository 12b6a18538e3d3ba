//! `migrate`: creates the Polibase tables in an empty database.

use anyhow::anyhow;

use super::{Failure, exit};
use crate::config::Settings;
use crate::db::migrate::{self, Outcome};
use crate::db::{Access, Db};

pub async fn run(settings: &Settings) -> Result<(), Failure> {
    let url = settings.database();
    let db = Db::connect_lazy(&url, settings, Access::ReadWrite)
        .map_err(|err| Failure::new(exit::USAGE, err))?;
    let outcome = migrate::run(&db).await.map_err(|err| {
        let code = if err.is_unavailable() {
            exit::DATABASE
        } else {
            exit::FAILURE
        };
        Failure::new(code, anyhow!(err).context(format!("cannot migrate {url}")))
    })?;
    match outcome {
        Outcome::Created { version } => {
            println!("Created the Polibase tables (schema version {version}) in {url}");
        }
        Outcome::UpToDate { version } => {
            println!("Schema is already up to date (version {version}) in {url}; nothing changed");
        }
        Outcome::ManagedByPolibase => {
            println!(
                "{url} already has Polibase tables that polibase-bi did not create: this \
                 database is managed by Polibase itself, so nothing was changed."
            );
        }
    }
    db.close().await;
    Ok(())
}
