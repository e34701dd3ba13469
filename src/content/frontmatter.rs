//! Splitting a Markdown file into its TOML front matter (between `+++` lines) and its body.

use crate::diag::{Diagnostic, SourceText};
use crate::messages::Key;

pub struct Split<'a> {
    /// The TOML text between the delimiters.
    pub toml: &'a str,
    /// Byte offset of `toml` in the file, so spans map back to file positions.
    pub toml_offset: usize,
    pub body: &'a str,
    /// 1-based line on which the body starts.
    pub body_line: usize,
}

/// Find the `+++` block at the top of the file (a UTF-8 BOM and blank lines before it are fine).
/// The error is boxed: a diagnostic is large, and most files have no error.
pub fn split(src: &SourceText) -> Result<Split<'_>, Box<Diagnostic>> {
    let text = src.text.as_str();
    let mut offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Skip blank lines before the opening delimiter.
    loop {
        let rest = &text[offset..];
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        if rest[..line_end].trim().is_empty() && line_end > 0 && offset + line_end < text.len() {
            offset += line_end;
        } else {
            break;
        }
    }
    let rest = &text[offset..];
    let first_line = rest.lines().next().unwrap_or("").trim_end();
    if first_line == "---" {
        return Err(Box::new(
            src.error_at(offset..offset + 3, Key::YamlFrontMatter)
                .hint(Key::UseToml),
        ));
    }
    if first_line != "+++" {
        return Err(Box::new(
            src.error_at(offset..offset + first_line.len().max(1), Key::NoFrontMatter)
                .hint(Key::BeginWithPlus),
        ));
    }
    let toml_offset = offset + rest.find('\n').map_or(rest.len(), |i| i + 1);
    let mut pos = toml_offset;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..line_end].trim_end() == "+++" {
            let body_line = src.pos(line_end).line
                + usize::from(line_end == text.len() && !text.ends_with('\n'));
            return Ok(Split {
                toml: &text[toml_offset..pos],
                toml_offset,
                body: &text[line_end..],
                body_line,
            });
        }
        pos = line_end;
    }
    Err(Box::new(
        src.error_at(offset..offset + 3, Key::FrontMatterUnclosed)
            .hint(Key::ClosePlus),
    ))
}
