//! The dashboard document: every figure of every section, as the JSON API
//! serves it and the page draws it. Field names are part of the API contract.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;

use super::filter::{Filters, Period};
use super::rate::{Band, Rate};

#[derive(Clone, Debug, Serialize)]
pub struct Dashboard {
    pub as_of: DateTime<Tz>,
    pub demo: bool,
    pub period: Period,
    pub filters: Filters,
    pub cards: Vec<Card>,
    pub coverage: Option<Coverage>,
    pub meetings: Option<Meetings>,
    pub speakers: Option<Speakers>,
    pub activity: Option<Activity>,
    pub processing: Option<Processing>,
    /// Panels that are not simply fine, by panel id.
    pub panels: BTreeMap<&'static str, PanelState>,
    /// Whether the figures are the last ones computed before the database went away.
    #[serde(flatten)]
    pub freshness: Freshness,
}

/// Whether a dashboard is current or kept from before a database outage.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Freshness {
    /// `true` when the database is unavailable and this is the last computed
    /// document (computed at `as_of`).
    pub stale: bool,
    /// When the database was found unavailable, if it is.
    pub stale_since: Option<DateTime<Tz>>,
    /// Why the database is unavailable, if it is.
    pub database_error: Option<String>,
}

/// Why a panel shows no figures.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PanelState {
    pub status: &'static str,
    pub code: &'static str,
    pub message: String,
}

/// A headline card: a rate, the counts behind it and its change over 7 days.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Card {
    pub id: &'static str,
    pub rate: Option<Rate>,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub band: Option<Band>,
    pub change_7d: Option<Rate>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Coverage {
    pub total_bodies: i64,
    pub bodies_with_data: i64,
    pub rate: Option<Rate>,
    pub band: Option<Band>,
    pub bodies_with_conferences: i64,
    pub conference_rate: Option<Rate>,
    pub by_type: Vec<TypeCoverage>,
    pub by_organization_type: Vec<TypeCoverage>,
    pub prefectures: Vec<PrefectureCoverage>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TypeCoverage {
    #[serde(rename = "type")]
    pub body_type: String,
    pub total: i64,
    pub with_data: i64,
    pub rate: Option<Rate>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PrefectureCoverage {
    pub code: Option<String>,
    pub prefecture: String,
    pub total: i64,
    pub with_data: i64,
    pub rate: Option<Rate>,
    pub band: Option<Band>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Meetings {
    pub total: i64,
    pub with_minutes: i64,
    pub rate: Option<Rate>,
    pub conference_count: i64,
    pub by_conference: Vec<ConferenceMeetings>,
    pub without_minutes: Share,
    pub minutes: Option<MinutesProcessing>,
    pub processed_per_day: Option<Vec<DayValue>>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ConferenceMeetings {
    pub conference_id: i32,
    pub conference: String,
    pub governing_body: Option<String>,
    pub meetings: i64,
}

/// A count and its share of a whole, with the metric's band.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Share {
    pub count: i64,
    pub rate: Option<Rate>,
    pub band: Option<Band>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MinutesProcessing {
    pub total: i64,
    pub processed: i64,
    pub unprocessed: i64,
    pub rate: Option<Rate>,
    pub band: Option<Band>,
    pub backlog_band: Band,
    pub oldest_unprocessed: Option<DateTime<Tz>>,
    pub newest_unprocessed: Option<DateTime<Tz>>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayValue {
    pub date: NaiveDate,
    pub count: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Speakers {
    pub total: i64,
    pub linked: i64,
    pub rate: Option<Rate>,
    pub band: Option<Band>,
    pub conversations: i64,
    pub conversations_with_speaker: i64,
    pub conversation_rate: Option<Rate>,
    pub politician_speakers: Linked,
    pub without_speaker: Share,
    pub per_meeting: Option<PerMeetingLinking>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Linked {
    pub total: i64,
    pub linked: i64,
    pub rate: Option<Rate>,
    pub band: Option<Band>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PerMeetingLinking {
    pub meetings: i64,
    pub histogram: Vec<Bin>,
    pub summary: LinkingSummary,
    pub worst: Vec<WorstMeeting>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Bin {
    pub from: i64,
    pub to: i64,
    pub meetings: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LinkingSummary {
    pub mean: Option<Rate>,
    pub median: Option<Rate>,
    pub min: Option<Rate>,
    pub max: Option<Rate>,
    pub full: i64,
    pub at_least_80: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WorstMeeting {
    pub meeting_id: i64,
    pub date: Option<NaiveDate>,
    pub conference: String,
    pub governing_body: Option<String>,
    pub rate: Option<Rate>,
    pub conversations: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Activity {
    pub days: Vec<ActivityDay>,
    pub heatmap: Heatmap,
    pub by_month: Vec<MonthMeetings>,
    pub by_year: Vec<YearMeetings>,
    pub parties: Option<Vec<PartyActivity>>,
    pub top_conferences: Option<Vec<ConferenceActivity>>,
    pub by_body_type: Option<Vec<BodyTypeActivity>>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ActivityDay {
    pub date: NaiveDate,
    pub meetings: i64,
    pub conversations: i64,
    pub speakers: i64,
    pub politicians: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Heatmap {
    pub weeks: Vec<String>,
    pub cells: Vec<HeatmapCell>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct HeatmapCell {
    pub week: String,
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: u32,
    pub conversations: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct MonthMeetings {
    pub month: String,
    pub meetings: i64,
    /// One of the last 12 months, emphasised on the chart.
    pub recent: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct YearMeetings {
    pub year: i32,
    pub meetings: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PartyActivity {
    pub party: Option<String>,
    pub conversations: i64,
    pub politicians: i64,
    pub per_politician: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ConferenceActivity {
    pub conference_id: i32,
    pub conference: String,
    pub governing_body: Option<String>,
    pub conversations: i64,
    pub meetings: i64,
    pub per_meeting: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BodyTypeActivity {
    #[serde(rename = "type")]
    pub body_type: String,
    pub bodies: i64,
    pub conferences: i64,
    pub meetings: i64,
    pub minutes: i64,
    pub conversations: i64,
    pub meetings_per_body: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Processing {
    pub llm: LlmProcessing,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LlmProcessing {
    #[serde(flatten)]
    pub overall: LlmCounts,
    pub band: Option<Band>,
    pub by_type: Vec<LlmType>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct LlmCounts {
    pub total: i64,
    pub completed: i64,
    pub failed: i64,
    pub in_progress: i64,
    pub pending: i64,
    pub error_rate: Option<Rate>,
    pub success_rate: Option<Rate>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LlmType {
    pub processing_type: String,
    #[serde(flatten)]
    pub counts: LlmCounts,
    pub worst: bool,
    pub duration_seconds: Durations,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Durations {
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A quotient rounded to one decimal, or `None` when dividing by zero.
pub fn ratio(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator > 0).then(|| {
        let tenths = (20 * i128::from(numerator) + i128::from(denominator))
            .div_euclid(2 * i128::from(denominator));
        tenths as f64 / 10.0
    })
}
