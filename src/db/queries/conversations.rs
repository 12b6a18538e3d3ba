//! Everything the dashboard needs from `conversations`, in one pass over the table.
//!
//! `conversations` is by far the largest table (millions of rows) and no index
//! covers the pair (minutes, speaker), so any figure that needs both columns has
//! to read the table itself. Rather than one scan per panel, a single statement
//! aggregates conversations per minutes once and derives from that small
//! aggregate the conversation totals, the per-meeting linking distribution, the
//! top conferences and the activity per body. Linked speakers are tested with a
//! hashed semi-join (`IN (SELECT …)`), which costs no more than the scan.

use sqlx::FromRow;

use super::speakers::{ConversationTotals, LinkingRow, conversation_conditions};
use super::{Query, Scope, Value};
use crate::db::schema::Schema;
use crate::db::{Db, DbError};

/// How many conferences the top list holds.
pub const TOP_CONFERENCES: i64 = 20;
/// How many of the worst-linked meetings are listed.
pub const WORST_MEETINGS: i64 = 20;

/// Conversations and meetings of one conference in the top list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopConference {
    pub conference_id: i32,
    pub conversations: i64,
    pub meetings: i64,
}

/// Activity of the conferences of one body (`body_id` NULL: conferences without a body).
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct BodyActivity {
    pub body_id: Option<i32>,
    pub conferences: i64,
    pub meetings: i64,
    pub minutes: i64,
    pub conversations: i64,
}

/// The figures derived from one pass over the conversations of a scope.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rollup {
    pub totals: ConversationTotals,
    /// The per-meeting linking distribution, as `speakers` sections read it.
    pub linking: Vec<LinkingRow>,
    /// The conferences with the most conversations, most first, ties by id.
    pub top_conferences: Vec<TopConference>,
    /// Conferences, meetings, minutes and conversations per body of the scope.
    pub bodies: Vec<BodyActivity>,
}

/// One row of the combined statement; what the columns hold depends on `kind`.
#[derive(Clone, Debug, FromRow)]
struct Row {
    kind: String,
    id: Option<i64>,
    a: i64,
    b: i64,
    c: i64,
    d: i64,
    share_sum: f64,
}

/// Runs the combined statement for `scope`. Columns the schema lacks count as
/// zero (`speaker_id` or `politician_id` on older Polibase versions); the panels
/// that need them say so on their own.
pub async fn rollup(db: &Db, scope: &Scope, schema: &Schema) -> Result<Rollup, DbError> {
    let mut query = Query::new(db.dialect());
    let conversations = conversation_conditions(&mut query, scope);
    let conferences = scope.conference_conditions(&mut query, "c");
    let top = query.bind(Value::Int(TOP_CONFERENCES));
    let worst = query.bind(Value::Int(WORST_MEETINGS));
    let has_speaker = schema.has_column("conversations", "speaker_id");
    let with_speaker = if has_speaker {
        "COUNT(cv.speaker_id)"
    } else {
        "0"
    };
    let linked = if has_speaker && schema.has_column("speakers", "politician_id") {
        "COUNT(*) FILTER (WHERE cv.speaker_id IN
             (SELECT ls.id FROM speakers ls WHERE ls.politician_id IS NOT NULL))"
    } else {
        "0"
    };
    query.push(&format!(
        "WITH per_minutes AS MATERIALIZED (
             SELECT cv.minutes_id, COUNT(*) AS total, {with_speaker} AS with_speaker,
                    {linked} AS linked
             FROM conversations cv WHERE 1 = 1{conversations}
             GROUP BY cv.minutes_id),
         per_meeting AS MATERIALIZED (
             SELECT mi.meeting_id, CAST(SUM(pm.total) AS BIGINT) AS total,
                    CAST(SUM(pm.linked) AS BIGINT) AS linked
             FROM per_minutes pm JOIN minutes mi ON mi.id = pm.minutes_id
             GROUP BY mi.meeting_id),
         ranked AS MATERIALIZED (
             SELECT meeting_id, total, linked,
                    CAST(linked AS DOUBLE PRECISION) / total AS share,
                    ROW_NUMBER() OVER (ORDER BY CAST(linked AS DOUBLE PRECISION) / total,
                                       meeting_id) AS rn,
                    COUNT(*) OVER () AS n
             FROM per_meeting),
         minutes_per_meeting AS (
             SELECT mi.meeting_id, COUNT(*) AS minutes FROM minutes mi GROUP BY mi.meeting_id),
         per_conference AS MATERIALIZED (
             SELECT m.conference_id, COUNT(*) AS meetings,
                    CAST(COALESCE(SUM(mm.minutes), 0) AS BIGINT) AS minutes,
                    CAST(COALESCE(SUM(pm.total), 0) AS BIGINT) AS conversations
             FROM meetings m
             LEFT JOIN minutes_per_meeting mm ON mm.meeting_id = m.id
             LEFT JOIN per_meeting pm ON pm.meeting_id = m.id
             GROUP BY m.conference_id)
         SELECT 'totals' AS kind, CAST(NULL AS BIGINT) AS id,
                CAST(COALESCE(SUM(total), 0) AS BIGINT) AS a,
                CAST(COALESCE(SUM(with_speaker), 0) AS BIGINT) AS b,
                0 AS c, 0 AS d, 0.0 AS share_sum
         FROM per_minutes
         UNION ALL
         SELECT 'bin', NULL, CASE WHEN linked * 10 / total > 9 THEN 9
                                  ELSE linked * 10 / total END,
                COUNT(*), 0, 0, 0.0
         FROM ranked GROUP BY 3
         UNION ALL
         SELECT 'summary', NULL, COUNT(*), COUNT(*) FILTER (WHERE linked = total),
                COUNT(*) FILTER (WHERE linked * 10 >= total * 8), 0, COALESCE(SUM(share), 0.0)
         FROM ranked
         UNION ALL
         SELECT 'median', NULL, linked, total, 0, 0, 0.0 FROM ranked
         WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
         UNION ALL
         SELECT 'min', NULL, linked, total, 0, 0, 0.0 FROM ranked WHERE rn = 1
         UNION ALL
         SELECT 'max', NULL, linked, total, 0, 0, 0.0 FROM ranked WHERE rn = n
         UNION ALL
         SELECT * FROM (SELECT 'worst', meeting_id, linked, total, 0, 0, 0.0 FROM ranked
                        WHERE linked * 2 < total ORDER BY rn LIMIT {worst}) w
         UNION ALL
         SELECT * FROM (SELECT 'conference', conference_id, conversations, meetings, 0, 0, 0.0
                        FROM per_conference WHERE conversations > 0
                        ORDER BY conversations DESC, conference_id LIMIT {top}) t
         UNION ALL
         SELECT 'body', c.governing_body_id, COUNT(*),
                CAST(COALESCE(SUM(pc.meetings), 0) AS BIGINT),
                CAST(COALESCE(SUM(pc.minutes), 0) AS BIGINT),
                CAST(COALESCE(SUM(pc.conversations), 0) AS BIGINT), 0.0
         FROM conferences c LEFT JOIN per_conference pc ON pc.conference_id = c.id
         WHERE 1 = 1{conferences}
         GROUP BY c.governing_body_id"
    ));
    let rows: Vec<Row> = query.fetch_all(db).await?;
    Ok(assemble(rows))
}

/// Sorts the combined rows into their figures.
fn assemble(rows: Vec<Row>) -> Rollup {
    let mut rollup = Rollup::default();
    for row in rows {
        match row.kind.as_str() {
            "totals" => {
                rollup.totals = ConversationTotals {
                    conversations: row.a,
                    with_speaker: row.b,
                }
            }
            "conference" => rollup.top_conferences.push(TopConference {
                conference_id: narrow(row.id),
                conversations: row.a,
                meetings: row.b,
            }),
            "body" => rollup.bodies.push(BodyActivity {
                body_id: row.id.map(|id| narrow(Some(id))),
                conferences: row.a,
                meetings: row.b,
                minutes: row.c,
                conversations: row.d,
            }),
            "worst" => rollup.linking.push(LinkingRow {
                kind: row.kind,
                a: row.id.unwrap_or_default(),
                b: row.a,
                c: row.b,
                share_sum: row.share_sum,
            }),
            _ => rollup.linking.push(LinkingRow {
                kind: row.kind,
                a: row.a,
                b: row.b,
                c: row.c,
                share_sum: row.share_sum,
            }),
        }
    }
    rollup
}

/// Ids are `INTEGER` columns widened to `BIGINT` by the union.
fn narrow(id: Option<i64>) -> i32 {
    id.and_then(|id| i32::try_from(id).ok()).unwrap_or_default()
}

/// Name and body of each conference in `ids`, for the top list.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct ConferenceLabel {
    pub conference_id: i32,
    pub conference: String,
    pub governing_body: Option<String>,
}

pub async fn conference_labels(db: &Db, ids: &[i32]) -> Result<Vec<ConferenceLabel>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = Query::new(db.dialect());
    let p = query.bind(Value::Text(serde_json::to_string(ids).unwrap_or_default()));
    let list = query.dialect.id_list(p[1..].parse().unwrap_or_default());
    query.push(&format!(
        "SELECT c.id AS conference_id, c.name AS conference, b.name AS governing_body
         FROM conferences c LEFT JOIN governing_bodies b ON b.id = c.governing_body_id
         WHERE c.id IN ({list})"
    ));
    query.fetch_all(db).await
}
