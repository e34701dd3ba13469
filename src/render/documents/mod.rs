//! The Word documents the office hands on, made from what the pages show: a summary's
//! 月度舆情分析 (its figures as Word tables, formatted as the page formats them, then the
//! clerk's analysis) and a record's 舆情专报. Charts are given as the tables they are drawn
//! from: in a Word file a clerk edits, a table's numbers can be checked and restyled, an
//! image's cannot. The layout is in [`layout`].

pub mod layout;

use layout::Official;

use super::summaries::SummaryView;
use super::views::{CaseView, Link};
use crate::model::Library;
use crate::text::markdown::{self, Block};

/// The marking the build's audience's documents carry (casebook.toml `[markings]`).
pub fn marking(lib: &Library) -> Option<&str> {
    lib.config.marking(&lib.audience)
}

/// The Markdown `body` laid out: headings, paragraphs, lists, tables.
fn body(mut doc: Official, body: &str) -> Official {
    for block in markdown::blocks(body) {
        doc = match block {
            Block::Heading(level, text) => doc.heading(level.saturating_sub(1), &text),
            Block::Paragraph(runs) => doc.paragraph(&runs),
            Block::Table(header, rows) => {
                let header: Vec<&str> = header.iter().map(String::as_str).collect();
                doc.table("", &header, &rows)
            }
        };
    }
    doc
}

fn links(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| l.text.clone())
        .collect::<Vec<_>>()
        .join("；")
}

/// The summary of `view` (its body `markdown`) as a Word file.
pub fn summary(lib: &Library, view: &SummaryView, markdown: &str) -> Result<Vec<u8>, String> {
    let mut doc = Official::new();
    if let Some(m) = marking(lib) {
        doc = doc.marking(m);
    }
    let row = &view.row;
    let issue = row
        .issue_no
        .map(|n| format!("　第{n}期"))
        .unwrap_or_default();
    doc = doc.masthead(&format!("{}{issue}", row.period_label));
    let unit = view
        .unit
        .clone()
        .unwrap_or_else(|| lib.config.title.clone());
    let published = row.published.clone().unwrap_or_default();
    let published = match published.is_empty() {
        true => String::new(),
        false => format!("　{published}"),
    };
    doc = doc
        .masthead(&format!("{unit}{published}"))
        .title(&row.title);
    if let Some(period) = &view.figures {
        let f = &period.figures;
        doc = doc.heading(1, "本期数据（系统统计）").table(
            "主要数据",
            &[
                "事件总数",
                "已办结",
                "未办结",
                "按时回应率",
                "首次回应用时中位数",
                "逾期未回应",
            ],
            &[vec![
                f.total.to_string(),
                f.closed.to_string(),
                f.open.to_string(),
                f.overall.on_time_rate.clone(),
                f.overall.median.clone(),
                f.overall.overdue.to_string(),
            ]],
        );
        doc = doc.table(
            "与往期比较",
            &["", "比较期", "比较期件数", "变化"],
            &[
                vec![
                    "环比".into(),
                    period.mom.compared_with.clone(),
                    period.mom.previous.to_string(),
                    period.mom.text.clone(),
                ],
                vec![
                    "同比".into(),
                    period.yoy.compared_with.clone(),
                    period.yoy.previous.to_string(),
                    period.yoy.text.clone(),
                ],
            ],
        );
        for d in f
            .distributions
            .iter()
            .filter(|d| matches!(d.key, "category" | "warning"))
        {
            let rows: Vec<Vec<String>> = d
                .rows
                .iter()
                .map(|r| vec![r.name.clone(), r.count.to_string(), r.share.clone()])
                .collect();
            doc = doc.table(
                &format!("按{}统计", d.label),
                &["项目", "事件数", "占比"],
                &rows,
            );
        }
        let rows: Vec<Vec<String>> = f
            .departments
            .iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    p.total.to_string(),
                    p.on_time.to_string(),
                    p.late.to_string(),
                    p.overdue.to_string(),
                    p.pending.to_string(),
                    p.on_time_rate.clone(),
                    p.median.clone(),
                ]
            })
            .collect();
        if !f.hot_words.is_empty() {
            let rows: Vec<Vec<String>> = f
                .hot_words
                .iter()
                .map(|w| vec![w.name.clone(), w.count.to_string()])
                .collect();
            doc = doc.table("本期热词", &["热词", "事件数"], &rows);
        }
        doc = doc.table(
            "各责任单位回应时效",
            &[
                "名称",
                "事件数",
                "按时",
                "超时",
                "逾期未回应",
                "待回应",
                "按时回应率",
                "回应用时中位数",
            ],
            &rows,
        );
    }
    if !view.key_cases.is_empty() {
        doc = doc.heading(1, "重点舆情").text(&links(&view.key_cases));
    }
    if !markdown.trim().is_empty() {
        doc = body(doc.heading(1, "分析正文"), markdown);
    }
    doc.bytes()
}

/// The record sections each part of a 舆情专报 is written from, in order of preference.
const REPORT_PARTS: &[(&str, &[&str])] = &[
    ("舆情概况", &["舆情概况", "事件概况"]),
    ("传播情况", &["传播情况"]),
    ("研判情况", &["研判情况"]),
    ("处置情况", &["处置情况", "处置经过", "回应内容"]),
    ("下步建议", &["下步建议", "效果评估", "经验教训"]),
];

/// A record's 舆情专报: the facts, then 舆情概况, 传播情况, 研判情况, 处置情况 and 下步建议
/// from the record's sections, each with the facts that belong to it.
pub fn report(lib: &Library, view: &CaseView, markdown: &str) -> Result<Vec<u8>, String> {
    let c = view;
    let r = &c.row;
    let mut doc = Official::new();
    if let Some(m) = marking(lib) {
        doc = doc.marking(m);
    }
    doc = doc
        .masthead(&format!("舆情专报　{}", r.id))
        .masthead(&lib.config.title)
        .title(&r.title);
    let mut facts = vec![
        vec!["舆情类别".to_owned(), r.category.clone()],
        vec![
            "预警颜色".to_owned(),
            r.warning.clone().unwrap_or_else(|| "未标注".into()),
        ],
        vec![
            "响应级别".to_owned(),
            r.level.clone().unwrap_or_else(|| "未标注".into()),
        ],
        vec!["责任单位".to_owned(), r.department.clone()],
        vec!["发现时间".to_owned(), r.discovered.clone()],
        vec!["处置状态".to_owned(), r.status.clone()],
        vec!["回应情况".to_owned(), c.response_line.clone()],
    ];
    if !c.platforms.is_empty() {
        facts.push(vec!["传播平台".to_owned(), c.platforms.join("、")]);
    }
    doc = doc.table("基本情况", &["项目", "内容"], &facts);
    let written_sections = markdown::sections(markdown);
    for (n, (part, sections)) in REPORT_PARTS.iter().enumerate() {
        doc = doc.heading(1, &format!("{}、{part}", chinese_ordinal(n + 1)));
        let mut written = false;
        for name in *sections {
            if let Some((_, text)) = written_sections.iter().find(|(title, _)| title == name) {
                doc = body(doc, text);
                written = true;
            }
        }
        let fact = match *part {
            "传播情况" => c.reach.as_ref().map(|n| format!("传播量约{n}。")),
            "研判情况" => Some(format!(
                "本事件属{}，处置原则：{}。",
                r.category,
                c.principle
                    .clone()
                    .unwrap_or_else(|| "按本单位规定处置".into())
            )),
            "处置情况" => Some(format!("{}。", c.response_line)),
            _ => None,
        };
        match fact {
            Some(f) => doc = doc.text(&f),
            None if !written => doc = doc.text("（记录中未填写）"),
            None => {}
        }
    }
    doc.bytes()
}

/// 一, 二, … 十.
fn chinese_ordinal(n: usize) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        .get(n.wrapping_sub(1))
        .copied()
        .unwrap_or("十")
}
