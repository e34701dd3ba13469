//! The statistics as pages show them: the numbers of `derive::stats`, formatted, with their
//! charts. Nothing is counted here; the statistics pages and the period summaries both use
//! these views, so they show the same figures.

use serde::Serialize;

use super::charts::{self, Bar};
use super::rows::PageRows;
use super::views::{case_row, reach, urls, CaseRow, Formatter, ListedCase};
use super::RenderError;
use crate::content::summary::Period;
use crate::derive::deadlines::duration_label;
use crate::derive::stats::{
    Change, Performance, PeriodFigures, Stats, NOT_ANSWERED, RESPONSE_BUCKETS, UNMARKED,
};
use crate::derive::Derived;
use crate::model::Library;

/// "+25.0%", "-50.0%", or "—" when there is nothing to compare with.
pub fn change_text(c: &Change) -> String {
    match c.percent {
        Some(p) if p.abs() < 0.05 => "持平".to_owned(),
        Some(p) => format!("{p:+.1}%"),
        None => "—".to_owned(),
    }
}

/// 0.8 → "80.0%".
pub fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

pub fn median_text(p: &Performance) -> String {
    p.median_minutes
        .map_or_else(|| "—".to_owned(), duration_label)
}

#[derive(Serialize)]
pub struct PerformanceRow {
    pub name: String,
    pub href: Option<String>,
    pub total: usize,
    pub answered: usize,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
    pub pending: usize,
    pub on_time_rate: String,
    pub median: String,
}

impl PerformanceRow {
    fn new(p: &Performance, axis: Option<&str>) -> Self {
        PerformanceRow {
            name: p.name.clone(),
            href: axis.map(|a| urls::term(a, &p.name)),
            total: p.total,
            answered: p.answered(),
            on_time: p.on_time,
            late: p.late,
            overdue: p.overdue,
            pending: p.pending,
            on_time_rate: rate_text(p.on_time_rate()),
            median: median_text(p),
        }
    }
}

#[derive(Serialize)]
pub struct MonthView {
    pub month: String,
    pub label: String,
    /// The month's summary (written or generated), when it has one.
    pub href: Option<String>,
    pub total: usize,
    pub by_category: Vec<usize>,
    pub mom: String,
    pub yoy: String,
}

#[derive(Serialize)]
pub struct CountRow {
    pub name: String,
    pub href: Option<String>,
    pub count: usize,
    pub share: String,
}

#[derive(Serialize)]
pub struct DistributionView {
    pub key: &'static str,
    pub label: &'static str,
    pub chart: String,
    pub rows: Vec<CountRow>,
}

#[derive(Serialize)]
pub struct ReachRow {
    #[serde(flatten)]
    pub case: CaseRow,
    pub reach: String,
}

/// Everything a statistics page or a summary shows about one scope of records.
#[derive(Serialize)]
pub struct FiguresView<'a> {
    pub total: usize,
    pub closed: usize,
    pub open: usize,
    pub overall: PerformanceRow,
    pub categories: Vec<String>,
    pub month_chart: Option<String>,
    pub months: Vec<MonthView>,
    pub distributions: Vec<DistributionView>,
    pub response_chart: String,
    pub response_times: Vec<CountRow>,
    pub departments: Vec<PerformanceRow>,
    pub department_chart: String,
    pub by_category: Vec<PerformanceRow>,
    pub top_reach: Vec<ReachRow>,
    pub overdue: Vec<ListedCase<'a>>,
    /// 热词: the scope's most distinctive words, each linking to a search for it.
    pub hot_words: Vec<CountRow>,
    pub hot_chart: String,
}

fn share(n: usize, total: usize) -> String {
    rate_text((total > 0).then(|| n as f64 / total as f64))
}

impl<'a> FiguresView<'a> {
    pub fn new(
        lib: &Library,
        derived: &Derived,
        s: &Stats,
        fmt: &Formatter,
        rows: &PageRows<'a>,
    ) -> Result<Self, RenderError> {
        let total = s.records.len();
        let categories = lib.config.category_names();
        let columns: Vec<(String, Vec<usize>)> = s
            .months
            .iter()
            .map(|m| {
                (
                    format!("{}-{:02}", m.month.0, m.month.1),
                    m.by_category.clone(),
                )
            })
            .collect();
        let count_rows = |axis: &str, counts: &[(String, usize)]| -> Vec<CountRow> {
            counts
                .iter()
                .map(|(name, n)| CountRow {
                    href: (name != UNMARKED).then(|| urls::term(axis, name)),
                    name: name.clone(),
                    count: *n,
                    share: share(*n, total),
                })
                .collect()
        };
        // Bars of counts; on the warning axis each colour's bar is drawn in that colour.
        let count_bars = |rows: &[CountRow], axis: &str| -> Vec<Bar> {
            rows.iter()
                .map(|r| Bar {
                    label: r.name.clone(),
                    value: r.count as f64,
                    text: r.count.to_string(),
                    fill: match axis {
                        "warning" => charts::warning_colour(&r.name),
                        _ => None,
                    }
                    .unwrap_or(charts::colour(0)),
                })
                .collect()
        };
        let distributions = s
            .distributions
            .iter()
            .map(|d| {
                let rows = count_rows(d.key, &d.counts);
                DistributionView {
                    key: d.key,
                    label: d.label,
                    chart: charts::bars(
                        &format!("按{}统计的事件数", d.label),
                        &count_bars(&rows, d.key),
                        None,
                    ),
                    rows,
                }
            })
            .collect();
        let response_times: Vec<CountRow> = RESPONSE_BUCKETS
            .iter()
            .map(|(_, label)| *label)
            .chain([NOT_ANSWERED])
            .zip(&s.response_times)
            .map(|(label, &n)| CountRow {
                name: label.to_owned(),
                href: None,
                count: n,
                share: share(n, total),
            })
            .collect();
        let departments: Vec<PerformanceRow> = s
            .by_department
            .iter()
            .map(|p| PerformanceRow::new(p, Some("department")))
            .collect();
        let department_bars: Vec<Bar> = s
            .by_department
            .iter()
            .filter_map(|p| {
                p.on_time_rate().map(|r| Bar {
                    label: p.name.clone(),
                    value: r,
                    text: rate_text(Some(r)),
                    fill: charts::colour(0),
                })
            })
            .collect();
        let hot_words: Vec<CountRow> = derived
            .hot_words(lib)
            .top(&s.records)
            .into_iter()
            .map(|(word, n)| CountRow {
                href: Some(format!(
                    "search.html?q={}",
                    percent_encoding::utf8_percent_encode(
                        &word,
                        percent_encoding::NON_ALPHANUMERIC
                    )
                )),
                share: share(n, total),
                name: word,
                count: n,
            })
            .collect();
        Ok(FiguresView {
            hot_chart: charts::bars("热词（含该词的事件数）", &count_bars(&hot_words, ""), None),
            hot_words,
            total,
            closed: s.closed,
            open: total - s.closed,
            overall: PerformanceRow::new(&s.overall, None),
            categories: categories.iter().map(|c| (*c).to_owned()).collect(),
            month_chart: (s.months.len() > 1).then(|| {
                charts::stacked_columns("每月事件数（按类别堆叠）", &columns, &categories)
            }),
            months: s
                .months
                .iter()
                .map(|m| {
                    let key = format!("{}-{:02}", m.month.0, m.month.1);
                    let period = Period::Month(m.month.0, m.month.1);
                    MonthView {
                        label: period.label(),
                        href: derived
                            .stats(lib)
                            .period(period)
                            .map(|_| urls::summary(&key)),
                        month: key,
                        total: m.total,
                        by_category: m.by_category.clone(),
                        mom: change_text(&m.mom),
                        yoy: change_text(&m.yoy),
                    }
                })
                .collect(),
            distributions,
            response_chart: charts::bars(
                "首次回应用时分布",
                &count_bars(&response_times, ""),
                None,
            ),
            response_times,
            department_chart: charts::bars("各责任单位按时回应率", &department_bars, Some(1.0)),
            departments,
            by_category: s
                .by_category
                .iter()
                .map(|p| PerformanceRow::new(p, Some("category")))
                .collect(),
            top_reach: s
                .top_reach
                .iter()
                .map(|&i| ReachRow {
                    case: case_row(lib, derived, i, fmt),
                    reach: lib.records[i].reach.map(reach).unwrap_or_default(),
                })
                .collect(),
            overdue: rows.of(&s.overdue)?,
        })
    }
}

/// A comparison line: "环比（2024年2月 4 件）+50.0%".
#[derive(Serialize)]
pub struct ChangeView {
    pub compared_with: String,
    pub previous: usize,
    pub text: String,
}

/// The figures of a summary's period with its 环比 and 同比.
#[derive(Serialize)]
pub struct PeriodView<'a> {
    pub figures: FiguresView<'a>,
    pub mom: ChangeView,
    pub yoy: ChangeView,
}

impl<'a> PeriodView<'a> {
    pub fn new(
        lib: &Library,
        derived: &Derived,
        p: &PeriodFigures,
        fmt: &Formatter,
        rows: &PageRows<'a>,
    ) -> Result<Self, RenderError> {
        Ok(PeriodView {
            figures: FiguresView::new(lib, derived, &p.stats, fmt, rows)?,
            mom: ChangeView {
                compared_with: p.period.previous().label(),
                previous: p.previous.previous,
                text: change_text(&p.previous),
            },
            yoy: ChangeView {
                compared_with: p.period.year_ago().label(),
                previous: p.year_ago.previous,
                text: change_text(&p.year_ago),
            },
        })
    }
}
