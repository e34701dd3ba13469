//! The kinds of document the desk edits — records, plans, summaries — and what the form needs
//! to know of each field: what kind of value it holds, whether it is required, its help.

use std::path::{Component, Path, PathBuf};

use crate::content::{plan, record, summary};
use crate::fields::FieldSpec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Record,
    Plan,
    Summary,
}

/// What a field holds, which decides its input and how its text is written as TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    /// A date and time (`datetime-local`), written with the site's offset.
    DateTime,
    /// A calendar date.
    Date,
    /// A whole number.
    Number,
    /// true or false (a checkbox).
    Flag,
    /// A list of words, typed joined with 、 or chosen from a list.
    List,
}

impl DocKind {
    /// `case`, `plan` or `summary`, as `/_casebook/new?kind=` names them.
    pub fn named(name: &str) -> Option<DocKind> {
        match name {
            "" | "case" => Some(DocKind::Record),
            "plan" => Some(DocKind::Plan),
            "summary" => Some(DocKind::Summary),
            _ => None,
        }
    }

    /// The kind of the document file `rel` (relative to the library), if the desk edits it:
    /// a Markdown file under `cases/`, or directly in `content/plans/` or `content/summaries/`.
    pub fn of_path(rel: &Path) -> Option<DocKind> {
        let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || rel.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let parent = rel.parent()?;
        if rel.starts_with("cases") {
            Some(DocKind::Record)
        } else if parent == Path::new("content/plans") {
            Some(DocKind::Plan)
        } else if parent == Path::new("content/summaries") {
            Some(DocKind::Summary)
        } else {
            None
        }
    }

    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            DocKind::Record => record::FIELDS,
            DocKind::Plan => plan::FIELDS,
            DocKind::Summary => summary::FIELDS,
        }
    }

    /// The arrays of tables the form shows as rows: key, Chinese name, their fields.
    pub fn tables(self) -> &'static [(&'static str, &'static str, &'static [FieldSpec])] {
        match self {
            DocKind::Record => &[
                ("timeline", "处置时间线", record::TIMELINE_FIELDS),
                ("documents", "关联文书", record::DOCUMENT_FIELDS),
            ],
            DocKind::Plan | DocKind::Summary => &[],
        }
    }

    /// The field that names the file: a record's id is numbered by the desk, a plan's id and
    /// a summary's period are typed by the clerk.
    pub fn key_field(self) -> &'static str {
        match self {
            DocKind::Record | DocKind::Plan => "id",
            DocKind::Summary => "period",
        }
    }

    /// The file of a new document whose key field is `key`.
    pub fn file(self, key: &str, year: &str) -> PathBuf {
        match self {
            DocKind::Record => Path::new("cases").join(year).join(format!("{key}.md")),
            DocKind::Plan => Path::new("content/plans").join(format!("{key}.md")),
            DocKind::Summary => Path::new("content/summaries").join(format!("{key}.md")),
        }
    }

    /// The site page of the document whose key field is `key`.
    pub fn page(self, key: &str) -> String {
        use crate::render::views::urls;
        match self {
            DocKind::Record => urls::case(key),
            DocKind::Plan => urls::plan(key),
            DocKind::Summary => urls::summary(key),
        }
    }

    /// 事件 / 预案 / 舆情分析.
    pub fn noun(self) -> &'static str {
        match self {
            DocKind::Record => "事件",
            DocKind::Plan => "预案",
            DocKind::Summary => "舆情分析",
        }
    }

    pub fn required(self, key: &str) -> bool {
        match self {
            DocKind::Record => matches!(key, "title" | "category" | "department" | "discovered_at"),
            DocKind::Plan => matches!(key, "id" | "title" | "status" | "issued"),
            DocKind::Summary => key == "period",
        }
    }

    pub fn value_kind(self, key: &str) -> ValueKind {
        match (self, key) {
            (_, "at") => ValueKind::DateTime,
            (_, "date") => ValueKind::Date,
            (DocKind::Record, k) if record::TIME_ORDER.iter().any(|(f, _)| *f == k) => {
                ValueKind::DateTime
            }
            (DocKind::Record, "reach")
            | (DocKind::Plan, "review_cycle_years")
            | (DocKind::Summary, "issue_no" | "monitored_posts") => ValueKind::Number,
            (DocKind::Record, "typical") => ValueKind::Flag,
            (DocKind::Record, "platforms" | "tags" | "plans" | "related")
            | (DocKind::Plan, "applies_to")
            | (DocKind::Summary, "key_cases") => ValueKind::List,
            (DocKind::Plan, "issued" | "effective" | "abolished" | "last_reviewed")
            | (DocKind::Summary, "published") => ValueKind::Date,
            _ => ValueKind::Text,
        }
    }

    /// The help under a field.
    pub fn help(self, key: &str) -> &'static str {
        match (self, key) {
            (DocKind::Record, "title") => "一句话说清事件，如“梅山港夜间施工噪音投诉”。",
            (DocKind::Record, "category") => "决定处置原则和回应时限。",
            (DocKind::Record, "department") => "负责处置和回应的单位。",
            (DocKind::Record, "discovered_at") => "本单位发现这条舆情的时间。",
            (DocKind::Record, "sentiment") => "网民情绪的总体倾向。",
            (DocKind::Record, "warning") => "红、橙、黄、蓝四级预警。",
            (DocKind::Record, "level") => "启动的应急响应级别。",
            (DocKind::Record, "status") => "监测中、研判中、处置中或已办结。",
            (DocKind::Record, "region") => "事件发生的乡镇、街道。",
            (DocKind::Record, "platforms") => "传播的平台，多个用“、”分隔。",
            (DocKind::Record, "first_platform") => "最早出现的平台。",
            (DocKind::Record, "first_published_at") => "原帖发布的时间。",
            (DocKind::Record, "reported_at") => "向上级报送的时间。",
            (DocKind::Record, "first_response_at") => "首次公开回应的时间；与回应时限比较。",
            (DocKind::Record, "response_channel") => "如“官方微博”“情况通报”。",
            (DocKind::Record, "closed_at") => "处置完毕的时间；已办结时必填。",
            (DocKind::Record, "reach") => "阅读、转发等的总量，写整数。",
            (DocKind::Record, "tags") => "便于检索的标签，多个用“、”分隔。",
            (DocKind::Record, "plans") => "本事件启动的应急预案（按住 Ctrl 可多选）。",
            (DocKind::Record, "related") => "相似或相关的既往案例编号，多个用“、”分隔。",
            (DocKind::Record, "typical") => "列入典型案例。",
            (DocKind::Plan, "id") => "小写字母、数字和 -，如 dept-response-plan；也是文件名。",
            (DocKind::Plan, "title") => "预案的正式名称。",
            (DocKind::Plan, "status") => "有效、修订中或废止。",
            (DocKind::Plan, "issued") => "印发的日期。",
            (DocKind::Plan, "supersedes") => "这份预案替代的旧预案。",
            (DocKind::Plan, "abolished") => "废止时必填。",
            (DocKind::Plan, "review_cycle_years") => "每几年评估一次。",
            (DocKind::Plan, "applies_to") => "适用的舆情类别（按住 Ctrl 可多选）。",
            (DocKind::Summary, "period") => {
                "月写成 2024-03，季度写成 2024-Q1，年写成 2024；也是文件名。"
            }
            (DocKind::Summary, "title") => "不填则为“某年某月网络舆情分析”。",
            (DocKind::Summary, "issue_no") => "第几期，写整数。",
            (DocKind::Summary, "key_cases") => "本期重点舆情的记录编号，多个用“、”分隔。",
            (_, "audience") => "谁能看到；不填则按 casebook.toml 的 default_audience。",
            _ => "",
        }
    }
}
