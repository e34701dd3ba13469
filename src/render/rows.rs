//! The rows of case tables. A record is listed on a dozen pages — the full list, its category,
//! colour, level, department, region, platforms, tags, month and plans — and rendering every
//! row of every list through Tera was an eighth of a build's work. So each record's row is
//! rendered once by `case_row.html`, with a mark standing for `root` (the only part that
//! changes with the page's depth), and each page depth's copy is that row with its root put
//! in, made when first listed and reused by every list at that depth.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera};

use super::pages::RenderError;
use super::views::{case_row, Formatter};
use crate::derive::Derived;
use crate::model::Library;

/// Page depths whose rows are kept: the site's pages are at most three folders deep; a deeper
/// one still works, its rows are only made each time.
const DEPTHS: usize = 4;

/// Stands for `root` while a row is rendered once for all depths. A Unicode noncharacter, which
/// no clerk types and HTML escaping leaves as it is; a row whose own text has it anyway is
/// rendered for each depth instead.
const ROOT_MARK: &str = "\u{FDD0}";

/// A row as a case table gets it: `{{ c.html | safe }}`.
#[derive(Serialize)]
pub struct ListedCase<'a> {
    html: Cow<'a, str>,
}

/// Every record's rows, made when first listed.
pub struct Rows<'a> {
    tera: &'a Tera,
    lib: &'a Library,
    derived: &'a Derived,
    fmt: Formatter,
    /// Per record: its row with [`ROOT_MARK`] for the root, or None when its text has the mark.
    marked: Vec<OnceLock<Option<Box<str>>>>,
    /// Per record and page depth: the row with that depth's root.
    made: Vec<[OnceLock<Box<str>>; DEPTHS]>,
}

impl<'a> Rows<'a> {
    pub fn new(tera: &'a Tera, lib: &'a Library, derived: &'a Derived) -> Self {
        Rows {
            tera,
            lib,
            derived,
            fmt: Formatter::new(lib),
            marked: lib.records.iter().map(|_| OnceLock::new()).collect(),
            made: lib.records.iter().map(|_| Default::default()).collect(),
        }
    }

    /// The rows for the page at `path`.
    pub fn for_page(&self, path: &str) -> PageRows<'_> {
        PageRows {
            rows: self,
            path: path.to_owned(),
        }
    }

    /// Record `i`'s row for a page whose root is `root`.
    fn row(&self, i: usize, root: &str, path: &str) -> Result<String, RenderError> {
        let Some(cell) = self.marked.get(i) else {
            return self.render(&self.data(i, path)?, root, path);
        };
        if cell.get().is_none() {
            let data = self.data(i, path)?;
            let marked = match holds(&data, ROOT_MARK) {
                true => None,
                false => Some(self.render(&data, ROOT_MARK, path)?.into_boxed_str()),
            };
            // Two threads may make the same row at once; either copy is the same.
            let _ = cell.set(marked);
        }
        match cell.get() {
            Some(Some(marked)) => Ok(marked.replace(ROOT_MARK, root)),
            _ => self.render(&self.data(i, path)?, root, path),
        }
    }

    /// What `case_row.html` is given as `c`.
    fn data(&self, i: usize, path: &str) -> Result<serde_json::Value, RenderError> {
        serde_json::to_value(case_row(self.lib, self.derived, i, &self.fmt))
            .map_err(|e| self.error(e.to_string(), path))
    }

    fn render(
        &self,
        data: &serde_json::Value,
        root: &str,
        path: &str,
    ) -> Result<String, RenderError> {
        let mut ctx = Context::new();
        ctx.insert("root", root);
        ctx.insert("c", data);
        self.tera
            .render("case_row.html", &ctx)
            .map_err(|e| self.error(super::site::error_chain(&e), path))
    }

    fn error(&self, message: String, path: &str) -> RenderError {
        RenderError {
            message: format!("template `case_row.html`: {message}"),
            page: path.to_owned(),
        }
    }
}

/// Whether any text in `value` contains `mark`.
fn holds(value: &serde_json::Value, mark: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains(mark),
        serde_json::Value::Array(items) => items.iter().any(|v| holds(v, mark)),
        serde_json::Value::Object(map) => map.values().any(|v| holds(v, mark)),
        _ => false,
    }
}

/// Case-table rows for one page: what the views of pages with case tables are given.
pub struct PageRows<'r> {
    rows: &'r Rows<'r>,
    path: String,
}

impl<'r> PageRows<'r> {
    /// The rows of records `indices`.
    pub fn of(&self, indices: &[usize]) -> Result<Vec<ListedCase<'r>>, RenderError> {
        let depth = self.path.matches('/').count();
        let root = super::root_of(&self.path);
        indices
            .iter()
            .map(|&i| {
                let cell = self.rows.made.get(i).and_then(|cells| cells.get(depth));
                if let Some(html) = cell.and_then(OnceLock::get) {
                    return Ok(ListedCase {
                        html: Cow::Borrowed(html),
                    });
                }
                let html = self.rows.row(i, &root, &self.path)?;
                let html = match cell {
                    // Boxed: a row held for the whole build keeps no spare capacity.
                    Some(cell) => Cow::Borrowed(&**cell.get_or_init(|| html.into_boxed_str())),
                    None => Cow::Owned(html),
                };
                Ok(ListedCase { html })
            })
            .collect()
    }
}
