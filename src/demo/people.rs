//! Invented politicians and the speakers found in the minutes.
//!
//! Speakers come in cohorts (the regulars of one assembly); each cohort has its
//! own linking rate, so the share of linked conversations varies from meeting
//! to meeting the way it does in real data, while about 65 % of all speakers
//! end up linked. Several speakers may point at one politician, often with the
//! name written differently (a full-width space between surname and given name).

use rand::Rng;
use rand::distributions::{Distribution, WeightedIndex};
use rand::seq::SliceRandom;

use super::rows::{PoliticalParty, Politician, Speaker};
use super::timeline::Timeline;
use super::words::{GIVEN_NAMES, OFFICIAL_POSITIONS, POLITICIAN_POSITIONS, SURNAMES};

/// Speakers per cohort.
pub const COHORT: usize = 20;

/// A name made of a surname and a given name from the word lists.
fn invented_name(rng: &mut impl Rng) -> (&'static str, &'static str) {
    (
        SURNAMES[rng.gen_range(0..SURNAMES.len())],
        GIVEN_NAMES[rng.gen_range(0..GIVEN_NAMES.len())],
    )
}

/// Invents `count` politicians, most of them members of a party.
pub fn politicians(
    count: usize,
    parties: &[PoliticalParty],
    prefectures: &[&'static str],
    timeline: &Timeline,
    rng: &mut impl Rng,
) -> Vec<Politician> {
    let party_weights: Vec<u32> = parties.iter().map(|p| party_weight(p.name)).collect();
    let party = WeightedIndex::new(&party_weights).ok();
    (1..=count as i32)
        .map(|id| {
            let (surname, given) = invented_name(rng);
            let prefecture = prefectures.choose(rng).copied();
            let district = (rng.r#gen::<f64>() < 0.4).then(|| rng.gen_range(1..=12));
            let party_id = party.as_ref().filter(|_| rng.r#gen::<f64>() >= 0.1);
            Politician {
                id,
                name: format!("{surname}{given}"),
                political_party_id: party_id.map(|w| parties[w.sample(rng)].id),
                prefecture,
                district: district.map(|n| format!("第{n}区")),
                electoral_district: district
                    .map(|n| format!("{}第{n}区", prefecture.unwrap_or_default())),
                created_at: timeline.stored(timeline.random_instant(rng)),
            }
        })
        .collect()
}

/// Roughly how many politicians of each party the demo holds.
fn party_weight(name: &str) -> u32 {
    match name {
        "自由民主党" => 30,
        "立憲民主党" | "無所属" => 14,
        "公明党" => 9,
        "日本維新の会" => 8,
        "日本共産党" => 7,
        "国民民主党" => 6,
        "れいわ新選組" | "参政党" | "社会民主党" => 2,
        _ => 1,
    }
}

/// Invents `count` speakers in cohorts of [`COHORT`].
pub fn speakers(
    count: usize,
    politicians: &[Politician],
    parties: &[PoliticalParty],
    timeline: &Timeline,
    rng: &mut impl Rng,
) -> Vec<Speaker> {
    let mut all = Vec::with_capacity(count);
    let mut link_rate = 0.0;
    for index in 0..count {
        if index % COHORT == 0 {
            link_rate = rng.gen_range(0.72..1.0);
        }
        let kind = speaker_kind(rng);
        let mut speaker = match kind {
            "政治家" | "politician" | "議長" => {
                politician_speaker(kind, politicians, link_rate, parties, rng)
            }
            _ => other_speaker(kind, rng),
        };
        speaker.id = index as i32 + 1;
        speaker.created_at = timeline.stored(timeline.random_instant(rng));
        all.push(speaker);
    }
    all
}

fn speaker_kind(rng: &mut impl Rng) -> &'static str {
    match rng.r#gen::<f64>() {
        draw if draw < 0.62 => "政治家",
        draw if draw < 0.70 => "politician",
        draw if draw < 0.75 => "議長",
        draw if draw < 0.88 => "政府職員",
        _ => "参考人",
    }
}

fn politician_speaker(
    kind: &'static str,
    politicians: &[Politician],
    link_rate: f64,
    parties: &[PoliticalParty],
    rng: &mut impl Rng,
) -> Speaker {
    let position = if kind == "議長" {
        "議長"
    } else {
        POLITICIAN_POSITIONS[rng.gen_range(0..4)]
    };
    let is_politician = kind != "政治家" || rng.r#gen::<f64>() >= 0.05;
    let linked = politicians
        .choose(rng)
        .filter(|_| rng.r#gen::<f64>() < link_rate);
    let (name, party) = match linked {
        Some(politician) => (
            written_name(&politician.name, rng),
            party_of(politician, parties),
        ),
        None => {
            let (surname, given) = invented_name(rng);
            (
                format!("{surname}{given}"),
                parties.choose(rng).map(|p| p.name),
            )
        }
    };
    Speaker {
        id: 0,
        name,
        kind,
        political_party_name: party,
        position: Some(position),
        is_politician,
        politician_id: linked.map(|p| p.id),
        created_at: Default::default(),
    }
}

fn party_of(politician: &Politician, parties: &[PoliticalParty]) -> Option<&'static str> {
    let id = politician.political_party_id?;
    parties.iter().find(|p| p.id == id).map(|p| p.name)
}

/// A politician's name as a speaker's row may write it: sometimes spaced.
fn written_name(name: &str, rng: &mut impl Rng) -> String {
    let surname = SURNAMES.iter().find(|surname| name.starts_with(**surname));
    match surname {
        Some(surname) if rng.r#gen::<f64>() < 0.3 => {
            format!("{surname}\u{3000}{}", &name[surname.len()..])
        }
        _ => name.to_string(),
    }
}

fn other_speaker(kind: &'static str, rng: &mut impl Rng) -> Speaker {
    let (surname, given) = invented_name(rng);
    let position = match kind {
        "政府職員" => OFFICIAL_POSITIONS.choose(rng).copied(),
        _ => None,
    };
    Speaker {
        id: 0,
        name: format!("{surname}{given}"),
        kind,
        political_party_name: None,
        position,
        is_politician: false,
        politician_id: None,
        created_at: Default::default(),
    }
}
