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

    /// Seconds after which a cached dashboard is recomputed in the background.
    #[arg(long, env = "BI_CACHE_TTL_SECS", default_value_t = 60, global = true)]
    pub cache_ttl_secs: u64,

    /// Seconds a request may take before it is answered with 503.
    #[arg(
        long,
        env = "BI_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Requests served at once; beyond this the server answers 503 at once.
    #[arg(
        long,
        env = "BI_MAX_CONCURRENT_REQUESTS",
        default_value_t = 512,
        global = true
    )]
    pub max_concurrent_requests: usize,

    /// Serve Prometheus metrics at /metrics.
    #[arg(long, env = "BI_METRICS_ENABLED", default_value_t = false, global = true,
          action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub metrics_enabled: bool,

    /// Bearer token required to scrape /metrics (setting it also enables /metrics).
    #[arg(long, env = "BI_METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,
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
    let address = SocketAddr::new(args.bind, args.port);
    let listener = TcpListener::bind(address)
        .await
        .map_err(|err| listen_failure(address, err))?;
    let db = open_database(settings).await?;
    let context = Context {
        db: db.clone(),
        clock: clock(settings),
        demo: settings.is_demo(),
        national_bodies: settings.national_bodies,
        statement_timeout: settings.statement_timeout(),
    };
    let metrics = MetricsService::new(context, Duration::from_secs(args.cache_ttl_secs.max(1)));
    if let Some(url) = &settings.database_url {
        // An unreachable database is logged (once) by the service; serving starts anyway.
        if metrics.check_database().await.is_ok() {
            tracing::info!(database = %url, "connected to the database");
        }
    }
    let limits = Limits {
        request_timeout: Duration::from_secs(args.request_timeout_secs.max(1)),
        max_concurrent: args.max_concurrent_requests.max(1),
    };
    let prometheus = args.prometheus();
    if !matches!(prometheus, Prometheus::Disabled) {
        crate::observability::handle();
    }
    let service = metrics.clone();
    let app = http::router(
        AppState {
            metrics,
            prometheus,
        },
        limits,
    );
    let local = listener
        .local_addr()
        .context("the listening socket has no address")?;
    tracing::info!(address = %local, "polibase-bi is listening; open http://{local}/");
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
async fn open_database(settings: &Settings) -> Result<Db, Failure> {
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
