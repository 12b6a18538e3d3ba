//! Whether the database is reachable, and when to try it again.
//!
//! After the database is found unreachable, no work is sent to it for a back-off
//! window that starts at one second and doubles up to thirty. Requests inside the
//! window are answered at once (from memory or with 503) instead of waiting for a
//! connection timeout; the first request after the window probes with one
//! connection attempt. One WARN is logged when the database goes away and one when
//! it is back (with the downtime), never one per attempt or per request.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// Wait after the first failed attempt.
pub const FIRST_RETRY: Duration = Duration::from_secs(1);
/// Longest wait between attempts.
pub const LAST_RETRY: Duration = Duration::from_secs(30);

/// One period during which the database could not be reached.
#[derive(Clone, Debug)]
pub struct Outage {
    /// When the database was first found unreachable.
    pub since: DateTime<Utc>,
    /// Why the last attempt failed, in words an operator can act on.
    pub reason: String,
    /// Sequence number of this outage since the process started (1, 2, …).
    pub number: u64,
    started: Instant,
    backoff: Duration,
    next_attempt: Instant,
    attempts: u32,
}

impl Outage {
    /// Time left until the next connection attempt.
    pub fn retry_in(&self) -> Duration {
        self.next_attempt.saturating_duration_since(Instant::now())
    }
}

/// What a caller may do now.
pub enum Gate<'a> {
    /// The database is believed to be up: go ahead.
    Open,
    /// The database is down and the back-off window has passed: this caller probes.
    /// Other callers are turned away until the guard is dropped.
    Probe(ProbeGuard<'a>),
    /// The database is down: answer without touching it.
    Closed(Outage),
}

/// Marks a probe in flight; dropping it lets the next caller probe.
pub struct ProbeGuard<'a>(&'a AtomicBool);

impl Drop for ProbeGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// The database's reachability as last observed, shared by every request.
#[derive(Debug)]
pub struct Availability {
    outage: Mutex<Option<Outage>>,
    probing: AtomicBool,
    outages: AtomicU64,
    first_retry: Duration,
    last_retry: Duration,
}

impl Default for Availability {
    fn default() -> Self {
        Self::new(FIRST_RETRY, LAST_RETRY)
    }
}

impl Availability {
    /// Back-off from `first_retry`, doubling up to `last_retry`.
    pub fn new(first_retry: Duration, last_retry: Duration) -> Self {
        Self {
            outage: Mutex::new(None),
            probing: AtomicBool::new(false),
            outages: AtomicU64::new(0),
            first_retry,
            last_retry: last_retry.max(first_retry),
        }
    }

    /// The current outage, if the database is believed to be down.
    pub fn outage(&self) -> Option<Outage> {
        self.lock().clone()
    }

    /// Outages seen since the process started.
    pub fn outages(&self) -> u64 {
        self.outages.load(Ordering::Relaxed)
    }

    /// Whether the caller may use the database now.
    pub fn gate(&self) -> Gate<'_> {
        let Some(outage) = self.outage() else {
            return Gate::Open;
        };
        if Instant::now() < outage.next_attempt || self.probing.swap(true, Ordering::AcqRel) {
            return Gate::Closed(outage);
        }
        Gate::Probe(ProbeGuard(&self.probing))
    }

    /// Records that the database answered; logs the recovery once.
    pub fn up(&self) {
        let Some(outage) = self.lock().take() else {
            return;
        };
        tracing::warn!(
            downtime_secs = outage.started.elapsed().as_secs(),
            attempts = outage.attempts,
            "the database is reachable again; serving fresh data"
        );
    }

    /// Records a failed attempt and schedules the next one; logs the outage once.
    pub fn down(&self, reason: String) -> Outage {
        let now = Instant::now();
        let mut state = self.lock();
        let outage = match state.take() {
            None => {
                tracing::warn!(
                    reason = %reason,
                    retry_in_secs = self.first_retry.as_secs_f32(),
                    "the database is unavailable; answering from the last computed data or \
                     with 503 and reconnecting with back-off"
                );
                Outage {
                    since: Utc::now(),
                    reason,
                    number: self.outages.fetch_add(1, Ordering::Relaxed) + 1,
                    started: now,
                    backoff: self.first_retry,
                    next_attempt: now + self.first_retry,
                    attempts: 1,
                }
            }
            Some(previous) => {
                let backoff = (previous.backoff * 2).min(self.last_retry);
                tracing::debug!(reason = %reason, retry_in_secs = backoff.as_secs(),
                    "the database is still unavailable");
                Outage {
                    reason,
                    backoff,
                    next_attempt: now + backoff,
                    attempts: previous.attempts + 1,
                    ..previous
                }
            }
        };
        *state = Some(outage.clone());
        outage
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Outage>> {
        self.outage.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_the_limit_and_one_probe_at_a_time() {
        let availability = Availability::new(Duration::from_secs(1), Duration::from_secs(4));
        assert!(matches!(availability.gate(), Gate::Open));

        let waits: Vec<u64> = (0..5)
            .map(|_| availability.down("refused".into()).backoff.as_secs())
            .collect();

        assert_eq!(waits, [1, 2, 4, 4, 4]);
        assert_eq!(availability.outages(), 1);
        assert!(matches!(availability.gate(), Gate::Closed(_)));
        availability.up();
        assert!(matches!(availability.gate(), Gate::Open));
        let zero = Availability::new(Duration::ZERO, Duration::ZERO);
        zero.down("refused".into());
        let first = zero.gate();
        assert!(matches!(first, Gate::Probe(_)));
        assert!(matches!(zero.gate(), Gate::Closed(_)));
        drop(first);
        assert!(matches!(zero.gate(), Gate::Probe(_)));
    }
}
