//! The dashboard's filter state, parsed from a URL query string.
//!
//! The page and the JSON API take the same parameters, so a link, the page and
//! an API call always agree. Every value is checked here; a bad one becomes a
//! message that names the allowed values.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::prefecture::Prefecture;

/// The longest custom period, in days (five years).
pub const MAX_PERIOD_DAYS: i64 = 5 * 365 + 2;

/// Parameters every data endpoint accepts.
const KNOWN: [&str; 7] = [
    "period",
    "from",
    "to",
    "type",
    "prefecture",
    "conference",
    "lang",
];

/// A parameter that cannot be used, with a message for the person who sent it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidParameter(pub String);

/// The period the activity section covers, as requested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeriodSpec {
    /// The last N days, ending today.
    Days(u16),
    /// An explicit range, both ends included.
    Custom { from: NaiveDate, to: NaiveDate },
}

impl Default for PeriodSpec {
    fn default() -> Self {
        Self::Days(30)
    }
}

/// A period resolved against today's date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    pub key: String,
    pub days: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl PeriodSpec {
    pub fn resolve(self, today: NaiveDate) -> Period {
        match self {
            Self::Days(days) => Period {
                key: format!("{days}d"),
                days: i64::from(days),
                from: today - chrono::Duration::days(i64::from(days) - 1),
                to: today,
            },
            Self::Custom { from, to } => Period {
                key: "custom".into(),
                days: (to - from).num_days() + 1,
                from,
                to,
            },
        }
    }
}

/// A body type as the filter names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum BodyType {
    #[serde(rename = "国")]
    State,
    #[serde(rename = "都道府県")]
    Prefecture,
    #[serde(rename = "市町村")]
    Municipality,
    #[serde(rename = "未分類")]
    Unclassified,
}

impl BodyType {
    pub const ALL: [Self; 4] = [
        Self::State,
        Self::Prefecture,
        Self::Municipality,
        Self::Unclassified,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::State => "国",
            Self::Prefecture => "都道府県",
            Self::Municipality => "市町村",
            Self::Unclassified => "未分類",
        }
    }

    /// The type of a body as stored; NULL or an unknown spelling is unclassified.
    pub fn of_stored(stored: Option<&str>) -> Self {
        match stored.map(str::trim) {
            Some("国") => Self::State,
            Some("都道府県") => Self::Prefecture,
            Some("市町村") => Self::Municipality,
            _ => Self::Unclassified,
        }
    }

    fn parse(raw: &str) -> Result<Self, InvalidParameter> {
        Self::ALL
            .into_iter()
            .find(|t| t.label() == raw)
            .ok_or_else(|| {
                InvalidParameter(format!(
                    "type must be one of 国, 都道府県, 市町村, 未分類 (got `{}`)",
                    shorten(raw)
                ))
            })
    }
}

/// A prefecture filter: one of the 47, or bodies whose prefecture is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrefectureFilter {
    Known(Prefecture),
    Unknown,
}

impl Serialize for PrefectureFilter {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Known(p) => serializer.serialize_str(&p.code()),
            Self::Unknown => serializer.serialize_str("unknown"),
        }
    }
}

/// Everything that selects what the dashboard shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Filters {
    #[serde(skip)]
    pub period: PeriodSpec,
    #[serde(rename = "type")]
    pub body_type: Option<BodyType>,
    pub prefecture: Option<PrefectureFilter>,
    pub conference: Option<i32>,
}

impl Filters {
    /// Whether a filter narrows the set of bodies.
    pub fn narrows_bodies(&self) -> bool {
        self.body_type.is_some() || self.prefecture.is_some()
    }

    /// Parses a raw query string (`period=30d&type=市町村`), rejecting unknown,
    /// repeated and malformed parameters.
    pub fn from_query(query: &str) -> Result<Self, InvalidParameter> {
        let pairs = unique_pairs(query)?;
        let value = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        Ok(Self {
            period: parse_period(value("period"), value("from"), value("to"))?,
            body_type: value("type")
                .filter(|v| !v.is_empty())
                .map(BodyType::parse)
                .transpose()?,
            prefecture: value("prefecture")
                .filter(|v| !v.is_empty())
                .map(parse_prefecture)
                .transpose()?,
            conference: value("conference")
                .filter(|v| !v.is_empty())
                .map(parse_conference)
                .transpose()?,
        })
    }
}

fn unique_pairs(query: &str) -> Result<Vec<(String, String)>, InvalidParameter> {
    let mut seen = HashSet::new();
    let mut pairs = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if !KNOWN.contains(&key.as_ref()) {
            return Err(InvalidParameter(format!(
                "unknown parameter `{}`; allowed: {}",
                shorten(&key),
                KNOWN.join(", ")
            )));
        }
        if !seen.insert(key.to_string()) {
            return Err(InvalidParameter(format!(
                "parameter `{key}` is given more than once"
            )));
        }
        pairs.push((key.into_owned(), value.into_owned()));
    }
    Ok(pairs)
}

fn parse_period(
    period: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<PeriodSpec, InvalidParameter> {
    let has_range = from.is_some() || to.is_some();
    match period {
        None | Some("") if !has_range => Ok(PeriodSpec::default()),
        None | Some("") | Some("custom") => parse_range(from, to),
        Some("7d") | Some("30d") | Some("90d") | Some("365d") if has_range => Err(
            InvalidParameter("from and to go with period=custom (or without period)".into()),
        ),
        Some("7d") => Ok(PeriodSpec::Days(7)),
        Some("30d") => Ok(PeriodSpec::Days(30)),
        Some("90d") => Ok(PeriodSpec::Days(90)),
        Some("365d") => Ok(PeriodSpec::Days(365)),
        Some(other) => Err(InvalidParameter(format!(
            "period must be one of 7d, 30d, 90d, 365d or custom (got `{}`)",
            shorten(other)
        ))),
    }
}

fn parse_range(from: Option<&str>, to: Option<&str>) -> Result<PeriodSpec, InvalidParameter> {
    let (Some(from), Some(to)) = (from, to) else {
        return Err(InvalidParameter(
            "a custom period needs both from and to, as YYYY-MM-DD".into(),
        ));
    };
    let (from, to) = (parse_date("from", from)?, parse_date("to", to)?);
    if from > to {
        return Err(InvalidParameter(format!(
            "from ({from}) is after to ({to})"
        )));
    }
    if (to - from).num_days() + 1 > MAX_PERIOD_DAYS {
        return Err(InvalidParameter(
            "a custom period may span at most 5 years".into(),
        ));
    }
    Ok(PeriodSpec::Custom { from, to })
}

fn parse_date(name: &str, raw: &str) -> Result<NaiveDate, InvalidParameter> {
    let well_formed = raw.len() == 10 && raw.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    well_formed
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            InvalidParameter(format!(
                "{name} must be a date as YYYY-MM-DD (got `{}`)",
                shorten(raw)
            ))
        })
}

fn parse_prefecture(raw: &str) -> Result<PrefectureFilter, InvalidParameter> {
    if raw == "unknown" {
        return Ok(PrefectureFilter::Unknown);
    }
    Prefecture::from_code(raw)
        .map(PrefectureFilter::Known)
        .ok_or_else(|| {
            InvalidParameter(format!(
                "prefecture must be a JIS number 01 to 47 or `unknown` (got `{}`)",
                shorten(raw)
            ))
        })
}

fn parse_conference(raw: &str) -> Result<i32, InvalidParameter> {
    raw.parse::<i32>().ok().filter(|id| *id > 0).ok_or_else(|| {
        InvalidParameter(format!(
            "conference must be the numeric id of a conference (got `{}`)",
            shorten(raw)
        ))
    })
}

/// Echoes at most 40 characters of a bad value back.
fn shorten(raw: &str) -> String {
    let mut short: String = raw.chars().take(40).collect();
    if raw.chars().count() > 40 {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn default_is_thirty_days() {
        assert_eq!(
            Filters::from_query("").unwrap().period,
            PeriodSpec::Days(30)
        );
    }

    #[test]
    fn seven_days_end_today() {
        let period = PeriodSpec::Days(7).resolve(date("2026-03-10"));

        assert_eq!(
            (period.from, period.to, period.days),
            (date("2026-03-04"), date("2026-03-10"), 7)
        );
    }

    #[test]
    fn bad_periods_name_the_allowed_values() {
        for bad in ["30d';DROP TABLE speakers;--", "-1d", "100000d", "30", "７d"] {
            let query = format!("period={}", urlencode(bad));
            let err = Filters::from_query(&query).unwrap_err();
            assert!(err.0.contains("7d, 30d, 90d"), "{bad}: {err}");
        }
        assert!(Filters::from_query("period=7d&period=30d").is_err());
    }

    #[test]
    fn custom_ranges_are_checked() {
        assert!(Filters::from_query("from=2026-03-01&to=2026-03-10").is_ok());
        assert!(Filters::from_query("from=2026-03-11&to=2026-03-10").is_err());
        assert!(Filters::from_query("from=2016-01-01&to=2026-03-10").is_err());
        assert!(Filters::from_query("from=2026-02-30&to=2026-03-10").is_err());
        assert!(Filters::from_query("period=custom&from=2026-03-01").is_err());
    }

    #[test]
    fn other_filters() {
        let f = Filters::from_query("type=%E5%B8%82%E7%94%BA%E6%9D%91&prefecture=13&conference=5")
            .unwrap();

        assert_eq!(f.body_type, Some(BodyType::Municipality));
        assert_eq!(
            f.prefecture,
            Some(PrefectureFilter::Known(
                Prefecture::from_number(13).unwrap()
            ))
        );
        assert_eq!(f.conference, Some(5));
        assert!(Filters::from_query("prefecture=48").is_err());
        assert!(Filters::from_query("conference=abc").is_err());
        assert!(Filters::from_query("type=city").is_err());
        assert!(Filters::from_query("color=red").is_err());
    }

    fn urlencode(s: &str) -> String {
        url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
    }
}
