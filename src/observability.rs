//! Prometheus metrics: request counts and latencies by route and status,
//! panel query durations, pool usage, cache hits, process memory and CPU.
//!
//! Recording goes through the `metrics` facade; one global recorder is installed
//! on first use and rendered in the Prometheus text format on each scrape.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::db::Db;

/// Latency buckets in seconds, from a cache hit to a slow full computation.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The global recorder's handle; `None` if another recorder was installed first.
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
                .ok()?;
            let handle = builder.install_recorder().ok()?;
            metrics_process::Collector::default().describe();
            Some(handle)
        })
        .as_ref()
}

/// One HTTP request, by matched route and status.
pub fn record_request(method: &str, route: &str, status: u16, took: Duration) {
    let labels = [
        ("method", method.to_string()),
        ("route", route.to_string()),
        ("status", status.to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(took.as_secs_f64());
}

/// How long one panel's queries took, and whether they failed.
pub fn record_panel(panel: &'static str, ok: bool, took: Duration) {
    let outcome = if ok { "ok" } else { "error" };
    metrics::histogram!("db_panel_duration_seconds", "panel" => panel, "outcome" => outcome)
        .record(took.as_secs_f64());
}

/// A dashboard request answered from a snapshot (`hit`) or by computing (`miss`).
pub fn record_cache(hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    metrics::counter!("dashboard_cache_requests_total", "result" => result).increment(1);
}

/// The Prometheus text for a scrape: updates the gauges, then renders everything.
pub fn render(db: &Db) -> Option<String> {
    let handle = handle()?;
    let (open, idle) = db.pool_state();
    metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(open));
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    metrics_process::Collector::default().collect();
    Some(handle.render())
}
