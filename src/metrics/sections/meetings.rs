//! Meetings and minutes: completion, meetings per conference, processing backlog.

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::db::queries::meetings::{ConferenceMeetings, MeetingTotals, MinutesTotals};
use crate::metrics::document::{self, DayValue, Meetings, MinutesProcessing, Share};
use crate::metrics::rate::{Band, Rate, bands};

/// Unprocessed minutes at or below this are on target; at or above the alarm, red.
const BACKLOG_TARGET: i64 = 100;
const BACKLOG_ALARM: i64 = 500;

pub fn meetings(totals: &MeetingTotals, top: Vec<ConferenceMeetings>) -> Meetings {
    let without = totals.meetings - totals.with_minutes;
    let without_rate = Rate::of(without, totals.meetings);
    Meetings {
        total: totals.meetings,
        with_minutes: totals.with_minutes,
        rate: Rate::of(totals.with_minutes, totals.meetings),
        conference_count: totals.conferences,
        by_conference: top
            .into_iter()
            .map(|c| document::ConferenceMeetings {
                conference_id: c.conference_id,
                conference: c.conference,
                governing_body: c.governing_body,
                meetings: c.meetings,
            })
            .collect(),
        without_minutes: Share {
            count: without,
            rate: without_rate,
            band: bands::WITHOUT_MINUTES.band(without_rate),
        },
        minutes: None,
        processed_per_day: None,
    }
}

pub fn minutes(totals: &MinutesTotals, clock: &Clock) -> MinutesProcessing {
    let unprocessed = totals.total - totals.processed;
    let rate = Rate::of(totals.processed, totals.total);
    MinutesProcessing {
        total: totals.total,
        processed: totals.processed,
        unprocessed,
        rate,
        band: bands::MINUTES_PROCESSED.band(rate),
        backlog_band: match unprocessed {
            n if n <= BACKLOG_TARGET => Band::Green,
            n if n >= BACKLOG_ALARM => Band::Red,
            _ => Band::Yellow,
        },
        oldest_unprocessed: totals
            .oldest_unprocessed
            .map(|t| clock.from_db_wall_clock(t)),
        newest_unprocessed: totals
            .newest_unprocessed
            .map(|t| clock.from_db_wall_clock(t)),
    }
}

/// Every day of `[from, to]`, zero where nothing happened.
pub fn fill_days(counts: &[(NaiveDate, i64)], from: NaiveDate, to: NaiveDate) -> Vec<DayValue> {
    from.iter_days()
        .take_while(|day| *day <= to)
        .map(|date| DayValue {
            date,
            count: counts
                .iter()
                .find(|(d, _)| *d == date)
                .map_or(0, |(_, n)| *n),
        })
        .collect()
}
