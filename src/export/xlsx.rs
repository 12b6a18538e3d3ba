//! The whole dashboard as one Excel workbook: a first sheet with the filters and the time of
//! the data, then one sheet per panel with a bold, frozen header row and columns wide enough
//! for their contents.
//!
//! The rule this module keeps: every text is written with `write_string`, so a name such as
//! `=1+1` or `<script>` stays literal text and nothing in a workbook is ever a formula.
//! Numbers are numbers and dates are Excel dates, so they sort and sum.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::ExportError;
use super::tables::{Cell, Label, PANELS, Table};
use crate::metrics::document::Dashboard;
use crate::metrics::filter::{Filters, PrefectureFilter};
use crate::web::Lang;

/// Narrowest and widest column, in characters.
const WIDTH: (usize, usize) = (6, 60);

/// The first sheet's name.
pub const FILTERS_SHEET: Label = Label::Own {
    ja: "条件",
    en: "Filters",
};

/// Formats shared by every sheet.
struct Formats {
    header: Format,
    date: Format,
    datetime: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        }
    }
}

/// The workbook of `doc` as `.xlsx` bytes. A panel without figures gets a sheet that says why.
pub fn workbook(doc: &Dashboard, lang: Lang) -> Result<Vec<u8>, ExportError> {
    build(doc, lang).map_err(|err| ExportError::Write(err.to_string()))
}

fn build(doc: &Dashboard, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let results: Vec<_> = PANELS.iter().map(|p| (p, p.table(doc, lang))).collect();
    let unavailable: Vec<(String, String)> = results
        .iter()
        .filter_map(|(p, r)| {
            r.as_ref()
                .err()
                .map(|e| (p.title.text(lang).into(), e.to_string()))
        })
        .collect();
    let sheet = workbook.add_worksheet();
    sheet.set_name(FILTERS_SHEET.text(lang))?;
    write_table(sheet, &filters_table(doc, lang, &unavailable), &formats)?;
    for (panel, result) in &results {
        let sheet = workbook.add_worksheet();
        sheet.set_name(panel.title.text(lang))?;
        match result {
            Ok(table) => write_table(sheet, table, &formats)?,
            Err(err) => write_unavailable(sheet, &err.to_string(), &formats)?,
        };
    }
    workbook.save_to_buffer()
}

fn write_table<'a>(
    sheet: &'a mut Worksheet,
    table: &Table,
    formats: &Formats,
) -> Result<&'a mut Worksheet, XlsxError> {
    for (col, header) in (0u16..).zip(&table.columns) {
        sheet.write_string_with_format(0, col, header, &formats.header)?;
    }
    for (row, cells) in (1u32..).zip(&table.rows) {
        for (col, cell) in (0u16..).zip(cells) {
            write_cell(sheet, row, col, cell, formats)?;
        }
    }
    for (col, width) in (0u16..).zip(column_widths(table)) {
        sheet.set_column_width(col, width as f64)?;
    }
    sheet.set_freeze_panes(1, 0)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => sheet.write_string(row, col, text)?,
        Cell::Int(n) => sheet.write_number(row, col, *n as f64)?,
        Cell::Number(x) => sheet.write_number(row, col, *x)?,
        Cell::Date(date) => sheet.write_datetime_with_format(row, col, date, &formats.date)?,
        Cell::DateTime(time) => {
            sheet.write_datetime_with_format(row, col, time.naive_local(), &formats.datetime)?
        }
        Cell::Bool(value) => sheet.write_boolean(row, col, *value)?,
        Cell::Empty => sheet,
    };
    Ok(())
}

fn write_unavailable<'a>(
    sheet: &'a mut Worksheet,
    reason: &str,
    formats: &Formats,
) -> Result<&'a mut Worksheet, XlsxError> {
    sheet.write_string_with_format(0, 0, reason, &formats.header)?;
    sheet.set_column_width(0, WIDTH.1 as f64)
}

/// Each column's width: its widest header or cell, counting East Asian characters as two.
fn column_widths(table: &Table) -> Vec<usize> {
    let cells = table.rows.iter().flat_map(|row| row.iter().enumerate());
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.width()).collect();
    for (col, cell) in cells {
        if let Some(width) = widths.get_mut(col) {
            *width = (*width).max(shown(cell).width());
        }
    }
    widths
        .into_iter()
        .map(|w| (w + 2).clamp(WIDTH.0, WIDTH.1))
        .collect()
}

/// Roughly what a cell shows, for its width.
fn shown(cell: &Cell) -> String {
    match cell {
        Cell::DateTime(_) => "0000-00-00 00:00:00".into(),
        other => super::csv::field(other),
    }
}

/// The first sheet: what the workbook shows, as of when, and which panels are missing.
fn filters_table(doc: &Dashboard, lang: Lang, unavailable: &[(String, String)]) -> Table {
    let label = |ja, en| Cell::text(Label::Own { ja, en }.text(lang));
    let all = || Cell::text(Label::Key("all").text(lang));
    let f: &Filters = &doc.filters;
    let mut rows = vec![
        vec![label("データ時点", "Data as of"), Cell::DateTime(doc.as_of)],
        vec![
            label("タイムゾーン", "Time zone"),
            Cell::text(doc.as_of.timezone().name()),
        ],
        vec![label("期間", "Period"), Cell::text(&doc.period.key)],
        vec![label("開始日", "From"), Cell::Date(doc.period.from)],
        vec![label("終了日", "To"), Cell::Date(doc.period.to)],
        vec![
            label("団体種別", "Body type"),
            f.body_type.map_or_else(all, |t| Cell::text(t.label())),
        ],
        vec![
            label("都道府県", "Prefecture"),
            f.prefecture
                .map_or_else(all, |p| Cell::text(prefecture(p, lang))),
        ],
        vec![
            label("会議体ID", "Conference id"),
            f.conference.map_or_else(all, |id| Cell::Int(i64::from(id))),
        ],
        vec![label("デモデータ", "Demo data"), Cell::Bool(doc.demo)],
    ];
    for (title, reason) in unavailable {
        rows.push(vec![
            label("利用できないパネル", "Unavailable panel"),
            Cell::text(format!("{title}: {reason}")),
        ]);
    }
    Table {
        name: "filters",
        title: FILTERS_SHEET.text(lang).into(),
        columns: vec![
            Label::Own {
                ja: "項目",
                en: "Item",
            }
            .text(lang)
            .into(),
            Label::Own {
                ja: "値",
                en: "Value",
            }
            .text(lang)
            .into(),
        ],
        rows,
    }
}

fn prefecture(filter: PrefectureFilter, lang: Lang) -> String {
    match filter {
        PrefectureFilter::Known(p) => format!("{} ({})", p.name(), p.code()),
        PrefectureFilter::Unknown => Label::Key("unknown_prefecture").text(lang).into(),
    }
}
