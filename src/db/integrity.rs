//! Data-integrity findings for `check`: rows that point at nothing and bodies
//! registered twice. Each finding is a count an operator can act on.

use super::{Db, DbError, on_pool};

/// One integrity check: what it looks for and the SQL that counts it.
const CHECKS: [(&str, &str); 5] = [
    (
        "meetings whose conference is missing",
        "SELECT COUNT(*) FROM meetings m
         WHERE NOT EXISTS (SELECT 1 FROM conferences c WHERE c.id = m.conference_id)",
    ),
    (
        "conferences whose governing body is missing",
        "SELECT COUNT(*) FROM conferences c WHERE c.governing_body_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM governing_bodies b WHERE b.id = c.governing_body_id)",
    ),
    (
        "conferences without a governing body",
        "SELECT COUNT(*) FROM conferences c WHERE c.governing_body_id IS NULL",
    ),
    (
        "minutes whose meeting is missing",
        "SELECT COUNT(*) FROM minutes mi
         WHERE NOT EXISTS (SELECT 1 FROM meetings m WHERE m.id = mi.meeting_id)",
    ),
    (
        "governing bodies registered more than once (same name and type)",
        "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM governing_bodies
         GROUP BY name, type HAVING COUNT(*) > 1) d",
    ),
];

/// A counted finding; `None` when the check could not run (a table is missing).
#[derive(Debug)]
pub struct Finding {
    pub what: &'static str,
    pub count: Result<i64, DbError>,
}

pub async fn findings(db: &Db) -> Vec<Finding> {
    let mut findings = Vec::with_capacity(CHECKS.len());
    for (what, sql) in CHECKS {
        let sql = format!("SELECT CAST(({sql}) AS BIGINT)");
        let count: Result<i64, DbError> =
            on_pool!(db, |pool| sqlx::query_scalar(&sql).fetch_one(pool).await).map_err(Into::into);
        findings.push(Finding { what, count });
    }
    findings
}
