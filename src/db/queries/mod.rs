//! Every query the dashboard runs, one module per dashboard section.
//!
//! Queries aggregate in the database and return small results: never rows of
//! `conversations`. Filters become a [`Scope`], a fragment of SQL whose values
//! are always bound as parameters. [`Query`] collects SQL text and bindings so
//! the same query runs on PostgreSQL and SQLite.

pub mod activity;
pub mod conversations;
pub mod coverage;
pub mod meetings;
pub mod processing;
pub mod speakers;

use chrono::{NaiveDate, NaiveDateTime};
use sqlx::FromRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use super::{Db, DbError, Dialect, on_pool};

/// A value bound to a query parameter.
#[derive(Clone, Debug)]
pub enum Value {
    Int(i64),
    Text(String),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
}

/// SQL text with its parameters, numbered `$1`, `$2`… in the order they are bound.
#[derive(Clone, Debug)]
pub struct Query {
    pub dialect: Dialect,
    sql: String,
    binds: Vec<Value>,
}

impl Query {
    pub fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            sql: String::new(),
            binds: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Binds a value and returns its placeholder, `$n`.
    pub fn bind(&mut self, value: Value) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    pub async fn fetch_all<T>(&self, db: &Db) -> Result<Vec<T>, DbError>
    where
        T: for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, SqliteRow> + Send + Unpin,
    {
        let rows = on_pool!(db, |pool| {
            let mut query = sqlx::query_as::<_, T>(&self.sql);
            for value in &self.binds {
                query = match value.clone() {
                    Value::Int(v) => query.bind(v),
                    Value::Text(v) => query.bind(v),
                    Value::Date(v) => query.bind(v),
                    Value::Timestamp(v) => query.bind(v),
                };
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    pub async fn fetch_one<T>(&self, db: &Db) -> Result<T, DbError>
    where
        T: for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, SqliteRow> + Send + Unpin,
    {
        self.fetch_all(db)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| DbError::Other("an aggregate query returned no row".into()))
    }
}

/// Which bodies and conferences a query is restricted to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// Only conferences of these bodies (a body filter is active).
    pub bodies: Option<Vec<i32>>,
    /// Only this conference.
    pub conference: Option<i32>,
}

impl Scope {
    pub fn is_all(&self) -> bool {
        self.bodies.is_none() && self.conference.is_none()
    }

    /// Conditions on a conference row aliased `alias`, each starting with ` AND`.
    pub fn conference_conditions(&self, query: &mut Query, alias: &str) -> String {
        let mut sql = String::new();
        if let Some(bodies) = &self.bodies {
            let ids = serde_json::to_string(bodies).unwrap_or_else(|_| "[]".into());
            let n = query.bind(Value::Text(ids));
            let n: usize = n[1..].parse().unwrap_or_default();
            sql.push_str(&format!(
                " AND {alias}.governing_body_id IN ({})",
                query.dialect.id_list(n)
            ));
        }
        if let Some(conference) = self.conference {
            let p = query.bind(Value::Int(i64::from(conference)));
            sql.push_str(&format!(" AND {alias}.id = {p}"));
        }
        sql
    }

    /// Conditions restricting a `conference_id` column to the scope.
    pub fn meeting_conditions(&self, query: &mut Query, conference_id: &str) -> String {
        if self.is_all() {
            return String::new();
        }
        if self.bodies.is_none() {
            let p = query.bind(Value::Int(i64::from(self.conference.unwrap_or_default())));
            return format!(" AND {conference_id} = {p}");
        }
        let conditions = self.conference_conditions(query, "sc");
        format!(
            " AND {conference_id} IN (SELECT sc.id FROM conferences sc WHERE 1 = 1{conditions})"
        )
    }

    /// Conditions restricting a `meeting_id` column to the scope.
    pub fn minutes_conditions(&self, query: &mut Query, meeting_id: &str) -> String {
        if self.is_all() {
            return String::new();
        }
        let conditions = self.meeting_conditions(query, "sm.conference_id");
        format!(" AND {meeting_id} IN (SELECT sm.id FROM meetings sm WHERE 1 = 1{conditions})")
    }
}
