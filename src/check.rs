//! The check stage: rules that span documents — unique ids, references that resolve, time
//! order, plan chains. Each problem is a diagnostic naming the file and field.

use std::collections::HashMap;

use crate::content::load::Loaded;
use crate::content::record::TIME_ORDER;
use crate::content::{vocab, Origin};
use crate::diag::Diagnostics;

pub fn check(loaded: &Loaded, diags: &mut Diagnostics) {
    let records = unique(
        loaded
            .records
            .iter()
            .map(|r| (r.id.as_str(), &r.origin, "id")),
        "record id",
        diags,
    );
    let plans = unique(
        loaded
            .plans
            .iter()
            .map(|p| (p.id.as_str(), &p.origin, "id")),
        "plan id",
        diags,
    );
    let periods: Vec<String> = loaded
        .summaries
        .iter()
        .map(|s| s.period.to_string())
        .collect();
    unique(
        loaded
            .summaries
            .iter()
            .zip(&periods)
            .map(|(s, p)| (p.as_str(), &s.origin, "period")),
        "summary period",
        diags,
    );
    unique(
        loaded
            .pages
            .iter()
            .map(|p| (p.name.as_str(), &p.origin, "")),
        "page name",
        diags,
    );

    for r in &loaded.records {
        references(
            &r.origin,
            "plans",
            &r.plans,
            &plans,
            "plan",
            "content/plans/",
            diags,
        );
        references(
            &r.origin, "related", &r.related, &records, "record", "cases/", diags,
        );
        if let Some(i) = r.related.iter().position(|id| *id == r.id) {
            diags.push(
                r.origin
                    .warning(
                        &format!("related[{i}]"),
                        "`related` names the record itself",
                    )
                    .hint("remove its own id from `related`"),
            );
        }
        time_order(r, diags);
    }

    for p in &loaded.plans {
        if let Some(old) = &p.supersedes {
            let one = std::slice::from_ref(old);
            references(
                &p.origin,
                "supersedes",
                one,
                &plans,
                "plan",
                "content/plans/",
                diags,
            );
            if *old == p.id {
                diags.push(
                    p.origin
                        .error("supersedes", "a plan cannot supersede itself"),
                );
            } else if let Some(old_plan) = plans.get(old.as_str()).map(|&i| &loaded.plans[i]) {
                if !old_plan.is_abolished() {
                    diags.push(
                        p.origin
                            .warning(
                                "supersedes",
                                format!(
                                    "supersedes `{old}`, whose status is still {}",
                                    old_plan.status
                                ),
                            )
                            .hint(format!(
                                "set status = \"{}\" and abolished = … in {}",
                                vocab::ABOLISHED,
                                old_plan.origin.path.display()
                            )),
                    );
                }
            }
        }
        if p.is_abolished() && p.abolished.is_none() {
            diags.push(
                p.origin
                    .warning(
                        "status",
                        "status is 废止 but `abolished` (废止日期) is missing",
                    )
                    .hint("add abolished = 2024-01-01 with the date it was withdrawn"),
            );
        }
    }

    for s in &loaded.summaries {
        references(
            &s.origin,
            "key_cases",
            &s.key_cases,
            &records,
            "record",
            "cases/",
            diags,
        );
    }
}

/// Report every id used twice, naming both files; return id → index of its first holder.
/// Ids that differ only in letter case count as the same: they become file names, and
/// Windows and macOS would store both pages in one file.
fn unique<'a>(
    items: impl Iterator<Item = (&'a str, &'a Origin, &'static str)>,
    what: &str,
    diags: &mut Diagnostics,
) -> HashMap<&'a str, usize> {
    let mut seen: HashMap<String, (usize, &str, &Origin)> = HashMap::new();
    for (i, (id, origin, field)) in items.enumerate() {
        if let Some((_, first_id, first)) = seen.get(&id.to_lowercase()) {
            let at = first.positions.of(field);
            let how = if *first_id == id {
                format!("duplicate {what} `{id}`")
            } else {
                format!("{what} `{id}` differs only in letter case from `{first_id}`")
            };
            diags.push(
                origin
                    .error(
                        field,
                        format!(
                            "{how}: also used by {}:{}:{}",
                            first.path.display(),
                            at.line,
                            at.col
                        ),
                    )
                    .hint(format!(
                        "every {what} must be unique, ignoring letter case: change one of the two"
                    )),
            );
        } else {
            seen.insert(id.to_lowercase(), (i, id, origin));
        }
    }
    seen.into_values().map(|(i, id, _)| (id, i)).collect()
}

/// Every id in `ids` must be a key of `known`.
fn references(
    origin: &Origin,
    field: &str,
    ids: &[String],
    known: &HashMap<&str, usize>,
    what: &str,
    folder: &str,
    diags: &mut Diagnostics,
) {
    for (i, id) in ids.iter().enumerate() {
        if known.contains_key(id.as_str()) {
            continue;
        }
        let key = if field == "supersedes" {
            field.to_owned()
        } else {
            format!("{field}[{i}]")
        };
        let mut closest: Vec<&str> = known.keys().copied().collect();
        closest.sort_by_key(|k| strsim::damerau_levenshtein(k, id));
        let hint = match closest.first() {
            Some(best) if strsim::damerau_levenshtein(best, id) <= 3 => {
                format!("did you mean `{best}`?")
            }
            _ => format!("check the id against the {what}s in {folder}"),
        };
        diags.push(
            origin
                .error(
                    &key,
                    format!("`{field}` names {what} `{id}`, which does not exist"),
                )
                .hint(hint),
        );
    }
}

/// first_published_at ≤ discovered_at ≤ reported_at ≤ first_response_at ≤ closed_at.
fn time_order(r: &crate::content::record::Record, diags: &mut Diagnostics) {
    let present: Vec<_> = TIME_ORDER
        .iter()
        .filter_map(|(field, label)| r.time(field).map(|t| (*field, *label, t)))
        .collect();
    for pair in present.windows(2) {
        let (a, a_label, at) = pair[0];
        let (b, b_label, bt) = pair[1];
        if at > bt {
            diags.push(
                r.origin.error(b, format!(
                    "`{b}` ({b_label}) {} is earlier than `{a}` ({a_label}) {}",
                    bt.format("%Y-%m-%d %H:%M"),
                    at.format("%Y-%m-%d %H:%M")
                ))
                .hint("times must run first_published_at ≤ discovered_at ≤ reported_at ≤ first_response_at ≤ closed_at: correct whichever is wrong"),
            );
        }
    }
}
