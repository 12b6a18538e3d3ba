//! Which bodies hold conferences and which of those conferences meet.
//!
//! About half of the bodies get meetings (fewer at scales too small to give
//! each one a meeting), a tenth more hold conferences that never meet, and the
//! rest stay empty, so the coverage panels have something to show in every
//! colour. Invented conferences are the body's assembly (`京都市議会`) and a
//! few committees, so `(name, governing_body_id)` stays unique.

use std::collections::{BTreeMap, HashSet};

use chrono::Duration;
use rand::Rng;
use rand::seq::SliceRandom;

use super::reference::Reference;
use super::rows::{Conference, GoverningBody};
use super::timeline::Timeline;
use super::words::COMMITTEES;

/// The conferences and how meetings are spread over them.
#[derive(Clone, Debug)]
pub struct Assemblies {
    pub conferences: Vec<Conference>,
    /// Relative share of meetings per conference (same index); 0 = never meets.
    pub weights: Vec<f64>,
    /// One conference index per body that must get at least one meeting.
    pub primaries: Vec<usize>,
}

/// Decides the conferences of every body and which of them meet.
pub fn plan(
    reference: &Reference,
    meetings: usize,
    timeline: &Timeline,
    rng: &mut impl Rng,
) -> Assemblies {
    let mut conferences = reference.conferences.clone();
    let (holding, meeting) = choose_bodies(reference, meetings, rng);
    let mut taken: HashSet<(i32, String)> = conferences
        .iter()
        .filter_map(|c| c.governing_body_id.map(|body| (body, c.name.clone())))
        .collect();
    let listed: HashSet<i32> = taken.iter().map(|(body, _)| *body).collect();
    let unlisted = reference.bodies.iter().filter(|b| !listed.contains(&b.id));
    for body in unlisted.filter(|b| holding.contains(&b.id)) {
        invent_for(body, &mut conferences, &mut taken, timeline, rng);
    }
    let (weights, primaries) = spread(&conferences, reference, &meeting);
    Assemblies {
        conferences,
        weights,
        primaries,
    }
}

/// Bodies holding conferences, and the subset that meets.
fn choose_bodies(
    reference: &Reference,
    meetings: usize,
    rng: &mut impl Rng,
) -> (HashSet<i32>, HashSet<i32>) {
    let listed: HashSet<i32> = reference
        .conferences
        .iter()
        .filter_map(|c| c.governing_body_id)
        .collect();
    let mut holding = HashSet::new();
    let mut meeting = Vec::new();
    for body in &reference.bodies {
        let draw: f64 = rng.r#gen();
        let chance = meeting_chance(body);
        if draw < chance {
            meeting.push(body.id);
        }
        if draw < chance + 0.1 || listed.contains(&body.id) {
            holding.insert(body.id);
        }
    }
    // At small scales not every chosen body can have a meeting of its own.
    let budget = (meetings * 4 / 5).max(1);
    if meeting.len() > budget {
        meeting[1..].shuffle(rng);
        meeting.truncate(budget);
    }
    holding.extend(meeting.iter().copied());
    (holding, meeting.into_iter().collect())
}

fn meeting_chance(body: &GoverningBody) -> f64 {
    match (body.kind, body.organization_type) {
        (Some("国"), _) | (_, Some("特別区")) => 1.0,
        (_, Some("都道府県")) => 0.7,
        (_, Some("市")) => 0.55,
        (_, Some("町")) => 0.4,
        (_, Some("村")) => 0.3,
        _ => 0.5,
    }
}

/// Adds a body's assembly and a few committees.
fn invent_for(
    body: &GoverningBody,
    conferences: &mut Vec<Conference>,
    taken: &mut HashSet<(i32, String)>,
    timeline: &Timeline,
    rng: &mut impl Rng,
) {
    let (kind, committees) = match body.organization_type {
        Some("都道府県") => ("都道府県議会", rng.gen_range(1..=3)),
        Some("市") => ("市議会", rng.gen_range(1..=3)),
        Some("特別区") => ("区議会", rng.gen_range(1..=2)),
        Some("町") => ("町議会", rng.gen_range(0..=1)),
        Some("村") => ("村議会", rng.gen_range(0..=1)),
        _ => ("議会", 0),
    };
    let mut names = vec![(format!("{}議会", local_name(body)), kind)];
    let chosen = COMMITTEES.choose_multiple(rng, committees);
    names.extend(chosen.map(|(name, kind)| (name.to_string(), *kind)));
    for (name, kind) in names {
        if taken.insert((body.id, name.clone())) {
            let day = timeline.first_day + Duration::days(rng.gen_range(0..180));
            conferences.push(Conference {
                id: id_after(conferences),
                name,
                kind: Some(kind),
                governing_body_id: Some(body.id),
                created_at: timeline.stored(timeline.office_hours(day, rng)),
            });
        }
    }
}

fn id_after(conferences: &[Conference]) -> i32 {
    conferences.last().map_or(1, |c| c.id + 1)
}

/// A municipality's name without its prefecture: `京都府京都市` → `京都市`.
pub fn local_name(body: &GoverningBody) -> &'static str {
    match body.prefecture {
        Some(prefecture) if body.name.len() > prefecture.len() => {
            body.name.strip_prefix(prefecture).unwrap_or(body.name)
        }
        _ => body.name,
    }
}

/// Meeting weights per conference and the one conference each meeting body must use.
fn spread(
    conferences: &[Conference],
    reference: &Reference,
    meeting: &HashSet<i32>,
) -> (Vec<f64>, Vec<usize>) {
    let national: HashSet<i32> = reference
        .bodies
        .iter()
        .filter(|b| b.kind == Some("国"))
        .map(|b| b.id)
        .collect();
    let mut primaries = BTreeMap::new();
    let weights = conferences
        .iter()
        .enumerate()
        .map(|(index, conference)| match conference.governing_body_id {
            None => 3.0,
            Some(body) if meeting.contains(&body) => {
                primaries.entry(body).or_insert(index);
                weight(conference.kind, national.contains(&body))
            }
            Some(_) => 0.0,
        })
        .collect();
    (weights, primaries.into_values().collect())
}

/// How often a conference of this type meets, relative to a town assembly.
fn weight(kind: Option<&str>, national: bool) -> f64 {
    match (kind, national) {
        (Some("本会議"), _) => 30.0,
        (Some("常任委員会"), true) => 10.0,
        (Some("特別委員会" | "合同委員会"), true) => 3.0,
        (Some("議院"), _) => 2.0,
        (Some("都道府県議会"), _) => 8.0,
        (Some("市議会" | "区議会"), _) => 3.0,
        (Some("町議会"), _) => 1.5,
        (Some("常任委員会"), false) => 1.2,
        (Some("特別委員会"), false) => 0.8,
        (Some("議会運営委員会"), _) => 0.6,
        _ => 1.0,
    }
}
