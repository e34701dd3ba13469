//! Reading a ledger file into sheets of cells: `.xlsx`, `.xls`, `.xlsm` and `.ods` through
//! calamine; `.csv` in UTF-8 (with or without a byte-order mark) or in GB18030, which Excel
//! in China writes when asked for "CSV".

use crate::messages::{Key, Message};
use crate::msg;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::{NaiveDate, NaiveDateTime};

/// One cell as the ledger holds it; what it means is decided by its column.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell Excel stores as a date (its serial number read with the cell's date format).
    Date(NaiveDateTime),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as the ledger shows it (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

/// One sheet (a CSV file is one sheet without a name).
#[derive(Debug)]
pub struct Sheet {
    pub name: Option<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Row and column of `rows[0][0]` in the sheet (0-based), for cell references.
    pub origin: (u32, u32),
}

impl Sheet {
    /// `Sheet!C12` (or `C12` for a CSV file) for the cell at `rows[row][col]`.
    pub fn cell_ref(&self, row: usize, col: usize) -> String {
        let column = column_letters(self.origin.1 as usize + col);
        let line = self.origin.0 as usize + row + 1;
        match &self.name {
            Some(name) => format!("{name}!{column}{line}"),
            None => format!("{column}{line}"),
        }
    }
}

/// A, B, … Z, AA, AB …
fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// The sheets of `path` named in `wanted` (all sheets when `wanted` is empty).
pub fn read(path: &Path, wanted: &[String]) -> Result<Vec<Sheet>, Message> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "csv" | "txt" => {
            let bytes =
                std::fs::read(path).map_err(|e| msg!(CannotRead, reason = Message::io(&e)))?;
            Ok(vec![read_csv(&bytes)?])
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path, wanted),
        _ => Err(Key::NotALedger.into()),
    }
}

fn read_workbook(path: &Path, wanted: &[String]) -> Result<Vec<Sheet>, Message> {
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| msg!(CannotOpenWorkbook, reason = e.to_string()))?;
    let names = book.sheet_names();
    if let Some(missing) = wanted.iter().find(|w| !names.contains(w)) {
        return Err(msg!(NoSuchSheet, sheet = missing, list = names.join("、")));
    }
    let mut sheets = Vec::new();
    for name in names {
        if !wanted.is_empty() && !wanted.contains(&name) {
            continue;
        }
        let range = book
            .worksheet_range(&name)
            .map_err(|e| msg!(CannotReadSheet, sheet = &name, reason = e.to_string()))?;
        let origin = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .map(|row| row.iter().map(cell).collect())
            .collect();
        sheets.push(Sheet {
            name: Some(name),
            rows,
            origin,
        });
    }
    Ok(sheets)
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(n) => Cell::Number(*n),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(y.into(), mo.into(), da.into())
                .and_then(|date| date.and_hms_opt(h.into(), mi.into(), s.into()))
                .map_or(Cell::Number(d.as_f64()), Cell::Date)
        }
        Data::DateTime(d) => Cell::Number(d.as_f64()),
        Data::Error(_) | Data::Empty => Cell::Empty,
    }
}

/// A CSV file: UTF-8 when it is valid UTF-8 (a leading byte-order mark dropped), else GB18030.
fn read_csv(bytes: &[u8]) -> Result<Sheet, Message> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => {
            let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(Key::CsvEncoding.into());
            }
            text.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| msg!(BadCsvLine, n = i + 1, reason = e.to_string()))?;
        rows.push(record.iter().map(|s| Cell::Text(s.to_owned())).collect());
    }
    Ok(Sheet {
        name: None,
        rows,
        origin: (0, 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        let sheet = Sheet {
            name: Some("2024年".into()),
            rows: Vec::new(),
            origin: (1, 0),
        };
        assert_eq!(sheet.cell_ref(0, 0), "2024年!A2");
        assert_eq!(sheet.cell_ref(10, 25), "2024年!Z12");
        assert_eq!(sheet.cell_ref(10, 26), "2024年!AA12");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn csv_is_read_in_utf8_or_gb18030() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("标题,责任单位\r\n路灯不亮,县住建局\r\n");
        for bytes in [
            gbk.into_owned(),
            "\u{feff}标题,责任单位\n路灯不亮,县住建局\n"
                .as_bytes()
                .to_vec(),
        ] {
            let sheet = read_csv(&bytes).unwrap();
            assert_eq!(sheet.rows[1][1], Cell::Text("县住建局".into()));
        }
    }
}
