//! The `casebook` command line: parses arguments, calls the library, maps results to exit codes
//! (0 success, 1 problems in the library or the output, 2 usage).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use annotate_snippets::Renderer;
use clap::{Parser, Subcommand};

use casebook::diag::{Diagnostics, Severity};
use casebook::{BuildOptions, Failure};

#[derive(Parser)]
#[command(
    name = "casebook",
    version,
    about = "Compile a folder of 网络舆情 incident records, plans and summaries into a static intranet site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the library into a static site (written to a temporary folder, swapped in on success).
    Build {
        /// The library folder (holding cases/, content/, casebook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include documents marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Judge overdue cases and review dates as of this time (e.g. 2024-03-31T18:00:00).
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
        /// Publish for this audience [default: build_audience in casebook.toml].
        #[arg(long)]
        audience: Option<String>,
        /// Also print how long each stage took.
        #[arg(long, short, conflicts_with = "quiet")]
        verbose: bool,
        /// Print only warnings and errors: no progress bar, no summary line.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Build the site in memory, serve it on localhost and rebuild it when a file changes; open
    /// pages reload by themselves and show the library's errors while it has any.
    Serve {
        /// The library folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on (127.0.0.1 keeps the site on this computer).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Look for changes every half second instead of waiting for the system to report them
        /// (for libraries on network shares).
        #[arg(long)]
        poll: bool,
        /// Include documents marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Serve for this audience [default: build_audience in casebook.toml].
        #[arg(long)]
        audience: Option<String>,
    },
    /// Create a new library: configuration and one example of each kind of document.
    Init {
        /// The folder to create it in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Validate the library without writing anything: every error and warning of a build.
    Check {
        /// The library folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the findings.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat warnings as errors (exit 1 when there are any).
        #[arg(long)]
        strict: bool,
        /// Judge review dates and late answers as of this time [default: now].
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
    /// Search the records of the last build (the index `casebook build` wrote with the site).
    Search {
        /// Words to find; every word must occur (Traditional or Simplified alike).
        query: String,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        year: Option<String>,
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// The library folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site [default: ROOT/public].
        #[arg(long)]
        site: Option<PathBuf>,
    },
    /// 导入 Excel 台账：每个数据行写成 cases/年份/编号.md 一条记录（已有记录不覆盖）。
    Import {
        /// 台账文件（.xlsx、.xls、.csv），可给多个。
        #[arg(required = true, value_name = "文件")]
        files: Vec<PathBuf>,
        /// 只导入这个工作表（可重复）[默认：全部工作表]。
        #[arg(long, value_name = "工作表")]
        sheet: Vec<String>,
        /// 只列出将写入的记录和所有问题，不写任何文件。
        #[arg(long)]
        dry_run: bool,
        /// 对已有的记录，用台账的值改写台账中有的字段（正文和其他字段保持不变）。
        #[arg(long)]
        update: bool,
        /// 案例库文件夹。
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 把一条记录写成舆情专报（Word 文件，公文格式）。
    Report {
        /// 记录编号，如 YQ-2024-0031。
        #[arg(value_name = "编号")]
        id: String,
        /// 写到这个文件 [默认：编号.docx，在当前文件夹]。
        #[arg(long, value_name = "文件")]
        out: Option<PathBuf>,
        /// 案例库文件夹。
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 按这个公开范围制作 [默认：casebook.toml 中的 build_audience]。
        #[arg(long)]
        audience: Option<String>,
        /// 包括草稿。
        #[arg(long)]
        drafts: bool,
        /// 回应是否逾期按这个时间判断 [默认：现在]。
        #[arg(long, value_name = "时间")]
        now: Option<String>,
    },
    /// Start a new document for editing; an existing file is never overwritten.
    New {
        #[command(subcommand)]
        kind: NewKind,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum NewKind {
    /// A record with the next free id of the year and the current time as discovered_at.
    Case {
        /// 事件名称.
        #[arg(long)]
        title: Option<String>,
        /// 舆情类别 (one of the library's categories) [default: the first].
        #[arg(long)]
        category: Option<String>,
        /// 责任单位.
        #[arg(long)]
        department: Option<String>,
        /// Start the body from this template of content/plan-templates/ [default: the first
        /// case template, or the usual sections].
        #[arg(long)]
        template: Option<String>,
        /// The library folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Use this time as discovered_at [default: now].
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
    /// A draft plan started from a plan template.
    Plan {
        /// Template name in content/plan-templates/ (file name without .md) [default: the first
        /// plan template, or the usual sections].
        #[arg(long)]
        template: Option<String>,
        /// 预案编号 [default: TEMPLATE-YEAR].
        #[arg(long)]
        id: Option<String>,
        /// 预案名称 [default: the template's title].
        #[arg(long)]
        title: Option<String>,
        /// The library folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Use this date as issued [default: today].
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
    /// A draft period summary pre-filled with the period's figures and key cases.
    Summary {
        /// The period: a month (2024-03), a quarter (2024-Q1) or a year (2024).
        period: String,
        /// The library folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Judge overdue cases as of this time [default: now].
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
}

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
    let cli = Cli::parse();
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
            build(&opts, verbose, quiet)
        }
        Command::Serve {
            root,
            port,
            bind,
            poll,
            drafts,
            audience,
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
            };
            let ready = |url: &str| {
                print_out(&format!("serving {url}\n"));
                eprintln!("watching the library for changes; press Ctrl+C to stop");
            };
            match casebook::serve::serve(&opts, ready) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Init { dir } => match casebook::scaffold::init(&dir) {
            Ok(files) => {
                for f in &files {
                    eprintln!("wrote {}", f.display());
                }
                eprintln!(
                    "a new library is ready in {}: run `casebook build --root {}`",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
        Command::Check {
            root,
            format,
            strict,
            now,
        } => check(
            &BuildOptions {
                now,
                ..BuildOptions::new(root)
            },
            format,
            strict,
        ),
        Command::Search {
            query,
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
                category,
                department,
                year,
            };
            search(&site, &query, &filters, limit, json)
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
            report(&opts, &id, &out)
        }
        Command::Import {
            files,
            sheet,
            dry_run,
            update,
            root,
        } => import(
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
            new_summary(&opts, &period)
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
            new_document(&root, now.as_deref(), |lib, config, now| {
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
            new_document(&root, now.as_deref(), |lib, _, now| {
                casebook::scaffold::new_plan(&root, lib, now, &args)
            })
        }
    }
}

/// Read the library as it is (errors and all: a clerk may add a record to a library that does
/// not build yet) and write one new document with `make`.
fn new_document(
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
                eprintln!(
                    "error: `{s}` is not a date or datetime; write it like 2024-03-31T18:00:00"
                );
                return ExitCode::from(2);
            }
        },
    };
    match make(&loaded, &config, now) {
        Ok(path) => {
            eprintln!("wrote {}", path.display());
            print_out(&format!("{}\n", path.display()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Exit 0 when clean (warnings allowed unless `strict`), 1 when there are errors.
fn check(opts: &BuildOptions, format: Format, strict: bool) -> ExitCode {
    // A build killed mid-swap leaves the published site aside: put it back.
    casebook::repair(&opts.out_dir());
    let diags = match casebook::load_library(opts, &Default::default()) {
        Ok((_, diags)) | Err(Failure::Invalid(diags)) => diags.sorted(),
        Err(e @ Failure::Write(_)) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let errors = diags.count(Severity::Error);
    let warnings = diags.count(Severity::Warning);
    match format {
        Format::Json => {
            let report = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diags.iter().collect::<Vec<_>>(),
            });
            print_out(&format!("{report:#}\n"));
        }
        Format::Text => {
            print_diagnostics(&diags);
            eprintln!("checked: {errors} errors, {warnings} warnings");
        }
    }
    if errors > 0 || (strict && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn search(
    site: &std::path::Path,
    query: &str,
    filters: &casebook::search::engine::Filters,
    limit: usize,
    json: bool,
) -> ExitCode {
    let hits = match casebook::search::engine::search(site, query, filters, limit) {
        Ok(h) => h,
        Err(e) => {
            eprintln!(
                "error: cannot search the site in {}: {e}\n(hint: run `casebook build` first, or pass the built site with --site)",
                site.display()
            );
            return ExitCode::from(1);
        }
    };
    if json {
        match serde_json::to_string_pretty(&hits) {
            Ok(s) => print_out(&format!("{s}\n")),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    } else if hits.is_empty() {
        eprintln!("no records match “{query}”");
    } else {
        for (i, h) in hits.iter().enumerate() {
            print_out(&format!(
                "{:>2}. {} {}（{} · {} · {}）\n    {}\n",
                i + 1,
                h.id,
                h.title,
                h.category,
                h.department,
                h.date,
                h.snippet
            ));
        }
    }
    ExitCode::SUCCESS
}

fn new_summary(opts: &BuildOptions, period: &str) -> ExitCode {
    let (lib, derived, diags) = match casebook::derive_library(opts, &Default::default()) {
        Ok(x) => x,
        Err(e) => return report_failure(e, "nothing was written"),
    };
    print_diagnostics(&diags);
    match casebook::scaffold::new_summary(&opts.root, &lib, &derived, period) {
        Ok(path) => {
            eprintln!(
                "wrote {} (a draft: remove `draft = true` when it is final)",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn build(opts: &BuildOptions, verbose: bool, quiet: bool) -> ExitCode {
    let bar = ProgressBar::new(!quiet);
    let result = casebook::build_with_progress(opts, &|done, stage| bar.show(done, stage));
    bar.clear();
    match result {
        Ok(report) => {
            print_diagnostics(&report.diagnostics);
            if quiet {
                return ExitCode::SUCCESS;
            }
            if verbose {
                for (stage, t) in &report.stages {
                    eprintln!("{:>8.3}s  {stage}", t.as_secs_f64());
                }
            }
            let mut line = format!(
                "built {} records, {} plans, {} summaries for audience `{}`: {} files in {} ({:.2}s)",
                report.records,
                report.plans,
                report.summaries,
                report.audience,
                report.files,
                report.out.display(),
                report.elapsed.as_secs_f64()
            );
            if report.withheld > 0 {
                line.push_str(&format!(
                    "; {} documents withheld from this audience",
                    report.withheld
                ));
            }
            let warnings = report.diagnostics.count(Severity::Warning);
            if warnings > 0 {
                line.push_str(&format!("; {warnings} warnings"));
            }
            eprintln!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => report_failure(e, "the previous site was left as it was"),
    }
}

/// A one-line bar of the build's stages, drawn on a terminal only (never into a pipe or a CI
/// log, where it would be noise).
struct ProgressBar {
    enabled: bool,
}

impl ProgressBar {
    const WIDTH: usize = 24;

    fn new(wanted: bool) -> ProgressBar {
        let enabled = wanted && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        ProgressBar { enabled }
    }

    /// `done` stages have finished, the latest being `stage`.
    fn show(&self, done: usize, stage: &str) {
        if !self.enabled {
            return;
        }
        let total = casebook::STAGES.len();
        let filled = Self::WIDTH * done.min(total) / total;
        eprint!(
            "\r\x1b[2K[{}{}] {}/{} {stage} done",
            "#".repeat(filled),
            " ".repeat(Self::WIDTH - filled),
            done.min(total),
            total
        );
    }

    fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}

/// Print why a command could not go ahead, and what was (not) done about it.
fn report_failure(failure: Failure, outcome: &str) -> ExitCode {
    match failure {
        Failure::Invalid(diags) => {
            print_diagnostics(&diags);
            eprintln!(
                "failed: {} errors, {} warnings; {outcome}",
                diags.count(Severity::Error),
                diags.count(Severity::Warning)
            );
        }
        e @ Failure::Write(_) => {
            eprintln!("error: {e}");
            eprintln!("failed; {outcome}");
        }
    }
    ExitCode::from(1)
}

/// Write results to standard output; a closed pipe (`| head`) is not an error worth a panic.
fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn print_diagnostics(diags: &Diagnostics) {
    let renderer = if std::io::stderr().is_terminal() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for d in diags.iter() {
        eprintln!("{}\n", d.render(&renderer));
    }
}

fn import(root: &std::path::Path, options: &casebook::import::Options) -> ExitCode {
    let report = casebook::import::run(root, options);
    for (at, message) in &report.problems {
        eprintln!("{at}: {message}");
    }
    let verb = if options.dry_run {
        "将写入"
    } else {
        "写入"
    };
    for (path, title) in &report.written {
        print_out(&format!("{verb} {}  {title}\n", path.display()));
    }
    let verb = if options.dry_run {
        "将更新"
    } else {
        "更新"
    };
    for path in &report.updated {
        print_out(&format!("{verb} {}\n", path.display()));
    }
    eprintln!(
        "{}：写入 {} 条，更新 {} 条，已存在 {} 条，跳过 {} 条{}",
        if options.dry_run {
            "试导入（未写任何文件）"
        } else {
            "导入完成"
        },
        report.written.len(),
        report.updated.len(),
        report.present,
        report.skipped,
        if report.problems.is_empty() {
            String::new()
        } else {
            format!("（{} 个问题见上）", report.problems.len())
        }
    );
    match report.problems.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    }
}

fn report(opts: &BuildOptions, id: &str, out: &std::path::Path) -> ExitCode {
    match casebook::report(opts, id) {
        Ok(bytes) => match std::fs::write(out, bytes) {
            Ok(()) => {
                eprintln!("已写入舆情专报 {}", out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "错误：无法写入 {}：{e}；请检查文件夹是否存在、文件是否正在 Word 中打开",
                    out.display()
                );
                ExitCode::from(1)
            }
        },
        Err(failure) => {
            eprint!("{failure}");
            ExitCode::from(1)
        }
    }
}
