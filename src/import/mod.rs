//! `casebook import`: the office's Excel ledger (台账) into records, one per data row.
//!
//! A ledger file is read into sheets of cells ([`table`]); in each sheet the header row is
//! found and its columns matched to fields ([`columns`]); each data row is read into values of
//! the format ([`row`], [`values`]) and written as `cases/YYYY/ID.md` ([`record_file`]). A row
//! with any problem is reported by its cell and skipped whole; every other row is written, and
//! only after its text has been parsed back as a record exactly as `check` parses it.
//!
//! A row is the same incident as a record already in the library when the ledger's 编号 is
//! the record's id, or (for ledgers without one) when title and 发现时间 are the record's.
//! Such a row is left alone, or with `--update` only its ledger fields are rewritten.

mod columns;
mod record_file;
mod row;
mod table;
mod values;

use crate::messages::{Key, Message};
use crate::msg;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::content::load::Loaded;
use crate::diag::Diagnostics;

/// What `casebook import` was told.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub files: Vec<PathBuf>,
    /// Only these sheets (all when empty).
    pub sheets: Vec<String>,
    /// Write nothing; report what would be written.
    pub dry_run: bool,
    /// Rewrite the ledger fields of records already present.
    pub update: bool,
}

/// What one import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct Report {
    /// Records written (path relative to the library, title).
    pub written: Vec<(PathBuf, String)>,
    pub updated: Vec<PathBuf>,
    /// Rows whose record is already in the library (and, with `--update`, unchanged).
    pub present: usize,
    /// Rows skipped for their problems.
    pub skipped: usize,
    /// Each problem as `FILE:Sheet!C12` and what to do.
    pub problems: Vec<(String, Message)>,
}

/// Import `options.files` into the library at `root`.
pub fn run(root: &Path, options: &Options) -> Report {
    let (config, loaded) = crate::scaffold::read_library(root);
    let mut known = Known::new(root, &loaded, &config);
    let mut report = Report::default();
    for file in &options.files {
        let name = file.display().to_string();
        let sheets = match table::read(file, &options.sheets) {
            Ok(s) => s,
            Err(message) => {
                report.problems.push((name, message));
                continue;
            }
        };
        let source = file
            .file_name()
            .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
        for sheet in &sheets {
            import_sheet(
                root,
                &config,
                sheet,
                &name,
                &source,
                options,
                &mut known,
                &mut report,
            );
        }
    }
    report
}

#[allow(clippy::too_many_arguments)]
fn import_sheet(
    root: &Path,
    config: &Config,
    sheet: &table::Sheet,
    name: &str,
    source: &str,
    options: &Options,
    known: &mut Known,
    report: &mut Report,
) {
    let header = match columns::find_header(sheet, &config.import) {
        Ok(h) => h,
        // An empty sheet (a ledger's notes, a blank year) is not a problem.
        Err(_) if sheet.rows.iter().all(|r| !row::is_data(r)) => return,
        Err(message) => {
            let at = sheet
                .name
                .as_deref()
                .map_or(String::new(), |n| format!("{n}!"));
            report.problems.push((format!("{name}:{at}"), message));
            return;
        }
    };
    for index in header.row + 1..sheet.rows.len() {
        if !sheet.rows.get(index).is_some_and(|r| row::is_data(r)) {
            continue;
        }
        let row = match row::read(sheet, &header, index, config) {
            Ok(r) => r,
            Err(problems) => {
                report.skipped += 1;
                report.problems.extend(
                    problems
                        .into_iter()
                        .map(|(at, m)| (format!("{name}:{at}"), m)),
                );
                continue;
            }
        };
        let at = format!("{name}:{}", row.at);
        let outcome = match known.existing(&row) {
            Some(path) if options.update => update(root, &path, &row, config, options.dry_run),
            Some(_) => Ok(Outcome::Present),
            None => create(root, &row, source, config, known, options.dry_run),
        };
        match outcome {
            Ok(Outcome::Written(path, title)) => report.written.push((path, title)),
            Ok(Outcome::Updated(path)) => report.updated.push(path),
            Ok(Outcome::Present) => report.present += 1,
            Err(message) => {
                report.skipped += 1;
                report.problems.push((at, message));
            }
        }
    }
}

enum Outcome {
    Written(PathBuf, String),
    Updated(PathBuf),
    Present,
}

/// Write the new record of `row` (unless `dry_run`), with the ledger's 编号 or the next free id.
fn create(
    root: &Path,
    row: &row::Row,
    source: &str,
    config: &Config,
    known: &mut Known,
    dry_run: bool,
) -> Result<Outcome, Message> {
    let discovered = row.time("discovered_at").ok_or(Key::NoDiscoveredAt)?;
    let year = discovered
        .with_timezone(&config.timezone)
        .format("%Y")
        .to_string();
    let id = match row.text("id") {
        Some(id) if crate::names::valid_id(id) && !crate::names::reserved_record_id(id) => {
            id.to_owned()
        }
        Some(id) => return Err(msg!(ImportBadId, id = id)),
        None => known.next_id(&config.id_prefix, &year),
    };
    let rel = Path::new("cases").join(&year).join(format!("{id}.md"));
    let text = record_file::new_text(&id, row, source);
    parses(&rel, &text, config)?;
    if !dry_run {
        write_new(&root.join(&rel), &text)?;
    }
    known.add(&id, row, &rel);
    let title = row.text("title").unwrap_or_default().to_owned();
    Ok(Outcome::Written(rel, title))
}

/// Rewrite the ledger fields of the record at `rel`, keeping the rest of its text.
fn update(
    root: &Path,
    rel: &Path,
    row: &row::Row,
    config: &Config,
    dry_run: bool,
) -> Result<Outcome, Message> {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        msg!(
            CannotReadFile,
            path = rel.display(),
            reason = Message::io(&e)
        )
    })?;
    let new = record_file::updated_text(&text, row, rel)
        .ok_or_else(|| msg!(CannotUpdate, path = rel.display()))?;
    if new == text {
        return Ok(Outcome::Present);
    }
    parses(rel, &new, config)?;
    if !dry_run {
        crate::library_file::replace(&path, &new).map_err(|e| {
            msg!(
                CannotWriteKept,
                path = rel.display(),
                reason = Message::io(&e)
            )
        })?;
    }
    Ok(Outcome::Updated(rel.to_owned()))
}

/// The text parsed as `check` parses a record; the first error if it does not.
fn parses(rel: &Path, text: &str, config: &Config) -> Result<(), Message> {
    let mut diags = Diagnostics::default();
    let parsed = crate::content::load::parse_record(rel, text.to_owned(), config, &mut diags);
    let error = diags
        .iter()
        .find(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| d.message.clone());
    match (parsed, error) {
        (Some(_), None) => Ok(()),
        (_, Some(message)) => Err(msg!(ImportedFailsCheck, problem = message)),
        (None, None) => Err(msg!(ImportedFailsCheck, problem = Key::ReportBug)),
    }
}

/// Write a new record file, never over an existing one.
fn write_new(path: &Path, text: &str) -> Result<(), Message> {
    crate::library_file::create(path, text).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => msg!(ImportExists, path = path.display()),
        _ => msg!(CannotWrite, path = path.display(), reason = Message::io(&e)),
    })
}

/// The records of the library, and those this import has written, by id and by title and
/// discovery time; and the highest number used per id stem.
struct Known {
    by_id: HashMap<String, PathBuf>,
    by_title: HashMap<(String, DateTime<FixedOffset>), PathBuf>,
    root: PathBuf,
    numbers: HashMap<String, u32>,
    loaded_ids: Vec<String>,
}

impl Known {
    fn new(root: &Path, loaded: &Loaded, config: &Config) -> Known {
        let mut known = Known {
            by_id: HashMap::new(),
            by_title: HashMap::new(),
            root: root.to_owned(),
            numbers: HashMap::new(),
            loaded_ids: loaded.records.iter().map(|r| r.id.clone()).collect(),
        };
        for r in &loaded.records {
            let at = r.discovered_at.with_timezone(&config.timezone);
            known.by_id.insert(r.id.clone(), r.origin.path.clone());
            known
                .by_title
                .insert((r.title.clone(), at), r.origin.path.clone());
        }
        known
    }

    /// The record file of the incident `row` describes, if the library has it.
    fn existing(&self, row: &row::Row) -> Option<PathBuf> {
        if let Some(id) = row.text("id") {
            return self.by_id.get(id).cloned();
        }
        let key = (row.text("title")?.to_owned(), row.time("discovered_at")?);
        self.by_title.get(&key).cloned()
    }

    fn add(&mut self, id: &str, row: &row::Row, rel: &Path) {
        self.by_id.insert(id.to_owned(), rel.to_owned());
        if let (Some(title), Some(at)) = (row.text("title"), row.time("discovered_at")) {
            self.by_title.insert((title.to_owned(), at), rel.to_owned());
        }
    }

    /// `PREFIX-YEAR-NNNN`, one above the highest in use (in the library's files and records and
    /// among those this import wrote).
    fn next_id(&mut self, prefix: &str, year: &str) -> String {
        let stem = format!("{prefix}-{year}-");
        let highest = match self.numbers.get(&stem) {
            Some(n) => *n,
            None => crate::scaffold::highest_case_number(&self.root, &self.loaded_ids, &stem),
        };
        let mut next = highest + 1;
        while self.by_id.contains_key(&format!("{stem}{next:04}")) {
            next += 1;
        }
        self.numbers.insert(stem.clone(), next);
        format!("{stem}{next:04}")
    }
}
