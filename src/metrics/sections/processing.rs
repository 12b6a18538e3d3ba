//! LLM processing quality: outcomes, error rate and durations per type.

use std::collections::BTreeMap;

use crate::db::queries::processing::LlmGroup;
use crate::metrics::document::{Durations, LlmCounts, LlmProcessing, LlmType, ratio};
use crate::metrics::rate::{Rate, bands};

/// Counts of one set of groups, and the error rate seven days ago.
fn counts(groups: &[&LlmGroup]) -> (LlmCounts, Option<Rate>) {
    let of = |status: &str| {
        groups
            .iter()
            .filter(|g| g.status == status)
            .map(|g| g.n)
            .sum()
    };
    let total: i64 = groups.iter().map(|g| g.n).sum();
    let (completed, failed) = (of("completed"), of("failed"));
    let total_before: i64 = groups.iter().map(|g| g.n_week_ago).sum();
    let failed_before: i64 = groups
        .iter()
        .filter(|g| g.status == "failed")
        .map(|g| g.n_week_ago)
        .sum();
    let counts = LlmCounts {
        total,
        completed,
        failed,
        in_progress: of("in_progress"),
        pending: of("pending"),
        error_rate: Rate::of(failed, total),
        success_rate: Rate::of(completed, total),
    };
    (counts, Rate::of(failed_before, total_before))
}

fn durations(groups: &[&LlmGroup]) -> Durations {
    let timed: i64 = groups.iter().map(|g| g.timed).sum();
    let sum: i64 = groups.iter().filter_map(|g| g.millis_sum).sum();
    let seconds = |millis: i64| ratio(millis, 1000);
    Durations {
        mean: ratio(sum, timed * 1000),
        min: groups
            .iter()
            .filter_map(|g| g.millis_min)
            .min()
            .and_then(seconds),
        max: groups
            .iter()
            .filter_map(|g| g.millis_max)
            .max()
            .and_then(seconds),
    }
}

/// The processing section and the overall error rate seven days ago.
pub fn llm(groups: &[LlmGroup]) -> (LlmProcessing, Option<Rate>) {
    let all: Vec<&LlmGroup> = groups.iter().collect();
    let (overall, before) = counts(&all);
    let mut per_type: BTreeMap<&str, Vec<&LlmGroup>> = BTreeMap::new();
    for group in groups {
        per_type
            .entry(group.processing_type.as_str())
            .or_default()
            .push(group);
    }
    let mut by_type: Vec<LlmType> = per_type
        .into_iter()
        .map(|(name, groups)| LlmType {
            processing_type: name.to_string(),
            counts: counts(&groups).0,
            worst: false,
            duration_seconds: durations(&groups),
        })
        .collect();
    let worst = by_type.iter().filter_map(|t| t.counts.error_rate).max();
    for entry in &mut by_type {
        entry.worst = worst.is_some_and(|w| w.tenths() > 0 && entry.counts.error_rate == Some(w));
    }
    let band = bands::LLM_ERRORS.band(overall.error_rate);
    (
        LlmProcessing {
            overall,
            band,
            by_type,
        },
        before,
    )
}
