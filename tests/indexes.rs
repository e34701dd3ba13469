//! Case indexes by axis and the response metrics shown with each case, on the `basic` fixture
//! (figures worked out by hand from its three published records).

mod common;

use common::Scratch;

#[test]
fn response_time_against_the_category_deadline() {
    let lib = Scratch::of("basic");
    lib.built();
    // 08:30 → 10:05 the same day, deadline same-day.
    assert!(lib
        .read("cases/YQ-2024-0031.html")
        .contains("首次回应用时 1小时35分，时限 当日24时前，按时；办结用时 3天8小时30分"));
    // 21:40 → 08:00 next day: past 24:00 of the discovery day.
    assert!(lib
        .read("cases/YQ-2024-0040.html")
        .contains("首次回应用时 10小时20分，时限 当日24时前，超时"));
    // Unanswered 突发事件类 from 2024-06-20 14:00 (2h), judged as of --now 2024-08-01.
    assert!(lib
        .read("cases/YQ-2024-0032.html")
        .contains("尚未回应，时限 2小时，逾期未回应（应于 2024-06-20 16:00 前回应）"));
}

#[test]
fn overdue_cases_are_listed_on_the_home_page() {
    let lib = Scratch::of("basic");
    lib.built();
    let home = lib.read("index.html");
    assert!(home.contains("逾期未回应（1）"));
    let mut opts = lib.options();
    opts.now = Some("2024-06-20T15:00:00".into());
    casebook::build(&opts).unwrap();
    assert!(
        !lib.read("index.html").contains("逾期未回应（"),
        "not overdue an hour after discovery"
    );
}

#[test]
fn the_home_page_lists_the_newest_open_cases_and_links_to_all() {
    let lib = Scratch::of("basic");
    // 25 more unanswered 突发事件类 records, all overdue by --now (2024-08-01).
    for i in 1..=25 {
        lib.write(
            &format!("cases/2024/open-{i:02}.md"),
            format!(
                "+++\nid = \"YQ-2024-{:04}\"\ntitle = \"未回应事件{i:02}\"\ncategory = \"突发事件类\"\n\
                 department = \"县应急局\"\ndiscovered_at = 2024-07-{i:02}T09:00:00+08:00\n\
                 status = \"处置中\"\n+++\n\n## 事件概况\n\n尚待回应。\n",
                100 + i
            ),
        );
    }
    lib.built();
    let home = lib.read("index.html");
    // The basic fixture has two open records of its own, one of them overdue.
    assert!(home.contains("逾期未回应（26）"), "the heading counts all");
    assert!(home.contains("未办结事件（27）"));
    let open = &home[home.find("id=\"h-open\"").expect("open section")..];
    let open = &open[..open.find("</section>").expect("section end")];
    assert_eq!(open.matches("cases/YQ-2024-").count(), 20, "twenty listed");
    assert!(
        open.contains("cases/YQ-2024-0125.html"),
        "the newest is listed"
    );
    assert!(
        !open.contains("cases/YQ-2024-0032.html"),
        "the oldest is not"
    );
    assert!(open.contains("href=\"browse/status/index.html\""));
    let overdue = &home[home.find("id=\"h-overdue\"").expect("overdue section")..];
    assert!(overdue.contains("href=\"stats/index.html#h-overdue\">查看全部 26 件"));
    let stats = lib.read("stats/index.html");
    let listed = &stats[stats
        .find("id=\"h-overdue\"")
        .expect("overdue on the statistics page")..];
    assert!(
        listed.contains("cases/YQ-2024-0032.html"),
        "all are on the statistics page"
    );
}

#[test]
fn every_axis_has_an_overview_and_term_pages() {
    let lib = Scratch::of("basic");
    lib.built();
    for axis in [
        "category",
        "warning",
        "level",
        "status",
        "department",
        "region",
        "platform",
        "tag",
        "year",
        "month",
        "plan",
    ] {
        assert!(
            lib.out()
                .join(format!("browse/{axis}/index.html"))
                .is_file(),
            "{axis} overview"
        );
    }
    let category = lib.read("browse/category/index.html");
    // The restricted 造谣诽谤类 record is not counted.
    assert!(
        category.contains(
            r#"<a href="../../browse/category/造谣诽谤类.html">造谣诽谤类</a></td><td>1</td>"#
        ),
        "{category}"
    );
    let term = lib.read("browse/category/问题类.html");
    assert!(term.contains("处置原则：及时致歉叫停、后续整改到位；首次回应时限：当日24时前"));
    assert!(term.contains("共 1 件"));
    assert!(term.contains("../../cases/YQ-2024-0031.html"));
    let months = lib.read("browse/month/index.html");
    let (m7, m6, m3) = (
        months.find("2024-07").unwrap(),
        months.find("2024-06").unwrap(),
        months.find("2024-03").unwrap(),
    );
    assert!(m7 < m6 && m6 < m3, "months newest first");
    let platform = lib.read("browse/platform/微信群.html");
    assert!(platform.contains("共 2 件"));
    let plan = lib.read("browse/plan/dept-response-plan.html");
    assert!(
        plan.contains("县住建局网络舆情应急预案")
            && plan.contains("../../plans/dept-response-plan.html")
    );
    let warning = lib.read("browse/warning/index.html");
    let (red, orange, yellow) = (
        warning.find("红色预警").unwrap(),
        warning.find("橙色预警").unwrap(),
        warning.find("黄色预警").unwrap(),
    );
    assert!(
        red < orange && orange < yellow,
        "warning colours in severity order"
    );
}

#[test]
fn typical_index_lists_only_typical_cases() {
    let lib = Scratch::of("basic");
    lib.built();
    let page = lib.read("browse/typical.html");
    assert!(page.contains("cases/YQ-2024-0031.html"));
    assert!(!page.contains("cases/YQ-2024-0032.html"));
}

#[test]
fn term_names_with_punctuation_get_safe_file_names() {
    let lib = Scratch::of("basic");
    let record = std::fs::read_to_string(lib.root().join("cases/2024/flood.md")).unwrap();
    lib.write(
        "cases/2024/flood.md",
        record.replace("县应急管理局", "县委/网信办（../x）"),
    );
    lib.built();
    let overview = lib.read("browse/department/index.html");
    assert!(overview.contains("县委/网信办（../x）"));
    assert!(
        overview.contains("browse/department/t-"),
        "hashed file name"
    );
    assert!(!lib.out().join("browse/x").exists());
}

/// Write `count` closed records GEN-000, GEN-001 … of `department`, a minute apart.
fn write_generated(lib: &Scratch, count: usize, department: &str) {
    for n in 0..count {
        lib.write(
            &format!("cases/gen/{n:03}.md"),
            format!(
                "+++\nid = \"GEN-{n:03}\"\ntitle = \"生成事件{n}\"\ncategory = \"问题类\"\ndepartment = \"{department}\"\ndiscovered_at = 2023-01-01T{:02}:{:02}:00\nstatus = \"已办结\"\n+++\n",
                n / 60,
                n % 60
            ),
        );
    }
}

/// The GEN- ids listed in the case tables of `pages`, each once.
fn generated_ids(lib: &Scratch, pages: &[&str]) -> Vec<String> {
    let mut seen = Vec::new();
    for p in pages {
        let html = lib.read(p);
        seen.extend(
            html.match_indices("<td class=\"nowrap\">GEN-")
                .map(|(i, _)| html[i + 19..i + 26].to_owned()),
        );
    }
    seen.sort();
    seen.dedup();
    seen
}

#[test]
fn the_full_case_list_is_paginated_and_complete_without_javascript() {
    let lib = Scratch::of("basic");
    write_generated(&lib, 120, "县教育局");
    lib.built();
    // 123 published records, 50 per page.
    let pages = ["cases/index.html", "cases/page-2.html", "cases/page-3.html"];
    assert_eq!(
        generated_ids(&lib, &pages).len(),
        120,
        "every record on exactly one page"
    );
    assert!(!lib.out().join("cases/page-4.html").exists());
    let second = lib.read("cases/page-2.html");
    assert!(second.contains("第 51–100 件"));
    assert!(second.contains("href=\"../cases/index.html\" rel=\"prev\""));
    assert!(second.contains("href=\"../cases/page-3.html\" rel=\"next\""));
    // The newest records come first: the fixture's 2024 records lead page 1.
    assert!(lib.read("cases/index.html").contains("YQ-2024-0040"));
    // The browser-side list holds every row, and its data cannot close a script element.
    let data = lib.read("data/cases.js");
    assert_eq!(data.matches("\"GEN-").count(), 120);
    assert!(data.starts_with("window.casebookCases = {"));
}

#[test]
fn a_term_with_many_cases_is_paginated() {
    let lib = Scratch::of("basic");
    write_generated(&lib, 450, "县交通局");
    lib.built();
    // 450 cases of 县交通局, 200 a page: the term page and two more in a folder beside it.
    let pages = [
        "browse/department/县交通局.html",
        "browse/department/县交通局/2.html",
        "browse/department/县交通局/3.html",
    ];
    for p in pages {
        assert!(lib.read(p).contains("共 450 件"), "{p}");
    }
    assert_eq!(
        generated_ids(&lib, &pages).len(),
        450,
        "every case on exactly one page"
    );
    assert!(!lib.out().join("browse/department/县交通局/4.html").exists());
    let second = lib.read("browse/department/县交通局/2.html");
    assert!(second.contains("第 201–400 件"));
    assert!(second.contains("href=\"../../../browse/department/县交通局.html\" rel=\"prev\""));
    assert!(second.contains("href=\"../../../browse/department/县交通局/3.html\" rel=\"next\""));
}
