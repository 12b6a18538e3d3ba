//! A table as CSV that spreadsheets open correctly: UTF-8 with a byte-order mark (so Excel
//! reads Japanese), RFC 4180 quoting by the `csv` crate, numbers as plain numbers and dates
//! in ISO 8601.
//!
//! The rule this module keeps: no text cell can become a formula. Text starting with `=`,
//! `+`, `-`, `@`, a tab or a carriage return (or the full-width `＝＋－＠`, which some
//! spreadsheets convert) gets a leading `'`. Numbers are never touched, so `-3` stays `-3`.

use chrono::NaiveDate;

use super::ExportError;
use super::tables::{Cell, Table};

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// `table` as CSV bytes: the BOM, a header row, then one line per row.
pub fn to_bytes(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    let write = |err: ::csv::Error| ExportError::Write(err.to_string());
    writer.write_record(&table.columns).map_err(write)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(field)).map_err(write)?;
    }
    writer
        .into_inner()
        .map_err(|err| ExportError::Write(err.to_string()))
}

/// One cell as CSV text.
pub fn field(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => guard(text),
        Cell::Int(n) => n.to_string(),
        Cell::Number(x) => x.to_string(),
        Cell::Date(date) => date.to_string(),
        Cell::DateTime(time) => time.to_rfc3339(),
        Cell::Bool(value) => value.to_string(),
        Cell::Empty => String::new(),
    }
}

/// `text` with a leading `'` when a spreadsheet would otherwise evaluate it.
pub fn guard(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// `<title>_<date>.<extension>`: the name a download is saved under.
pub fn file_name(title: &str, date: NaiveDate, extension: &str) -> String {
    format!("{title}_{date}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: Vec<Vec<Cell>>) -> Table {
        Table {
            name: "t",
            title: "t".into(),
            columns: vec!["名前".into(), "値".into()],
            rows,
        }
    }

    #[test]
    fn formulas_are_quoted_and_numbers_are_not() {
        let cases = [
            "=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx", "＝1", "＋1", "－1", "＠x",
        ];
        for case in cases {
            assert_eq!(guard(case), format!("'{case}"));
        }
        assert_eq!(guard("京都市"), "京都市");
        assert_eq!(guard("a=b"), "a=b");
        assert_eq!(field(&Cell::Int(-3)), "-3");
        assert_eq!(field(&Cell::Number(-50.0)), "-50");
        assert_eq!(field(&Cell::Number(42.5)), "42.5");
    }

    #[test]
    fn bytes_start_with_the_bom_and_quote_per_rfc_4180() {
        let rows = vec![vec![Cell::text("a,\"b\"\nc"), Cell::Int(0)]];

        let bytes = to_bytes(&table(rows)).expect("writes");

        let text = String::from_utf8(bytes).expect("UTF-8");
        assert_eq!(text, "\u{feff}名前,値\r\n\"a,\"\"b\"\"\nc\",0\r\n");
    }
}
