//! casebook: a folder of Markdown incident records (网络舆情台账), contingency plans and period
//! summaries compiled into a static intranet site.
//!
//! The pipeline runs one way: [`content`] loads files into typed documents, [`check`] applies
//! the rules that span documents, [`model`] assembles the immutable [`model::Library`] this build
//! publishes, [`derive`] computes facts from it, [`render`] turns both into pages and [`output`]
//! swaps the finished site into place.

pub mod check;
pub mod config;
pub mod content;
pub mod derive;
pub mod diag;
pub mod export;
pub mod lint;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use config::Config;
use diag::{Diagnostic, Diagnostics, Pos};
use model::{Library, Selection};

/// What `casebook build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The library folder.
    pub root: PathBuf,
    /// Where the site goes; default `<root>/public`.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// The moment overdue and review dates are judged against; default: the build time.
    /// Written as a TOML datetime or date; without an offset it is in the site's timezone.
    pub now: Option<String>,
    /// Audience to publish for; default `build_audience` from the configuration.
    pub audience: Option<String>,
    /// The search indexes to write (see [`search::Indexes`]).
    pub search: search::Indexes,
    /// How the browser's index is cut into files. The default suits every library size; tests
    /// make the files tiny so that a small library has every kind of index file.
    pub search_files: search::static_index::Layout,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            now: None,
            audience: None,
            search: search::Indexes::ALL,
            search_files: Default::default(),
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub records: usize,
    pub plans: usize,
    pub summaries: usize,
    pub files: usize,
    pub withheld: usize,
    pub audience: String,
    pub out: PathBuf,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    pub elapsed: Duration,
    /// Time per stage, in order (`--verbose` prints them).
    pub stages: StageTimes,
}

/// The stages of a build: what `--verbose` times and the progress bar counts. The tantivy
/// index and the exports are made alongside the pages and the browser index (they read the
/// same library and write other files), so two stages run at once.
pub const STAGES: [&str; 6] = [
    "load, check, derive",
    "render pages",
    "browser search index",
    "tantivy index",
    "exports",
    "publish",
];

/// How long each stage took, in the order of [`STAGES`].
pub type StageTimes = Vec<(&'static str, Duration)>;

/// Told each time a stage finishes: how many have finished, and which one it was. The command
/// line draws a progress bar from it.
pub type Progress<'a> = &'a (dyn Fn(usize, &'static str) + Sync);

/// Times the stages of a build, which may run on several threads, and reports each one's end.
struct Stopwatch<'a> {
    laps: std::sync::Mutex<Vec<(usize, Duration)>>,
    progress: Progress<'a>,
}

impl<'a> Stopwatch<'a> {
    fn new(progress: Progress<'a>) -> Self {
        Stopwatch {
            laps: std::sync::Mutex::new(Vec::new()),
            progress,
        }
    }

    /// Run stage `stage` (an index into [`STAGES`]) and record how long it took.
    fn time<T>(&self, stage: usize, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        self.lap(stage, started);
        result
    }

    /// Record that stage `stage`, begun at `started`, has finished.
    fn lap(&self, stage: usize, started: Instant) {
        let done = {
            let mut laps = self.laps.lock().unwrap_or_else(|p| p.into_inner());
            laps.push((stage, started.elapsed()));
            laps.len()
        };
        (self.progress)(done, STAGES[stage]);
    }

    fn laps(self) -> StageTimes {
        let mut laps = self.laps.into_inner().unwrap_or_else(|p| p.into_inner());
        laps.sort_by_key(|(stage, _)| *stage);
        laps.into_iter().map(|(s, t)| (STAGES[s], t)).collect()
    }
}

/// Why a build did not publish.
#[derive(Debug)]
pub enum Failure {
    /// The library has errors (warnings may be among the diagnostics too).
    Invalid(Diagnostics),
    /// Writing the output failed; the previous site is untouched.
    Write(output::WriteError),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Invalid(d) => {
                for diag in d.iter() {
                    writeln!(f, "{diag}")?;
                }
                Ok(())
            }
            Failure::Write(e) => write!(f, "{e}"),
        }
    }
}

/// What `serve` keeps from one rebuild to the next, so that an edit redoes only the work of
/// the files it changed: each file's parsed document and each record's words (cutting the
/// records with jieba is a build's costliest step after the indexes). A build, `check` and
/// the other commands start from an empty one.
#[derive(Default)]
pub struct Incremental {
    pub parsed: content::load::ParsedFiles,
    pub words: std::sync::Arc<derive::related::WordCounts>,
}

/// load → check → model: the library this build publishes, or every error found.
pub fn load_library(
    opts: &BuildOptions,
    parsed: &content::load::ParsedFiles,
) -> Result<(Library, Diagnostics), Failure> {
    let mut diags = Diagnostics::default();
    if !opts.root.is_dir() {
        diags.push(
            Diagnostic::error(
                &opts.root,
                Pos::default(),
                "the library folder does not exist",
            )
            .hint("pass the folder that holds cases/ and content/ with --root"),
        );
        return Err(Failure::Invalid(diags));
    }
    let config = Config::load(&opts.root, &mut diags);
    let loaded = content::load::load(&opts.root, &config, parsed, &mut diags);
    check::check(&loaded, &mut diags);
    match resolve_now(opts, config.timezone) {
        Ok(now) => lint::lint(&opts.root, &loaded, &config, now, &mut diags),
        Err(d) => diags.push(*d),
    }
    let audience = opts
        .audience
        .clone()
        .unwrap_or_else(|| config.build_audience.clone());
    if !config.audiences.contains(&audience) {
        diags.push(
            Diagnostic::error(
                config::CONFIG_FILE,
                Pos::default(),
                format!("unknown audience `{audience}`"),
            )
            .hint(format!("use one of: {}", config.audiences.join(", "))),
        );
    }
    if diags.has_errors() {
        return Err(Failure::Invalid(
            diags.sorted().with_source_lines(&opts.root),
        ));
    }
    let selection = Selection {
        audience: &audience,
        drafts: opts.drafts,
    };
    Ok((
        Library::assemble(config, loaded, &selection),
        diags.sorted().with_source_lines(&opts.root),
    ))
}

/// Parse `--now`: a TOML datetime (offset optional) or a date (meaning its start).
pub fn parse_now(s: &str, tz: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let mut dt: toml::value::Datetime = s.trim().parse().ok()?;
    if dt.time.is_none() {
        dt.time = Some(toml::value::Time {
            hour: 0,
            minute: 0,
            second: Some(0),
            nanosecond: None,
        });
    }
    content::fields::to_datetime(&dt, tz).ok()
}

/// `--now`, or the current time, in the site's timezone. (The error is boxed: a diagnostic is
/// large.)
fn resolve_now(
    opts: &BuildOptions,
    tz: FixedOffset,
) -> Result<DateTime<FixedOffset>, Box<Diagnostic>> {
    match &opts.now {
        None => Ok(chrono::Utc::now().with_timezone(&tz)),
        Some(s) => parse_now(s, tz).ok_or_else(|| {
            Box::new(
                Diagnostic::error(
                    "--now",
                    Pos::default(),
                    format!("`{s}` is not a date or datetime"),
                )
                .hint("write it like 2024-03-31T18:00:00 or 2024-03-31"),
            )
        }),
    }
}

/// The library with its derived facts as of `--now`: what `build` renders and `new summary`
/// pre-fills from.
pub fn derive_library(
    opts: &BuildOptions,
    incremental: &Incremental,
) -> Result<(Library, derive::Derived, Diagnostics), Failure> {
    let (lib, diags) = load_library(opts, &incremental.parsed)?;
    // load_library has already refused a `--now` that does not parse.
    let now = resolve_now(opts, lib.config.timezone)
        .unwrap_or_else(|_| chrono::Utc::now().with_timezone(&lib.config.timezone));
    let derived = derive::derive(&lib, now, std::sync::Arc::clone(&incremental.words));
    Ok((lib, derived, diags))
}

/// Hands files to the new site from any thread, keeping the first write error (after which
/// files are dropped: the build has failed and its folder will be removed).
struct Emitter<'a> {
    sink: &'a output::Staging,
    error: std::sync::Mutex<Option<output::WriteError>>,
}

impl Emitter<'_> {
    fn put(&self, files: Vec<render::SiteFile>) {
        if self.lock().is_some() {
            return;
        }
        if let Err(e) = self.sink.write(&files) {
            self.lock().get_or_insert(e);
        }
    }

    /// Where a writer may make the site file `path` itself; None once writing has failed.
    fn place(&self, path: &str) -> Option<PathBuf> {
        self.placed(self.sink.place(path))
    }

    /// Where a writer may make the files of the site folder `path` itself; None once writing
    /// has failed.
    fn place_folder(&self, path: &str) -> Option<PathBuf> {
        self.placed(self.sink.place_folder(path))
    }

    fn placed(&self, target: Result<PathBuf, output::WriteError>) -> Option<PathBuf> {
        if self.lock().is_some() {
            return None;
        }
        match target {
            Ok(target) => Some(target),
            Err(e) => {
                self.lock().get_or_insert(e);
                None
            }
        }
    }

    fn check(&self) -> Result<(), Failure> {
        self.lock()
            .take()
            .map_or(Ok(()), |e| Err(Failure::Write(e)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<output::WriteError>> {
        self.error
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What every page is rendered from: the library this build publishes, its derived facts and
/// the templates. `serve` keeps it to render pages when they are asked for.
pub struct Prepared {
    pub lib: Library,
    pub derived: derive::Derived,
    pub tera: std::sync::Arc<tera::Tera>,
    /// Warnings (a prepared library has no errors).
    pub diagnostics: Diagnostics,
}

/// load → check → derive, and the templates: everything before the first page. The
/// templates are parsed while the library loads (neither needs the other): on their own they
/// kept a core waiting.
pub fn prepare(opts: &BuildOptions, incremental: &Incremental) -> Result<Prepared, Failure> {
    let (library, (templates, template_diagnostics)) = rayon::join(
        || derive_library(opts, incremental),
        || {
            let mut diagnostics = Diagnostics::default();
            let templates = render::site::templates(&opts.root, &mut diagnostics);
            (templates, diagnostics)
        },
    );
    let (lib, derived, mut diagnostics) = library?;
    diagnostics.extend(template_diagnostics);
    match templates {
        Some(templates) => Ok(Prepared {
            lib,
            derived,
            tera: templates,
            diagnostics,
        }),
        None => Err(Failure::Invalid(diagnostics)),
    }
}

/// A template that failed to render, as an error of the library (its templates/ may override
/// the built-in ones).
pub fn render_failure(e: &render::pages::RenderError) -> Diagnostic {
    Diagnostic::error(
        Path::new("templates"),
        Pos::default(),
        format!("rendering {} failed: {}", e.page, e.message),
    )
    .hint("check the template named above (a library's templates/ override the built-in ones)")
}

/// prepare → render → search indexes → exports, into a new site folder beside the output
/// (made by `open_sink` once the library has proved valid, so a library with errors touches
/// nothing). Files are written stage by stage, so the whole site is never in memory at once.
/// The similar cases and statistics, then the pages beside the browser index, are made on
/// this thread (with rayon's) while the tantivy index and the exports are made on threads of
/// their own, started as soon as the library is known valid: in a first build the tantivy
/// index takes longest.
fn render_site(
    opts: &BuildOptions,
    progress: Progress,
    open_sink: impl FnOnce() -> Result<output::Staging, output::WriteError>,
) -> Result<(output::Staging, Prepared, StageTimes), Failure> {
    let watch = Stopwatch::new(progress);
    let started = Instant::now();
    let mut site = prepare(opts, &Incremental::default())?;
    let sink = open_sink().map_err(Failure::Write)?;
    let out = Emitter {
        sink: &sink,
        error: std::sync::Mutex::new(None),
    };
    let search_docs = match opts.search.any() {
        true => search::documents(&site.lib),
        false => Vec::new(),
    };
    let (pages, downloads) = std::thread::scope(|scope| {
        // Started before the similar cases and statistics are derived: a first build's
        // tantivy index is its longest stage, and needs only the documents. The exports need
        // only what is derived already, and have a thread of their own: after the index, on
        // its thread, they were a first build's last seconds, with the other core idle.
        let engine = scope.spawn(|| engine_index(opts, &search_docs, &out, &watch));
        let exports = scope.spawn(|| exports(&site.lib, &site.derived, &out, &watch));
        site.derived.complete(&site.lib);
        watch.lap(0, started);
        let pages = pages(opts, &site, &search_docs, &out, &watch);
        let joined = [engine, exports].map(|thread| {
            thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (pages, joined)
    });
    site.diagnostics.extend(pages);
    for diags in downloads {
        site.diagnostics.extend(diags);
    }
    out.check()?;
    if site.diagnostics.has_errors() {
        return Err(Failure::Invalid(site.diagnostics));
    }
    Ok((sink, site, watch.laps()))
}

/// The pages, the theme's assets and the browser's search index, side by side: each has
/// parts that keep one core only (the index joins its pieces' lists and writes its files in
/// turn), which the other's work fills. A template that fails to render is an error among
/// the diagnostics (the index made beside it is then thrown away with the build's folder).
fn pages(
    opts: &BuildOptions,
    site: &Prepared,
    search_docs: &[search::SearchDoc],
    out: &Emitter,
    watch: &Stopwatch,
) -> Diagnostics {
    let pages = || {
        let mut diags = Diagnostics::default();
        watch.time(1, || {
            let rendered =
                render::pages::render_all(&site.tera, &site.lib, &site.derived, &|pages| {
                    out.put(pages)
                });
            if let Err(e) = rendered {
                diags.push(render_failure(&e));
            }
            out.put(render::site::assets(&opts.root, &mut diags));
        });
        diags
    };
    let index = || {
        watch.time(2, || {
            if opts.search.browser {
                search::static_index::write(search_docs, opts.search_files, &|files| {
                    out.put(files)
                });
            }
        })
    };
    rayon::join(index, pages).1
}

/// The tantivy index behind `casebook search`. Its failure is an error (the site would lack
/// it), not a panic.
fn engine_index(
    opts: &BuildOptions,
    search_docs: &[search::SearchDoc],
    out: &Emitter,
    watch: &Stopwatch,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    watch.time(3, || {
        if !opts.search.engine {
            return;
        }
        let Some(dir) = out.place_folder(search::engine::INDEX_DIR) else {
            return;
        };
        match search::engine::write(search_docs, &dir) {
            Ok(files) => out.sink.made(files),
            Err(e) => diags.push(
                Diagnostic::error(
                    search::engine::INDEX_DIR,
                    Pos::default(),
                    format!("building the search index failed: {e}"),
                )
                .hint("check that the output folder's disk has room and is writable"),
            ),
        }
    });
    diags
}

/// The CSV and SQLite exports. Their failures are errors (the site would lack them), not
/// panics.
fn exports(
    lib: &Library,
    derived: &derive::Derived,
    out: &Emitter,
    watch: &Stopwatch,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    watch.time(4, || {
        out.put(vec![render::SiteFile {
            path: export::CSV_PATH.into(),
            bytes: export::csv::write(lib, &derived.responses),
        }]);
        let Some(path) = out.place(export::SQLITE_PATH) else {
            return;
        };
        if let Err(e) = export::sqlite::write(lib, derived, &path) {
            diags.push(
                Diagnostic::error(
                    export::SQLITE_PATH,
                    Pos::default(),
                    format!("writing the SQLite export failed: {e}"),
                )
                .hint("check that the output folder's disk has room and is writable; if it is, this is a bug in casebook: please report it with the library that triggers it"),
            );
        }
    });
    diags
}

/// The whole pipeline: build the library into its output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Failure> {
    build_with_progress(opts, &|_, _| {})
}

/// [`build`], reporting each stage as it starts.
pub fn build_with_progress(
    opts: &BuildOptions,
    progress: Progress,
) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let out = opts.out_dir();
    let (sink, mut site, mut stages) =
        render_site(opts, progress, || output::Staging::begin(&out, &opts.root))?;
    let publish_started = Instant::now();
    let files = sink.count();
    let out = sink.publish().map_err(Failure::Write)?;
    stages.push((STAGES[STAGES.len() - 1], publish_started.elapsed()));
    progress(STAGES.len(), STAGES[STAGES.len() - 1]);
    let report = BuildReport {
        records: site.lib.records.len(),
        plans: site.lib.plans.len(),
        summaries: site.lib.summaries.len(),
        files,
        withheld: site.lib.withheld,
        audience: site.lib.audience.clone(),
        out,
        diagnostics: std::mem::take(&mut site.diagnostics),
        elapsed: started.elapsed(),
        stages,
    };
    drop_aside(site);
    Ok(report)
}

/// Free `value` on a thread of its own. A build's library and what was derived of it are
/// hundreds of thousands of small allocations (a tenth of a second of one core at 10,000
/// records), freed when the site is already published: the command need not wait for it, and
/// when it exits first the memory goes back to the system whole.
fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
