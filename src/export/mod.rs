//! Data exports written into the site's `data/` folder: `cases.csv` for spreadsheets and
//! `casebook.sqlite` for analysts. Both are made from the published `Library` and the derived
//! response metrics only, so they hold exactly what the pages hold.

pub mod csv;
pub mod sqlite;

use crate::content::record::Record;
use crate::derive::deadlines::Response;
use crate::model::Library;

pub const CSV_PATH: &str = "data/cases.csv";
pub const SQLITE_PATH: &str = "data/casebook.sqlite";

/// A record's `related` ids that this build publishes: an export is data, not a page, so a
/// withheld record is left out rather than shown as plain text.
fn published_related<'a>(lib: &'a Library, r: &'a Record) -> impl Iterator<Item = &'a str> {
    r.related
        .iter()
        .filter(|id| lib.record_index(id).is_some())
        .map(String::as_str)
}

/// The response deadline of a record as configured, e.g. "2小时".
fn deadline_label(lib: &Library, r: &Record) -> String {
    lib.config
        .category(&r.category)
        .map_or_else(|| "当日24时前".to_owned(), |c| c.deadline.to_string())
}

/// Rows of both exports: a record with its response metrics.
fn rows<'a>(
    lib: &'a Library,
    responses: &'a [Response],
) -> impl Iterator<Item = (&'a Record, &'a Response)> {
    lib.records.iter().map(|r| &**r).zip(responses)
}
