//! Which pages the site has, and the context each template gets.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::figures::FiguresView;
use super::views::{
    case_row, summary_rows, urls, CaseRow, CaseView, Formatter, PlanRow, PlanView, SummaryRow,
    SummaryView,
};
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

/// A rendering failure: which page, and Tera's explanation.
#[derive(Debug)]
pub struct RenderError {
    pub page: String,
    pub message: String,
}

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
    ) -> Result<SiteFile, RenderError> {
        let depth = path.matches('/').count();
        let mut ctx = Context::new();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("site_title", &self.lib.config.title);
        ctx.insert("page_title", title);
        ctx.insert("section", section);
        ctx.insert("nav", &self.nav);
        ctx.insert("audience", &self.lib.audience);
        ctx.insert("page", &data);
        match self.tera.render(template, &ctx) {
            Ok(html) => Ok(SiteFile {
                path,
                bytes: html.into_bytes(),
            }),
            Err(e) => Err(RenderError {
                message: format!("template `{template}`: {}", super::site::error_chain(&e)),
                page: path,
            }),
        }
    }
}

#[derive(Serialize)]
struct Home {
    recent: Vec<CaseRow>,
    open: Vec<CaseRow>,
    overdue: Vec<CaseRow>,
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

/// How many record pages are rendered before they are handed on to be written.
const CASE_PAGES_AT_ONCE: usize = 1000;

/// Whether [`render_all`] renders the page of every record, or leaves them to
/// [`record_page`] (`serve` renders a record's page when it is asked for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordPages {
    All,
    OnRequest,
}

/// The page of record `index` on its own.
pub fn record_page(
    tera: &Tera,
    lib: &Library,
    derived: &Derived,
    index: usize,
) -> Result<SiteFile, RenderError> {
    record(&renderer(tera, lib), derived, &Formatter::new(lib), index)
}

fn record(
    r: &Renderer,
    derived: &Derived,
    fmt: &Formatter,
    index: usize,
) -> Result<SiteFile, RenderError> {
    let rec = &r.lib.records[index];
    let view = CaseView::new(r.lib, derived, index, fmt);
    r.page(urls::case(&rec.id), "case.html", "cases", &rec.title, view)
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
    Renderer { tera, lib, nav }
}

/// Render every page of the site (assets are added by the caller), handing pages to `emit`
/// as they are made so that they need not all be held at once.
pub fn render_all(
    tera: &Tera,
    lib: &Library,
    derived: &Derived,
    records: RecordPages,
    emit: &(dyn Fn(Vec<SiteFile>) + Sync),
) -> Result<(), RenderError> {
    let fmt = Formatter::new(lib);
    let r = renderer(tera, lib);
    let record_count = match records {
        RecordPages::All => lib.records.len(),
        RecordPages::OnRequest => 0,
    };
    for start in (0..record_count).step_by(CASE_PAGES_AT_ONCE) {
        let end = (start + CASE_PAGES_AT_ONCE).min(record_count);
        let pages: Vec<SiteFile> = (start..end)
            .into_par_iter()
            .map(|i| record(&r, derived, &fmt, i))
            .collect::<Result<_, _>>()?;
        emit(pages);
    }
    let mut files = browse_pages(&r, derived, &fmt)?;

    let plans: Vec<SiteFile> = (0..lib.plans.len())
        .into_par_iter()
        .map(|i| {
            let p = &lib.plans[i];
            r.page(
                urls::plan(&p.id),
                "plan.html",
                "plans",
                &p.title,
                PlanView::new(lib, derived, i, &fmt),
            )
        })
        .collect::<Result<_, _>>()?;
    files.extend(plans);

    files.push(r.page("search.html".into(), "search.html", "search", "搜索", ())?);
    files.extend(summary_pages(&r, derived, &fmt)?);
    files.extend(stats_pages(&r, derived, &fmt)?);
    for p in &lib.pages {
        let view = FreePage {
            title: p.title.clone(),
            description: p.description.clone(),
            body_html: markdown::to_html(&p.body.markdown),
        };
        files.push(r.page(
            urls::page(&p.name),
            "page.html",
            &format!("page-{}", p.name),
            &p.title,
            view,
        )?);
    }

    let rows = |indices: &[usize]| -> Vec<CaseRow> {
        indices
            .iter()
            .map(|&i| case_row(lib, derived, i, &fmt))
            .collect()
    };
    let all: Vec<usize> = (0..lib.records.len()).collect();
    let all_rows = rows(&all);
    let home = Home {
        recent: rows(&all[..all.len().min(HOME_RECENT)]),
        open: rows(&derived.open_cases),
        overdue: rows(&derived.stats.all.overdue),
        latest_summary: lib.summaries.first().map(SummaryRow::new),
        record_count: lib.records.len(),
        plan_count: lib.plans.len(),
    };
    files.push(r.page(
        "index.html".into(),
        "home.html",
        "home",
        &lib.config.title,
        home,
    )?);
    files.extend(case_list(&r, derived, all_rows)?);
    let plan_rows: Vec<PlanRow> = lib
        .plans
        .iter()
        .zip(&derived.plans)
        .map(|(p, f)| PlanRow::new(p, f))
        .collect();
    files.push(r.page(
        "plans/index.html".into(),
        "plans.html",
        "plans",
        "应急预案",
        plan_rows,
    )?);
    let summary_rows = summary_rows(lib, derived);
    files.push(r.page(
        "summaries/index.html".into(),
        "summaries.html",
        "summaries",
        "舆情分析",
        summary_rows,
    )?);

    let templates: Vec<TemplateRow> = lib
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
    files.push(r.page(
        "templates/index.html".into(),
        "templates.html",
        "templates",
        "预案与记录模板",
        templates,
    )?);
    for t in &lib.templates {
        files.push(SiteFile {
            path: urls::template_download(&t.name),
            bytes: t.raw.clone().into_bytes(),
        });
    }
    emit(files);
    Ok(())
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
struct TermPage {
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
    cases: Vec<CaseRow>,
    pager: Pager,
}

/// The browse overview, one page per axis, one per term, and the 典型案例 index.
fn browse_pages(
    r: &Renderer,
    derived: &Derived,
    fmt: &Formatter,
) -> Result<Vec<SiteFile>, RenderError> {
    let lib = r.lib;
    let term_title = |axis: &str, name: &str| match (axis, lib.plan_index(name)) {
        ("plan", Some(i)) => lib.plans[i].title.clone(),
        ("warning", _) => format!("{name}色预警"),
        _ => name.to_owned(),
    };
    let views: Vec<AxisView> = derived
        .axes
        .iter()
        .map(|axis| AxisView {
            key: axis.key,
            label: axis.label,
            href: urls::axis(axis.key),
            terms: axis
                .terms
                .iter()
                .map(|t| TermRow {
                    name: t.name.clone(),
                    title: term_title(axis.key, &t.name),
                    href: urls::term(axis.key, &t.name),
                    count: t.records.len(),
                })
                .collect(),
        })
        .collect();
    let mut files = Vec::new();
    for (axis, view) in derived.axes.iter().zip(&views) {
        let terms: Vec<SiteFile> = axis
            .terms
            .par_iter()
            .flat_map(|t| {
                let pages = t.records.len().div_ceil(TERM_CASES_PER_PAGE).max(1);
                (1..=pages).into_par_iter().map(move |n| (t, n))
            })
            .map(|(t, n)| {
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
                    title: term_title(axis.key, &t.name),
                    principle: category
                        .map(|c| c.principle.clone())
                        .filter(|p| !p.is_empty()),
                    deadline: category.map(|c| c.deadline.to_string()),
                    plan_href: (axis.key == "plan").then(|| urls::plan(&t.name)),
                    total: t.records.len(),
                    cases: t.records[pager.range()]
                        .iter()
                        .map(|&i| case_row(lib, derived, i, fmt))
                        .collect(),
                    pager,
                };
                let title = match n {
                    1 => format!("{}：{}", axis.label, page.title),
                    _ => format!("{}：{}（第{n}页）", axis.label, page.title),
                };
                r.page(
                    urls::term_page(axis.key, &t.name, n),
                    "term.html",
                    "browse",
                    &title,
                    page,
                )
            })
            .collect::<Result<_, _>>()?;
        files.extend(terms);
        files.push(r.page(
            urls::axis(axis.key),
            "axis.html",
            "browse",
            axis.label,
            view,
        )?);
    }
    files.push(r.page(
        "browse/index.html".into(),
        "browse.html",
        "browse",
        "分类浏览",
        &views,
    )?);
    let typical: Vec<CaseRow> = derived
        .typical
        .iter()
        .map(|&i| case_row(lib, derived, i, fmt))
        .collect();
    files.push(r.page(
        "browse/typical.html".into(),
        "typical.html",
        "typical",
        "典型案例",
        typical,
    )?);
    Ok(files)
}

/// Written summaries with their period's figures, and figures-only pages for the months
/// nobody wrote one for.
fn summary_pages(
    r: &Renderer,
    derived: &Derived,
    fmt: &Formatter,
) -> Result<Vec<SiteFile>, RenderError> {
    let lib = r.lib;
    let written = lib
        .summaries
        .par_iter()
        .map(|s| SummaryView::new(lib, derived, s, fmt));
    let generated = derived
        .stats
        .unwritten_months
        .par_iter()
        .map(|&p| SummaryView::generated(lib, derived, p, fmt));
    written
        .chain(generated)
        .map(|view| {
            let title = view.row.title.clone();
            r.page(
                view.row.href.clone(),
                "summary.html",
                "summaries",
                &title,
                view,
            )
        })
        .collect()
}

#[derive(Serialize)]
struct YearLink {
    label: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct StatsPage {
    /// 全部 or 2024年.
    scope: String,
    years: Vec<YearLink>,
    /// The moment overdue is judged against.
    now: String,
    figures: FiguresView,
}

/// The site-wide statistics page and one per year.
fn stats_pages(
    r: &Renderer,
    derived: &Derived,
    fmt: &Formatter,
) -> Result<Vec<SiteFile>, RenderError> {
    let lib = r.lib;
    let years = |current: Option<i32>| -> Vec<YearLink> {
        derived
            .stats
            .years
            .iter()
            .map(|(y, _)| YearLink {
                label: format!("{y}年"),
                href: urls::stats_year(*y),
                current: current == Some(*y),
            })
            .collect()
    };
    let page = |scope: String, current: Option<i32>, stats| StatsPage {
        scope,
        years: years(current),
        now: fmt.datetime(&derived.now),
        figures: FiguresView::new(lib, derived, stats, fmt),
    };
    let mut files: Vec<SiteFile> = derived
        .stats
        .years
        .par_iter()
        .map(|(y, stats)| {
            let title = format!("{y}年统计");
            r.page(
                urls::stats_year(*y),
                "stats.html",
                "stats",
                &title,
                page(format!("{y}年"), Some(*y), stats),
            )
        })
        .collect::<Result<_, _>>()?;
    files.push(r.page(
        "stats/index.html".into(),
        "stats.html",
        "stats",
        "统计",
        page("全部".into(), None, &derived.stats.all),
    )?);
    Ok(files)
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    href: String,
    current: bool,
}

/// Page `current` of a list of `total` rows shown `per_page` at a time, with links to every
/// page (`href(k)` is page k's address).
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
                .map(|k| PageLink {
                    number: k,
                    href: href(k),
                    current: k == current,
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
struct CaseListPage {
    rows: Vec<CaseRow>,
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

/// The full case list: numbered pages for reading without JavaScript, and `data/cases.js`
/// with every row for the in-browser filter and sort.
fn case_list(
    r: &Renderer,
    derived: &Derived,
    rows: Vec<CaseRow>,
) -> Result<Vec<SiteFile>, RenderError> {
    let data: Vec<serde_json::Value> = rows
        .iter()
        .map(|c| {
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
    let script = format!(
        "window.casebookCases = {};\n",
        super::script_json(&serde_json::json!({ "fields": CASE_FIELDS, "rows": data }))
    );
    let mut files = vec![SiteFile {
        path: "data/cases.js".into(),
        bytes: script.into_bytes(),
    }];

    let filters: Vec<Filter> = [
        "category",
        "warning",
        "level",
        "status",
        "department",
        "year",
    ]
    .iter()
    .filter_map(|key| derived.axes.iter().find(|a| a.key == *key))
    .map(|a| Filter {
        key: a.key,
        label: a.label,
        options: a.terms.iter().map(|t| t.name.clone()).collect(),
    })
    .collect();
    let total = rows.len();
    let page_count = total.div_ceil(CASES_PER_PAGE).max(1);
    let mut rows = rows.into_iter();
    for n in 1..=page_count {
        let view = CaseListPage {
            rows: rows.by_ref().take(CASES_PER_PAGE).collect(),
            pager: Pager::new(total, CASES_PER_PAGE, n, urls::case_list),
            filters: filters.clone(),
        };
        let title = if n == 1 {
            "全部案例".to_owned()
        } else {
            format!("全部案例（第{n}页）")
        };
        files.push(r.page(urls::case_list(n), "cases.html", "cases", &title, view)?);
    }
    Ok(files)
}
