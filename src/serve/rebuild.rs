//! What `serve` serves — the last good site, its pages rendered when first asked for — and
//! the rebuild that replaces it when the library changes.

use crate::messages::Lang;
use crate::msg;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::render::pages::{Page, Site};
use crate::{BuildOptions, Failure, Incremental, Prepared};

/// One diagnostic as the overlay shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    file: String,
    line: usize,
    col: usize,
    message: String,
    hint: Option<String>,
}

/// What is being served, and the problems of the latest build attempt.
#[derive(Default)]
pub struct State {
    /// Bumped by every build attempt, good or bad: open pages compare it.
    pub version: u64,
    /// Files of the last good site made so far: URL path (no leading slash) → bytes. The
    /// theme's assets are here from the start; pages are added as they are first asked for.
    pub files: Files,
    /// What the last good site is made from.
    pub source: Option<Arc<Source>>,
    /// Errors of the latest attempt; empty when it succeeded.
    pub errors: Vec<Problem>,
    /// Whether one page of each kind rendered with the current templates, theme and
    /// configuration: then a change to records alone need not render them again.
    templates_checked: bool,
}

pub type Shared = Arc<(Mutex<State>, Condvar)>;

/// Files of the site by path.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// The last good build, from which pages are rendered when they are first asked for: a
/// rebuild only loads and derives, so an edit is visible as soon as its page is rendered.
pub struct Source {
    /// The prepared library (its warnings are the rebuild's).
    pub site: Prepared,
    /// Every page of the site by path, listed when a page other than a record's is first
    /// asked for.
    routes: OnceLock<HashMap<String, Page>>,
    /// The browser's search index, made when a search first needs it.
    search: OnceLock<Files>,
}

impl Source {
    fn new(site: Prepared) -> Source {
        Source {
            site,
            routes: OnceLock::new(),
            search: OnceLock::new(),
        }
    }

    /// The page at `path`, if the site has one there.
    fn route(&self, path: &str) -> Option<Page> {
        let renderer = self.renderer();
        renderer.record_page(path).or_else(|| {
            let routes = self
                .routes
                .get_or_init(|| renderer.pages().into_iter().collect());
            routes.get(path).copied()
        })
    }

    /// The record, plan or summary file behind the page at `path`, for its 编辑 link.
    pub fn document_file(&self, path: &str) -> Option<&std::path::Path> {
        let lib = &self.site.lib;
        let origin = match self.route(path)? {
            Page::Record(i) => &lib.records.get(i)?.origin,
            Page::Plan(i) => &lib.plans.get(i)?.origin,
            Page::Summary(i) => &lib.summaries.get(i)?.origin,
            _ => return None,
        };
        Some(origin.path.as_path())
    }

    fn renderer(&self) -> Site<'_> {
        Site::new(&self.site.tera, &self.site.lib, &self.site.derived)
    }

    /// One page of each kind, rendered at once: a template that fails at run time (an
    /// unknown variable, a filter given the wrong type) is an error of the rebuild, shown in
    /// the overlay, rather than of the page a clerk happens to open later.
    fn first_of_each_kind(&self) -> Result<Files, Diagnostics> {
        let renderer = self.renderer();
        let mut kinds = Vec::new();
        let firsts: Vec<(String, Page)> = renderer
            .pages()
            .into_iter()
            // Files made without a template cannot fail this way.
            .filter(|(_, page)| !matches!(page, Page::CaseData | Page::TemplateDownload(_)))
            .filter(|(_, page)| {
                let kind = std::mem::discriminant(page);
                let first = !kinds.contains(&kind);
                if first {
                    kinds.push(kind);
                }
                first
            })
            .collect();
        let rendered: Vec<_> = firsts
            .par_iter()
            .map(|(path, page)| renderer.render(path, *page))
            .collect();
        let mut files = Files::new();
        let mut diags = Diagnostics::default();
        for r in rendered {
            match r {
                Ok(file) => {
                    files.insert(file.path, Arc::new(file.bytes));
                }
                Err(e) => diags.push(crate::pipeline::render_failure(&e)),
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(files)
        }
    }

    /// The file at `path` (`dir/` meaning `dir/index.html`), made now, with its path.
    pub fn make(&self, path: &str) -> Option<(String, Result<Vec<u8>, String>)> {
        let index = format!("{path}/index.html");
        for candidate in [path, index.as_str()] {
            if let Some(page) = self.route(candidate) {
                let made = self
                    .renderer()
                    .render(candidate, page)
                    .map(|f| f.bytes)
                    .map_err(|e| crate::pipeline::render_failure(&e).to_string());
                return Some((candidate.to_owned(), made));
            }
        }
        let in_index = path
            .strip_prefix(crate::search::static_index::DIR)
            .is_some_and(|rest| rest.starts_with('/'));
        if !in_index {
            return None;
        }
        let search = self.search.get_or_init(|| {
            let files = std::sync::Mutex::new(Vec::new());
            crate::search::static_index::write(
                &crate::search::documents(&self.site.lib),
                Default::default(),
                &|made| {
                    let mut files = files.lock().unwrap_or_else(|p| p.into_inner());
                    files.extend(made.into_iter().map(|f| (f.path, Arc::new(f.bytes))));
                },
            );
            files
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .into_iter()
                .collect()
        });
        let bytes = search.get(path)?;
        Some((path.to_owned(), Ok(bytes.to_vec())))
    }
}

/// What `serve` keeps from one rebuild to the next: the work of unchanged files, and what
/// the terminal has been shown.
pub struct Rebuilds {
    incremental: Incremental,
    terminal: Terminal,
}

impl Rebuilds {
    pub fn new(lang: Lang) -> Self {
        Rebuilds {
            incremental: Incremental::remembering(),
            terminal: Terminal {
                lang,
                warned: HashSet::new(),
            },
        }
    }
}

impl Rebuilds {
    /// Load and derive the library; on success serve it, on failure keep the old site and
    /// record the errors.
    pub fn run(&mut self, opts: &BuildOptions, shared: &Shared, touched: Touched) {
        rebuild(opts, shared, &mut self.terminal, touched, &self.incremental);
    }
}

fn rebuild(
    opts: &BuildOptions,
    shared: &Shared,
    terminal: &mut Terminal,
    touched: Touched,
    incremental: &Incremental,
) {
    let started = Instant::now();
    let check_templates = {
        let mut state = lock(shared);
        if touched == Touched::Anything {
            state.templates_checked = false;
        }
        !state.templates_checked
    };
    let result = crate::prepare(opts, incremental).and_then(|mut site| {
        let assets = crate::render::site::assets(&opts.root, &mut site.diagnostics);
        let source = Source::new(site);
        if !check_templates {
            return Ok((source, assets, Files::new()));
        }
        match source.first_of_each_kind() {
            Ok(pages) => Ok((source, assets, pages)),
            Err(d) => Err(Failure::Invalid(d)),
        }
    });
    let mut state = lock(shared);
    state.version += 1;
    state.templates_checked = result.is_ok();
    // The site replaced, freed once the lock is let go and the open pages are told: freeing
    // a library takes milliseconds that no page need wait for.
    let mut replaced = None;
    let report = match result {
        Ok((source, assets, pages)) => {
            let files = assets
                .into_iter()
                .map(|f| (f.path, Arc::new(f.bytes)))
                .chain(pages)
                .collect();
            state.errors.clear();
            let source = Arc::new(source);
            replaced = Some((
                std::mem::replace(&mut state.files, files),
                state.source.replace(Arc::clone(&source)),
            ));
            // Every record page lists similar cases: find them now, while the open page is
            // told of the rebuild and asks for itself again.
            let early = Arc::clone(&source);
            rayon::spawn(move || {
                early.site.derived.similar(&early.site.lib);
            });
            Ok(source)
        }
        Err(failure) => {
            let diags = match failure {
                Failure::Invalid(d) => d,
                Failure::Write(e) => {
                    let mut d = Diagnostics::default();
                    d.push(Diagnostic::error(".", Default::default(), e.message()));
                    d
                }
            };
            state.errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| Problem {
                    file: d.file.display().to_string(),
                    line: d.pos.line,
                    col: d.pos.col,
                    message: d.message.render(terminal.lang),
                    hint: d.hint.as_ref().map(|h| h.render(terminal.lang)),
                })
                .collect();
            Err(diags)
        }
    };
    drop(state);
    shared.1.notify_all();
    drop(replaced);
    // The terminal is told after the open pages, which need not wait for it.
    match report {
        Ok(source) => {
            let new = terminal.show(&source.site.diagnostics);
            let line = msg!(
                Rebuilt,
                records = source.site.lib.records.len(),
                ms = started.elapsed().as_millis() as u64,
                warnings = source.site.diagnostics.iter().count(),
                new = new
            );
            eprintln!("{}", line.render(terminal.lang));
        }
        Err(diags) => {
            terminal.show(&diags);
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!(
                "{}",
                msg!(StillServing, errors = errors).render(terminal.lang)
            );
        }
    }
}

/// What the terminal has been shown: each rebuild prints every error, but only the warnings
/// the previous one did not (a library may have hundreds, unchanged by one saved file).
struct Terminal {
    lang: Lang,
    warned: HashSet<String>,
}

impl Terminal {
    /// Print the problems the clerk needs to see; returns how many warnings are new.
    fn show(&mut self, diags: &Diagnostics) -> usize {
        let renderer = annotate_snippets::Renderer::plain();
        let mut warned = HashSet::new();
        let mut new = 0;
        for d in diags.iter() {
            let error = d.severity == Severity::Error;
            if !error {
                let key = d.headline(self.lang);
                if self.warned.contains(&key) {
                    warned.insert(key);
                    continue;
                }
                warned.insert(key);
                new += 1;
            }
            eprintln!("{}\n", d.render(&renderer, self.lang));
        }
        self.warned = warned;
        new
    }
}

/// The served state, even if a thread panicked holding it.
pub fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, State> {
    match shared.0.lock() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// What a batch of changes touched.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Touched {
    /// Only files under `cases/`.
    Records,
    /// Templates, theme, configuration or pages may have changed too.
    Anything,
}

impl Touched {
    pub fn and(self, other: Touched) -> Touched {
        if self == Touched::Records {
            other
        } else {
            self
        }
    }
}
