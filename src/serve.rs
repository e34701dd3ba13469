//! `casebook serve`: the clerk's writing loop. The site is rendered in memory and served on
//! localhost; a watcher rebuilds it when a library file changes, and every open page reloads.
//! While the library has errors the last good site stays up and the errors are shown in an
//! overlay on the open page (and in the terminal); the fix clears them.
//!
//! Nothing is written to the output folder: `serve` cannot damage the published site.
//!
//! Live reload is a long poll (`/_casebook/status?since=N` answers when the build version moves
//! past N), which needs no WebSocket and works through any proxy.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use rayon::prelude::*;
use serde::Serialize;
use tiny_http::{Header, Request, Response, Server};

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::render::pages::{Page, Site};
use crate::{BuildOptions, Failure, Prepared};

/// Where pages find the live-reload script and status.
const LIVE_PREFIX: &str = "/_casebook/";
const LIVE_SCRIPT: &str = include_str!("serve/live.js");
/// How long a status request waits for a new build before answering anyway.
const LONG_POLL: Duration = Duration::from_secs(20);
/// Changes closer together than this are one rebuild (editors write several events per save).
const SETTLE: Duration = Duration::from_millis(25);

/// The library files whose changes matter (relative to the library root).
const WATCHED: &[&str] = &[
    "cases",
    "content",
    "templates",
    "theme",
    crate::config::CONFIG_FILE,
];

pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: String,
    pub port: u16,
    /// Poll the file system instead of waiting for events (network shares).
    pub poll: bool,
}

/// One diagnostic as the overlay shows it.
#[derive(Debug, Clone, Serialize)]
struct Problem {
    file: String,
    line: usize,
    col: usize,
    message: String,
    hint: Option<String>,
}

/// What is being served, and the problems of the latest build attempt.
#[derive(Default)]
struct State {
    /// Bumped by every build attempt, good or bad: open pages compare it.
    version: u64,
    /// Files of the last good site made so far: URL path (no leading slash) → bytes. The
    /// theme's assets are here from the start; pages are added as they are first asked for.
    files: Files,
    /// What the last good site is made from.
    source: Option<Arc<Source>>,
    /// Errors of the latest attempt; empty when it succeeded.
    errors: Vec<Problem>,
    /// Whether one page of each kind rendered with the current templates, theme and
    /// configuration: then a change to records alone need not render them again.
    templates_checked: bool,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// Files of the site by path.
type Files = HashMap<String, Arc<Vec<u8>>>;

/// The last good build, from which pages are rendered when they are first asked for: a
/// rebuild only loads and derives, so an edit is visible as soon as its page is rendered.
struct Source {
    site: Prepared,
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
                Err(e) => diags.push(crate::render_failure(&e)),
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(files)
        }
    }

    /// The file at `path` (`dir/` meaning `dir/index.html`), made now, with its path.
    fn make(&self, path: &str) -> Option<(String, Result<Vec<u8>, String>)> {
        let index = format!("{path}/index.html");
        for candidate in [path, index.as_str()] {
            if let Some(page) = self.route(candidate) {
                let made = self
                    .renderer()
                    .render(candidate, page)
                    .map(|f| f.bytes)
                    .map_err(|e| crate::render_failure(&e).to_string());
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
                None,
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

/// Build, serve, watch; returns only on a setup error (the address is taken, the watcher fails).
pub fn serve(opts: &ServeOptions, on_ready: impl FnOnce(&str)) -> Result<(), String> {
    crate::memo::enable();
    crate::content::load::watched(&opts.build.root);
    let shared: Shared = Arc::default();
    let mut terminal = Terminal::default();
    rebuild(&opts.build, &shared, &mut terminal, Touched::Anything);

    let addr = format!("{}:{}", opts.bind, opts.port);
    let server = Server::http(&addr)
        .map_err(|e| format!("cannot listen on {addr}: {e} (choose another --port)"))?;
    let url = match server.server_addr().to_ip() {
        Some(a) => format!("http://{a}/"),
        None => format!("http://{addr}/"),
    };
    let (tx, rx) = channel();
    let mut watcher: Box<dyn Watcher> = if opts.poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
        Box::new(
            notify::PollWatcher::new(tx, config)
                .map_err(|e| format!("cannot watch the library: {e}"))?,
        )
    } else {
        Box::new(
            notify::recommended_watcher(tx)
                .map_err(|e| format!("cannot watch the library: {e} (try --poll)"))?,
        )
    };
    watcher
        .watch(&opts.build.root, RecursiveMode::Recursive)
        .map_err(|e| {
            format!(
                "cannot watch {}: {e} (try --poll)",
                opts.build.root.display()
            )
        })?;
    on_ready(&url);

    let server = Arc::new(server);
    for _ in 0..4 {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                let shared = Arc::clone(&shared);
                // Long polls block their thread, so each request gets its own.
                std::thread::spawn(move || respond(request, &shared));
            }
        });
    }
    watch_loop(&opts.build, &rx, &shared, &mut terminal);
    Ok(())
}

/// Wait for relevant changes, let them settle, rebuild; until the watcher goes away.
fn watch_loop(
    opts: &BuildOptions,
    rx: &Receiver<notify::Result<notify::Event>>,
    shared: &Shared,
    terminal: &mut Terminal,
) {
    let root = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let out = std::path::absolute(opts.out_dir()).unwrap_or_else(|_| opts.out_dir());
    let relevant = |event: &notify::Result<notify::Event>| match event {
        // Reading files (our own rebuild among them) is reported as access: not a change.
        Ok(e) if e.kind.is_access() => false,
        Ok(e) => e.paths.iter().any(|p| matters(&root, &out, p)),
        Err(_) => true,
    };
    let touched = |event: &notify::Result<notify::Event>| match event {
        Ok(e) if e.paths.iter().all(|p| is_record(&root, p)) && !e.need_rescan() => {
            Touched::Records
        }
        _ => Touched::Anything,
    };
    // Tell the loader what changed, so that it looks again at those files only.
    let report = |event: &notify::Result<notify::Event>| match event {
        Ok(e) if !e.need_rescan() => {
            let content_only = matches!(
                e.kind,
                EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_))
            );
            for path in &e.paths {
                let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                match path.strip_prefix(&root) {
                    Ok(rel) => crate::content::load::changed(rel, content_only),
                    Err(_) => crate::content::load::rescan(),
                }
            }
        }
        _ => crate::content::load::rescan(),
    };
    while let Ok(event) = rx.recv() {
        if !relevant(&event) {
            continue;
        }
        report(&event);
        let mut what = touched(&event);
        loop {
            match rx.recv_timeout(SETTLE) {
                Ok(event) if relevant(&event) => {
                    report(&event);
                    what = what.and(touched(&event));
                }
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        rebuild(opts, shared, terminal, what);
    }
}

/// What a batch of changes touched.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Touched {
    /// Only files under `cases/`.
    Records,
    /// Templates, theme, configuration or pages may have changed too.
    Anything,
}

impl Touched {
    fn and(self, other: Touched) -> Touched {
        if self == Touched::Records {
            other
        } else {
            self
        }
    }
}

/// Whether `path` is under the library's `cases/` (a record, or a folder of them).
fn is_record(root: &Path, path: &Path) -> bool {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    path.strip_prefix(root)
        .is_ok_and(|rel| rel.starts_with("cases"))
}

/// Whether a changed path can change the site: inside one of [`WATCHED`], not hidden (editor
/// swap files, `.git`), not in the output folder.
fn matters(root: &Path, out: &Path, path: &Path) -> bool {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if path.starts_with(out) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().filter_map(|c| match c {
        Component::Normal(s) => Some(s.to_string_lossy()),
        _ => None,
    });
    let Some(first) = parts.next() else {
        return false;
    };
    let hidden = |s: &str| s.starts_with('.') || s.ends_with('~') || s.ends_with(".swp");
    WATCHED.contains(&first.as_ref()) && !hidden(&first) && parts.all(|p| !hidden(&p))
}

/// Load and derive the library; on success serve it, on failure keep the old site and record
/// the errors.
fn rebuild(opts: &BuildOptions, shared: &Shared, terminal: &mut Terminal, touched: Touched) {
    let started = Instant::now();
    let check_templates = {
        let mut state = lock(shared);
        if touched == Touched::Anything {
            state.templates_checked = false;
        }
        !state.templates_checked
    };
    let result = crate::prepare(opts).and_then(|mut site| {
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
    let report = match result {
        Ok((source, assets, pages)) => {
            state.files = assets
                .into_iter()
                .map(|f| (f.path, Arc::new(f.bytes)))
                .chain(pages)
                .collect();
            state.errors.clear();
            let source = Arc::new(source);
            state.source = Some(Arc::clone(&source));
            Ok(source)
        }
        Err(failure) => {
            let diags = match failure {
                Failure::Invalid(d) => d,
                Failure::Write(e) => {
                    let mut d = Diagnostics::default();
                    d.push(Diagnostic::error(".", Default::default(), e.to_string()));
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
                    message: d.message.clone(),
                    hint: d.hint.clone(),
                })
                .collect();
            Err(diags)
        }
    };
    drop(state);
    shared.1.notify_all();
    // The terminal is told after the open pages, which need not wait for it.
    match report {
        Ok(source) => {
            let new = terminal.show(&source.site.diagnostics);
            eprintln!(
                "rebuilt: {} records in {} ms; {} warnings, {new} new",
                source.site.lib.records.len(),
                started.elapsed().as_millis(),
                source.site.diagnostics.iter().count(),
            );
        }
        Err(diags) => {
            terminal.show(&diags);
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!("the library has {errors} errors; still serving the last good site");
        }
    }
}

/// What the terminal has been shown: each rebuild prints every error, but only the warnings
/// the previous one did not (a library may have hundreds, unchanged by one saved file).
#[derive(Default)]
struct Terminal {
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
                let key = d.headline();
                if self.warned.contains(&key) {
                    warned.insert(key);
                    continue;
                }
                warned.insert(key);
                new += 1;
            }
            eprintln!("{}\n", d.render(&renderer));
        }
        self.warned = warned;
        new
    }
}

/// What a request gets.
struct Reply {
    status: u16,
    mime: &'static str,
    body: Vec<u8>,
}

impl Reply {
    fn ok(mime: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            mime,
            body,
        }
    }
}

fn respond(request: Request, shared: &Shared) {
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let reply = match path.strip_prefix(LIVE_PREFIX) {
        Some("live.js") => Reply::ok(
            "text/javascript; charset=utf-8",
            LIVE_SCRIPT.as_bytes().to_vec(),
        ),
        Some("status") => status(shared, query),
        _ => page(shared, path),
    };
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    for (name, value) in [("Content-Type", reply.mime), ("Cache-Control", "no-store")] {
        if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, State> {
    match shared.0.lock() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// `{"version": N, "errors": [...]}`, once the version differs from `since` (or at once).
fn status(shared: &Shared, query: &str) -> Reply {
    let since: Option<u64> = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse().ok());
    let mut state = lock(shared);
    let deadline = Instant::now() + LONG_POLL;
    while since == Some(state.version) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = match shared.1.wait_timeout(state, left) {
            Ok((s, _)) => s,
            Err(poisoned) => poisoned.into_inner().0,
        };
    }
    let body = serde_json::json!({ "version": state.version, "errors": state.errors });
    Reply::ok("application/json", body.to_string().into_bytes())
}

/// A file of the last good site; HTML pages get the live-reload script.
fn page(shared: &Shared, path: &str) -> Reply {
    let rel = percent_decode(path.trim_start_matches('/'));
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel
    };
    let (found, source) = {
        let state = lock(shared);
        let found = match state.files.get(&rel) {
            Some(bytes) => Some((rel.clone(), Ok(Arc::clone(bytes)))),
            None => {
                let index = format!("{rel}/index.html");
                state.files.get(&index).map(|b| (index, Ok(Arc::clone(b))))
            }
        };
        (found, state.source.clone())
    };
    // A page is made the first time it is asked for after a build (outside the lock), then
    // kept with the rest of the site.
    let found = found.or_else(|| {
        let source = source?;
        let (name, made) = source.make(&rel)?;
        let made = made.map(Arc::new);
        if let Ok(bytes) = &made {
            let mut state = lock(shared);
            // Kept only if no rebuild has replaced the site meanwhile.
            if state
                .source
                .as_ref()
                .is_some_and(|s| Arc::ptr_eq(s, &source))
            {
                state.files.insert(name.clone(), Arc::clone(bytes));
            }
        }
        Some((name, made))
    });
    let script = format!("<script src=\"{LIVE_PREFIX}live.js\"></script></body>");
    match found {
        Some((name, Ok(bytes))) if name.ends_with(".html") => {
            let html = String::from_utf8_lossy(&bytes).replacen("</body>", &script, 1);
            Reply::ok("text/html; charset=utf-8", html.into_bytes())
        }
        Some((name, Ok(bytes))) => Reply::ok(mime(&name), bytes.to_vec()),
        Some((_, Err(why))) => Reply {
            status: 500,
            mime: "text/plain; charset=utf-8",
            body: why.into_bytes(),
        },
        None => {
            let why = if [crate::export::CSV_PATH, crate::export::SQLITE_PATH]
                .contains(&rel.as_str())
            {
                "预览时不生成导出文件（CSV、SQLite），运行 casebook build 后可在发布的站点下载。"
            } else {
                "没有这个页面。如果刚修改了资料，请先改正错误。"
            };
            Reply {
                status: 404,
                mime: "text/html; charset=utf-8",
                body: format!(
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>未找到</title></head><body><p>{why}</p>{script}</html>"
                )
                .into_bytes(),
            }
        }
    }
}

fn mime(path: &str) -> &'static str {
    match Path::new(path).extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("csv") => "text/csv; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%E6%A1%88` → 案; malformed escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
