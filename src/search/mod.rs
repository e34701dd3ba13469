//! Search: the static index the browser queries, and the tantivy index behind
//! `casebook search`. Both index the same documents cut by the same analyzer.

pub mod engine;
mod folder;
pub mod static_index;

use chrono::Datelike;
use rayon::prelude::*;

use crate::model::Library;
use crate::render::views::urls;
use crate::text::markdown;

/// Which search indexes a build writes. The command line always writes both; the benchmarks
/// leave one or both out to measure what each adds to a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indexes {
    /// The static index the browser queries (`search/`).
    pub browser: bool,
    /// The tantivy index behind `casebook search` (`_index/`).
    pub engine: bool,
}

impl Indexes {
    pub const ALL: Indexes = Indexes {
        browser: true,
        engine: true,
    };
    pub const NONE: Indexes = Indexes {
        browser: false,
        engine: false,
    };

    pub fn any(self) -> bool {
        self.browser || self.engine
    }
}

/// A record as search sees it. `title` is weighted above [`SearchDoc::text`].
#[derive(Debug, Clone)]
pub struct SearchDoc<'a> {
    pub id: String,
    /// The record's title as shown.
    pub name: String,
    /// 编号 and title: matches here rank first.
    pub title: String,
    /// The record's body, as Markdown: its plain text opens [`SearchDoc::text`].
    body: &'a str,
    /// The rest of what a clerk may look for, one per line: facts, timeline, documents.
    facts: String,
    pub href: String,
    pub category: String,
    pub warning: String,
    pub level: String,
    pub department: String,
    pub year: String,
    /// The discovery date, shown with results.
    pub date: String,
}

impl SearchDoc<'_> {
    /// Everything but the title a clerk may look for: the body's plain text first (snippets
    /// are cut from its start), then the facts. Made where an index needs it, not kept with
    /// the document: the bodies' plain text is some 400 MB at 100,000 records.
    pub fn text(&self) -> String {
        self.text_start(usize::MAX)
    }

    /// The first `chars` characters of [`SearchDoc::text`], the body read only as far as
    /// they go.
    pub fn text_start(&self, chars: usize) -> String {
        let (mut text, body_chars) = markdown::plain_text_start(self.body, chars);
        if body_chars < chars {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&self.facts);
            text.truncate(crate::text::char_to_byte(&text, chars));
        }
        text
    }
}

/// The published records as search documents, in `Library::records` order (newest first).
pub fn documents(lib: &Library) -> Vec<SearchDoc<'_>> {
    let tz = lib.config.timezone;
    lib.records
        .par_iter()
        .map(|r| {
            let mut facts = vec![r.category.clone(), r.department.clone(), r.status.clone()];
            facts.extend(r.region.clone());
            facts.extend(r.warning.as_ref().map(|w| format!("{w}色预警")));
            facts.extend(r.level.clone());
            facts.extend(r.platforms.iter().cloned());
            facts.extend(r.tags.iter().cloned());
            facts.extend(r.response_channel.clone());
            for t in &r.timeline {
                facts.push(format!("{} {}", t.stage, t.note));
            }
            for d in &r.documents {
                facts.push(format!(
                    "{} {}",
                    d.kind,
                    d.number.as_deref().unwrap_or_default()
                ));
            }
            let local = r.discovered_at.with_timezone(&tz);
            SearchDoc {
                id: r.id.clone(),
                name: r.title.clone(),
                title: format!("{} {}", r.id, r.title),
                body: &r.body.markdown,
                facts: facts.join("\n"),
                href: urls::case(&r.id),
                category: r.category.clone(),
                warning: r.warning.clone().unwrap_or_default(),
                level: r.level.clone().unwrap_or_default(),
                department: r.department.clone(),
                year: local.year().to_string(),
                date: local.format("%Y-%m-%d").to_string(),
            }
        })
        .collect()
}

/// A document whose text is `text` (as facts: it has no body), discovered on 2 January 2025.
#[cfg(test)]
fn test_doc(title: &str, text: &str) -> SearchDoc<'static> {
    SearchDoc {
        id: title.into(),
        name: title.into(),
        title: title.into(),
        body: "",
        facts: text.into(),
        href: String::new(),
        category: String::new(),
        warning: String::new(),
        level: String::new(),
        department: String::new(),
        year: "2025".into(),
        date: "2025-01-02".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_of_a_text_is_the_text_cut() {
        for body in ["", "## 经过\n\n县*教育局*回应。\n\n- 一\n- 二\n"] {
            let doc = SearchDoc {
                id: "YQ-1".into(),
                name: "学校".into(),
                title: "YQ-1 学校".into(),
                body,
                facts: "教育\n县教育局\n已办结".into(),
                href: String::new(),
                category: String::new(),
                warning: String::new(),
                level: String::new(),
                department: String::new(),
                year: String::new(),
                date: String::new(),
            };
            let whole = doc.text();
            assert!(whole.ends_with("已办结"), "{whole:?}");
            for chars in 0..whole.chars().count() + 2 {
                let cut: String = whole.chars().take(chars).collect();
                assert_eq!(
                    doc.text_start(chars),
                    cut,
                    "{chars} characters of {whole:?}"
                );
            }
        }
    }
}
