//! Site configuration: `casebook.toml`, with built-in zh-CN defaults when it is absent.

use crate::messages::{Key, Message};
use crate::msg;
use std::fmt;
use std::path::Path;

use chrono::FixedOffset;
use serde::Serialize;
use toml::de::DeTable;

use crate::diag::{Diagnostics, SourceText};
use crate::fields::{FieldSpec, Fields, Positions};

pub const CONFIG_FILE: &str = "casebook.toml";

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub timezone: FixedOffset,
    /// Audience a document without `audience` gets.
    pub default_audience: String,
    /// Audience `casebook build` publishes for unless `--audience` says otherwise.
    pub build_audience: String,
    /// Ordered from widest to narrowest: a build for one includes all before it.
    pub audiences: Vec<String>,
    pub categories: Vec<Category>,
    /// What `casebook new case` puts before `-YYYY-NNNN` in a new record's id.
    pub id_prefix: String,
    /// How `casebook import` reads this office's Excel ledger (`[import]`).
    pub import: ImportRules,
    /// `[markings]`: what every printed page and document for an audience carries
    /// (内部资料　注意保存); an audience not named gets [`DEFAULT_MARKING`] unless it is the
    /// widest.
    pub markings: Vec<(String, String)>,
}

/// The marking of an audience narrower than the widest when `[markings]` does not name it.
pub const DEFAULT_MARKING: &str = "内部资料　注意保存";

/// `[import]` in casebook.toml: what the built-in column names and vocabulary of
/// `casebook import` do not know, in the office's own words.
#[derive(Debug, Clone, Default)]
pub struct ImportRules {
    /// `[import.columns]`: a ledger column's header → the field it fills (`"涉事镇街" = "region"`).
    pub columns: Vec<(String, String)>,
    /// `[import.values]`: a local word → the format's word (`"较大" = "橙"`).
    pub values: Vec<(String, String)>,
    /// `[import.defaults]`: a field → its value when the ledger has no such column or the cell
    /// is empty (`category = "问题类"`).
    pub defaults: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub name: String,
    /// 处置原则, shown on the category's pages.
    pub principle: String,
    pub deadline: Deadline,
}

/// How long after discovery the first response is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Deadline {
    /// Within this many minutes of `discovered_at`.
    Minutes(i64),
    /// By 24:00 of the discovery day in the site's timezone.
    SameDay,
}

impl Deadline {
    /// The longest deadline accepted: 30 days.
    pub const MAX_MINUTES: i64 = 30 * 24 * 60;

    /// A deadline as written in `casebook.toml`: `same-day` or `当日`/`当天`, or a number and a
    /// unit — `2h`, `30m`, `1d`, and as clerks write them, `2小时`, `两小时`, `120分钟`, `1天`,
    /// `二十四小时`, with full-width digits too. Read character by character (never cut inside
    /// one); none for anything else, or for less than a minute or more than 30 days.
    pub fn parse(s: &str) -> Option<Deadline> {
        let s: String = s.trim().chars().map(crate::text::fold::fold_char).collect();
        if matches!(s.as_str(), "same-day" | "当日" | "当天") {
            return Some(Deadline::SameDay);
        }
        let split = s.find(|c: char| !c.is_ascii_digit() && chinese_digit(c).is_none())?;
        let (number, unit) = s.split_at(split);
        let n = match number.bytes().all(|b| b.is_ascii_digit()) {
            true => number.parse::<i64>().ok()?,
            false => chinese_number(number)?,
        };
        let per_unit = match unit.trim() {
            "m" | "min" | "分钟" | "分" => 1,
            "h" | "小时" | "个小时" | "时" => 60,
            "d" | "天" | "日" => 24 * 60,
            _ => return None,
        };
        let minutes = n.checked_mul(per_unit)?;
        (1..=Self::MAX_MINUTES)
            .contains(&minutes)
            .then_some(Deadline::Minutes(minutes))
    }
}

/// The value of a Chinese numeral character: its digit, or 10 and 100 for 十 and 百.
fn chinese_digit(c: char) -> Option<i64> {
    let digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match c {
        '两' => Some(2),
        '十' => Some(10),
        '百' => Some(100),
        _ => digits.iter().position(|&d| d == c).map(|d| d as i64),
    }
}

/// A number written in Chinese numerals up to the hundreds: 两, 十二, 二十四, 一百二十.
fn chinese_number(s: &str) -> Option<i64> {
    let (mut total, mut digit) = (0i64, None::<i64>);
    for c in s.chars() {
        match chinese_digit(c)? {
            unit @ (10 | 100) => {
                total += digit.take().unwrap_or(1) * unit;
            }
            d => digit = Some(d),
        }
    }
    let n = total + digit.unwrap_or(0);
    (n > 0).then_some(n)
}

impl fmt::Display for Deadline {
    /// Chinese wording used on pages: 当日24时前, 2小时, 3天, 30分钟.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Deadline::SameDay => f.write_str("当日24时前"),
            Deadline::Minutes(m) if m % (24 * 60) == 0 => write!(f, "{}天", m / (24 * 60)),
            Deadline::Minutes(m) if m % 60 == 0 => write!(f, "{}小时", m / 60),
            Deadline::Minutes(m) => write!(f, "{m}分钟"),
        }
    }
}

const DEFAULT_CATEGORIES: [(&str, &str, Deadline); 5] = [
    ("问题类", "及时致歉叫停、后续整改到位", Deadline::SameDay),
    (
        "突发事件类",
        "两小时内通过媒体发布事实",
        Deadline::Minutes(120),
    ),
    ("敏感类", "重讲态度、慎讲原因、防止炒作", Deadline::SameDay),
    (
        "意见建议类",
        "及时致谢肯定、梳理归纳、反馈落实",
        Deadline::SameDay,
    ),
    (
        "造谣诽谤类",
        "及时辟谣、澄清事实、依法问责",
        Deadline::SameDay,
    ),
];

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "网络舆情案例库".into(),
            timezone: china_standard_time(),
            default_audience: "internal".into(),
            build_audience: "internal".into(),
            audiences: vec!["public".into(), "internal".into(), "restricted".into()],
            categories: DEFAULT_CATEGORIES
                .iter()
                .map(|(name, principle, deadline)| Category {
                    name: (*name).into(),
                    principle: (*principle).into(),
                    deadline: *deadline,
                })
                .collect(),
            id_prefix: "YQ".into(),
            import: ImportRules::default(),
            markings: Vec::new(),
        }
    }
}

fn china_standard_time() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// Parse `+08:00` / `-05:30` / `Z`.
pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    if s == "Z" || s == "UTC" {
        return FixedOffset::east_opt(0);
    }
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let (h, m) = s[1..].split_once(':').unwrap_or((&s[1..], "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

const CONFIG_FIELDS: &[FieldSpec] = &[
    ("title", "站点名称"),
    ("timezone", "时区"),
    ("default_audience", "默认公开范围"),
    ("build_audience", "发布范围"),
    ("audiences", "公开范围"),
    ("categories", "舆情类别"),
    ("id_prefix", "编号前缀"),
    ("import", "导入规则"),
    ("markings", "密级标识"),
];

const IMPORT_FIELDS: &[FieldSpec] = &[
    ("columns", "列名对照"),
    ("values", "取值对照"),
    ("defaults", "缺省值"),
];

const CATEGORY_FIELDS: &[FieldSpec] = &[
    ("name", "类别名称"),
    ("principle", "处置原则"),
    ("deadline", "回应时限"),
];

impl Config {
    /// Read `casebook.toml` under `root`; absent means the defaults.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Config {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(_) if !path.exists() => return Config::default(),
            Err(e) => {
                diags.push(crate::diag::Diagnostic::error(
                    CONFIG_FILE,
                    Default::default(),
                    msg!(CannotReadConfig, reason = Message::io(&e)),
                ));
                return Config::default();
            }
        };
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(e) => {
                diags.push(crate::fields::not_utf8(
                    Path::new(CONFIG_FILE),
                    e.as_bytes(),
                    e.utf8_error(),
                ));
                return Config::default();
            }
        };
        let src = SourceText::new(Path::new(CONFIG_FILE), text);
        Config::parse(&src, diags)
    }

    pub fn parse(src: &SourceText, diags: &mut Diagnostics) -> Config {
        let mut config = Config::default();
        let table = match DeTable::parse(&src.text) {
            Ok(t) => t,
            Err(e) => {
                for d in crate::fields::toml_errors(src, 0, &src.text, &e, CONFIG_FIELDS) {
                    diags.push(d);
                }
                return config;
            }
        };
        let mut positions = Positions::default();
        let mut f = Fields::new(
            src,
            0,
            &table,
            CONFIG_FIELDS,
            config.timezone,
            diags,
            &mut positions,
        );
        if let Some(title) = f.string("title") {
            config.title = title;
        }
        if let Some(prefix) = f.parsed(
            "id_prefix",
            |s| (!s.is_empty() && crate::names::valid_id(s)).then(|| s.to_owned()),
            Key::AnIdPrefix,
            Key::IdPrefixHint,
        ) {
            config.id_prefix = prefix;
        }
        if let Some(offset) = f.parsed("timezone", parse_offset, Key::AnOffset, Key::TimezoneHint) {
            config.timezone = offset;
        }
        let audiences = f.string_list("audiences");
        if !audiences.is_empty() {
            config.audiences = audiences;
        }
        if let Some(a) = f.choice("default_audience", &config.audiences) {
            config.default_audience = a;
        }
        if let Some(a) = f.choice("build_audience", &config.audiences) {
            config.build_audience = a;
        }
        let categories = f.tables("categories", CATEGORY_FIELDS, |c| {
            let name = c.required_string("name", "\"问题类\"");
            let principle = c.string("principle").unwrap_or_default();
            let deadline = c.parsed(
                "deadline",
                Deadline::parse,
                Key::ADeadline,
                Key::DeadlineHint,
            );
            Some(Category {
                name: name?,
                principle,
                deadline: deadline.unwrap_or(Deadline::SameDay),
            })
        });
        if !categories.is_empty() {
            config.categories = categories;
        }
        config.markings = f.string_map("markings");
        if let Some(rules) = f.table("import", IMPORT_FIELDS, |i| ImportRules {
            columns: i.string_map("columns"),
            values: i.string_map("values"),
            defaults: i.string_map("defaults"),
        }) {
            config.import = rules;
        }
        f.finish();
        if !config.audiences.contains(&config.default_audience)
            || !config.audiences.contains(&config.build_audience)
        {
            let pos = positions.of("audiences");
            diags.push(
                crate::diag::Diagnostic::error(CONFIG_FILE, pos, Key::AudienceNotListed)
                    .hint(msg!(AudiencesAre, list = config.audiences.join(", "))),
            );
        }
        config
    }

    pub fn category(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.name == name)
    }

    pub fn category_names(&self) -> Vec<&str> {
        self.categories.iter().map(|c| c.name.as_str()).collect()
    }

    /// The marking printed on every page and document made for `audience`: as `[markings]`
    /// says, else none for the widest audience and [`DEFAULT_MARKING`] for the others.
    pub fn marking(&self, audience: &str) -> Option<&str> {
        match self.markings.iter().find(|(a, _)| a == audience) {
            Some((_, text)) => Some(text.as_str()).filter(|t| !t.is_empty()),
            None => (self.audience_rank(audience) > 0).then_some(DEFAULT_MARKING),
        }
    }

    /// Rank of an audience (0 = widest); unknown audiences rank above everything.
    pub fn audience_rank(&self, audience: &str) -> usize {
        self.audiences
            .iter()
            .position(|a| a == audience)
            .unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::Deadline;

    #[test]
    fn deadlines_are_read_as_clerks_write_them() {
        let minutes = |s: &str| match Deadline::parse(s) {
            Some(Deadline::Minutes(m)) => Some(m),
            Some(Deadline::SameDay) => Some(-1),
            None => None,
        };
        for (written, expected) in [
            ("2h", 120),
            ("2小时", 120),
            ("两小时", 120),
            ("兩小時", 120),
            ("二十四小时", 1440),
            ("120分钟", 120),
            ("一百二十分钟", 120),
            ("1天", 1440),
            ("３０m", 30),
            ("30M", 30),
            ("1m", 1),
            ("30d", 43_200),
            ("same-day", -1),
            ("当日", -1),
        ] {
            assert_eq!(minutes(written), Some(expected), "{written}");
        }
        // Cut inside no character, overflow nothing, and keep to 1 minute .. 30 days.
        for refused in [
            "",
            "h",
            "小时",
            "2",
            "2周",
            "0h",
            "31d",
            "9999999999999999m",
            "99999999d",
            "99999999999999999999999m",
            "十",
            "2十h",
            "-1h",
        ] {
            assert_eq!(minutes(refused), None, "{refused}");
        }
    }
}
