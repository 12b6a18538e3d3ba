//! Downloads: `/api/v1/export/<panel>.csv` and `/api/v1/export/dashboard.xlsx`, built from
//! the same cached dashboard as `/api/v1/dashboard` and taking the same filter parameters
//! (plus `lang=ja|en` for the headers). A panel without figures answers 503 with the reason,
//! never an empty file.

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::AppState;
use super::error::ApiError;
use crate::export::{self, ExportError, csv, tables, xlsx};
use crate::metrics::filter::Filters;

/// The workbook's file name without extension.
const WORKBOOK: &str = "dashboard";
const WORKBOOK_TITLE: tables::Label = tables::Label::Own {
    ja: "ダッシュボード",
    en: "Dashboard",
};
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// RFC 5987 `attr-char`: everything else in `filename*` is percent-encoded.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// What a download URL asks for.
enum Target {
    Csv(&'static tables::Panel),
    Workbook,
}

impl Target {
    fn parse(file: &str) -> Result<Self, ApiError> {
        if file == format!("{WORKBOOK}.xlsx") {
            return Ok(Self::Workbook);
        }
        let panel = file
            .strip_suffix(".csv")
            .and_then(|name| tables::panel(name).ok());
        panel.map(Self::Csv).ok_or_else(|| {
            ApiError::NotFound(format!(
                "no export `{}`; use dashboard.xlsx or <panel>.csv with a panel among: {}",
                file.chars().take(60).collect::<String>(),
                export::panel_names().join(", ")
            ))
        })
    }
}

/// One CSV per panel, or the whole workbook.
pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let target = Target::parse(&file)?;
    let query = query.unwrap_or_default();
    let filters = Filters::from_query(&query)?;
    let lang = export::lang_from_query(&query).map_err(ApiError::InvalidParameter)?;
    let snapshot = state.metrics.dashboard(&filters).await?;
    let date = snapshot.document.as_of.date_naive();
    match target {
        Target::Csv(panel) => {
            let table = panel.table(&snapshot.document, lang)?;
            let bytes = csv::to_bytes(&table)?;
            let names = (
                csv::file_name(panel.name, date, "csv"),
                csv::file_name(&table.title, date, "csv"),
            );
            Ok(attachment(bytes, "text/csv; charset=utf-8", &names))
        }
        Target::Workbook => {
            let document = snapshot.clone();
            let bytes =
                tokio::task::spawn_blocking(move || xlsx::workbook(&document.document, lang))
                    .await
                    .map_err(|err| ExportError::Write(err.to_string()))??;
            let names = (
                csv::file_name(WORKBOOK, date, "xlsx"),
                csv::file_name(WORKBOOK_TITLE.text(lang), date, "xlsx"),
            );
            Ok(attachment(bytes, XLSX_TYPE, &names))
        }
    }
}

/// A download response: `(ascii, unicode)` are the two file names of RFC 6266.
fn attachment(bytes: Vec<u8>, content_type: &'static str, names: &(String, String)) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&names.0, &names.1)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, 5987).
pub fn content_disposition(ascii: &str, unicode: &str) -> String {
    let fallback: String = ascii
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let encoded = utf8_percent_encode(unicode, ATTR_CHAR);
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

impl From<ExportError> for ApiError {
    fn from(err: ExportError) -> Self {
        match err {
            ExportError::UnknownPanel { .. } => Self::NotFound(err.to_string()),
            ExportError::Unavailable { .. } => Self::PanelUnavailable(err.to_string()),
            ExportError::Write(message) => {
                tracing::error!(error = %message, "an export could not be written");
                Self::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_disposition_has_an_ascii_fallback_and_a_utf8_name() {
        let value = content_disposition("prefectures_2026-03-10.csv", "都道府県別_2026-03-10.csv");

        assert_eq!(
            value,
            "attachment; filename=\"prefectures_2026-03-10.csv\"; \
             filename*=UTF-8''%E9%83%BD%E9%81%93%E5%BA%9C%E7%9C%8C%E5%88%A5_2026-03-10.csv"
        );
    }
}
