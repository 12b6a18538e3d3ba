//! The lists behind the filters and the prefecture drill-down.

use chrono::NaiveDate;
use serde::Serialize;

use super::filter::BodyType;
use super::prefecture::{Prefecture, prefecture_of};
use super::{Context, MetricsError};
use crate::db::queries::coverage::{self, ConferenceOption};

#[derive(Debug, Serialize)]
pub struct FilterOptions {
    pub conferences: Vec<ConferenceOption>,
    pub prefectures: Vec<PrefectureOption>,
    pub types: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct PrefectureOption {
    pub code: String,
    pub name: &'static str,
}

pub async fn filter_options(ctx: &Context) -> Result<FilterOptions, MetricsError> {
    let conferences = coverage::conference_options(&ctx.db)
        .await
        .map_err(MetricsError::from_db)?;
    let mut prefectures: Vec<PrefectureOption> = Prefecture::all()
        .map(|p| PrefectureOption {
            code: p.code(),
            name: p.name(),
        })
        .collect();
    prefectures.push(PrefectureOption {
        code: "unknown".into(),
        name: super::prefecture::UNKNOWN,
    });
    Ok(FilterOptions {
        conferences,
        prefectures,
        types: BodyType::ALL.iter().map(|t| t.label()).collect(),
    })
}

#[derive(Debug, Serialize)]
pub struct Municipalities {
    pub prefecture: PrefectureOption,
    pub municipalities: Vec<Municipality>,
}

#[derive(Debug, Serialize)]
pub struct Municipality {
    pub id: i32,
    pub name: String,
    pub organization_type: Option<String>,
    pub has_data: bool,
    pub conferences: i64,
    pub meetings: i64,
    pub latest_meeting: Option<NaiveDate>,
}

/// The municipalities of one prefecture with their coverage, by name.
pub async fn municipalities(
    ctx: &Context,
    prefecture: Prefecture,
) -> Result<Municipalities, MetricsError> {
    let bodies = coverage::bodies(&ctx.db, ctx.clock.db_week_ago())
        .await
        .map_err(MetricsError::from_db)?;
    let members: Vec<_> = bodies
        .into_iter()
        .filter(|b| BodyType::of_stored(b.body_type.as_deref()) == BodyType::Municipality)
        .filter(|b| prefecture_of(&b.name, b.organization_code.as_deref()) == Some(prefecture))
        .collect();
    let ids: Vec<i32> = members.iter().map(|b| b.id).collect();
    let stats = coverage::municipalities(&ctx.db, &ids, ctx.clock.today())
        .await
        .map_err(MetricsError::from_db)?;
    let mut municipalities: Vec<Municipality> = members
        .into_iter()
        .map(|body| {
            let row = stats.iter().find(|s| s.id == body.id);
            Municipality {
                id: body.id,
                name: body.name,
                organization_type: body.organization_type,
                has_data: body.has_data,
                conferences: row.map_or(0, |r| r.conferences),
                meetings: row.map_or(0, |r| r.meetings),
                latest_meeting: row.and_then(|r| r.latest_meeting),
            }
        })
        .collect();
    municipalities.sort_by(|a, b| {
        b.meetings
            .cmp(&a.meetings)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(Municipalities {
        prefecture: PrefectureOption {
            code: prefecture.code(),
            name: prefecture.name(),
        },
        municipalities,
    })
}
