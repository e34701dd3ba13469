//! Which column of a ledger fills which part of a record: the header row is found among the
//! first rows (ledgers put a merged title row above it), and each header is matched by the
//! names county ledgers use, or by `[import.columns]` in casebook.toml.

use super::table::{Cell, Sheet};
use crate::config::ImportRules;
use crate::content::record;
use crate::messages::Message;
use crate::msg;

/// What a column fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A front-matter field of the record (`department`).
    Field(&'static str),
    /// A section of the record's body (`## 处置经过`).
    Section(&'static str),
    /// Nothing: the ledger's own row number (序号).
    Skip,
}

/// Body sections a ledger's free-text columns become, in the order they are written.
pub const SECTIONS: &[&str] = &["事件概况", "原帖链接", "处置经过", "备注"];

/// Header names seen in county ledgers, normalised as [`normalise`] does.
const SYNONYMS: &[(&str, Target)] = &[
    ("序号", Target::Skip),
    ("编号", Target::Field("id")),
    ("事件编号", Target::Field("id")),
    ("舆情编号", Target::Field("id")),
    ("标题", Target::Field("title")),
    ("舆情标题", Target::Field("title")),
    ("事件名称", Target::Field("title")),
    ("事件标题", Target::Field("title")),
    ("舆情事件", Target::Field("title")),
    ("发现时间", Target::Field("discovered_at")),
    ("监测时间", Target::Field("discovered_at")),
    ("发现日期", Target::Field("discovered_at")),
    ("监测日期", Target::Field("discovered_at")),
    ("发布时间", Target::Field("first_published_at")),
    ("首发时间", Target::Field("first_published_at")),
    ("发帖时间", Target::Field("first_published_at")),
    ("发布平台", Target::Field("platforms")),
    ("来源", Target::Field("platforms")),
    ("来源平台", Target::Field("platforms")),
    ("传播平台", Target::Field("platforms")),
    ("平台", Target::Field("platforms")),
    ("媒体", Target::Field("platforms")),
    ("首发平台", Target::Field("first_platform")),
    ("链接", Target::Section("原帖链接")),
    ("原帖链接", Target::Section("原帖链接")),
    ("网址", Target::Section("原帖链接")),
    ("责任单位", Target::Field("department")),
    ("涉事单位", Target::Field("department")),
    ("处置单位", Target::Field("department")),
    ("承办单位", Target::Field("department")),
    ("交办单位", Target::Field("department")),
    ("涉及领域", Target::Field("tags")),
    ("领域", Target::Field("tags")),
    ("标签", Target::Field("tags")),
    ("舆情类别", Target::Field("category")),
    ("类别", Target::Field("category")),
    ("类型", Target::Field("category")),
    ("舆情类型", Target::Field("category")),
    ("事件类型", Target::Field("category")),
    ("预警等级", Target::Field("warning")),
    ("预警级别", Target::Field("warning")),
    ("预警颜色", Target::Field("warning")),
    ("响应级别", Target::Field("level")),
    ("响应等级", Target::Field("level")),
    ("情感倾向", Target::Field("sentiment")),
    ("倾向", Target::Field("sentiment")),
    ("倾向性", Target::Field("sentiment")),
    ("处置状态", Target::Field("status")),
    ("办理状态", Target::Field("status")),
    ("状态", Target::Field("status")),
    ("属地", Target::Field("region")),
    ("区域", Target::Field("region")),
    ("地区", Target::Field("region")),
    ("所属乡镇", Target::Field("region")),
    ("交办时间", Target::Field("reported_at")),
    ("报送时间", Target::Field("reported_at")),
    ("首回时间", Target::Field("first_response_at")),
    ("首次回应时间", Target::Field("first_response_at")),
    ("回应时间", Target::Field("first_response_at")),
    ("回复时间", Target::Field("first_response_at")),
    ("回应方式", Target::Field("response_channel")),
    ("办结时间", Target::Field("closed_at")),
    ("关注量", Target::Field("reach")),
    ("阅读量", Target::Field("reach")),
    ("浏览量", Target::Field("reach")),
    ("传播量", Target::Field("reach")),
    ("原帖摘要", Target::Section("事件概况")),
    ("内容摘要", Target::Section("事件概况")),
    ("摘要", Target::Section("事件概况")),
    ("主要内容", Target::Section("事件概况")),
    ("事件概况", Target::Section("事件概况")),
    ("舆情概况", Target::Section("事件概况")),
    ("处置情况", Target::Section("处置经过")),
    ("办结回复摘要", Target::Section("处置经过")),
    ("处置经过", Target::Section("处置经过")),
    ("处置结果", Target::Section("处置经过")),
    ("回复内容", Target::Section("处置经过")),
    ("备注", Target::Section("备注")),
];

/// The fields a ledger column may fill: the record's own, minus those a table cannot hold.
fn importable(field: &str) -> Option<&'static str> {
    record::FIELDS
        .iter()
        .find(|(k, label)| {
            (*k == field || *label == field)
                && !matches!(*k, "timeline" | "documents" | "audience" | "draft")
        })
        .map(|(k, _)| *k)
}

/// A header as compared: no spaces or line breaks, no `*` marking a required column, no
/// trailing note in brackets (发现时间（年月日） → 发现时间).
pub fn normalise(header: &str) -> String {
    let mut s: String = header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect();
    for open in ['（', '('] {
        if let Some(at) = s.find(open) {
            if at > 0 {
                s.truncate(at);
            }
        }
    }
    s
}

/// What `[import.columns]` or the built-in names make of a header.
pub fn target(header: &str, rules: &ImportRules) -> Result<Option<Target>, Message> {
    let header = normalise(header);
    if header.is_empty() {
        return Ok(None);
    }
    if let Some((_, to)) = rules
        .columns
        .iter()
        .find(|(from, _)| normalise(from) == header)
    {
        return configured(to).map(Some).ok_or_else(|| {
            msg!(
                BadColumnTarget,
                header = &header,
                to = to,
                sections = SECTIONS.join("、")
            )
        });
    }
    Ok(SYNONYMS
        .iter()
        .find(|(name, _)| *name == header)
        .map(|(_, t)| t.clone()))
}

fn configured(to: &str) -> Option<Target> {
    if matches!(to, "忽略" | "ignore") {
        return Some(Target::Skip);
    }
    if let Some(section) = SECTIONS.iter().find(|s| **s == to) {
        return Some(Target::Section(section));
    }
    importable(to).map(Target::Field)
}

/// The header row found in a sheet and what each of its columns fills (`None`: kept under
/// 其他信息 with its header).
#[derive(Debug)]
pub struct Header {
    pub row: usize,
    pub names: Vec<String>,
    pub targets: Vec<Option<Target>>,
}

/// How many rows from the top the header row is looked for in.
const HEADER_SEARCH_ROWS: usize = 30;

/// The row among the first [`HEADER_SEARCH_ROWS`] that names the most known columns (at
/// least three, one of them the title), or why there is none.
pub fn find_header(sheet: &Sheet, rules: &ImportRules) -> Result<Header, Message> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let targets: Vec<Option<Target>> = row
            .iter()
            .map(|c| target(&c.text(), rules).ok().flatten())
            .collect();
        let known = targets.iter().filter(|t| t.is_some()).count();
        let has_title = targets.contains(&Some(Target::Field("title")));
        if known >= 3 && has_title && best.is_none_or(|(_, k)| known > k) {
            best = Some((i, known));
        }
    }
    let Some((row, _)) = best else {
        return Err(msg!(NoHeaderRow, rows = HEADER_SEARCH_ROWS));
    };
    let cells: &[Cell] = &sheet.rows[row];
    let names: Vec<String> = cells.iter().map(Cell::text).collect();
    let mut targets = Vec::new();
    for name in &names {
        targets.push(target(name, rules)?);
    }
    Ok(Header {
        row,
        names,
        targets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_as_ledgers_write_them() {
        let rules = ImportRules {
            columns: vec![
                ("涉事镇街".into(), "region".into()),
                ("舆情来源".into(), "传播平台".into()),
                ("跟帖数".into(), "忽略".into()),
            ],
            ..Default::default()
        };
        let t = |h: &str| target(h, &rules).unwrap();
        assert_eq!(
            t("发现时间（年月日）"),
            Some(Target::Field("discovered_at"))
        );
        assert_eq!(t(" 舆情\n标题 *"), Some(Target::Field("title")));
        assert_eq!(t("涉事镇街"), Some(Target::Field("region")));
        assert_eq!(t("舆情来源"), Some(Target::Field("platforms")));
        assert_eq!(t("跟帖数"), Some(Target::Skip));
        assert_eq!(t("办结回复摘要"), Some(Target::Section("处置经过")));
        assert_eq!(t("评论数"), None);
        let wrong = ImportRules {
            columns: vec![("涉事镇街".into(), "乡镇".into())],
            ..Default::default()
        };
        assert!(target("涉事镇街", &wrong).is_err());
    }
}
