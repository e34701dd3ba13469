//! The clerk's desk: writing and editing records, plans and summaries in the browser while
//! `serve` runs. The
//! library stays a folder of Markdown files; the form is a view over one file, and saving
//! writes that file as the clerk would, after the checks `check` makes.
//!
//! - [`kinds`]: what the form knows of each kind of document and each field;
//! - [`form`]: the form page, filled from the file on disk;
//! - [`save`]: a submission made into the file's text, checked, and written whole.
//!
//! Only `serve` offers the desk (a built site has no form and no editing script), and only to
//! requests that carry the desk's token, which the form page holds: a page of another site
//! cannot read it, so it cannot save (`serve::http` also refuses foreign `Host` and `Origin`).

mod form;
mod kinds;
mod save;

use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::messages::{Key, Lang};

pub use kinds::DocKind;
pub use save::{Saved, Submission};

/// The editing script, served at `/_casebook/desk.js`.
pub const SCRIPT: &str = include_str!("desk.js");

/// The desk of one `serve`: its library and the secret its form pages carry.
pub struct Desk {
    root: PathBuf,
    token: String,
    lang: Lang,
}

impl Desk {
    pub fn new(root: &Path, lang: Lang) -> Desk {
        Desk {
            root: root.to_owned(),
            token: random_token(),
            lang,
        }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whether `given` is this desk's token (compared in constant time).
    pub fn admits(&self, given: &str) -> bool {
        let (a, b) = (given.as_bytes(), self.token.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
    }

    fn library(&self) -> (Config, crate::content::load::Loaded) {
        crate::scaffold::read_library(&self.root)
    }

    /// The form for a new document of `kind`.
    pub fn new_document(&self, kind: DocKind) -> String {
        let (config, loaded) = self.library();
        form::page(
            &form::Start::new(kind, &loaded),
            &config,
            &loaded,
            &self.token,
        )
    }

    /// The form for the document in the file `rel` (relative to the library); none when the
    /// desk does not edit that file or its front matter cannot be read.
    pub fn edit(&self, rel: &Path) -> Option<String> {
        let (config, loaded) = self.library();
        let start = form::existing(&self.root, rel, &config)?;
        Some(form::page(&start, &config, &loaded, &self.token))
    }

    /// The page the form's document would have, rendered with the served site's templates as
    /// a build for the narrowest audience would render it (drafts included), so the clerk sees
    /// it before saving. Err: why it cannot be shown yet (the document does not read).
    pub fn preview_page(
        &self,
        submission: &Submission,
        tera: &tera::Tera,
    ) -> Result<String, String> {
        let (config, loaded) = self.library();
        let now = chrono::Utc::now().with_timezone(&config.timezone);
        let Some((kind, rel, text, key)) =
            save::candidate(&self.root, &config, &loaded, submission, now)
        else {
            return Err(self.say(&Key::DeskNoDocument.into()));
        };
        let mut diags = crate::diag::Diagnostics::default();
        let library = crate::content::load::with_document(&loaded, &rel, text, &config, &mut diags);
        let Some(library) = library.filter(|_| !diags.has_errors()) else {
            let first = diags
                .iter()
                .find(|d| d.severity == crate::diag::Severity::Error);
            let why = first.map_or_else(String::new, |d| d.message.render(self.lang));
            return Err(self.say(&crate::msg!(DeskNotYet, why = why)));
        };
        let audience = config.audiences.last().cloned().unwrap_or_default();
        let selection = crate::model::Selection {
            audience: &audience,
            drafts: true,
        };
        let lib = crate::model::Library::assemble(config, library, &selection);
        let derived = crate::derive::derive(&lib, now, Default::default());
        use crate::render::pages::{Page, Site};
        let page = match kind {
            DocKind::Record => lib.record_index(&key).map(Page::Record),
            DocKind::Plan => lib.plan_index(&key).map(Page::Plan),
            DocKind::Summary => lib
                .summaries
                .iter()
                .position(|s| s.period.to_string() == key)
                .map(Page::Summary),
        };
        let Some(page) = page else {
            return Err(self.say(&crate::msg!(DeskNotYet, why = "")));
        };
        let path = kind.page(&key);
        let made = Site::new(tera, &lib, &derived).render(&path, page);
        let html = made.map_err(|e| self.say(&crate::msg!(DeskNotYet, why = &e.message)))?;
        let html = String::from_utf8_lossy(&html.bytes).into_owned();
        // The page's links are relative to where it will be published.
        let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
        Ok(html.replacen("<head>", &format!("<head><base href=\"/{folder}/\">"), 1))
    }

    /// A message in the desk's language.
    pub fn say(&self, message: &crate::messages::Message) -> String {
        message.render(self.lang)
    }

    /// Save a submission of the form.
    pub fn save(&self, submission: &Submission) -> Saved {
        let (config, _) = self.library();
        let now = chrono::Utc::now().with_timezone(&config.timezone);
        save::save(&self.root, &config, submission, now, self.lang)
    }
}

/// 128 bits from the operating system's randomness (the standard library seeds each
/// `RandomState` from it), as hex.
fn random_token() -> String {
    let mut out = String::new();
    for i in 0..2u8 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(i);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}
