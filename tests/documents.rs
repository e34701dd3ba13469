//! The Word documents: a summary's 月度舆情分析 and a record's 舆情专报, read back (page size,
//! fonts in the styles, every figure equal to the page's) and converted by LibreOffice.

mod common;

use std::path::Path;
use std::process::Command;

use common::{figure, table, word_tables, word_text, zip_part, Scratch};

fn stats_site() -> Scratch {
    let lib = Scratch::of("stats");
    let opts = casebook::BuildOptions {
        now: Some("2024-04-10T12:00:00".into()),
        ..lib.options()
    };
    if let Err(e) = casebook::build(&opts) {
        panic!("build failed:\n{e}");
    }
    lib
}

fn assert_official_layout(docx: &[u8]) {
    let document = zip_part(docx, "word/document.xml");
    assert!(
        document.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#),
        "A4"
    );
    assert!(
        document.contains(r#"w:top="2098""#) && document.contains(r#"w:left="1587""#),
        "margins"
    );
    assert!(document.contains(r#"w:linePitch="579""#), "22 lines a page");
    let styles = zip_part(docx, "word/styles.xml");
    for font in ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"] {
        assert!(styles.contains(font), "{font} in the styles");
    }
}

/// LibreOffice converts the file to a one-or-more-page A4 PDF without error.
fn converts_to_pdf(docx: &Path) {
    let out = tempfile::tempdir().expect("temp dir");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        out.path().join("profile").display()
    );
    let status = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.path())
        .arg(docx)
        .output()
        .expect("soffice (Debian's libreoffice-writer-nogui) must be installed");
    let stem = docx
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    let pdf = std::fs::read(out.path().join(format!("{stem}.pdf")))
        .unwrap_or_else(|e| panic!("no PDF ({e}): {}", String::from_utf8_lossy(&status.stderr)));
    assert!(pdf.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/MediaBox[0 0 595") || text.contains("/MediaBox [0 0 595"),
        "A4 pages"
    );
}

#[test]
fn a_summary_docx_has_the_pages_figures_in_official_layout() {
    let lib = stats_site();
    let html = lib.read("summaries/2024-03.html");
    assert!(
        html.contains(r#"href="../summaries/2024-03.docx" download"#),
        "the page links it"
    );
    let path = lib.out().join("summaries/2024-03.docx");
    let docx = std::fs::read(&path).expect("summaries/2024-03.docx");
    assert_official_layout(&docx);
    let document = zip_part(&docx, "word/document.xml");
    let text = word_text(&document);
    assert!(
        text.contains("内部资料　注意保存"),
        "the internal audience's marking"
    );
    assert!(text.contains("统计测试办"), "编制单位");

    let tables = word_tables(&document);
    let main = &tables[0];
    let expected: Vec<String> = [
        "total",
        "closed",
        "open",
        "on-time-rate",
        "median",
        "overdue",
    ]
    .iter()
    .map(|f| figure(&html, f))
    .collect();
    assert_eq!(main[1], expected, "主要数据 as on the page");
    let change = &tables[1];
    assert_eq!(change[1][3], figure(&html, "mom"));
    assert_eq!(change[2][3], figure(&html, "yoy"));
    let hot: Vec<Vec<String>> = tables[4][1..].to_vec();
    assert_eq!(hot[0], ["化工厂", "1"], "本期热词 as on the page");
    assert!(html.contains(r#"data-word="化工厂">化工厂</a> <span class="muted">1 件"#));
    for (i, id) in [(2, "t-category"), (3, "t-warning"), (5, "t-departments")] {
        assert_eq!(tables[i][1..], table(&html, id)[..], "{id} as on the page");
    }
    // A summary without a written analysis gets one too.
    assert!(lib.out().join("summaries/2024-04.docx").is_file());
    converts_to_pdf(&path);
}

#[test]
fn a_report_is_written_for_any_record_and_linked_for_red_orange_and_typical() {
    let lib = Scratch::of("basic");
    lib.built();
    let linked: Vec<String> = std::fs::read_dir(lib.out().join("cases"))
        .expect("cases")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".docx"))
        .collect();
    assert!(!linked.is_empty());
    for name in &linked {
        let id = name.trim_end_matches(".docx");
        let page = lib.read(&format!("cases/{id}.html"));
        assert!(
            page.contains(&format!("href=\"../cases/{name}\" download")),
            "{id} links it"
        );
        assert!(
            page.contains("badge warn-red")
                || page.contains("badge warn-orange")
                || page.contains("badge typical"),
            "{id}"
        );
    }

    let out = lib.dir.path().join("专报.docx");
    let run = common::command()
        .args(["report", "YQ-2024-0031", "--root"])
        .arg(lib.root())
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run casebook");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let docx = std::fs::read(&out).expect("report written");
    assert_official_layout(&docx);
    let text = word_text(&zip_part(&docx, "word/document.xml"));
    for part in [
        "一、舆情概况",
        "二、传播情况",
        "三、研判情况",
        "四、处置情况",
        "五、下步建议",
    ] {
        assert!(text.contains(part), "{part}");
    }
    let record = std::fs::read_to_string(lib.root().join("cases/2024/noise.md")).expect("record");
    let first_line = record
        .split("## 事件概况")
        .nth(1)
        .and_then(|s| s.lines().find(|l| !l.trim().is_empty()))
        .expect("事件概况 text");
    assert!(
        text.contains(first_line.trim()),
        "the record's own 事件概况"
    );
    converts_to_pdf(&out);

    // A record the audience may not see has no report.
    let withheld = common::command()
        .args(["report", "YQ-2024-0099", "--root"])
        .arg(lib.root())
        .arg("--out")
        .arg(lib.dir.path().join("no.docx"))
        .output()
        .expect("run casebook");
    assert_eq!(withheld.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&withheld.stderr).contains("没有编号为 YQ-2024-0099 的记录"));
    assert!(!lib.dir.path().join("no.docx").exists());
}

/// How many pages a PDF has (its page objects).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, m)| !text[i + m.len()..].starts_with('s'))
        .count()
}

#[test]
fn every_print_sheet_of_the_demo_is_one_a4_page_with_every_field() {
    let out = tempfile::tempdir().expect("temp dir");
    let site = out.path().join("site");
    let opts = casebook::BuildOptions {
        out: Some(site.clone()),
        now: Some("2025-12-31T18:00:00".into()),
        ..casebook::BuildOptions::new(env!("CARGO_MANIFEST_DIR"))
    };
    casebook::build(&opts).unwrap_or_else(|e| panic!("the demo builds:\n{e}"));
    let mut printed = std::collections::BTreeMap::new();
    let mut records = 0;
    for entry in std::fs::read_dir(site.join("cases"))
        .expect("cases")
        .flatten()
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".html") || name == "index.html" || name.starts_with("page-") {
            continue;
        }
        records += 1;
        let html = std::fs::read_to_string(&path).expect("record page");
        for kind in ["notice", "supervise"] {
            // The sheet is a section of the record's page.
            let Some(at) = html.find(&format!("<section id=\"{kind}\" class=\"sheet-page\""))
            else {
                continue;
            };
            let sheet = &html[at..at + html[at..].find("</section>").expect("section end")];
            let mut labels = vec![
                "编号：",
                "舆情标题",
                "来源平台",
                "发现时间",
                "责任单位",
                "舆情类别",
                "处置原则",
                "回应时限",
                "回应截止",
                "舆情摘要",
                "反馈情况",
                "内部资料",
            ];
            if kind == "supervise" {
                labels.extend([
                    "舆情督办单",
                    "督办日期：2025-12-31 18:00",
                    "办理情况",
                    "截至 2025-12-31 18:00",
                ]);
            } else {
                labels.push("舆情抄告单");
            }
            for label in &labels {
                assert!(sheet.contains(label), "{name}#{kind} lacks {label}");
            }
            // Printed at its sheet, the page is the sheet alone: one A4 page with every field
            // and nothing of the record page around it.
            let pdf = out.path().join("sheet.pdf");
            let _ = std::fs::remove_file(&pdf);
            common::browser::print_to_pdf(&format!("file://{}#{kind}", path.display()), &pdf);
            let bytes = std::fs::read(&pdf).expect("pdf");
            assert_eq!(pdf_pages(&bytes), 1, "{name}#{kind} prints on one page");
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("/MediaBox [0 0 594.95996 841.91998]"), "A4");
            let words = Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext (Debian's poppler-utils) must be installed");
            let words = String::from_utf8_lossy(&words.stdout).replace(char::is_whitespace, "");
            for label in [
                "舆情标题",
                "反馈情况",
                if kind == "supervise" {
                    "舆情督办单"
                } else {
                    "舆情抄告单"
                },
            ] {
                assert!(words.contains(label), "{name}#{kind} printed lacks {label}");
            }
            assert!(
                !words.contains("跳到正文") && !words.contains("相似案例"),
                "{name}#{kind}: only the sheet is printed"
            );
            *printed.entry(kind).or_insert(0) += 1;
        }
    }
    assert_eq!(
        printed.get("notice"),
        Some(&records),
        "a 抄告单 for every record"
    );
    assert!(
        printed
            .get("supervise")
            .is_some_and(|n| *n > 0 && *n < records),
        "督办单 for the open cases: {printed:?}"
    );
}

/// Every printed page of the site carries the audience's marking, as `[markings]` sets it;
/// the widest audience's pages carry none.
#[test]
fn every_printed_page_carries_the_audiences_marking() {
    let lib = stats_site();
    let config = std::fs::read_to_string(lib.root().join("casebook.toml")).expect("config");
    lib.write(
        "casebook.toml",
        format!("{config}\n[markings]\ninternal = \"内部资料　注意保存（测试）\"\n"),
    );
    let opts = casebook::BuildOptions {
        now: Some("2024-04-10T12:00:00".into()),
        ..lib.options()
    };
    casebook::build(&opts).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    let pdf = lib.dir.path().join("stats.pdf");
    common::browser::print_to_pdf(
        &format!("file://{}/stats/index.html", lib.out().display()),
        &pdf,
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) must be installed");
    let text = String::from_utf8_lossy(&text.stdout);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(
        pages.len() > 1,
        "the statistics page prints on several pages"
    );
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("内部资料") && page.contains("注意保存（测试）"),
            "page {} lacks the marking:\n{page}",
            i + 1
        );
    }

    let public = casebook::BuildOptions {
        audience: Some("public".into()),
        out: Some(lib.dir.path().join("public-site")),
        ..opts
    };
    casebook::build(&public).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    let page =
        std::fs::read_to_string(lib.dir.path().join("public-site/stats/index.html")).expect("page");
    assert!(!page.contains("print-marking"), "no marking for the public");
}
