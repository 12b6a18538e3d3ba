//! Activity over time and by party, conference and body type.

use chrono::NaiveDate;
use sqlx::FromRow;

use super::speakers::conversation_conditions;
use super::{Query, Scope, Value};
use crate::clock::Clock;
use crate::db::{Db, DbError};

/// One day's count of one kind of activity.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct DayCount {
    /// `meetings`, `conversations`, `speakers` or `politicians`.
    pub kind: String,
    pub day: NaiveDate,
    pub n: i64,
}

/// Meetings held, conversations in those meetings, speakers and politicians created,
/// per local day of `[from, to]`. Days without activity are absent.
pub async fn daily(
    db: &Db,
    scope: &Scope,
    clock: &Clock,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DayCount>, DbError> {
    let mut query = Query::new(db.dialect());
    let meetings = scope.meeting_conditions(&mut query, "m.conference_id");
    let (first, last) = (query.bind(Value::Date(from)), query.bind(Value::Date(to)));
    let start = query.bind(Value::Timestamp(clock.db_start_of(from)));
    let end = query.bind(Value::Timestamp(
        clock.db_start_of(to + chrono::Duration::days(1)),
    ));
    let speaker_day = query.dialect.local_date("s.created_at", clock);
    let politician_day = query.dialect.local_date("p.created_at", clock);
    query.push(&format!(
        "SELECT 'meetings' AS kind, m.date AS day, COUNT(*) AS n FROM meetings m
         WHERE m.date >= {first} AND m.date <= {last}{meetings} GROUP BY m.date
         UNION ALL
         SELECT 'conversations', m.date, COUNT(*) FROM conversations cv
         JOIN minutes mi ON mi.id = cv.minutes_id JOIN meetings m ON m.id = mi.meeting_id
         WHERE m.date >= {first} AND m.date <= {last}{meetings} GROUP BY m.date
         UNION ALL
         SELECT 'speakers', {speaker_day}, COUNT(*) FROM speakers s
         WHERE s.created_at >= {start} AND s.created_at < {end} GROUP BY 2
         UNION ALL
         SELECT 'politicians', {politician_day}, COUNT(*) FROM politicians p
         WHERE p.created_at >= {start} AND p.created_at < {end} GROUP BY 2"
    ));
    query.fetch_all(db).await
}

/// Meetings held per `YYYY-MM` month, up to today; undated and future meetings excluded.
pub async fn meetings_by_month(
    db: &Db,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Vec<(String, i64)>, DbError> {
    let mut query = Query::new(db.dialect());
    let conditions = scope.meeting_conditions(&mut query, "m.conference_id");
    let today = query.bind(Value::Date(today));
    let month = query.dialect.month_of("m.date");
    query.push(&format!(
        "SELECT {month} AS month, COUNT(*) AS n FROM meetings m
         WHERE m.date IS NOT NULL AND m.date <= {today}{conditions}
         GROUP BY 1 ORDER BY 1"
    ));
    query.fetch_all(db).await
}

/// Conversations and politicians of one party (`party_id` NULL: no party).
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct PartyRow {
    pub party_id: Option<i32>,
    pub party: Option<String>,
    pub politicians: i64,
    pub conversations: i64,
}

/// Conversations by politicians of each party, through `speakers.politician_id`.
///
/// Conversations are counted per speaker first, which PostgreSQL answers from the
/// partial index on linked conversations without reading the table; only the few
/// thousand speaker totals are then joined to politicians and parties.
pub async fn parties(db: &Db, scope: &Scope) -> Result<Vec<PartyRow>, DbError> {
    let mut query = Query::new(db.dialect());
    let conditions = conversation_conditions(&mut query, scope);
    query.push(&format!(
        "WITH per_speaker AS (
             SELECT cv.speaker_id, COUNT(*) AS n FROM conversations cv
             WHERE cv.speaker_id IS NOT NULL{conditions}
             GROUP BY cv.speaker_id),
         spoken AS (
             SELECT s.politician_id, SUM(ps.n) AS n
             FROM per_speaker ps JOIN speakers s ON s.id = ps.speaker_id
             WHERE s.politician_id IS NOT NULL
             GROUP BY s.politician_id)
         SELECT p.political_party_id AS party_id, pp.name AS party,
                COUNT(*) AS politicians, CAST(COALESCE(SUM(spoken.n), 0) AS BIGINT)
                    AS conversations
         FROM politicians p
         LEFT JOIN political_parties pp ON pp.id = p.political_party_id
         LEFT JOIN spoken ON spoken.politician_id = p.id
         GROUP BY p.political_party_id, pp.name"
    ));
    query.fetch_all(db).await
}
