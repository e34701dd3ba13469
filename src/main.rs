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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            now,
            audience,
        } => {
            let opts = BuildOptions {
                root,
                out,
                drafts,
                now,
                audience,
            };
            build(&opts)
        }
    }
}

fn build(opts: &BuildOptions) -> ExitCode {
    match casebook::build(opts) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics);
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
        Err(Failure::Invalid(diags)) => {
            print_diagnostics(&diags);
            eprintln!(
                "build failed: {} errors, {} warnings; the previous site was left as it was",
                diags.count(Severity::Error),
                diags.count(Severity::Warning)
            );
            ExitCode::from(1)
        }
        Err(e @ Failure::Write(_)) => {
            eprintln!("error: {e}");
            eprintln!("build failed; the previous site was left as it was");
            ExitCode::from(1)
        }
    }
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
