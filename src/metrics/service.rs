//! The snapshot cache between the HTTP layer and the queries, and how the
//! dashboard rides out database faults.
//!
//! Each filter set's dashboard is computed once and served from memory. A
//! snapshot older than the time-to-live is refreshed in the background while
//! the old one is still served (stale-while-revalidate), concurrent requests
//! for the same missing or refreshing entry share one computation, and the
//! number of cached filter sets is bounded. The JSON and its gzip form are
//! produced once per snapshot, not per request.
//!
//! Faults: every piece of database work passes the [`Availability`] gate. While
//! the database is down, cached dashboards are served marked stale and
//! everything else answers [`MetricsError::Unavailable`] at once; a failure
//! caused by a dead connection (server restart, terminated session) is retried
//! once on a fresh connection. Computations run as their own tasks, so a client
//! that goes away never leaves connections held by a half-finished query, and
//! [`MetricsService::shutdown`] cancels whatever still runs.

use std::collections::HashMap;
use std::future::Future;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use tokio::task::AbortHandle;

use super::document::{Dashboard, Freshness};
use super::filter::Filters;
use super::{Context, MetricsError, compute};
use crate::db::DbError;
use crate::db::availability::{Availability, Gate, Outage};

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
    /// The same document marked stale, built once per outage.
    stale: Mutex<Option<(u64, Arc<Snapshot>)>>,
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
            stale: Mutex::default(),
        })
    }
}

type Outcome = Result<Arc<Snapshot>, MetricsError>;
type Computation = Shared<BoxFuture<'static, Outcome>>;

/// Serves dashboards from snapshots and recomputes them when asked or stale.
#[derive(Clone)]
pub struct MetricsService {
    context: Context,
    snapshots: moka::future::Cache<Filters, Arc<Snapshot>>,
    running: Arc<Mutex<HashMap<Filters, (Computation, AbortHandle)>>>,
    ttl: Duration,
    availability: Arc<Availability>,
    computations: Arc<AtomicU64>,
    stopping: Arc<AtomicBool>,
    /// One direct connection attempt at a time (see [`Self::diagnose`]).
    probe_slot: Arc<tokio::sync::Semaphore>,
}

/// What a failed piece of database work says about the database.
enum Diagnosis {
    /// The database answers; the failure was a dead connection worth one retry.
    Answers,
    /// The database answers but the pool had no free connection.
    Busy(String),
    /// The database is unreachable.
    Down(Outage),
}

impl MetricsService {
    pub fn new(context: Context, ttl: Duration) -> Self {
        Self {
            context,
            snapshots: moka::future::Cache::new(MAX_SNAPSHOTS),
            running: Arc::default(),
            ttl,
            availability: Arc::default(),
            computations: Arc::default(),
            stopping: Arc::default(),
            probe_slot: Arc::new(tokio::sync::Semaphore::new(1)),
        }
    }

    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The current database outage, if the database is believed to be down.
    pub fn outage(&self) -> Option<Outage> {
        self.availability.outage()
    }

    /// Database outages seen since start (each logged once).
    pub fn outages(&self) -> u64 {
        self.availability.outages()
    }

    /// Dashboard computations started since start (shared requests count once).
    pub fn computations(&self) -> u64 {
        self.computations.load(Ordering::Relaxed)
    }

    /// The dashboard for `filters`: from memory when there is a snapshot (refreshing
    /// it in the background when stale, marked stale while the database is down),
    /// otherwise computed now.
    pub async fn dashboard(&self, filters: &Filters) -> Outcome {
        let cached = self.snapshots.get(filters).await;
        crate::observability::record_cache(cached.is_some());
        let Some(snapshot) = cached else {
            return self.compute(*filters).await;
        };
        if self.availability.outage().is_some() {
            // Inside the back-off window this answers at once; after it, it probes.
            return Ok(match self.compute(*filters).await {
                Ok(fresh) => fresh,
                Err(_) => self.marked_stale(&snapshot),
            });
        }
        if snapshot.computed_at.elapsed() >= self.ttl {
            self.refresh_in_background(*filters);
        }
        Ok(snapshot)
    }

    /// Recomputes the dashboard for `filters` now; joins a computation already running.
    pub async fn refresh(&self, filters: &Filters) -> Outcome {
        self.compute(*filters).await
    }

    /// The last snapshot of `filters`, however old, without computing anything.
    pub async fn last(&self, filters: &Filters) -> Option<Arc<Snapshot>> {
        self.snapshots.get(filters).await
    }

    /// Runs database work through the availability gate: refused at once while
    /// the database is down, retried once when a connection turns out dead, and
    /// failures classified as unavailable or busy.
    pub async fn with_database<T, F, Fut>(&self, work: F) -> Result<T, MetricsError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, MetricsError>>,
    {
        self.admit().await?;
        let mut retried = false;
        loop {
            let error = match work().await {
                Ok(value) => {
                    self.availability.up();
                    return Ok(value);
                }
                Err(error) => error,
            };
            let busy = match &error {
                MetricsError::Busy(_) => true,
                MetricsError::Unavailable(_) => false,
                _ => return Err(error),
            };
            match self.diagnose(busy).await {
                Diagnosis::Down(outage) => return Err(unavailable(&outage)),
                Diagnosis::Busy(message) => return Err(MetricsError::Busy(message)),
                Diagnosis::Answers if !retried => retried = true,
                Diagnosis::Answers => return Err(error),
            }
        }
    }

    /// Checks the database now with one connection attempt (not through the pool),
    /// recording whether it is up. Used at start and by readiness checks.
    pub async fn check_database(&self) -> Result<(), MetricsError> {
        let _slot = self.probe_slot.acquire().await;
        match self.context.db.probe(self.probe_limit()).await {
            Ok(()) => {
                self.availability.up();
                Ok(())
            }
            Err(err) => Err(unavailable(&self.availability.down(err.reason()))),
        }
    }

    /// Whether the database can serve a query now: refused at once inside the
    /// back-off window, otherwise a trivial query through the pool.
    pub async fn readiness(&self) -> Result<(), MetricsError> {
        let db = self.context.db.clone();
        self.with_database(|| {
            let db = db.clone();
            async move { db.ping().await.map_err(MetricsError::from_db) }
        })
        .await
    }

    /// Stops background refreshes from starting; call when shutdown begins.
    pub fn begin_shutdown(&self) {
        self.stopping.store(true, Ordering::Release);
    }

    /// Cancels every computation still running, so that closing the pool does not
    /// make them fail noisily; call once the server has stopped taking requests.
    pub fn shutdown(&self) {
        self.begin_shutdown();
        let running = std::mem::take(&mut *self.lock_running());
        for (_, abort) in running.into_values() {
            abort.abort();
        }
    }

    fn refresh_in_background(&self, filters: Filters) {
        if self.stopping.load(Ordering::Acquire) {
            return;
        }
        // The computation runs as its own task; its outcome is cached or dropped.
        drop(self.compute(filters));
    }

    /// The computation for `filters`: the one running, or a new task.
    fn compute(&self, filters: Filters) -> Computation {
        let mut running = self.lock_running();
        if let Some((computation, _)) = running.get(&filters) {
            return computation.clone();
        }
        let service = self.clone();
        let task = tokio::spawn(async move {
            let outcome = service.compute_now(&filters).await;
            service.lock_running().remove(&filters);
            outcome
        });
        let abort = task.abort_handle();
        let computation = task
            .map(|joined| {
                joined.unwrap_or_else(|_| {
                    Err(MetricsError::Failed(
                        "the computation was cancelled because the server is stopping".into(),
                    ))
                })
            })
            .boxed()
            .shared();
        running.insert(filters, (computation.clone(), abort));
        computation
    }

    async fn compute_now(&self, filters: &Filters) -> Outcome {
        let started = Instant::now();
        let this = self;
        let document = self
            .with_database(move || async move {
                this.computations.fetch_add(1, Ordering::Relaxed);
                let document = compute::dashboard(&this.context, filters).await?;
                match unreachable_panel(&document) {
                    Some(error) => Err(error),
                    None => Ok(document),
                }
            })
            .await?;
        let took = started.elapsed();
        let snapshot = Arc::new(Snapshot::new(document, took)?);
        self.snapshots.insert(*filters, snapshot.clone()).await;
        tracing::debug!(took_ms = took.as_millis() as u64, "dashboard computed");
        Ok(snapshot)
    }

    /// Lets work through, probes after the back-off window, or refuses at once.
    async fn admit(&self) -> Result<(), MetricsError> {
        match self.availability.gate() {
            Gate::Open => Ok(()),
            Gate::Closed(outage) => Err(unavailable(&outage)),
            Gate::Probe(_guard) => self.check_database().await,
        }
    }

    /// Tells a dead connection from a down database and from a busy pool with one direct
    /// connection attempt. The pool keeps a connection free for it and one probe runs at a
    /// time, so the connection limit holds; while another probe runs, its verdict stands.
    async fn diagnose(&self, busy: bool) -> Diagnosis {
        let Ok(_slot) = self.probe_slot.try_acquire() else {
            return match self.availability.outage() {
                Some(outage) => Diagnosis::Down(outage),
                None => Diagnosis::Busy(format!(
                    "every database connection stayed in use for {} s; retry shortly",
                    self.probe_limit().as_secs()
                )),
            };
        };
        match self.context.db.probe(self.probe_limit()).await {
            Ok(()) if busy => {
                Diagnosis::Busy("no database connection became free in time; retry shortly".into())
            }
            Ok(()) => Diagnosis::Answers,
            Err(DbError::PoolExhausted) => {
                Diagnosis::Busy("no database connection became free in time; retry shortly".into())
            }
            Err(err) => Diagnosis::Down(self.availability.down(err.reason())),
        }
    }

    fn probe_limit(&self) -> Duration {
        match &self.context.db {
            crate::db::Db::Postgres(pool) => pool.options().get_acquire_timeout(),
            crate::db::Db::Sqlite(pool) => pool.options().get_acquire_timeout(),
        }
    }

    /// `snapshot` marked stale for the current outage (or itself when there is none).
    fn marked_stale(&self, snapshot: &Arc<Snapshot>) -> Arc<Snapshot> {
        let Some(outage) = self.availability.outage() else {
            return snapshot.clone();
        };
        let mut slot = snapshot.stale.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((number, stale)) = slot.as_ref()
            && *number == outage.number
        {
            return stale.clone();
        }
        let mut document = snapshot.document.clone();
        document.freshness = Freshness {
            stale: true,
            stale_since: Some(outage.since.with_timezone(&self.context.clock.zone)),
            database_error: Some(outage.reason.clone()),
        };
        match Snapshot::new(document, snapshot.took) {
            Ok(mut stale) => {
                stale.computed_at = snapshot.computed_at;
                let stale = Arc::new(stale);
                *slot = Some((outage.number, stale.clone()));
                stale
            }
            Err(_) => snapshot.clone(),
        }
    }

    fn lock_running(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<Filters, (Computation, AbortHandle)>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A panel that failed because the database went away or was full makes the
/// whole document unusable: it is not cached and not served.
fn unreachable_panel(document: &Dashboard) -> Option<MetricsError> {
    document
        .panels
        .iter()
        .find_map(|(id, state)| match state.code {
            "database_unavailable" => Some(MetricsError::Unavailable(format!(
                "the {id} panel lost its database connection"
            ))),
            "pool_exhausted" => Some(MetricsError::Busy(format!(
                "the {id} panel found no free database connection in time; retry shortly"
            ))),
            _ => None,
        })
}

fn unavailable(outage: &Outage) -> MetricsError {
    MetricsError::Unavailable(format!(
        "{}; the dashboard reconnects by itself (next attempt in {} s)",
        outage.reason,
        outage.retry_in().as_secs_f32().ceil()
    ))
}
