//! Typed reading of TOML front matter with spans, so every problem names its line and column.
//!
//! serde's derive stops at the first error in a file; clerks fix files faster when they see
//! every problem at once. So front matter is parsed into toml's spanned tree (`DeTable`) and
//! each document type reads its fields through [`Fields`], which records a diagnostic for each
//! missing, mistyped or unknown field and carries on.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Pos, SourceText};
use crate::messages::{Key, Message};
use crate::msg;

/// A field a document type accepts: its TOML key and its Chinese label (shown in messages,
/// and accepted in "did you mean" so a clerk who writes `事件名称 = …` is told `title`).
pub type FieldSpec = (&'static str, &'static str);

/// Where each field was written, kept on the document for the cross-record checks.
#[derive(Debug, Clone, Default)]
pub struct Positions(BTreeMap<String, Pos>);

impl Positions {
    /// Position of a field (e.g. `plans`, `plans[1]`), or of the front matter start.
    pub fn of(&self, key: &str) -> Pos {
        self.0
            .get(key)
            .or_else(|| self.0.get(""))
            .copied()
            .unwrap_or(Pos { line: 1, col: 1 })
    }
}

/// Reader over one TOML table (the front matter, a `[[timeline]]` entry, a `[[categories]]`).
pub struct Fields<'s, 'd> {
    src: &'s SourceText,
    /// Byte offset of the TOML text inside the file (front matter starts after `+++`).
    base: usize,
    table: &'s DeTable<'s>,
    span: Range<usize>,
    spec: &'static [FieldSpec],
    /// Path prefix for nested tables, e.g. `timeline[2].`.
    prefix: String,
    tz: FixedOffset,
    pub diags: &'d mut Diagnostics,
    positions: &'d mut Positions,
}

impl<'s, 'd> Fields<'s, 'd> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        src: &'s SourceText,
        base: usize,
        table: &'s Spanned<DeTable<'s>>,
        spec: &'static [FieldSpec],
        tz: FixedOffset,
        diags: &'d mut Diagnostics,
        positions: &'d mut Positions,
    ) -> Self {
        let span = table.span();
        positions.0.insert(String::new(), src.pos(base));
        Fields {
            src,
            base,
            table: table.get_ref(),
            span,
            spec,
            prefix: String::new(),
            tz,
            diags,
            positions,
        }
    }

    fn range(&self, span: Range<usize>) -> Range<usize> {
        self.base + span.start..self.base + span.end
    }

    /// The field as the clerk knows it: 责任单位（department）.
    fn label(&self, key: &str) -> Message {
        let path = format!("{}{key}", self.prefix);
        match self.spec.iter().find(|(k, _)| *k == key) {
            Some((_, l)) if !l.is_empty() => msg!(FieldLabel, key = path, label = *l),
            _ => msg!(FieldKey, key = path),
        }
    }

    /// Whether the key is written at all (absent optional fields are not an error).
    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    fn get(&mut self, key: &str) -> Option<&'s Spanned<DeValue<'s>>> {
        let value = self.table.get(key)?;
        let pos = self.src.pos(self.base + value.span().start);
        self.positions
            .0
            .insert(format!("{}{key}", self.prefix), pos);
        Some(value)
    }

    /// Report a problem at a value's span.
    pub fn error_at(
        &mut self,
        key: &str,
        span: Range<usize>,
        message: Message,
        hint: Option<Message>,
    ) {
        let mut d = self.src.error_at(self.range(span), message);
        d.field = Some(format!("{}{key}", self.prefix));
        d.hint = hint;
        self.diags.push(d);
    }

    fn type_error(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: Key,
        example: &str,
    ) {
        let msg = msg!(
            WrongType,
            field = self.label(key),
            expected = expected,
            found = describe(value.get_ref())
        );
        let hint = msg!(WriteLike, example = format!("{key} = {example}"));
        self.error_at(key, value.span(), msg, Some(hint));
    }

    /// Report a required field that is absent, pointing at the start of its table.
    pub fn missing(&mut self, key: &str, example: &str) {
        let msg = msg!(MissingField, field = self.label(key));
        let start = self.span.start;
        let hint = msg!(AddLine, example = format!("{key} = {example}"));
        self.error_at(key, start..start + 1, msg, Some(hint));
    }

    /// Report a placeholder left in a value (`〔责任单位〕`); true when there is one.
    fn placeholder_left(&mut self, key: &str, text: &str, span: Range<usize>) -> bool {
        let Some((_, placeholder)) = crate::text::placeholder(text) else {
            return false;
        };
        let msg = msg!(
            PlaceholderInField,
            field = self.label(key),
            placeholder = placeholder
        );
        self.error_at(key, span, msg, Some(Key::ReplacePlaceholderLine.into()));
        true
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => {
                let s = s.trim();
                if self.placeholder_left(key, s, value.span()) {
                    None
                } else if s.is_empty() {
                    let msg = msg!(EmptyValue, field = self.label(key));
                    self.error_at(key, value.span(), msg, Some(Key::FillOrDelete.into()));
                    None
                } else {
                    Some(s.to_owned())
                }
            }
            _ => {
                self.type_error(key, value, Key::AString, "\"…\"");
                None
            }
        }
    }

    pub fn required_string(&mut self, key: &str, example: &str) -> Option<String> {
        if self.table.get(key).is_none() {
            self.missing(key, example);
            return None;
        }
        self.string(key)
    }

    /// A string turned into a `T` by `parse`; `what` and `hint` explain a value it rejects.
    pub fn parsed<T>(
        &mut self,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        what: Key,
        hint: Key,
    ) -> Option<T> {
        let value = self.get(key)?;
        let s = self.string(key)?;
        let parsed = parse(&s);
        if parsed.is_none() {
            let msg = msg!(NotA, field = self.label(key), value = s, what = what);
            self.error_at(key, value.span(), msg, Some(hint.into()));
        }
        parsed
    }

    /// A string that must be one of `allowed`.
    pub fn choice(&mut self, key: &str, allowed: &[impl AsRef<str>]) -> Option<String> {
        let value = self.get(key)?;
        let s = self.string(key)?;
        if allowed.iter().any(|a| a.as_ref() == s) {
            return Some(s);
        }
        let list = allowed
            .iter()
            .map(|a| a.as_ref())
            .collect::<Vec<_>>()
            .join(" / ");
        let msg = msg!(NotAllowed, field = self.label(key), value = s);
        self.error_at(key, value.span(), msg, Some(msg!(UseOneOf, list = list)));
        None
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.type_error(key, value, Key::TrueOrFalse, "true");
                None
            }
        }
    }

    /// A whole number ≥ 0.
    pub fn count(&mut self, key: &str) -> Option<u64> {
        let value = self.get(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => u64::from_str_radix(
                i.as_str().replace('_', "").trim_start_matches('+'),
                i.radix(),
            )
            .ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.type_error(key, value, Key::WholeNumber, "12000");
        }
        parsed
    }

    /// A list of strings; a single string is taken as a list of one (what the clerk meant).
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        self.list_items(key).into_iter().map(|(s, _)| s).collect()
    }

    /// A list whose every entry must be one of `allowed`.
    pub fn choice_list(&mut self, key: &str, allowed: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (s, span) in self.list_items(key) {
            if allowed.contains(&s.as_str()) {
                out.push(s);
            } else {
                let msg = msg!(ListNotAllowed, field = self.label(key), value = s);
                let hint = msg!(UseOneOf, list = allowed.join(" / "));
                self.error_at(key, span, msg, Some(hint));
            }
        }
        out
    }

    /// Entries of a string list with their spans, duplicates dropped.
    fn list_items(&mut self, key: &str) -> Vec<(String, Range<usize>)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
            DeValue::Array(a) => a.iter().collect(),
            DeValue::String(_) => vec![value],
            _ => {
                self.type_error(key, value, Key::ListOfStrings, "[\"…\", \"…\"]");
                return Vec::new();
            }
        };
        let mut out: Vec<(String, Range<usize>)> = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    if self.placeholder_left(key, s, item.span()) {
                        continue;
                    }
                    if !out.iter().any(|(o, _)| o == s.trim()) {
                        let pos = self.src.pos(self.base + item.span().start);
                        let path = format!("{}{key}[{}]", self.prefix, out.len());
                        self.positions.0.insert(path, pos);
                        out.push((s.trim().to_owned(), item.span()));
                    }
                }
                other => {
                    let msg = msg!(
                        ListEntryNotText,
                        field = self.label(key),
                        n = i + 1,
                        found = describe(other)
                    );
                    self.error_at(key, item.span(), msg, None);
                }
            }
        }
        out
    }

    /// A date or a date and time, read from the value by `read`; a value it cannot read is an
    /// error at the value, saying what was expected and how to write it.
    fn moment<T>(
        &mut self,
        key: &str,
        read: impl FnOnce(&DeValue<'_>) -> Result<T, Key>,
        hint: Message,
    ) -> Option<T> {
        let value = self.get(key)?;
        match read(value.get_ref()) {
            Ok(v) => Some(v),
            Err(problem) => {
                let msg = msg!(
                    WrongTime,
                    field = self.label(key),
                    problem = problem,
                    found = describe(value.get_ref())
                );
                self.error_at(key, value.span(), msg, Some(hint));
                None
            }
        }
    }

    /// A date and time; without an offset it is read in the site's timezone.
    pub fn datetime(&mut self, key: &str) -> Option<DateTime<FixedOffset>> {
        let tz = self.tz;
        let read = |v: &DeValue<'_>| match v {
            DeValue::Datetime(dt) => to_datetime(dt, tz),
            _ => Err(Key::ADateTime),
        };
        self.moment(key, read, msg!(DatetimeHint, key = key))
    }

    pub fn required_datetime(&mut self, key: &str) -> Option<DateTime<FixedOffset>> {
        if self.table.get(key).is_none() {
            self.missing(key, "2024-03-12T08:30:00");
            return None;
        }
        self.datetime(key)
    }

    /// A calendar date; a full datetime is accepted and its date taken.
    pub fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let read = |v: &DeValue<'_>| match v {
            DeValue::Datetime(dt) => dt.date.as_ref().map_or(Err(Key::ADate), calendar_date),
            _ => Err(Key::ADate),
        };
        self.moment(key, read, msg!(DateHint, key = key))
    }

    pub fn required_date(&mut self, key: &str) -> Option<NaiveDate> {
        if self.table.get(key).is_none() {
            self.missing(key, "2024-03-12");
            return None;
        }
        self.date(key)
    }

    /// A sub-table (`[import]`), read by `read`; none when it is absent or not a table.
    pub fn table<T>(
        &mut self,
        key: &str,
        spec: &'static [FieldSpec],
        read: impl FnOnce(&mut Fields<'s, '_>) -> T,
    ) -> Option<T> {
        let value = self.get(key)?;
        let DeValue::Table(table) = value.get_ref() else {
            let msg = msg!(NotATable, field = self.label(key));
            let hint = msg!(TableHint, key = format!("{}{key}", self.prefix));
            self.error_at(key, value.span(), msg, Some(hint));
            return None;
        };
        let prefix = format!("{}{key}.", self.prefix);
        let mut child = self.child(table, value.span(), spec, prefix);
        let result = read(&mut child);
        child.finish();
        Some(result)
    }

    /// A table of free keys whose values are strings (`[import.columns]`: a ledger's column
    /// name → a field), in the order written.
    pub fn string_map(&mut self, key: &str) -> Vec<(String, String)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Table(table) = value.get_ref() else {
            let msg = msg!(NotATable, field = self.label(key));
            let hint = msg!(TableHint, key = format!("{}{key}", self.prefix));
            self.error_at(key, value.span(), msg, Some(hint));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in table.iter() {
            match v.get_ref() {
                DeValue::String(s) => out.push((k.get_ref().to_string(), s.trim().to_owned())),
                _ => {
                    let path = format!("{}{key}.{}", self.prefix, k.get_ref());
                    let msg = msg!(MapValueNotText, key = path);
                    let hint = msg!(ForExample, example = format!("\"{}\" = \"…\"", k.get_ref()));
                    self.error_at(key, v.span(), msg, Some(hint));
                }
            }
        }
        out
    }

    fn child<'c>(
        &'c mut self,
        table: &'s DeTable<'s>,
        span: Range<usize>,
        spec: &'static [FieldSpec],
        prefix: String,
    ) -> Fields<'s, 'c> {
        Fields {
            src: self.src,
            base: self.base,
            table,
            span,
            spec,
            prefix,
            tz: self.tz,
            diags: &mut *self.diags,
            positions: &mut *self.positions,
        }
    }

    /// Each table of an array of tables (`[[timeline]]`), read by `read`.
    pub fn tables<T>(
        &mut self,
        key: &str,
        spec: &'static [FieldSpec],
        mut read: impl FnMut(&mut Fields<'s, '_>) -> Option<T>,
    ) -> Vec<T> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            let msg = msg!(NotTables, field = self.label(key));
            self.error_at(key, value.span(), msg, Some(msg!(TablesHint, key = key)));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let DeValue::Table(table) = item.get_ref() else {
                let msg = msg!(EntryNotTable, field = self.label(key), n = i + 1);
                self.error_at(key, item.span(), msg, Some(msg!(TablesHint, key = key)));
                continue;
            };
            let prefix = format!("{}{key}[{i}].", self.prefix);
            let mut child = self.child(table, item.span(), spec, prefix);
            let result = read(&mut child);
            child.finish();
            out.extend(result);
        }
        out
    }

    /// Report every key that is not in the spec, with a "did you mean" hint.
    pub fn finish(&mut self) {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if self.spec.iter().any(|(k, _)| *k == name) {
                continue;
            }
            let hint = suggest(name, self.spec);
            let msg = msg!(UnknownField, key = format!("{}{name}", self.prefix));
            self.error_at(name, key.span(), msg, Some(hint));
        }
    }
}

/// "did you mean `category`?" for a misspelt key or a Chinese label; else the list of fields.
pub fn suggest(name: &str, spec: &[FieldSpec]) -> Message {
    if let Some((k, _)) = spec.iter().find(|(_, l)| !l.is_empty() && *l == name) {
        return msg!(DidYouMeanChinese, key = *k, label = name);
    }
    let lower = name.to_lowercase();
    let best = spec
        .iter()
        .map(|(k, _)| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min();
    match best {
        Some((_, k)) => msg!(DidYouMean, key = k),
        None => {
            let all: Vec<_> = spec.iter().map(|(k, _)| *k).collect();
            msg!(AllowedFields, list = all.join(", "))
        }
    }
}

/// What was written instead of the expected value, for "found …".
fn describe(value: &DeValue<'_>) -> Message {
    match value {
        DeValue::String(s) => msg!(TheString, text = s.as_ref()),
        DeValue::Datetime(dt) => msg!(TheValue, text = dt.to_string()),
        DeValue::Integer(_) => Key::TomlInteger.into(),
        DeValue::Float(_) => Key::TomlFloat.into(),
        DeValue::Boolean(_) => Key::TomlBoolean.into(),
        DeValue::Array(_) => Key::TomlArray.into(),
        DeValue::Table(_) => Key::TomlTable.into(),
    }
}

/// The years a date may fall in. Records, plans and summaries are about the years offices
/// have dealt with online opinion; a date far outside is a slip (`0024` for `2024`), and the
/// statistics could not draw it.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2099;

/// The calendar date, if it is one and falls in [`YEARS`].
fn calendar_date(d: &toml::value::Date) -> Result<NaiveDate, Key> {
    let date = NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        .ok_or(Key::ACalendarDate)?;
    if YEARS.contains(&chrono::Datelike::year(&date)) {
        Ok(date)
    } else {
        Err(Key::ADateInYears)
    }
}

/// Convert a TOML datetime; an offset-less one is read in `tz`.
pub fn to_datetime(
    dt: &toml::value::Datetime,
    tz: FixedOffset,
) -> Result<DateTime<FixedOffset>, Key> {
    let (Some(d), Some(t)) = (dt.date, dt.time) else {
        return Err(Key::ADateWithTime);
    };
    let date = calendar_date(&d)?;
    let time = NaiveTime::from_hms_nano_opt(
        t.hour.into(),
        t.minute.into(),
        t.second.unwrap_or(0).into(),
        t.nanosecond.unwrap_or(0),
    )
    .ok_or(Key::ATimeOfDay)?;
    let naive = NaiveDateTime::new(date, time);
    let offset = match dt.offset {
        None => tz,
        Some(toml::value::Offset::Z) => FixedOffset::east_opt(0).ok_or(Key::AnOffset)?,
        Some(toml::value::Offset::Custom { minutes }) => {
            FixedOffset::east_opt(i32::from(minutes) * 60).ok_or(Key::AnOffset)?
        }
    };
    offset
        .from_local_datetime(&naive)
        .single()
        .ok_or(Key::ALocalTime)
}
/// "not UTF-8" with the line of the first bad byte.
pub fn not_utf8(rel: &Path, bytes: &[u8], err: std::str::Utf8Error) -> Diagnostic {
    let good = &bytes[..err.valid_up_to()];
    let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
    Diagnostic::error(rel, Pos { line, col }, Key::NotUtf8).hint(Key::SaveAsUtf8)
}

/// How many syntax errors of one file are reported at most.
const SYNTAX_ERRORS: usize = 20;

/// Every syntax error of the TOML `text` (at byte `offset` of the file), `first` being the one
/// the parser stopped at: the line of each is blanked out and the rest parsed again, so that a
/// clerk sees all the file's slips at once rather than one per run.
pub fn toml_errors(
    src: &SourceText,
    offset: usize,
    text: &str,
    first: &toml::de::Error,
    spec: &[FieldSpec],
) -> Vec<Diagnostic> {
    let mut found = vec![toml_error(src, offset, first, spec)];
    let mut lines = vec![found[0].pos.line];
    let mut rest = text.as_bytes().to_vec();
    let mut error = first.clone();
    while found.len() < SYNTAX_ERRORS {
        // The bad line becomes spaces of the same length: every other byte keeps its offset.
        let at = error.span().map_or(0, |s| s.start).min(rest.len());
        let start = rest[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = rest[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| at + i);
        rest[start..end].fill(b' ');
        let Ok(blanked) = std::str::from_utf8(&rest) else {
            break;
        };
        match DeTable::parse(blanked) {
            Ok(_) => break,
            Err(next) => {
                let d = toml_error(src, offset, &next, spec);
                if lines.contains(&d.pos.line) {
                    break;
                }
                lines.push(d.pos.line);
                found.push(d);
                error = next;
            }
        }
    }
    found
}

/// A TOML syntax error at its place in the file.
fn toml_error(
    src: &SourceText,
    offset: usize,
    e: &toml::de::Error,
    spec: &[FieldSpec],
) -> Diagnostic {
    let span = e.span().unwrap_or(0..1);
    let range = offset + span.start..offset + span.end;
    let line = src.line(src.pos(range.start).line).unwrap_or_default();
    if let Some((what, fixed)) = slips(line, spec) {
        return src
            .error_at(range, msg!(SlipLine, what = what))
            .hint(msg!(ChangeTo, fixed = fixed.trim()));
    }
    let message = e.message().trim().to_owned();
    src.error_at(range, msg!(BadToml, message = message))
        .hint(Key::TomlHint)
}

/// The slips a Chinese keyboard makes on a line of `key = value`, each said in a few words,
/// and the line as it should be: full-width quotes, `＝` or `：`, a field named in Chinese, a
/// text without quotes or without its closing quote. None when the line has none of them.
fn slips(line: &str, spec: &[FieldSpec]) -> Option<(Message, String)> {
    let mut said = Vec::new();
    let mut fixed = line.to_owned();
    if fixed.contains(['“', '”', '‘', '’', '「', '」', '＂']) {
        said.push(Key::SlipQuotes);
        fixed = fixed.replace(['“', '”', '‘', '’', '「', '」', '＂'], "\"");
    }
    if fixed.contains('＝') {
        said.push(Key::SlipEquals);
        fixed = fixed.replacen('＝', "=", 1);
    }
    let (key, value) = fixed.split_once('=')?;
    let (key, mut value) = (
        key.trim().trim_matches('"').to_owned(),
        value.trim().to_owned(),
    );
    let mut key_fixed = key.clone();
    if let Some((english, _)) = spec
        .iter()
        .find(|(_, label)| !label.is_empty() && *label == key)
    {
        said.push(Key::SlipChineseKey);
        key_fixed = (*english).to_owned();
    }
    let time_like = value.chars().next().is_some_and(|c| c.is_ascii_digit());
    if time_like && value.contains('：') {
        said.push(Key::SlipTimeColon);
        value = value.replace('：', ":");
    }
    let quotes = value.matches('"').count();
    if value.starts_with('"') && quotes % 2 == 1 {
        said.push(Key::SlipOpenQuote);
        value.push('"');
    } else if !value.is_empty()
        && !value.starts_with(['"', '[', '{', '\'', '#'])
        && !time_like
        && !matches!(value.as_str(), "true" | "false")
    {
        said.push(Key::SlipNoQuotes);
        value = format!("\"{value}\"");
    }
    (!said.is_empty()).then(|| (joined(&said), format!("{key_fixed} = {value}")))
}

/// Several sentences as one, in the reader's language: `a；b` / `a; b`.
fn joined(keys: &[Key]) -> Message {
    let mut parts = keys.iter();
    let first = parts.next().map_or(Key::SlipNoQuotes, |k| *k);
    parts.fold(first.into(), |so_far, k| msg!(Joined, a = so_far, b = *k))
}
