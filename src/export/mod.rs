//! Exports of the dashboard document: every table and chart of the page as a named table
//! (see [`tables`]), written as CSV for spreadsheets ([`csv`]), as one Excel workbook
//! ([`xlsx`]) or as the JSON document itself. The HTTP endpoints and the `export` command use
//! the same tables, so a download and a scheduled report always agree. Nothing here queries
//! the database: every figure comes from a computed [`Dashboard`](crate::metrics::document::Dashboard).

pub mod csv;
mod rows;
pub mod tables;
pub mod xlsx;

pub use tables::{Cell, PANELS, Table};

use crate::web::Lang;

/// Why an export cannot be produced.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The name is not one of [`PANELS`].
    #[error("no panel `{name}`; panels: {}", panel_names().join(", "))]
    UnknownPanel { name: String },
    /// The panel's section could not be computed; the reason comes from the dashboard.
    #[error("the panel `{panel}` is unavailable: {reason}")]
    Unavailable { panel: &'static str, reason: String },
    /// Writing the file failed.
    #[error("cannot write the export: {0}")]
    Write(String),
}

/// The names of every panel that can be exported, in page order.
pub fn panel_names() -> Vec<&'static str> {
    PANELS.iter().map(|panel| panel.name).collect()
}

/// The export language from a raw query string: `lang=ja` (the default) or `lang=en`.
pub fn lang_from_query(query: &str) -> Result<Lang, String> {
    let value = url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "lang")
        .map(|(_, value)| value.into_owned());
    match value.as_deref() {
        None | Some("") => Ok(Lang::Ja),
        Some(code) => Lang::from_code(code).ok_or_else(|| {
            format!(
                "lang must be ja or en (got `{}`)",
                code.chars().take(40).collect::<String>()
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_defaults_to_japanese_and_rejects_others() {
        assert_eq!(lang_from_query("period=7d"), Ok(Lang::Ja));
        assert_eq!(lang_from_query("lang=en"), Ok(Lang::En));
        assert!(lang_from_query("lang=fr").unwrap_err().contains("ja or en"));
    }
}
