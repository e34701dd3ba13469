//! One data row of a ledger made into the parts of a record: front-matter values in the
//! format's words, body sections, and the columns nobody mapped (kept, never dropped).

use crate::messages::{Key, Message};
use crate::msg;
use chrono::{DateTime, FixedOffset};

use super::columns::{Header, Target};
use super::table::{Cell, Sheet};
use super::values;
use crate::config::Config;
use crate::content::record;

/// A front-matter value taken from the ledger.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    List(Vec<String>),
    Time(DateTime<FixedOffset>),
    Count(u64),
    Flag(bool),
}

/// A data row read: what the record will hold, or every problem of the row.
#[derive(Debug, Default)]
pub struct Row {
    /// `Sheet!A12`: where the row starts, for messages and the record's provenance line.
    pub at: String,
    /// Fields in the order of the format (`record::FIELDS`).
    pub fields: Vec<(&'static str, Value)>,
    pub sections: Vec<(&'static str, String)>,
    /// Unmapped columns: header and text.
    pub other: Vec<(String, String)>,
}

impl Row {
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(k, _)| *k == field)
            .map(|(_, v)| v)
    }

    pub fn text(&self, field: &str) -> Option<&str> {
        match self.get(field) {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    pub fn time(&self, field: &str) -> Option<DateTime<FixedOffset>> {
        match self.get(field) {
            Some(Value::Time(t)) => Some(*t),
            _ => None,
        }
    }

    fn set(&mut self, field: &'static str, value: Value) {
        match (self.fields.iter_mut().find(|(k, _)| *k == field), value) {
            (Some((_, Value::List(have))), Value::List(more)) => have.extend(
                more.into_iter()
                    .filter(|m| !have.contains(m))
                    .collect::<Vec<_>>(),
            ),
            (Some(_), _) => {}
            (None, value) => self.fields.push((field, value)),
        }
    }
}

/// Whether a row holds no data: blank, or a 合计/总计/小计 line.
pub fn is_data(cells: &[Cell]) -> bool {
    let texts: Vec<String> = cells.iter().map(Cell::text).collect();
    let filled = texts.iter().filter(|t| !t.is_empty()).count();
    let total = texts.iter().any(|t| {
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        matches!(t.as_str(), "合计" | "总计" | "小计" | "合计：" | "总计：")
    });
    filled > 0 && !total
}

/// Read the data row `index` of `sheet`; `Err` lists each problem as (cell, message).
pub fn read(
    sheet: &Sheet,
    header: &Header,
    index: usize,
    config: &Config,
) -> Result<Row, Vec<(String, Message)>> {
    let cells = sheet.rows.get(index).map(Vec::as_slice).unwrap_or_default();
    let mut row = Row {
        at: sheet.cell_ref(index, 0),
        ..Row::default()
    };
    let mut problems = Vec::new();
    let mut failed = Vec::new();
    for (col, cell) in cells.iter().enumerate() {
        if cell.is_empty() {
            continue;
        }
        let name = header.names.get(col).cloned().unwrap_or_default();
        match header.targets.get(col).cloned().flatten() {
            Some(Target::Skip) => {}
            Some(Target::Section(section)) => {
                match row.sections.iter_mut().find(|(s, _)| *s == section) {
                    Some((_, text)) => {
                        text.push_str("\n\n");
                        text.push_str(&cell.text());
                    }
                    None => row.sections.push((section, cell.text())),
                }
            }
            Some(Target::Field(field)) => match value(field, cell, config) {
                Ok(v) => row.set(field, v),
                Err(message) => {
                    failed.push(field);
                    problems.push((
                        sheet.cell_ref(index, col),
                        msg!(CellProblem, field = label(field, &name), problem = message),
                    ))
                }
            },
            None if name.is_empty() => row.other.push((format!("第 {} 列", col + 1), cell.text())),
            None => row.other.push((name, cell.text())),
        }
    }
    for (field, default) in &config.import.defaults {
        let Some(field) = record::FIELDS
            .iter()
            .find(|(k, l)| k == field || l == field)
            .map(|(k, _)| *k)
        else {
            problems.push((row.at.clone(), msg!(DefaultNotAField, field = field)));
            continue;
        };
        if row.get(field).is_none() {
            match value(field, &Cell::Text(default.clone()), config) {
                Ok(v) => row.set(field, v),
                Err(message) => problems.push((
                    row.at.clone(),
                    msg!(DefaultBadValue, field = field, problem = message),
                )),
            }
        }
    }
    // A ledger that records only when a post was published: that is when it was first seen.
    if row.get("discovered_at").is_none() {
        if let Some(t) = row.time("first_published_at") {
            row.set("discovered_at", Value::Time(t));
        }
    }
    if row.get("status").is_none() && row.get("closed_at").is_some() {
        row.set("status", Value::Text(crate::content::vocab::CLOSED.into()));
    }
    for (field, column) in [
        ("title", Key::ColumnTitle),
        ("category", Key::ColumnCategory),
        ("department", Key::ColumnDepartment),
        ("discovered_at", Key::ColumnDiscovered),
    ] {
        if row.get(field).is_none() && !failed.contains(&field) {
            problems.push((
                row.at.clone(),
                msg!(
                    CellMissing,
                    field = label(field, ""),
                    column = column,
                    key = field
                ),
            ));
        }
    }
    row.fields
        .sort_by_key(|(k, _)| record::FIELDS.iter().position(|(f, _)| f == k));
    match problems.is_empty() {
        true => Ok(row),
        false => Err(problems),
    }
}

/// `责任单位（department）`, as the clerk knows the field, with the ledger's own header.
fn label(field: &str, header: &str) -> Message {
    let chinese = record::FIELDS
        .iter()
        .find(|(k, _)| *k == field)
        .map_or("", |(_, l)| *l);
    match header.is_empty() || header == chinese {
        true => msg!(FieldLabel, key = field, label = chinese),
        false => msg!(
            ColumnField,
            header = header,
            field = msg!(FieldLabel, key = field, label = chinese)
        ),
    }
}

fn value(field: &'static str, cell: &Cell, config: &Config) -> Result<Value, Message> {
    match field {
        "discovered_at" | "first_published_at" | "reported_at" | "first_response_at"
        | "closed_at" => values::time(cell, config.timezone).map(Value::Time),
        "reach" => values::count(cell).map(Value::Count),
        "platforms" | "tags" | "plans" | "related" => Ok(Value::List(values::list(cell))),
        "typical" => match cell.text().as_str() {
            "是" | "√" | "✓" | "Y" | "y" | "典型" | "1" => Ok(Value::Flag(true)),
            "否" | "×" | "N" | "n" | "0" => Ok(Value::Flag(false)),
            other => Err(msg!(CellNotYesNo, text = other)),
        },
        _ => values::word(field, &cell.text(), config).map(Value::Text),
    }
}
