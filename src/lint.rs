//! Lints: things that are not wrong enough to stop a build but that a clerk wants to hear about
//! before publishing — personal numbers in widely visible records, plans missing the usual
//! sections or past their review date, late answers with no lessons written down, closed cases
//! without a closing time, references that a build for the referring document's audience
//! will leave out. All are warnings; `casebook check --strict` turns them into errors.

use crate::messages::Key;
use crate::msg;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::load::Loaded;
use crate::content::plan::USUAL_SECTIONS;
use crate::content::record::Record;
use crate::content::{vocab, Body};
use crate::derive::deadlines::{self, Outcome};
use crate::diag::{Diagnostic, Diagnostics, Pos};

/// A plan missing this many of [`USUAL_SECTIONS`] or more gets a warning.
const MISSING_SECTIONS_WARNED: usize = 3;

/// The section a record answered late should have.
const LESSONS: &str = "经验教训";

/// Lint the documents of the library at `root` (whose files give the warnings their lines).
pub fn lint(
    root: &Path,
    loaded: &Loaded,
    config: &Config,
    now: DateTime<FixedOffset>,
    diags: &mut Diagnostics,
) {
    let per_record: Vec<Diagnostics> = loaded
        .records
        .par_iter()
        .map(|r| {
            let late = deadlines::response(r, config, now).outcome == Outcome::Late;
            {
                let mut d = Diagnostics::default();
                if late {
                    lessons_missing(r, &mut d);
                }
                if r.is_closed() && r.closed_at.is_none() {
                    d.push(
                        r.origin
                            .warning("status", Key::ClosedAtMissing)
                            .hint(Key::AddClosedAt),
                    );
                }
                d.with_source_lines(root)
            }
        })
        .collect();
    for d in per_record {
        diags.extend(d);
    }
    narrower_references(loaded, config, diags);
    let today = now.date_naive();
    for p in loaded.plans.iter().filter(|p| !p.is_abolished()) {
        let missing: Vec<&str> = USUAL_SECTIONS
            .iter()
            .copied()
            .filter(|s| !p.body.headings.iter().any(|h| h.contains(s)))
            .collect();
        if missing.len() >= MISSING_SECTIONS_WARNED {
            diags.push(
                Diagnostic::warning(
                    &p.origin.path,
                    body_pos(&p.body),
                    msg!(
                        PlanLacksSections,
                        n = missing.len(),
                        list = missing.join("、")
                    ),
                )
                .hint(Key::AddPlanSections),
            );
        }
        // A plan already 修订中 is being reviewed; only valid plans are nagged about it.
        if p.status != vocab::VALID_PLAN {
            continue;
        }
        if let Some(due) = crate::derive::plans::review_due(p) {
            if due < today {
                let field = if p.last_reviewed.is_some() {
                    "last_reviewed"
                } else {
                    "issued"
                };
                diags.push(
                    p.origin
                        .warning(
                            field,
                            msg!(
                                ReviewDue,
                                due = due.to_string(),
                                years = p.review_cycle_years
                            ),
                        )
                        .hint(Key::ReviewHint),
                );
            }
        }
    }
}

/// A record answered after its deadline should say what was learned.
fn lessons_missing(r: &Record, diags: &mut Diagnostics) {
    if r.body.headings.iter().any(|h| h.contains(LESSONS)) {
        return;
    }
    diags.push(
        r.origin
            .warning("first_response_at", Key::LateWithoutLessons)
            .hint(Key::AddLessons),
    );
}

fn body_pos(body: &Body) -> Pos {
    Pos {
        line: body.line,
        col: 1,
    }
}

/// A reference to a document with a narrower audience than the referring one's: a build for
/// the wider audience leaves it out (not even its id is shown), which the clerk should know.
fn narrower_references(loaded: &Loaded, config: &Config, diags: &mut Diagnostics) {
    let records: std::collections::HashMap<&str, &str> = loaded
        .records
        .iter()
        .map(|r| (r.id.as_str(), r.visibility.audience.as_str()))
        .collect();
    let plans: std::collections::HashMap<&str, &str> = loaded
        .plans
        .iter()
        .map(|p| (p.id.as_str(), p.visibility.audience.as_str()))
        .collect();
    let mut check = |origin: &crate::content::Origin,
                     ours: &str,
                     field: &str,
                     ids: &[String],
                     known: &std::collections::HashMap<&str, &str>| {
        for (i, id) in ids.iter().enumerate() {
            let Some(theirs) = known.get(id.as_str()) else {
                continue;
            };
            if config.audience_rank(theirs) > config.audience_rank(ours) {
                let at = match field {
                    "supersedes" => field.to_owned(),
                    _ => format!("{field}[{i}]"),
                };
                diags.push(
                    origin
                        .warning(
                            &at,
                            msg!(
                                NarrowerReference,
                                field = field,
                                id = id,
                                theirs = *theirs,
                                ours = ours
                            ),
                        )
                        .hint(msg!(NarrowerHint, ours = ours)),
                );
            }
        }
    };
    for r in &loaded.records {
        let ours = r.visibility.audience.as_str();
        check(&r.origin, ours, "related", &r.related, &records);
        check(&r.origin, ours, "plans", &r.plans, &plans);
    }
    for p in &loaded.plans {
        let old: Vec<String> = p.supersedes.iter().cloned().collect();
        check(
            &p.origin,
            &p.visibility.audience,
            "supersedes",
            &old,
            &plans,
        );
    }
    for s in &loaded.summaries {
        check(
            &s.origin,
            &s.visibility.audience,
            "key_cases",
            &s.key_cases,
            &records,
        );
    }
}
