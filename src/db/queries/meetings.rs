//! Meetings and minutes: completion, meetings per conference and the minutes
//! processing backlog.

use chrono::{NaiveDate, NaiveDateTime};
use sqlx::FromRow;

use super::{Query, Scope, Value};
use crate::clock::Clock;
use crate::db::{Db, DbError};

/// Meeting totals within a scope.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct MeetingTotals {
    pub meetings: i64,
    pub with_minutes: i64,
    pub conferences: i64,
}

pub async fn totals(db: &Db, scope: &Scope) -> Result<MeetingTotals, DbError> {
    let mut query = Query::new(db.dialect());
    let meetings = scope.meeting_conditions(&mut query, "m.conference_id");
    let conferences = scope.conference_conditions(&mut query, "c");
    query.push(&format!(
        "SELECT (SELECT COUNT(*) FROM meetings m WHERE 1 = 1{meetings}) AS meetings,
                (SELECT COUNT(*) FROM meetings m WHERE 1 = 1{meetings}
                   AND EXISTS (SELECT 1 FROM minutes mi WHERE mi.meeting_id = m.id))
                    AS with_minutes,
                (SELECT COUNT(*) FROM conferences c WHERE 1 = 1{conferences}) AS conferences"
    ));
    query.fetch_one(db).await
}

/// Meetings of one conference, with the conference's body when it has one.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct ConferenceMeetings {
    pub conference_id: i32,
    pub conference: String,
    pub governing_body: Option<String>,
    pub meetings: i64,
}

/// The `limit` conferences with the most meetings, ties by id.
pub async fn by_conference(
    db: &Db,
    scope: &Scope,
    limit: i64,
) -> Result<Vec<ConferenceMeetings>, DbError> {
    let mut query = Query::new(db.dialect());
    let conditions = scope.meeting_conditions(&mut query, "m.conference_id");
    let limit = query.bind(Value::Int(limit));
    query.push(&format!(
        "SELECT c.id AS conference_id, c.name AS conference, b.name AS governing_body,
                x.meetings
         FROM (SELECT m.conference_id, COUNT(*) AS meetings FROM meetings m
               WHERE 1 = 1{conditions} GROUP BY m.conference_id) x
         JOIN conferences c ON c.id = x.conference_id
         LEFT JOIN governing_bodies b ON b.id = c.governing_body_id
         ORDER BY x.meetings DESC, c.id
         LIMIT {limit}"
    ));
    query.fetch_all(db).await
}

/// Minutes processing state within a scope.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct MinutesTotals {
    pub total: i64,
    pub processed: i64,
    pub oldest_unprocessed: Option<NaiveDateTime>,
    pub newest_unprocessed: Option<NaiveDateTime>,
    pub total_week_ago: i64,
    pub processed_week_ago: i64,
}

pub async fn minutes(
    db: &Db,
    scope: &Scope,
    week_ago: NaiveDateTime,
) -> Result<MinutesTotals, DbError> {
    let mut query = Query::new(db.dialect());
    let conditions = scope.minutes_conditions(&mut query, "mi.meeting_id");
    let cutoff = query.bind(Value::Timestamp(week_ago));
    query.push(&format!(
        "SELECT COUNT(*) AS total, COUNT(mi.processed_at) AS processed,
                MIN(mi.created_at) FILTER (WHERE mi.processed_at IS NULL) AS oldest_unprocessed,
                MAX(mi.created_at) FILTER (WHERE mi.processed_at IS NULL) AS newest_unprocessed,
                COUNT(*) FILTER (WHERE mi.created_at < {cutoff}) AS total_week_ago,
                COUNT(*) FILTER (WHERE mi.processed_at < {cutoff}) AS processed_week_ago
         FROM minutes mi WHERE 1 = 1{conditions}"
    ));
    query.fetch_one(db).await
}

/// Minutes processed on each local day of `[from, to]` (days without any are absent).
pub async fn processed_per_day(
    db: &Db,
    scope: &Scope,
    clock: &Clock,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64)>, DbError> {
    let mut query = Query::new(db.dialect());
    let conditions = scope.minutes_conditions(&mut query, "mi.meeting_id");
    let start = query.bind(Value::Timestamp(clock.db_start_of(from)));
    let end = query.bind(Value::Timestamp(
        clock.db_start_of(to + chrono::Duration::days(1)),
    ));
    let day = query.dialect.local_date("mi.processed_at", clock);
    query.push(&format!(
        "SELECT {day} AS day, COUNT(*) AS n FROM minutes mi
         WHERE mi.processed_at >= {start} AND mi.processed_at < {end}{conditions}
         GROUP BY 1 ORDER BY 1"
    ));
    query.fetch_all(db).await
}
