//! Statistics worked out by hand over `tests/fixtures/stats`, asserted on the statistics pages,
//! the summary pages, the CSV and the SQLite export: the same numbers everywhere.
//!
//! The library, as of now = 2024-04-10 12:00 (+08:00):
//!
//! | id   | month (site tz) | category   | department | discovered → first response     | outcome            |
//! |------|-----------------|------------|------------|---------------------------------|--------------------|
//! | S-00 | 2023-03         | 问题类     | 县教育局   | 10:00 → 10:20 (20 min)          | 按时               |
//! | S-01 | 2024-02         | 问题类     | 县教育局   | 09:00 → 10:30 (90 min)          | 按时               |
//! | S-02 | 2024-03         | 问题类     | 县教育局   | 03-01 23:59 → 03-02 00:00 (1)   | 按时 (same-day edge)|
//! | S-03 | 2024-03         | 突发事件类 | 县应急局   | 08:00 → 11:00 (180 min, 2h)     | 超时               |
//! | S-04 | 2024-04         | 问题类     | 县住建局   | 03-31 17:30 UTC = 04-01 01:30 → 20:00 (1110) | 按时 |
//! | S-05 | 2024-03         | 造谣诽谤类 | 县公安局   | 03-20 10:00 → 03-21 09:00 (1380, 1d) | 按时          |
//! | S-06 | 2024-04         | 突发事件类 | 县应急局   | 04-10 09:00, unanswered, due 11:00 | 逾期未回应      |
//! | S-07 | 2024-04         | 问题类     | 县教育局   | 04-10 11:00, unanswered, due 24:00 | 待回应          |
//!
//! Closed: S-00, S-01, S-02, S-03, S-05.

mod common;

use common::{figure, table, Scratch};

const NOW: &str = "2024-04-10T12:00:00";

fn built() -> Scratch {
    let lib = Scratch::of("stats");
    let opts = casebook::BuildOptions {
        now: Some(NOW.into()),
        ..lib.options()
    };
    if let Err(e) = casebook::build(&opts) {
        panic!("build failed:\n{e}");
    }
    lib
}

/// An unanswered case is overdue only once its deadline has passed: S-06 (due 11:00) is
/// still pending at 11:00 and overdue a minute later.
#[test]
fn a_case_is_overdue_only_after_its_deadline() {
    let lib = Scratch::of("stats");
    for (now, overdue) in [("2024-04-10T11:00:00", "0"), ("2024-04-10T11:01:00", "1")] {
        let opts = casebook::BuildOptions {
            now: Some(now.into()),
            ..lib.options()
        };
        if let Err(e) = casebook::build(&opts) {
            panic!("build failed:\n{e}");
        }
        let html = lib.read("stats/index.html");
        assert_eq!(figure(&html, "overdue"), overdue, "at {now}");
    }
}

fn row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some(first))
        .unwrap_or_else(|| panic!("no row {first} in {rows:?}"))
}

#[test]
fn site_wide_statistics() {
    let lib = built();
    let html = lib.read("stats/index.html");
    assert_eq!(figure(&html, "total"), "8");
    assert_eq!(figure(&html, "closed"), "5");
    assert_eq!(figure(&html, "open"), "3");
    // 5 on time of 7 judged (S-07 still pending).
    assert_eq!(figure(&html, "on-time-rate"), "71.4%");
    // Answered: 1, 20, 90, 180, 1110, 1380 → (90 + 180) / 2 = 135 minutes.
    assert_eq!(figure(&html, "median"), "2小时15分");
    assert_eq!(figure(&html, "overdue"), "1");

    let months = table(&html, "t-months");
    // 2023-03 … 2024-04, empty months included.
    assert_eq!(months.len(), 14);
    // April 2023 against March 2023's one record; nothing a year earlier to compare with.
    assert_eq!(
        row(&months, "2023年4月")[1..],
        ["0", "0", "0", "0", "-100.0%", "—"]
    );
    // March: S-02, S-03, S-05 (S-04 is 1 April in the site's timezone); Feb had 1, March 2023 had 1.
    assert_eq!(
        row(&months, "2024年3月")[1..],
        ["1", "1", "1", "3", "+200.0%", "+200.0%"]
    );
    assert_eq!(
        row(&months, "2024年4月")[1..],
        ["2", "1", "0", "3", "持平", "—"]
    );

    let departments = table(&html, "t-departments");
    // 县教育局: S-00, S-01, S-02 on time, S-07 pending; median of 20, 90, 1 is 20.
    assert_eq!(
        row(&departments, "县教育局")[1..],
        ["4", "3", "0", "0", "1", "100.0%", "20分钟"]
    );
    assert_eq!(
        row(&departments, "县应急局")[1..],
        ["2", "0", "1", "1", "0", "0.0%", "3小时"]
    );
    let categories = table(&html, "t-categories");
    // 问题类: S-00, S-01, S-02, S-04 on time, S-07 pending; 1, 20, 90, 1110 → 55.
    assert_eq!(
        row(&categories, "问题类")[1..],
        ["5", "4", "0", "0", "1", "100.0%", "55分钟"]
    );

    let buckets: Vec<String> = table(&html, "t-response-times")
        .iter()
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(buckets, ["2", "0", "1", "1", "2", "0", "0", "2"]);

    let reach: Vec<(String, String)> = table(&html, "t-reach")
        .iter()
        .map(|r| (r[0].clone(), r[4].clone()))
        .collect();
    assert_eq!(
        reach,
        [
            ("S-03".into(), "10.0万".into()),
            ("S-02".into(), "2.0万".into()),
            ("S-01".into(), "5000".into()),
            ("S-05".into(), "800".into()),
        ]
    );
    let warnings = table(&html, "t-warning");
    assert_eq!(row(&warnings, "未标注")[1..], ["4", "50.0%"]);
    // The warning chart draws each colour in its colour.
    for (name, fill) in [
        ("红", "#c81e1e"),
        ("橙", "#c2410c"),
        ("黄", "#a16207"),
        ("蓝", "#1d4ed8"),
    ] {
        let bar = format!("fill=\"{fill}\"><title>{name}：1</title>");
        assert!(html.contains(&bar), "{bar}");
    }

    let overdue = &html[html.find("id=\"h-overdue\"").expect("overdue section")..];
    assert!(overdue.contains("S-06"));
    assert!(!overdue.contains("S-07"));
}

/// Records at both ends of the years dates may take are drawn as the years they are in,
/// not as two centuries of empty months.
#[test]
fn far_apart_years_do_not_draw_every_month_between() {
    let lib = Scratch::of("basic");
    for (id, at) in [
        ("F-1", "1900-01-01T10:00:00"),
        ("F-2", "2099-12-31T10:00:00"),
    ] {
        lib.write(
            &format!("cases/{id}.md"),
            format!("+++\nid = \"{id}\"\ntitle = \"远年{id}\"\ncategory = \"问题类\"\ndepartment = \"县信访局\"\ndiscovered_at = {at}\n+++\n"),
        );
    }
    lib.built();
    let page = lib.read("stats/index.html");
    assert!(page.len() < 400_000, "{} bytes", page.len());
    for month in ["1900-01", "2024-03", "2099-12"] {
        assert!(page.contains(month), "{month} is drawn");
    }
    assert!(
        !page.contains("1950-06"),
        "an empty year is not drawn month by month"
    );
}

#[test]
fn yearly_statistics() {
    let lib = built();
    let html = lib.read("stats/2024.html");
    assert_eq!(figure(&html, "total"), "7");
    // 4 on time (S-01, S-02, S-04, S-05) of 6 judged; answered 1, 90, 180, 1110, 1380.
    assert_eq!(figure(&html, "on-time-rate"), "66.7%");
    assert_eq!(figure(&html, "median"), "3小时");
    assert_eq!(table(&html, "t-months").len(), 12);
    assert!(lib
        .read("stats/2023.html")
        .contains("data-figure=\"total\">1<"));
}

#[test]
fn written_summary_shows_its_period_figures_beside_the_analysis() {
    let lib = built();
    let html = lib.read("summaries/2024-03.html");
    assert!(html.contains("CLERK-ANALYSIS"));
    assert_eq!(figure(&html, "total"), "3");
    assert_eq!(figure(&html, "on-time-rate"), "66.7%");
    assert_eq!(figure(&html, "median"), "3小时");
    assert_eq!(figure(&html, "mom"), "+200.0%");
    assert_eq!(figure(&html, "yoy"), "+200.0%");
    assert_eq!(figure(&html, "monitored-posts"), "1200 条");
    assert!(html.contains("监测信息量（人工填报）"));
    assert!(html.contains("href=\"../cases/S-03.html\""));
    let categories = table(&html, "t-category");
    assert_eq!(row(&categories, "突发事件类")[1..], ["1", "33.3%"]);
}

#[test]
fn months_without_a_summary_get_a_figures_only_page() {
    let lib = built();
    let html = lib.read("summaries/2024-04.html");
    assert!(html.contains("本期尚无书面分析"));
    assert_eq!(figure(&html, "total"), "3");
    // S-04 on time, S-06 overdue, S-07 pending.
    assert_eq!(figure(&html, "on-time-rate"), "50.0%");
    assert_eq!(figure(&html, "median"), "18小时30分");
    assert_eq!(figure(&html, "mom"), "持平");
    assert_eq!(figure(&html, "yoy"), "—");
    let index = lib.read("summaries/index.html");
    let order: Vec<usize> = [
        "2024-04.html",
        "2024-03.html",
        "2024-02.html",
        "2023-03.html",
    ]
    .iter()
    .map(|p| index.find(p).unwrap_or_else(|| panic!("{p} not listed")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "latest first");
    assert!(!index.contains("2023-04.html"), "no page for empty months");
}

/// CSV rows keyed by 编号, as header → value.
fn csv(lib: &Scratch) -> Vec<std::collections::HashMap<String, String>> {
    let bytes = std::fs::read(lib.out().join("data/cases.csv")).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split(',')
        .map(str::to_owned)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn csv_export_has_the_same_figures() {
    let lib = built();
    let rows = csv(&lib);
    assert_eq!(rows.len(), 8);
    let by_id = |id: &str| {
        rows.iter()
            .find(|r| r["编号"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    let s04 = by_id("S-04");
    assert_eq!(s04["发现时间"], "2024-04-01 01:30");
    assert_eq!(s04["首次回应用时（分钟）"], "1110");
    assert_eq!(s04["回应结果"], "按时");
    assert_eq!(by_id("S-03")["回应结果"], "超时");
    assert_eq!(by_id("S-03")["首次回应用时（分钟）"], "180");
    assert_eq!(by_id("S-02")["首次回应用时（分钟）"], "1");
    assert_eq!(by_id("S-06")["回应结果"], "逾期未回应");
    assert_eq!(by_id("S-06")["首次回应用时（分钟）"], "");
    assert_eq!(by_id("S-07")["回应结果"], "待回应");
    assert_eq!(by_id("S-02")["传播平台"], "微博、抖音");
    // Each category's deadline as configured: same-day, 2h, 1d.
    let deadlines: Vec<&str> = ["S-00", "S-03", "S-05"]
        .iter()
        .map(|id| by_id(id)["回应时限"].as_str())
        .collect();
    assert_eq!(deadlines, ["当日24时前", "2小时", "1天"]);
    // A title that starts like a formula stays text.
    assert_eq!(by_id("S-05")["事件名称"], "'=网传县城封城系谣言");
    let on_time = rows.iter().filter(|r| r["回应结果"] == "按时").count();
    assert_eq!(on_time, 5);
}

#[test]
fn xlsx_export_is_typed_and_has_the_pages_figures() {
    use calamine::{Data, Reader};
    let lib = built();
    let path = lib.out().join("data/cases.xlsx");
    let mut book = calamine::open_workbook_auto(&path).expect("opens as a workbook");
    assert_eq!(book.sheet_names(), ["台账", "2024年", "2023年", "统计"]);
    let ledger = book.worksheet_range("台账").expect("台账");
    let rows: Vec<&[Data]> = ledger.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let csv_header: Vec<String> = csv(&lib)[0].keys().cloned().collect();
    assert_eq!(header.len(), csv_header.len());
    assert!(
        csv_header.iter().all(|h| header.contains(h)),
        "the CSV's columns"
    );
    assert_eq!(rows.len(), 1 + 8);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let s04 = rows
        .iter()
        .find(|r| r[0] == Data::String("S-04".into()))
        .expect("S-04");
    match &s04[col("发现时间")] {
        Data::DateTime(d) => {
            let (y, mo, da, h, mi, ..) = d.to_ymd_hms_milli();
            assert_eq!((y, mo, da, h, mi), (2024, 4, 1, 1, 30));
        }
        other => panic!("发现时间 is a date, not {other:?}"),
    }
    assert_eq!(s04[col("首次回应用时（分钟）")], Data::Float(1110.0));
    assert_eq!(s04[col("回应结果")], Data::String("按时".into()));
    let s05 = rows
        .iter()
        .find(|r| r[0] == Data::String("S-05".into()))
        .expect("S-05");
    assert_eq!(
        s05[col("事件名称")],
        Data::String("=网传县城封城系谣言".into()),
        "text, not a formula"
    );
    let formulas = book.worksheet_formula("台账").expect("formulas");
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "no formula anywhere"
    );
    assert_eq!(
        book.worksheet_range("2024年")
            .expect("2024年")
            .rows()
            .count(),
        1 + 7
    );

    let html = lib.read("stats/index.html");
    let stats = book.worksheet_range("统计").expect("统计");
    let overall: Vec<String> = stats
        .rows()
        .nth(1)
        .expect("总体")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(overall[7], figure(&html, "on-time-rate"));
    assert_eq!(overall[8], figure(&html, "median"));
    assert_eq!(overall[1], "8");
    // 已回应 is 按时 + 超时 (the page shows those two, not their sum).
    let n = |k: usize| overall[k].parse::<u32>().expect("a count");
    assert_eq!(n(2), n(3) + n(4), "{overall:?}");
    assert!(
        n(3) > 0 && n(4) > 0,
        "the fixture has cases on time and late"
    );

    // Frozen header and a filter, as Excel stores them.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("xlsx")).expect("zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet1"),
        &mut sheet,
    )
    .expect("read");
    assert!(sheet.contains("<pane ySplit=\"1\""), "frozen header");
    assert!(sheet.contains("<autoFilter ref=\"A1:"), "filter");
}

/// The 台账 sheet as Excel reads it from the file: columns as wide as their text (a Chinese
/// character two units, at most 60), 回应结果 filled by outcome, the filter over every row.
#[test]
fn xlsx_ledger_columns_fit_their_text_and_outcomes_are_coloured() {
    let lib = built();
    let file = std::fs::File::open(lib.out().join("data/cases.xlsx")).expect("xlsx");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut part = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut text)
            .expect("read");
        text
    };
    let (sheet, shared, styles) = (
        part("xl/worksheets/sheet1.xml"),
        part("xl/sharedStrings.xml"),
        part("xl/styles.xml"),
    );
    let attr = |tag: &str, name: &str| -> String {
        let key = format!(" {name}=\"");
        format!(" {tag}")
            .split_once(&key)
            .and_then(|(_, rest)| rest.split_once('"'))
            .map_or(String::new(), |(value, _)| value.to_owned())
    };
    let strings: Vec<String> = shared
        .split("<si>")
        .skip(1)
        .map(|si| {
            let t = si.split_once("<t").expect("t").1;
            t.split_once('>')
                .expect(">")
                .1
                .split_once("</t>")
                .expect("</t>")
                .0
                .to_owned()
        })
        .collect();
    let fills: Vec<String> = styles
        .split("<fill>")
        .skip(1)
        .map(|f| attr(f.split_once("<fgColor").map_or("", |(_, c)| c), "rgb"))
        .collect();
    let xfs = styles.split_once("<cellXfs").expect("cellXfs").1;
    let xfs = xfs.split_once("</cellXfs>").expect("end").0;
    let fill_of_style: Vec<String> = xfs
        .split("<xf ")
        .skip(1)
        .map(|xf| fills[attr(xf, "fillId").parse::<usize>().expect("fillId")].clone())
        .collect();
    // (column letters, row, text, fill) of every text cell.
    let cells: Vec<(String, u32, String, String)> = sheet
        .split("<c ")
        .skip(1)
        .filter(|c| attr(c, "t") == "s")
        .map(|c| {
            let r = attr(c, "r");
            let split = r.find(|ch: char| ch.is_ascii_digit()).expect("row");
            let v = c
                .split_once("<v>")
                .expect("v")
                .1
                .split_once("</v>")
                .expect("/v")
                .0;
            let style = attr(c, "s").parse::<usize>().unwrap_or(0);
            (
                r[..split].to_owned(),
                r[split..].parse().expect("row"),
                strings[v.parse::<usize>().expect("index")].clone(),
                fill_of_style[style].clone(),
            )
        })
        .collect();
    let column = |header: &str| {
        cells
            .iter()
            .find(|(_, row, text, _)| *row == 1 && text == header)
            .map(|(col, ..)| col.clone())
            .expect(header)
    };
    let in_column = |col: &str| -> Vec<&(String, u32, String, String)> {
        cells
            .iter()
            .filter(|(c, row, ..)| c == col && *row > 1)
            .collect()
    };

    let outcome = column("回应结果");
    let mut seen = std::collections::BTreeMap::new();
    for (_, _, text, fill) in in_column(&outcome) {
        seen.insert(text.as_str(), fill.as_str());
    }
    let expected = [
        ("待回应", ""),
        ("按时", "FFD8F0DC"),
        ("超时", "FFFCE8CC"),
        ("逾期未回应", "FFF9D6D5"),
    ];
    assert_eq!(seen, expected.into_iter().collect(), "回应结果 fills");
    let title = column("事件名称");
    assert!(
        in_column(&title).iter().all(|(.., fill)| fill.is_empty()),
        "titles unfilled"
    );

    // The title column is as wide as its widest text plus two, a Chinese character two units.
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let widest = in_column(&title)
        .iter()
        .map(|(.., text, _)| width(text))
        .max()
        .expect("titles");
    let stored = |letters: &str| -> f64 {
        let index = letters
            .bytes()
            .fold(0, |n, b| n * 26 + usize::from(b - b'A' + 1));
        sheet
            .split("<col ")
            .skip(1)
            .find(|c| {
                let n = |name| attr(c, name).parse::<usize>().expect("col");
                (n("min")..=n("max")).contains(&index)
            })
            .map(|c| attr(c, "width").parse().expect("width"))
            .expect("the column's width")
    };
    let fits = |letters: &str, expected: usize| {
        let (expected, stored) = (expected as f64, stored(letters));
        assert!(
            (expected..expected + 1.0).contains(&stored),
            "column {letters}: width {stored}, expected {expected}"
        );
    };
    fits(&title, (widest.max(width("事件名称")) + 2).min(60));
    // A column of short numbers is as wide as its header.
    let minutes = "首次回应用时（分钟）";
    fits(&column(minutes), width(minutes) + 2);

    let last = cells
        .iter()
        .filter(|(_, row, ..)| *row == 1)
        .map(|(c, ..)| c)
        .max_by_key(|c| (c.len(), (*c).clone()));
    let filter = format!("<autoFilter ref=\"A1:{}9\"", last.expect("header"));
    assert!(sheet.contains(&filter), "{filter}");
}

/// The workbook's 统计 sheet, table by table (they are separated by a blank row), against the
/// figures worked out by hand above.
#[test]
fn xlsx_statistics_sheet_has_every_table_worked_out() {
    use calamine::Reader;
    let lib = built();
    let mut book =
        calamine::open_workbook_auto(lib.out().join("data/cases.xlsx")).expect("workbook");
    let sheet = book.worksheet_range("统计").expect("统计");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let tables: Vec<&[Vec<String>]> = rows
        .split(|r| r.iter().all(String::is_empty))
        .filter(|t| !t.is_empty())
        .collect();
    let counts =
        |t: &[Vec<String>]| -> Vec<String> { t[1..].iter().map(|r| r[..7].join(" ")).collect() };
    assert_eq!(tables.len(), 4, "{rows:?}");
    assert_eq!(tables[0][0][0], "总体");
    assert_eq!(counts(tables[0]), ["全部 8 6 5 1 1 1"]);
    assert_eq!(tables[1][0][0], "按舆情类别");
    let mut by_category = counts(tables[1]);
    by_category.sort();
    assert_eq!(
        by_category,
        [
            "突发事件类 2 1 0 1 1 0",
            "造谣诽谤类 1 1 1 0 0 0",
            "问题类 5 4 4 0 0 1"
        ]
    );
    assert_eq!(tables[2][0][0], "按责任单位");
    assert_eq!(
        counts(tables[2]),
        [
            "县教育局 4 3 3 0 0 1",
            "县应急局 2 1 0 1 1 0",
            "县住建局 1 1 1 0 0 0",
            "县公安局 1 1 1 0 0 0"
        ]
    );
    // Every month of the years with records, from the first record's month to the last's,
    // with 环比 (against the month before) and 同比 (against a year before).
    let months: Vec<String> = tables[3][1..].iter().map(|r| r[..4].join(" ")).collect();
    assert_eq!(tables[3][0][..4], ["月份", "件数", "环比", "同比"]);
    assert_eq!(months.len(), 10 + 4, "{months:?}");
    assert_eq!(months[0], "2023年3月 1 — —");
    assert_eq!(months[1], "2023年4月 0 -100.0% —");
    assert_eq!(months[10], "2024年1月 0 — —");
    assert_eq!(months[11], "2024年2月 1 — —");
    assert_eq!(months[12], "2024年3月 3 +200.0% +200.0%");
    assert_eq!(months[13], "2024年4月 3 持平 —");
}

#[test]
fn sqlite_export_has_the_same_figures() {
    let lib = built();
    let db = rusqlite::Connection::open(lib.out().join("data/casebook.sqlite")).expect("open");
    let one = |sql: &str| -> String {
        db.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Real(f) => format!("{f:.1}"),
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Null => "NULL".into(),
                rusqlite::types::Value::Blob(_) => "BLOB".into(),
            })
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    assert_eq!(one("SELECT COUNT(*) FROM records"), "8");
    assert_eq!(
        one("SELECT month FROM records WHERE id = 'S-04'"),
        "2024-04"
    );
    assert_eq!(
        one("SELECT discovered_at FROM records WHERE id = 'S-04'"),
        "2024-04-01T01:30:00+08:00"
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM records WHERE month = '2024-03'"),
        "3"
    );
    assert_eq!(
        one("SELECT response_minutes FROM records WHERE id = 'S-05'"),
        "1380"
    );
    assert_eq!(
        one("SELECT on_time || '/' || cases || ' ' || on_time_rate_percent FROM department_response WHERE department = '县教育局'"),
        "3/4 100.0"
    );
    assert_eq!(
        one("SELECT on_time_rate_percent FROM department_response WHERE department = '县应急局'"),
        "0.0"
    );
    assert_eq!(
        one("SELECT ROUND(100.0 * SUM(response_outcome = '按时') / SUM(response_outcome IN ('按时', '超时', '逾期未回应')), 1) FROM records"),
        "71.4"
    );
    assert_eq!(one("SELECT group_concat(id) FROM overdue_records"), "S-06");
    assert_eq!(
        one("SELECT SUM(cases) FROM monthly_counts WHERE month = '2024-04'"),
        "3"
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM platforms WHERE platform = '抖音'"),
        "2"
    );
    assert_eq!(
        one("SELECT monitored_posts FROM summaries WHERE period = '2024-03'"),
        "1200"
    );
    assert_eq!(one("SELECT record_id FROM summary_cases"), "S-03");
}

#[test]
fn new_summary_is_a_draft_prefilled_with_the_figures() {
    let lib = Scratch::of("stats");
    let opts = casebook::BuildOptions {
        now: Some(NOW.into()),
        ..lib.options()
    };
    let (library, derived, _) =
        casebook::derive_library(&opts, &Default::default()).expect("library");
    let path = casebook::scaffold::new_summary(&lib.root(), &library, &derived, "2024-04")
        .expect("written");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("period = \"2024-04\""));
    assert!(text.contains("draft = true"));
    assert!(
        text.contains("台账共登记网络舆情事件3件，环比持平"),
        "{text}"
    );
    assert!(text.contains("按时回应率50.0%，首次回应用时中位数18小时30分"));
    // The period's categories and warning colours, counted (S-04 is 蓝; S-06, S-07 have none).
    assert!(text.contains("。其中问题类2件、突发事件类1件。"), "{text}");
    assert!(text.contains("预警：蓝色1件。"), "{text}");
    // No typical, red or orange case, and none with a reach: nothing to propose.
    assert!(text.contains("key_cases = []"));
    assert!(text.contains("〔本期无重点舆情〕"));
    // Never over an existing file.
    let again = casebook::scaffold::new_summary(&lib.root(), &library, &derived, "2024-03");
    assert!(matches!(
        again,
        Err(casebook::scaffold::NewError::Exists(_))
    ));
    assert!(
        std::fs::read_to_string(lib.root().join("content/summaries/2024-03.md"))
            .expect("kept")
            .contains("CLERK-ANALYSIS")
    );
    // The draft builds (with --drafts) and the period's page shows the same figures.
    let with_drafts = casebook::BuildOptions {
        drafts: true,
        ..opts
    };
    casebook::build(&with_drafts).expect("draft builds");
    assert_eq!(figure(&lib.read("summaries/2024-04.html"), "total"), "3");
}

/// 热词: a period's most distinctive words of titles and tags, each with how many of the
/// period's records have it, linking to a search for it.
#[test]
fn hot_words_rank_a_periods_words_against_the_library() {
    let lib = built();
    let words = |html: &str| -> Vec<(String, String)> {
        html.split("data-word=\"")
            .skip(1)
            .map(|rest| {
                let word = rest.split('"').next().unwrap_or_default().to_owned();
                let count = rest
                    .split("<span class=\"muted\">")
                    .nth(1)
                    .and_then(|s| s.split(' ').next())
                    .unwrap_or_default()
                    .to_owned();
                (word, count)
            })
            .collect()
    };
    let all = words(&lib.read("stats/index.html"));
    // 投诉 names three of the eight records: the most frequent, first.
    assert_eq!(all[0], ("投诉".to_owned(), "3".to_owned()), "{all:?}");
    let march = lib.read("summaries/2024-03.html");
    let hot = words(&march);
    // One of March's three records says 投诉, as do two others outside March: it ranks
    // below the words only March has.
    let at = |w: &str| {
        hot.iter()
            .position(|(x, _)| x == w)
            .unwrap_or_else(|| panic!("{w} in {hot:?}"))
    };
    assert!(at("化工厂") < at("投诉"));
    assert!(hot.iter().all(|(_, n)| n == "1"), "{hot:?}");
    assert!(
        march.contains(r#"href="../search.html?q=%E5%8C%96%E5%B7%A5%E5%8E%82""#),
        "a search for the word"
    );
    assert!(
        !hot.iter().any(|(w, _)| w == "校门口" || w == "拥堵"),
        "April's words are not March's"
    );
}
