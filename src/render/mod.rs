//! The render stage: documents and derived facts become HTML pages through Tera templates.
//!
//! Built-in templates and theme files are compiled into the binary; a library's `templates/`
//! and `theme/` override them file by file. Every link is relative (`{{ root }}` climbs to the
//! site root), so the site works under any URL prefix and straight from a shared drive.

pub mod charts;
pub mod figures;
pub mod pages;
pub mod site;
pub mod views;

/// One file of the generated site: a path relative to the output folder (`/`-separated).
#[derive(Debug)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}
