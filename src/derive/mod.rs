//! The derive stage: facts computed from the `Library` — pure functions, no file access.

pub mod deadlines;
pub mod indexes;
pub mod plans;
pub mod related;
pub mod stats;

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
    pub axes: Vec<indexes::Axis>,
    /// Finds the records most similar to a record.
    pub similar: related::Similarity,
    pub stats: stats::Statistics,
    /// The moment "now" for this build: overdue and due-for-review are judged against it.
    pub now: DateTime<FixedOffset>,
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
        axes: indexes::build(lib),
        stats: stats::build(lib, &responses),
        similar: related::similarity(lib),
        responses,
        now,
    }
}
