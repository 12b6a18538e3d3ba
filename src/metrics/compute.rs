//! Computes a whole dashboard document from the database for one filter set.
//!
//! Panels run concurrently within the connection pool. A panel whose table or
//! column is missing, that times out or that the role may not read becomes a
//! [`PanelState`] and the others still render; only an unreachable database
//! fails the whole computation.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Duration as Days;
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

use super::document::{Activity, Dashboard, PanelState, Processing};
use super::filter::{Filters, Period};
use super::sections::{activity, cards, coverage, meetings, processing, speakers};
use super::{Context, MetricsError};
use crate::db::queries::conversations::Rollup;
use crate::db::queries::coverage::BodyRow;
use crate::db::queries::{self as q, Scope};
use crate::db::schema::Schema;
use crate::db::{Db, DbError};

/// What each panel reads; a panel whose inputs are missing says which one.
pub const NEEDS: [(&str, &[&str]); 10] = [
    (
        "coverage",
        &[
            "governing_bodies.type",
            "governing_bodies.organization_code",
            "governing_bodies.organization_type",
            "conferences.governing_body_id",
            "meetings.conference_id",
        ],
    ),
    (
        "meetings",
        &[
            "meetings.conference_id",
            "minutes.meeting_id",
            "conferences.name",
        ],
    ),
    ("minutes", &["minutes.processed_at", "minutes.created_at"]),
    (
        "speakers",
        &[
            "speakers.politician_id",
            "speakers.is_politician",
            "speakers.type",
            "conversations.speaker_id",
        ],
    ),
    (
        "linking",
        &[
            "conversations.minutes_id",
            "conversations.speaker_id",
            "speakers.politician_id",
        ],
    ),
    (
        "activity",
        &[
            "meetings.date",
            "conversations.minutes_id",
            "speakers.created_at",
            "politicians.created_at",
        ],
    ),
    (
        "parties",
        &[
            "politicians.political_party_id",
            "political_parties.name",
            "speakers.politician_id",
        ],
    ),
    (
        "top_conferences",
        &["conversations.minutes_id", "meetings.conference_id"],
    ),
    (
        "body_types",
        &["conversations.minutes_id", "minutes.meeting_id"],
    ),
    (
        "processing",
        &[
            "llm_processing_history.status",
            "llm_processing_history.processing_type",
            "llm_processing_history.started_at",
            "llm_processing_history.completed_at",
        ],
    ),
];

/// Panel states collected while computing.
#[derive(Default)]
struct Panels(BTreeMap<&'static str, PanelState>);

impl Panels {
    /// Runs one panel unless its inputs are missing; records why it has no figures.
    async fn run<T>(
        &mut self,
        id: &'static str,
        schema: &Schema,
        limit: Duration,
        work: impl Future<Output = Result<T, DbError>>,
    ) -> Option<T> {
        if let Some(state) = missing_inputs(id, schema) {
            self.0.insert(id, state);
            return None;
        }
        let started = std::time::Instant::now();
        // Each statement is bounded by the server's statement timeout; this guard also
        // covers waiting for a connection while other panels' statements hold them.
        let outcome = match tokio::time::timeout(limit * 2, work).await {
            Ok(outcome) => outcome,
            Err(_) => Err(DbError::Timeout),
        };
        crate::observability::record_panel(id, outcome.is_ok(), started.elapsed());
        outcome
            .map_err(|err| self.0.insert(id, failed(id, &err, limit)))
            .ok()
    }
}

fn missing_inputs(id: &str, schema: &Schema) -> Option<PanelState> {
    let needs = NEEDS
        .iter()
        .find(|(panel, _)| *panel == id)
        .map_or(&[][..], |(_, n)| *n);
    let missing = schema.first_missing(needs)?;
    let table = missing.split('.').next().unwrap_or(missing);
    let message = if schema.has_table(table) {
        format!("このパネルには {missing} が必要です (needs {missing})")
    } else {
        format!("このパネルにはテーブル {table} が必要です (needs table {table})")
    };
    Some(PanelState {
        status: "unavailable",
        code: "missing_schema",
        message,
    })
}

fn failed(id: &str, err: &DbError, limit: Duration) -> PanelState {
    // An unreachable database is logged once per outage by the metrics service.
    if err.is_unavailable() {
        tracing::debug!(panel = id, error = %err, "a dashboard panel could not be computed");
    } else {
        tracing::warn!(panel = id, error = %err, "a dashboard panel could not be computed");
    }
    let message = match err {
        DbError::Timeout => format!(
            "集計がタイムアウトしました（上限 {} 秒） / timed out after {} s",
            limit.as_secs(),
            limit.as_secs()
        ),
        DbError::PermissionDenied(_) => "権限がありません / permission denied".to_string(),
        DbError::MissingSchema(_) => {
            "必要な表または列がありません / missing table or column".into()
        }
        DbError::Unreachable(_) | DbError::PoolExhausted => {
            "データベースに接続できません / database unavailable".into()
        }
        DbError::Config(_) | DbError::Other(_) => "集計に失敗しました / query failed".into(),
    };
    PanelState {
        status: "error",
        code: err.code(),
        message,
    }
}

/// Computes the dashboard for `filters`.
pub async fn dashboard(ctx: &Context, filters: &Filters) -> Result<Dashboard, MetricsError> {
    let (db, clock) = (&ctx.db, &ctx.clock);
    let schema = Schema::load(db).await.map_err(MetricsError::from_db)?;
    let now = clock.now();
    let today = now.date_naive();
    let period = filters.period.resolve(today);
    let week_ago = clock.db_week_ago();
    let limit = ctx.statement_timeout;
    let (bodies, unreadable) = body_rows(db, &schema, week_ago, filters, limit).await?;
    check_conference(db, filters).await?;
    let selected: Vec<&BodyRow> = bodies
        .iter()
        .filter(|b| coverage::body_matches(b, filters))
        .collect();
    let scope = Scope {
        bodies: filters
            .narrows_bodies()
            .then(|| selected.iter().map(|b| b.id).collect()),
        conference: filters.conference,
    };
    let mut panels = Panels::default();
    let rollup = conversation_rollup(db, &scope, &schema);
    let ((meetings, minutes), (speakers, linking), mut activity, llm) = tokio::join!(
        meetings_section(ctx, &scope, &period, &schema, limit),
        speakers_section(db, &rollup, &schema, limit),
        activity_section(ctx, &scope, &period, &selected, &rollup, &schema, limit),
        run_panel(
            "processing",
            &schema,
            limit,
            q::processing::llm_groups(db, week_ago)
        ),
    );
    for (id, state) in [meetings.1, minutes.1, speakers.1, linking.1, llm.1]
        .into_iter()
        .chain(activity.1)
        .flatten()
    {
        panels.0.insert(id, state);
    }
    let coverage_section = match missing_inputs("coverage", &schema).or(unreadable.clone()) {
        Some(state) => {
            // Body types are read with the bodies: without them, no type can be named.
            if let Some(activity) = &mut activity.0
                && activity.by_body_type.take().is_some()
            {
                panels.0.insert("body_types", state.clone());
            }
            panels.0.insert("coverage", state);
            None
        }
        None => Some(coverage::coverage(&selected)),
    };
    let llm = llm.0.map(|groups| processing::llm(&groups));
    let meetings_doc = meetings.0.map(|(totals, top)| {
        let mut doc = meetings::meetings(&totals, top);
        if let Some((totals, per_day)) = &minutes.0 {
            doc.minutes = Some(meetings::minutes(totals, clock));
            doc.processed_per_day =
                Some(meetings::fill_days(per_day, today - Days::days(29), today));
        }
        doc
    });
    let speakers_doc = speakers.0.map(|(speaker_totals, conversation_totals)| {
        let mut doc = speakers::speakers(&speaker_totals, &conversation_totals);
        doc.per_meeting = linking
            .0
            .map(|(rows, labels)| speakers::per_meeting(&rows, &labels));
        doc
    });
    let readable = unreadable.is_none().then_some(bodies.as_slice());
    let cards = headline_cards(ctx, readable, &minutes.0, &speakers_doc, &llm);
    Ok(Dashboard {
        as_of: now,
        demo: ctx.demo || schema.is_demo(),
        period,
        filters: *filters,
        cards,
        coverage: coverage_section,
        meetings: meetings_doc,
        speakers: speakers_doc,
        activity: activity.0,
        processing: llm.map(|(llm, _)| Processing { llm }),
        panels: panels.0,
        freshness: Default::default(),
    })
}

/// The governing bodies behind coverage, the body filters and two cards. When the role may
/// not read them (or the query fails otherwise) only coverage is lost: the rows come back empty
/// with the panel state, unless a body filter needs them or the database is unreachable.
async fn body_rows(
    db: &Db,
    schema: &Schema,
    week_ago: chrono::NaiveDateTime,
    filters: &Filters,
    limit: Duration,
) -> Result<(Vec<BodyRow>, Option<PanelState>), MetricsError> {
    if missing_inputs("coverage", schema).is_some() {
        return Ok((Vec::new(), None));
    }
    match q::coverage::bodies(db, week_ago).await {
        Ok(rows) => Ok((rows, None)),
        Err(err) if err.is_unavailable() || filters.narrows_bodies() => {
            Err(MetricsError::from_db(err))
        }
        Err(err) => Ok((Vec::new(), Some(failed("coverage", &err, limit)))),
    }
}

type PanelOutcome<T> = (Option<T>, Option<(&'static str, PanelState)>);

async fn run_panel<T>(
    id: &'static str,
    schema: &Schema,
    limit: Duration,
    work: impl Future<Output = Result<T, DbError>>,
) -> PanelOutcome<T> {
    let mut panels = Panels::default();
    let value = panels.run(id, schema, limit, work).await;
    (value, panels.0.remove(id).map(|state| (id, state)))
}

async fn check_conference(db: &Db, filters: &Filters) -> Result<(), MetricsError> {
    let Some(id) = filters.conference else {
        return Ok(());
    };
    let mut query = q::Query::new(db.dialect());
    let p = query.bind(q::Value::Int(i64::from(id)));
    query.push(&format!("SELECT COUNT(*) FROM conferences WHERE id = {p}"));
    let found = match query.fetch_one::<(i64,)>(db).await {
        Ok((found,)) => found,
        // Without access to conferences the filter cannot be checked; the panels that read
        // conferences say so on their own.
        Err(DbError::PermissionDenied(_) | DbError::MissingSchema(_)) => return Ok(()),
        Err(err) => return Err(MetricsError::from_db(err)),
    };
    if found == 0 {
        return Err(MetricsError::InvalidParameter(format!(
            "conference {id} does not exist; pick one from /api/v1/filters"
        )));
    }
    Ok(())
}

type MeetingsParts = (
    q::meetings::MeetingTotals,
    Vec<q::meetings::ConferenceMeetings>,
);
type MinutesParts = (q::meetings::MinutesTotals, Vec<(chrono::NaiveDate, i64)>);

async fn meetings_section(
    ctx: &Context,
    scope: &Scope,
    _period: &Period,
    schema: &Schema,
    limit: Duration,
) -> (PanelOutcome<MeetingsParts>, PanelOutcome<MinutesParts>) {
    let (db, clock) = (&ctx.db, &ctx.clock);
    let today = clock.today();
    let meetings = run_panel("meetings", schema, limit, async {
        let totals = q::meetings::totals(db, scope).await?;
        let top = q::meetings::by_conference(db, scope, 20).await?;
        Ok((totals, top))
    });
    let minutes = run_panel("minutes", schema, limit, async {
        let totals = q::meetings::minutes(db, scope, clock.db_week_ago()).await?;
        let from = today - Days::days(29);
        let per_day = q::meetings::processed_per_day(db, scope, clock, from, today).await?;
        Ok((totals, per_day))
    });
    tokio::join!(meetings, minutes)
}

/// The one pass over `conversations` that several panels share; it runs when the
/// first of them asks and is cancelled when the last of them gives up.
type SharedRollup<'a> = Shared<BoxFuture<'a, Result<Arc<Rollup>, DbError>>>;

fn conversation_rollup<'a>(db: &'a Db, scope: &'a Scope, schema: &'a Schema) -> SharedRollup<'a> {
    async move {
        q::conversations::rollup(db, scope, schema)
            .await
            .map(Arc::new)
    }
    .boxed()
    .shared()
}

type SpeakersParts = (q::speakers::SpeakerTotals, q::speakers::ConversationTotals);
type LinkingParts = (Vec<q::speakers::LinkingRow>, Vec<q::speakers::MeetingLabel>);

async fn speakers_section(
    db: &Db,
    rollup: &SharedRollup<'_>,
    schema: &Schema,
    limit: Duration,
) -> (PanelOutcome<SpeakersParts>, PanelOutcome<LinkingParts>) {
    let totals = run_panel("speakers", schema, limit, async {
        let speakers = q::speakers::speaker_totals(db).await?;
        Ok((speakers, rollup.clone().await?.totals.clone()))
    });
    let linking = run_panel("linking", schema, limit, async {
        let rows = rollup.clone().await?.linking.clone();
        let labels = q::speakers::meeting_labels(db, &speakers::worst_ids(&rows)).await?;
        Ok((rows, labels))
    });
    tokio::join!(totals, linking)
}

type TopParts = (
    Vec<q::conversations::TopConference>,
    Vec<q::conversations::ConferenceLabel>,
);

async fn activity_section(
    ctx: &Context,
    scope: &Scope,
    period: &Period,
    bodies: &[&BodyRow],
    rollup: &SharedRollup<'_>,
    schema: &Schema,
    limit: Duration,
) -> (Option<Activity>, Vec<Option<(&'static str, PanelState)>>) {
    let (db, clock) = (&ctx.db, &ctx.clock);
    let trend = run_panel("activity", schema, limit, async {
        let days = q::activity::daily(db, scope, clock, period.from, period.to).await?;
        let months = q::activity::meetings_by_month(db, scope, clock.today()).await?;
        Ok((days, months))
    });
    let parties = run_panel("parties", schema, limit, q::activity::parties(db, scope));
    let top = run_panel("top_conferences", schema, limit, async {
        let top = rollup.clone().await?.top_conferences.clone();
        let ids: Vec<i32> = top.iter().map(|t| t.conference_id).collect();
        let labels = q::conversations::conference_labels(db, &ids).await?;
        Ok::<TopParts, DbError>((top, labels))
    });
    let types = run_panel("body_types", schema, limit, async {
        Ok(rollup.clone().await?.bodies.clone())
    });
    let (trend, parties, top, types) = tokio::join!(trend, parties, top, types);
    let states = vec![trend.1, parties.1, top.1, types.1];
    let Some((days, months)) = trend.0 else {
        return (None, states);
    };
    let days = activity::days(&days, period);
    let section = Activity {
        heatmap: activity::heatmap(&days),
        days,
        by_month: activity::by_month(&months, clock.today()),
        by_year: activity::by_year(&months),
        parties: parties.0.map(activity::parties),
        top_conferences: top
            .0
            .map(|(top, labels)| activity::top_conferences(&top, &labels)),
        by_body_type: types.0.map(|rows| activity::by_body_type(bodies, &rows)),
    };
    (Some(section), states)
}

fn headline_cards(
    ctx: &Context,
    bodies: Option<&[BodyRow]>,
    minutes: &Option<MinutesParts>,
    speakers: &Option<super::document::Speakers>,
    llm: &Option<(super::document::LlmProcessing, Option<super::rate::Rate>)>,
) -> Vec<super::document::Card> {
    let (coverage, registration) = bodies.map(|rows| body_figures(ctx, rows)).unzip();
    let minutes = minutes.as_ref().map(|(t, _)| {
        cards::Figure::new(t.processed, t.total)
            .with_week_ago(t.processed_week_ago, t.total_week_ago)
    });
    let linked = speakers
        .as_ref()
        .map(|s| cards::Figure::new(s.linked, s.total));
    let errors = llm.as_ref().map(|(l, before)| cards::Figure {
        numerator: l.overall.failed,
        denominator: l.overall.total,
        week_ago: *before,
    });
    let figures = [coverage, registration, minutes, linked, errors];
    cards::CARDS
        .iter()
        .zip(figures)
        .map(|((id, bands), figure)| cards::card(id, *bands, figure))
        .collect()
}

/// The coverage and registration cards' figures from the body rows.
fn body_figures(ctx: &Context, bodies: &[BodyRow]) -> (cards::Figure, cards::Figure) {
    let count = |test: &dyn Fn(&BodyRow) -> bool| bodies.iter().filter(|b| test(b)).count() as i64;
    let coverage = cards::Figure::new(count(&|b| b.has_data), bodies.len() as i64).with_week_ago(
        count(&|b| b.had_data_week_ago),
        count(&|b| b.existed_week_ago),
    );
    let registered = |b: &BodyRow| {
        let has_code = b
            .organization_code
            .as_deref()
            .is_some_and(|c| !c.trim().is_empty());
        has_code || b.body_type.as_deref() == Some("国")
    };
    let registration = cards::Figure::new(count(&registered), ctx.national_bodies).with_week_ago(
        count(&|b| registered(b) && b.existed_week_ago),
        ctx.national_bodies,
    );
    (coverage, registration)
}
