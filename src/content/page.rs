//! Free pages (`content/*.md`): 关于本库, 工作制度 and the like.

use super::{Body, Origin, Visibility};
use crate::config::Config;
use crate::fields::{FieldSpec, Fields};

#[derive(Debug, Clone)]
pub struct Page {
    pub origin: Origin,
    /// File stem, used as the page's file name.
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    /// Order in the navigation (smaller first).
    pub weight: u64,
    pub visibility: Visibility,
    pub body: Body,
}

pub const FIELDS: &[FieldSpec] = &[
    ("title", "标题"),
    ("description", "说明"),
    ("weight", "排序"),
    ("audience", "公开范围"),
    ("draft", "草稿"),
];

impl Page {
    pub fn read(
        f: &mut Fields,
        config: &Config,
        name: String,
        origin: Origin,
        body: Body,
    ) -> Option<Page> {
        let title = f.required_string("title", "\"关于本库\"");
        Some(Page {
            description: f.string("description"),
            weight: f.count("weight").unwrap_or(100),
            visibility: Visibility::read(f, config),
            title: title?,
            name,
            origin,
            body,
        })
    }
}
