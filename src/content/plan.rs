//! 应急预案: a contingency plan (`content/plans/*.md`).

use crate::messages::Key;
use chrono::NaiveDate;

use super::vocab;
use super::{Body, Origin, Visibility};
use crate::config::Config;
use crate::fields::{FieldSpec, Fields};

#[derive(Debug, Clone)]
pub struct Plan {
    pub origin: Origin,
    pub id: String,
    pub title: String,
    pub status: String,
    pub issued: NaiveDate,
    pub plan_type: Option<String>,
    pub issuer: Option<String>,
    pub doc_no: Option<String>,
    pub effective: Option<NaiveDate>,
    pub version: Option<String>,
    pub supersedes: Option<String>,
    pub abolished: Option<NaiveDate>,
    pub review_cycle_years: u32,
    pub last_reviewed: Option<NaiveDate>,
    pub applies_to: Vec<String>,
    pub visibility: Visibility,
    pub body: Body,
}

pub const FIELDS: &[FieldSpec] = &[
    ("id", "预案编号"),
    ("title", "预案名称"),
    ("status", "有效性"),
    ("issued", "印发日期"),
    ("plan_type", "预案类型"),
    ("issuer", "发文机关"),
    ("doc_no", "发文字号"),
    ("effective", "施行日期"),
    ("version", "版本"),
    ("supersedes", "替代"),
    ("abolished", "废止日期"),
    ("review_cycle_years", "评估周期"),
    ("last_reviewed", "上次评估"),
    ("applies_to", "适用类别"),
    ("audience", "公开范围"),
    ("draft", "草稿"),
];

/// The sections a complete plan usually has (a plan missing several is worth a warning).
pub const USUAL_SECTIONS: &[&str] = &[
    "总则",
    "组织机构与职责",
    "监测预警",
    "分级响应",
    "处置流程",
    "信息发布",
    "后期处置",
    "保障措施",
    "附则",
];

const DEFAULT_REVIEW_CYCLE_YEARS: u32 = 3;

pub fn valid_plan_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !crate::names::reserved_on_windows(id)
}

impl Plan {
    pub fn read(f: &mut Fields, config: &Config, origin: Origin, body: Body) -> Option<Plan> {
        let id = f.parsed(
            "id",
            |s| valid_plan_id(s).then(|| s.to_owned()),
            Key::AValidPlanId,
            Key::PlanIdHint,
        );
        if !f.has("id") {
            f.missing("id", "\"dept-response-plan\"");
        }
        let title = f.required_string("title", "\"故城县网络舆情应急预案\"");
        let status = if f.has("status") {
            f.choice("status", vocab::PLAN_STATUSES)
        } else {
            f.missing("status", "\"有效\"");
            None
        };
        let issued = f.required_date("issued");
        let applies_to = f.choice_list("applies_to", &config.category_names());
        let review_cycle_years = f.count("review_cycle_years").map(|n| n.clamp(1, 50) as u32);
        Some(Plan {
            plan_type: f.choice("plan_type", vocab::PLAN_TYPES),
            issuer: f.string("issuer"),
            doc_no: f.string("doc_no"),
            effective: f.date("effective"),
            version: f.string("version"),
            supersedes: f.string("supersedes"),
            abolished: f.date("abolished"),
            review_cycle_years: review_cycle_years.unwrap_or(DEFAULT_REVIEW_CYCLE_YEARS),
            last_reviewed: f.date("last_reviewed"),
            visibility: Visibility::read(f, config),
            applies_to,
            origin,
            body,
            id: id?,
            title: title?,
            status: status?,
            issued: issued?,
        })
    }

    pub fn is_abolished(&self) -> bool {
        self.status == vocab::ABOLISHED
    }

    /// The date from which the review cycle counts: the last review, else the issue date.
    pub fn review_base(&self) -> NaiveDate {
        self.last_reviewed.unwrap_or(self.issued)
    }
}
