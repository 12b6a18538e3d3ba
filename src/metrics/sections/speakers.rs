//! Speakers and linking to politicians, overall and per meeting.

use std::collections::HashMap;

use crate::db::queries::speakers::{ConversationTotals, LinkingRow, MeetingLabel, SpeakerTotals};
use crate::metrics::document::{
    Bin, Linked, LinkingSummary, PerMeetingLinking, Share, Speakers, WorstMeeting,
};
use crate::metrics::rate::{Rate, bands};

pub fn speakers(totals: &SpeakerTotals, conversations: &ConversationTotals) -> Speakers {
    let rate = Rate::of(totals.linked, totals.speakers);
    let without = conversations.conversations - conversations.with_speaker;
    let without_rate = Rate::of(without, conversations.conversations);
    let politician_rate = Rate::of(
        totals.politician_speakers_linked,
        totals.politician_speakers,
    );
    Speakers {
        total: totals.speakers,
        linked: totals.linked,
        rate,
        band: bands::SPEAKERS_LINKED.band(rate),
        conversations: conversations.conversations,
        conversations_with_speaker: conversations.with_speaker,
        conversation_rate: Rate::of(conversations.with_speaker, conversations.conversations),
        politician_speakers: Linked {
            total: totals.politician_speakers,
            linked: totals.politician_speakers_linked,
            rate: politician_rate,
            band: bands::POLITICIAN_SPEAKERS.band(politician_rate),
        },
        without_speaker: Share {
            count: without,
            rate: without_rate,
            band: bands::WITHOUT_SPEAKER.band(without_rate),
        },
        per_meeting: None,
    }
}

/// Ids of the worst-linked meetings, to look up their labels.
pub fn worst_ids(rows: &[LinkingRow]) -> Vec<i64> {
    rows.iter()
        .filter(|r| r.kind == "worst")
        .map(|r| r.a)
        .collect()
}

pub fn per_meeting(rows: &[LinkingRow], labels: &[MeetingLabel]) -> PerMeetingLinking {
    let of_kind = |kind: &'static str| rows.iter().filter(move |r| r.kind == kind);
    let summary = of_kind("summary").next();
    let meetings = summary.map_or(0, |s| s.a);
    let bins: HashMap<i64, i64> = of_kind("bin").map(|r| (r.a, r.b)).collect();
    let rate_of = |kind: &'static str| of_kind(kind).next().and_then(|r| Rate::of(r.a, r.b));
    PerMeetingLinking {
        meetings,
        histogram: (0..10)
            .map(|bin| Bin {
                from: bin * 10,
                to: bin * 10 + 10,
                meetings: bins.get(&bin).copied().unwrap_or(0),
            })
            .collect(),
        summary: LinkingSummary {
            mean: summary
                .filter(|s| s.a > 0)
                .map(|s| Rate::from_tenths((s.share_sum / s.a as f64 * 1000.0).round() as i64)),
            median: median(of_kind("median").collect()),
            min: rate_of("min"),
            max: rate_of("max"),
            full: summary.map_or(0, |s| s.b),
            at_least_80: summary.map_or(0, |s| s.c),
        },
        worst: of_kind("worst").map(|r| worst(r, labels)).collect(),
    }
}

/// The middle share, or the mean of the two middle shares, computed exactly.
fn median(middle: Vec<&LinkingRow>) -> Option<Rate> {
    match middle.as_slice() {
        [one] => Rate::of(one.a, one.b),
        [low, high] => {
            let numerator = low.a * high.b + high.a * low.b;
            Rate::of(numerator, 2 * low.b * high.b)
        }
        _ => None,
    }
}

fn worst(row: &LinkingRow, labels: &[MeetingLabel]) -> WorstMeeting {
    let label = labels.iter().find(|l| i64::from(l.meeting_id) == row.a);
    WorstMeeting {
        meeting_id: row.a,
        date: label.and_then(|l| l.date),
        conference: label.map(|l| l.conference.clone()).unwrap_or_default(),
        governing_body: label.and_then(|l| l.governing_body.clone()),
        rate: Rate::of(row.b, row.c),
        conversations: row.c,
    }
}
