//! 舆情事件记录: one incident record (`cases/**/*.md`).

use crate::messages::Key;
use chrono::{DateTime, FixedOffset, NaiveDate};

use super::vocab;
use super::{Body, Origin, Visibility};
use crate::config::Config;
use crate::fields::{FieldSpec, Fields};

#[derive(Debug, Clone)]
pub struct Record {
    pub origin: Origin,
    pub id: String,
    pub title: String,
    pub category: String,
    pub department: String,
    pub discovered_at: DateTime<FixedOffset>,
    pub sentiment: Option<String>,
    pub warning: Option<String>,
    pub level: Option<String>,
    pub status: String,
    pub region: Option<String>,
    pub platforms: Vec<String>,
    pub first_platform: Option<String>,
    pub first_published_at: Option<DateTime<FixedOffset>>,
    pub reported_at: Option<DateTime<FixedOffset>>,
    pub first_response_at: Option<DateTime<FixedOffset>>,
    pub response_channel: Option<String>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    pub reach: Option<u64>,
    pub tags: Vec<String>,
    pub plans: Vec<String>,
    pub related: Vec<String>,
    pub typical: bool,
    pub visibility: Visibility,
    pub timeline: Vec<TimelineEntry>,
    pub documents: Vec<DocumentRef>,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub at: DateTime<FixedOffset>,
    pub stage: String,
    pub note: String,
}

/// 关联文书: a document issued or received about the incident.
#[derive(Debug, Clone)]
pub struct DocumentRef {
    pub kind: String,
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
}

pub const FIELDS: &[FieldSpec] = &[
    ("id", "编号"),
    ("title", "事件名称"),
    ("category", "舆情类别"),
    ("department", "责任单位"),
    ("discovered_at", "发现时间"),
    ("sentiment", "情感倾向"),
    ("warning", "预警颜色"),
    ("level", "响应级别"),
    ("status", "处置状态"),
    ("region", "属地"),
    ("platforms", "传播平台"),
    ("first_platform", "首发平台"),
    ("first_published_at", "首发时间"),
    ("reported_at", "报送时间"),
    ("first_response_at", "首次回应时间"),
    ("response_channel", "回应方式"),
    ("closed_at", "办结时间"),
    ("reach", "传播量"),
    ("tags", "标签"),
    ("plans", "启动预案"),
    ("related", "关联案例"),
    ("typical", "典型案例"),
    ("audience", "公开范围"),
    ("draft", "草稿"),
    ("timeline", "处置时间线"),
    ("documents", "关联文书"),
];

pub const TIMELINE_FIELDS: &[FieldSpec] = &[("at", "时间"), ("stage", "阶段"), ("note", "说明")];
pub const DOCUMENT_FIELDS: &[FieldSpec] =
    &[("kind", "文书类型"), ("number", "文号"), ("date", "日期")];

/// The times that must be in this order when present (checked in `check`).
pub const TIME_ORDER: &[(&str, &str)] = &[
    ("first_published_at", "首发时间"),
    ("discovered_at", "发现时间"),
    ("reported_at", "报送时间"),
    ("first_response_at", "首次回应时间"),
    ("closed_at", "办结时间"),
];

impl Record {
    pub fn read(f: &mut Fields, config: &Config, origin: Origin, body: Body) -> Option<Record> {
        let id = f.parsed(
            "id",
            |s| {
                let usable = crate::names::valid_id(s) && !crate::names::reserved_record_id(s);
                usable.then(|| s.to_owned())
            },
            Key::AValidId,
            Key::IdHint,
        );
        if id.is_none() && !f.has("id") {
            f.missing("id", "\"YQ-2024-0031\"");
        }
        let title = f.required_string("title", "\"梅山港夜间施工噪音投诉\"");
        let category = if f.has("category") {
            f.choice("category", &config.category_names())
        } else {
            f.missing("category", "\"问题类\"");
            None
        };
        let department = f.required_string("department", "\"县住建局\"");
        let discovered_at = f.required_datetime("discovered_at");
        let timeline = f.tables("timeline", TIMELINE_FIELDS, |t| {
            let at = t.required_datetime("at");
            let stage = if t.has("stage") {
                t.choice("stage", vocab::STAGES)
            } else {
                t.missing("stage", "\"处置\"");
                None
            };
            let note = t.string("note").unwrap_or_default();
            Some(TimelineEntry {
                at: at?,
                stage: stage?,
                note,
            })
        });
        let documents = f.tables("documents", DOCUMENT_FIELDS, |d| {
            let kind = d.required_string("kind", "\"情况说明\"");
            Some(DocumentRef {
                kind: kind?,
                number: d.string("number"),
                date: d.date("date"),
            })
        });
        let record = Record {
            sentiment: f.choice("sentiment", vocab::SENTIMENTS),
            warning: f.choice("warning", vocab::WARNINGS),
            level: f.choice("level", vocab::LEVELS),
            status: f
                .choice("status", vocab::STATUSES)
                .unwrap_or_else(|| vocab::STATUSES[0].to_owned()),
            region: f.string("region"),
            platforms: f.string_list("platforms"),
            first_platform: f.string("first_platform"),
            first_published_at: f.datetime("first_published_at"),
            reported_at: f.datetime("reported_at"),
            first_response_at: f.datetime("first_response_at"),
            response_channel: f.string("response_channel"),
            closed_at: f.datetime("closed_at"),
            reach: f.count("reach"),
            tags: f.string_list("tags"),
            plans: f.string_list("plans"),
            related: f.string_list("related"),
            typical: f.bool("typical").unwrap_or(false),
            visibility: Visibility::read(f, config),
            timeline,
            documents,
            body,
            origin,
            id: id?,
            title: title?,
            category: category?,
            department: department?,
            discovered_at: discovered_at?,
        };
        Some(record)
    }

    /// 首发平台: the named one, else the first of `platforms`.
    pub fn first_platform(&self) -> Option<&str> {
        self.first_platform
            .as_deref()
            .or_else(|| self.platforms.first().map(String::as_str))
    }

    pub fn is_closed(&self) -> bool {
        self.status == vocab::CLOSED
    }

    /// The value of one of the [`TIME_ORDER`] fields.
    pub fn time(&self, field: &str) -> Option<DateTime<FixedOffset>> {
        match field {
            "first_published_at" => self.first_published_at,
            "discovered_at" => Some(self.discovered_at),
            "reported_at" => self.reported_at,
            "first_response_at" => self.first_response_at,
            "closed_at" => self.closed_at,
            _ => None,
        }
    }
}
