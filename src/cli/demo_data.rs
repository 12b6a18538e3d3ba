//! `demo-data`: fills an empty database with deterministic demo data.

use anyhow::anyhow;
use clap::Args;

use super::{Failure, clock, exit};
use crate::config::Settings;
use crate::db::migrate::{self, Outcome};
use crate::db::{Access, Db};
use crate::demo::{self, DemoOptions};

#[derive(Args, Clone, Debug)]
pub struct DemoArgs {
    /// Size relative to a national database today (1 ≈ 20,000 meetings, 2,000,000 conversations).
    #[arg(long, default_value_t = 0.05, value_parser = parse_scale)]
    pub scale: f64,

    /// Random seed; the same scale and seed always give the same data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// A scale is a positive number up to the generator's maximum; checked before connecting.
fn parse_scale(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(scale) if scale > 0.0 && scale <= demo::MAX_SCALE => Ok(scale),
        _ => Err(format!(
            "`{value}` is not a scale above 0 and at most {}",
            demo::MAX_SCALE
        )),
    }
}

pub async fn run(settings: &Settings, args: &DemoArgs) -> Result<(), Failure> {
    let url = settings.database();
    let db = Db::connect_lazy(&url, settings, Access::ReadWrite)
        .map_err(|err| Failure::new(exit::USAGE, err))?;
    let database_failure = |err: crate::db::DbError| {
        let code = if err.is_unavailable() {
            exit::DATABASE
        } else {
            exit::FAILURE
        };
        Failure::new(code, anyhow!(err).context(format!("cannot prepare {url}")))
    };
    if let Outcome::ManagedByPolibase = migrate::run(&db).await.map_err(database_failure)? {
        return Err(Failure::new(
            exit::FAILURE,
            anyhow!("{url} is a Polibase database; demo data only goes into an empty database"),
        ));
    }
    let options = DemoOptions {
        scale: args.scale,
        seed: args.seed,
    };
    let summary = demo::generate(&db, &options, &clock(settings))
        .await
        .map_err(|err| Failure::new(exit::FAILURE, err))?;
    for (table, rows) in &summary.rows {
        println!("{table:<24} {rows:>12}");
    }
    println!(
        "Demo data loaded into {url} in {:.1} s",
        summary.elapsed.as_secs_f64()
    );
    db.close().await;
    Ok(())
}
