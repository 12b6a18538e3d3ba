//! Governing-body coverage: totals, per type, per prefecture, and the body
//! filter that every other section reuses.

use std::collections::BTreeMap;

use crate::db::queries::coverage::BodyRow;
use crate::metrics::document::{Coverage, PrefectureCoverage, TypeCoverage};
use crate::metrics::filter::{BodyType, Filters, PrefectureFilter};
use crate::metrics::prefecture::{Prefecture, UNKNOWN, prefecture_of};
use crate::metrics::rate::{Rate, bands};

/// The label of a body without `organization_type` (or `type`).
pub const UNCLASSIFIED: &str = "未分類";

/// Whether a body passes the type and prefecture filters.
pub fn body_matches(body: &BodyRow, filters: &Filters) -> bool {
    let type_ok = filters
        .body_type
        .is_none_or(|wanted| BodyType::of_stored(body.body_type.as_deref()) == wanted);
    let prefecture_ok = filters.prefecture.is_none_or(|wanted| {
        let found = prefecture_of(&body.name, body.organization_code.as_deref());
        match wanted {
            PrefectureFilter::Known(p) => found == Some(p),
            PrefectureFilter::Unknown => found.is_none(),
        }
    });
    type_ok && prefecture_ok
}

/// The coverage section over the bodies that pass the filters.
pub fn coverage(bodies: &[&BodyRow]) -> Coverage {
    let total = bodies.len() as i64;
    let with_data = count(bodies, |b| b.has_data);
    let with_conferences = count(bodies, |b| b.has_conferences);
    let rate = Rate::of(with_data, total);
    Coverage {
        total_bodies: total,
        bodies_with_data: with_data,
        rate,
        band: bands::COVERAGE.band(rate),
        bodies_with_conferences: with_conferences,
        conference_rate: Rate::of(with_conferences, total),
        by_type: by_label(bodies, |b| {
            BodyType::of_stored(b.body_type.as_deref()).label().into()
        }),
        by_organization_type: by_label(bodies, |b| {
            let kind = b
                .organization_type
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty());
            kind.unwrap_or(UNCLASSIFIED).to_string()
        }),
        prefectures: prefectures(bodies),
    }
}

fn count(bodies: &[&BodyRow], test: impl Fn(&BodyRow) -> bool) -> i64 {
    bodies.iter().filter(|b| test(b)).count() as i64
}

/// Totals per label, largest first, ties by label.
fn by_label(bodies: &[&BodyRow], label: impl Fn(&BodyRow) -> String) -> Vec<TypeCoverage> {
    let mut groups: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for body in bodies {
        let entry = groups.entry(label(body)).or_default();
        entry.0 += 1;
        entry.1 += i64::from(body.has_data);
    }
    let mut rows: Vec<TypeCoverage> = groups
        .into_iter()
        .map(|(body_type, (total, with_data))| TypeCoverage {
            body_type,
            total,
            with_data,
            rate: Rate::of(with_data, total),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.body_type.cmp(&b.body_type))
    });
    rows
}

/// Municipalities per prefecture, sorted by rate, then total, then JIS number;
/// municipalities without a prefecture come as one `不明` entry.
fn prefectures(bodies: &[&BodyRow]) -> Vec<PrefectureCoverage> {
    let mut groups: BTreeMap<Option<Prefecture>, (i64, i64)> = BTreeMap::new();
    let municipalities = bodies
        .iter()
        .filter(|b| BodyType::of_stored(b.body_type.as_deref()) == BodyType::Municipality);
    for body in municipalities {
        let prefecture = prefecture_of(&body.name, body.organization_code.as_deref());
        let entry = groups.entry(prefecture).or_default();
        entry.0 += 1;
        entry.1 += i64::from(body.has_data);
    }
    let mut rows: Vec<(Option<Prefecture>, PrefectureCoverage)> = groups
        .into_iter()
        .map(|(prefecture, (total, with_data))| {
            let rate = Rate::of(with_data, total);
            let row = PrefectureCoverage {
                code: prefecture.map(Prefecture::code),
                prefecture: prefecture.map_or(UNKNOWN, Prefecture::name).to_string(),
                total,
                with_data,
                rate,
                band: bands::PREFECTURE.band(rate),
            };
            (prefecture, row)
        })
        .collect();
    rows.sort_by(|(pa, a), (pb, b)| {
        b.rate
            .cmp(&a.rate)
            .then_with(|| b.total.cmp(&a.total))
            .then_with(|| {
                pa.map_or(99, Prefecture::number)
                    .cmp(&pb.map_or(99, Prefecture::number))
            })
    });
    rows.into_iter().map(|(_, row)| row).collect()
}
