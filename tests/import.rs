//! `casebook import`: ledgers built here the way county offices keep them (a merged title row,
//! Excel dates and dates typed as text, blank and 合计 rows, unknown columns, bad values,
//! several sheets, CSV in GB18030), imported through the real binary.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_contains_all, casebook, Scratch};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const CONFIG_IMPORT: &str = r#"
[import.columns]
"涉事镇街" = "region"

[import.values]
"较大" = "橙"

[import.defaults]
category = "问题类"
"#;

/// A ledger of two sheets. 2024年: title row, header, six data rows (one bad warning, one
/// without 责任单位), a blank row and a 合计 row. 2025年: no category column (the default).
fn ledger(path: &Path, warning_of_first: &str) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = book.add_worksheet();
    sheet.set_name("2024年").unwrap();
    sheet
        .merge_range(0, 0, 0, 10, "故城县2024年网络舆情台账", &Format::new())
        .unwrap();
    let header = [
        "序号",
        "发现时间",
        "发布平台",
        "舆情标题",
        "责任单位",
        "舆情类别",
        "预警等级",
        "响应级别",
        "涉事镇街",
        "原帖摘要",
        "处置情况",
        "跟帖数",
        "办结时间",
        "阅读量",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let rows: [[&str; 14]; 6] = [
        [
            "1",
            "",
            "微博、抖音",
            "城区路灯长期不亮",
            "县住建局",
            "问题类",
            warning_of_first,
            "三级响应",
            "城关镇",
            "网民反映#路灯#不亮",
            "已维修",
            "35",
            "2024/3/13 17:00",
            "800",
        ],
        [
            "2",
            "2024年3月20日 9:15",
            "今日头条",
            "学校食堂饭菜质量投诉",
            "县教育局",
            "问题",
            "较大",
            "Ⅱ级",
            "",
            "家长称饭菜变质",
            "",
            "",
            "",
            "1.2万",
        ],
        [
            "3",
            "2024.4.2",
            "微信",
            "暴雨致道路积水",
            "县应急局",
            "突发事件类",
            "红色",
            "一级",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "4",
            "2024-05-06 10:00",
            "微博",
            "紫色预警的帖子",
            "县卫健局",
            "问题类",
            "紫色",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "5",
            "2024-05-07 11:00",
            "微博",
            "没有责任单位的帖子",
            "",
            "问题类",
            "黄",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "6",
            "2024-06-01 08:00",
            "抖音",
            "景区门票价格争议",
            "县文旅局",
            "造谣诽谤类",
            "蓝色预警",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(r, c as u16, *value).unwrap();
            }
        }
    }
    // Row 3 (the first data row) has its discovery time as a real Excel date.
    let at = ExcelDateTime::from_ymd(2024, 3, 12)
        .unwrap()
        .and_hms(8, 30, 0)
        .unwrap();
    sheet.write_datetime_with_format(2, 1, &at, &date).unwrap();
    sheet.write_string(9, 0, "合计").unwrap();
    sheet.write_string(9, 11, "35").unwrap();

    let sheet = book.add_worksheet();
    sheet.set_name("2025年").unwrap();
    for (c, h) in ["标题", "发现时间", "责任单位", "预警级别"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["小区物业收费纠纷", "2025-01-08 14:20", "县住建局", "黄色"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    book.save(path).unwrap();
}

fn scratch() -> Scratch {
    let s = Scratch::of("basic");
    let config = fs::read_to_string(s.root().join("casebook.toml")).unwrap_or_default();
    s.write("casebook.toml", format!("{config}\n{CONFIG_IMPORT}"));
    s
}

fn records_in(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root.join("cases"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

fn record_with_title(root: &Path, title: &str) -> (String, String) {
    for file in records_in(root) {
        let text = fs::read_to_string(root.join(&file)).unwrap();
        if text.contains(&format!("title = \"{title}\"")) {
            return (file, text);
        }
    }
    panic!("no record titled {title} in {:?}", records_in(root));
}

#[test]
fn a_ledger_becomes_records_and_bad_rows_are_reported_by_cell() {
    let s = scratch();
    let xlsx = s.dir.path().join("台账.xlsx");
    ledger(&xlsx, "黄色预警");
    let before = records_in(&s.root());

    // A dry run writes nothing but says what it would write and every problem.
    let dry = casebook(&["import", xlsx.to_str().unwrap(), "--dry-run"], &s.root());
    assert_eq!(records_in(&s.root()), before);
    let said = String::from_utf8_lossy(&dry.stdout);
    assert_eq!(
        said.matches("将写入 cases/").count(),
        5,
        "{said}{}",
        String::from_utf8_lossy(&dry.stderr)
    );

    let out = casebook(&["import", xlsx.to_str().unwrap()], &s.root());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "problems give exit 1: {err}");
    assert!(
        err.contains("台账.xlsx:2024年!G6: “预警等级”列 预警颜色（warning）：“紫色”不是可用的值"),
        "{err}"
    );
    assert!(
        err.contains("台账.xlsx:2024年!A7: 缺少责任单位（department）"),
        "{err}"
    );
    assert!(
        err.contains("写入 5 条，更新 0 条，已存在 0 条，跳过 2 条"),
        "{err}"
    );
    assert_eq!(records_in(&s.root()).len(), before.len() + 5);

    let (path, text) = record_with_title(&s.root(), "城区路灯长期不亮");
    assert!(path.starts_with("cases/2024/YQ-2024-"), "{path}");
    assert_contains_all(
        &text,
        &[
            "discovered_at = 2024-03-12T08:30:00+08:00",
            "platforms = [\"微博\", \"抖音\"]",
            "department = \"县住建局\"",
            "category = \"问题类\"",
            "warning = \"黄\"",
            "level = \"三级\"",
            "region = \"城关镇\"",
            "status = \"已办结\"",
            "closed_at = 2024-03-13T17:00:00+08:00",
            "## 事件概况\n\n网民反映#路灯#不亮",
            "## 处置经过\n\n已维修",
            "## 其他信息\n\n- 跟帖数：35",
            "# 由 casebook import 导入自 台账.xlsx 2024年!A3",
        ],
    );
    let (_, text) = record_with_title(&s.root(), "学校食堂饭菜质量投诉");
    assert_contains_all(
        &text,
        &[
            "discovered_at = 2024-03-20T09:15:00+08:00",
            "warning = \"橙\"",
            "level = \"二级\"",
            "reach = 12000",
            "category = \"问题类\"",
        ],
    );
    let (path, text) = record_with_title(&s.root(), "小区物业收费纠纷");
    assert!(path.starts_with("cases/2025/YQ-2025-"), "{path}");
    assert!(
        text.contains("category = \"问题类\""),
        "the default fills it:\n{text}"
    );
    assert!(!text.contains("合计"));

    // Every record written passes check.
    let check = casebook(&["check", "--now", "2025-12-31"], &s.root());
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    // Importing again writes nothing new.
    let again = casebook(&["import", xlsx.to_str().unwrap()], &s.root());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("写入 0 条，更新 0 条，已存在 5 条，跳过 2 条"),
        "{err}"
    );
    assert_eq!(records_in(&s.root()).len(), before.len() + 5);
}

#[test]
fn update_rewrites_ledger_fields_and_keeps_the_clerks_text() {
    let s = scratch();
    let xlsx = s.dir.path().join("台账.xlsx");
    ledger(&xlsx, "黄色预警");
    casebook(
        &["import", xlsx.to_str().unwrap(), "--sheet", "2024年"],
        &s.root(),
    );
    let (path, text) = record_with_title(&s.root(), "城区路灯长期不亮");
    let edited = text.replace("已维修", "已维修，并举一反三排查全城路灯。")
        + "\n## 经验教训\n\n夜间巡查要常态化。\n";
    fs::write(s.root().join(&path), &edited).unwrap();

    ledger(&xlsx, "橙色预警");
    let plain = casebook(
        &["import", xlsx.to_str().unwrap(), "--sheet", "2024年"],
        &s.root(),
    );
    assert!(String::from_utf8_lossy(&plain.stderr).contains("已存在 4 条"));
    assert_eq!(
        fs::read_to_string(s.root().join(&path)).unwrap(),
        edited,
        "never overwritten without --update"
    );

    let out = casebook(
        &[
            "import",
            xlsx.to_str().unwrap(),
            "--sheet",
            "2024年",
            "--update",
        ],
        &s.root(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("更新 1 条，已存在 3 条"), "{err}");
    let now = fs::read_to_string(s.root().join(&path)).unwrap();
    assert_eq!(now, edited.replace("warning = \"黄\"", "warning = \"橙\""));
}

#[test]
fn a_gb18030_csv_from_excel_is_imported() {
    let s = scratch();
    let csv = s.dir.path().join("台账.csv");
    let text = "标题,发现时间,责任单位,舆情类别,评论数\r\n河道垃圾堆积,2024年7月1日 8:05,县水利局,问题类,12\r\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    fs::write(&csv, bytes).unwrap();
    let out = casebook(&["import", csv.to_str().unwrap()], &s.root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, text) = record_with_title(&s.root(), "河道垃圾堆积");
    assert!(text.contains("department = \"县水利局\""));
    assert!(text.contains("discovered_at = 2024-07-01T08:05:00+08:00"));
    assert!(text.contains("- 评论数：12"), "{text}");
}
