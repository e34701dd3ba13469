//! The stages before the first page: load → check → model → derive, and the templates. The
//! result, [`Prepared`], is what a build renders and `serve` serves.

use crate::messages::Key;
use crate::msg;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::model::{Library, Selection};
use crate::{check, content, derive, fields, lint, output, render, search};

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
/// the files it changed: each file's parsed document and each record's words for similar
/// cases (cutting every record again would take most of an edit's time). A build, `check`
/// and the other commands start from an empty one that remembers nothing.
#[derive(Default)]
pub struct Incremental {
    pub parsed: content::load::ParsedFiles,
    pub words: std::sync::Arc<derive::related::WordCounts>,
}

impl Incremental {
    /// What `serve` keeps: the records' words are remembered from one rebuild to the next.
    pub fn remembering() -> Incremental {
        Incremental {
            parsed: Default::default(),
            words: std::sync::Arc::new(derive::related::WordCounts::remembering()),
        }
    }
}

/// load → check → model: the library this build publishes, or every error found.
pub fn load_library(
    opts: &BuildOptions,
    parsed: &content::load::ParsedFiles,
) -> Result<(Library, Diagnostics), Failure> {
    let mut diags = Diagnostics::default();
    if !opts.root.is_dir() {
        diags.push(
            Diagnostic::error(&opts.root, Pos::default(), Key::NoLibraryFolder).hint(Key::PassRoot),
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
                crate::config::CONFIG_FILE,
                Pos::default(),
                msg!(UnknownAudience, audience = &audience),
            )
            .hint(msg!(UseOneOf, list = config.audiences.join(", "))),
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
    fields::to_datetime(&dt, tz).ok()
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
                Diagnostic::error("--now", Pos::default(), msg!(NotADate, value = s))
                    .hint(Key::NowHint),
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
pub fn render_failure(e: &render::RenderError) -> Diagnostic {
    Diagnostic::error(
        Path::new("templates"),
        Pos::default(),
        msg!(RenderFailed, page = &e.page, reason = &e.message),
    )
    .hint(Key::CheckTemplate)
}
