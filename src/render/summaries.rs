//! The views of period summaries: the summaries index, and a summary page with the figures
//! computed for its period beside the clerk's own analysis.

use serde::Serialize;

use super::figures::PeriodView;
use super::rows::PageRows;
use super::views::{case_link, date, urls, Formatter, Link};
use super::RenderError;
use crate::content::summary::{Period, Summary};
use crate::derive::Derived;
use crate::model::Library;
use crate::text::markdown;

#[derive(Serialize)]
pub struct SummaryRow {
    pub period: String,
    pub period_label: String,
    pub title: String,
    pub href: String,
    pub issue_no: Option<u64>,
    pub published: Option<String>,
    /// A figures-only page for a month nobody wrote a summary for.
    pub generated: bool,
}

impl SummaryRow {
    pub fn new(s: &Summary) -> Self {
        SummaryRow {
            issue_no: s.issue_no,
            published: s.published.as_ref().map(date),
            ..SummaryRow::of(s.period, s.title.clone(), false)
        }
    }

    fn of(period: Period, title: String, generated: bool) -> Self {
        let key = period.to_string();
        SummaryRow {
            href: urls::summary(&key),
            period: key,
            period_label: period.label(),
            title,
            issue_no: None,
            published: None,
            generated,
        }
    }
}

#[derive(Serialize)]
pub struct SummaryView<'a> {
    #[serde(flatten)]
    pub row: SummaryRow,
    pub unit: Option<String>,
    pub monitored_posts: Option<u64>,
    pub key_cases: Vec<Link>,
    pub body_html: String,
    /// The period's computed figures (the same as on the statistics pages).
    pub figures: Option<PeriodView<'a>>,
    /// Where the period's records are listed: the month's index page, or the year's
    /// statistics.
    pub cases_href: String,
    /// The same summary as a Word file.
    pub docx: String,
}

impl<'a> SummaryView<'a> {
    pub fn new(
        lib: &Library,
        derived: &Derived,
        s: &Summary,
        fmt: &Formatter,
        rows: &PageRows<'a>,
    ) -> Result<Self, RenderError> {
        Ok(SummaryView {
            docx: urls::summary_docx(&s.period.to_string()),
            cases_href: period_cases(s.period),
            row: SummaryRow::new(s),
            unit: s.unit.clone(),
            monitored_posts: s.monitored_posts,
            key_cases: s.key_cases.iter().map(|id| case_link(lib, id)).collect(),
            body_html: markdown::to_html(&s.body.markdown),
            figures: derived
                .stats(lib)
                .period(s.period)
                .map(|p| PeriodView::new(lib, derived, p, fmt, rows))
                .transpose()?,
        })
    }

    /// The figures-only page of a month with records but no written summary.
    pub fn generated(
        lib: &Library,
        derived: &Derived,
        period: Period,
        fmt: &Formatter,
        rows: &PageRows<'a>,
    ) -> Result<Self, RenderError> {
        Ok(SummaryView {
            docx: urls::summary_docx(&period.to_string()),
            cases_href: period_cases(period),
            row: SummaryRow::of(period, generated_title(period), true),
            unit: None,
            monitored_posts: None,
            key_cases: Vec::new(),
            body_html: String::new(),
            figures: derived
                .stats(lib)
                .period(period)
                .map(|p| PeriodView::new(lib, derived, p, fmt, rows))
                .transpose()?,
        })
    }
}

fn period_cases(period: Period) -> String {
    match period {
        Period::Month(..) => urls::term("month", &period.to_string()),
        Period::Quarter(y, _) | Period::Year(y) => urls::stats_year(y),
    }
}

/// Title of a generated figures-only month page.
pub fn generated_title(period: Period) -> String {
    format!("{}舆情数据", period.label())
}

/// The summaries index: written summaries and generated months together, latest first.
pub fn summary_rows(lib: &Library, derived: &Derived) -> Vec<SummaryRow> {
    let mut rows: Vec<(Period, SummaryRow)> = lib
        .summaries
        .iter()
        .map(|s| (s.period, SummaryRow::new(s)))
        .chain(
            derived
                .stats(lib)
                .unwritten_months
                .iter()
                .map(|&p| (p, SummaryRow::of(p, generated_title(p), true))),
        )
        .collect();
    rows.sort_by_key(|(period, _)| std::cmp::Reverse(*period));
    rows.into_iter().map(|(_, r)| r).collect()
}
