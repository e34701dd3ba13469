//! `search/d/N.js`: what a result shows of document N — its id, title, link, facts and the
//! start of its text, which the snippet is cut from. Loaded only for the results on screen.

use super::DIR;
use crate::render::{script_json, SiteFile};
use crate::search::SearchDoc;

/// How much of a document's text its snippet is cut from.
const SNIPPET_SOURCE_CHARS: usize = 800;

#[derive(serde::Serialize)]
struct ResultDoc<'a> {
    kind: &'a str,
    category: &'a str,
    date: &'a str,
    department: &'a str,
    href: &'a str,
    id: &'a str,
    text: &'a str,
    title: &'a str,
    warning: &'a str,
}

/// The result file of document `n`, `d`, whose whole text is `text`.
pub fn file(d: &SearchDoc, n: usize, text: &str) -> SiteFile {
    let end = crate::text::char_to_byte(text, SNIPPET_SOURCE_CHARS);
    let shown = ResultDoc {
        kind: d.kind.label(),
        category: &d.category,
        date: &d.date,
        department: &d.department,
        href: &d.href,
        id: &d.id,
        text: text.get(..end).unwrap_or(text),
        title: &d.name,
        warning: &d.warning,
    };
    SiteFile {
        path: format!("{DIR}/d/{n}.js"),
        bytes: format!("casebook.doc({n},{});\n", script_json(&shown)).into_bytes(),
    }
}
