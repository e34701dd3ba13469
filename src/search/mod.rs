//! Search: the static index the browser queries, and the tantivy index behind
//! `casebook search`. Both index the same documents cut by the same analyzer.

pub mod engine;
mod folder;
pub mod static_index;

use chrono::Datelike;
use rayon::prelude::*;

use crate::fnv::FnvMap;
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
    /// Whether the year of [`SearchDoc::date`] has so many records that its buckets are
    /// quarters (see [`SearchDoc::bucket`]).
    pub quarterly: bool,
}

impl SearchDoc<'_> {
    /// Everything but the title a clerk may look for: the body's plain text first (snippets
    /// are cut from its start), then the facts. Made where an index needs it, not kept with
    /// the document: the bodies' plain text is some 400 MB at 100,000 records, and a rebuild
    /// indexes only the few records whose bucket changed.
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

    /// What [`SearchDoc::text`] is made from, for the hashes that tell whether a bucket, a
    /// piece or a result changed (hashing the sources needs no plain text made).
    pub fn text_sources(&self) -> [&[u8]; 2] {
        [self.body.as_bytes(), self.facts.as_bytes()]
    }

    /// The bucket of a record: the year it was discovered in (e.g. 20250 for 2025), or the
    /// quarter of that year where the year has more than [`YEAR_BUCKET_MAX`] records (e.g.
    /// 20253 for July–September 2025); 0 for a record without a date. Both indexes keep what
    /// they made of each bucket, and a rebuild makes again only the buckets whose records
    /// changed. New records and the edits of recent ones fall in the latest bucket: at 10,000
    /// records over five years, some 500 records are indexed again instead of all of them.
    /// (Buckets by a hash of the 编号 would spread ten new records over as many buckets.) A
    /// bucket is a tantivy segment, and each costs a first build some 12 MB of tables set up
    /// and a commit whatever it holds: a quiet year is one bucket, so that a library of 1,000
    /// records makes 5 segments, not 20.
    pub fn bucket(&self) -> u64 {
        let (year, month) = (self.date.get(..4), self.date.get(5..7));
        match (
            year.and_then(|y| y.parse::<u64>().ok()),
            month.and_then(|m| m.parse::<u64>().ok()),
        ) {
            (Some(year), Some(month @ 1..=12)) if self.quarterly => year * 10 + (month - 1) / 3 + 1,
            (Some(year), Some(1..=12)) => year * 10,
            _ => 0,
        }
    }
}

/// A year with more records than this has a bucket per quarter (see [`SearchDoc::bucket`]):
/// indexing a bucket again after an edit then costs at most about a thousand records' work.
pub const YEAR_BUCKET_MAX: usize = 1000;

/// The published records as search documents, in `Library::records` order (newest first).
pub fn documents(lib: &Library) -> Vec<SearchDoc<'_>> {
    let tz = lib.config.timezone;
    let mut per_year: FnvMap<i32, usize> = FnvMap::default();
    for r in &lib.records {
        *per_year
            .entry(r.discovered_at.with_timezone(&tz).year())
            .or_default() += 1;
    }
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
                quarterly: per_year.get(&local.year()).copied().unwrap_or(0) > YEAR_BUCKET_MAX,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quiet year's records share one bucket; a busy year's are bucketed by quarter.
    #[test]
    fn a_bucket_is_a_year_or_a_busy_years_quarter() {
        let doc = |date: &str, quarterly: bool| SearchDoc {
            id: String::new(),
            name: String::new(),
            title: String::new(),
            body: "",
            facts: String::new(),
            href: String::new(),
            category: String::new(),
            warning: String::new(),
            level: String::new(),
            department: String::new(),
            year: String::new(),
            date: date.into(),
            quarterly,
        };
        let buckets = |quarterly| {
            ["2025-01-31", "2025-04-01", "2025-12-31", "2024-12-31", ""]
                .map(|date| doc(date, quarterly).bucket())
        };
        assert_eq!(buckets(false), [20250, 20250, 20250, 20240, 0]);
        assert_eq!(buckets(true), [20251, 20252, 20254, 20244, 0]);
    }

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
                quarterly: true,
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
