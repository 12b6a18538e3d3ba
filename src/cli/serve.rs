//! `serve`: the HTTP server, on the configured database or the demo file.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use tokio::net::TcpListener;

use super::{Failure, clock, exit};
use crate::config::Settings;
use crate::db::{Access, Db};
use crate::http::{self, AppState, Limits, Prometheus};
use crate::metrics::filter::Filters;
use crate::metrics::{Context, MetricsService};

/// Options of the HTTP server.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "BIND_ADDRESS", default_value = "0.0.0.0", global = true)]
    pub bind: IpAddr,

    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = 8050, global = true)]
    pub port: u16,

    /// Seconds after which a cached dashboard is recomputed in the background (1–86400).
    #[arg(long, env = "BI_CACHE_TTL_SECS", default_value_t = 60, global = true,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub cache_ttl_secs: u64,

    /// Seconds a request may take before it is answered with 503 (1–3600).
    #[arg(long, env = "BI_REQUEST_TIMEOUT_SECS", default_value_t = 30, global = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout_secs: u64,

    /// Requests served at once; beyond this the server answers 503 at once (1–100000).
    #[arg(long, env = "BI_MAX_CONCURRENT_REQUESTS", default_value_t = 512, global = true,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_concurrent_requests: u64,

    /// Serve Prometheus metrics at /metrics.
    #[arg(long, env = "BI_METRICS_ENABLED", default_value_t = false, global = true,
          action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub metrics_enabled: bool,

    /// Bearer token required to scrape /metrics (setting it also enables /metrics).
    #[arg(long, env = "BI_METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,

    #[command(flatten)]
    pub auth: crate::auth::AuthSettings,
}

impl ServeArgs {
    fn prometheus(&self) -> Prometheus {
        match (&self.metrics_token, self.metrics_enabled) {
            (Some(token), _) if !token.is_empty() => Prometheus::Token(token.clone()),
            (_, true) => Prometheus::Open,
            _ => Prometheus::Disabled,
        }
    }
}

pub async fn run(settings: &Settings, args: &ServeArgs) -> Result<(), Failure> {
    let access = args
        .auth
        .access()
        .map_err(|err| Failure::new(exit::USAGE, err))?;
    let address = SocketAddr::new(args.bind, args.port);
    let listener = TcpListener::bind(address)
        .await
        .map_err(|err| listen_failure(address, err))?;
    let db = open_database(settings).await?;
    let context = Context::from_settings(db.clone(), clock(settings), settings);
    let metrics = MetricsService::new(context, Duration::from_secs(args.cache_ttl_secs.max(1)));
    if let Some(url) = &settings.database_url {
        // An unreachable database is logged (once) by the service; serving starts anyway.
        if metrics.check_database().await.is_ok() {
            tracing::info!(database = %url, "connected to the database");
        }
    }
    warm_up(&metrics);
    let limits = Limits {
        request_timeout: Duration::from_secs(args.request_timeout_secs.max(1)),
        max_concurrent: usize::try_from(args.max_concurrent_requests).unwrap_or(usize::MAX),
    };
    let prometheus = args.prometheus();
    if !matches!(prometheus, Prometheus::Disabled) {
        crate::observability::handle();
    }
    let service = metrics.clone();
    let app = http::router_with_access(
        AppState {
            metrics,
            prometheus,
        },
        limits,
        access.clone(),
    );
    let local = listener
        .local_addr()
        .context("the listening socket has no address")?;
    announce(local, access.is_open());
    axum::serve(listener, app)
        .with_graceful_shutdown({
            let service = service.clone();
            async move {
                shutdown_signal().await;
                service.begin_shutdown();
            }
        })
        .await
        .context("the HTTP server stopped unexpectedly")?;
    // Close first, so that connections of cancelled refreshes are closed, not
    // waited for; then cancel what still runs.
    let closing = db.close();
    service.shutdown();
    closing.await;
    tracing::info!("polibase-bi stopped");
    Ok(())
}

/// Computes the unfiltered dashboard in the background, so that the first visitor
/// is served from memory; a failure here is reported by the first request instead.
fn warm_up(metrics: &MetricsService) {
    let metrics = metrics.clone();
    tokio::spawn(async move {
        if let Err(err) = metrics.dashboard(&Filters::default()).await {
            tracing::debug!(error = %err, "the dashboard could not be computed ahead of time");
        }
    });
}

/// Says where to open the dashboard, and warns when it is open to the whole network.
fn announce(local: SocketAddr, open: bool) {
    let url = if local.ip().is_unspecified() {
        format!(
            "http://127.0.0.1:{}/ (listening on all interfaces)",
            local.port()
        )
    } else {
        format!("http://{local}/")
    };
    tracing::info!(address = %local, "polibase-bi is listening; open {url}");
    if open && !local.ip().is_loopback() {
        tracing::warn!(address = %local,
            "anyone who can reach this address can read the dashboard: set BI_AUTH_USERS_FILE \
             (lines from `polibase-bi hash-password USER`) and/or BI_API_TOKEN, or bind to \
             127.0.0.1 with BIND_ADDRESS");
    }
}

fn listen_failure(address: SocketAddr, err: std::io::Error) -> Failure {
    let hint = match err.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {} is already in use; stop the other program or choose another port \
             with --port or PORT",
            address.port()
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "no permission to listen on {address}; choose a port above 1023 with --port or PORT"
        ),
        _ => format!("cannot listen on {address}: {err}"),
    };
    Failure::new(exit::LISTEN, anyhow::anyhow!(hint))
}

/// The configured database, or the demo file when none is configured.
pub(super) async fn open_database(settings: &Settings) -> Result<Db, Failure> {
    let Some(url) = &settings.database_url else {
        let db =
            crate::demo::open_or_create_demo_file(&settings.demo_path, settings, &clock(settings))
                .await
                .map_err(|err| Failure::new(exit::DATABASE, err))?;
        tracing::info!(
            path = %settings.demo_path.display(),
            "serving DEMO DATA (invented activity); set DATABASE_URL=postgresql://user:password@host:5432/db \
             to show a real Polibase database"
        );
        return Ok(db);
    };
    Db::connect_lazy(url, settings, Access::ReadOnly).map_err(|err| Failure::new(exit::USAGE, err))
}

/// Resolves on SIGINT or SIGTERM; in-flight requests then finish before exit.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
