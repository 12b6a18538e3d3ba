//! The conversations of every processed minutes row, produced on demand.
//!
//! At scale 1 there are about two million conversations, so they are never
//! held in memory: [`Conversations`] regenerates them from the seed each time
//! it is created, and every writer streams it. The same seed always yields the
//! same sequence. A minutes row holds 30–170 turns by the regulars of its
//! conference's speaker cohort; about 5 % of turns have no identified speaker.

use chrono::NaiveDateTime;
use rand::Rng;
use rand::seq::index;
use rand_chacha::ChaCha8Rng;

use super::people::COHORT;
use super::rows::{Conversation, Meeting, Minutes, Speaker};
use super::words::{CLOSINGS, OPENINGS, SUBJECTS, UNIDENTIFIED_SPEAKERS};

/// A processed minutes row to split into conversations.
#[derive(Clone, Debug)]
struct Session {
    minutes_id: i32,
    cohort: usize,
    at: NaiveDateTime,
}

/// What the conversations are generated from.
#[derive(Clone, Debug)]
pub struct Talk {
    sessions: Vec<Session>,
    rng: ChaCha8Rng,
}

impl Talk {
    /// Plans conversations for the processed `minutes`, drawing from `rng`.
    pub fn plan(
        minutes: &[Minutes],
        meetings: &[Meeting],
        speakers: usize,
        rng: ChaCha8Rng,
    ) -> Self {
        let cohorts = speakers.div_ceil(COHORT).max(1) as u64;
        let sessions = minutes
            .iter()
            .filter_map(|m| {
                let at = m.processed_at?;
                let meeting = meetings.get(usize::try_from(m.meeting_id - 1).ok()?)?;
                // Multiplicative hashing scatters neighbouring conferences over cohorts.
                let cohort = (meeting.conference_id as u64).wrapping_mul(2_654_435_761) % cohorts;
                Some(Session {
                    minutes_id: m.id,
                    cohort: cohort as usize,
                    at,
                })
            })
            .collect();
        Self { sessions, rng }
    }

    /// The conversations, from the first.
    pub fn conversations<'a>(&'a self, speakers: &'a [Speaker]) -> Conversations<'a> {
        Conversations {
            speakers,
            sessions: self.sessions.iter(),
            rng: self.rng.clone(),
            turn: None,
            next_id: 1,
        }
    }
}

/// The state of one minutes row being split.
struct Turns<'a> {
    session: &'a Session,
    participants: Vec<usize>,
    sequence: i32,
    remaining: u32,
}

/// An iterator over every conversation, in id order.
pub struct Conversations<'a> {
    speakers: &'a [Speaker],
    sessions: std::slice::Iter<'a, Session>,
    rng: ChaCha8Rng,
    turn: Option<Turns<'a>>,
    next_id: i32,
}

impl<'a> Conversations<'a> {
    fn start(&mut self, session: &'a Session) -> Turns<'a> {
        let first = session.cohort * COHORT;
        let size = self.speakers.len().saturating_sub(first).min(COHORT);
        let wanted = self.rng.gen_range(4..=12).min(size);
        let participants = index::sample(&mut self.rng, size, wanted)
            .into_iter()
            .map(|offset| first + offset)
            .collect();
        let remaining = self.rng.gen_range(30..=170);
        Turns {
            session,
            participants,
            sequence: 0,
            remaining,
        }
    }

    /// Who speaks next: the chair often, the others evenly, sometimes nobody known.
    fn speaker(&mut self, participants: &[usize]) -> (Option<i32>, &'a str) {
        let draw: f64 = self.rng.r#gen();
        let chosen = match participants {
            [] => None,
            [chair, ..] if draw < 0.25 => Some(*chair),
            _ if draw < 0.30 => None,
            _ => Some(participants[self.rng.gen_range(0..participants.len())]),
        };
        match chosen.and_then(|index| self.speakers.get(index)) {
            Some(speaker) => (Some(speaker.id), speaker.name.as_str()),
            None => {
                let index = self.rng.gen_range(0..UNIDENTIFIED_SPEAKERS.len());
                (None, UNIDENTIFIED_SPEAKERS[index])
            }
        }
    }

    fn comment(&mut self) -> String {
        let opening = OPENINGS[self.rng.gen_range(0..OPENINGS.len())];
        let subject = SUBJECTS[self.rng.gen_range(0..SUBJECTS.len())];
        let closing = CLOSINGS[self.rng.gen_range(0..CLOSINGS.len())];
        format!("{opening}{subject}{closing}")
    }
}

impl<'a> Iterator for Conversations<'a> {
    type Item = Conversation<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut turns = match self.turn.take() {
            Some(turns) if turns.remaining > 0 => turns,
            _ => {
                let session = self.sessions.next()?;
                self.start(session)
            }
        };
        let (speaker_id, speaker_name) = self.speaker(&turns.participants);
        turns.sequence += 1;
        turns.remaining -= 1;
        let conversation = Conversation {
            id: self.next_id,
            minutes_id: turns.session.minutes_id,
            speaker_id,
            speaker_name,
            comment: self.comment(),
            sequence_number: turns.sequence,
            created_at: turns.session.at,
        };
        self.next_id += 1;
        self.turn = Some(turns);
        Some(conversation)
    }
}
