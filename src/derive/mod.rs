//! The derive stage: facts computed from the `Library` — pure functions, no file access.

pub mod deadlines;
pub mod indexes;
pub mod plans;
pub mod related;
pub mod stats;

use std::sync::OnceLock;

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
    // A build asks for all of them at once ([`Derived::complete`]).
    axes: OnceLock<Vec<indexes::Axis>>,
    similar: OnceLock<std::sync::Arc<related::Similarity>>,
    /// What the similar records were found from, and found, for a build to keep in its site
    /// ([`Derived::complete`]).
    known: std::sync::Mutex<Option<related::Known>>,
    stats: OnceLock<stats::Statistics>,
}

pub fn derive(lib: &Library, now: DateTime<FixedOffset>) -> Derived {
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
        known: std::sync::Mutex::new(None),
        stats: OnceLock::new(),
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
        self.similar_with(lib, None)
    }

    fn similar_with(&self, lib: &Library, known: Option<&related::Known>) -> &related::Similarity {
        self.similar.get_or_init(|| {
            let (similar, known) = related::similarity(lib, known);
            if let Some(known) = known {
                *self.known() = Some(known);
            }
            similar
        })
    }

    /// What the similar records were found from, and found, once: a build keeps it in its
    /// site for the next one.
    pub fn take_known(&self) -> Option<related::Known> {
        self.known().take()
    }

    fn known(&self) -> std::sync::MutexGuard<'_, Option<related::Known>> {
        self.known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn stats(&self, lib: &Library) -> &stats::Statistics {
        self.stats
            .get_or_init(|| stats::build(lib, &self.responses))
    }

    /// Make every fact now, side by side (a build needs them all), taking what `known` (the
    /// last build's) has of the records' similarity.
    pub fn complete(&self, lib: &Library, known: &related::Known) {
        rayon::join(
            || self.similar_with(lib, Some(known)),
            || rayon::join(|| self.axes(lib), || self.stats(lib)),
        );
    }
}
