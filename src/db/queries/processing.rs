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
    pub seconds_sum: Option<f64>,
    pub seconds_min: Option<f64>,
    pub seconds_max: Option<f64>,
}

pub async fn llm_groups(db: &Db, week_ago: NaiveDateTime) -> Result<Vec<LlmGroup>, DbError> {
    let mut query = Query::new(db.dialect());
    let cutoff = query.bind(Value::Timestamp(week_ago));
    let seconds = query
        .dialect
        .seconds_between("h.started_at", "h.completed_at");
    query.push(&format!(
        "SELECT h.processing_type, h.status, COUNT(*) AS n,
                COUNT(*) FILTER (WHERE h.created_at < {cutoff}) AS n_week_ago,
                COUNT({seconds}) AS timed, SUM({seconds}) AS seconds_sum,
                MIN({seconds}) AS seconds_min, MAX({seconds}) AS seconds_max
         FROM llm_processing_history h
         GROUP BY h.processing_type, h.status
         ORDER BY h.processing_type, h.status"
    ));
    query.fetch_all(db).await
}
