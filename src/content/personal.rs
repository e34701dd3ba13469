//! Personal numbers (mobile and landline numbers, 身份证号) in a record visible beyond the
//! narrowest audience: found when the record is read, so that a warning names the line.

use super::record::Record;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Pos, SourceText};
use crate::messages::Key;
use crate::msg;

/// Warn about mobile, landline and 身份证 numbers in a record that is visible beyond the
/// narrowest audience. The number is masked in the message and in the line shown under it, so
/// the warning does not spread it.
pub fn warn(r: &Record, config: &Config, src: &SourceText, diags: &mut Diagnostics) {
    let narrowest = config.audiences.last().map_or("restricted", String::as_str);
    let mut report = |pos: Pos, found: Found| {
        let mut d = Diagnostic::warning(
            &r.origin.path,
            pos,
            msg!(
                PersonalNumber,
                kind = found.kind.label(),
                number = found.masked(),
                audience = &r.visibility.audience
            ),
        )
        .hint(msg!(MaskNumber, narrowest = narrowest));
        // The excerpt under the headline shows the line masked, the number underlined.
        if let Some(line) = src.line(pos.line) {
            let start = line
                .char_indices()
                .nth(pos.col.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i);
            let number_at = find_numbers(line)
                .into_iter()
                .find(|f| f.start >= start && f.digits == found.digits)
                .map_or(start, |f| f.start);
            let (masked, col, width) = masked_line(line, number_at);
            d.pos.col = col + 1;
            d.line_text = Some(masked);
            d.width = width;
        }
        diags.push(d);
    };
    let mut fields: Vec<(String, &str)> = vec![
        ("title".into(), &r.title),
        ("department".into(), &r.department),
    ];
    fields.extend(r.region.as_deref().map(|v| ("region".to_owned(), v)));
    fields.extend(
        r.response_channel
            .as_deref()
            .map(|v| ("response_channel".to_owned(), v)),
    );
    for (i, t) in r.timeline.iter().enumerate() {
        fields.push((format!("timeline[{i}].note"), &t.note));
    }
    for (field, text) in fields {
        for found in find_numbers(text) {
            report(r.origin.positions.of(&field), found);
        }
    }
    for (i, line) in r.body.markdown.lines().enumerate() {
        for found in find_numbers(line) {
            let col = line[..found.start].chars().count() + 1;
            report(
                Pos {
                    line: r.body.line + i,
                    col,
                },
                found,
            );
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Mobile,
    Landline,
    IdCard,
}

impl NumberKind {
    fn label(self) -> Key {
        match self {
            NumberKind::Mobile => Key::MobileNumber,
            NumberKind::Landline => Key::LandlineNumber,
            NumberKind::IdCard => Key::IdCardNumber,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: NumberKind,
    /// Byte offsets of the number in the text, separators included.
    pub start: usize,
    pub end: usize,
    /// The digits (and a final X), separators removed.
    pub digits: String,
}

impl Found {
    /// First three and last four characters kept: enough to find it, not enough to use it.
    pub fn masked(&self) -> String {
        let n = self.digits.len();
        format!(
            "{}{}{}",
            &self.digits[..3],
            "*".repeat(n - 7),
            &self.digits[n - 4..]
        )
    }
}

/// `line` with every personal number in it masked, and where in characters the one at byte
/// `start` begins and how long it is: what a warning shows under its headline, so the
/// terminal never prints the number it warns about.
fn masked_line(line: &str, start: usize) -> (String, usize, usize) {
    let mut out = String::with_capacity(line.len());
    let (mut at, mut col, mut width) = (0, 0, 1);
    for found in find_numbers(line) {
        out.push_str(line.get(at..found.start).unwrap_or_default());
        let masked = found.masked();
        if found.start == start {
            col = out.chars().count();
            width = masked.chars().count();
        }
        out.push_str(&masked);
        at = found.end;
    }
    out.push_str(line.get(at..).unwrap_or_default());
    (out, col, width)
}

/// Personal numbers in `text`: runs of digits, optionally split by single `-` or spaces
/// (138-1234-5678, 0318 1234567), not touching other digits or letters.
pub fn find_numbers(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Most bytes are not digits: look no further at them.
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        let mut groups = Vec::new();
        loop {
            let group_start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            digits.push_str(&text[group_start..i]);
            groups.push(i - group_start);
            let separated = i + 1 < bytes.len()
                && matches!(bytes[i], b'-' | b' ')
                && bytes[i + 1].is_ascii_digit();
            if !separated {
                break;
            }
            i += 1;
        }
        if i < bytes.len() && matches!(bytes[i], b'X' | b'x') && digits.len() == 17 {
            digits.push('X');
            i += 1;
        }
        let touches_more = i < bytes.len() && bytes[i].is_ascii_alphanumeric();
        if !touches_more {
            if let Some(kind) = classify(&digits, &groups) {
                out.push(Found {
                    kind,
                    start,
                    end: i,
                    digits,
                });
            }
        }
    }
    out
}

fn classify(digits: &str, groups: &[usize]) -> Option<NumberKind> {
    let b = digits.as_bytes();
    match b.len() {
        18 if plausible_birth_date(&digits[6..14]) => Some(NumberKind::IdCard),
        11 if b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
            && (groups.len() == 1 || groups == [3, 4, 4]) =>
        {
            Some(NumberKind::Mobile)
        }
        10..=12
            if b[0] == b'0'
                && groups.len() == 2
                && (3..=4).contains(&groups[0])
                && (7..=8).contains(&groups[1]) =>
        {
            Some(NumberKind::Landline)
        }
        _ => None,
    }
}

/// `YYYYMMDD` of a birth date this century or the last.
fn plausible_birth_date(s: &str) -> bool {
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (n(0..4), n(4..6), n(6..8));
    (1900..2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(NumberKind, String)> {
        find_numbers(text)
            .into_iter()
            .map(|f| (f.kind, f.masked()))
            .collect()
    }

    #[test]
    fn finds_personal_numbers_and_leaves_dates_and_counts() {
        assert_eq!(
            kinds("联系人电话13812345678。"),
            vec![(NumberKind::Mobile, "138****5678".into())]
        );
        assert_eq!(
            kinds("电话 138-1234-5678"),
            vec![(NumberKind::Mobile, "138****5678".into())]
        );
        assert_eq!(
            kinds("办公室0318-4221234"),
            vec![(NumberKind::Landline, "031****1234".into())]
        );
        assert_eq!(
            kinds("身份证号13112219900307123X"),
            vec![(NumberKind::IdCard, "131***********123X".into())]
        );
        assert!(kinds("2024-03-12 08:30 阅读量120000，文号〔2022〕5号").is_empty());
        assert!(kinds("编号YQ-2024-0031，订单号138123456789").is_empty());
        assert!(kinds("abc13812345678").is_empty());
    }
}
