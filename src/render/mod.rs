//! The render stage: documents and derived facts become HTML pages through Tera templates.
//!
//! Built-in templates and theme files are compiled into the binary; a library's `templates/`
//! and `theme/` override them file by file. Every link is relative (`{{ root }}` climbs to the
//! site root), so the site works under any URL prefix and straight from a shared drive.

pub mod charts;
pub mod documents;
pub mod figures;
pub mod forms;
pub mod pages;
pub mod rows;
pub mod site;
pub mod summaries;
pub mod views;

/// The relative path from the page at `path` (`/`-separated, from the site root) back to the
/// site root: `../` per folder.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A rendering failure: which page, and Tera's explanation.
#[derive(Debug)]
pub struct RenderError {
    pub page: String,
    pub message: String,
}

/// One file of the generated site: a path relative to the output folder (`/`-separated).
#[derive(Debug)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// JSON for a `.js` data file loaded by `<script>` (which works from `file://`, unlike fetch).
/// `<`, `>`, `&` and the JavaScript line separators are escaped, so no record text can close
/// a script element or start a comment, even if the data is ever inlined.
pub fn script_json(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    // 0xE2 leads U+2028 and U+2029.
    let special = |b: u8| matches!(b, b'<' | b'>' | b'&' | 0xe2);
    replace_chars(&json, special, |c, out| match c {
        '<' => out.push_str("\\u003c"),
        '>' => out.push_str("\\u003e"),
        '&' => out.push_str("\\u0026"),
        '\u{2028}' => out.push_str("\\u2028"),
        '\u{2029}' => out.push_str("\\u2029"),
        c => out.push(c),
    })
}

/// `input` with each character that `replace` writes differently replaced. Runs of ordinary
/// text are copied whole: only characters whose first byte `special` accepts are handed to
/// `replace` (this runs over every page and index file a build writes).
pub fn replace_chars(
    input: &str,
    special: impl Fn(u8) -> bool,
    replace: impl Fn(char, &mut String),
) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut rest = input;
    while let Some(i) = rest.bytes().position(&special) {
        out.push_str(&rest[..i]);
        let Some(c) = rest[i..].chars().next() else {
            break;
        };
        replace(c, &mut out);
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::script_json;

    #[test]
    fn script_json_escapes_what_could_end_a_script() {
        assert_eq!(
            script_json(&"</script>&\u{2028}\u{2029}€—中"),
            "\"\\u003c/script\\u003e\\u0026\\u2028\\u2029€—中\""
        );
        assert_eq!(script_json(&[1, 2]), "[1,2]");
    }
}
