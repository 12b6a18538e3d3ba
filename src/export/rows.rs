//! The rows of each exported panel, read from the dashboard document. Every function returns
//! `None` when the section it reads is missing, so that the caller can say why.

use chrono::DateTime;
use chrono_tz::Tz;

use super::tables::{Cell, k};
use crate::metrics::document::{Card, Dashboard, LlmCounts, TypeCoverage};
use crate::metrics::rate::Band;
use crate::web::{self, Lang};

type Rows = Option<Vec<Vec<Cell>>>;

pub(super) fn coverage_by_type(doc: &Dashboard, _: Lang) -> Rows {
    Some(type_rows(&doc.coverage.as_ref()?.by_type))
}

pub(super) fn coverage_by_organization_type(doc: &Dashboard, _: Lang) -> Rows {
    Some(type_rows(&doc.coverage.as_ref()?.by_organization_type))
}

fn band(band: Option<Band>, lang: Lang) -> Cell {
    let key = match band {
        Some(Band::Green) => "band_green",
        Some(Band::Yellow) => "band_yellow",
        Some(Band::Red) => "band_red",
        None => return Cell::Empty,
    };
    Cell::text(k(key).text(lang))
}

pub(super) fn cards(doc: &Dashboard, lang: Lang) -> Rows {
    Some(doc.cards.iter().map(|card| card_row(card, lang)).collect())
}

fn card_row(card: &Card, lang: Lang) -> Vec<Cell> {
    let key = format!("card_{}", card.id);
    vec![
        Cell::text(card.id),
        Cell::text(web::text(lang, &key).unwrap_or(card.id)),
        Cell::rate(card.rate),
        card.numerator.map_or(Cell::Empty, Cell::Int),
        card.denominator.map_or(Cell::Empty, Cell::Int),
        band(card.band, lang),
        Cell::rate(card.change_7d),
    ]
}

fn type_rows(types: &[TypeCoverage]) -> Vec<Vec<Cell>> {
    types
        .iter()
        .map(|t| {
            vec![
                Cell::text(&t.body_type),
                Cell::Int(t.total),
                Cell::Int(t.with_data),
                Cell::rate(t.rate),
            ]
        })
        .collect()
}

pub(super) fn prefectures(doc: &Dashboard, lang: Lang) -> Rows {
    let rows = doc.coverage.as_ref()?.prefectures.iter().map(|p| {
        vec![
            Cell::opt_text(p.code.as_deref()),
            Cell::text(&p.prefecture),
            Cell::Int(p.total),
            Cell::Int(p.with_data),
            Cell::rate(p.rate),
            band(p.band, lang),
        ]
    });
    Some(rows.collect())
}

pub(super) fn meetings_by_conference(doc: &Dashboard, _: Lang) -> Rows {
    let rows = doc.meetings.as_ref()?.by_conference.iter().map(|c| {
        vec![
            Cell::Int(i64::from(c.conference_id)),
            Cell::text(&c.conference),
            Cell::opt_text(c.governing_body.as_deref()),
            Cell::Int(c.meetings),
        ]
    });
    Some(rows.collect())
}

pub(super) fn minutes_processing(doc: &Dashboard, lang: Lang) -> Rows {
    let m = doc.meetings.as_ref()?.minutes.as_ref()?;
    let when = |t: Option<DateTime<Tz>>| t.map_or(Cell::Empty, Cell::DateTime);
    Some(vec![vec![
        Cell::Int(m.total),
        Cell::Int(m.processed),
        Cell::Int(m.unprocessed),
        Cell::rate(m.rate),
        band(m.band, lang),
        when(m.oldest_unprocessed),
        when(m.newest_unprocessed),
    ]])
}

pub(super) fn minutes_processed_per_day(doc: &Dashboard, _: Lang) -> Rows {
    let days = doc.meetings.as_ref()?.processed_per_day.as_ref()?;
    Some(
        days.iter()
            .map(|d| vec![Cell::Date(d.date), Cell::Int(d.count)])
            .collect(),
    )
}

pub(super) fn per_meeting_histogram(doc: &Dashboard, _: Lang) -> Rows {
    let linking = doc.speakers.as_ref()?.per_meeting.as_ref()?;
    let rows = linking
        .histogram
        .iter()
        .map(|b| vec![Cell::Int(b.from), Cell::Int(b.to), Cell::Int(b.meetings)]);
    Some(rows.collect())
}

pub(super) fn per_meeting_worst(doc: &Dashboard, _: Lang) -> Rows {
    let linking = doc.speakers.as_ref()?.per_meeting.as_ref()?;
    let rows = linking.worst.iter().map(|m| {
        vec![
            Cell::Int(m.meeting_id),
            m.date.map_or(Cell::Empty, Cell::Date),
            Cell::text(&m.conference),
            Cell::opt_text(m.governing_body.as_deref()),
            Cell::rate(m.rate),
            Cell::Int(m.conversations),
        ]
    });
    Some(rows.collect())
}

pub(super) fn activity_days(doc: &Dashboard, _: Lang) -> Rows {
    let rows = doc.activity.as_ref()?.days.iter().map(|d| {
        vec![
            Cell::Date(d.date),
            Cell::Int(d.meetings),
            Cell::Int(d.conversations),
            Cell::Int(d.speakers),
            Cell::Int(d.politicians),
        ]
    });
    Some(rows.collect())
}

pub(super) fn activity_heatmap(doc: &Dashboard, lang: Lang) -> Rows {
    let rows = doc.activity.as_ref()?.heatmap.cells.iter().map(|c| {
        let key = format!("weekday_{}", c.weekday);
        vec![
            Cell::text(&c.week),
            Cell::Int(i64::from(c.weekday)),
            Cell::opt_text(web::text(lang, &key)),
            Cell::Int(c.conversations),
        ]
    });
    Some(rows.collect())
}

pub(super) fn activity_by_month(doc: &Dashboard, _: Lang) -> Rows {
    let rows = doc.activity.as_ref()?.by_month.iter().map(|m| {
        vec![
            Cell::text(&m.month),
            Cell::Int(m.meetings),
            Cell::Bool(m.recent),
        ]
    });
    Some(rows.collect())
}

pub(super) fn activity_by_year(doc: &Dashboard, _: Lang) -> Rows {
    let rows = doc.activity.as_ref()?.by_year.iter();
    Some(
        rows.map(|y| vec![Cell::Int(i64::from(y.year)), Cell::Int(y.meetings)])
            .collect(),
    )
}

pub(super) fn parties(doc: &Dashboard, lang: Lang) -> Rows {
    let parties = doc.activity.as_ref()?.parties.as_ref()?;
    let rows = parties.iter().map(|p| {
        let name = p.party.as_deref().unwrap_or(k("no_party").text(lang));
        vec![
            Cell::text(name),
            Cell::Int(p.conversations),
            Cell::Int(p.politicians),
            Cell::number(p.per_politician),
        ]
    });
    Some(rows.collect())
}

pub(super) fn top_conferences(doc: &Dashboard, _: Lang) -> Rows {
    let conferences = doc.activity.as_ref()?.top_conferences.as_ref()?;
    let rows = conferences.iter().map(|c| {
        vec![
            Cell::Int(i64::from(c.conference_id)),
            Cell::text(&c.conference),
            Cell::opt_text(c.governing_body.as_deref()),
            Cell::Int(c.conversations),
            Cell::Int(c.meetings),
            Cell::number(c.per_meeting),
        ]
    });
    Some(rows.collect())
}

pub(super) fn activity_by_body_type(doc: &Dashboard, _: Lang) -> Rows {
    let types = doc.activity.as_ref()?.by_body_type.as_ref()?;
    let rows = types.iter().map(|t| {
        vec![
            Cell::text(&t.body_type),
            Cell::Int(t.bodies),
            Cell::Int(t.conferences),
            Cell::Int(t.meetings),
            Cell::Int(t.minutes),
            Cell::Int(t.conversations),
            Cell::number(t.meetings_per_body),
        ]
    });
    Some(rows.collect())
}

pub(super) fn llm_status(doc: &Dashboard, lang: Lang) -> Rows {
    let overall: &LlmCounts = &doc.processing.as_ref()?.llm.overall;
    let rows = [
        ("status_completed", overall.completed),
        ("status_failed", overall.failed),
        ("status_in_progress", overall.in_progress),
        ("status_pending", overall.pending),
        ("total", overall.total),
    ];
    Some(
        rows.into_iter()
            .map(|(key, count)| vec![Cell::text(k(key).text(lang)), Cell::Int(count)])
            .collect(),
    )
}

pub(super) fn llm_by_type(doc: &Dashboard, _: Lang) -> Rows {
    let types = &doc.processing.as_ref()?.llm.by_type;
    let rows = types.iter().map(|t| {
        let (c, d) = (&t.counts, &t.duration_seconds);
        vec![
            Cell::text(&t.processing_type),
            Cell::Int(c.total),
            Cell::Int(c.completed),
            Cell::Int(c.failed),
            Cell::Int(c.in_progress),
            Cell::Int(c.pending),
            Cell::rate(c.error_rate),
            Cell::rate(c.success_rate),
            Cell::Bool(t.worst),
            Cell::number(d.mean),
            Cell::number(d.min),
            Cell::number(d.max),
        ]
    });
    Some(rows.collect())
}
