//! The `casebook` command line: parses arguments, calls the library, maps results to exit codes
//! (0 success, 1 problems in the library or the output, 2 usage).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use annotate_snippets::Renderer;

use casebook::diag::{Diagnostics, Severity};
use casebook::messages::{Key, Lang, Message};
use casebook::{msg, BuildOptions, Failure};

mod cli;
use cli::{Command, Format, NewKind};

/// A build allocates and frees millions of small strings and values across threads (Tera
/// contexts, page text, index terms); mimalloc's thread-local heaps spend far less time on
/// that than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turn transparent huge pages off for this process: mimalloc asks for them on its arenas,
/// and the kernel then faults in and zeroes 2 MB at a time wherever a thread's heap first
/// touches a page, which raises a large build's peak memory. Where the kernel
/// does not know the setting nothing changes.
fn small_pages_only() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    small_pages_only();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = Lang::detect(&args, |k| std::env::var(k).ok());
    let cli = match cli::parse(args, lang) {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code as u8),
    };
    let say = Say { lang };
    match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            now,
            audience,
            verbose,
            quiet,
        } => {
            let opts = BuildOptions {
                out,
                drafts,
                now,
                audience,
                ..BuildOptions::new(root)
            };
            build(say, &opts, verbose, quiet)
        }
        Command::Serve {
            root,
            port,
            bind,
            poll,
            drafts,
            audience,
            allow_edit,
        } => {
            let opts = casebook::serve::ServeOptions {
                build: BuildOptions {
                    drafts,
                    audience,
                    ..BuildOptions::new(root)
                },
                bind,
                port,
                poll,
                lang,
                allow_edit,
            };
            // The address alone on standard output, for scripts; the sentence for the clerk.
            let ready = |url: &str, key: Option<&str>| {
                print_out(&format!("{url}\n"));
                say.line(msg!(Serving, url = url));
                match key {
                    Some(key) => say.line(msg!(EditWithKey, url = url, key = key)),
                    None => say.line(msg!(EditHere, url = url)),
                }
            };
            match casebook::serve::serve(&opts, ready) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => say.failed(e),
            }
        }
        Command::Init { dir } => match casebook::scaffold::init(&dir) {
            Ok(files) => {
                for f in &files {
                    say.line(msg!(Wrote, path = f.display()));
                }
                say.line(msg!(LibraryReady, dir = dir.display()));
                ExitCode::SUCCESS
            }
            Err(e) => say.failed(e.message()),
        },
        Command::Check {
            root,
            format,
            strict,
            now,
        } => check(
            say,
            &BuildOptions {
                now,
                ..BuildOptions::new(root)
            },
            format,
            strict,
        ),
        Command::Search {
            query,
            kind,
            category,
            department,
            year,
            limit,
            json,
            root,
            site,
        } => {
            let site = site.unwrap_or_else(|| root.join("public"));
            let filters = casebook::search::engine::Filters {
                kind,
                category,
                department,
                year,
            };
            search(say, &site, &query, &filters, limit, json)
        }
        Command::Report {
            id,
            out,
            root,
            audience,
            drafts,
            now,
        } => {
            let opts = BuildOptions {
                audience,
                drafts,
                now,
                ..BuildOptions::new(root)
            };
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{id}.docx")));
            report(say, &opts, &id, &out)
        }
        Command::Import {
            files,
            sheet,
            dry_run,
            update,
            root,
        } => import(
            say,
            &root,
            &casebook::import::Options {
                files,
                sheets: sheet,
                dry_run,
                update,
            },
        ),
        Command::New {
            kind: NewKind::Summary { period, root, now },
        } => {
            let opts = BuildOptions {
                now,
                ..BuildOptions::new(root)
            };
            new_summary(say, &opts, &period)
        }
        Command::New {
            kind:
                NewKind::Case {
                    title,
                    category,
                    department,
                    template,
                    root,
                    now,
                },
        } => {
            let args = casebook::scaffold::NewCase {
                title,
                category,
                department,
                template,
            };
            new_document(say, &root, now.as_deref(), |lib, config, now| {
                casebook::scaffold::new_case(&root, config, lib, now, &args)
            })
        }
        Command::New {
            kind:
                NewKind::Plan {
                    template,
                    id,
                    title,
                    root,
                    now,
                },
        } => {
            let args = casebook::scaffold::NewPlan {
                id,
                title,
                template,
            };
            new_document(say, &root, now.as_deref(), |lib, _, now| {
                casebook::scaffold::new_plan(&root, lib, now, &args)
            })
        }
    }
}

/// How the command speaks to the person running it: every line on standard error is a
/// sentence of the catalog in the run's language.
#[derive(Clone, Copy)]
struct Say {
    lang: Lang,
}

impl Say {
    fn line(self, message: Message) {
        eprintln!("{}", message.render(self.lang));
    }

    /// `错误：…`, and exit 1.
    fn failed(self, message: Message) -> ExitCode {
        eprintln!(
            "{}：{}",
            Key::ErrorWord.text(self.lang),
            message.render(self.lang)
        );
        ExitCode::from(1)
    }

    fn diagnostics(self, diags: &Diagnostics) {
        let renderer = if std::io::stderr().is_terminal() {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        for d in diags.iter() {
            eprintln!("{}\n", d.render(&renderer, self.lang));
        }
    }

    /// Why a command could not go ahead, and what was (not) done about it.
    fn failure(self, failure: Failure, outcome: Key) -> ExitCode {
        match failure {
            Failure::Invalid(diags) => {
                self.diagnostics(&diags);
                self.line(msg!(
                    Failed,
                    errors = diags.count(Severity::Error),
                    warnings = diags.count(Severity::Warning),
                    outcome = outcome
                ));
            }
            Failure::Write(e) => {
                self.line(msg!(FailedWrite, reason = e.message(), outcome = outcome));
            }
        }
        ExitCode::from(1)
    }
}

/// Read the library as it is (errors and all: a clerk may add a record to a library that does
/// not build yet) and write one new document with `make`.
fn new_document(
    say: Say,
    root: &std::path::Path,
    now: Option<&str>,
    make: impl FnOnce(
        &casebook::Loaded,
        &casebook::Config,
        chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<PathBuf, casebook::scaffold::NewError>,
) -> ExitCode {
    let (config, loaded) = casebook::scaffold::read_library(root);
    let now = match now {
        None => chrono::Utc::now().with_timezone(&config.timezone),
        Some(s) => match casebook::parse_now(s, config.timezone) {
            Some(t) => t,
            None => {
                say.failed(msg!(NotADateWriteLike, value = s));
                return ExitCode::from(2);
            }
        },
    };
    match make(&loaded, &config, now) {
        Ok(path) => {
            say.line(msg!(Wrote, path = path.display()));
            print_out(&format!("{}\n", path.display()));
            ExitCode::SUCCESS
        }
        Err(e) => say.failed(e.message()),
    }
}

/// Exit 0 when clean (warnings allowed unless `strict`), 1 when there are errors.
fn check(say: Say, opts: &BuildOptions, format: Format, strict: bool) -> ExitCode {
    // A build killed mid-swap leaves the published site aside: put it back.
    casebook::repair(&opts.out_dir());
    let diags = match casebook::load_library(opts, &Default::default()) {
        Ok((_, diags)) | Err(Failure::Invalid(diags)) => diags.sorted(),
        Err(Failure::Write(e)) => return say.failed(e.message()),
    };
    let errors = diags.count(Severity::Error);
    let warnings = diags.count(Severity::Warning);
    match format {
        Format::Json => {
            let report = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diags.iter().map(|d| d.to_json(say.lang)).collect::<Vec<_>>(),
            });
            print_out(&format!("{report:#}\n"));
        }
        Format::Text => {
            say.diagnostics(&diags);
            say.line(msg!(Checked, errors = errors, warnings = warnings));
        }
    }
    if errors > 0 || (strict && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn search(
    say: Say,
    site: &std::path::Path,
    query: &str,
    filters: &casebook::search::engine::Filters,
    limit: usize,
    json: bool,
) -> ExitCode {
    let hits = match casebook::search::engine::search(site, query, filters, limit) {
        Ok(h) => h,
        Err(e) => {
            return say.failed(msg!(
                CannotSearch,
                site = site.display(),
                reason = e.to_string()
            ))
        }
    };
    if json {
        match serde_json::to_string_pretty(&hits) {
            Ok(s) => print_out(&format!("{s}\n")),
            Err(e) => return say.failed(msg!(IoOther, detail = e.to_string())),
        }
    } else if hits.is_empty() {
        say.line(msg!(NoMatches, query = query));
    } else {
        for (i, h) in hits.iter().enumerate() {
            // A record shows its category and department; another document its type.
            let facts: Vec<&str> = [h.kind.as_str(), &h.category, &h.department, &h.date]
                .into_iter()
                .filter(|f| !f.is_empty() && *f != "事件")
                .collect();
            print_out(&format!(
                "{:>2}. {} {}（{}）\n    {}\n",
                i + 1,
                h.id,
                h.title,
                facts.join(" · "),
                h.snippet
            ));
        }
    }
    ExitCode::SUCCESS
}

fn new_summary(say: Say, opts: &BuildOptions, period: &str) -> ExitCode {
    let (lib, derived, diags) = match casebook::derive_library(opts, &Default::default()) {
        Ok(x) => x,
        Err(e) => return say.failure(e, Key::NothingWritten),
    };
    say.diagnostics(&diags);
    match casebook::scaffold::new_summary(&opts.root, &lib, &derived, period) {
        Ok(path) => {
            say.line(msg!(WroteDraft, path = path.display()));
            ExitCode::SUCCESS
        }
        Err(e) => say.failed(e.message()),
    }
}

fn build(say: Say, opts: &BuildOptions, verbose: bool, quiet: bool) -> ExitCode {
    let bar = ProgressBar::new(!quiet, say.lang);
    let result = casebook::build_with_progress(opts, &|done, stage| bar.show(done, stage));
    bar.clear();
    let report = match result {
        Ok(report) => report,
        Err(e) => return say.failure(e, Key::PreviousSiteKept),
    };
    say.diagnostics(&report.diagnostics);
    if quiet {
        return ExitCode::SUCCESS;
    }
    if verbose {
        for (stage, t) in &report.stages {
            eprintln!("{:>8.3}s  {}", t.as_secs_f64(), stage.text(say.lang));
        }
    }
    let mut line = msg!(
        Built,
        records = report.records,
        plans = report.plans,
        summaries = report.summaries,
        audience = &report.audience,
        files = report.files,
        out = report.out.display(),
        seconds = format!("{:.2}", report.elapsed.as_secs_f64())
    );
    if report.withheld > 0 {
        line = msg!(AndWithheld, line = line, n = report.withheld);
    }
    let warnings = report.diagnostics.count(Severity::Warning);
    if warnings > 0 {
        line = msg!(AndWarnings, line = line, n = warnings);
    }
    say.line(line);
    ExitCode::SUCCESS
}

/// A one-line bar of the build's stages, drawn on a terminal only (never into a pipe or a CI
/// log, where it would be noise).
struct ProgressBar {
    enabled: bool,
    lang: Lang,
}

impl ProgressBar {
    const WIDTH: usize = 24;

    fn new(wanted: bool, lang: Lang) -> ProgressBar {
        let enabled = wanted && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        ProgressBar { enabled, lang }
    }

    /// `done` stages have finished, the latest being `stage`.
    fn show(&self, done: usize, stage: Key) {
        if !self.enabled {
            return;
        }
        let total = casebook::STAGES.len();
        let filled = Self::WIDTH * done.min(total) / total;
        eprint!(
            "\r\x1b[2K[{}{}] {}/{} {}",
            "#".repeat(filled),
            " ".repeat(Self::WIDTH - filled),
            done.min(total),
            total,
            msg!(StageDone, stage = stage).render(self.lang)
        );
    }

    fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}

/// Write results to standard output; a closed pipe (`| head`) is not an error worth a panic.
fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn import(say: Say, root: &std::path::Path, options: &casebook::import::Options) -> ExitCode {
    let report = casebook::import::run(root, options);
    for (at, message) in &report.problems {
        eprintln!("{at}: {}", message.render(say.lang));
    }
    let (write, update) = match options.dry_run {
        true => (Key::WouldWrite, Key::WouldUpdate),
        false => (Key::Writes, Key::Updates),
    };
    for (path, title) in &report.written {
        print_out(&format!(
            "{} {}  {title}\n",
            write.text(say.lang),
            path.display()
        ));
    }
    for path in &report.updated {
        print_out(&format!("{} {}\n", update.text(say.lang), path.display()));
    }
    let mut line = msg!(
        Imported,
        how = if options.dry_run {
            Key::ImportTried
        } else {
            Key::ImportDone
        },
        written = report.written.len(),
        updated = report.updated.len(),
        present = report.present,
        skipped = report.skipped
    );
    if !report.problems.is_empty() {
        line = msg!(AndProblems, line = line, n = report.problems.len());
    }
    say.line(line);
    match report.problems.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    }
}

fn report(say: Say, opts: &BuildOptions, id: &str, out: &std::path::Path) -> ExitCode {
    match casebook::report(opts, id) {
        Ok(bytes) => match std::fs::write(out, bytes) {
            Ok(()) => {
                say.line(msg!(WroteReport, path = out.display()));
                ExitCode::SUCCESS
            }
            Err(e) => say.failed(msg!(
                CannotWriteDocument,
                path = out.display(),
                reason = Message::io(&e)
            )),
        },
        Err(failure) => say.failure(failure, Key::NothingWritten),
    }
}
