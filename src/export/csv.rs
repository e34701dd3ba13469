//! `data/cases.csv`: one row per record, Chinese headers, UTF-8 with a byte-order mark so that
//! Excel opens it as UTF-8.
//!
//! Cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) get a leading `'`, so a pasted `=HYPERLINK(…)` stays text.

use super::{ledger_row, rows, Cell, LEDGER};
use crate::derive::deadlines::Response;
use crate::model::Library;

pub fn write(lib: &Library, responses: &[Response]) -> Vec<u8> {
    let tz = lib.config.timezone;
    let mut out = String::from("\u{feff}");
    line(&mut out, LEDGER.iter().map(|h| (*h).to_owned()));
    for (r, resp) in rows(lib, responses) {
        line(
            &mut out,
            ledger_row(lib, r, resp).into_iter().map(|cell| match cell {
                Cell::Text(t) => t,
                Cell::Time(t) => t.map_or_else(String::new, |t| {
                    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
                }),
                Cell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            }),
        );
    }
    out.into_bytes()
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(&cell));
    }
    out.push_str("\r\n");
}

/// One cell: formula-neutralised, quoted when it holds a comma, quote or line break.
pub fn cell_text(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::cell_text;

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(cell_text("=1+1"), "'=1+1");
        assert_eq!(cell_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell_text("-3"), "'-3");
        assert_eq!(cell_text("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(cell_text("县教育局"), "县教育局");
        // A tab or carriage return before a formula hides it from a plain `=` check.
        assert_eq!(cell_text("\t=1+1"), "'\t=1+1");
        assert_eq!(cell_text("\r=1+1"), "\"'\r=1+1\"");
    }
}
