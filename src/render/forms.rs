//! Print sheets for a record: the 舆情抄告单 sent to the responsible department, and the
//! 督办单 that chases it once the response deadline has passed unanswered. One A4 sheet each,
//! a section of the record's page shown alone when the page is opened at it
//! (`cases/ID.html#notice`); their wording is in the template `form.html`, which an office
//! overrides like any other template.

use serde::Serialize;

use super::views::{urls, Formatter};
use crate::derive::deadlines::{duration_label, Outcome};
use crate::derive::Derived;
use crate::model::Library;
use crate::text::markdown;

/// How much of the 事件概况 a sheet quotes, in characters.
const SUMMARY_CHARS: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    /// 舆情抄告单.
    Notice,
    /// 舆情督办单.
    Supervise,
}

impl FormKind {
    pub const ALL: [FormKind; 2] = [FormKind::Notice, FormKind::Supervise];

    fn label(self) -> &'static str {
        match self {
            FormKind::Notice => "舆情抄告单",
            FormKind::Supervise => "舆情督办单",
        }
    }

    /// Every record gets a 抄告单; a 督办单 once its response deadline has passed unanswered.
    pub fn applies(self, derived: &Derived, i: usize) -> bool {
        self == FormKind::Notice || derived.responses[i].outcome == Outcome::Overdue
    }
}

#[derive(Serialize)]
pub struct FormView {
    pub kind: FormKind,
    pub label: &'static str,
    pub id: String,
    pub title: String,
    pub platforms: String,
    pub discovered: String,
    pub department: String,
    pub category: String,
    pub principle: Option<String>,
    pub deadline: String,
    pub due: String,
    /// The post as the record's 事件概况 tells it, cut to [`SUMMARY_CHARS`].
    pub summary: String,
    pub now: String,
    /// Where the response stands as of `now`: past the deadline by how long, or not yet.
    pub standing: String,
    pub overdue: bool,
    pub case_href: String,
}

impl FormView {
    pub fn new(
        lib: &Library,
        derived: &Derived,
        i: usize,
        kind: FormKind,
        fmt: &Formatter,
    ) -> Self {
        let r = &lib.records[i];
        let response = &derived.responses[i];
        let category = lib.config.category(&r.category);
        let body = &r.body.markdown;
        let (mut summary, n) = match markdown::section(body, "事件概况") {
            Some(section) => markdown::plain_text_start(section, SUMMARY_CHARS),
            None => markdown::plain_text_start(body, SUMMARY_CHARS),
        };
        if n == SUMMARY_CHARS {
            summary.push('…');
        }
        let past = (derived.now - response.due).num_minutes();
        let standing = match (response.outcome, response.minutes) {
            (Outcome::Overdue, _) => format!("已超过回应时限 {}，尚未回应", duration_label(past)),
            (Outcome::Pending, _) => format!("尚未回应，距回应时限还有 {}", duration_label(-past)),
            (outcome, Some(m)) => format!(
                "已于发现后 {} 首次回应（{}）",
                duration_label(m),
                outcome.label()
            ),
            (outcome, None) => outcome.label().to_owned(),
        };
        FormView {
            kind,
            label: kind.label(),
            id: r.id.clone(),
            title: r.title.clone(),
            platforms: match r.platforms.is_empty() {
                true => r.first_platform().unwrap_or("—").to_owned(),
                false => r.platforms.join("、"),
            },
            discovered: fmt.datetime(&r.discovered_at),
            department: r.department.clone(),
            category: r.category.clone(),
            principle: category
                .map(|c| c.principle.clone())
                .filter(|p| !p.is_empty()),
            deadline: category.map_or_else(|| "当日24时前".to_owned(), |c| c.deadline.to_string()),
            due: fmt.datetime(&response.due),
            summary: summary.trim().to_owned(),
            now: fmt.datetime(&derived.now),
            overdue: response.outcome == Outcome::Overdue,
            standing,
            case_href: urls::case(&r.id),
        }
    }
}
