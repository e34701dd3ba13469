//! The load stage: library files become typed documents, each problem a diagnostic.

pub mod frontmatter;
pub mod load;
pub mod page;
pub mod personal;
pub mod plan;
pub mod record;
pub mod summary;
pub mod template;

use crate::diag::Diagnostic;
use crate::messages::Message;
use std::path::PathBuf;

use crate::fields::{self, Positions};

/// Where a document came from: its path relative to the library and where its fields are.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: PathBuf,
    pub positions: Positions,
}

impl Origin {
    /// An error about one of the document's fields (e.g. `status`, `plans[1]`).
    pub fn error(&self, field: &str, message: impl Into<Message>) -> Diagnostic {
        self.about(
            field,
            Diagnostic::error(&self.path, self.positions.of(field), message),
        )
    }

    pub fn warning(&self, field: &str, message: impl Into<Message>) -> Diagnostic {
        self.about(
            field,
            Diagnostic::warning(&self.path, self.positions.of(field), message),
        )
    }

    fn about(&self, field: &str, d: Diagnostic) -> Diagnostic {
        Diagnostic {
            field: Some(field.to_owned()),
            ..d
        }
    }
}

/// The Markdown body of a document, kept raw: rendering is the render stage's job.
#[derive(Debug, Clone)]
pub struct Body {
    pub markdown: String,
    /// Line of the file on which the body starts, for messages about the body.
    pub line: usize,
    /// The text of its headings, in order (what the lints look for sections by).
    pub headings: Vec<String>,
}

/// 公开范围 and 草稿: who may see a document, and whether it is published at all.
#[derive(Debug, Clone)]
pub struct Visibility {
    pub audience: String,
    pub draft: bool,
}

/// Vocabularies fixed by the content format.
pub mod vocab {
    pub const SENTIMENTS: &[&str] = &["正面", "中性", "负面"];
    /// Warning colours, most severe first.
    pub const WARNINGS: &[&str] = &["红", "橙", "黄", "蓝"];
    /// Response levels, highest first.
    pub const LEVELS: &[&str] = &["一级", "二级", "三级"];
    pub const STATUSES: &[&str] = &["监测中", "研判中", "处置中", "已办结"];
    pub const CLOSED: &str = "已办结";
    pub const STAGES: &[&str] = &["监测", "研判", "处置", "发布", "评估"];
    pub const PLAN_STATUSES: &[&str] = &["有效", "修订中", "废止"];
    pub const VALID_PLAN: &str = "有效";
    pub const ABOLISHED: &str = "废止";
    pub const PLAN_TYPES: &[&str] = &[
        "总体预案",
        "专项预案",
        "部门预案",
        "单位预案",
        "现场处置方案",
    ];
    pub const SCAFFOLDS: &[&str] = &["plan", "case", "summary"];
}

impl Visibility {
    /// `audience` (default: the site's `default_audience`) and `draft` (default false).
    pub fn read(f: &mut fields::Fields, config: &crate::config::Config) -> Visibility {
        Visibility {
            audience: f
                .choice("audience", &config.audiences)
                .unwrap_or_else(|| config.default_audience.clone()),
            draft: f.bool("draft").unwrap_or(false),
        }
    }
}
