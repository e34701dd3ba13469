//! What the command line accepts, and its help in the reader's language.
//!
//! The arguments are declared with clap's derive; their help texts are not doc comments but
//! sentences of the message catalog (`casebook::messages`), filled in by [`command`] for the
//! language of the run, so that `--help` is Chinese by default and English with `--lang en`.

use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};

use casebook::messages::{Key, Lang, Message};
use casebook::msg;

#[derive(Parser)]
#[command(name = "casebook", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Read by `Lang::detect` before parsing; declared so that clap accepts it anywhere.
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,
}

#[derive(Subcommand)]
pub enum Command {
    Build {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        drafts: bool,
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
        #[arg(long)]
        audience: Option<String>,
        #[arg(long, short, conflicts_with = "quiet")]
        verbose: bool,
        #[arg(long, short)]
        quiet: bool,
    },
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 8000)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long)]
        poll: bool,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        audience: Option<String>,
        #[arg(long)]
        allow_edit: bool,
    },
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long)]
        strict: bool,
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
    Search {
        query: String,
        #[arg(long = "type")]
        kind: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        year: Option<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        site: Option<PathBuf>,
    },
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long, value_name = "SHEET")]
        sheet: Vec<String>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        update: bool,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    Report {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        audience: Option<String>,
        #[arg(long)]
        drafts: bool,
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
    New {
        #[command(subcommand)]
        kind: NewKind,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
pub enum NewKind {
    Case {
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        template: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
    Plan {
        #[arg(long)]
        template: Option<String>,
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
    Summary {
        period: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
}

/// What a command does, by its path (`new case`).
fn about(path: &str) -> Option<Key> {
    Some(match path {
        "" => Key::HelpCasebook,
        "build" => Key::HelpBuild,
        "serve" => Key::HelpServe,
        "init" => Key::HelpInit,
        "check" => Key::HelpCheck,
        "search" => Key::HelpSearch,
        "import" => Key::HelpImport,
        "report" => Key::HelpReport,
        "new" => Key::HelpNew,
        "new case" => Key::HelpNewCase,
        "new plan" => Key::HelpNewPlan,
        "new summary" => Key::HelpNewSummary,
        _ => return None,
    })
}

/// What an option does, by command path and option id; options that mean the same in every
/// command (`--root`, `--drafts`) share a sentence.
fn arg_help(path: &str, id: &str) -> Option<Key> {
    Some(match (path, id) {
        (_, "lang") => Key::HelpLang,
        (_, "help") => Key::HelpHelp,
        (_, "version") => Key::HelpVersion,
        (_, "root") => Key::HelpRoot,
        (_, "drafts") => Key::HelpDrafts,
        ("build", "out") => Key::HelpBuildOut,
        ("build", "now") => Key::HelpBuildNow,
        ("build" | "report", "audience") => Key::HelpAudience,
        ("build", "verbose") => Key::HelpVerbose,
        ("build", "quiet") => Key::HelpQuiet,
        ("serve", "port") => Key::HelpPort,
        ("serve", "bind") => Key::HelpBind,
        ("serve", "poll") => Key::HelpPoll,
        ("serve", "audience") => Key::HelpServeAudience,
        ("serve", "allow_edit") => Key::HelpAllowEdit,
        ("init", "dir") => Key::HelpInitDir,
        ("check", "format") => Key::HelpFormat,
        ("check", "strict") => Key::HelpStrict,
        ("check", "now") => Key::HelpCheckNow,
        ("search", "query") => Key::HelpQuery,
        ("search", "category") => Key::HelpSearchCategory,
        ("search", "department") => Key::HelpSearchDepartment,
        ("search", "year") => Key::HelpSearchYear,
        ("search", "kind") => Key::HelpSearchKind,
        ("search", "limit") => Key::HelpLimit,
        ("search", "json") => Key::HelpJson,
        ("search", "site") => Key::HelpSite,
        ("import", "files") => Key::HelpImportFiles,
        ("import", "sheet") => Key::HelpSheet,
        ("import", "dry_run") => Key::HelpDryRun,
        ("import", "update") => Key::HelpUpdate,
        ("report", "id") => Key::HelpReportId,
        ("report", "out") => Key::HelpReportOut,
        ("report", "now") => Key::HelpReportNow,
        ("new case", "title") => Key::HelpCaseTitle,
        ("new case", "category") => Key::HelpCaseCategory,
        ("new case", "department") => Key::HelpCaseDepartment,
        ("new case", "template") => Key::HelpCaseTemplate,
        ("new case", "now") => Key::HelpCaseNow,
        ("new plan", "template") => Key::HelpPlanTemplate,
        ("new plan", "id") => Key::HelpPlanId,
        ("new plan", "title") => Key::HelpPlanTitle,
        ("new plan", "now") => Key::HelpPlanNow,
        ("new summary", "period") => Key::HelpPeriod,
        ("new summary", "now") => Key::HelpSummaryNow,
        _ => return None,
    })
}

/// What an option's value is, as its help shows it (`--root <文件夹>`).
fn value_name(path: &str, id: &str) -> Option<Key> {
    Some(match (path, id) {
        (_, "root" | "site" | "dir") | ("build", "out") => Key::ValueFolder,
        ("report", "out") | ("import", "files") => Key::ValueFile,
        (_, "now") => Key::ValueTime,
        (_, "audience") => Key::ValueAudience,
        (_, "query") => Key::ValueWords,
        (_, "category") => Key::ValueCategory,
        (_, "department") => Key::ValueDepartment,
        (_, "year") => Key::ValueYear,
        (_, "limit") => Key::ValueCount,
        (_, "sheet") => Key::ValueSheet,
        (_, "id") => Key::ValueId,
        (_, "title") => Key::ValueTitle,
        (_, "template") => Key::ValueTemplate,
        (_, "period") => Key::ValuePeriod,
        (_, "port") => Key::ValuePort,
        (_, "bind") => Key::ValueAddress,
        (_, "format") => Key::ValueFormat,
        _ => return None,
    })
}

/// The command line in `lang`: every about and help text from the catalog, clap's own
/// headings and flags replaced, defaults stated in the help text itself.
pub fn command(lang: Lang) -> clap::Command {
    localize(Cli::command(), "", lang)
}

fn localize(cmd: clap::Command, path: &str, lang: Lang) -> clap::Command {
    let mut cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help),
        )
        .help_template(Key::HelpTemplate.text(lang))
        .subcommand_help_heading(Key::HelpCommands.text(lang))
        .subcommand_value_name(Key::HelpCommandWord.text(lang));
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version),
        );
    }
    if let Some(key) = about(path) {
        cmd = cmd.about(key.text(lang));
    }
    cmd = cmd.mut_args(|arg| {
        let heading = if arg.is_positional() {
            Key::HelpArguments
        } else {
            Key::HelpOptions
        };
        let mut arg = arg.help_heading(heading.text(lang));
        if arg.get_action().takes_values() {
            arg = arg.hide_default_value(true).hide_possible_values(true);
            if let Some(key) = value_name(path, arg.get_id().as_str()) {
                arg = arg.value_name(key.text(lang));
            }
        }
        match arg_help(path, arg.get_id().as_str()) {
            Some(key) => arg.help(key.text(lang)),
            None => arg,
        }
    });
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |c| localize(c, &sub, lang));
    }
    cmd
}

/// Parse the arguments; help and version are printed and usage errors said in `lang` (exit 2).
pub fn parse(args: Vec<std::ffi::OsString>, lang: Lang) -> Result<Cli, i32> {
    let matches = command(lang).try_get_matches_from(args);
    let parsed = matches.and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|e| {
        match e.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                let text = e.render().to_string();
                print!("{}", localize_usage(&text, lang));
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    2
                } else {
                    0
                };
            }
            _ => {}
        }
        let said = usage_error(&e).render(lang);
        let usage = match e.get(ContextKind::Usage) {
            Some(ContextValue::StyledStr(u)) => u.to_string(),
            _ => String::new(),
        };
        let usage = localize_usage(usage.trim().trim_start_matches("Usage:").trim(), lang);
        let said = match e
            .get(ContextKind::SuggestedSubcommand)
            .or(e.get(ContextKind::SuggestedArg))
        {
            Some(ContextValue::String(s)) => msg!(AndSuggest, line = said, it = s).render(lang),
            Some(ContextValue::Strings(v)) if !v.is_empty() => {
                msg!(AndSuggest, line = said, it = v.join(", ")).render(lang)
            }
            _ => said,
        };
        eprintln!(
            "{}：{said}\n\n{}{usage}\n\n{}",
            Key::ErrorWord.text(lang),
            Key::UsageWord.text(lang),
            Key::MoreHelp.text(lang)
        );
        2
    })
}

/// clap writes `[OPTIONS]` into every usage line; in Chinese it is `[选项]`.
fn localize_usage(text: &str, lang: Lang) -> String {
    text.replace("[OPTIONS]", Key::OptionsPlaceholder.text(lang))
}

/// A usage error said as a sentence of the catalog, with what clap knows of it.
fn usage_error(e: &clap::Error) -> Message {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    match e.kind() {
        ErrorKind::UnknownArgument => msg!(UnknownArgument, arg = arg),
        ErrorKind::InvalidSubcommand => {
            msg!(
                UnknownCommand,
                command = text(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => msg!(
            InvalidValue,
            arg = arg,
            value = text(ContextKind::InvalidValue)
        ),
        ErrorKind::MissingRequiredArgument => msg!(MissingArgument, arg = arg),
        ErrorKind::MissingSubcommand => Key::MissingCommand.into(),
        ErrorKind::ArgumentConflict => msg!(
            ConflictingArguments,
            arg = arg,
            other = text(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            msg!(WrongNumberOfValues, arg = arg)
        }
        _ => msg!(IoOther, detail = e.kind().to_string()),
    }
}
