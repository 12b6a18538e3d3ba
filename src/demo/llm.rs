//! The LLM processing history: the runs that split minutes and matched speakers.
//!
//! Runs are tied to the rows they processed: a completed `minutes_division`
//! ends when its minutes were marked processed, a `speaker_matching` run
//! follows the speaker's creation. About 4 % fail; the few pending or still
//! running ones started within the last hours.

use chrono::{Duration, NaiveDateTime};
use rand::Rng;
use rand::seq::SliceRandom;

use super::rows::{LlmRun, Minutes, Speaker};
use super::timeline::Timeline;
use super::words::LLM_ERRORS;

/// What a run processed and when it finished, before its status is applied.
struct Job {
    processing_type: &'static str,
    prompt_template: &'static str,
    input_reference_type: &'static str,
    input_reference_id: i32,
    finished: NaiveDateTime,
    seconds: i64,
}

/// Invents `count` runs over the given minutes and speakers, in time order.
pub fn runs(
    count: usize,
    minutes: &[Minutes],
    speakers: &[Speaker],
    timeline: &Timeline,
    rng: &mut impl Rng,
) -> Vec<LlmRun> {
    let now = timeline.stored(timeline.now());
    let mut runs = Vec::with_capacity(count);
    for _ in 0..count {
        if let Some(job) = job(minutes, speakers, rng) {
            runs.push(with_status(job, now, rng));
        }
    }
    runs.sort_by_key(|run| run.created_at);
    for (run, id) in runs.iter_mut().zip(1..) {
        run.id = id;
    }
    runs
}

fn job(minutes: &[Minutes], speakers: &[Speaker], rng: &mut impl Rng) -> Option<Job> {
    let draw: f64 = rng.r#gen();
    if draw < 0.3 {
        let speaker = speakers.choose(rng)?;
        return Some(Job {
            processing_type: "speaker_matching",
            prompt_template: "speaker_match_v2",
            input_reference_type: "speaker",
            input_reference_id: speaker.id,
            finished: speaker.created_at + Duration::seconds(rng.gen_range(60..7_200)),
            seconds: rng.gen_range(2..20),
        });
    }
    let minutes = minutes.choose(rng)?;
    let (processing_type, prompt_template, seconds) = if draw < 0.8 {
        (
            "minutes_division",
            "minutes_divide_v3",
            rng.gen_range(20..180),
        )
    } else {
        (
            "speaker_extraction",
            "speaker_extract_v1",
            rng.gen_range(10..90),
        )
    };
    let finished = minutes
        .processed_at
        .unwrap_or(minutes.created_at + Duration::hours(1));
    Some(Job {
        processing_type,
        prompt_template,
        input_reference_type: "minutes",
        input_reference_id: minutes.id,
        finished,
        seconds,
    })
}

fn with_status(job: Job, now: NaiveDateTime, rng: &mut impl Rng) -> LlmRun {
    let finished = job.finished.min(now);
    let started = finished - Duration::seconds(job.seconds);
    let draw: f64 = rng.r#gen();
    let (status, started_at, completed_at) = match draw {
        _ if draw < 0.04 => (
            "failed",
            started,
            Some(started + Duration::seconds(job.seconds / 4)),
        ),
        _ if draw < 0.05 => (
            "pending",
            now - Duration::seconds(rng.gen_range(0..7_200)),
            None,
        ),
        _ if draw < 0.06 => (
            "in_progress",
            now - Duration::seconds(rng.gen_range(0..1_800)),
            None,
        ),
        _ => ("completed", started, Some(finished)),
    };
    LlmRun {
        id: 0,
        processing_type: job.processing_type,
        prompt_template: job.prompt_template,
        input_reference_type: job.input_reference_type,
        input_reference_id: job.input_reference_id,
        status,
        error_message: (status == "failed").then(|| LLM_ERRORS[rng.gen_range(0..LLM_ERRORS.len())]),
        started_at: (status != "pending").then_some(started_at),
        completed_at,
        created_at: started_at,
    }
}
