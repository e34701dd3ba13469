//! Markdown → sanitised HTML.
//!
//! pulldown-cmark with the GitHub extensions clerks expect (tables, footnotes, strikethrough,
//! task lists). Headings get ids that keep Chinese characters, so `## 处置经过` links as
//! `#处置经过`. HTML that may carry script (a body with raw HTML or links) is then cleaned
//! by ammonia: clerks paste from web pages and Word, and nothing pasted may run script in a
//! colleague's browser.

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Control characters other than tab and line breaks: they come from pasting out of other
/// programs (or from entities such as `&#1;`), mean nothing in a record and make the HTML
/// invalid. Pages show U+FFFD in their place; removing them instead could join
/// `java&#1;script:` into a working `javascript:` URL.
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `text` has a stray control character, looked for in the bytes (every page's HTML
/// is checked, and decoding it into characters took several times as long): C0 controls and
/// DEL are single bytes, and C1 controls (U+0080–U+009F) are 0xC2 followed by 0x80–0x9F.
/// The bytes are read a block at a time without a branch per byte, so the compiler compares
/// many at once; only a block with a byte that may start a control is read closely (0xC2
/// also starts `·` and `°`).
fn has_stray_control(text: &str) -> bool {
    const BLOCK: usize = 32;
    let bytes = text.as_bytes();
    let may_start =
        |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7f) | (b == 0xc2);
    bytes.chunks(BLOCK).enumerate().any(|(k, block)| {
        block.iter().fold(false, |any, &b| any | may_start(b))
            && (k * BLOCK..k * BLOCK + block.len()).any(|i| control_at(bytes, i))
    })
}

/// Whether a stray control character starts at byte `i` of `bytes`.
fn control_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1f | 0x7f => true,
        0xc2 => bytes
            .get(i + 1)
            .is_some_and(|next| (0x80..=0x9f).contains(next)),
        _ => false,
    }
}

/// `text` with every stray control character replaced by U+FFFD.
pub fn replace_stray_controls(text: String) -> String {
    if has_stray_control(&text) {
        text.chars()
            .map(|c| if is_stray_control(c) { '\u{fffd}' } else { c })
            .collect()
    } else {
        text
    }
}

/// Render Markdown to HTML that is safe to embed in a page.
///
/// Only raw HTML and links (whose URLs may be `javascript:`) can carry script: pulldown-cmark
/// escapes all text and every attribute it writes itself. A document with neither — most
/// records — is therefore not run through ammonia, which would parse and re-serialise the
/// same markup at a noticeable cost for every page.
pub fn to_html(markdown: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let needs_cleaning = events.iter().any(|e| {
        matches!(
            e,
            Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::Link { .. } | Tag::Image { .. })
        )
    });
    let events = outside_images_as_links(with_heading_ids(events));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if needs_cleaning {
        html = SANITIZER.clean(&html).to_string();
    }
    // A wide table scrolls inside its own box instead of widening the page on a phone.
    if html.contains("<table>") {
        html = html
            .replace("<table>", "<div class=\"table-wrap\"><table>")
            .replace("</table>", "</table></div>");
    }
    replace_stray_controls(html)
}

/// The text of a Markdown document without its markup (no HTML: raw HTML is dropped), one
/// line per block, for search and snippets.
pub fn plain_text(markdown: &str) -> String {
    plain_text_start(markdown, usize::MAX).0
}

/// The first `chars` characters of [`plain_text`], and how many that is (fewer where the
/// text is shorter): the Markdown is read only as far as they go (similar cases and result
/// snippets are made from a body's start, and bodies run to several KB).
pub fn plain_text_start(markdown: &str, chars: usize) -> (String, usize) {
    let mut out = String::with_capacity(markdown.len().min(chars.saturating_mul(4)));
    let mut count = 0;
    for event in Parser::new_ext(markdown, options()) {
        let piece = match event {
            Event::Text(t) | Event::Code(t) => t,
            Event::SoftBreak | Event::HardBreak => CowStr::Borrowed(" "),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => CowStr::Borrowed("\n"),
            _ => continue,
        };
        out.push_str(&piece);
        count += piece.chars().count();
        if count >= chars {
            out.truncate(super::char_to_byte(&out, chars));
            return (out, chars);
        }
    }
    (out, count)
}

/// The text of every heading, in order: what the lints compare with the usual sections.
pub fn headings(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => current = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

/// A block of a body, as a document other than a web page (a Word file) lays it out: inline
/// markup is reduced to runs of text, bold or not.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    /// Runs of (text, bold); a list item starts with its number or a bullet.
    Paragraph(Vec<(String, bool)>),
    /// Header cells, then rows.
    Table(Vec<String>, Vec<Vec<String>>),
}

/// The blocks of `markdown`: headings, paragraphs (list items and quotes among them), tables.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut bold = 0usize;
    let mut heading: Option<(u8, String)> = None;
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut table: Option<(Vec<String>, Vec<Vec<String>>)> = None;
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut in_cell = false;
    let flush = |runs: &mut Vec<(String, bool)>, out: &mut Vec<Block>| {
        if runs.iter().any(|(t, _)| !t.trim().is_empty()) {
            out.push(Block::Paragraph(std::mem::take(runs)));
        }
        runs.clear();
    };
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut runs, &mut out);
                heading = Some((level as u8, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    out.push(Block::Heading(level, text.trim().to_owned()));
                }
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut runs, &mut out);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut runs, &mut out);
                let marker = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}．", *n - 1)
                    }
                    _ => "· ".to_owned(),
                };
                runs.push((marker, false));
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::CodeBlock,
            ) => flush(&mut runs, &mut out),
            Event::Start(Tag::Table(_)) => {
                flush(&mut runs, &mut out);
                table = Some((Vec::new(), Vec::new()));
            }
            Event::End(TagEnd::TableHead) => {
                if let Some((header, _)) = table.as_mut() {
                    *header = std::mem::take(&mut row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some((_, rows)) = table.as_mut() {
                    rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => in_cell = true,
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                row.push(std::mem::take(&mut cell).trim().to_owned());
            }
            Event::End(TagEnd::Table) => {
                if let Some((header, rows)) = table.take() {
                    out.push(Block::Table(header, rows));
                }
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(&t);
                } else if in_cell {
                    cell.push_str(&t);
                } else {
                    runs.push((t.into_string(), bold > 0));
                }
            }
            Event::SoftBreak | Event::HardBreak if !in_cell && heading.is_none() => {
                runs.push(("\n".to_owned(), false))
            }
            _ => {}
        }
    }
    flush(&mut runs, &mut out);
    // A line break inside a paragraph: a soft break between Chinese text is no space.
    for block in &mut out {
        if let Block::Paragraph(runs) = block {
            runs.retain(|(t, _)| t != "\n");
        }
    }
    out
}

/// Each placeholder (`〔请填写〕`) in the text of `markdown`, with its byte offset; inline
/// code and code blocks are not searched.
pub fn placeholders(markdown: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut in_code = false;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        if let (Event::Text(_), false) = (&event, in_code) {
            let Some(text) = markdown.get(range.clone()) else {
                continue;
            };
            let mut from = 0;
            while let Some((at, found)) = text.get(from..).and_then(crate::text::placeholder) {
                out.push((range.start + from + at, found));
                from += at + found.len();
            }
        }
    }
    out
}

/// The Markdown under the heading `title` (to the next heading), trimmed; none when the body
/// has no such heading or nothing under it.
pub fn section<'a>(markdown: &'a str, title: &str) -> Option<&'a str> {
    sections(markdown)
        .into_iter()
        .find(|(heading, _)| heading == title)
        .map(|(_, text)| text)
}

/// Every heading's text (trimmed) with the Markdown under it to the next heading, trimmed;
/// headings with nothing under them are left out. One pass over the body, for documents that
/// draw on several of a record's sections.
pub fn sections(markdown: &str) -> Vec<(String, &str)> {
    // Each heading's title with where its text starts, and where the next heading begins.
    let mut spans: Vec<(String, usize, usize)> = Vec::new();
    let mut in_heading: Option<String> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                if let Some(last) = spans.last_mut() {
                    last.2 = range.start;
                }
                in_heading = Some(String::new());
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = in_heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(text) = in_heading.take() {
                    spans.push((text.trim().to_owned(), range.end, markdown.len()));
                }
            }
            _ => {}
        }
    }
    spans
        .into_iter()
        .filter_map(|(title, from, to)| {
            let text = markdown.get(from..to).map(str::trim)?;
            (!text.is_empty()).then_some((title, text))
        })
        .collect()
}

/// Give every heading an id derived from its text (deduplicated with -1, -2 …).
fn with_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = slug(&text);
            let n = used.entry(base.clone()).or_insert(0);
            let id = if *n == 0 { base } else { format!("{base}-{n}") };
            *n += 1;
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
    events
}

/// Whether a URL would make the browser ask another host (or read another file system): it
/// has a scheme, or starts with `//` or `\\`. The site promises no requests leave it, and an
/// image is fetched the moment a page shows it.
fn is_outside(url: &str) -> bool {
    // Browsers read `\` as `/` and drop tabs and line breaks inside an address.
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let scheme = url
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    scheme || url.starts_with("//")
}

/// An image whose address is outside the site becomes a plain link to it (its alt text, or
/// the address, as the link's text): the clerk's reference stays, and nothing is fetched.
fn outside_images_as_links(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut open = Vec::new();
    let mut pending_text: Option<CowStr<'_>> = None;
    for e in events {
        match e {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let outside = is_outside(&dest_url);
                open.push(outside);
                if outside {
                    pending_text = Some(dest_url.clone());
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if open.pop() == Some(true) {
                    if let Some(url) = pending_text.take() {
                        out.push(Event::Text(url));
                    }
                    out.push(Event::End(TagEnd::Link));
                } else {
                    out.push(Event::End(TagEnd::Image));
                }
            }
            other => {
                if matches!(other, Event::Text(_) | Event::Code(_)) && open.last() == Some(&true) {
                    pending_text = None;
                }
                out.push(other);
            }
        }
    }
    out
}

/// The `style` of a table cell, kept only as far as it aligns the cell (what pulldown-cmark
/// writes for `|:--|`): any other property could cover the page (`position: fixed`) or fetch
/// from outside (`background-image: url(…)`).
fn cell_style(value: &str) -> Option<String> {
    let aligns = ["left", "right", "center", "justify", "start", "end"];
    value
        .split(';')
        .filter_map(|declaration| {
            let (property, v) = declaration.split_once(':')?;
            let v = v.trim().to_ascii_lowercase();
            (property.trim().eq_ignore_ascii_case("text-align") && aligns.contains(&v.as_str()))
                .then(|| format!("text-align: {v}"))
        })
        .next_back()
}

/// Heading anchor: letters (any script) and digits kept, the rest collapsed to `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "section".to_owned()
    } else {
        out
    }
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    let headings = ["h1", "h2", "h3", "h4", "h5", "h6"];
    for h in headings {
        b.add_tag_attributes(h, &["id"]);
    }
    b.add_tags(&["input"])
        .add_tag_attributes("input", &["type", "checked", "disabled"])
        .add_tag_attributes("div", &["id", "class"])
        .add_tag_attributes("sup", &["class"])
        .add_tag_attributes("code", &["class"])
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Only `type="checkbox"` inputs (task lists) survive, only alignment styles, and
            // only images inside the site.
            ("input", "type") => (value == "checkbox").then(|| value.into()),
            ("th" | "td", "style") => cell_style(value).map(Into::into),
            ("img", "src") => (!is_outside(value)).then(|| value.into()),
            _ => Some(value.into()),
        });
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_keeps_its_alignment_and_no_other_style() {
        let html = to_html(
            "<table><tr><td style=\"text-align:left;position:fixed;inset:0\">a</td>\
             <td style=\"TEXT-ALIGN: Center; background-image:url(http://h.example/x)\">b</td>\
             <td style=\"text-align:left url(http://h.example/y)\">c</td></tr></table>",
        );
        assert!(
            html.contains(r#"<td style="text-align: left">a</td>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<td style="text-align: center">b</td>"#),
            "{html}"
        );
        assert!(html.contains("<td>c</td>"), "{html}");
        let aligned = to_html("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n[x](y.html)");
        assert!(
            aligned.contains(r#"<td style="text-align: right">2</td>"#),
            "{aligned}"
        );
    }

    #[test]
    fn an_image_from_outside_becomes_a_link_and_is_never_fetched() {
        let html = to_html("![现场照片](https://h.example/a.png) ![](//h.example/b.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(
                r#"<a href="https://h.example/a.png" rel="noopener noreferrer">现场照片</a>"#
            ),
            "{html}"
        );
        assert!(
            html.contains(
                r#"<a href="//h.example/b.png" rel="noopener noreferrer">//h.example/b.png</a>"#
            ),
            "{html}"
        );
        for raw in [
            "<img src=\"http://h.example/c.png\" alt=\"c\">",
            "<img src=\" \\\\h.example\\d.png\">",
            "<img src=\"ht\ttp://h.example/e.png\">",
        ] {
            let html = to_html(raw);
            assert!(!html.contains("h.example"), "{raw} → {html}");
        }
        let inside = to_html("![图](../files/a.png)");
        assert!(
            inside.contains(r#"<img src="../files/a.png" alt="图">"#),
            "{inside}"
        );
    }

    #[test]
    fn stray_controls_are_found_in_the_bytes_as_in_the_characters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}·b");
            assert_eq!(has_stray_control(&text), is_stray_control(c), "{c:?}");
        }
        // Anywhere in a text, also across the blocks it is read in.
        for c in ['\u{1}', '\u{7f}', '\u{85}', '\u{9f}', '·', '°', '\n', '中'] {
            for before in 0..70 {
                let text = format!("{}{c}{}", "a".repeat(before), "中".repeat(3));
                assert_eq!(
                    has_stray_control(&text),
                    is_stray_control(c),
                    "{c:?} at {before}"
                );
            }
        }
    }

    #[test]
    fn the_start_of_the_plain_text_is_the_plain_text_cut() {
        let md = "## 处置经过\n\n县教育局*当日*回应，`YQ-1`\n行文\n\n- 一\n- 二\n\n\
                  | a | b |\n|---|---|\n| 甲 | 乙 |\n\n> 引\n";
        let whole = plain_text(md);
        let length = whole.chars().count();
        assert!(length > 20, "{whole:?}");
        for chars in 0..length + 3 {
            let cut: String = whole.chars().take(chars).collect();
            let length_cut = cut.chars().count();
            assert_eq!(
                plain_text_start(md, chars),
                (cut, length_cut),
                "{chars} characters"
            );
        }
    }

    #[test]
    fn text_that_looks_like_markup_is_escaped_without_the_sanitiser() {
        let html = to_html("## 处置经过\n\n用 `<script>` 和 a <b & c，\"引号\"\n\n- [x] 已回应\n");
        assert!(html.contains("<h2 id=\"处置经过\">"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script") && !html.contains("<b "), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
    }

    #[test]
    fn raw_html_and_links_go_through_the_sanitiser() {
        let html = to_html(
            "<img src=x onerror=alert(1)>\n\n[看](javascript:alert(1)) <b onclick=\"x()\">粗</b>",
        );
        assert!(
            !html.contains("onerror") && !html.contains("onclick"),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
        let html = to_html("见 [原帖](https://example.org/p/1)。");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn a_body_is_blocks_and_sections_for_documents() {
        let md = "## 事件概况\n\n网民**反映**路灯\n不亮。\n\n1. 核实\n2. 回复\n\n| 单位 | 件数 |\n|---|---|\n| 县住建局 | 3 |\n\n## 处置经过\n\n已维修。\n";
        assert_eq!(
            blocks(md),
            vec![
                Block::Heading(2, "事件概况".into()),
                Block::Paragraph(vec![
                    ("网民".into(), false),
                    ("反映".into(), true),
                    ("路灯".into(), false),
                    ("不亮。".into(), false)
                ]),
                Block::Paragraph(vec![("1．".into(), false), ("核实".into(), false)]),
                Block::Paragraph(vec![("2．".into(), false), ("回复".into(), false)]),
                Block::Table(
                    vec!["单位".into(), "件数".into()],
                    vec![vec!["县住建局".into(), "3".into()]]
                ),
                Block::Heading(2, "处置经过".into()),
                Block::Paragraph(vec![("已维修。".into(), false)]),
            ]
        );
        assert_eq!(section(md, "处置经过"), Some("已维修。"));
        assert!(section(md, "事件概况").is_some_and(|s| s.starts_with("网民**反映**")));
        assert_eq!(section(md, "经验教训"), None);
    }

    #[test]
    fn sections_are_each_headings_text_to_the_next_heading() {
        let md = "导语\n\n## 事件概况\n\n网民反映。\n\n### 细节\n\n- 一\n\n## 空节\n\n## `代码` 标题\n\n末段。\n";
        let found = sections(md);
        let titles: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(titles, ["事件概况", "细节", "代码 标题"]);
        assert_eq!(found[0].1, "网民反映。");
        assert_eq!(found[1].1, "- 一");
        assert_eq!(found[2].1, "末段。");
    }
}
