//! The frame every page shares: the site's navigation, the context each template gets
//! (`root`, titles, the audience), and the call into Tera.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tera::{Context, Tera};

use super::Made;
use crate::model::Library;
use crate::render::views::urls;
use crate::render::{root_of, site::error_chain, RenderError, SiteFile};

/// Room made for a page before it is rendered: record pages, most of a site, are 7–12 KB.
const PAGE_BYTES: usize = 16 * 1024;

/// The navigation shown on every page.
#[derive(Serialize)]
struct NavItem {
    title: String,
    href: String,
    key: String,
}

pub(super) struct Renderer<'a> {
    tera: &'a Tera,
    pub(super) lib: &'a Library,
    nav: Vec<NavItem>,
    /// The navigation rendered by `nav.html`, by section and root: every page has it, and it
    /// depends on nothing else.
    navs: Mutex<HashMap<(String, String), Arc<str>>>,
}

impl Renderer<'_> {
    /// Render `template` into the site file `path`; `section` marks the active nav item.
    pub(super) fn page(
        &self,
        path: String,
        template: &str,
        section: &str,
        title: &str,
        data: impl Serialize,
    ) -> Made {
        let root = root_of(&path);
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
            (
                "marking".to_owned(),
                text(self.lib.config.marking(audience).unwrap_or_default()),
            ),
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

pub(super) fn render_error(template: &str, e: &tera::Error, page: String) -> RenderError {
    RenderError {
        message: format!("template `{template}`: {}", error_chain(e)),
        page,
    }
}

/// The renderer with the site's navigation.
pub(super) fn renderer<'a>(tera: &'a Tera, lib: &'a Library) -> Renderer<'a> {
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
