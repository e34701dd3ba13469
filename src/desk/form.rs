//! The record form: every field of the format with its Chinese label and help, the
//! library's vocabulary as choices and its values as suggestions, filled from the file as it
//! is on disk (even a record with errors, as long as its front matter is TOML).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use toml_edit::{DocumentMut, Item, Value};

use super::save::{fingerprint, Row};
use crate::config::Config;
use crate::content::load::Loaded;
use crate::content::record::{self, FIELDS};
use crate::content::vocab;
use crate::diag::SourceText;
use crate::render::site::escape_html as esc;

/// What the form starts from: the record's file (none for a new record), its fingerprint, the
/// values of its fields as text, its rows and its body.
#[derive(Default)]
pub struct Start {
    pub path: Option<String>,
    pub base: Option<String>,
    pub id: String,
    pub values: Row,
    pub timeline: Vec<Row>,
    pub documents: Vec<Row>,
    pub body: String,
}

/// The form for the record at `rel`, read from disk; none when it is not a readable record.
pub fn existing(root: &Path, rel: &Path, config: &Config) -> Option<Start> {
    let bytes = std::fs::read(root.join(rel)).ok()?;
    let text = String::from_utf8(bytes.clone()).ok()?;
    let src = SourceText::new(rel, text.clone());
    let split = crate::content::frontmatter::split(&src).ok()?;
    let doc: DocumentMut = split.toml.parse().ok()?;
    let mut start = Start {
        path: Some(rel.to_string_lossy().replace('\\', "/")),
        base: Some(fingerprint(&bytes)),
        body: split.body.trim().to_owned(),
        ..Start::default()
    };
    for (key, item) in doc.iter() {
        match (key, item) {
            ("timeline" | "documents", Item::ArrayOfTables(rows)) => {
                let rows = rows_of(rows, config);
                match key {
                    "timeline" => start.timeline = rows,
                    _ => start.documents = rows,
                }
            }
            (_, Item::Value(v)) => {
                start.values.insert(key.to_owned(), text_of(v, config));
            }
            _ => {}
        }
    }
    start.id = start.values.get("id").cloned().unwrap_or_default();
    Some(start)
}

/// The rows of `[[timeline]]` or `[[documents]]` as the form shows them.
pub(super) fn rows_of(rows: &toml_edit::ArrayOfTables, config: &Config) -> Vec<Row> {
    rows.iter()
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| Some((k.to_owned(), text_of(v.as_value()?, config))))
                .filter(|(_, v)| !v.is_empty())
                .collect()
        })
        .collect()
}

/// A value as the form's input shows it: lists joined with 、, times as `datetime-local`
/// wants them (in the site's timezone).
pub(super) fn text_of(value: &Value, config: &Config) -> String {
    match value {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => {
            let toml: Option<toml::value::Datetime> = d.value().to_string().parse().ok();
            match toml
                .as_ref()
                .map(|t| (t, crate::fields::to_datetime(t, config.timezone)))
            {
                Some((_, Ok(t))) => t
                    .with_timezone(&config.timezone)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string(),
                Some((t, Err(_))) => t.to_string(),
                None => d.value().to_string(),
            }
        }
        Value::Array(a) => a
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string().trim().to_owned(),
    }
}

/// The help under each field.
fn help(field: &str) -> &'static str {
    match field {
        "title" => "一句话说清事件，如“梅山港夜间施工噪音投诉”。",
        "category" => "决定处置原则和回应时限。",
        "department" => "负责处置和回应的单位。",
        "discovered_at" => "本单位发现这条舆情的时间。",
        "sentiment" => "网民情绪的总体倾向。",
        "warning" => "红、橙、黄、蓝四级预警。",
        "level" => "启动的应急响应级别。",
        "status" => "监测中、研判中、处置中或已办结。",
        "region" => "事件发生的乡镇、街道。",
        "platforms" => "传播的平台，多个用“、”分隔。",
        "first_platform" => "最早出现的平台。",
        "first_published_at" => "原帖发布的时间。",
        "reported_at" => "向上级报送的时间。",
        "first_response_at" => "首次公开回应的时间；与回应时限比较。",
        "response_channel" => "如“官方微博”“情况通报”。",
        "closed_at" => "处置完毕的时间；已办结时必填。",
        "reach" => "阅读、转发等的总量，写整数。",
        "tags" => "便于检索的标签，多个用“、”分隔。",
        "plans" => "本事件启动的应急预案。",
        "related" => "相似或相关的既往案例编号，多个用“、”分隔。",
        "typical" => "列入典型案例。",
        "audience" => "谁能看到这条记录。",
        _ => "",
    }
}

/// Values the library already uses for `field`, as suggestions.
fn used(loaded: &Loaded, field: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for r in &loaded.records {
        match field {
            "department" => {
                out.insert(r.department.clone());
            }
            "region" => out.extend(r.region.clone()),
            "platforms" | "first_platform" => out.extend(r.platforms.iter().cloned()),
            "tags" => out.extend(r.tags.iter().cloned()),
            "response_channel" => out.extend(r.response_channel.clone()),
            _ => {}
        }
    }
    out
}

/// The whole form page.
pub fn page(start: &Start, config: &Config, loaded: &Loaded, token: &str) -> String {
    let mut h = String::new();
    let title = if start.path.is_some() {
        format!("编辑 {}", start.id)
    } else {
        "新建事件".to_owned()
    };
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} - {}</title><style>{}</style></head><body><main><h1>{}</h1>",
        esc(&title),
        esc(&config.title),
        include_str!("desk.css"),
        esc(&title)
    );
    let _ = write!(
        h,
        "<form id=\"desk\" novalidate data-token=\"{}\" data-path=\"{}\" data-base=\"{}\">",
        esc(token),
        esc(start.path.as_deref().unwrap_or("")),
        esc(start.base.as_deref().unwrap_or(""))
    );
    h.push_str("<div id=\"problems\" role=\"alert\" aria-live=\"assertive\"></div>");
    let id_text = match &start.path {
        Some(_) => start.id.clone(),
        None => "保存时自动取下一个编号".to_owned(),
    };
    let _ = write!(
        h,
        "<p class=\"field\"><span class=\"label\">编号（id）</span> <output>{}</output></p>",
        esc(&id_text)
    );
    for (key, label) in FIELDS {
        if matches!(*key, "id" | "draft" | "timeline" | "documents") {
            continue;
        }
        field(&mut h, key, label, start, config, loaded);
    }
    rows(
        &mut h,
        "timeline",
        "处置时间线",
        record::TIMELINE_FIELDS,
        &start.timeline,
    );
    rows(
        &mut h,
        "documents",
        "关联文书",
        record::DOCUMENT_FIELDS,
        &start.documents,
    );
    let body = if start.path.is_some() {
        start.body.clone()
    } else {
        crate::scaffold::case_body(loaded)
    };
    let _ = write!(
        h,
        "<div class=\"field\" id=\"field-body\"><label for=\"in-body\">正文（Markdown）</label><p class=\"help\" id=\"help-body\">用“## 事件概况”这样的标题分节。</p><textarea id=\"in-body\" name=\"body\" rows=\"18\" aria-describedby=\"help-body problem-body\">{}</textarea><p class=\"problem\" id=\"problem-body\"></p><section id=\"preview\" aria-live=\"polite\" aria-label=\"正文预览\"><h2>预览</h2><div id=\"preview-body\"></div></section></div>",
        esc(&body)
    );
    h.push_str("<div class=\"actions\"><button type=\"submit\" name=\"save\" value=\"final\">保存</button> <button type=\"submit\" name=\"save\" value=\"draft\">保存为草稿</button> <a href=\"/\">取消</a></div>");
    h.push_str("<div id=\"conflict\" hidden><p role=\"alert\">文件在打开表单之后被修改过，没有保存。你填写的内容还在表单里；下面是文件现在的内容，可以对照后重新打开表单。</p><pre id=\"disk\"></pre></div>");
    h.push_str("</form></main><script src=\"/_casebook/desk.js\"></script></body></html>");
    h
}

fn field(h: &mut String, key: &str, label: &str, start: &Start, config: &Config, loaded: &Loaded) {
    let value = start
        .values
        .get(key)
        .map(String::as_str)
        .unwrap_or_default();
    let id = format!("in-{key}");
    let required = matches!(key, "title" | "category" | "department" | "discovered_at");
    let _ = write!(
        h,
        "<div class=\"field\" id=\"field-{key}\"><label for=\"{id}\">{}（{key}）{}</label><p class=\"help\" id=\"help-{key}\">{}</p>",
        esc(label),
        if required { "<span class=\"required\">必填</span>" } else { "" },
        esc(help(key))
    );
    let described = format!(
        "aria-describedby=\"help-{key} problem-{key}\"{}",
        if required {
            " aria-required=\"true\""
        } else {
            ""
        }
    );
    let choices: Option<Vec<(String, String)>> = match key {
        "category" => Some(
            config
                .categories
                .iter()
                .map(|c| {
                    (
                        c.name.clone(),
                        format!("{}（回应时限 {}；{}）", c.name, c.deadline, c.principle),
                    )
                })
                .collect(),
        ),
        "sentiment" => Some(words(vocab::SENTIMENTS)),
        "warning" => Some(words(vocab::WARNINGS)),
        "level" => Some(words(vocab::LEVELS)),
        "status" => Some(words(vocab::STATUSES)),
        "audience" => Some(
            config
                .audiences
                .iter()
                .map(|a| (a.clone(), a.clone()))
                .collect(),
        ),
        "plans" => Some(
            loaded
                .plans
                .iter()
                .map(|p| (p.id.clone(), format!("{} {}", p.id, p.title)))
                .collect(),
        ),
        _ => None,
    };
    if key == "plans" {
        let chosen: Vec<&str> = value.split('、').collect();
        let _ = write!(
            h,
            "<select id=\"{id}\" name=\"{key}\" multiple size=\"4\" {described}>"
        );
        for (v, shown) in choices.unwrap_or_default() {
            let selected = if chosen.contains(&v.as_str()) {
                " selected"
            } else {
                ""
            };
            let _ = write!(
                h,
                "<option value=\"{}\"{selected}>{}</option>",
                esc(&v),
                esc(&shown)
            );
        }
        h.push_str("</select>");
    } else if let Some(choices) = choices {
        let _ = write!(
            h,
            "<select id=\"{id}\" name=\"{key}\" {described}><option value=\"\">（不填）</option>"
        );
        let mut found = value.is_empty();
        for (v, shown) in choices {
            let selected = if v == value {
                found = true;
                " selected"
            } else {
                ""
            };
            let _ = write!(
                h,
                "<option value=\"{}\"{selected}>{}</option>",
                esc(&v),
                esc(&shown)
            );
        }
        if !found {
            // A value the vocabulary does not know is kept, for the checks to explain.
            let _ = write!(
                h,
                "<option value=\"{}\" selected>{}</option>",
                esc(value),
                esc(value)
            );
        }
        h.push_str("</select>");
    } else if key == "typical" {
        let checked = if value == "true" { " checked" } else { "" };
        let _ = write!(h, "<input type=\"checkbox\" id=\"{id}\" name=\"{key}\" value=\"true\"{checked} {described}>");
    } else {
        let kind = if record::TIME_ORDER.iter().any(|(f, _)| *f == key) {
            "datetime-local"
        } else if key == "reach" {
            "number\" min=\"0\" step=\"1"
        } else {
            "text"
        };
        let suggestions = match key {
            "related" => loaded.records.iter().map(|r| r.id.clone()).collect(),
            _ => used(loaded, key),
        };
        let list = if suggestions.is_empty() {
            String::new()
        } else {
            let _ = write!(h, "<datalist id=\"list-{key}\">");
            for s in &suggestions {
                let _ = write!(h, "<option value=\"{}\">", esc(s));
            }
            h.push_str("</datalist>");
            format!(" list=\"list-{key}\"")
        };
        let _ = write!(
            h,
            "<input type=\"{kind}\" id=\"{id}\" name=\"{key}\" value=\"{}\"{list} {described}>",
            esc(value)
        );
    }
    let _ = write!(h, "<p class=\"problem\" id=\"problem-{key}\"></p></div>");
}

fn words(list: &[&str]) -> Vec<(String, String)> {
    list.iter()
        .map(|w| ((*w).to_owned(), (*w).to_owned()))
        .collect()
}

/// `[[timeline]]` or `[[documents]]` as rows with inputs named `timeline.at` …, a template row
/// for 添加一行, and a remove button on each.
fn rows(
    h: &mut String,
    table: &str,
    label: &str,
    spec: &[crate::fields::FieldSpec],
    given: &[Row],
) {
    let _ = write!(
        h,
        "<fieldset class=\"rows\" id=\"field-{table}\" data-table=\"{table}\"><legend>{}（{table}）</legend><p class=\"problem\" id=\"problem-{table}\"></p><ol>",
        esc(label)
    );
    for row in given {
        one_row(h, table, spec, Some(row));
    }
    h.push_str("</ol><template>");
    one_row(h, table, spec, None);
    let _ = write!(
        h,
        "</template><button type=\"button\" class=\"add\">添加一行</button></fieldset>"
    );
}

fn one_row(h: &mut String, table: &str, spec: &[crate::fields::FieldSpec], row: Option<&Row>) {
    h.push_str("<li class=\"row\">");
    for (key, label) in spec {
        let value = row
            .and_then(|r| r.get(*key))
            .map(String::as_str)
            .unwrap_or_default();
        let _ = write!(
            h,
            "<label>{}<span class=\"key\">（{key}）</span> ",
            esc(label)
        );
        match *key {
            "stage" => {
                let _ = write!(
                    h,
                    "<select name=\"{table}.{key}\"><option value=\"\">（不填）</option>"
                );
                for s in vocab::STAGES {
                    let selected = if *s == value { " selected" } else { "" };
                    let _ = write!(h, "<option{selected}>{s}</option>");
                }
                h.push_str("</select>");
            }
            _ => {
                let kind = match *key {
                    "at" => "datetime-local",
                    "date" => "date",
                    _ => "text",
                };
                let _ = write!(
                    h,
                    "<input type=\"{kind}\" name=\"{table}.{key}\" value=\"{}\">",
                    esc(value)
                );
            }
        }
        h.push_str("</label> ");
    }
    h.push_str("<button type=\"button\" class=\"remove\">删除这一行</button></li>");
}
