//! 月度舆情分析: a period summary (`content/summaries/*.md`).

use crate::messages::Key;
use std::fmt;

use chrono::NaiveDate;

use super::{Body, Origin, Visibility};
use crate::config::Config;
use crate::fields::{FieldSpec, Fields};

#[derive(Debug, Clone)]
pub struct Summary {
    pub origin: Origin,
    pub period: Period,
    pub title: String,
    pub unit: Option<String>,
    pub issue_no: Option<u64>,
    pub published: Option<NaiveDate>,
    /// Hand-entered count of monitored posts (posts, not incidents).
    pub monitored_posts: Option<u64>,
    pub key_cases: Vec<String>,
    pub visibility: Visibility,
    pub body: Body,
}

/// 统计周期: a month, a quarter or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Month(i32, u32),
    Quarter(i32, u32),
    Year(i32),
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (year, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if year.len() != 4 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        if !crate::fields::YEARS.contains(&year) {
            return None;
        }
        match rest {
            None => Some(Period::Year(year)),
            Some(q) if q.starts_with('Q') => {
                let n: u32 = q[1..].parse().ok()?;
                (1..=4).contains(&n).then_some(Period::Quarter(year, n))
            }
            Some(m) if m.len() == 2 => {
                let n: u32 = m.parse().ok()?;
                (1..=12).contains(&n).then_some(Period::Month(year, n))
            }
            Some(_) => None,
        }
    }

    /// The first day of the period and the first day after it.
    pub fn bounds(&self) -> (NaiveDate, NaiveDate) {
        let (y, m0, months) = match *self {
            Period::Month(y, m) => (y, m, 1),
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1, 3),
            Period::Year(y) => (y, 1, 12),
        };
        let start = NaiveDate::from_ymd_opt(y, m0, 1).unwrap_or_default();
        let end = start
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(start);
        (start, end)
    }

    /// The months the period covers, in order.
    pub fn months(&self) -> Vec<(i32, u32)> {
        match *self {
            Period::Month(y, m) => vec![(y, m)],
            Period::Quarter(y, q) => (1..=3).map(|i| (y, (q - 1) * 3 + i)).collect(),
            Period::Year(y) => (1..=12).map(|m| (y, m)).collect(),
        }
    }

    /// The period just before (环比 compares with it).
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Year(y) => Period::Year(y - 1),
        }
    }

    /// The same period a year earlier (同比 compares with it).
    pub fn year_ago(&self) -> Period {
        match *self {
            Period::Month(y, m) => Period::Month(y - 1, m),
            Period::Quarter(y, q) => Period::Quarter(y - 1, q),
            Period::Year(y) => Period::Year(y - 1),
        }
    }

    /// Chinese name of the period: 2024年3月, 2024年第1季度, 2024年.
    pub fn label(&self) -> String {
        match *self {
            Period::Month(y, m) => format!("{y}年{m}月"),
            Period::Quarter(y, q) => format!("{y}年第{q}季度"),
            Period::Year(y) => format!("{y}年"),
        }
    }
}

impl fmt::Display for Period {
    /// The key used in URLs and front matter: 2024-03, 2024-Q1, 2024.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Year(y) => write!(f, "{y}"),
        }
    }
}

pub const FIELDS: &[FieldSpec] = &[
    ("period", "统计周期"),
    ("title", "标题"),
    ("unit", "编制单位"),
    ("issue_no", "期数"),
    ("published", "报送日期"),
    ("monitored_posts", "监测信息量"),
    ("key_cases", "重点舆情"),
    ("audience", "公开范围"),
    ("draft", "草稿"),
];

impl Summary {
    pub fn read(f: &mut Fields, config: &Config, origin: Origin, body: Body) -> Option<Summary> {
        if !f.has("period") {
            f.missing("period", "\"2024-03\"");
        }
        let period = f.parsed("period", Period::parse, Key::APeriod, Key::PeriodHint)?;
        Some(Summary {
            title: f
                .string("title")
                .unwrap_or_else(|| format!("{}网络舆情分析", period.label())),
            unit: f.string("unit"),
            issue_no: f.count("issue_no"),
            published: f.date("published"),
            monitored_posts: f.count("monitored_posts"),
            key_cases: f.string_list("key_cases"),
            visibility: Visibility::read(f, config),
            period,
            origin,
            body,
        })
    }
}
