//! `casebook new` and `casebook init`: start a document (or a whole library) for the clerk to
//! edit. A new file is never written over an existing one.

use crate::messages::Message;
use crate::msg;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::content::load::Loaded;
use crate::content::plan::{valid_plan_id, USUAL_SECTIONS};
use crate::content::summary::Period;
use crate::content::template::Template;
use crate::derive::stats::{Stats, UNMARKED};
use crate::derive::Derived;
use crate::model::Library;
use crate::render::figures::{change_text, median_text, rate_text};

/// How many key cases a new summary proposes.
const KEY_CASES: usize = 5;

#[derive(Debug)]
pub enum NewError {
    /// The argument is not a period.
    BadPeriod(String),
    /// An argument does not fit the library (unknown category, template, malformed id).
    BadArgument(Message),
    /// The file exists; nothing was written.
    Exists(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl NewError {
    pub fn message(&self) -> Message {
        match self {
            NewError::BadPeriod(p) => msg!(BadPeriod, value = p),
            NewError::BadArgument(m) => m.clone(),
            NewError::Exists(p) => msg!(FileExists, path = p.display()),
            NewError::Io(p, e) => msg!(CannotWrite, path = p.display(), reason = Message::io(e)),
        }
    }
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message())
    }
}

/// Write `content/summaries/PERIOD.md` as a draft whose body carries the period's figures and
/// key cases, computed the same way as the summary page will show them.
pub fn new_summary(
    root: &Path,
    lib: &Library,
    derived: &Derived,
    period: &str,
) -> Result<PathBuf, NewError> {
    let period = Period::parse(period).ok_or_else(|| NewError::BadPeriod(period.to_owned()))?;
    let path = root
        .join("content")
        .join("summaries")
        .join(format!("{period}.md"));
    let text = summary_text(lib, derived, period, Draft::Yes);
    create_new(&path, &text)?;
    Ok(path)
}

/// Whether a new document is marked `draft = true` (left out of builds until the clerk removes
/// the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Draft {
    Yes,
    No,
}

/// What `casebook new case` was told; everything else comes from the library.
#[derive(Debug, Default, Clone)]
pub struct NewCase {
    pub title: Option<String>,
    pub category: Option<String>,
    pub department: Option<String>,
    /// A template in `content/plan-templates/` whose body the record starts from.
    pub template: Option<String>,
}

/// Write `cases/YYYY/ID.md` with the next free id for the year of `now`, `now` as
/// `discovered_at` and the body of the case template (or the usual sections).
pub fn new_case(
    root: &Path,
    config: &Config,
    loaded: &Loaded,
    now: DateTime<FixedOffset>,
    args: &NewCase,
) -> Result<PathBuf, NewError> {
    let category = match &args.category {
        Some(c) if config.category(c).is_none() => {
            return Err(NewError::BadArgument(msg!(
                NotACategory,
                value = c,
                list = config.category_names().join("、")
            )))
        }
        Some(c) => c.clone(),
        None => config
            .categories
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    };
    let year = now.format("%Y").to_string();
    let id = next_case_id(root, loaded, &config.id_prefix, &year);
    let body = match &args.template {
        Some(name) => find_template(loaded, Some(name), "case")?
            .map_or_else(|| sections(CASE_SECTIONS), |t| t.body.markdown.clone()),
        None => case_body(loaded),
    };
    let mut s = String::new();
    let _ = writeln!(s, "+++");
    let _ = writeln!(s, "id = {}", toml_string(&id));
    let _ = writeln!(
        s,
        "title = {}",
        toml_string(args.title.as_deref().unwrap_or("〔事件名称〕"))
    );
    let _ = writeln!(s, "category = {}", toml_string(&category));
    let _ = writeln!(
        s,
        "department = {}",
        toml_string(args.department.as_deref().unwrap_or("〔责任单位〕"))
    );
    let _ = writeln!(s, "discovered_at = {}", now.format("%Y-%m-%dT%H:%M:%S%:z"));
    let _ = writeln!(s, "status = \"监测中\"");
    let _ = writeln!(s, "# sentiment = \"负面\"          # 正面 / 中性 / 负面");
    let _ = writeln!(s, "# warning = \"黄\"             # 红 / 橙 / 黄 / 蓝");
    let _ = writeln!(s, "# level = \"三级\"             # 一级 / 二级 / 三级");
    let _ = writeln!(s, "# platforms = [\"微博\"]");
    let _ = writeln!(
        s,
        "# first_response_at = {}",
        now.format("%Y-%m-%dT%H:%M:%S%:z")
    );
    let _ = writeln!(s, "+++");
    let _ = writeln!(s);
    s.push_str(body.trim_start());
    let path = root.join("cases").join(&year).join(format!("{id}.md"));
    create_new(&path, &s)?;
    Ok(path)
}

/// What `casebook new plan` was told.
#[derive(Debug, Default, Clone)]
pub struct NewPlan {
    pub id: Option<String>,
    pub title: Option<String>,
    pub template: Option<String>,
}

/// Write `content/plans/ID.md` as a draft from a plan template (or the usual sections).
pub fn new_plan(
    root: &Path,
    loaded: &Loaded,
    now: DateTime<FixedOffset>,
    args: &NewPlan,
) -> Result<PathBuf, NewError> {
    let year = now.format("%Y");
    let id = match (&args.id, &args.template) {
        (Some(id), _) => id.clone(),
        (None, Some(t)) => format!("{t}-{year}"),
        (None, None) => format!("plan-{year}"),
    };
    if !valid_plan_id(&id) {
        return Err(NewError::BadArgument(msg!(NotAPlanId, id = &id)));
    }
    if loaded.plans.iter().any(|p| p.id == id) {
        return Err(NewError::BadArgument(msg!(PlanExists, id = &id)));
    }
    let template = find_template(loaded, args.template.as_deref(), "plan")?;
    let body = template.map_or_else(|| sections(USUAL_SECTIONS), |t| t.body.markdown.clone());
    let title = args.title.clone().unwrap_or_else(|| {
        template.map_or_else(
            || "〔预案名称〕".to_owned(),
            |t| t.title.replace("模板", ""),
        )
    });
    let mut s = String::new();
    let _ = writeln!(s, "+++");
    let _ = writeln!(s, "id = {}", toml_string(&id));
    let _ = writeln!(s, "title = {}", toml_string(&title));
    let _ = writeln!(s, "status = \"有效\"               # 有效 / 修订中 / 废止");
    let _ = writeln!(s, "issued = {}", now.format("%Y-%m-%d"));
    let _ = writeln!(s, "# plan_type = \"部门预案\"      # 总体预案 / 专项预案 / 部门预案 / 单位预案 / 现场处置方案");
    let _ = writeln!(s, "# issuer = \"〔发文机关〕\"");
    let _ = writeln!(s, "# doc_no = \"〔发文字号〕\"");
    let _ = writeln!(s, "# supersedes = \"〔被替代预案编号〕\"");
    let _ = writeln!(s, "review_cycle_years = 3");
    let _ = writeln!(s, "draft = true                 # 印发后删除此行");
    let _ = writeln!(s, "+++");
    let _ = writeln!(s);
    s.push_str(body.trim_start());
    let path = root.join("content").join("plans").join(format!("{id}.md"));
    create_new(&path, &s)?;
    Ok(path)
}

/// The library as it is on disk, errors and all (they are not `new`'s business).
pub fn read_library(root: &Path) -> (Config, Loaded) {
    let mut ignored = crate::diag::Diagnostics::default();
    let config = Config::load(root, &mut ignored);
    let loaded = crate::content::load::load(root, &config, &Default::default(), &mut ignored);
    (config, loaded)
}

/// The body a new record starts with: the library's first case template, or the usual
/// sections.
pub(crate) fn case_body(loaded: &Loaded) -> String {
    match find_template(loaded, None, "case") {
        Ok(Some(t)) => t.body.markdown.clone(),
        _ => sections(CASE_SECTIONS),
    }
}

/// The body a new plan starts with: the library's first plan template, or the usual sections.
pub(crate) fn plan_body(loaded: &Loaded) -> String {
    match find_template(loaded, None, "plan") {
        Ok(Some(t)) => t.body.markdown.clone(),
        _ => sections(USUAL_SECTIONS),
    }
}

/// The sections of a period summary written without `casebook new summary`'s figures.
pub(crate) fn summary_body() -> String {
    sections(&[
        "总体情况",
        "主要特点",
        "重点舆情",
        "处置回应情况",
        "存在问题",
        "下步工作",
    ])
}

/// The body sections a record gets when the library has no case template.
const CASE_SECTIONS: &[&str] = &[
    "事件概况",
    "传播情况",
    "研判情况",
    "处置经过",
    "回应内容",
    "效果评估",
    "经验教训",
];

fn sections(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("## {n}\n\n〔请填写〕\n\n"))
        .collect()
}

/// Template `name`, or the first template (by name) for `kind` when no name is given; none
/// when the library has no template for that kind.
fn find_template<'a>(
    loaded: &'a Loaded,
    name: Option<&str>,
    kind: &str,
) -> Result<Option<&'a Template>, NewError> {
    let Some(name) = name else {
        return Ok(loaded
            .templates
            .iter()
            .filter(|t| t.scaffolds.as_deref() == Some(kind))
            .min_by(|a, b| a.name.cmp(&b.name))
            .map(|t| &**t));
    };
    match loaded.templates.iter().find(|t| t.name == name) {
        Some(t) => Ok(Some(t)),
        None => {
            let names: Vec<&str> = loaded.templates.iter().map(|t| t.name.as_str()).collect();
            Err(NewError::BadArgument(if names.is_empty() {
                msg!(NoTemplates, name = name)
            } else {
                msg!(NoSuchTemplate, name = name, list = names.join(", "))
            }))
        }
    }
}

/// `PREFIX-YEAR-NNNN` one above the highest number used that year.
pub(crate) fn next_case_id(root: &Path, loaded: &Loaded, prefix: &str, year: &str) -> String {
    let stem = format!("{prefix}-{year}-");
    let ids: Vec<String> = loaded.records.iter().map(|r| r.id.clone()).collect();
    format!("{stem}{:04}", highest_case_number(root, &ids, &stem) + 1)
}

/// The highest number after `stem` (`YQ-2024-`) among `ids` and every file name under
/// `cases/` (so a record with errors still holds its number); 0 when none.
pub(crate) fn highest_case_number(root: &Path, ids: &[String], stem: &str) -> u32 {
    let number = |id: &str| id.strip_prefix(stem).and_then(|n| n.parse::<u32>().ok());
    let from_files = walkdir::WalkDir::new(root.join("cases"))
        .into_iter()
        .flatten()
        .filter_map(|e| {
            e.path()
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(number)
        });
    ids.iter()
        .filter_map(|id| number(id))
        .chain(from_files)
        .max()
        .unwrap_or(0)
}

/// A TOML basic string holding `s`, escaped as TOML wants.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// The files of a new library: the demo library's configuration, free page, user guide and
/// format reference, templates, one record and one plan from it (no references to anything
/// else), compiled in.
const INIT_FILES: &[(&str, &str)] = &[
    ("content/about.md", include_str!("../content/about.md")),
    (
        "content/使用手册.md",
        include_str!("../content/使用手册.md"),
    ),
    (
        "content/格式说明.md",
        include_str!("../content/格式说明.md"),
    ),
    (
        "content/plan-templates/case-record.md",
        include_str!("../content/plan-templates/case-record.md"),
    ),
    (
        "content/plan-templates/dept-plan.md",
        include_str!("../content/plan-templates/dept-plan.md"),
    ),
    (
        "cases/2025/YQ-2025-0004.md",
        include_str!("../cases/2025/YQ-2025-0004.md"),
    ),
    (
        "content/plans/edu-dept-plan.md",
        include_str!("../content/plans/edu-dept-plan.md"),
    ),
];

/// The example summary's period: the month of the example record.
const INIT_PERIOD: &str = "2025-03";

/// Create a new library in `dir`: configuration, one record, plan, summary, template and page.
/// Refuses when `dir` already holds a `casebook.toml`; never overwrites a file.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, NewError> {
    let mut written = Vec::new();
    let config = include_str!("../casebook.toml").replacen(
        "title = \"故城县网络舆情案例库\"",
        "title = \"网络舆情案例库\"",
        1,
    );
    let config_path = dir.join(crate::config::CONFIG_FILE);
    create_new(&config_path, &config)?;
    written.push(config_path);
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        create_new(&path, text)?;
        written.push(path);
    }
    let opts = crate::BuildOptions::new(dir);
    let (lib, derived, _) = crate::derive_library(&opts, &Default::default())
        .map_err(|e| NewError::BadArgument(msg!(NewLibraryBroken, reason = e.to_string())))?;
    let period =
        Period::parse(INIT_PERIOD).ok_or_else(|| NewError::BadPeriod(INIT_PERIOD.into()))?;
    let path = dir
        .join("content")
        .join("summaries")
        .join(format!("{period}.md"));
    create_new(&path, &summary_text(&lib, &derived, period, Draft::No))?;
    written.push(path);
    Ok(written)
}

/// Create `path` with `text`, refusing to replace an existing file (atomically: two clerks
/// running `new` at once cannot overwrite each other).
fn create_new(path: &Path, text: &str) -> Result<(), NewError> {
    crate::library_file::create(path, text).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => NewError::Exists(path.to_owned()),
        _ => NewError::Io(path.to_owned(), e),
    })
}

fn summary_text(lib: &Library, derived: &Derived, period: Period, draft: Draft) -> String {
    let label = period.label();
    let figures = derived.stats(lib).period(period);
    let key_cases: Vec<usize> = figures.map_or_else(Vec::new, |f| key_cases(lib, &f.stats));
    let ids: Vec<String> = key_cases
        .iter()
        .map(|&i| format!("{:?}", lib.records[i].id))
        .collect();

    let mut s = String::new();
    let _ = writeln!(s, "+++");
    let _ = writeln!(s, "period = \"{period}\"");
    let _ = writeln!(s, "title = \"{label}网络舆情分析\"");
    let _ = writeln!(s, "# unit = \"〔编制单位〕\"");
    let _ = writeln!(s, "# issue_no = 1");
    let _ = writeln!(s, "# published = {}", derived.now.format("%Y-%m-%d"));
    let _ = writeln!(s, "# monitored_posts = 0    # 监测信息量（人工填报，条）");
    let _ = writeln!(s, "key_cases = [{}]", ids.join(", "));
    if draft == Draft::Yes {
        let _ = writeln!(s, "draft = true            # 定稿后删除此行");
    }
    let _ = writeln!(s, "+++");
    let _ = writeln!(s);
    let _ = writeln!(s, "## 总体情况");
    let _ = writeln!(s);
    match figures {
        Some(f) => {
            let st = &f.stats;
            let _ = write!(
                s,
                "{label}，台账共登记网络舆情事件{}件，环比{}（{}{}件），同比{}（{}{}件）",
                st.records.len(),
                change_text(&f.previous),
                f.period.previous().label(),
                f.previous.previous,
                change_text(&f.year_ago),
                f.period.year_ago().label(),
                f.year_ago.previous,
            );
            let parts: Vec<String> = st
                .distribution("category")
                .iter()
                .map(|(name, n)| format!("{name}{n}件"))
                .collect();
            if !parts.is_empty() {
                let _ = write!(s, "。其中{}", parts.join("、"));
            }
            let _ = writeln!(s, "。〔请补充监测信息量及总体研判〕");
            let _ = writeln!(s);
            let _ = writeln!(s, "## 主要特点");
            let _ = writeln!(s);
            let warnings: Vec<String> = st
                .distribution("warning")
                .iter()
                .filter(|(name, _)| name != UNMARKED)
                .map(|(name, n)| format!("{name}色{n}件"))
                .collect();
            if !warnings.is_empty() {
                let _ = writeln!(s, "预警：{}。", warnings.join("、"));
            }
            let _ = writeln!(s, "〔请概括本期舆情的主要特点〕");
            let _ = writeln!(s);
            let _ = writeln!(s, "## 重点舆情");
            let _ = writeln!(s);
            for &i in &key_cases {
                let r = &lib.records[i];
                let _ = writeln!(s, "- {}（{}，{}）", r.title, r.id, r.department);
            }
            if key_cases.is_empty() {
                let _ = writeln!(s, "〔本期无重点舆情〕");
            }
            let _ = writeln!(s);
            let _ = writeln!(s, "## 处置回应情况");
            let _ = writeln!(s);
            let o = &st.overall;
            let _ = writeln!(
                s,
                "已办结{}件，未办结{}件。按时回应{}件、超时回应{}件、逾期未回应{}件，按时回应率{}，首次回应用时中位数{}。",
                st.closed,
                st.records.len() - st.closed,
                o.on_time,
                o.late,
                o.overdue,
                rate_text(o.on_time_rate()),
                median_text(o),
            );
        }
        None => {
            let _ = writeln!(s, "{label}，台账中没有登记网络舆情事件。〔请补充监测情况〕");
            let _ = writeln!(s);
            let _ = writeln!(s, "## 主要特点");
            let _ = writeln!(s);
            let _ = writeln!(s, "## 重点舆情");
            let _ = writeln!(s);
            let _ = writeln!(s, "## 处置回应情况");
        }
    }
    for section in ["存在问题", "下步工作"] {
        let _ = writeln!(s);
        let _ = writeln!(s, "## {section}");
        let _ = writeln!(s);
        let _ = writeln!(s, "〔请填写〕");
    }
    s
}

/// Typical cases and red or orange warnings first, then the largest reach; at most five.
fn key_cases(lib: &Library, stats: &Stats) -> Vec<usize> {
    let severe = |i: &usize| {
        let r = &lib.records[*i];
        r.typical || matches!(r.warning.as_deref(), Some("红" | "橙"))
    };
    let mut picked: Vec<usize> = stats.records.iter().copied().filter(severe).collect();
    for &i in &stats.top_reach {
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.truncate(KEY_CASES);
    picked
}
