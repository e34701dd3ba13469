//! The document form: every field of the format with its Chinese label and help, the
//! library's vocabulary as choices and its values as suggestions, filled from the file as it
//! is on disk (even a document with errors, as long as its front matter is TOML).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use toml_edit::{DocumentMut, Item, Value};

use super::kinds::{DocKind, ValueKind};
use super::save::{fingerprint, Row};
use crate::config::Config;
use crate::content::load::Loaded;
use crate::content::vocab;
use crate::diag::SourceText;
use crate::render::site::escape_html as esc;

/// What the form starts from: the document's file (none for a new one), its fingerprint, the
/// values of its fields as text, its rows and its body.
pub struct Start {
    pub kind: DocKind,
    pub path: Option<String>,
    pub base: Option<String>,
    pub values: Row,
    pub rows: BTreeMap<String, Vec<Row>>,
    pub body: String,
}

impl Start {
    /// A new document of `kind`, its body the one the library starts such documents with.
    pub fn new(kind: DocKind, loaded: &Loaded) -> Start {
        Start {
            kind,
            path: None,
            base: None,
            values: Row::new(),
            rows: BTreeMap::new(),
            body: new_body(kind, loaded),
        }
    }
}

/// The body a new document of `kind` starts with.
pub fn new_body(kind: DocKind, loaded: &Loaded) -> String {
    match kind {
        DocKind::Record => crate::scaffold::case_body(loaded),
        DocKind::Plan => crate::scaffold::plan_body(loaded),
        DocKind::Summary => crate::scaffold::summary_body(),
    }
}

/// The form for the document at `rel`, read from disk; none when it is not a document the
/// desk edits or its front matter cannot be read.
pub fn existing(root: &Path, rel: &Path, config: &Config) -> Option<Start> {
    let kind = DocKind::of_path(rel)?;
    let bytes = std::fs::read(root.join(rel)).ok()?;
    let text = String::from_utf8(bytes.clone()).ok()?;
    let src = SourceText::new(rel, text);
    let split = crate::content::frontmatter::split(&src).ok()?;
    let doc: DocumentMut = split.toml.parse().ok()?;
    let mut start = Start {
        kind,
        path: Some(rel.to_string_lossy().replace('\\', "/")),
        base: Some(fingerprint(&bytes)),
        values: Row::new(),
        rows: BTreeMap::new(),
        body: split.body.trim().to_owned(),
    };
    for (key, item) in doc.iter() {
        match item {
            Item::ArrayOfTables(rows) => {
                start.rows.insert(key.to_owned(), rows_of(rows, config));
            }
            Item::Value(v) => {
                start.values.insert(key.to_owned(), text_of(v, config));
            }
            _ => {}
        }
    }
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

/// Values the library already uses for a field, as suggestions.
fn used(loaded: &Loaded, kind: DocKind, field: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match (kind, field) {
        (DocKind::Record, "related") | (DocKind::Summary, "key_cases") => {
            out.extend(
                loaded
                    .records
                    .iter()
                    .map(|r| format!("{} {}", r.id, r.title)),
            );
        }
        (DocKind::Plan, "issuer") => {
            out.extend(loaded.plans.iter().filter_map(|p| p.issuer.clone()))
        }
        (DocKind::Summary, "unit") => {
            out.extend(loaded.summaries.iter().filter_map(|s| s.unit.clone()))
        }
        (DocKind::Record, _) => {
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
        }
        _ => {}
    }
    out
}

/// The choices of a field whose value is one of a list (value, as shown), if it is one.
fn choices(
    kind: DocKind,
    key: &str,
    config: &Config,
    loaded: &Loaded,
) -> Option<Vec<(String, String)>> {
    let words = |list: &[&str]| {
        list.iter()
            .map(|w| ((*w).to_owned(), (*w).to_owned()))
            .collect()
    };
    let plans = || {
        loaded
            .plans
            .iter()
            .map(|p| (p.id.clone(), format!("{} {}", p.id, p.title)))
            .collect()
    };
    Some(match (kind, key) {
        (DocKind::Record, "category") => config
            .categories
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    format!("{}（回应时限 {}；{}）", c.name, c.deadline, c.principle),
                )
            })
            .collect(),
        (DocKind::Plan, "applies_to") => config
            .categories
            .iter()
            .map(|c| (c.name.clone(), c.name.clone()))
            .collect(),
        (DocKind::Record, "sentiment") => words(vocab::SENTIMENTS),
        (DocKind::Record, "warning") => words(vocab::WARNINGS),
        (DocKind::Record, "level") => words(vocab::LEVELS),
        (DocKind::Record, "status") => words(vocab::STATUSES),
        (DocKind::Plan, "status") => words(vocab::PLAN_STATUSES),
        (DocKind::Plan, "plan_type") => words(vocab::PLAN_TYPES),
        (DocKind::Record, "plans") | (DocKind::Plan, "supersedes") => plans(),
        (_, "audience") => config
            .audiences
            .iter()
            .map(|a| (a.clone(), a.clone()))
            .collect(),
        _ => return None,
    })
}

/// The whole form page.
pub fn page(start: &Start, config: &Config, loaded: &Loaded, token: &str) -> String {
    let kind = start.kind;
    let key = start
        .values
        .get(kind.key_field())
        .cloned()
        .unwrap_or_default();
    let title = match &start.path {
        Some(_) => format!("编辑{} {key}", kind.noun()),
        None => format!("新建{}", kind.noun()),
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} - {}</title><style>{}</style></head><body><main><h1>{}</h1>",
        esc(&title),
        esc(&config.title),
        include_str!("desk.css"),
        esc(&title)
    );
    let kind_name = match kind {
        DocKind::Record => "case",
        DocKind::Plan => "plan",
        DocKind::Summary => "summary",
    };
    let _ = write!(
        h,
        "<form id=\"desk\" novalidate data-token=\"{}\" data-kind=\"{kind_name}\" data-path=\"{}\" data-base=\"{}\">",
        esc(token),
        esc(start.path.as_deref().unwrap_or("")),
        esc(start.base.as_deref().unwrap_or(""))
    );
    h.push_str("<div id=\"problems\" role=\"alert\" aria-live=\"assertive\"></div>");
    // The field that names the file: numbered by the desk for a record, typed by the clerk for
    // a new plan or summary, fixed once the file exists.
    let label = kind
        .fields()
        .iter()
        .find(|(k, _)| *k == kind.key_field())
        .map_or("", |(_, l)| *l);
    if start.path.is_some() || kind == DocKind::Record {
        let shown = if start.path.is_some() {
            key.clone()
        } else {
            "保存时自动取下一个编号".to_owned()
        };
        let _ = write!(
            h,
            "<p class=\"field\"><span class=\"label\">{}（{}）</span> <output>{}</output></p>",
            esc(label),
            kind.key_field(),
            esc(&shown)
        );
    } else {
        field(&mut h, kind, kind.key_field(), label, start, config, loaded);
    }
    for (key, label) in kind.fields() {
        let is_row = kind.tables().iter().any(|(t, ..)| t == key);
        if *key == kind.key_field() || *key == "draft" || is_row {
            continue;
        }
        field(&mut h, kind, key, label, start, config, loaded);
    }
    for (table, label, spec) in kind.tables() {
        rows(
            &mut h,
            kind,
            table,
            label,
            spec,
            start.rows.get(*table).map_or(&[], Vec::as_slice),
        );
    }
    let _ = write!(
        h,
        "<div class=\"field\" id=\"field-body\"><label for=\"in-body\">正文（Markdown）</label><p class=\"help\" id=\"help-body\">用“## 标题”分节。</p><textarea id=\"in-body\" name=\"body\" rows=\"18\" aria-describedby=\"help-body problem-body\">{}</textarea><p class=\"problem\" id=\"problem-body\"></p><section id=\"preview\" aria-live=\"polite\" aria-label=\"正文预览\"><h2>预览</h2><div id=\"preview-body\"></div></section></div>",
        esc(&start.body)
    );
    h.push_str("<section id=\"page-preview-box\" aria-labelledby=\"h-page-preview\" hidden><h2 id=\"h-page-preview\">页面预览</h2><p id=\"page-preview-note\" role=\"status\"></p><iframe id=\"page-preview\" title=\"页面预览\"></iframe></section>");
    h.push_str("<div class=\"actions\"><button type=\"submit\" name=\"save\" value=\"final\">保存</button> <button type=\"submit\" name=\"save\" value=\"draft\">保存为草稿</button> <button type=\"button\" id=\"show-page\">预览页面</button> <a href=\"/\">取消</a></div>");
    h.push_str("<div id=\"conflict\" hidden><p role=\"alert\">文件在打开表单之后被修改过，没有保存。你填写的内容还在表单里；下面是文件现在的内容，可以对照后重新打开表单。</p><pre id=\"disk\"></pre></div>");
    h.push_str("</form></main><script src=\"/_casebook/desk.js\"></script></body></html>");
    h
}

fn field(
    h: &mut String,
    kind: DocKind,
    key: &str,
    label: &str,
    start: &Start,
    config: &Config,
    loaded: &Loaded,
) {
    let value = start
        .values
        .get(key)
        .map(String::as_str)
        .unwrap_or_default();
    let id = format!("in-{key}");
    let required = kind.required(key);
    let _ = write!(
        h,
        "<div class=\"field\" id=\"field-{key}\"><label for=\"{id}\">{}（{key}）{}</label><p class=\"help\" id=\"help-{key}\">{}</p>",
        esc(label),
        if required { "<span class=\"required\">必填</span>" } else { "" },
        esc(kind.help(key))
    );
    let described = format!(
        "aria-describedby=\"help-{key} problem-{key}\"{}",
        if required {
            " aria-required=\"true\""
        } else {
            ""
        }
    );
    let value_kind = kind.value_kind(key);
    match choices(kind, key, config, loaded) {
        Some(mut choices) => {
            let multiple = value_kind == ValueKind::List;
            let chosen: Vec<&str> = match multiple {
                true => value.split('、').collect(),
                false => vec![value],
            };
            // A value the vocabulary does not know is kept, for the checks to explain.
            for v in &chosen {
                if !v.is_empty() && !choices.iter().any(|(c, _)| c == v) {
                    choices.push(((*v).to_owned(), (*v).to_owned()));
                }
            }
            let _ = match multiple {
                true => write!(h, "<select id=\"{id}\" name=\"{key}\" multiple size=\"4\" {described}>"),
                false => write!(h, "<select id=\"{id}\" name=\"{key}\" {described}><option value=\"\">（不填）</option>"),
            };
            for (v, shown) in choices {
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
        }
        None if value_kind == ValueKind::Flag => {
            let checked = if value == "true" { " checked" } else { "" };
            let _ = write!(h, "<input type=\"checkbox\" id=\"{id}\" name=\"{key}\" value=\"true\"{checked} {described}>");
        }
        None => {
            let input = match value_kind {
                ValueKind::DateTime => "datetime-local",
                ValueKind::Date => "date",
                ValueKind::Number => "number\" min=\"0\" step=\"1",
                _ => "text",
            };
            let suggestions = used(loaded, kind, key);
            if !suggestions.is_empty() {
                let _ = write!(h, "<datalist id=\"list-{key}\">");
                for s in &suggestions {
                    let _ = write!(h, "<option value=\"{}\">", esc(s));
                }
                h.push_str("</datalist>");
            }
            let list = match (suggestions.is_empty(), value_kind) {
                (true, _) | (false, ValueKind::List) => String::new(),
                (false, _) => format!(" list=\"list-{key}\""),
            };
            let _ = write!(h, "<input type=\"{input}\" id=\"{id}\" name=\"{key}\" value=\"{}\"{list} {described}>", esc(value));
            // A list takes its words one at a time from a picker that suggests what the
            // library has (records by id and title); the chosen word is added to the list.
            if value_kind == ValueKind::List && !suggestions.is_empty() {
                let _ = write!(
                    h,
                    "<label class=\"picker\">添加：<input type=\"text\" list=\"list-{key}\" data-adds-to=\"{id}\" aria-describedby=\"help-{key}\" placeholder=\"输入编号、名称或文字，从提示中选\"></label>"
                );
            }
        }
    }
    let _ = write!(h, "<p class=\"problem\" id=\"problem-{key}\"></p></div>");
}

/// An array of tables as rows with inputs named `timeline.at` …, a template row for 添加一行,
/// and a remove button on each.
fn rows(
    h: &mut String,
    kind: DocKind,
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
        one_row(h, kind, table, spec, Some(row));
    }
    h.push_str("</ol><template>");
    one_row(h, kind, table, spec, None);
    h.push_str("</template><button type=\"button\" class=\"add\">添加一行</button></fieldset>");
}

fn one_row(
    h: &mut String,
    kind: DocKind,
    table: &str,
    spec: &[crate::fields::FieldSpec],
    row: Option<&Row>,
) {
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
        if *key == "stage" {
            let _ = write!(
                h,
                "<select name=\"{table}.{key}\"><option value=\"\">（不填）</option>"
            );
            for s in vocab::STAGES {
                let selected = if *s == value { " selected" } else { "" };
                let _ = write!(h, "<option{selected}>{s}</option>");
            }
            h.push_str("</select>");
        } else {
            let input = match kind.value_kind(key) {
                ValueKind::DateTime => "datetime-local",
                ValueKind::Date => "date",
                _ => "text",
            };
            let _ = write!(
                h,
                "<input type=\"{input}\" name=\"{table}.{key}\" value=\"{}\">",
                esc(value)
            );
        }
        h.push_str("</label> ");
    }
    h.push_str("<button type=\"button\" class=\"remove\">删除这一行</button></li>");
}
