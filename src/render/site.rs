//! Templates and theme assets: the built-in ones, overridden by the library's own.

use crate::messages::{Key, Message};
use crate::msg;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use tera::Tera;
use walkdir::WalkDir;

use super::SiteFile;
use crate::diag::{Diagnostic, Diagnostics, Pos};

/// Built-in templates, the repository's `templates/` folder compiled in.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("nav.html", include_str!("../../templates/nav.html")),
    (
        "case_row.html",
        include_str!("../../templates/case_row.html"),
    ),
    ("home.html", include_str!("../../templates/home.html")),
    ("case.html", include_str!("../../templates/case.html")),
    ("form.html", include_str!("../../templates/form.html")),
    ("cases.html", include_str!("../../templates/cases.html")),
    ("plan.html", include_str!("../../templates/plan.html")),
    ("plans.html", include_str!("../../templates/plans.html")),
    ("summary.html", include_str!("../../templates/summary.html")),
    (
        "summaries.html",
        include_str!("../../templates/summaries.html"),
    ),
    (
        "templates.html",
        include_str!("../../templates/templates.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    ("browse.html", include_str!("../../templates/browse.html")),
    ("axis.html", include_str!("../../templates/axis.html")),
    ("term.html", include_str!("../../templates/term.html")),
    ("typical.html", include_str!("../../templates/typical.html")),
    ("stats.html", include_str!("../../templates/stats.html")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// Built-in theme files, the repository's `theme/` folder compiled in; written under `assets/`.
const BUILTIN_THEME: &[(&str, &[u8])] = &[
    ("casebook.css", include_bytes!("../../theme/casebook.css")),
    ("caselist.js", include_bytes!("../../theme/caselist.js")),
    ("search.js", include_bytes!("../../theme/search.js")),
];

/// The folder of the output that theme files go to.
pub const ASSETS_DIR: &str = "assets";

/// Build the template engine: built-ins first, then every `.html` under `root/templates`.
pub fn templates(root: &Path, diags: &mut Diagnostics) -> Option<Arc<Tera>> {
    let mut sources: BTreeMap<String, String> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
        .collect();
    for (name, path) in library_files(root, "templates", diags) {
        if !name.ends_with(".html") {
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                sources.insert(name, text);
            }
            Err(e) => diags.push(Diagnostic::error(
                Path::new("templates").join(&name),
                Pos::default(),
                msg!(CannotReadTemplate, reason = Message::io(&e)),
            )),
        }
    }
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    match tera.add_raw_templates(sources) {
        Ok(()) => Some(Arc::new(tera)),
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "templates",
                    Pos::default(),
                    msg!(TemplateBroken, reason = e.to_string()),
                )
                .hint(Key::FixTemplate),
            );
            None
        }
    }
}

/// Theme files: built-ins, then every file under `root/theme` (which wins).
pub fn assets(root: &Path, diags: &mut Diagnostics) -> Vec<SiteFile> {
    let mut files: BTreeMap<String, Vec<u8>> = BUILTIN_THEME
        .iter()
        .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
        .collect();
    for (name, path) in library_files(root, "theme", diags) {
        match std::fs::read(&path) {
            Ok(bytes) => {
                files.insert(name, bytes);
            }
            Err(e) => diags.push(Diagnostic::error(
                Path::new("theme").join(&name),
                Pos::default(),
                msg!(CannotReadTheme, reason = Message::io(&e)),
            )),
        }
    }
    files
        .into_iter()
        .map(|(name, bytes)| SiteFile {
            path: format!("{ASSETS_DIR}/{name}"),
            bytes,
        })
        .collect()
}

/// Regular files below `root/dir`, as (`/`-separated relative name, path); hidden ones skipped.
/// Links are not followed, so nothing outside the library is read.
fn library_files(
    root: &Path,
    dir: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, std::path::PathBuf)> {
    let Some(base) = crate::content::load::library_folder(root, Path::new(dir), diags) else {
        return Vec::new();
    };
    WalkDir::new(&base)
        .follow_root_links(false)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&base).ok()?;
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some((name, e.path().to_path_buf()))
        })
        .collect()
}

/// Tera errors nest the useful part ("variable `x` not found") in their sources.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// HTML escaping for template output. Tera's default also escapes `/`, which is safe but turns
/// every relative link into `..&#x2F;cases&#x2F;…`; these five characters are what matters
/// in text and in quoted attributes.
pub fn escape_html(input: &str) -> String {
    // 0xC2 leads the C1 controls, U+0080–U+009F.
    let special = |b: u8| {
        matches!(
            b,
            b'&' | b'<' | b'>' | b'"' | b'\'' | 0..=0x1f | 0x7f | 0xc2
        )
    };
    super::replace_chars(input, special, |c, out| match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        // Control characters pasted from other programs are invalid in HTML.
        c if crate::text::markdown::is_stray_control(c) => out.push('\u{fffd}'),
        c => out.push(c),
    })
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escapes_markup_and_replaces_stray_controls() {
        assert_eq!(
            escape_html("a<b>&\"'\u{1}\u{85}£中\t文"),
            "a&lt;b&gt;&amp;&quot;&#39;\u{fffd}\u{fffd}£中\t文"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("纯文本"), "纯文本");
    }
}
