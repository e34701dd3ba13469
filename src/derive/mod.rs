//! The derive stage: facts computed from the `Library` — pure functions, no file access.

pub mod deadlines;
pub mod hot_words;
pub mod indexes;
pub mod plans;
pub mod related;
pub mod stats;

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::model::Library;

/// Everything the render stage needs beyond the documents themselves.
#[derive(Debug)]
pub struct Derived {
    /// Per plan (same order as `Library::plans`).
    pub plans: Vec<plans::PlanFacts>,
    /// Records not yet 已办结, newest first (indices into `Library::records`).
    pub open_cases: Vec<usize>,
    /// Response metrics per record (same order as `Library::records`).
    pub responses: Vec<deadlines::Response>,
    /// Records marked 典型案例, newest first.
    pub typical: Vec<usize>,
    /// The moment "now" for this build: overdue and due-for-review are judged against it.
    pub now: DateTime<FixedOffset>,
    // Facts over the whole library that only some pages need are made when first asked for:
    // after a clerk's edit `serve` shows the record page without waiting for the statistics.
    axes: OnceLock<Vec<indexes::Axis>>,
    similar: OnceLock<related::Similarity>,
    /// Every record's similar records, where a build found them all at once.
    similar_all: OnceLock<Vec<Vec<usize>>>,
    /// Where the records' words for [`Derived::similar`] come from.
    words: Arc<related::WordCounts>,
    stats: OnceLock<stats::Statistics>,
    hot_words: OnceLock<hot_words::HotWords>,
}

/// The facts of `lib` as of `now`; the records' words for similar cases are taken from
/// `words` (a new one, or the one `serve` keeps).
pub fn derive(
    lib: &Library,
    now: DateTime<FixedOffset>,
    words: Arc<related::WordCounts>,
) -> Derived {
    let responses: Vec<deadlines::Response> = lib
        .records
        .par_iter()
        .map(|r| deadlines::response(r, &lib.config, now))
        .collect();
    Derived {
        plans: plans::plan_facts(lib, now.date_naive()),
        open_cases: (0..lib.records.len())
            .filter(|&i| !lib.records[i].is_closed())
            .collect(),
        typical: (0..lib.records.len())
            .filter(|&i| lib.records[i].typical)
            .collect(),
        responses,
        now,
        axes: OnceLock::new(),
        similar: OnceLock::new(),
        similar_all: OnceLock::new(),
        words,
        stats: OnceLock::new(),
        hot_words: OnceLock::new(),
    }
}

/// The facts made when first asked for. `lib` is always the library these facts were derived
/// from (the two travel together, as in [`crate::Prepared`]).
impl Derived {
    /// The case indexes, one per axis.
    pub fn axes(&self, lib: &Library) -> &[indexes::Axis] {
        self.axes.get_or_init(|| indexes::build(lib))
    }

    /// Finds the records most similar to a record.
    pub fn similar(&self, lib: &Library) -> &related::Similarity {
        self.similar
            .get_or_init(|| related::similarity(lib, &self.words))
    }

    /// Up to [`related::SIMILAR`] records like record `i`, best first: from the lists a build
    /// found all at once ([`Derived::complete`]), else found now (`serve`, page by page).
    pub fn similar_to(&self, lib: &Library, i: usize) -> Vec<usize> {
        match self.similar_all.get() {
            Some(all) => all.get(i).cloned().unwrap_or_default(),
            None => self.similar(lib).of(i),
        }
    }

    pub fn stats(&self, lib: &Library) -> &stats::Statistics {
        self.stats
            .get_or_init(|| stats::build(lib, &self.responses))
    }

    /// The words that set a scope's records apart, for 热词.
    pub fn hot_words(&self, lib: &Library) -> &hot_words::HotWords {
        self.hot_words
            .get_or_init(|| hot_words::hot_words(lib, self.words.segmenter()))
    }

    /// Make every fact now, side by side (a build needs them all).
    pub fn complete(&self, lib: &Library) {
        rayon::join(
            || self.similar_all.get_or_init(|| self.similar(lib).all()),
            || {
                rayon::join(
                    || self.axes(lib),
                    || rayon::join(|| self.stats(lib), || self.hot_words(lib)),
                )
            },
        );
    }
}
