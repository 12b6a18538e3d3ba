//! `healthcheck`: asks a running server for `/healthz`, so that a container
//! image needs no curl for its health check.

use std::time::Duration;

use anyhow::{Context as _, anyhow};
use clap::Args;

use super::{Failure, exit};

#[derive(Args, Clone, Debug)]
pub struct HealthArgs {
    /// URL to ask; by default the local server's /healthz on PORT.
    #[arg(long)]
    pub url: Option<url::Url>,
}

pub async fn run(args: &HealthArgs) -> Result<(), Failure> {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(8050);
    let url = args.url.as_ref().map_or_else(
        || format!("http://127.0.0.1:{port}/healthz"),
        ToString::to_string,
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .context("cannot build an HTTP client")?;
    let response = client
        .get(&url)
        .send()
        .await
        .map_err(|err| Failure::new(exit::FAILURE, anyhow!("{url} did not answer: {err}")))?;
    if !response.status().is_success() {
        return Err(Failure::new(
            exit::FAILURE,
            anyhow!("{url} answered {}", response.status()),
        ));
    }
    println!("{url}: {}", response.status());
    Ok(())
}
