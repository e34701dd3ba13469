//! Which pages the site has, and the context each template gets.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::figures::FiguresView;
use super::rows::Rows;
use super::summaries::{summary_rows, SummaryRow, SummaryView};
use super::views::{case_row, urls, CaseView, Formatter, ListedCase, PlanRow, PlanView};
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

/// Room made for a page before it is rendered: record pages, most of a site, are 7–12 KB.
const PAGE_BYTES: usize = 16 * 1024;

/// How many recent cases the home page lists.
const HOME_RECENT: usize = 10;
/// How many open and how many overdue cases the home page lists, newest first: all of them
/// are on the status and statistics pages (a library of 10,000 generated records had 1,456
/// open and 468 overdue, which made the home page 857 KB).
const HOME_LISTED: usize = 20;

/// The navigation shown on every page.
#[derive(Serialize)]
struct NavItem {
    title: String,
    href: String,
    key: String,
}

struct Renderer<'a> {
    tera: &'a Tera,
    lib: &'a Library,
    nav: Vec<NavItem>,
    /// The navigation rendered by `nav.html`, by section and root: every page has it, and
    /// rendering it for each page cost a fortieth of a build.
    navs: Mutex<HashMap<(String, String), Arc<str>>>,
}

impl Renderer<'_> {
    /// Render `template` into the site file `path`; `section` marks the active nav item.
    fn page(
        &self,
        path: String,
        template: &str,
        section: &str,
        title: &str,
        data: impl Serialize,
    ) -> Made {
        let root = super::root_of(&path);
        let nav = self.nav_html(section, &root, &path)?;
        let (site_title, audience) = (&self.lib.config.title, &self.lib.audience);
        let page = serde_json::to_value(&data).map_err(|e| RenderError {
            message: format!("template `{template}`: its data could not be made: {e}"),
            page: path.clone(),
        })?;
        let text = |t: &str| serde_json::Value::String(t.to_owned());
        let context = serde_json::Map::from_iter([
            ("root".to_owned(), text(&root)),
            ("site_title".to_owned(), text(site_title)),
            ("page_title".to_owned(), text(title)),
            ("section".to_owned(), text(section)),
            ("nav_html".to_owned(), text(&nav)),
            ("audience".to_owned(), text(audience)),
            ("page".to_owned(), page),
        ]);
        let ctx = Context::from_value(serde_json::Value::Object(context))
            .map_err(|e| render_error(template, &e, path.clone()))?;
        // Straight into the file's bytes: `Tera::render` would check the page is UTF-8 again.
        let mut bytes = Vec::with_capacity(PAGE_BYTES);
        self.tera
            .render_to(template, &ctx, &mut bytes)
            .map_err(|e| render_error(template, &e, path.clone()))?;
        Ok(SiteFile { path, bytes })
    }

    /// `nav.html` for pages of `section` whose root is `root`, rendered when first needed.
    fn nav_html(&self, section: &str, root: &str, path: &str) -> Result<Arc<str>, RenderError> {
        let key = (section.to_owned(), root.to_owned());
        let made = self.navs().get(&key).cloned();
        if let Some(nav) = made {
            return Ok(nav);
        }
        let mut ctx = Context::new();
        ctx.insert("nav", &self.nav);
        ctx.insert("section", section);
        ctx.insert("root", root);
        let nav: Arc<str> = self
            .tera
            .render("nav.html", &ctx)
            .map_err(|e| render_error("nav.html", &e, path.to_owned()))?
            .trim()
            .into();
        Ok(self.navs().entry(key).or_insert(nav).clone())
    }

    fn navs(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Arc<str>>> {
        self.navs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn render_error(template: &str, e: &tera::Error, page: String) -> RenderError {
    RenderError {
        message: format!("template `{template}`: {}", super::site::error_chain(e)),
        page,
    }
}

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

/// How many pages are rendered before they are handed on to be written.
const PAGES_AT_ONCE: usize = 1000;

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
    /// The figures of a month nobody wrote a summary for (index into `unwritten_months`).
    MonthFigures(usize),
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
        }
        for (k, period) in derived.stats(lib).unwritten_months.iter().enumerate() {
            pages.push((urls::summary(&period.to_string()), Page::MonthFigures(k)));
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
                let page = WithBody { view, body_html };
                r.page(path, "case.html", "cases", &record.title, page)
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

/// Render every page of the site (assets are added by the caller), handing pages to `emit`
/// as they are made so that they need not all be held at once.
pub fn render_all(
    tera: &Tera,
    lib: &Library,
    derived: &Derived,
    emit: &(dyn Fn(Vec<SiteFile>) + Sync),
) -> Result<(), RenderError> {
    let site = Site::new(tera, lib, derived);
    for chunk in site.pages().chunks(PAGES_AT_ONCE) {
        let files: Vec<SiteFile> = chunk
            .par_iter()
            .map(|(path, page)| site.render(path, *page))
            .collect::<Result<_, _>>()?;
        emit(files);
    }
    Ok(())
}

/// A record page's data: its view and its body as HTML.
#[derive(Serialize)]
struct WithBody<T> {
    #[serde(flatten)]
    view: T,
    body_html: String,
}

/// The renderer with the site's navigation.
fn renderer<'a>(tera: &'a Tera, lib: &'a Library) -> Renderer<'a> {
    let mut nav = vec![
        nav_item("首页", "index.html", "home"),
        nav_item("案例", "cases/index.html", "cases"),
        nav_item("分类浏览", "browse/index.html", "browse"),
        nav_item("典型案例", "browse/typical.html", "typical"),
        nav_item("应急预案", "plans/index.html", "plans"),
        nav_item("统计", "stats/index.html", "stats"),
        nav_item("舆情分析", "summaries/index.html", "summaries"),
        nav_item("模板", "templates/index.html", "templates"),
    ];
    nav.extend(
        lib.pages
            .iter()
            .map(|p| nav_item(&p.title, &urls::page(&p.name), &format!("page-{}", p.name))),
    );
    Renderer {
        tera,
        lib,
        nav,
        navs: Mutex::new(HashMap::new()),
    }
}

fn nav_item(title: &str, href: &str, key: &str) -> NavItem {
    NavItem {
        title: title.to_owned(),
        href: href.to_owned(),
        key: key.to_owned(),
    }
}

#[derive(Serialize)]
struct TermRow {
    name: String,
    /// Shown instead of the name where the name is an id (plans).
    title: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct AxisView {
    key: &'static str,
    label: &'static str,
    href: String,
    terms: Vec<TermRow>,
}

#[derive(Serialize)]
struct TermPage<'a> {
    axis: &'static str,
    axis_label: &'static str,
    axis_href: String,
    name: String,
    title: String,
    /// 处置原则 and 回应时限 for a category, the plan page for a plan.
    principle: Option<String>,
    deadline: Option<String>,
    plan_href: Option<String>,
    /// All of the term's cases, over every page.
    total: usize,
    cases: Vec<ListedCase<'a>>,
    pager: Pager,
}

impl Site<'_> {
    /// Term `term` of axis `a`'s name as a heading: a plan's title, a colour as 红色预警.
    fn term_title(&self, a: usize, name: &str) -> String {
        let lib = self.r.lib;
        match (self.derived.axes(lib)[a].key, lib.plan_index(name)) {
            ("plan", Some(i)) => lib.plans[i].title.clone(),
            ("warning", _) => format!("{name}色预警"),
            _ => name.to_owned(),
        }
    }

    /// Axis `a` with its terms and their counts.
    fn axis(&self, a: usize) -> AxisView {
        let axis = &self.derived.axes(self.r.lib)[a];
        AxisView {
            key: axis.key,
            label: axis.label,
            href: urls::axis(axis.key),
            terms: axis
                .terms
                .iter()
                .map(|t| TermRow {
                    name: t.name.clone(),
                    title: self.term_title(a, &t.name),
                    href: urls::term(axis.key, &t.name),
                    count: t.records.len(),
                })
                .collect(),
        }
    }

    /// Page `n` of the cases of a term.
    fn term(&self, path: String, a: usize, term: usize, n: usize) -> Made {
        let lib = self.r.lib;
        let axis = &self.derived.axes(lib)[a];
        let t = &axis.terms[term];
        let category = (axis.key == "category")
            .then(|| lib.config.category(&t.name))
            .flatten();
        let pager = Pager::new(t.records.len(), TERM_CASES_PER_PAGE, n, |k| {
            urls::term_page(axis.key, &t.name, k)
        });
        let page = TermPage {
            axis: axis.key,
            axis_label: axis.label,
            axis_href: urls::axis(axis.key),
            name: t.name.clone(),
            title: self.term_title(a, &t.name),
            principle: category
                .map(|c| c.principle.clone())
                .filter(|p| !p.is_empty()),
            deadline: category.map(|c| c.deadline.to_string()),
            plan_href: (axis.key == "plan").then(|| urls::plan(&t.name)),
            total: t.records.len(),
            cases: self.rows(&t.records[pager.range()], &path)?,
            pager,
        };
        let title = match n {
            1 => format!("{}：{}", axis.label, page.title),
            _ => format!("{}：{}（第{n}页）", axis.label, page.title),
        };
        self.r.page(path, "term.html", "browse", &title, page)
    }

    /// A written summary with its period's figures, or the figures of a month nobody wrote
    /// one for.
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

#[derive(Serialize)]
struct PageLink {
    number: usize,
    href: String,
    current: bool,
    /// Pages are left out between the previous link and this one.
    gap_before: bool,
}

/// Pages linked on either side of the current one (the first and last are always linked).
/// Linking every page would make the pager grow with the list on every one of its pages: at
/// 100,000 records, 2,000 pages of 2,000 links each.
const PAGER_NEIGHBOURS: usize = 3;

/// Page `current` of a list of `total` rows shown `per_page` at a time, with links to the
/// first and last pages and the ones near the current (`href(k)` is page k's address).
#[derive(Serialize)]
struct Pager {
    total: usize,
    /// 1-based positions of the first and last row on this page.
    first: usize,
    last: usize,
    pages: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
}

impl Pager {
    fn new(total: usize, per_page: usize, current: usize, href: impl Fn(usize) -> String) -> Pager {
        let count = total.div_ceil(per_page).max(1);
        let first = (current - 1) * per_page + 1;
        Pager {
            total,
            first: first.min(total),
            last: (current * per_page).min(total),
            pages: (1..=count)
                .filter(|&k| k == 1 || k == count || k.abs_diff(current) <= PAGER_NEIGHBOURS)
                .scan(0, |previous, k| {
                    let gap_before = k > *previous + 1 && *previous > 0;
                    *previous = k;
                    Some(PageLink {
                        number: k,
                        href: href(k),
                        current: k == current,
                        gap_before,
                    })
                })
                .collect(),
            prev: (current > 1).then(|| href(current - 1)),
            next: (current < count).then(|| href(current + 1)),
        }
    }

    /// The rows of this page, as indices into the whole list.
    fn range(&self) -> std::ops::Range<usize> {
        self.first.saturating_sub(1)..self.last
    }
}

/// A select box of the case-list filter.
#[derive(Serialize, Clone)]
struct Filter {
    key: &'static str,
    label: &'static str,
    options: Vec<String>,
}

#[derive(Serialize)]
struct CaseListPage<'a> {
    rows: Vec<ListedCase<'a>>,
    pager: Pager,
    filters: Vec<Filter>,
}

/// The fields of a row of `data/cases.js`, in order.
const CASE_FIELDS: &[&str] = &[
    "id",
    "title",
    "href",
    "category",
    "warning",
    "level",
    "department",
    "discovered",
    "status",
    "closed",
    "response",
    "response_class",
    "typical",
];

/// Where the full case list's data goes.
const CASE_DATA: &str = "data/cases.js";

impl Site<'_> {
    /// Page `n` of the full case list, for reading without JavaScript.
    fn case_list(&self, path: String, n: usize) -> Made {
        let (lib, derived) = (self.r.lib, self.derived);
        let total = lib.records.len();
        let pager = Pager::new(total, CASES_PER_PAGE, n, urls::case_list);
        let filters: Vec<Filter> = [
            "category",
            "warning",
            "level",
            "status",
            "department",
            "year",
        ]
        .iter()
        .filter_map(|key| derived.axes(lib).iter().find(|a| a.key == *key))
        .map(|a| Filter {
            key: a.key,
            label: a.label,
            options: a.terms.iter().map(|t| t.name.clone()).collect(),
        })
        .collect();
        let indices: Vec<usize> = pager.range().collect();
        let view = CaseListPage {
            rows: self.rows(&indices, &path)?,
            pager,
            filters,
        };
        let title = if n == 1 {
            "全部案例".to_owned()
        } else {
            format!("全部案例（第{n}页）")
        };
        self.r.page(path, "cases.html", "cases", &title, view)
    }

    /// `data/cases.js`: every row of the case list, for the in-browser filter and sort.
    fn case_data(&self) -> Vec<u8> {
        let (lib, derived) = (self.r.lib, self.derived);
        let data: Vec<serde_json::Value> = (0..lib.records.len())
            .map(|i| {
                let c = case_row(lib, derived, i, &self.fmt);
                serde_json::json!([
                    c.id,
                    c.title,
                    c.href,
                    c.category,
                    c.warning,
                    c.level,
                    c.department,
                    c.discovered,
                    c.status,
                    c.closed,
                    c.response,
                    c.response_class,
                    c.typical
                ])
            })
            .collect();
        format!(
            "window.casebookCases = {};\n",
            super::script_json(&serde_json::json!({ "fields": CASE_FIELDS, "rows": data }))
        )
        .into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::Pager;

    #[test]
    fn a_pager_links_the_ends_and_the_pages_near_the_current_one() {
        let pager = Pager::new(2000, 50, 20, |k| format!("p{k}"));
        let shown: Vec<(usize, bool)> = pager
            .pages
            .iter()
            .map(|l| (l.number, l.gap_before))
            .collect();
        assert_eq!(
            shown,
            [1, 17, 18, 19, 20, 21, 22, 23, 40]
                .iter()
                .map(|&k| (k, k == 17 || k == 40))
                .collect::<Vec<_>>()
        );
        assert_eq!(pager.range(), 950..1000);
        // Near the start nothing is left out before the current page.
        let pager = Pager::new(250, 50, 2, |k| format!("p{k}"));
        assert!(pager.pages.iter().all(|l| !l.gap_before));
        assert_eq!(pager.pages.len(), 5);
    }
}
