//! Meetings and their minutes over the last three years.
//!
//! Meetings cluster on weekdays and in the months of the regular sessions
//! (March, June, September, December); about 0.5 % have no date and 0.5 % lie
//! ahead. Ids follow the meeting date, as they would after a chronological
//! crawl. Minutes appear a few days after their meeting and are split into
//! conversations hours to days later; what would happen after "now" has not
//! happened yet, so the newest minutes are unprocessed or still missing.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::Rng;
use rand::distributions::{Distribution, WeightedIndex};

use super::assemblies::Assemblies;
use super::rows::{Meeting, Minutes};
use super::timeline::{SPAN_DAYS, Timeline};

/// Invents `count` meetings of the conferences that meet.
pub fn meetings(
    assemblies: &Assemblies,
    count: usize,
    timeline: &Timeline,
    rng: &mut impl Rng,
) -> Vec<Meeting> {
    let conferences = conference_per_meeting(assemblies, count, rng);
    let mut dated: Vec<(Option<NaiveDate>, usize)> = conferences
        .into_iter()
        .map(|conference| (meeting_date(timeline, rng), conference))
        .collect();
    dated.sort_by_key(|&(date, conference)| (date.is_none(), date, conference));
    dated
        .into_iter()
        .zip(1..)
        .map(|((date, index), id)| {
            let conference = &assemblies.conferences[index];
            let created = match date {
                Some(day) if day <= timeline.today => {
                    timeline.office_hours(day + Duration::days(rng.gen_range(0..5)), rng)
                }
                Some(_) => timeline.now() - Duration::seconds(rng.gen_range(3_600..2_592_000)),
                None => timeline.random_instant(rng),
            };
            Meeting {
                id,
                conference_id: conference.id,
                date,
                url: meeting_url(conference.id, date, id),
                name: meeting_name(&conference.name, date),
                created_at: timeline.stored(created),
            }
        })
        .collect()
}

/// The conference index of each meeting: one for every body that must meet,
/// the rest drawn by weight.
fn conference_per_meeting(assemblies: &Assemblies, count: usize, rng: &mut impl Rng) -> Vec<usize> {
    let mut chosen: Vec<usize> = assemblies.primaries.iter().copied().take(count).collect();
    let Ok(weighted) = WeightedIndex::new(&assemblies.weights) else {
        return chosen;
    };
    while chosen.len() < count {
        chosen.push(weighted.sample(rng));
    }
    chosen
}

fn meeting_date(timeline: &Timeline, rng: &mut impl Rng) -> Option<NaiveDate> {
    let draw: f64 = rng.r#gen();
    if draw < 0.005 {
        return None;
    }
    if draw < 0.01 {
        return Some(timeline.today + Duration::days(rng.gen_range(1..=60)));
    }
    Some(session_day(timeline, rng))
}

/// A past day, weighted towards weekdays in session months.
fn session_day(timeline: &Timeline, rng: &mut impl Rng) -> NaiveDate {
    loop {
        let day = timeline.first_day + Duration::days(rng.gen_range(0..=SPAN_DAYS));
        let month = match day.month() {
            3 | 6 | 9 | 12 => 1.0,
            2 | 5 | 8 | 11 => 0.35,
            _ => 0.2,
        };
        let weekday = match day.weekday() {
            Weekday::Sat => 0.04,
            Weekday::Sun => 0.02,
            _ => 1.0,
        };
        if rng.r#gen::<f64>() < month * weekday {
            return day;
        }
    }
}

fn meeting_name(conference: &str, date: Option<NaiveDate>) -> String {
    match date {
        Some(day) => format!(
            "{}年{}月{}日 {conference}",
            day.year(),
            day.month(),
            day.day()
        ),
        None => format!("{conference}（日程未定）"),
    }
}

fn meeting_url(conference_id: i32, date: Option<NaiveDate>, id: i32) -> String {
    let day = date.map_or_else(|| "undated".to_string(), |d| d.format("%Y%m%d").to_string());
    format!("https://gijiroku.example/{conference_id}/{day}-{id}")
}

/// Invents the minutes of past meetings: most have one, some two, about 5 % none.
pub fn minutes(meetings: &[Meeting], timeline: &Timeline, rng: &mut impl Rng) -> Vec<Minutes> {
    let mut all = Vec::with_capacity(meetings.len() * 11 / 10);
    for meeting in meetings
        .iter()
        .filter(|m| m.date.is_none_or(|d| d <= timeline.today))
    {
        let copies = match rng.r#gen::<f64>() {
            draw if draw < 0.05 => 0,
            draw if draw < 0.15 => 2,
            _ => 1,
        };
        for copy in 1..=copies {
            let id = all.len() as i32 + 1;
            if let Some(minutes) = one_minutes(meeting, id, copy, timeline, rng) {
                all.push(minutes);
            }
        }
    }
    all
}

fn one_minutes(
    meeting: &Meeting,
    id: i32,
    copy: i32,
    timeline: &Timeline,
    rng: &mut impl Rng,
) -> Option<Minutes> {
    let created = match meeting.date {
        Some(day) => timeline.office_hours(day + Duration::days(rng.gen_range(1..=14)), rng),
        None => timeline.random_instant(rng),
    };
    if created > timeline.now() {
        return None;
    }
    let processed = created + Duration::seconds(rng.gen_range(3_600..259_200));
    let unprocessed = rng.r#gen::<f64>() < 0.02 || processed > timeline.now();
    Some(Minutes {
        id,
        url: format!(
            "https://gijiroku.example/minutes/{}-{copy}.html",
            meeting.id
        ),
        meeting_id: meeting.id,
        processed_at: (!unprocessed).then(|| timeline.stored(processed)),
        created_at: timeline.stored(created),
    })
}
