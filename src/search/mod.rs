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

/// A record as search sees it. `title` is weighted above `text`.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub id: String,
    /// The record's title as shown.
    pub name: String,
    /// 编号 and title: matches here rank first.
    pub title: String,
    /// Everything else a clerk may look for: facts, timeline, documents and the body.
    pub text: String,
    pub href: String,
    pub category: String,
    pub warning: String,
    pub level: String,
    pub department: String,
    pub year: String,
    /// The discovery date, shown with results.
    pub date: String,
}

impl SearchDoc {
    /// The bucket of a record: the quarter of the year it was discovered in (e.g. 20253 for
    /// July–September 2025; 0 for a record without a date). Both indexes keep what they made
    /// of each bucket, and a rebuild makes again only the buckets whose records changed. New
    /// records and the edits of recent ones fall in the latest quarter: at 10,000 records
    /// over five years, some 500 records are indexed again instead of all of them. (Buckets
    /// by a hash of the 编号 would spread ten new records over as many buckets; many small
    /// buckets would cost a first build of the tantivy index a commit each, some 10 ms.)
    pub fn bucket(&self) -> u64 {
        let (year, month) = (self.date.get(..4), self.date.get(5..7));
        match (
            year.and_then(|y| y.parse::<u64>().ok()),
            month.and_then(|m| m.parse::<u64>().ok()),
        ) {
            (Some(year), Some(month @ 1..=12)) => year * 10 + (month - 1) / 3 + 1,
            _ => 0,
        }
    }
}

/// The published records as search documents, in `Library::records` order (newest first).
pub fn documents(lib: &Library) -> Vec<SearchDoc> {
    let tz = lib.config.timezone;
    lib.records
        .par_iter()
        .map(|r| {
            // The body first: snippets are cut from the start of this text.
            let mut text = vec![
                markdown::plain_text(&r.body.markdown),
                r.category.clone(),
                r.department.clone(),
                r.status.clone(),
            ];
            text.extend(r.region.clone());
            text.extend(r.warning.as_ref().map(|w| format!("{w}色预警")));
            text.extend(r.level.clone());
            text.extend(r.platforms.iter().cloned());
            text.extend(r.tags.iter().cloned());
            text.extend(r.response_channel.clone());
            for t in &r.timeline {
                text.push(format!("{} {}", t.stage, t.note));
            }
            for d in &r.documents {
                text.push(format!(
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
                text: text.join("\n"),
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
