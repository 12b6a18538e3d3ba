//! Governing-body coverage: one row per body with what it has, so that types,
//! prefectures and filters are derived from a single pass over `governing_bodies`.
//!
//! The number of bodies is bounded by the country's local governments (under
//! 2,000), so returning one row per body keeps memory independent of the data.

use chrono::{NaiveDate, NaiveDateTime};
use sqlx::FromRow;

use super::{Query, Value};
use crate::db::{Db, DbError};

/// One governing body and whether it has conferences and meetings.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct BodyRow {
    pub id: i32,
    pub name: String,
    pub body_type: Option<String>,
    pub organization_code: Option<String>,
    pub organization_type: Option<String>,
    pub existed_week_ago: bool,
    pub has_conferences: bool,
    pub has_data: bool,
    pub had_data_week_ago: bool,
}

/// Every body with its coverage flags; `week_ago` is the database wall-clock cutoff.
pub async fn bodies(db: &Db, week_ago: NaiveDateTime) -> Result<Vec<BodyRow>, DbError> {
    let mut query = Query::new(db.dialect());
    let cutoff = query.bind(Value::Timestamp(week_ago));
    query.push(&format!(
        "SELECT b.id, b.name, b.type AS body_type, b.organization_code, b.organization_type,
                COALESCE(b.created_at < {cutoff}, FALSE) AS existed_week_ago,
                EXISTS (SELECT 1 FROM conferences c WHERE c.governing_body_id = b.id)
                    AS has_conferences,
                EXISTS (SELECT 1 FROM conferences c JOIN meetings m ON m.conference_id = c.id
                        WHERE c.governing_body_id = b.id) AS has_data,
                EXISTS (SELECT 1 FROM conferences c JOIN meetings m ON m.conference_id = c.id
                        WHERE c.governing_body_id = b.id AND m.created_at < {cutoff})
                    AS had_data_week_ago
         FROM governing_bodies b
         ORDER BY b.id"
    ));
    query.fetch_all(db).await
}

/// One body of a prefecture's drill-down list.
#[derive(Clone, Debug, FromRow, PartialEq, Eq)]
pub struct MunicipalityRow {
    pub id: i32,
    pub conferences: i64,
    pub meetings: i64,
    pub latest_meeting: Option<NaiveDate>,
}

/// Conference and meeting counts and the latest meeting date of the given bodies.
pub async fn municipalities(
    db: &Db,
    bodies: &[i32],
    today: NaiveDate,
) -> Result<Vec<MunicipalityRow>, DbError> {
    let mut query = Query::new(db.dialect());
    let ids = query.bind(Value::Text(
        serde_json::to_string(bodies).unwrap_or_default(),
    ));
    let n: usize = ids[1..].parse().unwrap_or_default();
    let today = query.bind(Value::Date(today));
    let list = query.dialect.id_list(n);
    query.push(&format!(
        "SELECT b.id,
                (SELECT COUNT(*) FROM conferences c WHERE c.governing_body_id = b.id)
                    AS conferences,
                (SELECT COUNT(*) FROM conferences c JOIN meetings m ON m.conference_id = c.id
                 WHERE c.governing_body_id = b.id) AS meetings,
                (SELECT MAX(m.date) FROM conferences c JOIN meetings m ON m.conference_id = c.id
                 WHERE c.governing_body_id = b.id AND m.date <= {today}) AS latest_meeting
         FROM governing_bodies b
         WHERE b.id IN ({list})
         ORDER BY b.id"
    ));
    query.fetch_all(db).await
}

/// A conference as the filter list shows it.
#[derive(Clone, Debug, FromRow, PartialEq, Eq, serde::Serialize)]
pub struct ConferenceOption {
    pub id: i32,
    pub name: String,
    pub governing_body: Option<String>,
}

/// Every conference with its body's name, by body then conference name.
pub async fn conference_options(db: &Db) -> Result<Vec<ConferenceOption>, DbError> {
    let mut query = Query::new(db.dialect());
    query.push(
        "SELECT c.id, c.name, b.name AS governing_body
         FROM conferences c LEFT JOIN governing_bodies b ON b.id = c.governing_body_id
         ORDER BY b.id, c.name, c.id",
    );
    query.fetch_all(db).await
}
