//! The rows of case tables. A record is listed on a dozen pages — the full list, its category,
//! colour, level, department, region, platforms, tags, month and plans — so each record's row
//! is rendered by `case_row.html` once for each page depth it is listed at (its links climb
//! to the site root with `root`, the only part of a row that depends on the page), and every
//! list at that depth uses that copy. The rows live as long as one rendering of the site.

use std::borrow::Cow;
use std::sync::OnceLock;

use tera::{Context, Tera};

use super::views::{case_row, Formatter, ListedCase};
use super::RenderError;
use crate::derive::Derived;
use crate::model::Library;

/// Page depths whose rows are kept: the site's pages are at most three folders deep; a deeper
/// one still works, its rows are only made each time.
const DEPTHS: usize = 4;

/// Every record's rows, made when first listed.
pub struct Rows<'a> {
    tera: &'a Tera,
    lib: &'a Library,
    derived: &'a Derived,
    fmt: Formatter,
    /// Per record and page depth: the row with that depth's root.
    made: Vec<[OnceLock<String>; DEPTHS]>,
}

impl<'a> Rows<'a> {
    pub fn new(tera: &'a Tera, lib: &'a Library, derived: &'a Derived) -> Self {
        Rows {
            tera,
            lib,
            derived,
            fmt: Formatter::new(lib),
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
    fn render(&self, i: usize, root: &str, path: &str) -> Result<String, RenderError> {
        let error = |message: String| RenderError {
            message: format!("template `case_row.html`: {message}"),
            page: path.to_owned(),
        };
        let data = serde_json::to_value(case_row(self.lib, self.derived, i, &self.fmt))
            .map_err(|e| error(e.to_string()))?;
        let mut ctx = Context::new();
        ctx.insert("root", root);
        ctx.insert("c", &data);
        self.tera
            .render("case_row.html", &ctx)
            .map_err(|e| error(super::site::error_chain(&e)))
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
                let html = self.rows.render(i, &root, &self.path)?;
                let html = match cell {
                    // Two threads may make the same row at once; either copy is the same.
                    Some(cell) => Cow::Borrowed(cell.get_or_init(|| html).as_str()),
                    None => Cow::Owned(html),
                };
                Ok(ListedCase { html })
            })
            .collect()
    }
}
