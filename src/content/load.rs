//! Walking a library folder and reading every document in it, in parallel.

use crate::messages::{Key, Message};
use crate::msg;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;
use toml::de::DeTable;
use walkdir::WalkDir;

use super::frontmatter;
use super::page::{self, Page};
use super::plan::{self, Plan};
use super::record::{self, Record};
use super::summary::{self, Summary};
use super::template::{self, Template};
use super::{Body, Origin};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Pos, SourceText};
use crate::fields::{not_utf8, toml_errors, FieldSpec, Fields, Positions};

/// Largest document read (10 MiB): a bigger file is surely a mistake (a pasted export, a
/// binary), and refusing it keeps one bad file from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Everything the library holds, as read, before the cross-document checks.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<Arc<Record>>,
    pub plans: Vec<Arc<Plan>>,
    pub summaries: Vec<Arc<Summary>>,
    pub templates: Vec<Arc<Template>>,
    pub pages: Vec<Arc<Page>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Record,
    Plan,
    Summary,
    Template,
    Page,
}

#[derive(Clone)]
enum Doc {
    Record(Arc<Record>),
    Plan(Arc<Plan>),
    Summary(Arc<Summary>),
    Template(Arc<Template>),
    Page(Arc<Page>),
}

/// Where each kind of document lives, relative to the library root.
const LOCATIONS: &[(&str, Kind, bool)] = &[
    ("cases", Kind::Record, true),
    ("content/plans", Kind::Plan, false),
    ("content/summaries", Kind::Summary, false),
    ("content/plan-templates", Kind::Template, false),
    ("content", Kind::Page, false),
];

/// Files parsed before, by path relative to the library: `serve` keeps them between rebuilds
/// so that a rebuild parses again only the files whose size or modification time changed
/// (as make and rsync know files). A one-off build starts with none.
#[derive(Default)]
pub struct ParsedFiles(Mutex<HashMap<PathBuf, Parsed>>);

/// A file as it was parsed: its stamp, the configuration it was parsed with, and the result.
#[derive(Clone)]
struct Parsed {
    stamp: Stamp,
    config: Arc<str>,
    doc: Option<Doc>,
    diags: Diagnostics,
}

/// A file's size and modification time.
type Stamp = (u64, Option<SystemTime>);

impl ParsedFiles {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Parsed>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Read every document of the library under `root`, taking from `parsed` the files it holds
/// unchanged, and leaving in it the files of this library.
pub fn load(root: &Path, config: &Config, parsed: &ParsedFiles, diags: &mut Diagnostics) -> Loaded {
    let mut files = Vec::new();
    for (dir, kind, recursive) in LOCATIONS {
        collect(root, Path::new(dir), *kind, *recursive, &mut files, diags);
    }
    // Everything in the configuration that parsing depends on.
    let fingerprint: Arc<str> = format!("{config:?}").into();
    let before = std::mem::take(&mut *parsed.lock());
    let results: Vec<(PathBuf, Parsed)> = files
        .into_par_iter()
        .map(|(rel, kind)| {
            let read = read_file(root, &rel, kind, config, &fingerprint, before.get(&rel));
            (rel, read)
        })
        .collect();
    let results: Vec<(Option<Doc>, Diagnostics)> = {
        let mut now = parsed.lock();
        results
            .into_iter()
            .map(|(rel, read)| {
                let result = (read.doc.clone(), read.diags.clone());
                now.insert(rel, read);
                result
            })
            .collect()
    };
    let mut loaded = Loaded::default();
    for (doc, d) in results {
        diags.extend(d);
        match doc {
            Some(Doc::Record(r)) => loaded.records.push(r),
            Some(Doc::Plan(p)) => loaded.plans.push(p),
            Some(Doc::Summary(s)) => loaded.summaries.push(s),
            Some(Doc::Template(t)) => loaded.templates.push(t),
            Some(Doc::Page(p)) => loaded.pages.push(p),
            None => {}
        }
    }
    loaded
}

/// The library's folder `dir` (`cases`, `content/plans`, `theme` …), if it is one. A link
/// there is refused like a link deeper in the library: followed, `theme -> /etc` would
/// publish the disk.
pub fn library_folder(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Option<PathBuf> {
    let base = root.join(dir);
    let meta = std::fs::symlink_metadata(&base).ok()?;
    if meta.file_type().is_symlink() {
        diags
            .push(Diagnostic::error(dir, Pos::default(), Key::FolderIsLink).hint(Key::ReplaceLink));
        return None;
    }
    meta.is_dir().then_some(base)
}

/// Markdown files in `dir` (and below, if `recursive`), skipping hidden and editor temp files.
fn collect(
    root: &Path,
    dir: &Path,
    kind: Kind,
    recursive: bool,
    out: &mut Vec<(PathBuf, Kind)>,
    diags: &mut Diagnostics,
) {
    let Some(base) = library_folder(root, dir, diags) else {
        return;
    };
    let walker = WalkDir::new(&base)
        .follow_root_links(false)
        .min_depth(1)
        .max_depth(if recursive { usize::MAX } else { 1 })
        .sort_by_file_name();
    for entry in walker
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| dir.to_path_buf());
                diags.push(Diagnostic::error(
                    path,
                    Pos::default(),
                    msg!(
                        CannotRead,
                        reason = e
                            .io_error()
                            .map_or_else(|| msg!(IoOther, detail = e.to_string()), Message::io)
                    ),
                ));
                continue;
            }
        };
        let path = entry.path();
        let markdown = path.extension().and_then(|e| e.to_str()) == Some("md");
        // Links are not followed into folders; a link to a Markdown file or a folder is
        // refused when it leads out of the library (it could publish anything on the disk).
        // A library folder itself (content/plans seen from content/) is reported as such by
        // `library_folder`.
        let library_folder = LOCATIONS.iter().any(|(d, ..)| root.join(d) == path);
        if entry.path_is_symlink() && library_folder {
            continue;
        }
        if entry.path_is_symlink() && (markdown || path.is_dir()) {
            let inside = path
                .canonicalize()
                .is_ok_and(|target| root.canonicalize().is_ok_and(|r| target.starts_with(r)));
            if !inside {
                diags.push(
                    Diagnostic::error(relative(root, path), Pos::default(), Key::LinkOutside)
                        .hint(Key::CopyInstead),
                );
                continue;
            }
        }
        if !markdown {
            continue;
        }
        // The directory listing says what an entry is; only a link needs a look at its target.
        let is_file = if entry.path_is_symlink() {
            path.is_file()
        } else {
            entry.file_type().is_file()
        };
        if is_file {
            out.push((relative(root, path), kind));
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.starts_with('~') || name.ends_with('~') || name.starts_with("#")
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Read, split and parse one file, unless `before` is the same file parsed with the same
/// configuration.
fn read_file(
    root: &Path,
    rel: &Path,
    kind: Kind,
    config: &Config,
    fingerprint: &Arc<str>,
    before: Option<&Parsed>,
) -> Parsed {
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).ok();
    let stamp = (
        meta.as_ref().map_or(0, |m| m.len()),
        meta.and_then(|m| m.modified().ok()),
    );
    if let Some(before) = before.filter(|b| b.stamp == stamp && b.config == *fingerprint) {
        return before.clone();
    }
    let mut diags = Diagnostics::default();
    let doc = match stamp.0 > MAX_FILE_BYTES {
        true => {
            diags.push(
                Diagnostic::error(
                    rel,
                    Pos::default(),
                    msg!(FileTooBig, mib = stamp.0 / (1024 * 1024)),
                )
                .hint(Key::SplitFile),
            );
            None
        }
        false => read_and_parse(&path, rel, kind, config, &mut diags),
    };
    Parsed {
        stamp,
        config: Arc::clone(fingerprint),
        doc,
        diags,
    }
}

fn read_and_parse(
    path: &Path,
    rel: &Path,
    kind: Kind,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<Doc> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                rel,
                Pos::default(),
                msg!(CannotRead, reason = Message::io(&e)),
            ));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            diags.push(not_utf8(rel, e.as_bytes(), e.utf8_error()));
            return None;
        }
    };
    parse(rel, text, kind, config, diags)
}

/// The text of one record file parsed as a build parses it (what `import` checks the records
/// it writes with).
pub fn parse_record(
    rel: &Path,
    text: String,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<Arc<Record>> {
    match parse(rel, text, Kind::Record, config, diags)? {
        Doc::Record(r) => Some(r),
        _ => None,
    }
}

/// The library `loaded` with `text` as the record, plan or summary at `rel` (in place of the
/// file there, if any): what the browser form checks a document with before writing it. The
/// text's own problems go to `diags`; none when it cannot be read as that kind of document.
pub fn with_document(
    loaded: &Loaded,
    rel: &Path,
    text: String,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let kind = LOCATIONS
        .iter()
        .find(|(dir, ..)| {
            rel.parent() == Some(Path::new(dir)) || (*dir == "cases" && rel.starts_with(dir))
        })
        .map(|(_, kind, _)| *kind)
        .filter(|k| matches!(k, Kind::Record | Kind::Plan | Kind::Summary))?;
    let doc = parse(rel, text, kind, config, diags)?;
    let mut out = Loaded {
        records: loaded
            .records
            .iter()
            .filter(|d| d.origin.path != rel)
            .cloned()
            .collect(),
        plans: loaded
            .plans
            .iter()
            .filter(|d| d.origin.path != rel)
            .cloned()
            .collect(),
        summaries: loaded
            .summaries
            .iter()
            .filter(|d| d.origin.path != rel)
            .cloned()
            .collect(),
        templates: loaded.templates.clone(),
        pages: loaded.pages.clone(),
    };
    match doc {
        Doc::Record(r) => out.records.push(r),
        Doc::Plan(p) => out.plans.push(p),
        Doc::Summary(s) => out.summaries.push(s),
        Doc::Template(_) | Doc::Page(_) => return None,
    }
    Some(out)
}

/// Split and parse the text of one file (no I/O: what the property tests drive).
fn parse(
    rel: &Path,
    text: String,
    kind: Kind,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<Doc> {
    let src = SourceText::new(rel, text);
    let split = match frontmatter::split(&src) {
        Ok(s) => s,
        Err(d) => {
            diags.push(*d);
            return None;
        }
    };
    let spec: &'static [FieldSpec] = match kind {
        Kind::Record => record::FIELDS,
        Kind::Plan => plan::FIELDS,
        Kind::Summary => summary::FIELDS,
        Kind::Template => template::FIELDS,
        Kind::Page => page::FIELDS,
    };
    let table = match DeTable::parse(split.toml) {
        Ok(t) => t,
        Err(e) => {
            for d in toml_errors(&src, split.toml_offset, split.toml, &e, spec) {
                diags.push(d);
            }
            return None;
        }
    };
    let body = Body {
        markdown: split.body.to_owned(),
        line: split.body_line,
        headings: crate::text::markdown::headings(split.body),
    };
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if matches!(kind, Kind::Page | Kind::Template) && !crate::names::valid_name(&stem) {
        diags.push(Diagnostic::error(rel, Pos::default(), Key::BadPageName).hint(Key::RenamePage));
        return None;
    }
    let mut positions = Positions::default();
    let mut f = Fields::new(
        &src,
        split.toml_offset,
        &table,
        spec,
        config.timezone,
        diags,
        &mut positions,
    );
    // The origin is filled in with the positions once every field has been read.
    let placeholder = || Origin {
        path: rel.to_path_buf(),
        positions: Positions::default(),
    };
    let doc = match kind {
        Kind::Record => Record::read(&mut f, config, placeholder(), body)
            .map(Arc::new)
            .map(Doc::Record),
        Kind::Plan => Plan::read(&mut f, config, placeholder(), body)
            .map(Arc::new)
            .map(Doc::Plan),
        Kind::Summary => Summary::read(&mut f, config, placeholder(), body)
            .map(Arc::new)
            .map(Doc::Summary),
        Kind::Template => {
            let raw = src.text.clone();
            Template::read(&mut f, stem, raw, placeholder(), body)
                .map(Arc::new)
                .map(Doc::Template)
        }
        Kind::Page => Page::read(&mut f, config, stem, placeholder(), body)
            .map(Arc::new)
            .map(Doc::Page),
    };
    f.finish();
    let mut doc = doc?;
    let origin = match &mut doc {
        Doc::Record(d) => &mut Arc::make_mut(d).origin,
        Doc::Plan(d) => &mut Arc::make_mut(d).origin,
        Doc::Summary(d) => &mut Arc::make_mut(d).origin,
        Doc::Template(d) => &mut Arc::make_mut(d).origin,
        Doc::Page(d) => &mut Arc::make_mut(d).origin,
    };
    origin.positions = positions;
    // A placeholder left in a template or a draft is what they are for; anywhere else it
    // would be published as if it were the text.
    let draft = match &doc {
        Doc::Record(d) => d.visibility.draft,
        Doc::Plan(d) => d.visibility.draft,
        Doc::Summary(d) => d.visibility.draft,
        Doc::Page(d) => d.visibility.draft,
        Doc::Template(_) => true,
    };
    if !draft {
        placeholders_left(&src, split.body_line, split.body, diags);
    }
    if let Doc::Record(r) = &doc {
        // The narrowest audience is the one personal data may go to; anything wider is warned.
        let narrowest = config.audiences.len().saturating_sub(1);
        if config.audience_rank(&r.visibility.audience) < narrowest {
            super::personal::warn(r, config, &src, diags);
        }
    }
    Some(doc)
}

/// Warn about each line of `body` (starting on line `first`) that holds a placeholder in its
/// text (inline code, where the format reference shows one, is not text).
fn placeholders_left(src: &SourceText, first: usize, body: &str, diags: &mut Diagnostics) {
    for (offset, placeholder) in crate::text::markdown::placeholders(body) {
        let before = body.get(..offset).unwrap_or_default();
        let line = first + before.matches('\n').count();
        let col = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        diags.push(
            Diagnostic::warning(
                &src.path,
                Pos { line, col },
                msg!(PlaceholderInBody, placeholder = placeholder),
            )
            .hint(Key::ReplacePlaceholderText)
            .with_source(src, placeholder.chars().count()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Front matter made of the real field names with values of every TOML shape (and some
    /// broken ones), then a body of Markdown and HTML fragments.
    fn document() -> impl Strategy<Value = String> {
        let keys = prop::sample::select(
            record::FIELDS
                .iter()
                .chain(plan::FIELDS)
                .map(|(k, _)| *k)
                .collect::<Vec<_>>(),
        );
        let values = prop::sample::select(vec![
            r#""问题类""#,
            r#""""#,
            "1",
            "-1",
            "18446744073709551616",
            "true",
            "2024-03-12T08:30:00",
            "2024-03-12",
            "2024-13-45T99:99:99",
            r#"["a", "b"]"#,
            "[]",
            r#"[1, "x"]"#,
            "{ a = 1 }",
            r#""\u0001""#,
            r#""<script>""#,
            "'''多行'''",
            r#""未闭合"#,
            "= =",
            "[[",
            r#""YQ-2024-0001""#,
        ]);
        let line = prop_oneof![
            (keys, values).prop_map(|(k, v)| format!("{k} = {v}")),
            Just("[[timeline]]".to_owned()),
            Just("[[documents]]".to_owned()),
            "\\PC{0,20}",
        ];
        let body = prop::collection::vec(
            prop_oneof![
                Just("## 事件概况".to_owned()),
                Just("<script>alert(1)</script>".to_owned()),
                Just("[x](javascript:alert(1))".to_owned()),
                Just("> > > > > > 引用".to_owned()),
                Just("| a | b |\n|---|---|\n| 1 |".to_owned()),
                Just("[^1]\n\n[^1]: 注".to_owned()),
                Just("```\n代码".to_owned()),
                Just("+++".to_owned()),
                "\\PC{0,40}",
            ],
            0..12,
        );
        (prop::collection::vec(line, 0..14), body, any::<bool>()).prop_map(
            |(lines, body, closed)| {
                let mut s = String::from("+++\n");
                for l in lines {
                    s.push_str(&l);
                    s.push('\n');
                }
                if closed {
                    s.push_str("+++\n");
                }
                s.push_str(&body.join("\n\n"));
                s
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever a clerk writes, parsing ends in a document or in diagnostics (never a
        /// panic), and the body renders to HTML without script.
        #[test]
        fn any_document_parses_or_is_explained(text in document(), kind in 0..3usize) {
            let kind = [Kind::Record, Kind::Plan, Kind::Summary][kind];
            let config = Config::default();
            let mut diags = Diagnostics::default();
            let doc = parse(Path::new("cases/x.md"), text.clone(), kind, &config, &mut diags);
            prop_assert!(doc.is_some() || diags.has_errors());
            let body = match doc {
                Some(Doc::Record(r)) => r.body.markdown.clone(),
                Some(Doc::Plan(p)) => p.body.markdown.clone(),
                Some(Doc::Summary(s)) => s.body.markdown.clone(),
                _ => text,
            };
            let html = crate::text::markdown::to_html(&body);
            prop_assert!(!html.to_ascii_lowercase().contains("<script"));
            let _ = crate::text::markdown::plain_text(&body);
            let _ = crate::text::analyzer::terms(&body);
        }
    }
}
