//! The dashboard document as named tables: one per table or chart of the page, each with a
//! title and column headers in Japanese or English and rows of typed cells.
//!
//! This is the one place that decides what an export contains. Rates are numbers of percent
//! (42.5 for 42.5 %), counts are integers, dates stay dates; a figure the dashboard does not
//! have (a rate over zero) is an empty cell, never 0. A panel whose section could not be
//! computed is an error that carries the dashboard's reason, never an empty table.

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use super::{ExportError, rows};
use crate::metrics::document::Dashboard;
use crate::metrics::rate::Rate;
use crate::web::{self, Lang};

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Number(f64),
    Date(NaiveDate),
    DateTime(DateTime<Tz>),
    Bool(bool),
    /// No value: a rate over zero, a body that is not known.
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(value: impl Into<String>) -> Self {
        Self::Text(value.into())
    }

    pub(super) fn rate(rate: Option<Rate>) -> Self {
        rate.map_or(Self::Empty, |rate| Self::Number(rate.as_f64()))
    }

    pub(super) fn number(value: Option<f64>) -> Self {
        value.map_or(Self::Empty, Self::Number)
    }

    pub(super) fn opt_text(value: Option<&str>) -> Self {
        value.map_or(Self::Empty, Self::text)
    }
}

/// A title or column header: a key of assets/i18n.json (shared with the page) or this
/// module's own pair of words where the page has none.
#[derive(Clone, Copy, Debug)]
pub enum Label {
    Key(&'static str),
    Own { ja: &'static str, en: &'static str },
}

impl Label {
    /// The label in `lang`; a key missing from the dictionary shows as itself.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Key(key), _) => web::text(lang, key).unwrap_or(key),
            (Self::Own { ja, .. }, Lang::Ja) => ja,
            (Self::Own { en, .. }, Lang::En) => en,
        }
    }
}

/// A label from assets/i18n.json.
pub(super) const fn k(key: &'static str) -> Label {
    Label::Key(key)
}

const fn own(ja: &'static str, en: &'static str) -> Label {
    Label::Own { ja, en }
}

/// The rows of a panel, or `None` when its section is missing from the document.
pub(super) type Rows = fn(&Dashboard, Lang) -> Option<Vec<Vec<Cell>>>;

/// An exportable panel.
pub struct Panel {
    /// The name in `/api/v1/export/<name>.csv` and in file names.
    pub name: &'static str,
    /// The file and sheet title: at most 31 characters, none of `[]:*?/\`.
    pub title: Label,
    /// Ids in [`Dashboard::panels`] that explain why the rows are missing, most specific first.
    sources: &'static [&'static str],
    columns: &'static [Label],
    rows: Rows,
}

/// A panel's figures, ready to write.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: &'static str,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Panel {
    /// The panel's table from `doc`, or why the dashboard has no figures for it.
    pub fn table(&self, doc: &Dashboard, lang: Lang) -> Result<Table, ExportError> {
        let rows = (self.rows)(doc, lang).ok_or_else(|| self.unavailable(doc))?;
        Ok(Table {
            name: self.name,
            title: self.title.text(lang).to_owned(),
            columns: self
                .columns
                .iter()
                .map(|c| c.text(lang).to_owned())
                .collect(),
            rows,
        })
    }

    fn unavailable(&self, doc: &Dashboard) -> ExportError {
        let reason = self
            .sources
            .iter()
            .find_map(|id| doc.panels.get(id))
            .map_or_else(
                || "this section was not computed".to_owned(),
                |state| format!("{} ({})", state.message, state.code),
            );
        ExportError::Unavailable {
            panel: self.name,
            reason,
        }
    }
}

/// The panel called `name`.
pub fn panel(name: &str) -> Result<&'static Panel, ExportError> {
    PANELS
        .iter()
        .find(|panel| panel.name == name)
        .ok_or_else(|| ExportError::UnknownPanel {
            name: name.chars().take(40).collect(),
        })
}

const RATE: Label = own("率 (%)", "Rate (%)");
const CONFERENCE_ID: Label = own("会議体ID", "Conference id");
const DATE: Label = own("日付", "Date");

/// Every exportable panel, in page order.
pub static PANELS: [Panel; 18] = [
    Panel {
        name: "cards",
        title: own("主要指標", "Headline figures"),
        sources: &[],
        columns: &[
            own("指標ID", "Metric id"),
            own("指標", "Metric"),
            RATE,
            own("分子", "Numerator"),
            own("分母", "Denominator"),
            k("col_band"),
            own("7日前比 (pt)", "Change over 7 days (pt)"),
        ],
        rows: rows::cards,
    },
    Panel {
        name: "coverage_by_type",
        title: own("種別ごとのカバー率", "Coverage by body type"),
        sources: &["coverage"],
        columns: &[k("col_type"), k("col_total"), k("col_with_data"), RATE],
        rows: rows::coverage_by_type,
    },
    Panel {
        name: "coverage_by_organization_type",
        title: own("団体区分ごとのカバー率", "Coverage by organization type"),
        sources: &["coverage"],
        columns: &[k("col_org_type"), k("col_total"), k("col_with_data"), RATE],
        rows: rows::coverage_by_organization_type,
    },
    Panel {
        name: "prefectures",
        title: own("都道府県別カバー率", "Coverage by prefecture"),
        sources: &["coverage"],
        columns: &[
            own("都道府県コード", "Prefecture code"),
            k("col_prefecture"),
            k("col_total"),
            k("col_with_data"),
            RATE,
            k("col_band"),
        ],
        rows: rows::prefectures,
    },
    Panel {
        name: "meetings_by_conference",
        title: own("会議体ごとの会議数", "Meetings per conference"),
        sources: &["meetings"],
        columns: &[
            CONFERENCE_ID,
            k("col_conference"),
            k("col_body"),
            k("meetings"),
        ],
        rows: rows::meetings_by_conference,
    },
    Panel {
        name: "minutes_processing",
        title: own("議事録の処理", "Minutes processing"),
        sources: &["minutes", "meetings"],
        columns: &[
            k("minutes_total"),
            k("processed"),
            k("unprocessed"),
            own("処理率 (%)", "Processed (%)"),
            k("col_band"),
            k("oldest_unprocessed"),
            k("newest_unprocessed"),
        ],
        rows: rows::minutes_processing,
    },
    Panel {
        name: "minutes_processed_per_day",
        title: own("日別の議事録処理件数", "Minutes processed per day"),
        sources: &["minutes", "meetings"],
        columns: &[DATE, own("処理件数", "Minutes processed")],
        rows: rows::minutes_processed_per_day,
    },
    Panel {
        name: "per_meeting_histogram",
        title: own("会議ごとの紐付け率の分布", "Linking per meeting"),
        sources: &["linking", "speakers"],
        columns: &[
            own("紐付け率の下限 (%)", "Linked from (%)"),
            own("紐付け率の上限 (%)", "Linked to (%)"),
            k("meetings"),
        ],
        rows: rows::per_meeting_histogram,
    },
    Panel {
        name: "per_meeting_worst",
        title: own("紐付け率の低い会議", "Meetings with lowest linking"),
        sources: &["linking", "speakers"],
        columns: &[
            own("会議ID", "Meeting id"),
            k("col_date"),
            k("col_conference"),
            k("col_body"),
            own("紐付け率 (%)", "Linked (%)"),
            k("col_conversations"),
        ],
        rows: rows::per_meeting_worst,
    },
    Panel {
        name: "activity_days",
        title: own("日別の推移", "Daily activity"),
        sources: &["activity"],
        columns: &[
            DATE,
            k("series_meetings"),
            k("series_conversations"),
            k("series_speakers"),
            k("series_politicians"),
        ],
        rows: rows::activity_days,
    },
    Panel {
        name: "activity_heatmap",
        title: own("曜日×週の発言数", "Conversations by weekday"),
        sources: &["activity"],
        columns: &[
            own("週", "Week"),
            own("曜日番号", "ISO weekday"),
            own("曜日", "Weekday"),
            k("axis_conversations"),
        ],
        rows: rows::activity_heatmap,
    },
    Panel {
        name: "activity_by_month",
        title: own("月別の会議数", "Meetings per month"),
        sources: &["activity"],
        columns: &[own("月", "Month"), k("meetings"), k("by_month_recent")],
        rows: rows::activity_by_month,
    },
    Panel {
        name: "activity_by_year",
        title: own("年別の会議数", "Meetings per year"),
        sources: &["activity"],
        columns: &[own("年", "Year"), k("meetings")],
        rows: rows::activity_by_year,
    },
    Panel {
        name: "parties",
        title: own("政党別の発言", "Conversations by party"),
        sources: &["parties", "activity"],
        columns: &[
            k("col_party"),
            k("col_conversations"),
            k("col_politicians"),
            k("col_per_politician"),
        ],
        rows: rows::parties,
    },
    Panel {
        name: "top_conferences",
        title: own("発言数の多い会議体", "Top conferences"),
        sources: &["top_conferences", "activity"],
        columns: &[
            CONFERENCE_ID,
            k("col_conference"),
            k("col_body"),
            k("col_conversations"),
            k("col_meetings"),
            k("col_per_meeting"),
        ],
        rows: rows::top_conferences,
    },
    Panel {
        name: "activity_by_body_type",
        title: own("団体種別ごとの活動", "Activity by body type"),
        sources: &["body_types", "activity"],
        columns: &[
            k("col_type"),
            k("col_bodies"),
            k("col_conferences"),
            k("col_meetings"),
            k("col_minutes"),
            k("col_conversations"),
            k("col_meetings_per_body"),
        ],
        rows: rows::activity_by_body_type,
    },
    Panel {
        name: "llm_status",
        title: own("LLM処理のステータス", "LLM processing status"),
        sources: &["processing"],
        columns: &[k("status"), k("count")],
        rows: rows::llm_status,
    },
    Panel {
        name: "llm_by_type",
        title: own("LLM処理種別ごとの状況", "LLM runs by processing type"),
        sources: &["processing"],
        columns: &[
            k("col_processing_type"),
            k("col_total"),
            k("col_completed"),
            k("col_failed"),
            k("col_in_progress"),
            k("col_pending"),
            own("エラー率 (%)", "Error rate (%)"),
            own("成功率 (%)", "Success rate (%)"),
            k("worst_badge"),
            own("平均時間 (秒)", "Mean time (s)"),
            own("最短 (秒)", "Shortest (s)"),
            own("最長 (秒)", "Longest (s)"),
        ],
        rows: rows::llm_by_type,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(panel: &Panel) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(panel.title)
            .chain(panel.columns.iter().copied())
            .filter_map(|label| match label {
                Label::Key(key) => Some(key),
                Label::Own { .. } => None,
            })
    }

    #[test]
    fn every_dictionary_key_exists_in_both_languages() {
        for panel in &PANELS {
            for key in keys(panel).chain(["band_green", "band_yellow", "band_red", "no_party"]) {
                assert!(web::text(Lang::Ja, key).is_some(), "{key} (ja)");
                assert!(web::text(Lang::En, key).is_some(), "{key} (en)");
            }
        }
    }

    #[test]
    fn titles_are_valid_sheet_names_and_names_are_unique() {
        for panel in &PANELS {
            for lang in [Lang::Ja, Lang::En] {
                let title = panel.title.text(lang);
                assert!(title.chars().count() <= 31, "{title}");
                assert!(
                    !title.contains(['[', ']', ':', '*', '?', '/', '\\']),
                    "{title}"
                );
            }
            assert_eq!(PANELS.iter().filter(|p| p.name == panel.name).count(), 1);
        }
    }

    #[test]
    fn unknown_panel_names_the_valid_ones() {
        let err = panel("nope")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();

        assert!(
            err.contains("prefectures") && err.contains("llm_by_type"),
            "{err}"
        );
    }
}
