//! The whole demo dataset, built from the reference rows, a scale and a seed.
//!
//! Each kind of row draws from its own ChaCha stream of the seed, so the rows
//! of one table do not shift when another table's recipe changes, and the same
//! scale, seed and clock always give the same rows. Ids are dense from 1.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::reference::Reference;
use super::rows::{
    Conference, GoverningBody, LlmRun, Meeting, Minutes, PoliticalParty, Politician, Speaker,
};
use super::talk::{Conversations, Talk};
use super::timeline::Timeline;
use super::{DemoError, DemoOptions, assemblies, llm, people, sessions};
use crate::clock::Clock;

/// Rows at scale 1; conversations follow from the minutes (about 100 each).
const MEETINGS: f64 = 20_000.0;
const POLITICIANS: f64 = 6_000.0;
const SPEAKERS: f64 = 13_800.0;
const LLM_RUNS: f64 = 4_000.0;

/// The independent random streams of one seed.
#[derive(Clone, Copy)]
enum Stream {
    Assemblies = 1,
    Meetings,
    Minutes,
    Politicians,
    Speakers,
    Conversations,
    LlmRuns,
}

fn stream(seed: u64, which: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(which as u64);
    rng
}

fn scaled(base: f64, scale: f64) -> usize {
    (base * scale).round().max(1.0) as usize
}

/// Every row of the demo database; conversations are streamed from [`Talk`].
#[derive(Clone, Debug)]
pub struct Dataset {
    pub bodies: Vec<GoverningBody>,
    pub parties: Vec<PoliticalParty>,
    pub conferences: Vec<Conference>,
    pub meetings: Vec<Meeting>,
    pub minutes: Vec<Minutes>,
    pub politicians: Vec<Politician>,
    pub speakers: Vec<Speaker>,
    pub llm_runs: Vec<LlmRun>,
    talk: Talk,
}

impl Dataset {
    pub fn build(options: &DemoOptions, clock: &Clock) -> Result<Self, DemoError> {
        let timeline = Timeline::new(clock);
        let registered = timeline.stored(timeline.at(timeline.first_day, 9 * 3_600));
        let reference = Reference::parse(registered)?;

        let (conferences, meetings, minutes) = activity(&reference, options, &timeline);
        let (politicians, speakers) = people(&reference, options, &timeline);
        let talk_rng = stream(options.seed, Stream::Conversations);
        let talk = Talk::plan(&minutes, &meetings, speakers.len(), talk_rng);
        let mut rng = stream(options.seed, Stream::LlmRuns);
        let runs = scaled(LLM_RUNS, options.scale);
        let llm_runs = llm::runs(runs, &minutes, &speakers, &timeline, &mut rng);

        Ok(Self {
            bodies: reference.bodies,
            parties: reference.parties,
            conferences,
            meetings,
            minutes,
            politicians,
            speakers,
            llm_runs,
            talk,
        })
    }

    /// Every conversation, generated afresh (identically) on each call.
    pub fn conversations(&self) -> Conversations<'_> {
        self.talk.conversations(&self.speakers)
    }
}

/// Conferences, meetings and minutes.
fn activity(
    reference: &Reference,
    options: &DemoOptions,
    timeline: &Timeline,
) -> (Vec<Conference>, Vec<Meeting>, Vec<Minutes>) {
    let count = scaled(MEETINGS, options.scale);
    let mut rng = stream(options.seed, Stream::Assemblies);
    let assemblies = assemblies::plan(reference, count, timeline, &mut rng);
    let mut rng = stream(options.seed, Stream::Meetings);
    let meetings = sessions::meetings(&assemblies, count, timeline, &mut rng);
    let mut rng = stream(options.seed, Stream::Minutes);
    let minutes = sessions::minutes(&meetings, timeline, &mut rng);
    (assemblies.conferences, meetings, minutes)
}

/// Politicians and the speakers of the minutes.
fn people(
    reference: &Reference,
    options: &DemoOptions,
    timeline: &Timeline,
) -> (Vec<Politician>, Vec<Speaker>) {
    let prefectures: Vec<&'static str> = reference
        .bodies
        .iter()
        .filter(|b| b.kind == Some("都道府県"))
        .map(|b| b.name)
        .collect();
    let parties = &reference.parties;
    let count = scaled(POLITICIANS, options.scale);
    let mut rng = stream(options.seed, Stream::Politicians);
    let politicians = people::politicians(count, parties, &prefectures, timeline, &mut rng);
    let count = scaled(SPEAKERS, options.scale);
    let mut rng = stream(options.seed, Stream::Speakers);
    let speakers = people::speakers(count, &politicians, parties, timeline, &mut rng);
    (politicians, speakers)
}
