//! View structs: what templates receive. Values are formatted for display here (dates in the
//! site's timezone, Chinese labels); nothing is counted or computed.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use serde::Serialize;

use crate::content::plan::Plan;
use crate::content::record::Record;
use crate::derive::deadlines::{duration_label, Outcome, Response};
use crate::derive::plans::PlanFacts;
use crate::derive::Derived;
use crate::model::Library;
use crate::text::markdown;

/// Paths of the pages, relative to the site root.
pub mod urls {
    pub fn case(id: &str) -> String {
        format!("cases/{id}.html")
    }
    pub fn plan(id: &str) -> String {
        format!("plans/{id}.html")
    }
    pub fn summary(period: &str) -> String {
        format!("summaries/{period}.html")
    }
    /// A summary as a Word file.
    pub fn summary_docx(period: &str) -> String {
        format!("summaries/{period}.docx")
    }
    /// A record's 舆情抄告单 and 督办单, to print.
    /// The record page opened at its 抄告单: the sheet is a section of the page, shown alone.
    pub fn notice(id: &str) -> String {
        format!("cases/{id}.html#notice")
    }
    /// The record page opened at its 督办单.
    pub fn supervise(id: &str) -> String {
        format!("cases/{id}.html#supervise")
    }
    /// A record's 舆情专报 as a Word file.
    pub fn report(id: &str) -> String {
        format!("cases/{id}.docx")
    }
    pub fn page(name: &str) -> String {
        format!("pages/{name}.html")
    }
    pub fn template_download(name: &str) -> String {
        format!("templates/{name}.md")
    }
    /// Page `n` (1-based) of the full case list.
    pub fn case_list(n: usize) -> String {
        if n <= 1 {
            "cases/index.html".to_owned()
        } else {
            format!("cases/page-{n}.html")
        }
    }
    pub fn stats_year(year: i32) -> String {
        format!("stats/{year}.html")
    }
    pub fn axis(axis: &str) -> String {
        format!("browse/{axis}/index.html")
    }
    pub fn term(axis: &str, term: &str) -> String {
        term_page(axis, term, 1)
    }
    /// Page `n` (1-based) of a term's cases; later pages go in a folder named like the term.
    pub fn term_page(axis: &str, term: &str, n: usize) -> String {
        match n {
            0 | 1 => format!("browse/{axis}/{}.html", term_file(term)),
            _ => format!("browse/{axis}/{}/{n}.html", term_file(term)),
        }
    }

    /// A term's file name: the term itself when it is a plain file name (Chinese is fine, see
    /// [`crate::names::plain_file_name`]), else a stable hash, so punctuation in a
    /// department's name can never shape a path, nor letter case or length make two terms
    /// share a file or a name too long. A term spelled like one of the site's own names
    /// (`index`, the axis's page) or like a hashed name (`t-…`) is hashed too, so no two pages
    /// ever share a file.
    fn term_file(term: &str) -> String {
        let plain =
            crate::names::plain_file_name(term) && term != "index" && !term.starts_with("t-");
        if plain {
            return term.to_owned();
        }
        let hash = term.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("t-{hash:016x}")
    }
}

/// A reference to another document: a link when it is published, plain text when it is not.
#[derive(Serialize)]
pub struct Link {
    pub text: String,
    pub href: Option<String>,
}

pub struct Formatter {
    tz: FixedOffset,
}

impl Formatter {
    pub fn new(lib: &Library) -> Self {
        Formatter {
            tz: lib.config.timezone,
        }
    }

    /// `2024-03-15 09:30` in the library's time zone. Written out directly: this runs for
    /// every row of every case list, and a format string is parsed on each use.
    pub fn datetime(&self, t: &DateTime<FixedOffset>) -> String {
        let t = t.with_timezone(&self.tz);
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        )
    }

    fn opt_datetime(&self, t: &Option<DateTime<FixedOffset>>) -> Option<String> {
        t.as_ref().map(|t| self.datetime(t))
    }
}

pub fn date(d: &NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// 12000 → "1.2万", 350 → "350".
pub fn reach(n: u64) -> String {
    if n >= 100_000_000 {
        format!("{:.1}亿", n as f64 / 100_000_000.0)
    } else if n >= 10_000 {
        format!("{:.1}万", n as f64 / 10_000.0)
    } else {
        n.to_string()
    }
}

/// One line of a case list.
#[derive(Serialize)]
pub struct CaseRow {
    pub id: String,
    pub title: String,
    pub href: String,
    pub category: String,
    pub department: String,
    pub discovered: String,
    pub status: String,
    pub closed: bool,
    pub warning: Option<String>,
    pub level: Option<String>,
    pub region: Option<String>,
    pub typical: bool,
    /// 按时 / 超时 / 逾期未回应 / 待回应, and its CSS modifier.
    pub response: &'static str,
    pub response_class: Outcome,
}

impl CaseRow {
    pub fn new(r: &Record, response: &Response, fmt: &Formatter) -> Self {
        CaseRow {
            response: response.outcome.label(),
            response_class: response.outcome,
            id: r.id.clone(),
            title: r.title.clone(),
            href: urls::case(&r.id),
            category: r.category.clone(),
            department: r.department.clone(),
            discovered: fmt.datetime(&r.discovered_at),
            status: r.status.clone(),
            closed: r.is_closed(),
            warning: r.warning.clone(),
            level: r.level.clone(),
            region: r.region.clone(),
            typical: r.typical,
        }
    }
}

#[derive(Serialize)]
pub struct TimelineView {
    pub at: String,
    pub stage: String,
    pub note: String,
}

#[derive(Serialize)]
pub struct DocumentView {
    pub kind: String,
    pub number: Option<String>,
    pub date: Option<String>,
}

/// Everything on an incident page.
#[derive(Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub row: CaseRow,
    pub sentiment: Option<String>,
    pub platforms: Vec<String>,
    pub first_platform: Option<String>,
    pub first_published_at: Option<String>,
    pub reported_at: Option<String>,
    pub first_response_at: Option<String>,
    pub response_channel: Option<String>,
    pub closed_at: Option<String>,
    pub reach: Option<String>,
    pub tags: Vec<String>,
    /// 处置原则 and 回应时限 of the category, from the configuration.
    pub principle: Option<String>,
    pub deadline: Option<String>,
    pub audience: String,
    /// e.g. "首次回应用时 1小时35分，时限 2小时，按时".
    pub response_line: String,
    pub due: String,
    pub close_time: Option<String>,
    pub timeline: Vec<TimelineView>,
    pub documents: Vec<DocumentView>,
    pub plans: Vec<Link>,
    pub related: Vec<Link>,
    /// 相似案例: found by the words records share (the clerk's own `related` come first).
    pub similar: Vec<CaseRow>,
    pub source: String,
    /// The 舆情专报 to download, for the records that get one ([`has_report`]).
    pub report: Option<String>,
    /// The print sheets: 抄告单, and 督办单 once the deadline has passed unanswered.
    pub notice: String,
    pub supervise: Option<String>,
    // The body as HTML (`body_html`) is added beside the view when the page is rendered.
}

impl CaseView {
    /// The view of record `index`, its body not yet rendered.
    pub fn new(lib: &Library, derived: &Derived, index: usize, fmt: &Formatter) -> Self {
        let r = &lib.records[index];
        let response = &derived.responses[index];
        let similar = derived.similar_to(lib, index);
        let category = lib.config.category(&r.category);
        let deadline = category.map_or_else(|| "当日24时前".to_owned(), |c| c.deadline.to_string());
        let response_line = match response.minutes {
            Some(m) => format!(
                "首次回应用时 {}，时限 {deadline}，{}",
                duration_label(m),
                response.outcome.label()
            ),
            None => format!("尚未回应，时限 {deadline}，{}", response.outcome.label()),
        };
        CaseView {
            row: CaseRow::new(r, response, fmt),
            response_line,
            due: fmt.datetime(&response.due),
            close_time: response.close_minutes.map(duration_label),
            sentiment: r.sentiment.clone(),
            platforms: r.platforms.clone(),
            first_platform: r.first_platform().map(str::to_owned),
            first_published_at: fmt.opt_datetime(&r.first_published_at),
            reported_at: fmt.opt_datetime(&r.reported_at),
            first_response_at: fmt.opt_datetime(&r.first_response_at),
            response_channel: r.response_channel.clone(),
            closed_at: fmt.opt_datetime(&r.closed_at),
            reach: r.reach.map(reach),
            tags: r.tags.clone(),
            principle: category
                .map(|c| c.principle.clone())
                .filter(|p| !p.is_empty()),
            deadline: category.map(|c| c.deadline.to_string()),
            audience: r.visibility.audience.clone(),
            timeline: r
                .timeline
                .iter()
                .map(|t| TimelineView {
                    at: fmt.datetime(&t.at),
                    stage: t.stage.clone(),
                    note: t.note.clone(),
                })
                .collect(),
            documents: r
                .documents
                .iter()
                .map(|d| DocumentView {
                    kind: d.kind.clone(),
                    number: d.number.clone(),
                    date: d.date.as_ref().map(date),
                })
                .collect(),
            plans: r.plans.iter().map(|id| plan_link(lib, id)).collect(),
            related: r.related.iter().map(|id| case_link(lib, id)).collect(),
            similar: similar
                .iter()
                .filter(|&&j| !r.related.contains(&lib.records[j].id))
                .map(|&j| case_row(lib, derived, j, fmt))
                .collect(),
            source: r.origin.path.display().to_string(),
            report: has_report(r).then(|| urls::report(&r.id)),
            notice: urls::notice(&r.id),
            supervise: (response.outcome == Outcome::Overdue).then(|| urls::supervise(&r.id)),
        }
    }
}

/// Whether the site offers a record's 舆情专报 as a Word file: typical cases and those with a
/// 红 or 橙 warning, the ones that go up to the leadership (`casebook report` makes any).
pub fn has_report(r: &Record) -> bool {
    r.typical || matches!(r.warning.as_deref(), Some("红" | "橙"))
}

/// The list line of record `i`.
pub fn case_row(lib: &Library, derived: &Derived, i: usize, fmt: &Formatter) -> CaseRow {
    CaseRow::new(&lib.records[i], &derived.responses[i], fmt)
}

/// A link to a record, or its bare id when this build does not publish it.
pub fn case_link(lib: &Library, id: &str) -> Link {
    match lib.record_index(id) {
        Some(i) => Link {
            text: format!("{} {}", id, lib.records[i].title),
            href: Some(urls::case(id)),
        },
        None => Link {
            text: id.to_owned(),
            href: None,
        },
    }
}

pub fn plan_link(lib: &Library, id: &str) -> Link {
    match lib.plan_index(id) {
        Some(i) => Link {
            text: lib.plans[i].title.clone(),
            href: Some(urls::plan(id)),
        },
        None => Link {
            text: id.to_owned(),
            href: None,
        },
    }
}

/// One line of the plan list.
#[derive(Serialize)]
pub struct PlanRow {
    pub id: String,
    pub title: String,
    pub href: String,
    pub status: String,
    /// CSS modifier for the validity badge: valid / revising / abolished.
    pub badge: &'static str,
    pub plan_type: Option<String>,
    pub doc_no: Option<String>,
    pub issued: String,
    pub version: Option<String>,
    pub review_due: Option<String>,
    pub review_overdue: bool,
    pub case_count: usize,
}

impl PlanRow {
    pub fn new(p: &Plan, facts: &PlanFacts) -> Self {
        PlanRow {
            id: p.id.clone(),
            title: p.title.clone(),
            href: urls::plan(&p.id),
            status: p.status.clone(),
            badge: match p.status.as_str() {
                "有效" => "valid",
                "修订中" => "revising",
                _ => "abolished",
            },
            plan_type: p.plan_type.clone(),
            doc_no: p.doc_no.clone(),
            issued: date(&p.issued),
            version: p.version.clone(),
            review_due: facts.review_due.as_ref().map(date),
            review_overdue: facts.review_overdue,
            case_count: facts.cases.len(),
        }
    }
}

#[derive(Serialize)]
pub struct ChainStep {
    pub title: String,
    pub href: String,
    pub version: Option<String>,
    pub status: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct PlanView<'a> {
    #[serde(flatten)]
    pub row: PlanRow,
    pub issuer: Option<String>,
    pub effective: Option<String>,
    pub abolished: Option<String>,
    pub review_cycle_years: u32,
    pub last_reviewed: Option<String>,
    pub applies_to: Vec<String>,
    pub supersedes: Option<Link>,
    pub superseded_by: Option<Link>,
    /// The whole version chain, oldest first, this plan marked `current`.
    pub chain: Vec<ChainStep>,
    /// The rows of the cases that activated the plan.
    pub cases: Vec<ListedCase<'a>>,
    pub body_html: String,
}

impl<'a> PlanView<'a> {
    pub fn new(lib: &Library, derived: &Derived, index: usize, cases: Vec<ListedCase<'a>>) -> Self {
        let p = &lib.plans[index];
        let facts = &derived.plans[index];
        let link = |i: usize| Link {
            text: lib.plans[i].title.clone(),
            href: Some(urls::plan(&lib.plans[i].id)),
        };
        PlanView {
            row: PlanRow::new(p, facts),
            issuer: p.issuer.clone(),
            effective: p.effective.as_ref().map(date),
            abolished: p.abolished.as_ref().map(date),
            review_cycle_years: p.review_cycle_years,
            last_reviewed: p.last_reviewed.as_ref().map(date),
            applies_to: p.applies_to.clone(),
            supersedes: p.supersedes.as_ref().map(|id| plan_link(lib, id)),
            superseded_by: facts.superseded_by.map(link),
            chain: facts
                .chain
                .iter()
                .map(|&i| ChainStep {
                    title: lib.plans[i].title.clone(),
                    href: urls::plan(&lib.plans[i].id),
                    version: lib.plans[i].version.clone(),
                    status: lib.plans[i].status.clone(),
                    current: i == index,
                })
                .collect(),
            cases,
            body_html: markdown::to_html(&p.body.markdown),
        }
    }
}

/// A case-table row as a table gets it, rendered already (see `render::rows`):
/// `{{ c.html | safe }}`.
#[derive(Serialize)]
pub struct ListedCase<'a> {
    pub html: std::borrow::Cow<'a, str>,
}
