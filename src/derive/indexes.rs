//! Case indexes: for each axis (category, warning colour, …) the records under each term.
//!
//! One pass over the records fills every axis, so the cost grows with the number of records,
//! not with records × terms.

use std::collections::HashMap;

use chrono::{Datelike, FixedOffset};

use crate::content::record::Record;
use crate::content::vocab;
use crate::model::Library;

/// The axes staff browse by: URL key and Chinese name.
pub const AXES: &[(&str, &str)] = &[
    ("category", "舆情类别"),
    ("warning", "预警颜色"),
    ("level", "响应级别"),
    ("status", "处置状态"),
    ("department", "责任单位"),
    ("region", "属地"),
    ("platform", "传播平台"),
    ("tag", "标签"),
    ("year", "年份"),
    ("month", "月份"),
    ("plan", "启动预案"),
];

#[derive(Debug)]
pub struct Axis {
    pub key: &'static str,
    pub label: &'static str,
    /// Terms in display order, each with its records newest first (indices into
    /// `Library::records`).
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub records: Vec<usize>,
}

/// The terms a record files under on one axis.
fn terms_of(r: &Record, axis: &str, tz: FixedOffset) -> Vec<String> {
    let one = |v: &Option<String>| v.iter().cloned().collect();
    match axis {
        "category" => vec![r.category.clone()],
        "warning" => one(&r.warning),
        "level" => one(&r.level),
        "status" => vec![r.status.clone()],
        "department" => vec![r.department.clone()],
        "region" => one(&r.region),
        "platform" => r.platforms.clone(),
        "tag" => r.tags.clone(),
        "year" => vec![r.discovered_at.with_timezone(&tz).year().to_string()],
        "month" => vec![r
            .discovered_at
            .with_timezone(&tz)
            .format("%Y-%m")
            .to_string()],
        "plan" => r.plans.clone(),
        _ => Vec::new(),
    }
}

pub fn build(lib: &Library) -> Vec<Axis> {
    let tz = lib.config.timezone;
    AXES.iter()
        .map(|&(key, label)| {
            let mut by_term: HashMap<String, Vec<usize>> = HashMap::new();
            // Records are newest first, so each term's list is too.
            for (i, r) in lib.records.iter().enumerate() {
                for term in terms_of(r, key, tz) {
                    by_term.entry(term).or_default().push(i);
                }
            }
            if key == "plan" {
                by_term.retain(|id, _| lib.plan_index(id).is_some());
            }
            let mut terms: Vec<Term> = by_term
                .into_iter()
                .map(|(name, records)| Term { name, records })
                .collect();
            sort_terms(key, &mut terms, lib);
            Axis { key, label, terms }
        })
        .collect()
}

/// Fixed vocabularies keep their own order; years and months run newest first; the rest by
/// count, then name.
fn sort_terms(axis: &str, terms: &mut [Term], lib: &Library) {
    let categories = lib.config.category_names();
    let fixed: Option<&[&str]> = match axis {
        "category" => Some(&categories),
        "warning" => Some(vocab::WARNINGS),
        "level" => Some(vocab::LEVELS),
        "status" => Some(vocab::STATUSES),
        _ => None,
    };
    match fixed {
        Some(order) => terms.sort_by_key(|t| {
            order
                .iter()
                .position(|o| *o == t.name)
                .unwrap_or(usize::MAX)
        }),
        None if axis == "year" || axis == "month" => terms.sort_by(|a, b| b.name.cmp(&a.name)),
        None => terms.sort_by(|a, b| {
            b.records
                .len()
                .cmp(&a.records.len())
                .then_with(|| a.name.cmp(&b.name))
        }),
    }
}
