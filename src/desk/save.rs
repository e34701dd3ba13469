//! Saving a document from the form: the submitted fields become front matter (a new file as
//! `casebook new` lays it out; an existing file edited in place with toml_edit, its comments,
//! field order and untouched body kept), checked as `check` checks the library, and written
//! whole or not at all.

use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table};

use super::kinds::{DocKind, ValueKind};
use crate::config::Config;
use crate::content::load::Loaded;
use crate::diag::{Diagnostics, Severity, SourceText};
use crate::messages::{Lang, Message};
use crate::msg;

/// What the form sends: every value as the clerk typed it.
#[derive(Debug, Deserialize)]
pub struct Submission {
    /// The document's file, relative to the library; none for a new document.
    pub path: Option<String>,
    /// For a new document: `case` (the default), `plan` or `summary`.
    #[serde(default)]
    pub kind: String,
    /// Fingerprint of the file when the form was opened ([`fingerprint`]).
    pub base: Option<String>,
    /// 保存为草稿: written with `draft = true` even when it does not pass the checks.
    #[serde(default)]
    pub draft: bool,
    /// Field name → text (lists joined with 、 or commas; `typical` as "true" or "").
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub timeline: Vec<Row>,
    #[serde(default)]
    pub documents: Vec<Row>,
    /// The Markdown body; none when the clerk did not touch it (the file's is kept byte for
    /// byte).
    pub body: Option<String>,
}

/// One problem for the form: the field it belongs next to (empty: the record as a whole).
#[derive(Debug, serde::Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
    pub warning: bool,
}

#[derive(Debug)]
pub enum Saved {
    /// Written: the file, relative to the library, and the page that shows it.
    Written {
        path: PathBuf,
        page: String,
        /// False when the form changed nothing (the file was left as it was).
        changed: bool,
        problems: Vec<Problem>,
    },
    /// Nothing written: the record does not pass the checks.
    Invalid(Vec<Problem>),
    /// Nothing written: the file changed on disk since the form was opened; its text now.
    Conflict(String),
    /// Nothing written: the disk refused.
    Failed(Message),
}

/// A file's fingerprint, to notice that it changed under an open form.
pub fn fingerprint(bytes: &[u8]) -> String {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    format!("{:016x}-{}", h.finish(), bytes.len())
}

/// Save `sub` into the library at `root`.
pub fn save(
    root: &Path,
    config: &Config,
    sub: &Submission,
    now: chrono::DateTime<FixedOffset>,
    lang: Lang,
) -> Saved {
    let (_, loaded) = crate::scaffold::read_library(root);
    match (&sub.path, DocKind::named(&sub.kind)) {
        (Some(rel), _) => save_existing(root, config, &loaded, sub, Path::new(rel), lang),
        (None, Some(DocKind::Record)) => save_new_record(root, config, &loaded, sub, now, lang),
        (None, Some(kind)) => save_new_named(root, config, &loaded, sub, kind, lang),
        (None, None) => Saved::Failed(msg!(NotARecordFile, path = &sub.kind)),
    }
}

fn save_existing(
    root: &Path,
    config: &Config,
    loaded: &Loaded,
    sub: &Submission,
    rel: &Path,
    lang: Lang,
) -> Saved {
    let Some(kind) = DocKind::of_path(rel) else {
        return Saved::Failed(msg!(NotARecordFile, path = rel.display()));
    };
    let path = root.join(rel);
    let old = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            let reason = Message::io(&e);
            return Saved::Failed(msg!(CannotReadFile, path = rel.display(), reason = reason));
        }
    };
    if sub.base.as_deref() != Some(fingerprint(&old).as_str()) {
        return Saved::Conflict(String::from_utf8_lossy(&old).into_owned());
    }
    let old = String::from_utf8_lossy(&old).into_owned();
    let Some((text, key)) = edited_text(kind, &old, rel, config, sub) else {
        return Saved::Failed(msg!(CannotUpdate, path = rel.display()));
    };
    let problems = problems(rel, &text, config, loaded, lang);
    if problems.iter().any(|p| !p.warning) && !sub.draft {
        return Saved::Invalid(problems);
    }
    let written = |changed| Saved::Written {
        path: rel.to_owned(),
        page: kind.page(&key),
        changed,
        problems,
    };
    if text == old {
        return written(false);
    }
    match crate::library_file::replace(&path, &text) {
        Ok(()) => written(true),
        Err(e) => {
            let reason = Message::io(&e);
            Saved::Failed(msg!(CannotWriteKept, path = rel.display(), reason = reason))
        }
    }
}

/// A new record, numbered with the next free id of its year.
fn save_new_record(
    root: &Path,
    config: &Config,
    loaded: &Loaded,
    sub: &Submission,
    now: chrono::DateTime<FixedOffset>,
    lang: Lang,
) -> Saved {
    let kind = DocKind::Record;
    let year = sub
        .fields
        .get("discovered_at")
        .and_then(|t| t.get(..4))
        .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
        .map_or_else(|| now.format("%Y").to_string(), str::to_owned);
    let body = body_of(kind, sub, loaded);
    // Two tabs saving at once: the second finds the first's file and takes the next number.
    for _ in 0..100 {
        let id = crate::scaffold::next_case_id(root, loaded, &config.id_prefix, &year);
        let rel = kind.file(&id, &year);
        let text = new_text(kind, &id, config, sub, &body);
        let problems = problems(&rel, &text, config, loaded, lang);
        if problems.iter().any(|p| !p.warning) && !sub.draft {
            return Saved::Invalid(problems);
        }
        match crate::library_file::create(&root.join(&rel), &text) {
            Ok(()) => {
                let page = kind.page(&id);
                return Saved::Written {
                    path: rel,
                    page,
                    changed: true,
                    problems,
                };
            }
            // Taken by another tab meanwhile: the next number. (A file where a folder should
            // be is also AlreadyExists, and is a failure.)
            Err(e)
                if e.kind() == std::io::ErrorKind::AlreadyExists && root.join(&rel).is_file() =>
            {
                continue
            }
            Err(e) => {
                let reason = Message::io(&e);
                return Saved::Failed(msg!(CannotWrite, path = rel.display(), reason = reason));
            }
        }
    }
    Saved::Failed(msg!(ImportExists, path = format!("cases/{year}")))
}

/// A new plan or summary: its file is named by the id or period the clerk typed, and never
/// replaces one that exists.
fn save_new_named(
    root: &Path,
    config: &Config,
    loaded: &Loaded,
    sub: &Submission,
    kind: DocKind,
    lang: Lang,
) -> Saved {
    let key_field = kind.key_field();
    let key = sub
        .fields
        .get(key_field)
        .map_or("", |k| k.trim())
        .to_owned();
    let named = !key.is_empty() && crate::names::valid_name(&key);
    let rel = kind.file(if named { &key } else { "new" }, "");
    let text = new_text(kind, &key, config, sub, &body_of(kind, sub, loaded));
    let mut problems = problems(&rel, &text, config, loaded, lang);
    if named && root.join(&rel).exists() {
        problems.push(Problem {
            field: key_field.to_owned(),
            message: msg!(FileExists, path = rel.display()).render(lang),
            hint: None,
            warning: false,
        });
    }
    if problems.iter().any(|p| !p.warning) && !(sub.draft && named) {
        return Saved::Invalid(problems);
    }
    match crate::library_file::create(&root.join(&rel), &text) {
        Ok(()) => {
            let page = kind.page(&key);
            Saved::Written {
                path: rel,
                page,
                changed: true,
                problems,
            }
        }
        Err(e) => {
            let reason = Message::io(&e);
            Saved::Failed(msg!(CannotWrite, path = rel.display(), reason = reason))
        }
    }
}

/// The body of a new document: the clerk's, or the one the form offered when untouched.
fn body_of(kind: DocKind, sub: &Submission, loaded: &Loaded) -> String {
    sub.body
        .clone()
        .unwrap_or_else(|| super::form::new_body(kind, loaded))
}

/// The text `sub` would be saved as, without writing or checking it: its kind, file, text and
/// key field (what the page preview renders). None when the form names no document the desk
/// edits or the file cannot be read.
pub fn candidate(
    root: &Path,
    config: &Config,
    loaded: &Loaded,
    sub: &Submission,
    now: chrono::DateTime<FixedOffset>,
) -> Option<(DocKind, PathBuf, String, String)> {
    if let Some(rel) = &sub.path {
        let rel = PathBuf::from(rel);
        let kind = DocKind::of_path(&rel)?;
        let old = std::fs::read_to_string(root.join(&rel)).ok()?;
        let (text, key) = edited_text(kind, &old, &rel, config, sub)?;
        return Some((kind, rel, text, key));
    }
    let kind = DocKind::named(&sub.kind)?;
    let body = body_of(kind, sub, loaded);
    let key = match kind {
        DocKind::Record => {
            let year = now.format("%Y").to_string();
            crate::scaffold::next_case_id(root, loaded, &config.id_prefix, &year)
        }
        _ => sub
            .fields
            .get(kind.key_field())
            .map(|k| k.trim().to_owned())
            .filter(|k| crate::names::valid_name(k))
            .unwrap_or_else(|| "preview".to_owned()),
    };
    let rel = kind.file(&key, &now.format("%Y").to_string());
    let text = new_text(kind, &key, config, sub, &body);
    Some((kind, rel, text, key))
}

/// The value of `field` as TOML, or none when the form left it empty.
fn item(kind: DocKind, field: &str, text: &str, tz: FixedOffset) -> Option<Item> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match kind.value_kind(field) {
        ValueKind::List => {
            let items: Array = text
                .split(['、', '，', ',', '；', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            toml_edit::value(items)
        }
        ValueKind::DateTime => time_item(text, tz),
        ValueKind::Flag => return (text == "true").then(|| toml_edit::value(true)),
        ValueKind::Number => match text.parse::<i64>() {
            Ok(n) => toml_edit::value(n),
            Err(_) => toml_edit::value(text),
        },
        ValueKind::Date => {
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            match date.and(text.parse::<toml_edit::Datetime>().ok()) {
                Some(d) => toml_edit::value(d),
                None => toml_edit::value(text),
            }
        }
        ValueKind::Text => toml_edit::value(text),
    })
}

/// A `datetime-local` value (2024-03-12T08:30) as a TOML datetime with the site's offset, as
/// `casebook new` writes times; anything else stays text for the checks to explain.
fn time_item(text: &str, tz: FixedOffset) -> Item {
    let parsed = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .and_then(|t| tz.from_local_datetime(&t).single())
        .and_then(|t| {
            t.format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
                .parse::<toml_edit::Datetime>()
                .ok()
        });
    match parsed {
        Some(d) => toml_edit::value(d),
        None => toml_edit::value(text),
    }
}

/// The rows of an array of tables as TOML, none when there are none.
fn rows(
    kind: DocKind,
    spec: &[crate::fields::FieldSpec],
    rows: &[Row],
    tz: FixedOffset,
) -> Option<Item> {
    let mut tables = ArrayOfTables::new();
    for row in rows {
        let mut table = Table::new();
        for (key, _) in spec {
            if let Some(v) = row.get(*key).and_then(|t| item(kind, key, t, tz)) {
                table.insert(key, v);
            }
        }
        if !table.is_empty() {
            tables.push(table);
        }
    }
    (!tables.is_empty()).then_some(Item::ArrayOfTables(tables))
}

/// The fields the form edits, in the format's order: not the key field, which names the file,
/// nor `draft`, which the 保存为草稿 button sets, nor the rows.
fn form_fields(kind: DocKind) -> impl Iterator<Item = &'static str> {
    kind.fields().iter().map(|(k, _)| *k).filter(move |k| {
        *k != kind.key_field() && *k != "draft" && !kind.tables().iter().any(|(t, ..)| t == k)
    })
}

/// A new document's text, laid out as `casebook new` lays documents out: its key field first.
fn new_text(kind: DocKind, key: &str, config: &Config, sub: &Submission, body: &str) -> String {
    let mut doc = DocumentMut::new();
    if !key.is_empty() {
        doc.insert(kind.key_field(), toml_edit::value(key));
    }
    for field in form_fields(kind) {
        let given = sub.fields.get(field).map_or("", String::as_str);
        if let Some(v) = item(kind, field, given, config.timezone) {
            doc.insert(field, v);
        }
    }
    if sub.draft {
        doc.insert("draft", toml_edit::value(true));
    }
    set_rows(kind, &mut doc, sub, config);
    format!("+++\n{doc}+++\n\n{}\n", body.trim())
}

/// Set the arrays of tables to the form's rows, unless the form shows them as they are.
fn set_rows(kind: DocKind, doc: &mut DocumentMut, sub: &Submission, config: &Config) {
    for (key, _, spec) in kind.tables() {
        let given = match *key {
            "timeline" => &sub.timeline,
            _ => &sub.documents,
        };
        let shown = doc
            .get(key)
            .and_then(Item::as_array_of_tables)
            .map_or_else(Vec::new, |rows| super::form::rows_of(rows, config));
        let given: Vec<Row> = given
            .iter()
            .map(|row| {
                row.iter()
                    .filter(|(_, v)| !v.trim().is_empty())
                    .map(|(k, v)| (k.clone(), v.trim().to_owned()))
                    .collect()
            })
            .filter(|row: &Row| !row.is_empty())
            .collect();
        if shown == given {
            continue;
        }
        match rows(kind, spec, &given, config.timezone) {
            Some(new) => doc[*key] = new,
            None => {
                doc.remove(key);
            }
        }
    }
}

/// One row of an array of tables as the form shows it: key → text.
pub type Row = std::collections::BTreeMap<String, String>;

/// The existing document `old` with the form's values, and its key field's value: a changed
/// field is set where it stands, an emptied one removed, a new one added; comments and the
/// other fields stay. None when its front matter cannot be read.
fn edited_text(
    kind: DocKind,
    old: &str,
    rel: &Path,
    config: &Config,
    sub: &Submission,
) -> Option<(String, String)> {
    let src = SourceText::new(rel, old.to_owned());
    let split = crate::content::frontmatter::split(&src).ok()?;
    let mut doc: DocumentMut = split.toml.parse().ok()?;
    for field in form_fields(kind) {
        let given = sub.fields.get(field).map_or("", |t| t.trim());
        // A field the form shows as it was is left as it was written (its comment, its
        // quoting, a time without offset).
        let shown = doc
            .get(field)
            .and_then(Item::as_value)
            .map_or_else(String::new, |v| super::form::text_of(v, config));
        if shown == given {
            continue;
        }
        match item(kind, field, given, config.timezone) {
            Some(new) => doc[field] = new,
            None => {
                doc.remove(field);
            }
        }
    }
    match sub.draft {
        true => doc["draft"] = toml_edit::value(true),
        false => {
            doc.remove("draft");
        }
    }
    set_rows(kind, &mut doc, sub, config);
    let key = doc
        .get(kind.key_field())
        .and_then(|k| k.as_str())
        .unwrap_or_default()
        .to_owned();
    let start = split.toml_offset;
    let end = start + split.toml.len();
    let body_start = old.len() - split.body.len();
    let before = old.get(..start)?;
    let closing = old.get(end..body_start)?;
    let body = match &sub.body {
        None => split.body.to_owned(),
        Some(b) if b.trim() == split.body.trim() => split.body.to_owned(),
        Some(b) => format!("\n{}\n", b.trim()),
    };
    Some((format!("{before}{doc}{closing}{body}"), key))
}

/// What `check` says about the document `text` at `rel`, as the library stands with it: its
/// own fields, and the rules across documents (ids, references, time order).
fn problems(rel: &Path, text: &str, config: &Config, loaded: &Loaded, lang: Lang) -> Vec<Problem> {
    let mut diags = Diagnostics::default();
    let library =
        crate::content::load::with_document(loaded, rel, text.to_owned(), config, &mut diags);
    if let Some(library) = library {
        let mut across = Diagnostics::default();
        crate::check::check(&library, &mut across);
        diags.extend(Diagnostics(
            across.0.into_iter().filter(|d| d.file == rel).collect(),
        ));
    }
    let lines = field_lines(text);
    diags
        .sorted()
        .iter()
        .map(|d| Problem {
            // The field the check names (`timeline[1].at` is shown with `timeline`), else the
            // field written on the problem's line.
            field: match &d.field {
                Some(f) => f.split(['[', '.']).next().unwrap_or_default().to_owned(),
                None => lines
                    .iter()
                    .rev()
                    .find(|(line, _)| *line <= d.pos.line)
                    .map(|(_, f)| f.clone())
                    .unwrap_or_default(),
            },
            message: d.message.render(lang),
            hint: d.hint.as_ref().map(|h| h.render(lang)),
            warning: d.severity == Severity::Warning,
        })
        .collect()
}

/// The line on which each field of `text` starts (a `[[timeline]]` row counts as `timeline`,
/// the body as `body`), so a problem is shown next to its field.
fn field_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut table: Option<String> = None;
    let mut fences = 0;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let t = line.trim();
        if t == "+++" {
            fences += 1;
            if fences == 2 {
                out.push((line_no + 1, "body".to_owned()));
                break;
            }
            continue;
        }
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            table = Some(name.trim().to_owned());
            out.push((line_no, name.trim().to_owned()));
        } else if let Some((key, _)) = t.split_once('=') {
            let key = key.trim().trim_matches('"').to_owned();
            out.push((line_no, table.clone().unwrap_or(key)));
        }
    }
    out
}
