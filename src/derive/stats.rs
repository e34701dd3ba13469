//! Statistics: counts, distributions, response performance and period-on-period changes.
//!
//! Computed once, as plain numbers, for the statistics pages, the period summaries and the
//! exports, so the same figure is the same everywhere. Records are grouped by the month of
//! `discovered_at` in the site's timezone once; every scope (the whole library, a year, a
//! summary's period) is assembled from those month groups, so the cost grows with the number
//! of records, not with records × periods.
//!
//! Definitions (also in the README):
//! - on-time rate = 按时 ÷ (按时 + 超时 + 逾期未回应); records still within their deadline
//!   (待回应) are not yet judged and are left out;
//! - median response time is over answered records; with an even count it is the mean of
//!   the two middle values, rounded half up to the minute;
//! - 环比 compares with the period just before, 同比 with the same period a year earlier;
//!   the change is a percentage of the earlier count, and none when that count is 0.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use rayon::prelude::*;

use super::deadlines::{Outcome, Response};
use super::indexes;
use crate::content::summary::Period;
use crate::model::Library;

/// (year, month)
pub type Month = (i32, u32);

/// How many records the "top by reach" list holds.
const TOP_REACH: usize = 10;

/// The distributions shown on a statistics page: axis key and Chinese name.
pub const DISTRIBUTIONS: &[(&str, &str)] = &[
    ("category", "舆情类别"),
    ("sentiment", "情感倾向"),
    ("warning", "预警颜色"),
    ("level", "响应级别"),
    ("status", "处置状态"),
    ("platform", "传播平台"),
    ("region", "属地"),
    ("department", "责任单位"),
];

/// Name of the bucket for records without a value on an optional axis.
pub const UNMARKED: &str = "未标注";

/// Response-time buckets: upper bound in minutes (exclusive) and label.
pub const RESPONSE_BUCKETS: &[(i64, &str)] = &[
    (30, "30分钟内"),
    (60, "30分钟至1小时"),
    (120, "1至2小时"),
    (360, "2至6小时"),
    (1440, "6至24小时"),
    (4320, "1至3天"),
    (i64::MAX, "3天以上"),
];
/// The index in [`RESPONSE_BUCKETS`] of a first response `minutes` after discovery, the
/// index after them when there was none. A bucket holds its upper limit (30分钟内 includes 30
/// minutes), as a deadline does: answered at 2 hours is within a 2-hour deadline. The last
/// limit is `i64::MAX`, so every answer has a bucket.
fn response_bucket(minutes: Option<i64>) -> usize {
    match minutes {
        Some(m) => RESPONSE_BUCKETS
            .iter()
            .take_while(|&&(limit, _)| m > limit)
            .count(),
        None => RESPONSE_BUCKETS.len(),
    }
}

/// The bucket after the response-time buckets.
pub const NOT_ANSWERED: &str = "尚未回应";

/// A count now against a count before; `percent` is none when the earlier count is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub current: usize,
    pub previous: usize,
    pub percent: Option<f64>,
}

impl Change {
    fn new(current: usize, previous: usize) -> Change {
        Change {
            current,
            previous,
            percent: (previous > 0)
                .then(|| (current as f64 - previous as f64) * 100.0 / previous as f64),
        }
    }
}

#[derive(Debug, Clone)]
pub struct MonthRow {
    pub month: Month,
    pub total: usize,
    /// Per category, in the configuration's order.
    pub by_category: Vec<usize>,
    /// 环比 and 同比.
    pub mom: Change,
    pub yoy: Change,
}

#[derive(Debug, Clone)]
pub struct Distribution {
    pub key: &'static str,
    pub label: &'static str,
    /// Term and count, in the browse pages' order; optional axes end with `UNMARKED`.
    pub counts: Vec<(String, usize)>,
}

/// Response performance of a group of records (a department, a category, all).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Performance {
    pub name: String,
    pub total: usize,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
    pub pending: usize,
    pub median_minutes: Option<i64>,
}

impl Performance {
    fn of(name: &str, records: &[usize], responses: &[Response]) -> Performance {
        let mut p = Performance {
            name: name.to_owned(),
            total: records.len(),
            ..Performance::default()
        };
        let mut minutes = Vec::new();
        for &i in records {
            let r = &responses[i];
            match r.outcome {
                Outcome::OnTime => p.on_time += 1,
                Outcome::Late => p.late += 1,
                Outcome::Overdue => p.overdue += 1,
                Outcome::Pending => p.pending += 1,
            }
            minutes.extend(r.minutes);
        }
        p.median_minutes = median(&mut minutes);
        p
    }

    pub fn answered(&self) -> usize {
        self.on_time + self.late
    }

    /// 按时 ÷ (按时 + 超时 + 逾期未回应), none when nothing is judged yet.
    pub fn on_time_rate(&self) -> Option<f64> {
        let judged = self.on_time + self.late + self.overdue;
        (judged > 0).then(|| self.on_time as f64 / judged as f64)
    }
}

/// Median of whole minutes; the mean of the middle two rounded half up for an even count.
fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2] + 1).div_euclid(2)
    })
}

/// The figures of one scope of records.
#[derive(Debug, Clone)]
pub struct Stats {
    /// The records in scope, newest first.
    pub records: Vec<usize>,
    /// Every month of the scope, oldest first, with zero months included (in the overall
    /// figures: the months of the years that have records).
    pub months: Vec<MonthRow>,
    pub distributions: Vec<Distribution>,
    /// Count per `RESPONSE_BUCKETS` entry, then the unanswered count.
    pub response_times: Vec<usize>,
    pub overall: Performance,
    /// Most records first, then name.
    pub by_department: Vec<Performance>,
    /// In the configuration's order.
    pub by_category: Vec<Performance>,
    /// Up to ten records with the largest reach.
    pub top_reach: Vec<usize>,
    /// Unanswered records past their deadline, newest first.
    pub overdue: Vec<usize>,
    pub closed: usize,
}

impl Stats {
    /// The counts of one of the `DISTRIBUTIONS` (empty for an unknown key).
    pub fn distribution(&self, key: &str) -> &[(String, usize)] {
        self.distributions
            .iter()
            .find(|d| d.key == key)
            .map_or(&[][..], |d| d.counts.as_slice())
    }
}

/// A summary's period: its figures and how they compare.
#[derive(Debug, Clone)]
pub struct PeriodFigures {
    pub period: Period,
    pub stats: Stats,
    pub previous: Change,
    pub year_ago: Change,
}

#[derive(Debug)]
pub struct Statistics {
    pub all: Stats,
    /// Newest year first.
    pub years: Vec<(i32, Stats)>,
    /// Every summary's period and every month with records.
    pub periods: BTreeMap<Period, PeriodFigures>,
    /// Months that have records but no written summary (they get a generated page), newest
    /// first.
    pub unwritten_months: Vec<Period>,
}

impl Statistics {
    pub fn period(&self, p: Period) -> Option<&PeriodFigures> {
        self.periods.get(&p)
    }
}

pub fn build(lib: &Library, responses: &[Response]) -> Statistics {
    let tz = lib.config.timezone;
    let mut by_month: BTreeMap<Month, Vec<usize>> = BTreeMap::new();
    for (i, r) in lib.records.iter().enumerate() {
        let d = r.discovered_at.with_timezone(&tz).date_naive();
        by_month.entry((d.year(), d.month())).or_default().push(i);
    }
    let counts: BTreeMap<Month, usize> = by_month.iter().map(|(m, v)| (*m, v.len())).collect();
    let scope = Scope {
        lib,
        responses,
        by_month: &by_month,
        counts: &counts,
    };

    let years: BTreeSet<i32> = by_month.keys().map(|m| m.0).collect();
    // Month by month through the years that have records; a year without any is not drawn
    // as twelve empty months (one record dated decades off would fill the page with them).
    let all_months: Vec<Month> = match (by_month.keys().next(), by_month.keys().next_back()) {
        (Some(&first), Some(&last)) => years
            .iter()
            .flat_map(|&y| month_range(first.max((y, 1)), last.min((y, 12))))
            .collect(),
        _ => Vec::new(),
    };
    let years: Vec<(i32, Stats)> = years
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|y| (y, scope.stats(&Period::Year(y).months())))
        .collect();

    let written: BTreeSet<Period> = lib.summaries.iter().map(|s| s.period).collect();
    let unwritten_months: Vec<Period> = by_month
        .keys()
        .rev()
        .map(|&(y, m)| Period::Month(y, m))
        .filter(|p| !written.contains(p))
        .collect();
    let periods: BTreeMap<Period, PeriodFigures> = written
        .iter()
        .chain(&unwritten_months)
        .copied()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|p| {
            let stats = scope.stats(&p.months());
            let figures = PeriodFigures {
                period: p,
                previous: Change::new(stats.records.len(), scope.count(p.previous())),
                year_ago: Change::new(stats.records.len(), scope.count(p.year_ago())),
                stats,
            };
            (p, figures)
        })
        .collect();

    Statistics {
        all: scope.stats(&all_months),
        years,
        periods,
        unwritten_months,
    }
}

/// Every month from `first` to `last`, inclusive.
fn month_range(first: Month, last: Month) -> Vec<Month> {
    let mut months = Vec::new();
    let mut m = first;
    while m <= last {
        months.push(m);
        m = if m.1 == 12 {
            (m.0 + 1, 1)
        } else {
            (m.0, m.1 + 1)
        };
    }
    months
}

fn previous_month((y, m): Month) -> Month {
    if m == 1 {
        (y - 1, 12)
    } else {
        (y, m - 1)
    }
}

/// The month groups every scope is assembled from.
struct Scope<'a> {
    lib: &'a Library,
    responses: &'a [Response],
    by_month: &'a BTreeMap<Month, Vec<usize>>,
    counts: &'a BTreeMap<Month, usize>,
}

impl Scope<'_> {
    fn month_count(&self, m: Month) -> usize {
        self.counts.get(&m).copied().unwrap_or(0)
    }

    fn count(&self, p: Period) -> usize {
        p.months().into_iter().map(|m| self.month_count(m)).sum()
    }

    /// The figures of the records discovered in `months` (oldest first).
    fn stats(&self, months: &[Month]) -> Stats {
        let lib = self.lib;
        let categories = lib.config.category_names();
        // Newest month first, and records within a month are newest first already.
        let records: Vec<usize> = months
            .iter()
            .rev()
            .filter_map(|m| self.by_month.get(m))
            .flatten()
            .copied()
            .collect();

        let month_rows = months
            .iter()
            .map(|&m| {
                let in_month = self.by_month.get(&m).map_or(&[][..], Vec::as_slice);
                let mut by_category = vec![0; categories.len()];
                for &i in in_month {
                    if let Some(c) = categories
                        .iter()
                        .position(|c| *c == lib.records[i].category)
                    {
                        by_category[c] += 1;
                    }
                }
                MonthRow {
                    month: m,
                    total: in_month.len(),
                    by_category,
                    mom: Change::new(in_month.len(), self.month_count(previous_month(m))),
                    yoy: Change::new(in_month.len(), self.month_count((m.0 - 1, m.1))),
                }
            })
            .collect();

        let distributions = DISTRIBUTIONS
            .iter()
            .map(|&(key, label)| {
                let terms = indexes::terms(lib, key, &records);
                let mut counts: Vec<(String, usize)> = terms
                    .iter()
                    .map(|t| (t.name.clone(), t.records.len()))
                    .collect();
                let unmarked = records
                    .iter()
                    .filter(|&&i| !indexes::has_term(&lib.records[i], key))
                    .count();
                if unmarked > 0 {
                    counts.push((UNMARKED.to_owned(), unmarked));
                }
                Distribution { key, label, counts }
            })
            .collect();

        let mut response_times = vec![0; RESPONSE_BUCKETS.len() + 1];
        for &i in &records {
            response_times[response_bucket(self.responses[i].minutes)] += 1;
        }

        let performance = |key: &str| -> Vec<Performance> {
            indexes::terms(lib, key, &records)
                .iter()
                .map(|t| Performance::of(&t.name, &t.records, self.responses))
                .collect()
        };

        let mut top_reach: Vec<usize> = records
            .iter()
            .copied()
            .filter(|&i| lib.records[i].reach.is_some())
            .collect();
        // Stable sort keeps newest first among equal reach.
        top_reach.sort_by_key(|&i| std::cmp::Reverse(lib.records[i].reach));
        top_reach.truncate(TOP_REACH);

        Stats {
            overall: Performance::of("全部", &records, self.responses),
            by_department: performance("department"),
            by_category: performance("category"),
            overdue: records
                .iter()
                .copied()
                .filter(|&i| self.responses[i].outcome == Outcome::Overdue)
                .collect(),
            closed: records
                .iter()
                .filter(|&&i| lib.records[i].is_closed())
                .count(),
            months: month_rows,
            distributions,
            response_times,
            top_reach,
            records,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_response_time_bucket_holds_its_upper_limit() {
        let label = |m: Option<i64>| {
            RESPONSE_BUCKETS
                .get(super::response_bucket(m))
                .map_or(NOT_ANSWERED, |(_, l)| *l)
        };
        for (minutes, expected) in [
            (0, "30分钟内"),
            (30, "30分钟内"),
            (31, "30分钟至1小时"),
            (60, "30分钟至1小时"),
            (61, "1至2小时"),
            (120, "1至2小时"),
            (1440, "6至24小时"),
            (4320, "1至3天"),
            (4321, "3天以上"),
            (i64::MAX, "3天以上"),
        ] {
            assert_eq!(label(Some(minutes)), expected, "{minutes} minutes");
        }
        assert_eq!(label(None), NOT_ANSWERED);
    }

    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [30, 10, 20]), Some(20));
        assert_eq!(median(&mut [10, 20]), Some(15));
        assert_eq!(median(&mut [10, 21]), Some(16));
    }

    #[test]
    fn on_time_rate_is_over_judged_records_only() {
        let pending = Performance {
            total: 2,
            pending: 2,
            ..Performance::default()
        };
        assert_eq!(pending.on_time_rate(), None, "nothing judged yet");
        let judged = Performance {
            total: 5,
            on_time: 2,
            late: 1,
            overdue: 1,
            pending: 1,
            ..Performance::default()
        };
        assert_eq!(judged.on_time_rate(), Some(0.5));
        assert_eq!(judged.answered(), 3);
    }

    #[test]
    fn change_is_relative_to_the_earlier_count() {
        assert_eq!(Change::new(6, 4).percent, Some(50.0));
        assert_eq!(Change::new(2, 4).percent, Some(-50.0));
        assert_eq!(Change::new(3, 0).percent, None);
    }

    #[test]
    fn month_range_crosses_years() {
        assert_eq!(
            month_range((2023, 11), (2024, 2)),
            vec![(2023, 11), (2023, 12), (2024, 1), (2024, 2)]
        );
    }
}
