//! The model: one immutable `Library` holding exactly what this build publishes.
//!
//! Drafts (unless asked for) and documents whose audience ranks above the build's are dropped
//! here, before anything is derived or rendered, so no later stage can leak them; references
//! to them are removed from the documents that remain.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::config::Config;
use crate::content::load::Loaded;
use crate::content::page::Page;
use crate::content::plan::Plan;
use crate::content::record::Record;
use crate::content::summary::Summary;
use crate::content::template::Template;
use crate::content::Visibility;

#[derive(Debug)]
pub struct Library {
    pub config: Config,
    /// The audience this build publishes for.
    pub audience: String,
    /// Newest first (by `discovered_at`, then id).
    pub records: Vec<Arc<Record>>,
    /// Valid plans first, then by issue date, newest first.
    pub plans: Vec<Arc<Plan>>,
    /// Latest period first.
    pub summaries: Vec<Arc<Summary>>,
    pub templates: Vec<Arc<Template>>,
    /// By weight, then title.
    pub pages: Vec<Arc<Page>>,
    /// How many documents this audience may not see (drafts not counted).
    pub withheld: usize,
    records_by_id: HashMap<String, usize>,
    plans_by_id: HashMap<String, usize>,
}

/// What to publish: the audience, and whether drafts are included.
pub struct Selection<'a> {
    pub audience: &'a str,
    pub drafts: bool,
}

/// Remove every reference to a document this build does not publish. `check` has made sure
/// that references resolve in the whole library, so one that does not resolve among the
/// published documents is to a withheld one: it is left out everywhere (pages, exports,
/// search), not even its id shown, since that would tell that it exists.
fn omit_withheld_references(
    records: &mut [Arc<Record>],
    plans: &mut [Arc<Plan>],
    summaries: &mut [Arc<Summary>],
) {
    let record_ids: HashSet<String> = records.iter().map(|r| r.id.clone()).collect();
    let plan_ids: HashSet<String> = plans.iter().map(|p| p.id.clone()).collect();
    for r in records.iter_mut() {
        let hidden = r.plans.iter().any(|id| !plan_ids.contains(id))
            || r.related.iter().any(|id| !record_ids.contains(id));
        if hidden {
            let r = Arc::make_mut(r);
            r.plans.retain(|id| plan_ids.contains(id));
            r.related.retain(|id| record_ids.contains(id));
        }
    }
    for p in plans.iter_mut() {
        if p.supersedes
            .as_ref()
            .is_some_and(|id| !plan_ids.contains(id))
        {
            Arc::make_mut(p).supersedes = None;
        }
    }
    for s in summaries.iter_mut() {
        if s.key_cases.iter().any(|id| !record_ids.contains(id)) {
            Arc::make_mut(s)
                .key_cases
                .retain(|id| record_ids.contains(id));
        }
    }
}

impl Library {
    pub fn assemble(config: Config, loaded: Loaded, selection: &Selection) -> Library {
        let rank = config.audience_rank(selection.audience);
        let mut withheld = 0;
        let mut keep = |v: &Visibility| {
            if v.draft && !selection.drafts {
                return false;
            }
            let visible = config.audience_rank(&v.audience) <= rank;
            if !visible {
                withheld += 1;
            }
            visible
        };
        let mut records: Vec<Arc<Record>> = loaded
            .records
            .into_iter()
            .filter(|r| keep(&r.visibility))
            .collect();
        let mut plans: Vec<Arc<Plan>> = loaded
            .plans
            .into_iter()
            .filter(|p| keep(&p.visibility))
            .collect();
        let mut summaries: Vec<Arc<Summary>> = loaded
            .summaries
            .into_iter()
            .filter(|s| keep(&s.visibility))
            .collect();
        let mut pages: Vec<Arc<Page>> = loaded
            .pages
            .into_iter()
            .filter(|p| keep(&p.visibility))
            .collect();
        let mut templates = loaded.templates;
        omit_withheld_references(&mut records, &mut plans, &mut summaries);

        records.sort_by(|a, b| {
            b.discovered_at
                .cmp(&a.discovered_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        plans.sort_by(|a, b| {
            a.is_abolished()
                .cmp(&b.is_abolished())
                .then_with(|| b.issued.cmp(&a.issued))
                .then_with(|| a.id.cmp(&b.id))
        });
        summaries.sort_by_key(|s| std::cmp::Reverse(s.period));
        pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
        templates.sort_by(|a, b| a.name.cmp(&b.name));

        let records_by_id = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let plans_by_id = plans
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Library {
            audience: selection.audience.to_owned(),
            config,
            records,
            plans,
            summaries,
            templates,
            pages,
            withheld,
            records_by_id,
            plans_by_id,
        }
    }

    pub fn record_index(&self, id: &str) -> Option<usize> {
        self.records_by_id.get(id).copied()
    }

    pub fn plan_index(&self, id: &str) -> Option<usize> {
        self.plans_by_id.get(id).copied()
    }
}
