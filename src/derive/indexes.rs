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
    ("sentiment", "情感倾向"),
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
        "sentiment" => one(&r.sentiment),
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

/// Whether a record has any term on axis `key` (optional fields may be left out).
pub fn has_term(r: &Record, key: &str) -> bool {
    // The timezone only shapes year and month terms, which every record has.
    !terms_of(r, key, *r.discovered_at.offset()).is_empty()
}

pub fn build(lib: &Library) -> Vec<Axis> {
    let all: Vec<usize> = (0..lib.records.len()).collect();
    AXES.iter()
        .map(|&(key, label)| Axis {
            key,
            label,
            terms: terms(lib, key, &all),
        })
        .collect()
}

/// The terms of axis `key` over `records` (indices, newest first), in display order. Used for
/// the whole library here and for one period's records by the statistics.
pub fn terms(lib: &Library, key: &str, records: &[usize]) -> Vec<Term> {
    let tz = lib.config.timezone;
    let mut by_term: HashMap<String, Vec<usize>> = HashMap::new();
    for &i in records {
        for term in terms_of(&lib.records[i], key, tz) {
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
    terms
}

/// Fixed vocabularies keep their own order; years and months run newest first; the rest by
/// count, then name.
fn sort_terms(axis: &str, terms: &mut [Term], lib: &Library) {
    let categories = lib.config.category_names();
    let fixed: Option<&[&str]> = match axis {
        "category" => Some(&categories),
        "warning" => Some(vocab::WARNINGS),
        "level" => Some(vocab::LEVELS),
        "sentiment" => Some(vocab::SENTIMENTS),
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
