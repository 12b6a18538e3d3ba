//! Activity over time: daily trend, weekday × week heatmap, months and years,
//! parties, busiest conferences and activity by body type.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};

use crate::db::queries::activity::{DayCount, PartyRow};
use crate::db::queries::conversations::{BodyActivity, ConferenceLabel, TopConference};
use crate::db::queries::coverage::BodyRow;
use crate::metrics::document::{
    ActivityDay, BodyTypeActivity, ConferenceActivity, Heatmap, HeatmapCell, MonthMeetings,
    PartyActivity, YearMeetings, ratio,
};
use crate::metrics::filter::{BodyType, Period};

/// The label of conferences that belong to no (existing) body.
pub const NO_BODY: &str = "開催主体なし";

/// Every day of the period with its four counts, zero where nothing happened.
pub fn days(counts: &[DayCount], period: &Period) -> Vec<ActivityDay> {
    let mut by_day: HashMap<(NaiveDate, &str), i64> = HashMap::new();
    for count in counts {
        *by_day.entry((count.day, count.kind.as_str())).or_default() += count.n;
    }
    let get = |date, kind| by_day.get(&(date, kind)).copied().unwrap_or(0);
    period
        .from
        .iter_days()
        .take_while(|day| *day <= period.to)
        .map(|date| ActivityDay {
            date,
            meetings: get(date, "meetings"),
            conversations: get(date, "conversations"),
            speakers: get(date, "speakers"),
            politicians: get(date, "politicians"),
        })
        .collect()
}

/// Conversations per ISO week × weekday (Monday = 1) over the period's days.
pub fn heatmap(days: &[ActivityDay]) -> Heatmap {
    let mut weeks: Vec<String> = Vec::new();
    let mut cells = Vec::with_capacity(days.len());
    for day in days {
        let iso = day.date.iso_week();
        let week = format!("{}-W{:02}", iso.year(), iso.week());
        if weeks.last() != Some(&week) {
            weeks.push(week.clone());
        }
        cells.push(HeatmapCell {
            week,
            weekday: day.date.weekday().number_from_monday(),
            conversations: day.conversations,
        });
    }
    Heatmap { weeks, cells }
}

/// Meetings per month, the twelve months up to today's emphasised.
pub fn by_month(months: &[(String, i64)], today: NaiveDate) -> Vec<MonthMeetings> {
    let first_recent = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(11)))
        .map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_default();
    months
        .iter()
        .map(|(month, meetings)| MonthMeetings {
            month: month.clone(),
            meetings: *meetings,
            recent: *month >= first_recent,
        })
        .collect()
}

/// Meetings per year, summed from the months.
pub fn by_year(months: &[(String, i64)]) -> Vec<YearMeetings> {
    let mut years: BTreeMap<i32, i64> = BTreeMap::new();
    for (month, meetings) in months {
        if let Some(year) = month.get(..4).and_then(|y| y.parse().ok()) {
            *years.entry(year).or_default() += meetings;
        }
    }
    years
        .into_iter()
        .map(|(year, meetings)| YearMeetings { year, meetings })
        .collect()
}

/// Parties by conversations, then politicians, then name; "no party" is `None`.
pub fn parties(rows: Vec<PartyRow>) -> Vec<PartyActivity> {
    let mut parties: Vec<PartyActivity> = rows
        .into_iter()
        .map(|row| PartyActivity {
            party: row.party_id.and(row.party),
            conversations: row.conversations,
            politicians: row.politicians,
            per_politician: ratio(row.conversations, row.politicians),
        })
        .collect();
    parties.sort_by(|a, b| {
        b.conversations
            .cmp(&a.conversations)
            .then_with(|| b.politicians.cmp(&a.politicians))
            .then_with(|| a.party.cmp(&b.party))
    });
    parties
}

/// The busiest conferences with their names; a conference missing from `labels`
/// (deleted since the counts were taken) is left out.
pub fn top_conferences(
    rows: &[TopConference],
    labels: &[ConferenceLabel],
) -> Vec<ConferenceActivity> {
    let labels: HashMap<i32, &ConferenceLabel> =
        labels.iter().map(|l| (l.conference_id, l)).collect();
    rows.iter()
        .filter_map(|row| {
            let label = labels.get(&row.conference_id)?;
            Some(ConferenceActivity {
                per_meeting: ratio(row.conversations, row.meetings),
                conference_id: row.conference_id,
                conference: label.conference.clone(),
                governing_body: label.governing_body.clone(),
                conversations: row.conversations,
                meetings: row.meetings,
            })
        })
        .collect()
}

/// Sums per-body activity by body type; every filtered body counts, with or without
/// conferences, and conferences without a body form their own row.
pub fn by_body_type(bodies: &[&BodyRow], activity: &[BodyActivity]) -> Vec<BodyTypeActivity> {
    let type_of: HashMap<i32, &str> = bodies
        .iter()
        .map(|b| (b.id, BodyType::of_stored(b.body_type.as_deref()).label()))
        .collect();
    let mut rows: BTreeMap<&str, BodyTypeActivity> = BTreeMap::new();
    for label in type_of.values() {
        row(&mut rows, label).bodies += 1;
    }
    for entry in activity {
        let label = entry
            .body_id
            .and_then(|id| type_of.get(&id).copied())
            .unwrap_or(NO_BODY);
        let row = row(&mut rows, label);
        row.conferences += entry.conferences;
        row.meetings += entry.meetings;
        row.minutes += entry.minutes;
        row.conversations += entry.conversations;
    }
    let order = |t: &str| {
        BodyType::ALL
            .iter()
            .position(|b| b.label() == t)
            .unwrap_or(9)
    };
    let mut rows: Vec<BodyTypeActivity> = rows.into_values().collect();
    rows.sort_by_key(|r| order(&r.body_type));
    for row in &mut rows {
        row.meetings_per_body = ratio(row.meetings, row.bodies);
    }
    rows
}

fn row<'a>(
    rows: &'a mut BTreeMap<&'static str, BodyTypeActivity>,
    label: &'static str,
) -> &'a mut BodyTypeActivity {
    rows.entry(label).or_insert_with(|| BodyTypeActivity {
        body_type: label.to_string(),
        bodies: 0,
        conferences: 0,
        meetings: 0,
        minutes: 0,
        conversations: 0,
        meetings_per_body: None,
    })
}
