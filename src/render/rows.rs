//! The rows of case tables. A record is listed on a dozen pages — the full list, its category,
//! colour, level, department, region, platforms, tags, month and plans — and rendering every
//! row of every list through Tera was an eighth of a build's work. So each record's row is
//! rendered once per page depth (its links climb to the site root, so the depth changes them)
//! by `case_row.html`, and every list at that depth reuses it.

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
    made: Vec<[OnceLock<Box<str>>; DEPTHS]>,
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

    fn render(&self, i: usize, root: &str, path: &str) -> Result<String, RenderError> {
        let mut ctx = Context::new();
        ctx.insert("root", root);
        ctx.insert("c", &case_row(self.lib, self.derived, i, &self.fmt));
        self.tera
            .render("case_row.html", &ctx)
            .map_err(|e| RenderError {
                message: format!("template `case_row.html`: {}", super::site::error_chain(&e)),
                page: path.to_owned(),
            })
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
                    // Boxed: a row held for the whole build keeps no spare capacity.
                    Some(cell) => Cow::Borrowed(&**cell.get_or_init(|| html.into_boxed_str())),
                    None => Cow::Owned(html),
                };
                Ok(ListedCase { html })
            })
            .collect()
    }
}
