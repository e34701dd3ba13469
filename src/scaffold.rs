//! `casebook new`: start a document for the clerk to edit. A new file is never written over an
//! existing one.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::content::summary::Period;
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
    /// The file exists; nothing was written.
    Exists(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::BadPeriod(p) => write!(
                f,
                "`{p}` is not a period; write a month as 2024-03, a quarter as 2024-Q1, a year as 2024"
            ),
            NewError::Exists(p) => write!(
                f,
                "{} already exists; nothing was written (edit it, or move it away first)",
                p.display()
            ),
            NewError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
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
    let text = summary_text(lib, derived, period);
    create_new(&path, &text)?;
    Ok(path)
}

/// Create `path` with `text`, refusing to replace an existing file (atomically: two clerks
/// running `new` at once cannot overwrite each other).
fn create_new(path: &Path, text: &str) -> Result<(), NewError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| NewError::Io(dir.to_owned(), e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => NewError::Exists(path.to_owned()),
            _ => NewError::Io(path.to_owned(), e),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| NewError::Io(path.to_owned(), e))
}

fn summary_text(lib: &Library, derived: &Derived, period: Period) -> String {
    let label = period.label();
    let figures = derived.stats.period(period);
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
    let _ = writeln!(s, "draft = true            # 定稿后删除此行");
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
