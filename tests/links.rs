//! Every `href` and `src` in the generated site is relative and resolves to a file inside it,
//! so the site works under any URL prefix and from `file://`.

mod common;

use std::path::{Component, Path, PathBuf};

use common::Scratch;

fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let start = i + needle.len();
            html[start..].find('"').map(|end| &html[start..start + end])
        })
        .collect()
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => assert!(out.pop(), "{} climbs out of the site", path.display()),
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn every_link_is_relative_and_resolves() {
    let lib = Scratch::of("basic");
    lib.built();
    let site = lib.out();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let rel_page = entry.path().strip_prefix(&site).unwrap();
        for value in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            if let Some(fragment) = value.strip_prefix('#') {
                assert!(
                    html.contains(&format!("id=\"{fragment}\"")),
                    "{}: #{fragment} has no target",
                    rel_page.display()
                );
                continue;
            }
            assert!(
                !value.starts_with('/') && !value.contains("://"),
                "{}: `{value}` is not relative",
                rel_page.display()
            );
            let path = value.split(['#', '?']).next().unwrap();
            let target = normalise(&rel_page.parent().unwrap().join(path));
            assert!(
                site.join(&target).is_file(),
                "{}: `{value}` does not resolve",
                rel_page.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}
