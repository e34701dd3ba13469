//! Search: the static index the browser queries, and the tantivy index behind
//! `casebook search`. Both index the same documents cut by the same analyzer.

pub mod engine;
mod folder;
pub mod static_index;

use chrono::{Datelike, NaiveDate};
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

/// What a search document is: the 类型 facet. Records come first in the index, so they rank
/// first among results of the same score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Case,
    Plan,
    Summary,
    Page,
}

impl Kind {
    /// The facet's value, as the search page and `casebook search` show it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Case => "事件",
            Kind::Plan => "预案",
            Kind::Summary => "舆情分析",
            Kind::Page => "其他页面",
        }
    }
}

/// A document as search sees it: a record, a plan, a summary or a free page. `title` is
/// weighted above [`SearchDoc::text`]; the facets a kind does not have are empty.
#[derive(Debug, Clone)]
pub struct SearchDoc<'a> {
    pub kind: Kind,
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
    /// The date shown with results: a record's discovery, a plan's issue, a summary's
    /// publication.
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

/// The published documents as search documents: the records, in `Library::records` order
/// (newest first), then the plans, the summaries and the free pages.
pub fn documents(lib: &Library) -> Vec<SearchDoc<'_>> {
    let tz = lib.config.timezone;
    let mut docs: Vec<SearchDoc> = lib
        .records
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
                kind: Kind::Case,
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
        .collect();
    let other =
        |kind, id: &str, name: &str, body, facts: Vec<String>, href, date: Option<NaiveDate>| {
            SearchDoc {
                kind,
                id: id.to_owned(),
                name: name.to_owned(),
                title: format!("{id} {name}"),
                body,
                facts: facts.join("\n"),
                href,
                category: String::new(),
                warning: String::new(),
                level: String::new(),
                department: String::new(),
                year: date.map(|d| d.year().to_string()).unwrap_or_default(),
                date: date
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            }
        };
    for p in &lib.plans {
        let mut facts = vec![p.status.clone()];
        facts.extend(p.plan_type.clone());
        facts.extend(p.issuer.clone());
        facts.extend(p.doc_no.clone());
        facts.extend(p.applies_to.iter().cloned());
        let href = urls::plan(&p.id);
        docs.push(other(
            Kind::Plan,
            &p.id,
            &p.title,
            &p.body.markdown,
            facts,
            href,
            Some(p.issued),
        ));
    }
    for s in &lib.summaries {
        let period = s.period.to_string();
        let facts = s.unit.iter().cloned().collect();
        let href = urls::summary(&period);
        let date = s.published.or(Some(s.period.bounds().0));
        docs.push(other(
            Kind::Summary,
            &period,
            &s.title,
            &s.body.markdown,
            facts,
            href,
            date,
        ));
    }
    for p in &lib.pages {
        let facts = p.description.iter().cloned().collect();
        let href = urls::page(&p.name);
        docs.push(other(
            Kind::Page,
            &p.name,
            &p.title,
            &p.body.markdown,
            facts,
            href,
            None,
        ));
    }
    docs
}

/// A document whose text is `text` (as facts: it has no body), discovered on 2 January 2025.
#[cfg(test)]
fn test_doc(title: &str, text: &str) -> SearchDoc<'static> {
    SearchDoc {
        kind: Kind::Case,
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
                kind: Kind::Case,
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
