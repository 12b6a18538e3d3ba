//! The snapshot cache between the HTTP layer and the queries.
//!
//! Each filter set's dashboard is computed once and served from memory. A
//! snapshot older than the time-to-live is refreshed in the background while
//! the old one is still served (stale-while-revalidate), concurrent requests
//! for the same missing or refreshing entry share one computation, and the
//! number of cached filter sets is bounded. The JSON and its gzip form are
//! produced once per snapshot, not per request.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

use super::document::Dashboard;
use super::filter::Filters;
use super::{Context, MetricsError, compute};

/// Most filter sets kept in memory at once.
const MAX_SNAPSHOTS: u64 = 256;

/// One computed dashboard, ready to serve.
#[derive(Debug)]
pub struct Snapshot {
    pub document: Dashboard,
    pub json: Bytes,
    pub gzip: Bytes,
    pub computed_at: Instant,
    pub took: Duration,
}

impl Snapshot {
    fn new(document: Dashboard, took: Duration) -> Result<Self, MetricsError> {
        let json = serde_json::to_vec(&document).map_err(|err| {
            MetricsError::Failed(format!("cannot serialise the dashboard: {err}"))
        })?;
        let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 4), Compression::fast());
        let gzip = encoder
            .write_all(&json)
            .and_then(|()| encoder.finish())
            .map_err(|err| MetricsError::Failed(format!("cannot compress the dashboard: {err}")))?;
        Ok(Self {
            document,
            json: Bytes::from(json),
            gzip: Bytes::from(gzip),
            computed_at: Instant::now(),
            took,
        })
    }
}

type Computation = Shared<BoxFuture<'static, Result<Arc<Snapshot>, MetricsError>>>;

/// Serves dashboards from snapshots and recomputes them when asked or stale.
#[derive(Clone)]
pub struct MetricsService {
    context: Context,
    snapshots: moka::future::Cache<Filters, Arc<Snapshot>>,
    running: Arc<Mutex<HashMap<Filters, Computation>>>,
    ttl: Duration,
}

impl MetricsService {
    pub fn new(context: Context, ttl: Duration) -> Self {
        Self {
            context,
            snapshots: moka::future::Cache::new(MAX_SNAPSHOTS),
            running: Arc::default(),
            ttl,
        }
    }

    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The dashboard for `filters`: from memory when there is a snapshot (refreshing
    /// it in the background when stale), otherwise computed now.
    pub async fn dashboard(&self, filters: &Filters) -> Result<Arc<Snapshot>, MetricsError> {
        let cached = self.snapshots.get(filters).await;
        crate::observability::record_cache(cached.is_some());
        match cached {
            Some(snapshot) => {
                if snapshot.computed_at.elapsed() >= self.ttl {
                    let refresh = self.compute(*filters);
                    tokio::spawn(async move { refresh.await.ok() });
                }
                Ok(snapshot)
            }
            None => self.compute(*filters).await,
        }
    }

    /// Recomputes the dashboard for `filters` now; joins a computation already running.
    pub async fn refresh(&self, filters: &Filters) -> Result<Arc<Snapshot>, MetricsError> {
        self.compute(*filters).await
    }

    /// The last snapshot of `filters`, however old, without computing anything.
    pub async fn last(&self, filters: &Filters) -> Option<Arc<Snapshot>> {
        self.snapshots.get(filters).await
    }

    fn compute(&self, filters: Filters) -> Computation {
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(computation) = running.get(&filters) {
            return computation.clone();
        }
        let service = self.clone();
        let computation = async move {
            let outcome = service.compute_now(&filters).await;
            let mut running = service.running.lock().unwrap_or_else(|p| p.into_inner());
            running.remove(&filters);
            outcome
        }
        .boxed()
        .shared();
        running.insert(filters, computation.clone());
        computation
    }

    async fn compute_now(&self, filters: &Filters) -> Result<Arc<Snapshot>, MetricsError> {
        let started = Instant::now();
        let document = compute::dashboard(&self.context, filters).await?;
        let took = started.elapsed();
        let snapshot = Arc::new(Snapshot::new(document, took)?);
        self.snapshots.insert(*filters, snapshot.clone()).await;
        tracing::debug!(took_ms = took.as_millis() as u64, "dashboard computed");
        Ok(snapshot)
    }
}
