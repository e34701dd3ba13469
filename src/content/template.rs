//! 预案模板 / 记录模板: ready-to-fill documents (`content/plan-templates/*.md`).

use super::{vocab, Body, Origin};
use crate::fields::{FieldSpec, Fields};

#[derive(Debug, Clone)]
pub struct Template {
    pub origin: Origin,
    /// File stem: the name `new --template NAME` takes and the download's file name.
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub scaffolds: Option<String>,
    /// The whole file as written, offered as the download.
    pub raw: String,
    pub body: Body,
}

pub const FIELDS: &[FieldSpec] = &[
    ("title", "标题"),
    ("description", "说明"),
    ("scaffolds", "用途"),
];

impl Template {
    pub fn read(
        f: &mut Fields,
        name: String,
        raw: String,
        origin: Origin,
        body: Body,
    ) -> Option<Template> {
        let title = f.required_string("title", "\"部门网络舆情应急预案模板\"");
        Some(Template {
            description: f.string("description"),
            scaffolds: f.choice("scaffolds", vocab::SCAFFOLDS),
            title: title?,
            name,
            raw,
            origin,
            body,
        })
    }
}
