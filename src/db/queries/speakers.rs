//! Speakers and linking: how many speakers point at a politician, how many
//! conversations have a speaker, and the linking share per meeting.

use sqlx::FromRow;

use super::{Query, Scope, Value};
use crate::db::{Db, DbError};

/// Speaker counts; speakers belong to no body, so filters do not narrow them.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct SpeakerTotals {
    pub speakers: i64,
    pub linked: i64,
    pub politician_speakers: i64,
    pub politician_speakers_linked: i64,
}

const IS_POLITICIAN: &str = "(s.is_politician OR s.type IN ('政治家', 'politician'))";

pub async fn speaker_totals(db: &Db) -> Result<SpeakerTotals, DbError> {
    let mut query = Query::new(db.dialect());
    query.push(&format!(
        "SELECT COUNT(*) AS speakers, COUNT(s.politician_id) AS linked,
                COUNT(*) FILTER (WHERE {IS_POLITICIAN}) AS politician_speakers,
                COUNT(s.politician_id) FILTER (WHERE {IS_POLITICIAN})
                    AS politician_speakers_linked
         FROM speakers s"
    ));
    query.fetch_one(db).await
}

/// Conversations within a scope and how many have a speaker.
#[derive(Clone, Debug, Default, FromRow, PartialEq, Eq)]
pub struct ConversationTotals {
    pub conversations: i64,
    pub with_speaker: i64,
}

/// Restricts conversations (aliased `cv`) to a scope through their minutes.
pub fn conversation_conditions(query: &mut Query, scope: &Scope) -> String {
    if scope.is_all() {
        return String::new();
    }
    let minutes = scope.minutes_conditions(query, "smi.meeting_id");
    format!(" AND cv.minutes_id IN (SELECT smi.id FROM minutes smi WHERE 1 = 1{minutes})")
}

/// One line of the per-meeting linking summary; what `a`, `b`, `c` hold depends on `kind`:
///
/// - `bin`: `a` = decile 0–9 (100 % falls in 9), `b` = meetings;
/// - `summary`: `a` = meetings, `b` = meetings at 100 %, `c` = at ≥ 80 %, `share_sum`;
/// - `median`: `a` = linked, `b` = conversations of a middle meeting (one or two rows);
/// - `min`, `max`: `a` = linked, `b` = conversations;
/// - `worst`: `a` = meeting id, `b` = linked, `c` = conversations, the lowest under 50 %.
///
/// The rows come from [`super::conversations::rollup`].
#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct LinkingRow {
    pub kind: String,
    pub a: i64,
    pub b: i64,
    pub c: i64,
    pub share_sum: f64,
}

/// Date, conference and body of a meeting, for the worst-linked list.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct MeetingLabel {
    pub meeting_id: i32,
    pub date: Option<chrono::NaiveDate>,
    pub conference: String,
    pub governing_body: Option<String>,
}

pub async fn meeting_labels(db: &Db, ids: &[i64]) -> Result<Vec<MeetingLabel>, DbError> {
    let mut query = Query::new(db.dialect());
    let p = query.bind(Value::Text(serde_json::to_string(ids).unwrap_or_default()));
    let list = query.dialect.id_list(p[1..].parse().unwrap_or_default());
    query.push(&format!(
        "SELECT m.id AS meeting_id, m.date, c.name AS conference, b.name AS governing_body
         FROM meetings m JOIN conferences c ON c.id = m.conference_id
         LEFT JOIN governing_bodies b ON b.id = c.governing_body_id
         WHERE m.id IN ({list})"
    ));
    query.fetch_all(db).await
}
