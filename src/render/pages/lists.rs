//! The case lists: the pages of each term of each axis (a department, a colour …), the
//! axes' overviews, the full case list with its pager and filters, and `data/cases.js`, the
//! rows the browser filters and sorts.

use serde::Serialize;

use super::{Made, Site, CASES_PER_PAGE, TERM_CASES_PER_PAGE};
use crate::render::script_json;
use crate::render::views::{case_row, urls, ListedCase};

#[derive(Serialize)]
pub(super) struct TermRow {
    name: String,
    /// Shown instead of the name where the name is an id (plans).
    title: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct AxisView {
    key: &'static str,
    label: &'static str,
    href: String,
    terms: Vec<TermRow>,
}

#[derive(Serialize)]
pub(super) struct TermPage<'a> {
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
    pub(super) fn term_title(&self, a: usize, name: &str) -> String {
        let lib = self.r.lib;
        match (self.derived.axes(lib)[a].key, lib.plan_index(name)) {
            ("plan", Some(i)) => lib.plans[i].title.clone(),
            ("warning", _) => format!("{name}色预警"),
            _ => name.to_owned(),
        }
    }

    /// Axis `a` with its terms and their counts.
    pub(super) fn axis(&self, a: usize) -> AxisView {
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
    pub(super) fn term(&self, path: String, a: usize, term: usize, n: usize) -> Made {
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
}

#[derive(Serialize)]
pub(super) struct PageLink {
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
pub(super) struct Pager {
    total: usize,
    /// 1-based positions of the first and last row on this page.
    first: usize,
    last: usize,
    pages: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
}

impl Pager {
    pub(super) fn new(
        total: usize,
        per_page: usize,
        current: usize,
        href: impl Fn(usize) -> String,
    ) -> Pager {
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
    pub(super) fn range(&self) -> std::ops::Range<usize> {
        self.first.saturating_sub(1)..self.last
    }
}

/// A select box of the case-list filter.
#[derive(Serialize, Clone)]
pub(super) struct Filter {
    key: &'static str,
    label: &'static str,
    options: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct CaseListPage<'a> {
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
pub(super) const CASE_DATA: &str = "data/cases.js";

impl Site<'_> {
    /// Page `n` of the full case list, for reading without JavaScript.
    pub(super) fn case_list(&self, path: String, n: usize) -> Made {
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
    pub(super) fn case_data(&self) -> Vec<u8> {
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
            script_json(&serde_json::json!({ "fields": CASE_FIELDS, "rows": data }))
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
