//! Which pages the site has, and the context each template gets.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::views::{
    urls, CaseRow, CaseView, Formatter, PlanRow, PlanView, SummaryRow, SummaryView,
};
use super::SiteFile;
use crate::derive::Derived;
use crate::model::Library;
use crate::text::markdown;

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

/// Render every page of the site (assets are added by the caller).
pub fn render_all(
    tera: &Tera,
    lib: &Library,
    derived: &Derived,
) -> Result<Vec<SiteFile>, RenderError> {
    let fmt = Formatter::new(lib);
    let mut nav = vec![
        nav_item("首页", "index.html", "home"),
        nav_item("案例", "cases/index.html", "cases"),
        nav_item("应急预案", "plans/index.html", "plans"),
        nav_item("舆情分析", "summaries/index.html", "summaries"),
        nav_item("模板", "templates/index.html", "templates"),
    ];
    nav.extend(
        lib.pages
            .iter()
            .map(|p| nav_item(&p.title, &urls::page(&p.name), &format!("page-{}", p.name))),
    );
    let r = Renderer { tera, lib, nav };

    let mut files: Vec<SiteFile> = lib
        .records
        .par_iter()
        .map(|rec| {
            let view = CaseView::new(lib, rec, &fmt);
            r.page(urls::case(&rec.id), "case.html", "cases", &rec.title, view)
        })
        .collect::<Result<_, _>>()?;

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

    for s in &lib.summaries {
        let view = SummaryView::new(lib, s);
        files.push(r.page(
            view.row.href.clone(),
            "summary.html",
            "summaries",
            &s.title,
            view,
        )?);
    }
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

    let all_rows: Vec<CaseRow> = lib
        .records
        .iter()
        .map(|rec| CaseRow::new(rec, &fmt))
        .collect();
    let home = Home {
        recent: lib
            .records
            .iter()
            .take(HOME_RECENT)
            .map(|rec| CaseRow::new(rec, &fmt))
            .collect(),
        open: derived
            .open_cases
            .iter()
            .map(|&i| CaseRow::new(&lib.records[i], &fmt))
            .collect(),
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
    files.push(r.page(
        "cases/index.html".into(),
        "cases.html",
        "cases",
        "全部案例",
        all_rows,
    )?);
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
    let summary_rows: Vec<SummaryRow> = lib.summaries.iter().map(SummaryRow::new).collect();
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
    Ok(files)
}

fn nav_item(title: &str, href: &str, key: &str) -> NavItem {
    NavItem {
        title: title.to_owned(),
        href: href.to_owned(),
        key: key.to_owned(),
    }
}
