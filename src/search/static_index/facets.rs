//! `search/facets.js`: the facet values and one packed code per document for all its facets
//! (years as runs of document numbers): what facet counts over all results and filters need.
//! At 100,000 records it is the largest file a query can load, so the browser loads it only
//! when the counts are drawn or a filter is set — after the first results are on screen.

use std::collections::HashMap;

use super::codec::DIGITS;
use super::DIR;
use crate::render::{script_json, SiteFile};
use crate::search::SearchDoc;

/// Facets shown with results: document field, Chinese name, and whether only records have
/// it (the browser then counts only records' values: a plan has no 类别).
pub const FACETS: &[(&str, &str, bool)] = &[
    ("kind", "类型", false),
    ("category", "类别", true),
    ("warning", "预警", true),
    ("level", "级别", true),
    ("department", "责任单位", true),
    ("year", "年份", false),
];

/// The facets file of `docs`.
pub fn file(docs: &[SearchDoc]) -> SiteFile {
    let field = |d: &SearchDoc, key: &str| -> String {
        match key {
            "kind" => d.kind.label().to_owned(),
            "category" => d.category.clone(),
            "warning" => d.warning.clone(),
            "level" => d.level.clone(),
            "department" => d.department.clone(),
            _ => d.year.clone(),
        }
    };
    let mut facets = Vec::new();
    // The other facets' values are packed into one number per document (mixed radix: each
    // facet's value times the product of the earlier facets' sizes), written in base 64.
    let mut codes: Vec<u64> = vec![0; docs.len()];
    let mut combinations: u64 = 1;
    for &(key, label, cases) in FACETS {
        let mut values: Vec<String> = docs.iter().map(|d| field(d, key)).collect();
        values.sort();
        values.dedup();
        let index: HashMap<&str, usize> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (v.as_str(), i))
            .collect();
        let per_doc: Vec<usize> = docs
            .iter()
            .map(|d| index.get(field(d, key).as_str()).copied().unwrap_or(0))
            .collect();
        // Records run newest first, then plans, summaries and pages, so a kind is one stretch
        // of document numbers, and so mostly is a year: such a facet is stored as (first
        // document, value) runs instead of a code per document.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (n, &v) in per_doc.iter().enumerate() {
            if runs.last().is_none_or(|&(_, last)| last != v) {
                runs.push((n, v));
            }
        }
        if runs.len() == values.len() {
            facets.push(serde_json::json!({
                "key": key, "label": label, "cases": cases, "values": values, "runs": runs,
            }));
            continue;
        }
        for (&v, code) in per_doc.iter().zip(codes.iter_mut()) {
            *code += v as u64 * combinations;
        }
        combinations = combinations.saturating_mul(values.len().max(1) as u64);
        facets.push(
            serde_json::json!({ "key": key, "label": label, "cases": cases, "values": values }),
        );
    }
    let mut width = 1;
    while 64u64.saturating_pow(width) < combinations {
        width += 1;
    }
    let codes: String = codes
        .iter()
        .flat_map(|&code| {
            (0..width)
                .rev()
                .map(move |i| DIGITS[(code / 64u64.pow(i) % 64) as usize] as char)
        })
        .collect();
    let data = serde_json::json!({ "facets": facets, "codes": codes, "codeWidth": width });
    SiteFile {
        path: format!("{DIR}/facets.js"),
        bytes: format!("casebook.facets({});\n", script_json(&data)).into_bytes(),
    }
}
