//! Plan facts: the version chain, the review due date and the cases that activated each plan.

use chrono::{Months, NaiveDate};

use crate::content::plan::Plan;
use crate::model::Library;

#[derive(Debug, Clone)]
pub struct PlanFacts {
    /// The plan that replaces this one (index into `Library::plans`).
    pub superseded_by: Option<usize>,
    /// The plan this one replaces, if it is visible in this build.
    pub supersedes: Option<usize>,
    /// When the plan is next due for review; none for abolished plans.
    pub review_due: Option<NaiveDate>,
    pub review_overdue: bool,
    /// The whole version chain this plan belongs to, oldest first (itself included).
    pub chain: Vec<usize>,
    /// Records that activated the plan, newest first (indices into `Library::records`).
    pub cases: Vec<usize>,
}

/// When a plan is next due for review: `last_reviewed` (or `issued`) plus its cycle.
pub fn review_due(p: &Plan) -> Option<NaiveDate> {
    p.review_base()
        .checked_add_months(Months::new(12 * p.review_cycle_years))
}

pub fn plan_facts(lib: &Library, today: NaiveDate) -> Vec<PlanFacts> {
    let mut facts: Vec<PlanFacts> = lib
        .plans
        .iter()
        .map(|p| {
            let review_due = (!p.is_abolished()).then(|| review_due(p)).flatten();
            PlanFacts {
                superseded_by: None,
                supersedes: p.supersedes.as_deref().and_then(|id| lib.plan_index(id)),
                review_due,
                review_overdue: review_due.is_some_and(|d| d < today),
                cases: Vec::new(),
                chain: Vec::new(),
            }
        })
        .collect();
    for i in 0..facts.len() {
        if let Some(old) = facts[i].supersedes {
            facts[old].superseded_by = Some(i);
        }
    }
    for i in 0..facts.len() {
        facts[i].chain = chain(&facts, i);
    }
    // Records are newest first, so pushing in order keeps each list newest first.
    for (ri, r) in lib.records.iter().enumerate() {
        for id in &r.plans {
            if let Some(pi) = lib.plan_index(id) {
                facts[pi].cases.push(ri);
            }
        }
    }
    facts
}

/// Walk back to the oldest version, then forward to the newest. Bounded by the number of
/// plans, so a cycle written by mistake cannot loop forever.
fn chain(facts: &[PlanFacts], start: usize) -> Vec<usize> {
    let mut oldest = start;
    for _ in 0..facts.len() {
        match facts[oldest].supersedes {
            Some(prev) if prev != start => oldest = prev,
            _ => break,
        }
    }
    let mut out = vec![oldest];
    let mut at = oldest;
    while let Some(next) = facts[at].superseded_by {
        if out.contains(&next) || out.len() > facts.len() {
            break;
        }
        out.push(next);
        at = next;
    }
    out
}
