//! The build pipeline on the `basic` fixture library: every page kind with its facts.

mod common;

use common::Scratch;

#[test]
fn builds_every_page_kind() {
    let lib = Scratch::of("basic");
    let report = lib.built();
    assert_eq!(
        report.records, 3,
        "draft and restricted records are left out"
    );
    assert_eq!(report.plans, 3);
    assert_eq!(report.summaries, 1);
    assert_eq!(report.withheld, 1);
    for page in [
        "index.html",
        "cases/index.html",
        "cases/YQ-2024-0031.html",
        "plans/index.html",
        "plans/county-plan-2022.html",
        "summaries/index.html",
        "summaries/2024-03.html",
        "templates/index.html",
        "templates/case-record.md",
        "pages/about.html",
        "assets/casebook.css",
    ] {
        assert!(lib.out().join(page).is_file(), "{page} missing");
    }
}

/// The benchmarks measure what the search indexes add by building without them: such a build
/// must leave out exactly the indexes, and the default must write them.
#[test]
fn a_build_without_search_indexes_has_every_page_but_no_index() {
    let lib = Scratch::of("basic");
    let opts = casebook::BuildOptions {
        search: casebook::search::Indexes::NONE,
        ..lib.options()
    };
    if let Err(e) = casebook::build(&opts) {
        panic!("build failed:\n{e}");
    }
    assert!(lib.out().join("cases/YQ-2024-0031.html").is_file());
    assert!(lib.out().join("data/casebook.sqlite").is_file());
    assert!(!lib.out().join("search").exists());
    assert!(!lib.out().join("_index").exists());
    // Each index can be left out on its own.
    for (browser, engine) in [(true, false), (false, true)] {
        let opts = casebook::BuildOptions {
            search: casebook::search::Indexes { browser, engine },
            ..lib.options()
        };
        if let Err(e) = casebook::build(&opts) {
            panic!("build failed:\n{e}");
        }
        assert_eq!(lib.out().join("search/meta.js").is_file(), browser);
        assert_eq!(lib.out().join("_index/meta.json").is_file(), engine);
    }
    lib.built();
    assert!(lib.out().join("search/meta.js").is_file());
    assert!(lib.out().join("_index/meta.json").is_file());
}

/// A case-table row is rendered once and given each page's root: its link must climb from
/// every depth, and a title holding the character that stands for the root while the row is
/// rendered must come out as written.
#[test]
fn case_rows_link_from_every_depth_and_keep_their_text() {
    let lib = Scratch::of("basic");
    let flood = lib.root().join("cases/2024/flood.md");
    let text = std::fs::read_to_string(&flood).expect("flood.md");
    let odd = "暴雨致城南\u{FDD0}路段积水";
    lib.write(
        "cases/2024/flood.md",
        text.replace("暴雨致城南路段积水", odd),
    );
    lib.built();
    for (page, root) in [
        ("index.html", ""),
        ("cases/index.html", "../"),
        ("browse/month/2024-03.html", "../../"),
    ] {
        let html = lib.read(page);
        let link = format!("<a href=\"{root}cases/YQ-2024-0031.html\">梅山港夜间施工噪音投诉</a>");
        assert!(html.contains(&link), "{page}: {link}");
    }
    for (page, root) in [
        ("cases/index.html", "../"),
        ("browse/category/突发事件类.html", "../../"),
    ] {
        let html = lib.read(page);
        let link = format!("<a href=\"{root}cases/YQ-2024-0032.html\">{odd}");
        assert!(html.contains(&link), "{page}: {link}");
    }
}

/// The navigation is rendered once per section and depth: each page must mark its own
/// section and link from its own depth.
#[test]
fn navigation_marks_the_current_section_from_every_depth() {
    let lib = Scratch::of("basic");
    lib.built();
    for (page, root, current) in [
        ("index.html", "", "首页"),
        ("cases/index.html", "../", "案例"),
        ("cases/YQ-2024-0031.html", "../", "案例"),
        ("plans/index.html", "../", "应急预案"),
        ("browse/month/2024-03.html", "../../", "分类浏览"),
    ] {
        let html = lib.read(page);
        let nav = &html[html.find("aria-label=\"主导航\"").expect("nav")..];
        let nav = &nav[..nav.find("</nav>").expect("nav end")];
        assert_eq!(nav.matches("aria-current").count(), 1, "{page}");
        assert!(
            nav.contains(&format!("aria-current=\"page\">{current}</a>")),
            "{page}: {nav}"
        );
        assert!(
            nav.contains(&format!("href=\"{root}stats/index.html\"")),
            "{page}: {nav}"
        );
    }
}

#[test]
fn case_page_shows_facts_timeline_documents_plans_and_related() {
    let lib = Scratch::of("basic");
    lib.built();
    let page = lib.read("cases/YQ-2024-0031.html");
    for fact in [
        "梅山港夜间施工噪音投诉",
        "YQ-2024-0031",
        "问题类",
        "黄色预警",
        "三级响应",
        "已办结",
        "县住建局",
        "梅山乡",
        "本地论坛、微博",
        "1.2万",
        "2024-03-11 23:10",
        "2024-03-12 08:30",
        "2024-03-12 09:00",
        "2024-03-12 10:05（论坛跟帖）",
        "2024-03-15 17:00",
        "当日24时前",
        "及时致歉叫停、后续整改到位",
        "网评员在本地论坛发现帖子",
        "测网办督〔2024〕7号",
        "典型案例",
    ] {
        assert!(page.contains(fact), "case page lacks {fact}");
    }
    assert!(
        page.contains(r#"<a href="../plans/dept-response-plan.html">县住建局网络舆情应急预案</a>"#)
    );
    assert!(page.contains(
        r#"<a href="../cases/YQ-2024-0032.html">YQ-2024-0032 暴雨致城南路段积水视频传播</a>"#
    ));
}

#[test]
fn markdown_extensions_and_chinese_heading_ids() {
    let lib = Scratch::of("basic");
    lib.built();
    let page = lib.read("cases/YQ-2024-0031.html");
    assert!(
        page.contains(r#"<h2 id="事件概况">事件概况</h2>"#),
        "Chinese heading id"
    );
    assert!(page.contains(r#"<h2 id="经验教训">"#));
    assert!(
        page.contains("<table>") && page.contains(r#"<th style="text-align: left">时间</th>"#),
        "table"
    );
    assert!(page.contains("<del>删除线</del>"), "strikethrough");
    assert!(page.contains(r#"type="checkbox""#), "task list");
    assert!(page.contains("footnote-definition"), "footnote");
}

#[test]
fn times_without_offset_are_read_in_the_site_timezone() {
    let lib = Scratch::of("basic");
    lib.built();
    // discovered_at = 2024-06-20T14:00:00 with no offset → 14:00 in +08:00.
    assert!(lib
        .read("cases/YQ-2024-0032.html")
        .contains("2024-06-20 14:00"));
}

#[test]
fn plan_pages_show_validity_chain_review_and_cases() {
    let lib = Scratch::of("basic");
    lib.built();
    let new = lib.read("plans/county-plan-2022.html");
    assert!(new.contains(r#"<span class="badge plan-valid">有效</span>"#));
    assert!(new.contains("测网信〔2022〕5号"));
    assert!(new.contains("版本沿革"));
    assert!(new.contains(
        r#"<a href="../plans/county-plan-2018.html">测试县网络舆情应急预案（2018年版）</a>"#
    ));
    // issued 2022-03-01, cycle 1 year → due 2023-03-01, overdue as of --now 2024-08-01.
    assert!(new.contains("2023-03-01（已到期）"));
    let old = lib.read("plans/county-plan-2018.html");
    assert!(old.contains("plan-abolished"));
    assert!(old.contains(
        r#"本预案已被 <a href="../plans/county-plan-2022.html">测试县网络舆情应急预案</a> 替代"#
    ));
    assert!(
        !old.contains("下次评估"),
        "abolished plans are not due for review"
    );
    let dept = lib.read("plans/dept-response-plan.html");
    // last_reviewed 2024-01-10 + 3 years.
    assert!(dept.contains("2027-01-10"));
    assert!(dept.contains("启动本预案的事件（1）"));
    assert!(dept.contains("../cases/YQ-2024-0031.html"));
}

#[test]
fn summary_page_links_visible_key_cases_only() {
    let lib = Scratch::of("basic");
    lib.built();
    let page = lib.read("summaries/2024-03.html");
    assert!(page.contains("2024年3月网络舆情分析"), "default title");
    assert!(page.contains("1860"));
    assert!(page.contains("人工填报"));
    assert!(page.contains(r#"href="../cases/YQ-2024-0031.html""#));
    assert!(
        !page.contains("cases/YQ-2024-0099.html"),
        "no link to a withheld record"
    );
    // Withheld means absent: not even the id of the withheld key case is shown.
    assert!(!page.contains("YQ-2024-0099"));
}

#[test]
fn templates_page_offers_the_raw_markdown() {
    let lib = Scratch::of("basic");
    lib.built();
    let page = lib.read("templates/index.html");
    assert!(page.contains(r#"href="../templates/case-record.md" download="case-record.md""#));
    let raw =
        std::fs::read_to_string(lib.root().join("content/plan-templates/case-record.md")).unwrap();
    assert_eq!(lib.read("templates/case-record.md"), raw);
}

#[test]
fn home_lists_recent_and_open_cases_and_latest_summary() {
    let lib = Scratch::of("basic");
    lib.built();
    let home = lib.read("index.html");
    assert!(home.contains("未办结事件（2）"));
    assert!(home.contains(r#"href="summaries/2024-03.html""#));
    assert!(home.contains(r#"href="cases/YQ-2024-0040.html""#));
    assert!(home.contains(r#"lang="zh-CN""#));
}

#[test]
fn drafts_only_with_the_drafts_flag() {
    let lib = Scratch::of("basic");
    lib.built();
    assert!(!lib.out().join("cases/YQ-2024-0100.html").exists());
    let mut opts = lib.options();
    opts.drafts = true;
    casebook::build(&opts).expect("build with drafts");
    assert!(lib
        .read("cases/YQ-2024-0100.html")
        .contains("草稿事件DRAFTMARKER"));
}

#[test]
fn restricted_record_is_in_no_output_file() {
    let lib = Scratch::of("basic");
    lib.built();
    for (path, bytes) in common::snapshot(&lib.out()) {
        let text = common::readable(&bytes);
        assert!(
            !text.contains("RESTRICTEDMARKER") && !text.contains("YQ-2024-0099"),
            "{} leaks the restricted record",
            path.display()
        );
    }
}

/// A related case is linked by its own id and title, and the summary's key cases too.
#[test]
fn a_related_case_is_named_by_its_own_title() {
    let lib = Scratch::of("basic");
    lib.built();
    let page = lib.read("cases/YQ-2024-0031.html");
    assert!(
        page.contains("YQ-2024-0032 暴雨致城南路段积水视频传播"),
        "related case"
    );
    let summary = lib.read("summaries/2024-03.html");
    assert!(
        summary.contains("YQ-2024-0031 梅山港夜间施工噪音投诉"),
        "key case"
    );
    // The ledger export's 关联案例 column keeps the published related case.
    let csv = lib.read("data/cases.csv");
    let row = csv
        .lines()
        .find(|l| l.starts_with("YQ-2024-0031,"))
        .expect("the record's row");
    assert!(row.contains(",YQ-2024-0032,"), "{row}");
}

/// Plans, summaries and free pages obey their audience like records: a restricted one is in
/// no output file, nor is its id where a visible record names it.
#[test]
fn restricted_plans_summaries_and_pages_are_in_no_output_file() {
    let lib = Scratch::of("basic");
    lib.write(
        "content/plans/secret.md",
        "+++\nid = \"plan-secretplanid\"\ntitle = \"PLANMARKER预案\"\nstatus = \"有效\"\nissued = 2023-05-01\naudience = \"restricted\"\n+++\n\n## 总则\n\nPLANMARKER正文\n",
    );
    lib.write(
        "content/summaries/2024-02.md",
        "+++\nperiod = \"2024-02\"\ntitle = \"SUMMARYMARKER分析\"\naudience = \"restricted\"\n+++\n\n## 总体情况\n\nSUMMARYMARKER正文\n",
    );
    lib.write(
        "content/secret-page.md",
        "+++\ntitle = \"PAGEMARKER页面\"\naudience = \"restricted\"\n+++\n\nPAGEMARKER正文\n",
    );
    let record = std::fs::read_to_string(lib.root().join("cases/2024/noise.md")).expect("record");
    lib.write(
        "cases/2024/noise.md",
        record.replace(
            "plans = [\"dept-response-plan\"]",
            "plans = [\"dept-response-plan\", \"plan-secretplanid\"]",
        ),
    );
    // A record that names only the withheld plan, and no other reference.
    let record = std::fs::read_to_string(lib.root().join("cases/2024/flood.md")).expect("record");
    lib.write(
        "cases/2024/flood.md",
        record.replacen(
            "id = \"YQ-2024-0032\"\n",
            "id = \"YQ-2024-0032\"\nplans = [\"plan-secretplanid\"]\n",
            1,
        ),
    );
    lib.built();
    assert!(
        lib.read("cases/YQ-2024-0031.html")
            .contains("县住建局网络舆情应急预案"),
        "the visible plan is still linked"
    );
    for (path, bytes) in common::snapshot(&lib.out()) {
        let text = common::readable(&bytes);
        for marker in ["secretplanid", "PLANMARKER", "SUMMARYMARKER", "PAGEMARKER"] {
            assert!(!text.contains(marker), "{} leaks {marker}", path.display());
        }
    }
}

#[test]
fn library_templates_override_built_ins_file_by_file() {
    let lib = Scratch::of("basic");
    lib.write(
        "templates/page.html",
        r#"{% extends "base.html" %}{% block content %}<p class="custom">自定义：{{ page.title }}</p>{% endblock content %}"#,
    );
    lib.write("theme/extra.css", "body{}");
    lib.built();
    assert!(lib
        .read("pages/about.html")
        .contains(r#"<p class="custom">自定义：关于本库</p>"#));
    assert!(
        lib.read("cases/YQ-2024-0031.html").contains("基本情况"),
        "other templates stay built-in"
    );
    assert!(lib.out().join("assets/extra.css").is_file());
}

#[test]
fn a_library_without_configuration_uses_the_defaults() {
    let lib = Scratch::of("basic");
    std::fs::remove_file(lib.root().join("casebook.toml")).unwrap();
    lib.built();
    let page = lib.read("cases/YQ-2024-0032.html");
    assert!(
        page.contains("两小时内通过媒体发布事实"),
        "default category principle"
    );
    assert!(page.contains("2小时"));
}

#[test]
fn raw_html_in_a_record_cannot_run_script() {
    let lib = Scratch::of("basic");
    lib.write(
        "cases/2024/xss.md",
        "+++\nid = \"X-1\"\ntitle = \"<script>alert(1)</script>标题\"\ncategory = \"问题类\"\ndepartment = \"县信访局\"\ndiscovered_at = 2024-05-01T10:00:00\n+++\n\n<script>alert(2)</script><img src=x onerror=alert(3)><a href=\"javascript:alert(4)\">x</a><iframe src=x></iframe>\n",
    );
    lib.built();
    let page = lib.read("cases/X-1.html");
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("onerror"));
    assert!(!page.contains("javascript:"));
    assert!(!page.contains("<iframe"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;标题"));
}

/// A rebuild publishes the site a build from nothing makes: an edited title shows on the
/// record's page and on every list that names it, a template the library adds shows on every
/// page made from it, and a published page changed since is rendered again.
#[test]
fn a_rebuild_equals_a_build_from_nothing() {
    let lib = Scratch::of("basic");
    lib.built();
    let from_nothing = |lib: &Scratch| {
        let fresh = tempfile::tempdir().expect("temp dir");
        let opts = casebook::BuildOptions {
            out: Some(fresh.path().join("site")),
            ..lib.options()
        };
        casebook::build(&opts).expect("build");
        common::comparable(&fresh.path().join("site"))
    };
    let (old, new) = ("梅山港夜间施工噪音投诉", "梅山港夜间施工噪音再次投诉");
    let record = std::fs::read_to_string(lib.root().join("cases/2024/noise.md")).expect("record");
    lib.write("cases/2024/noise.md", record.replace(old, new));
    lib.built();
    for page in ["cases/YQ-2024-0031.html", "index.html", "cases/index.html"] {
        let html = lib.read(page);
        assert!(html.contains(new) && !html.contains(old), "{page}");
    }
    assert!(common::comparable(&lib.out()) == from_nothing(&lib));

    let case = include_str!("../templates/case.html");
    lib.write(
        "templates/case.html",
        case.replacen("</h1>", "</h1><p>本地模板</p>", 1),
    );
    lib.built();
    assert!(lib.read("cases/YQ-2024-0031.html").contains("本地模板"));
    assert!(lib.read("cases/YQ-2024-0032.html").contains("本地模板"));
    assert!(!lib.read("index.html").contains("本地模板"));
    assert!(common::comparable(&lib.out()) == from_nothing(&lib));

    let page = lib.out().join("cases/YQ-2024-0032.html");
    std::fs::write(&page, "changed since").expect("edit");
    lib.built();
    assert!(lib.read("cases/YQ-2024-0032.html").contains("本地模板"));
}

/// A template that calls `get_env` makes a page whose text is not in its context: every
/// build renders it with the environment of the moment.
#[test]
fn a_template_calling_get_env_is_rendered_by_every_build() {
    const VARIABLE: &str = "CASEBOOK_TEST_TEMPLATE_MARK";
    let lib = Scratch::of("basic");
    let case = include_str!("../templates/case.html");
    let marked = format!("</h1><p>标记{{{{ get_env(name=\"{VARIABLE}\", default=\"无\") }}}}</p>");
    lib.write("templates/case.html", case.replacen("</h1>", &marked, 1));
    lib.built();
    assert!(lib.read("cases/YQ-2024-0031.html").contains("标记无"));
    // No other test reads this variable.
    std::env::set_var(VARIABLE, "甲");
    lib.built();
    std::env::remove_var(VARIABLE);
    assert!(lib.read("cases/YQ-2024-0031.html").contains("标记甲"));
}

/// A record withheld by a rebuild leaves no trace in the site or beside it: its title is in
/// no file, and nothing but the site is left next to the output.
#[test]
fn a_record_withheld_by_a_rebuild_leaves_no_trace() {
    let lib = Scratch::of("basic");
    lib.built();
    let record = lib.root().join("cases/2024/noise.md");
    let text = std::fs::read_to_string(&record).expect("record");
    lib.write(
        "cases/2024/noise.md",
        text.replacen("+++\n", "+++\naudience = \"restricted\"\n", 1),
    );
    lib.built();
    let beside: Vec<String> = std::fs::read_dir(lib.dir.path())
        .expect("folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("casebook-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    for (path, bytes) in common::snapshot(&lib.out()) {
        let text = common::readable(&bytes);
        assert!(!text.contains("夜间施工噪音"), "{}", path.display());
    }
}

/// A published file changed since (same size, other bytes, another modification time) is
/// written anew by the next build.
#[test]
fn a_rebuild_rewrites_a_published_file_changed_since() {
    let lib = Scratch::of("basic");
    lib.built();
    let path = lib.out().join("assets/casebook.css");
    let original = std::fs::read(&path).expect("style");
    let mut edited = original.clone();
    edited[0] = if edited[0] == b'/' { b' ' } else { b'/' };
    std::fs::write(&path, &edited).expect("edit");
    let day = std::time::Duration::from_secs(86_400);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(std::time::SystemTime::UNIX_EPOCH + day))
        .expect("set the time");
    lib.built();
    assert_eq!(std::fs::read(&path).expect("style"), original);
}

/// Every file of the site can be read by whoever can read its folder (tantivy writes some of
/// its index files readable by their owner only).
#[cfg(unix)]
#[test]
fn every_site_file_is_as_readable_as_its_folder() {
    use std::os::unix::fs::PermissionsExt;
    let lib = Scratch::of("basic");
    lib.built();
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
    };
    let mut files = 0;
    for entry in walkdir::WalkDir::new(lib.out()) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let folder = entry.path().parent().expect("folder");
            assert_eq!(
                mode(entry.path()) & 0o444,
                mode(folder) & 0o444,
                "{}",
                entry.path().display()
            );
            files += 1;
        }
    }
    assert!(lib.out().join("_index/meta.json").is_file() && files > 50);
}
