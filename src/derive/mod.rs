//! The derive stage: facts computed from the `Library` — pure functions, no file access.

pub mod plans;

use chrono::{DateTime, FixedOffset};

use crate::model::Library;

/// Everything the render stage needs beyond the documents themselves.
#[derive(Debug)]
pub struct Derived {
    /// Per plan (same order as `Library::plans`).
    pub plans: Vec<plans::PlanFacts>,
    /// Records not yet 已办结, newest first (indices into `Library::records`).
    pub open_cases: Vec<usize>,
    /// The moment "now" for this build: overdue and due-for-review are judged against it.
    pub now: DateTime<FixedOffset>,
}

pub fn derive(lib: &Library, now: DateTime<FixedOffset>) -> Derived {
    Derived {
        plans: plans::plan_facts(lib, now.date_naive()),
        open_cases: (0..lib.records.len())
            .filter(|&i| !lib.records[i].is_closed())
            .collect(),
        now,
    }
}
