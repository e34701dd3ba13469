//! Diagnostics: every problem found in a library, with the file, line and column it comes
//! from and a hint that tells the clerk what to do next.
//!
//! Stages never stop at the first problem: they push into a [`Diagnostics`] list and carry on,
//! so one run reports everything. Rendering uses annotate-snippets so the offending line is
//! shown under the `file:line:col: message` headline.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::messages::{Key, Lang, Message};
use crate::text::char_to_byte;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a file: 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user knows it: relative to the library root where possible.
    pub file: PathBuf,
    pub pos: Pos,
    pub message: Message,
    pub hint: Option<Message>,
    /// The field the problem is about (`department`, `timeline[1].at`), when it is one: the
    /// browser form shows the problem next to it.
    pub field: Option<String>,
    /// The source line the position points into, for the snippet under the headline.
    pub line_text: Option<String>,
    /// Length of the offending text in characters (at least 1), for the underline.
    pub width: usize,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, pos: Pos, message: impl Into<Message>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            pos,
            message: message.into(),
            hint: None,
            field: None,
            line_text: None,
            width: 1,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, pos: Pos, message: impl Into<Message>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    pub fn hint(mut self, hint: impl Into<Message>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach the source text so the rendered diagnostic can show the offending line.
    pub fn with_source(mut self, source: &SourceText, width: usize) -> Self {
        self.line_text = source.line(self.pos.line).map(str::to_owned);
        self.width = width.max(1);
        self
    }

    /// The one-line form `file:line:col: severity: message` used in logs and tests.
    pub fn headline(&self, lang: Lang) -> String {
        format!(
            "{}: {}: {}",
            self.place(),
            self.severity.word(lang),
            self.message.render(lang)
        )
    }

    /// `file:line:col`.
    fn place(&self) -> String {
        format!("{}:{}:{}", self.file.display(), self.pos.line, self.pos.col)
    }

    /// Rendered for a terminal: headline, the source line with the place underlined, the hint.
    pub fn render(&self, renderer: &Renderer, lang: Lang) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        }
        .with_name(self.severity.word(lang));
        let title = format!("{}: {}", self.place(), self.message.render(lang));
        let path = self.file.display().to_string();
        let mut group = Group::with_title(level.primary_title(title.as_str()));
        if let Some(text) = &self.line_text {
            let start = char_to_byte(text, self.pos.col.saturating_sub(1));
            let end = char_to_byte(text, self.pos.col.saturating_sub(1) + self.width).max(start);
            group = group.element(
                Snippet::source(text.as_str())
                    .line_start(self.pos.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
        }
        let mut report = vec![group];
        let hint = self.hint.as_ref().map(|h| h.render(lang));
        if let Some(hint) = &hint {
            report.push(Group::with_title(
                Level::HELP
                    .with_name(Key::HintWord.text(lang))
                    .secondary_title(hint.as_str()),
            ));
        }
        renderer.render(&report)
    }

    /// The diagnostic as `check --format json` prints it, its words in `lang`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "severity": self.severity,
            "file": self.file,
            "pos": self.pos,
            "message": self.message.render(lang),
            "hint": self.hint.as_ref().map(|h| h.render(lang)),
        })
    }
}

impl Severity {
    /// 错误 / 警告 (error / warning).
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Severity::Error => Key::ErrorWord.text(lang),
            Severity::Warning => Key::WarningWord.text(lang),
        }
    }
}

/// In Chinese, for logs and tests; the command line renders in the reader's language.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline(Lang::Zh))?;
        if let Some(hint) = &self.hint {
            write!(f, "（{}）", hint.render(Lang::Zh))?;
        }
        Ok(())
    }
}

/// The problems collected by a run, in file/line order once [`Diagnostics::sorted`].
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    pub fn sorted(mut self) -> Self {
        self.0
            .sort_by(|a, b| (&a.file, a.pos, b.severity).cmp(&(&b.file, b.pos, a.severity)));
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Give every diagnostic that points at a line but was made without the file's text (the
    /// rules that span documents, the lints) that line, read from the library under `root`,
    /// so the terminal shows it underlined like the others.
    pub fn with_source_lines(mut self, root: &Path) -> Self {
        let mut files: HashMap<PathBuf, Option<String>> = HashMap::new();
        for d in &mut self.0 {
            if d.line_text.is_some() || d.pos.line == 0 {
                continue;
            }
            let text = files
                .entry(d.file.clone())
                .or_insert_with(|| std::fs::read_to_string(root.join(&d.file)).ok());
            let Some(line) = text.as_deref().and_then(|t| t.lines().nth(d.pos.line - 1)) else {
                continue;
            };
            // Underline from the column to the end of the line.
            d.width = line
                .trim_end()
                .chars()
                .count()
                .saturating_sub(d.pos.col.saturating_sub(1))
                .max(1);
            d.line_text = Some(line.to_owned());
        }
        self
    }
}

/// A file's text with a line index, to turn byte offsets into line and column.
#[derive(Debug)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    pub fn new(path: &Path, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceText {
            path: path.to_path_buf(),
            text,
            line_starts,
        }
    }

    /// Line and column (both 1-based, column in characters) of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Pos { line, col }
    }

    pub fn line(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e.saturating_sub(1));
        self.text
            .get(start..end.max(start))
            .map(|l| l.trim_end_matches('\r'))
    }

    /// A diagnostic at a byte range of this file.
    pub fn error_at(
        &self,
        range: std::ops::Range<usize>,
        message: impl Into<Message>,
    ) -> Diagnostic {
        self.at(Severity::Error, range, message)
    }

    pub fn warning_at(
        &self,
        range: std::ops::Range<usize>,
        message: impl Into<Message>,
    ) -> Diagnostic {
        self.at(Severity::Warning, range, message)
    }

    fn at(
        &self,
        severity: Severity,
        range: std::ops::Range<usize>,
        message: impl Into<Message>,
    ) -> Diagnostic {
        let pos = self.pos(range.start);
        let width = self
            .text
            .get(range.clone())
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
        Diagnostic {
            severity,
            ..Diagnostic::error(self.path.clone(), pos, message)
        }
        .with_source(self, width)
    }
}
