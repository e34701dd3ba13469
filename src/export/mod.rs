//! Data exports written into the site's `data/` folder: the ledger as `cases.csv` and
//! `cases.xlsx` for spreadsheets, and `casebook.sqlite` for analysts. All are made from the
//! published `Library` and the derived response metrics only, so they hold exactly what the
//! pages hold. The two ledgers share their columns ([`LEDGER`]) and cells ([`ledger_row`]).

pub mod csv;
pub mod sqlite;
pub mod xlsx;

use chrono::{DateTime, FixedOffset};

use crate::content::record::Record;
use crate::derive::deadlines::Response;
use crate::model::Library;

pub const CSV_PATH: &str = "data/cases.csv";
pub const XLSX_PATH: &str = "data/cases.xlsx";
pub const SQLITE_PATH: &str = "data/casebook.sqlite";

/// One cell of the ledger, typed so a spreadsheet can sort and filter it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Time(Option<DateTime<FixedOffset>>),
    Number(Option<i64>),
}

/// The ledger's column headers.
pub const LEDGER: &[&str] = &[
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

/// The column the spreadsheet colours by the response's outcome.
pub const OUTCOME_HEADER: &str = "回应结果";

/// A record's row of the ledger, one cell per [`LEDGER`] column.
pub fn ledger_row(lib: &Library, r: &Record, resp: &Response) -> Vec<Cell> {
    let text = |s: &str| Cell::Text(s.to_owned());
    let opt = |s: &Option<String>| Cell::Text(s.clone().unwrap_or_default());
    vec![
        text(&r.id),
        text(&r.title),
        text(&r.category),
        text(&r.department),
        Cell::Time(Some(r.discovered_at)),
        opt(&r.sentiment),
        opt(&r.warning),
        opt(&r.level),
        text(&r.status),
        opt(&r.region),
        text(&r.platforms.join("、")),
        text(r.first_platform().unwrap_or_default()),
        Cell::Time(r.first_published_at),
        Cell::Time(r.reported_at),
        Cell::Time(r.first_response_at),
        opt(&r.response_channel),
        Cell::Time(r.closed_at),
        Cell::Number(r.reach.map(|n| i64::try_from(n).unwrap_or(i64::MAX))),
        text(&r.tags.join("、")),
        text(&r.plans.join("、")),
        text(&published_related(lib, r).collect::<Vec<_>>().join("、")),
        text(if r.typical { "是" } else { "否" }),
        text(&deadline_label(lib, r)),
        Cell::Time(Some(resp.due)),
        Cell::Number(resp.minutes),
        text(resp.outcome.label()),
        Cell::Number(resp.close_minutes),
    ]
}

/// A record's `related` ids that this build publishes: an export is data, not a page, so a
/// withheld record is left out rather than shown as plain text.
fn published_related<'a>(lib: &'a Library, r: &'a Record) -> impl Iterator<Item = &'a str> {
    r.related
        .iter()
        .filter(|id| lib.record_index(id).is_some())
        .map(String::as_str)
}

/// The response deadline of a record as configured, e.g. "2小时".
fn deadline_label(lib: &Library, r: &Record) -> String {
    lib.config
        .category(&r.category)
        .map_or_else(|| "当日24时前".to_owned(), |c| c.deadline.to_string())
}

/// Rows of the exports: a record with its response metrics.
fn rows<'a>(
    lib: &'a Library,
    responses: &'a [Response],
) -> impl Iterator<Item = (&'a Record, &'a Response)> {
    lib.records.iter().map(|r| &**r).zip(responses)
}
