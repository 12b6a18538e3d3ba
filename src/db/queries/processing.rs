//! LLM processing history: outcomes and durations per processing type.

use chrono::NaiveDateTime;
use sqlx::FromRow;

use super::{Query, Value};
use crate::db::{Db, DbError};

/// Rows of one processing type in one status, with duration aggregates.
#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct LlmGroup {
    pub processing_type: String,
    pub status: String,
    pub n: i64,
    pub n_week_ago: i64,
    pub timed: i64,
    pub millis_sum: Option<i64>,
    pub millis_min: Option<i64>,
    pub millis_max: Option<i64>,
}

pub async fn llm_groups(db: &Db, week_ago: NaiveDateTime) -> Result<Vec<LlmGroup>, DbError> {
    let mut query = Query::new(db.dialect());
    let cutoff = query.bind(Value::Timestamp(week_ago));
    let millis = query
        .dialect
        .millis_between("h.started_at", "h.completed_at");
    query.push(&format!(
        "SELECT h.processing_type, h.status, COUNT(*) AS n,
                COUNT(*) FILTER (WHERE h.created_at < {cutoff}) AS n_week_ago,
                COUNT({millis}) AS timed, CAST(SUM({millis}) AS BIGINT) AS millis_sum,
                MIN({millis}) AS millis_min, MAX({millis}) AS millis_max
         FROM llm_processing_history h
         GROUP BY h.processing_type, h.status
         ORDER BY h.processing_type, h.status"
    ));
    query.fetch_all(db).await
}
