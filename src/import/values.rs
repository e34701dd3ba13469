//! Reading a ledger's cells as the format's values: times written every way clerks write them,
//! counts such as 1.2万, lists joined with 、 or ；, and local words for the format's
//! vocabulary (黄色预警 → 黄, Ⅲ级 → 三级), with `[import.values]` for the rest.

use crate::messages::{Key, Message};
use crate::msg;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use super::table::Cell;
use crate::config::{Config, ImportRules};
use crate::content::vocab;

/// A time from a cell: an Excel date, an Excel serial number, or text such as
/// `2024年3月12日 8:30`, `2024/3/12 8:30`, `2024.3.12`, `2024-03-12T08:30:00+08:00`,
/// `2024年3月12日下午3时`. A date alone is taken as 00:00.
pub fn time(cell: &Cell, tz: FixedOffset) -> Result<DateTime<FixedOffset>, Message> {
    let local = match cell {
        Cell::Date(d) => *d,
        Cell::Number(n) => serial(*n).ok_or_else(|| msg!(CellNotADate, text = cell.text()))?,
        Cell::Text(t) => {
            let t: String = t.trim().chars().map(half_width).collect();
            if let Ok(exact) = DateTime::parse_from_rfc3339(&t) {
                return Ok(exact);
            }
            text_time(&t).ok_or_else(|| msg!(CellNotATime, text = &t))?
        }
        Cell::Empty => return Err(Key::CellNoTime.into()),
    };
    tz.from_local_datetime(&local)
        .single()
        .ok_or_else(|| msg!(CellNoSuchLocalTime, text = cell.text()))
}

/// An Excel serial date (days since 1899-12-30) between 1970 and 2100.
fn serial(n: f64) -> Option<NaiveDateTime> {
    if !(25_569.0..73_051.0).contains(&n) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let seconds = (n * 86_400.0).round() as i64;
    epoch.checked_add_signed(Duration::seconds(seconds))
}

/// Full-width digits and punctuation as their ASCII forms (２０２４：３０ → 2024:30).
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Year, month, day and optional hour, minute, second as the runs of digits of the text, which
/// must begin with a four-digit year; 下午/晚上/PM add twelve hours.
fn text_time(t: &str) -> Option<NaiveDateTime> {
    let numbers: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    let starts_with_year = t.chars().take(4).all(|c| c.is_ascii_digit());
    if !starts_with_year || !(3..=6).contains(&numbers.len()) {
        return None;
    }
    let at = |i: usize| numbers.get(i).copied().unwrap_or(0);
    let afternoon = ["下午", "晚上", "晚", "PM", "pm"]
        .iter()
        .any(|w| t.contains(w));
    let hour = if afternoon && at(3) < 12 {
        at(3) + 12
    } else {
        at(3)
    };
    let year = i32::try_from(at(0)).ok()?;
    NaiveDate::from_ymd_opt(year, at(1), at(2))?.and_hms_opt(hour, at(4), at(5))
}

/// A count: 12345, 12,345, 1.2万, 10万+, 3千.
pub fn count(cell: &Cell) -> Result<u64, Message> {
    let bad = || msg!(CellNotACount, text = cell.text());
    if let Cell::Number(n) = cell {
        return (*n >= 0.0 && n.is_finite())
            .then(|| n.round() as u64)
            .ok_or_else(bad);
    }
    let text: String = cell
        .text()
        .chars()
        .map(half_width)
        .filter(|c| !matches!(c, ',' | '+' | ' ' | '次' | '人'))
        .collect();
    let (number, scale) = match text.strip_suffix('万') {
        Some(n) => (n, 10_000.0),
        None => match text.strip_suffix('千') {
            Some(n) => (n, 1_000.0),
            None => (text.as_str(), 1.0),
        },
    };
    let n: f64 = number.parse().map_err(|_| bad())?;
    let n = n * scale;
    (n >= 0.0 && n.is_finite() && n < 1e15)
        .then(|| n.round() as u64)
        .ok_or_else(bad)
}

/// A list cell split at 、，,；;／/ and line breaks.
pub fn list(cell: &Cell) -> Vec<String> {
    cell.text()
        .split(['、', '，', ',', '；', ';', '／', '/', '\n', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `field`'s value for the word `raw`: the office's own word from `[import.values]` first, then
/// the spellings ledgers use; an error names the words the format accepts.
pub fn word(field: &str, raw: &str, config: &Config) -> Result<String, Message> {
    let raw = raw.trim();
    let raw = local(raw, &config.import).unwrap_or(raw);
    let (allowed, found): (Vec<&str>, Option<&str>) = match field {
        "warning" => (vocab::WARNINGS.to_vec(), warning(raw)),
        "level" => (vocab::LEVELS.to_vec(), level(raw)),
        "sentiment" => (vocab::SENTIMENTS.to_vec(), sentiment(raw)),
        "status" => (vocab::STATUSES.to_vec(), status(raw)),
        "category" => {
            let names = config.category_names();
            let found = names.iter().copied().find(|n| {
                *n == raw || n.strip_suffix('类') == Some(raw) || *n == format!("{raw}类")
            });
            (names, found)
        }
        _ => return Ok(raw.to_owned()),
    };
    found.map(str::to_owned).ok_or_else(|| {
        msg!(
            CellNotAllowed,
            text = raw,
            list = allowed.join("、"),
            first = allowed.first().copied().unwrap_or_default()
        )
    })
}

fn local<'a>(raw: &str, rules: &'a ImportRules) -> Option<&'a str> {
    rules
        .values
        .iter()
        .find(|(from, _)| from.trim() == raw)
        .map(|(_, to)| to.as_str())
}

/// 红色预警, 红色, 红, Ⅰ级预警, I级 → 红 (Ⅰ–Ⅳ级 are the colours' official grades).
fn warning(raw: &str) -> Option<&'static str> {
    let s = raw.trim_end_matches("预警").trim_end_matches('色');
    let grades = [
        ("红", ["Ⅰ级", "I级", "一级"]),
        ("橙", ["Ⅱ级", "II级", "二级"]),
        ("黄", ["Ⅲ级", "III级", "三级"]),
        ("蓝", ["Ⅳ级", "IV级", "四级"]),
    ];
    grades
        .iter()
        .find(|(colour, names)| s == *colour || names.contains(&s))
        .and_then(|(colour, _)| vocab::WARNINGS.iter().copied().find(|w| w == colour))
}

/// 三级, 三级响应, Ⅲ级, III级, 3级, 三 → 三级.
fn level(raw: &str) -> Option<&'static str> {
    let s = raw.trim_end_matches("响应").trim_end_matches('级');
    let grades = [
        ["一", "Ⅰ", "I", "1"],
        ["二", "Ⅱ", "II", "2"],
        ["三", "Ⅲ", "III", "3"],
    ];
    let grade = grades.iter().position(|names| names.contains(&s))?;
    vocab::LEVELS.get(grade).copied()
}

fn sentiment(raw: &str) -> Option<&'static str> {
    let s = raw.trim_end_matches("倾向");
    let index = match s {
        "正面" | "积极" | "正向" => 0,
        "中性" | "中立" => 1,
        "负面" | "消极" | "负向" => 2,
        _ => return None,
    };
    vocab::SENTIMENTS.get(index).copied()
}

fn status(raw: &str) -> Option<&'static str> {
    let index = match raw {
        "监测中" | "监测" | "持续关注" | "跟踪中" | "关注中" => 0,
        "研判中" | "研判" => 1,
        "处置中" | "处置" | "办理中" | "正在处置" | "未办结" => 2,
        "已办结" | "办结" | "已处置" | "已完成" | "已结案" | "结案" | "完结" => 3,
        _ => return None,
    };
    vocab::STATUSES.get(index).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_every_form_ledgers_use() {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        let expect = |s: &str, want: &str| {
            let got = time(&Cell::Text(s.into()), tz).unwrap();
            assert_eq!(got.format("%Y-%m-%d %H:%M").to_string(), want, "{s}");
        };
        expect("2024年3月12日 8:30", "2024-03-12 08:30");
        expect("2024/3/12 8:30", "2024-03-12 08:30");
        expect("2024.3.12", "2024-03-12 00:00");
        expect("2024-03-12 08:30:00", "2024-03-12 08:30");
        expect("２０２４年３月１２日 ８：３０", "2024-03-12 08:30");
        expect("2024年3月12日下午3时20分", "2024-03-12 15:20");
        expect("2024-03-12T08:30:00+08:00", "2024-03-12 08:30");
        let serial = time(&Cell::Number(45363.354166667), tz).unwrap();
        assert_eq!(
            serial.format("%Y-%m-%d %H:%M").to_string(),
            "2024-03-12 08:30"
        );
        for bad in ["3月12日", "2024年13月1日", "昨天", "2024", "12/3/2024"] {
            assert!(time(&Cell::Text(bad.into()), tz).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_and_words_are_normalised() {
        assert_eq!(count(&Cell::Text("1.2万".into())), Ok(12_000));
        assert_eq!(count(&Cell::Text("12,345".into())), Ok(12_345));
        assert_eq!(count(&Cell::Text("10万+".into())), Ok(100_000));
        assert!(count(&Cell::Text("很多".into())).is_err());
        let mut config = Config::default();
        config.import.values = vec![("较大".into(), "橙".into())];
        let w = |f: &str, s: &str| word(f, s, &config);
        assert_eq!(w("warning", "黄色预警").as_deref(), Ok("黄"));
        assert_eq!(w("warning", "Ⅱ级").as_deref(), Ok("橙"));
        assert_eq!(w("warning", "较大").as_deref(), Ok("橙"));
        assert_eq!(w("level", "三级响应").as_deref(), Ok("三级"));
        assert_eq!(w("level", "Ⅲ级").as_deref(), Ok("三级"));
        assert_eq!(w("sentiment", "消极").as_deref(), Ok("负面"));
        assert_eq!(w("status", "已完成").as_deref(), Ok("已办结"));
        assert_eq!(w("category", "突发事件").as_deref(), Ok("突发事件类"));
        assert!(w("warning", "紫色")
            .unwrap_err()
            .to_string()
            .contains("红、橙、黄、蓝"));
        assert!(w("level", "四级").is_err());
    }
}
