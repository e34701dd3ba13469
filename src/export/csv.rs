//! `data/cases.csv`: one row per record, Chinese headers, UTF-8 with a byte-order mark so that
//! Excel opens it as UTF-8.
//!
//! Cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) get a leading `'`, so a pasted `=HYPERLINK(…)` stays text.

use chrono::{DateTime, FixedOffset};

use super::{deadline_label, published_related, rows};
use crate::derive::deadlines::Response;
use crate::model::Library;

const HEADERS: &[&str] = &[
    "编号",
    "事件名称",
    "舆情类别",
    "责任单位",
    "发现时间",
    "情感倾向",
    "预警颜色",
    "响应级别",
    "处置状态",
    "属地",
    "传播平台",
    "首发平台",
    "首发时间",
    "报送时间",
    "首次回应时间",
    "回应方式",
    "办结时间",
    "传播量",
    "标签",
    "启动预案",
    "关联案例",
    "典型案例",
    "回应时限",
    "回应截止时间",
    "首次回应用时（分钟）",
    "回应结果",
    "办结用时（分钟）",
];

pub fn write(lib: &Library, responses: &[Response]) -> Vec<u8> {
    let tz = lib.config.timezone;
    let time =
        |t: &DateTime<FixedOffset>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let opt_time = |t: &Option<DateTime<FixedOffset>>| t.as_ref().map(time).unwrap_or_default();
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();

    let mut out = String::from("\u{feff}");
    line(&mut out, HEADERS.iter().map(|h| (*h).to_owned()));
    for (r, resp) in rows(lib, responses) {
        line(
            &mut out,
            [
                r.id.clone(),
                r.title.clone(),
                r.category.clone(),
                r.department.clone(),
                time(&r.discovered_at),
                opt(&r.sentiment),
                opt(&r.warning),
                opt(&r.level),
                r.status.clone(),
                opt(&r.region),
                r.platforms.join("、"),
                r.first_platform().unwrap_or_default().to_owned(),
                opt_time(&r.first_published_at),
                opt_time(&r.reported_at),
                opt_time(&r.first_response_at),
                opt(&r.response_channel),
                opt_time(&r.closed_at),
                r.reach.map(|n| n.to_string()).unwrap_or_default(),
                r.tags.join("、"),
                r.plans.join("、"),
                published_related(lib, r).collect::<Vec<_>>().join("、"),
                if r.typical { "是" } else { "否" }.to_owned(),
                deadline_label(lib, r),
                time(&resp.due),
                num(resp.minutes),
                resp.outcome.label().to_owned(),
                num(resp.close_minutes),
            ],
        );
    }
    out.into_bytes()
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(&cell));
    }
    out.push_str("\r\n");
}

/// One cell: formula-neutralised, quoted when it holds a comma, quote or line break.
pub fn cell_text(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::cell_text;

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(cell_text("=1+1"), "'=1+1");
        assert_eq!(cell_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell_text("-3"), "'-3");
        assert_eq!(cell_text("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(cell_text("县教育局"), "县教育局");
    }
}
