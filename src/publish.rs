//! A build: the prepared library rendered into pages, search indexes and exports, written
//! into a new folder and swapped in place of the published site ([`crate::output`]).

use crate::messages::Key;
use crate::msg;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::model::Library;
use crate::pipeline::{prepare, render_failure, BuildOptions, Failure, Incremental, Prepared};
use crate::{derive, export, output, render, search};

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
pub const STAGES: [Key; 7] = [
    Key::StageLoad,
    Key::StagePages,
    Key::StageBrowserIndex,
    Key::StageTantivy,
    Key::StageExports,
    Key::StageWorkbook,
    Key::StagePublish,
];

/// How long each stage took, in the order of [`STAGES`].
pub type StageTimes = Vec<(Key, Duration)>;

/// Told each time a stage finishes: how many have finished, and which one it was. The command
/// line draws a progress bar from it.
pub type Progress<'a> = &'a (dyn Fn(usize, Key) + Sync);

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
        // The Excel ledger has a 统计 sheet, so it waits for the statistics.
        let workbook = scope.spawn(|| workbook(&site.lib, &site.derived, &out, &watch));
        let pages = pages(opts, &site, &search_docs, &out, &watch);
        let joined = [engine, exports, workbook].map(|thread| {
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
                    msg!(SearchIndexFailed, reason = e.to_string()),
                )
                .hint(Key::CheckDisk),
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
                    msg!(SqliteFailed, reason = e.to_string()),
                )
                .hint(Key::CheckDiskOrReport),
            );
        }
    });
    diags
}

/// `data/cases.xlsx`, once the statistics are derived. Its failure is an error, not a panic.
fn workbook(
    lib: &Library,
    derived: &derive::Derived,
    out: &Emitter,
    watch: &Stopwatch,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    watch.time(5, || {
        match export::xlsx::write(lib, derived.stats(lib), &derived.responses, derived.now) {
            Ok(bytes) => out.put(vec![render::SiteFile {
                path: export::XLSX_PATH.into(),
                bytes,
            }]),
            Err(e) => diags.push(
                Diagnostic::error(
                    export::XLSX_PATH,
                    Pos::default(),
                    msg!(XlsxFailed, reason = e.to_string()),
                )
                .hint(Key::ReportBug),
            ),
        }
    });
    diags
}

/// `casebook report ID`: the record's 舆情专报 as a Word file, made as the site makes it for
/// the build's audience (a record that audience may not see is not found).
pub fn report(opts: &BuildOptions, id: &str) -> Result<Vec<u8>, Failure> {
    let site = prepare(opts, &Incremental::default())?;
    let Some(index) = site.lib.record_index(id) else {
        let mut diags = site.diagnostics;
        diags.push(
            Diagnostic::error("cases", Pos::default(), msg!(NoSuchRecord, id = id))
                .hint(msg!(CheckRecordId, audience = &site.lib.audience)),
        );
        return Err(Failure::Invalid(diags));
    };
    let pages = render::pages::Site::new(&site.tera, &site.lib, &site.derived);
    let path = render::views::urls::report(id);
    match pages.render(&path, render::pages::Page::ReportDocx(index)) {
        Ok(file) => Ok(file.bytes),
        Err(e) => {
            let mut diags = site.diagnostics;
            diags.push(render_failure(&e));
            Err(Failure::Invalid(diags))
        }
    }
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
    Ok(report)
}
