//! The check stage: rules that span documents — unique ids, references that resolve, time
//! order, plan chains. Each problem is a diagnostic naming the file and field.

use std::collections::HashMap;

use unicase::UniCase;

use crate::content::load::Loaded;
use crate::content::record::TIME_ORDER;
use crate::content::{vocab, Origin};
use crate::diag::Diagnostics;
use crate::messages::{Key, Message};
use crate::msg;

pub fn check(loaded: &Loaded, diags: &mut Diagnostics) {
    let records = unique(
        loaded
            .records
            .iter()
            .map(|r| (r.id.as_str(), &r.origin, "id")),
        Key::RecordId,
        diags,
    );
    let plans = unique(
        loaded
            .plans
            .iter()
            .map(|p| (p.id.as_str(), &p.origin, "id")),
        Key::PlanId,
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
        Key::SummaryPeriod,
        diags,
    );
    unique(
        loaded
            .pages
            .iter()
            .map(|p| (p.name.as_str(), &p.origin, "")),
        Key::PageName,
        diags,
    );
    unique(
        loaded
            .templates
            .iter()
            .map(|t| (t.name.as_str(), &t.origin, "")),
        Key::TemplateName,
        diags,
    );

    for r in &loaded.records {
        references(
            &r.origin,
            "plans",
            &r.plans,
            &plans,
            Key::APlan,
            "content/plans/",
            diags,
        );
        references(
            &r.origin,
            "related",
            &r.related,
            &records,
            Key::ARecord,
            "cases/",
            diags,
        );
        if let Some(i) = r.related.iter().position(|id| *id == r.id) {
            diags.push(
                r.origin
                    .warning(&format!("related[{i}]"), Key::RelatedSelf)
                    .hint(Key::RemoveSelf),
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
                Key::APlan,
                "content/plans/",
                diags,
            );
            if *old == p.id {
                diags.push(p.origin.error("supersedes", Key::SupersedesSelf));
            } else if let Some(old_plan) = plans.get(old.as_str()).map(|&i| &loaded.plans[i]) {
                if !old_plan.is_abolished() {
                    diags.push(
                        p.origin
                            .warning(
                                "supersedes",
                                msg!(SupersedesValid, old = old, status = &old_plan.status),
                            )
                            .hint(msg!(
                                SetAbolished,
                                status = vocab::ABOLISHED,
                                file = old_plan.origin.path.display()
                            )),
                    );
                }
            }
        }
        if p.is_abolished() && p.abolished.is_none() {
            diags.push(
                p.origin
                    .warning("status", Key::AbolishedMissing)
                    .hint(Key::AddAbolished),
            );
        }
    }

    for s in &loaded.summaries {
        references(
            &s.origin,
            "key_cases",
            &s.key_cases,
            &records,
            Key::ARecord,
            "cases/",
            diags,
        );
    }
}

/// Report every id used twice, naming both files; return id → index of its first holder.
/// Ids that differ only in letter case (Unicode case folding: `Дом` and `дом`, `Σ` and `ς`)
/// count as the same: they become file names, and Windows and macOS would store both pages
/// in one file.
fn unique<'a>(
    items: impl Iterator<Item = (&'a str, &'a Origin, &'static str)>,
    what: Key,
    diags: &mut Diagnostics,
) -> HashMap<&'a str, usize> {
    let mut seen: HashMap<UniCase<&str>, (usize, &str, &Origin)> = HashMap::new();
    for (i, (id, origin, field)) in items.enumerate() {
        if let Some((_, first_id, first)) = seen.get(&UniCase::new(id)) {
            let at = first.positions.of(field);
            let how: Message = if *first_id == id {
                msg!(Duplicate, what = what, id = id)
            } else {
                msg!(CaseOnly, what = what, id = id, first = *first_id)
            };
            let place = format!("{}:{}:{}", first.path.display(), at.line, at.col);
            diags.push(
                origin
                    .error(field, msg!(AlsoUsedBy, how = how, place = place))
                    .hint(msg!(UniqueIgnoringCase, what = what)),
            );
        } else {
            seen.insert(UniCase::new(id), (i, id, origin));
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
    what: Key,
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
                msg!(DidYouMean, key = *best)
            }
            _ => msg!(CheckIdsIn, what = what, folder = folder),
        };
        diags.push(
            origin
                .error(
                    &key,
                    msg!(DoesNotExist, field = field, what = what, id = id),
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
                r.origin
                    .error(
                        b,
                        msg!(
                            EarlierThan,
                            later = msg!(FieldLabel, key = b, label = b_label),
                            later_at = bt.format("%Y-%m-%d %H:%M").to_string(),
                            earlier = msg!(FieldLabel, key = a, label = a_label),
                            earlier_at = at.format("%Y-%m-%d %H:%M").to_string()
                        ),
                    )
                    .hint(Key::TimeOrderHint),
            );
        }
    }
}
