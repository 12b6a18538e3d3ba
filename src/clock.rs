//! What "now" and "today" mean on the dashboard.
//!
//! "Today" is the calendar date in the dashboard's time zone, never the database
//! server's `CURRENT_DATE`. Stored timestamps are wall-clock times in the
//! database's own zone; [`Clock`] converts between the two.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The dashboard's notion of the current time, possibly frozen.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// Zone whose calendar defines days on the dashboard.
    pub zone: Tz,
    /// Zone in which the database wrote its `timestamp without time zone` values.
    pub db_zone: Tz,
    frozen: Option<DateTime<Utc>>,
}

impl Clock {
    pub fn new(zone: Tz, db_zone: Tz, frozen: Option<DateTime<Utc>>) -> Self {
        Self {
            zone,
            db_zone,
            frozen,
        }
    }

    /// The current instant in the dashboard's zone.
    pub fn now(&self) -> DateTime<Tz> {
        self.frozen
            .unwrap_or_else(Utc::now)
            .with_timezone(&self.zone)
    }

    /// Today's date in the dashboard's zone.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// The database wall-clock time of local midnight at the start of `date`.
    pub fn db_start_of(&self, date: NaiveDate) -> NaiveDateTime {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let instant = self
            .zone
            .from_local_datetime(&midnight)
            .earliest()
            .map(|local| local.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight));
        self.to_db_wall_clock(instant)
    }

    /// An instant as the database would have written it.
    pub fn to_db_wall_clock(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant.with_timezone(&self.db_zone).naive_local()
    }

    /// A stored wall-clock time as an instant in the dashboard's zone.
    pub fn from_db_wall_clock(&self, stored: NaiveDateTime) -> DateTime<Tz> {
        self.db_zone
            .from_local_datetime(&stored)
            .earliest()
            .map(|at| at.with_timezone(&self.zone))
            .unwrap_or_else(|| Utc.from_utc_datetime(&stored).with_timezone(&self.zone))
    }

    /// The database wall-clock time exactly seven days before now.
    pub fn db_week_ago(&self) -> NaiveDateTime {
        self.to_db_wall_clock(self.now().with_timezone(&Utc) - Duration::days(7))
    }

    /// Seconds to add to a stored wall-clock time to get the dashboard's wall clock,
    /// at the current instant. Used where the database cannot convert zones itself.
    pub fn offset_seconds(&self) -> i64 {
        let now = self.now().with_timezone(&Utc);
        let local = now.with_timezone(&self.zone).naive_local();
        let stored = now.with_timezone(&self.db_zone).naive_local();
        (local - stored).num_seconds()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frozen_clock() -> Clock {
        let now = DateTime::parse_from_rfc3339("2026-03-10T08:30:00+09:00").unwrap();
        Clock::new(
            chrono_tz::Asia::Tokyo,
            chrono_tz::UTC,
            Some(now.with_timezone(&Utc)),
        )
    }

    #[test]
    fn today_is_tokyo_date_even_when_utc_is_yesterday() {
        let clock = frozen_clock();

        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
        assert_eq!(clock.offset_seconds(), 9 * 3600);
    }

    #[test]
    fn local_midnight_in_database_wall_clock() {
        let clock = frozen_clock();
        let start = clock.db_start_of(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());

        assert_eq!(start.to_string(), "2026-03-09 15:00:00");
    }
}
