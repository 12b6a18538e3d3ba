//! The three years of invented activity, anchored on the dashboard's clock.
//!
//! Every demo time derives from `Clock::now` (frozen by `BI_NOW`), never from
//! the wall clock, and is kept to whole seconds: PostgreSQL and SQLite then
//! store exactly the same text, and the same clock and seed give the same rows.
//! Nothing invented lies after "now", except the few meetings scheduled ahead.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use rand::Rng;

use crate::clock::Clock;

/// Days of activity before today.
pub const SPAN_DAYS: i64 = 3 * 365;

/// The demo's window of time and its conversions to stored timestamps.
#[derive(Clone, Copy, Debug)]
pub struct Timeline {
    clock: Clock,
    now: DateTime<Utc>,
    pub today: NaiveDate,
    pub first_day: NaiveDate,
}

impl Timeline {
    pub fn new(clock: &Clock) -> Self {
        let now = clock.now().with_timezone(&Utc);
        let now = now.with_nanosecond(0).unwrap_or(now);
        let today = clock.today();
        Self {
            clock: *clock,
            now,
            today,
            first_day: today - Duration::days(SPAN_DAYS),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The instant of a local time of day on `date`, in the dashboard's zone.
    pub fn at(&self, date: NaiveDate, second_of_day: u32) -> DateTime<Utc> {
        let local =
            date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::seconds(second_of_day.into());
        self.clock
            .zone
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(
                || Utc.from_utc_datetime(&local),
                |at| at.with_timezone(&Utc),
            )
    }

    /// An instant as the database stores it, never later than now.
    pub fn stored(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        self.clock.to_db_wall_clock(instant.min(self.now))
    }

    /// A uniformly random instant between the first day and now.
    pub fn random_instant(&self, rng: &mut impl Rng) -> DateTime<Utc> {
        let start = self.at(self.first_day, 0);
        let span = (self.now - start).num_seconds().max(1);
        start + Duration::seconds(rng.gen_range(0..span))
    }

    /// A random time during office hours (08:30–19:00 local) of `date`.
    pub fn office_hours(&self, date: NaiveDate, rng: &mut impl Rng) -> DateTime<Utc> {
        self.at(date, rng.gen_range(30_600..68_400))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_are_capped_at_now_and_whole_seconds() {
        let now = DateTime::parse_from_rfc3339("2026-03-10T08:30:00.75+09:00").unwrap();
        let clock = Clock::new(chrono_tz::Asia::Tokyo, chrono_tz::UTC, Some(now.into()));
        let timeline = Timeline::new(&clock);

        let later = timeline.now() + Duration::days(2);

        assert_eq!(timeline.stored(later).to_string(), "2026-03-09 23:30:00");
        assert_eq!(timeline.first_day.to_string(), "2023-03-11");
    }
}
