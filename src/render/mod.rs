//! The render stage: documents and derived facts become HTML pages through Tera templates.
//!
//! Built-in templates and theme files are compiled into the binary; a library's `templates/`
//! and `theme/` override them file by file. Every link is relative (`{{ root }}` climbs to the
//! site root), so the site works under any URL prefix and straight from a shared drive.

pub mod charts;
pub mod figures;
pub mod pages;
pub mod rows;
pub mod site;
pub mod views;

/// The relative path from the page at `path` (`/`-separated, from the site root) back to the
/// site root: `../` per folder.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// One file of the generated site: a path relative to the output folder (`/`-separated).
#[derive(Debug)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// JSON for a `.js` data file loaded by `<script>` (which works from `file://`, unlike fetch).
/// `<`, `>`, `&` and the JavaScript line separators are escaped, so no record text can close
/// a script element or start a comment, even if the data is ever inlined.
pub fn script_json(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}
