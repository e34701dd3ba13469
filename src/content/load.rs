//! Walking a library folder and reading every document in it, in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::de::DeTable;
use walkdir::WalkDir;

use super::fields::{FieldSpec, Fields, Positions};
use super::frontmatter;
use super::page::{self, Page};
use super::plan::{self, Plan};
use super::record::{self, Record};
use super::summary::{self, Summary};
use super::template::{self, Template};
use super::{Body, Origin};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Pos, SourceText};

/// Largest document read (10 MiB): a bigger file is surely a mistake (a pasted export, a
/// binary), and refusing it keeps one bad file from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Everything the library holds, as read, before the cross-document checks.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<Record>,
    pub plans: Vec<Plan>,
    pub summaries: Vec<Summary>,
    pub templates: Vec<Template>,
    pub pages: Vec<Page>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Record,
    Plan,
    Summary,
    Template,
    Page,
}

enum Doc {
    Record(Record),
    Plan(Plan),
    Summary(Summary),
    Template(Template),
    Page(Page),
}

/// Where each kind of document lives, relative to the library root.
const LOCATIONS: &[(&str, Kind, bool)] = &[
    ("cases", Kind::Record, true),
    ("content/plans", Kind::Plan, false),
    ("content/summaries", Kind::Summary, false),
    ("content/plan-templates", Kind::Template, false),
    ("content", Kind::Page, false),
];

/// Read every document of the library under `root`.
pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Loaded {
    let mut files = Vec::new();
    for (dir, kind, recursive) in LOCATIONS {
        collect(root, Path::new(dir), *kind, *recursive, &mut files, diags);
    }
    let results: Vec<(Option<Doc>, Diagnostics)> = files
        .par_iter()
        .map(|(rel, kind)| {
            let mut d = Diagnostics::default();
            let doc = read_file(root, rel, *kind, config, &mut d);
            (doc, d)
        })
        .collect();
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

/// Markdown files in `dir` (and below, if `recursive`), skipping hidden and editor temp files.
fn collect(
    root: &Path,
    dir: &Path,
    kind: Kind,
    recursive: bool,
    out: &mut Vec<(PathBuf, Kind)>,
    diags: &mut Diagnostics,
) {
    let base = root.join(dir);
    if !base.is_dir() {
        return;
    }
    let walker = WalkDir::new(&base)
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
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let rel = relative(root, path);
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if root.canonicalize().is_ok_and(|r| target.starts_with(r)) => {}
                _ => {
                    diags.push(
                        Diagnostic::error(
                            rel,
                            Pos::default(),
                            "this file is a link to somewhere outside the library",
                        )
                        .hint("copy the file into the library instead of linking to it"),
                    );
                    continue;
                }
            }
        }
        if path.is_file() {
            out.push((rel, kind));
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

/// Read, split and parse one file; problems go to `diags`.
fn read_file(
    root: &Path,
    rel: &Path,
    kind: Kind,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<Doc> {
    let path = root.join(rel);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        diags.push(
            Diagnostic::error(
                rel,
                Pos::default(),
                format!(
                    "file is {} MiB, over the 10 MiB limit",
                    size / (1024 * 1024)
                ),
            )
            .hint("split it up, or move attachments out of the Markdown"),
        );
        return None;
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                rel,
                Pos::default(),
                format!("cannot read the file: {e}"),
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
    let src = SourceText::new(rel, text);
    let split = match frontmatter::split(&src) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
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
            diags.push(toml_error(&src, split.toml_offset, &e, spec));
            return None;
        }
    };
    let body = Body {
        markdown: split.body.to_owned(),
        line: split.body_line,
    };
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if matches!(kind, Kind::Page | Kind::Template) && !super::valid_name(&stem) {
        diags.push(
            Diagnostic::error(rel, Pos::default(), "this file name cannot be used as a page name")
                .hint("rename the file using letters (Chinese is fine), digits, `-` and `_` only, not a name Windows reserves (CON, NUL, COM1 …), e.g. 工作制度.md or about.md"),
        );
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
        Kind::Record => Record::read(&mut f, config, placeholder(), body).map(Doc::Record),
        Kind::Plan => Plan::read(&mut f, config, placeholder(), body).map(Doc::Plan),
        Kind::Summary => Summary::read(&mut f, config, placeholder(), body).map(Doc::Summary),
        Kind::Template => {
            let raw = src.text.clone();
            Template::read(&mut f, stem, raw, placeholder(), body).map(Doc::Template)
        }
        Kind::Page => Page::read(&mut f, config, stem, placeholder(), body).map(Doc::Page),
    };
    f.finish();
    let mut doc = doc?;
    let origin = match &mut doc {
        Doc::Record(d) => &mut d.origin,
        Doc::Plan(d) => &mut d.origin,
        Doc::Summary(d) => &mut d.origin,
        Doc::Template(d) => &mut d.origin,
        Doc::Page(d) => &mut d.origin,
    };
    origin.positions = positions;
    Some(doc)
}

/// "not UTF-8" with the line of the first bad byte.
pub fn not_utf8(rel: &Path, bytes: &[u8], err: std::str::Utf8Error) -> Diagnostic {
    let good = &bytes[..err.valid_up_to()];
    let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
    Diagnostic::error(rel, Pos { line, col }, "the file is not UTF-8 text").hint(
        "save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8; GBK/GB2312 files must be converted)",
    )
}

/// A TOML syntax error at its place in the file.
pub fn toml_error(
    src: &SourceText,
    offset: usize,
    e: &toml::de::Error,
    spec: &[FieldSpec],
) -> Diagnostic {
    let span = e.span().unwrap_or(0..1);
    let range = offset + span.start..offset + span.end;
    let message = e.message().trim().to_owned();
    // A Chinese field name (事件名称 = …) is a syntax error in TOML; say which field was meant.
    let written = src.text.get(range.clone()).unwrap_or("").trim();
    let hint = if !written.is_ascii() && spec.iter().any(|(_, label)| *label == written) {
        super::fields::suggest(written, spec)
    } else {
        "strings need double quotes (title = \"…\"), lists square brackets (tags = [\"a\", \"b\"]), times no quotes (2024-03-12T08:30:00)".to_owned()
    };
    src.error_at(range, format!("front matter is not valid TOML: {message}"))
        .hint(hint)
}
