//! The text of a record made from a ledger row, formatted as `casebook new` writes records,
//! and the update of an existing record's ledger fields that keeps everything else of the
//! file (comments, other fields, the body) as the clerk left it.

use std::fmt::Write as _;

use toml_edit::{Array, DocumentMut, Item};

use super::columns::SECTIONS;
use super::row::{Row, Value};
use crate::diag::SourceText;

fn item(value: &Value) -> Item {
    match value {
        Value::Text(t) => toml_edit::value(t.as_str()),
        Value::List(items) => toml_edit::value(items.iter().map(String::as_str).collect::<Array>()),
        Value::Time(t) => match t.to_rfc3339().parse::<toml_edit::Datetime>() {
            Ok(d) => toml_edit::value(d),
            Err(_) => toml_edit::value(t.to_rfc3339()),
        },
        Value::Count(n) => toml_edit::value(i64::try_from(*n).unwrap_or(i64::MAX)),
        Value::Flag(b) => toml_edit::value(*b),
    }
}

/// A new record file: the provenance as a comment, the fields, then the body sections, and the
/// unmapped columns under 其他信息.
pub fn new_text(id: &str, row: &Row, source: &str) -> String {
    let mut doc = DocumentMut::new();
    doc.insert("id", toml_edit::value(id));
    for (field, value) in &row.fields {
        if *field != "id" {
            doc.insert(field, item(value));
        }
    }
    let mut s = format!(
        "+++\n# 由 casebook import 导入自 {source} {}\n{doc}+++\n",
        row.at
    );
    for section in SECTIONS {
        for (_, text) in row.sections.iter().filter(|(s, _)| s == section) {
            let _ = write!(s, "\n## {section}\n\n{}\n", markdown_text(text));
        }
    }
    if !row.other.is_empty() {
        s.push_str("\n## 其他信息\n\n");
        for (header, text) in &row.other {
            let _ = writeln!(
                s,
                "- {}：{}",
                markdown_text(header),
                markdown_text(text).replace('\n', " ")
            );
        }
    }
    s
}

/// A cell's text as Markdown that shows it as written: a line starting with `#` (a Weibo
/// topic, #某某#) is not a heading, `<` is not HTML.
fn markdown_text(text: &str) -> String {
    text.trim()
        .lines()
        .map(|line| {
            let line = line.trim_end().replace('<', "&lt;");
            match line.starts_with('#') {
                true => format!("\\{line}"),
                false => line,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The existing file `text` with the row's fields (all but `id`) set to the ledger's values;
/// none when its front matter cannot be read (the clerk's file is then left alone).
pub fn updated_text(text: &str, row: &Row, path: &std::path::Path) -> Option<String> {
    let src = SourceText::new(path, text.to_owned());
    let split = crate::content::frontmatter::split(&src).ok()?;
    let mut doc: DocumentMut = split.toml.parse().ok()?;
    for (field, value) in &row.fields {
        if *field == "id" {
            continue;
        }
        let new = item(value);
        let same = doc
            .get(field)
            .map(|old| old.to_string().trim() == new.to_string().trim());
        if same != Some(true) {
            doc[*field] = new;
        }
    }
    let start = split.toml_offset;
    let end = start + split.toml.len();
    let (before, after) = (text.get(..start)?, text.get(end..)?);
    Some(format!("{before}{doc}{after}"))
}
