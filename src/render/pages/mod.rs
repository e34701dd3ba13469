//! Which pages the site has, and the context each template gets.

use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

mod frame;
mod lists;

use frame::{renderer, Renderer};
use lists::{AxisView, CASE_DATA};

use super::documents;
use super::figures::FiguresView;
use super::forms::{FormKind, FormView};
use super::rows::Rows;
use super::summaries::{summary_rows, SummaryRow, SummaryView};
use super::views::{has_report, urls, CaseView, Formatter, ListedCase, PlanRow, PlanView};
use super::RenderError;
use super::SiteFile;
use crate::derive::Derived;
use crate::model::Library;
use crate::text::markdown;

/// How many cases one page of the full list shows (without JavaScript).
const CASES_PER_PAGE: usize = 50;

/// How many cases one page of a term (a department, a colour …) shows: enough to scan, small
/// enough that a term with thousands of cases never makes a page of megabytes.
const TERM_CASES_PER_PAGE: usize = 200;

/// How many recent cases the home page lists.
const HOME_RECENT: usize = 10;
/// How many open and how many overdue cases the home page lists, newest first: all of them
/// are on the status and statistics pages (a library of 10,000 generated records had 1,456
/// open and 468 overdue, which made the home page 857 KB).
const HOME_LISTED: usize = 20;

#[derive(Serialize)]
struct Home<'a> {
    recent: Vec<ListedCase<'a>>,
    /// The newest [`HOME_LISTED`] open and overdue cases, and how many there are in all.
    open: Vec<ListedCase<'a>>,
    open_count: usize,
    overdue: Vec<ListedCase<'a>>,
    overdue_count: usize,
    latest_summary: Option<SummaryRow>,
    record_count: usize,
    plan_count: usize,
}

#[derive(Serialize)]
struct TemplateRow {
    name: String,
    title: String,
    description: Option<String>,
    scaffolds: Option<String>,
    download: String,
    file_name: String,
    preview_html: String,
}

#[derive(Serialize)]
struct FreePage {
    title: String,
    description: Option<String>,
    body_html: String,
}

/// A page rendered.
pub type Made = Result<SiteFile, RenderError>;

/// A page of the site, named before it is rendered: `build` renders every one, `serve` only
/// those a browser asks for. Indices point into the `Library` and `Derived` it was listed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Record(usize),
    /// Page `n` (from 1) of the cases of term `term` of axis `axis`.
    Term {
        axis: usize,
        term: usize,
        n: usize,
    },
    Axis(usize),
    Browse,
    Typical,
    Plan(usize),
    Search,
    /// A written summary (index into `Library::summaries`).
    Summary(usize),
    /// A written summary as a Word file.
    SummaryDocx(usize),
    /// A record's 舆情专报 as a Word file.
    ReportDocx(usize),
    /// The figures of a month nobody wrote a summary for (index into `unwritten_months`).
    MonthFigures(usize),
    MonthFiguresDocx(usize),
    Stats,
    /// Index into the statistics' years.
    StatsYear(usize),
    /// A free page of `content/`.
    Free(usize),
    Home,
    /// Page `n` (from 1) of the full case list.
    CaseList(usize),
    /// `data/cases.js`: every row of the case list, for the in-browser filter and sort.
    CaseData,
    Plans,
    Summaries,
    Templates,
    /// The raw Markdown of a template, to download.
    TemplateDownload(usize),
}

/// Renders the pages of one library.
pub struct Site<'a> {
    r: Renderer<'a>,
    derived: &'a Derived,
    fmt: Formatter,
    rows: Rows<'a>,
}

impl<'a> Site<'a> {
    pub fn new(tera: &'a Tera, lib: &'a Library, derived: &'a Derived) -> Self {
        Site {
            r: renderer(tera, lib),
            derived,
            fmt: Formatter::new(lib),
            rows: Rows::new(tera, lib, derived),
        }
    }

    /// The record page at `path`, found without listing the site: it is the page an edit
    /// reloads, and listing the site needs the case indexes and statistics.
    pub fn record_page(&self, path: &str) -> Option<Page> {
        let id = path.strip_prefix("cases/")?.strip_suffix(".html")?;
        let i = self.r.lib.record_index(id)?;
        (urls::case(id) == path).then_some(Page::Record(i))
    }

    /// Every page of the site with its path, record pages first.
    pub fn pages(&self) -> Vec<(String, Page)> {
        let (lib, derived) = (self.r.lib, self.derived);
        let mut pages: Vec<(String, Page)> = lib
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (urls::case(&r.id), Page::Record(i)))
            .collect();
        for (i, r) in lib.records.iter().enumerate() {
            if has_report(r) {
                pages.push((urls::report(&r.id), Page::ReportDocx(i)));
            }
        }
        for (a, axis) in derived.axes(lib).iter().enumerate() {
            for (t, term) in axis.terms.iter().enumerate() {
                for n in 1..=term.records.len().div_ceil(TERM_CASES_PER_PAGE).max(1) {
                    let page = Page::Term {
                        axis: a,
                        term: t,
                        n,
                    };
                    pages.push((urls::term_page(axis.key, &term.name, n), page));
                }
            }
            pages.push((urls::axis(axis.key), Page::Axis(a)));
        }
        pages.push(("browse/index.html".into(), Page::Browse));
        pages.push(("browse/typical.html".into(), Page::Typical));
        for (i, p) in lib.plans.iter().enumerate() {
            pages.push((urls::plan(&p.id), Page::Plan(i)));
        }
        pages.push(("search.html".into(), Page::Search));
        for (i, s) in lib.summaries.iter().enumerate() {
            pages.push((urls::summary(&s.period.to_string()), Page::Summary(i)));
            pages.push((
                urls::summary_docx(&s.period.to_string()),
                Page::SummaryDocx(i),
            ));
        }
        for (k, period) in derived.stats(lib).unwritten_months.iter().enumerate() {
            pages.push((urls::summary(&period.to_string()), Page::MonthFigures(k)));
            pages.push((
                urls::summary_docx(&period.to_string()),
                Page::MonthFiguresDocx(k),
            ));
        }
        for (k, (year, _)) in derived.stats(lib).years.iter().enumerate() {
            pages.push((urls::stats_year(*year), Page::StatsYear(k)));
        }
        pages.push(("stats/index.html".into(), Page::Stats));
        for (i, p) in lib.pages.iter().enumerate() {
            pages.push((urls::page(&p.name), Page::Free(i)));
        }
        pages.push(("index.html".into(), Page::Home));
        for n in 1..=lib.records.len().div_ceil(CASES_PER_PAGE).max(1) {
            pages.push((urls::case_list(n), Page::CaseList(n)));
        }
        pages.push((CASE_DATA.into(), Page::CaseData));
        pages.push(("plans/index.html".into(), Page::Plans));
        pages.push(("summaries/index.html".into(), Page::Summaries));
        pages.push(("templates/index.html".into(), Page::Templates));
        for (i, t) in lib.templates.iter().enumerate() {
            pages.push((urls::template_download(&t.name), Page::TemplateDownload(i)));
        }
        pages
    }

    /// Render `page` as the site file `path` (its path in [`Site::pages`]).
    pub fn render(&self, path: &str, page: Page) -> Made {
        let (r, lib, derived, fmt) = (&self.r, self.r.lib, self.derived, &self.fmt);
        let path = path.to_owned();
        match page {
            Page::Record(i) => {
                let (view, record) = (CaseView::new(lib, derived, i, fmt), &lib.records[i]);
                let body_html = markdown::to_html(&record.body.markdown);
                let sheets = FormKind::ALL
                    .into_iter()
                    .filter(|k| k.applies(derived, i))
                    .map(|k| FormView::new(lib, derived, i, k, fmt))
                    .collect();
                let page = WithBody {
                    view: RecordPage { view, sheets },
                    body_html,
                };
                r.page(path, "case.html", "cases", &record.title, page)
            }
            Page::ReportDocx(i) => {
                let view = CaseView::new(lib, derived, i, fmt);
                let bytes = documents::report(lib, &view, &lib.records[i].body.markdown);
                document(path, bytes)
            }
            Page::SummaryDocx(i) => {
                let rows = self.rows.for_page(&path);
                let s = &lib.summaries[i];
                let view = SummaryView::new(lib, derived, s, fmt, &rows)?;
                document(path, documents::summary(lib, &view, &s.body.markdown))
            }
            Page::MonthFiguresDocx(k) => {
                let period = derived.stats(lib).unwritten_months[k];
                let rows = self.rows.for_page(&path);
                let view = SummaryView::generated(lib, derived, period, fmt, &rows)?;
                document(path, documents::summary(lib, &view, ""))
            }
            Page::Term { axis, term, n } => self.term(path, axis, term, n),
            Page::Axis(a) => {
                let label = derived.axes(lib)[a].label;
                r.page(path, "axis.html", "browse", label, self.axis(a))
            }
            Page::Browse => {
                let views: Vec<AxisView> =
                    (0..derived.axes(lib).len()).map(|a| self.axis(a)).collect();
                r.page(path, "browse.html", "browse", "分类浏览", views)
            }
            Page::Typical => {
                let rows = self.rows(&derived.typical, &path)?;
                r.page(path, "typical.html", "typical", "典型案例", rows)
            }
            Page::Plan(i) => {
                let cases = self.rows(&derived.plans[i].cases, &path)?;
                let view = PlanView::new(lib, derived, i, cases);
                r.page(path, "plan.html", "plans", &lib.plans[i].title, view)
            }
            Page::Search => r.page(path, "search.html", "search", "搜索", ()),
            Page::Summary(i) => {
                let rows = self.rows.for_page(&path);
                let view = SummaryView::new(lib, derived, &lib.summaries[i], fmt, &rows)?;
                self.summary(path, view)
            }
            Page::MonthFigures(k) => {
                let period = derived.stats(lib).unwritten_months[k];
                let rows = self.rows.for_page(&path);
                let view = SummaryView::generated(lib, derived, period, fmt, &rows)?;
                self.summary(path, view)
            }
            Page::Stats => self.stats(path, None),
            Page::StatsYear(k) => self.stats(path, Some(k)),
            Page::Free(i) => {
                let p = &lib.pages[i];
                let view = FreePage {
                    title: p.title.clone(),
                    description: p.description.clone(),
                    body_html: markdown::to_html(&p.body.markdown),
                };
                r.page(
                    path,
                    "page.html",
                    &format!("page-{}", p.name),
                    &p.title,
                    view,
                )
            }
            Page::Home => {
                let recent: Vec<usize> = (0..lib.records.len().min(HOME_RECENT)).collect();
                let (open, overdue) = (&derived.open_cases, &derived.stats(lib).all.overdue);
                let home = Home {
                    recent: self.rows(&recent, &path)?,
                    open: self.rows(&open[..open.len().min(HOME_LISTED)], &path)?,
                    open_count: open.len(),
                    overdue: self.rows(&overdue[..overdue.len().min(HOME_LISTED)], &path)?,
                    overdue_count: overdue.len(),
                    latest_summary: lib.summaries.first().map(|s| SummaryRow::new(s)),
                    record_count: lib.records.len(),
                    plan_count: lib.plans.len(),
                };
                r.page(path, "home.html", "home", &lib.config.title, home)
            }
            Page::CaseList(n) => self.case_list(path, n),
            Page::CaseData => Ok(SiteFile {
                path,
                bytes: self.case_data(),
            }),
            Page::Plans => {
                let rows: Vec<PlanRow> = lib
                    .plans
                    .iter()
                    .zip(&derived.plans)
                    .map(|(p, f)| PlanRow::new(p, f))
                    .collect();
                r.page(path, "plans.html", "plans", "应急预案", rows)
            }
            Page::Summaries => {
                let rows = summary_rows(lib, derived);
                r.page(path, "summaries.html", "summaries", "舆情分析", rows)
            }
            Page::Templates => {
                let rows: Vec<TemplateRow> = lib
                    .templates
                    .iter()
                    .map(|t| TemplateRow {
                        name: t.name.clone(),
                        title: t.title.clone(),
                        description: t.description.clone(),
                        scaffolds: t.scaffolds.clone(),
                        download: urls::template_download(&t.name),
                        file_name: format!("{}.md", t.name),
                        preview_html: markdown::to_html(&t.body.markdown),
                    })
                    .collect();
                r.page(path, "templates.html", "templates", "预案与记录模板", rows)
            }
            Page::TemplateDownload(i) => Ok(SiteFile {
                path,
                bytes: lib.templates[i].raw.clone().into_bytes(),
            }),
        }
    }

    /// The case-table rows of records `indices` for the page at `path`.
    fn rows(&self, indices: &[usize], path: &str) -> Result<Vec<ListedCase<'_>>, RenderError> {
        self.rows.for_page(path).of(indices)
    }
}

/// How many pages one core renders before the other may take the next ones.
const PAGES_A_PIECE: usize = 16;

/// Render every page of the site (assets are added by the caller), handing each page to
/// `emit` on the thread that made it, as soon as it is made: no page waits for others to be
/// written, and no core waits for a batch of pages to be written.
pub fn render_all(
    tera: &Tera,
    lib: &Library,
    derived: &Derived,
    emit: &(dyn Fn(Vec<SiteFile>) + Sync),
) -> Result<(), RenderError> {
    let site = Site::new(tera, lib, derived);
    // In pieces of a few pages: rayon splits a long list only as far as it expects to be
    // needed, and a core that joins late (after the browser index, beside it) finds nothing
    // left to take from the other's last long run of pages.
    site.pages()
        .par_iter()
        .with_max_len(PAGES_A_PIECE)
        .try_for_each(|(path, page)| {
            emit(vec![site.render(path, *page)?]);
            Ok(())
        })
}

/// A record page's data: its view and its body as HTML.
#[derive(Serialize)]
struct WithBody<T> {
    #[serde(flatten)]
    view: T,
    body_html: String,
}

/// A record's page: its view and its print sheets, which are sections of the page shown alone
/// when it is opened at theirs (`#notice`, `#supervise`): one file a record, not three.
#[derive(Serialize)]
struct RecordPage {
    #[serde(flatten)]
    view: CaseView,
    sheets: Vec<FormView>,
}

impl Site<'_> {
    fn summary(&self, path: String, view: SummaryView) -> Made {
        let title = view.row.title.clone();
        self.r.page(path, "summary.html", "summaries", &title, view)
    }

    /// The site-wide statistics page (`year` None) or that of the `year`th year.
    fn stats(&self, path: String, year: Option<usize>) -> Made {
        let (lib, derived, fmt) = (self.r.lib, self.derived, &self.fmt);
        let years = &derived.stats(lib).years;
        let current = year.map(|k| years[k].0);
        let (scope, title, stats) = match year {
            Some(k) => (
                format!("{}年", years[k].0),
                format!("{}年统计", years[k].0),
                &years[k].1,
            ),
            None => (
                "全部".to_owned(),
                "统计".to_owned(),
                &derived.stats(lib).all,
            ),
        };
        let page = StatsPage {
            scope,
            years: years
                .iter()
                .map(|(y, _)| YearLink {
                    label: format!("{y}年"),
                    href: urls::stats_year(*y),
                    current: current == Some(*y),
                })
                .collect(),
            now: fmt.datetime(&derived.now),
            figures: FiguresView::new(lib, derived, stats, fmt, &self.rows.for_page(&path))?,
        };
        self.r.page(path, "stats.html", "stats", &title, page)
    }
}

#[derive(Serialize)]
struct YearLink {
    label: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct StatsPage<'a> {
    /// 全部 or 2024年.
    scope: String,
    years: Vec<YearLink>,
    /// The moment overdue is judged against.
    now: String,
    figures: FiguresView<'a>,
}

/// A Word file of the site, or why it could not be made.
fn document(path: String, bytes: Result<Vec<u8>, String>) -> Made {
    match bytes {
        Ok(bytes) => Ok(SiteFile { path, bytes }),
        Err(message) => Err(RenderError {
            page: path,
            message,
        }),
    }
}
