//! Pages that fit: every kind of page of the demo library, laid out in Chromium at a phone's
//! width (390 px) and at the desktop widths offices use (1366 and 1920 px), keeps its tables
//! inside the column or a scrolling box that fits them, never breaks a short cell over two
//! lines on a desktop, and keeps the search box on one line.

mod common;

use std::collections::BTreeMap;

/// One page of each kind of the built site `out` (the first of each folder's pages, every
/// index and every free page), as paths relative to the site.
fn one_of_each_kind(out: &std::path::Path) -> Vec<String> {
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let rel = entry
            .path()
            .strip_prefix(out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".html") || rel.starts_with('_') {
            continue;
        }
        let stem = rel.rsplit('/').next().unwrap_or_default();
        let folder = rel.strip_suffix(stem).unwrap_or_default();
        let kind = match stem {
            "index.html" => rel.clone(),
            _ if folder == "pages/" => rel.clone(),
            _ => format!("{folder}*"),
        };
        kinds.entry(kind).or_insert(rel);
    }
    let mut pages: Vec<String> = kinds.into_values().collect();
    pages.push("search.html?q=%E5%99%AA%E9%9F%B3".into());
    pages
}

#[test]
fn every_kind_of_page_fits_a_phone_and_the_office_screens() {
    let out = tempfile::tempdir().expect("out");
    let site = out.path().join("site");
    let opts = casebook::BuildOptions {
        out: Some(site.clone()),
        now: Some("2025-06-30T18:00:00".into()),
        ..casebook::BuildOptions::new(env!("CARGO_MANIFEST_DIR"))
    };
    casebook::build(&opts).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    let pages = one_of_each_kind(&site);
    assert!(pages.len() > 20, "{pages:?}");
    let list = serde_json::to_string(&pages).expect("json");
    let harness = include_str!("layout/harness.html").replace("PAGES", &list);
    std::fs::write(site.join("_layout.html"), harness).expect("harness");
    std::fs::write(
        site.join("_layout-check.js"),
        include_str!("layout/check.js"),
    )
    .expect("check");
    let base = common::browser::serve(&site);
    let dom = common::browser::dump_dom(&format!("{base}/_layout.html"));
    let result = common::browser::element_text(&dom, "result");
    assert_eq!(
        result.trim(),
        "done",
        "layout problems:\n{result}\npages: {pages:#?}"
    );
}
