//! Folding: the one character-to-character table that makes a Traditional, variant, full-width
//! or upper-case spelling find the same text as its Simplified, half-width, lower-case form.
//! The static index, the tantivy index, related cases and hot words fold with [`fold`]; the
//! browser gets the same table ([`fold_table`], in `search/meta.js`) for queries, the case-list
//! filter and highlighting.
//!
//! The table is built from OpenCC's own dictionaries, kept unchanged in `opencc/`:
//! - `TSCharacters`: a Traditional character folds to its first Simplified candidate.
//! - `TWVariants`, `HKVariants`, read in reverse: a form Taiwan or Hong Kong writes (裡, 衞,
//!   敍) folds as the standard character it stands for (裏 → 里, 衛 → 卫, 敘 → 叙).
//! - `CJK_Compatibility_Ideographs`: a compatibility ideograph folds as its unified character.
//!
//! Folding never merges two characters that Simplified text keeps apart, so a Simplified query
//! finds only what it says:
//! - a `TSCharacters` key that is among its own candidates (乾 → 乾 干, 瞭 → 了 瞭) or is the
//!   Simplified form of another character (苧) stays itself;
//! - a Taiwan or Hong Kong form that is a character of GB 2312, the set Simplified text is
//!   written in, stays itself (著, which Taiwan writes for 着, is 著 in 显著).
//!
//! Every character folds to one character of the same length in UTF-8 (and so in UTF-16), so
//! positions in folded text are positions in the original, which snippets and highlighting
//! rely on: the few entries that would change a character's length (a BMP character whose
//! Simplified form is in a supplementary plane) are left out.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const TS_CHARACTERS: &str = include_str!("opencc/TSCharacters.txt");
const TW_VARIANTS: &str = include_str!("opencc/TWVariants.txt");
const HK_VARIANTS: &str = include_str!("opencc/HKVariants.txt");
const COMPATIBILITY: &str = include_str!("opencc/CJK_Compatibility_Ideographs.txt");

/// The code points the table covers: CJK Extension A to the end of the supplementary
/// ideographic plane. Folding runs on every character of every record, so it looks up a
/// direct table rather than hashing.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x2FFFF;

static TABLE: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut table: Vec<char> = (FIRST..=LAST)
        .map(|u| char::from_u32(u).unwrap_or('\u{fffd}'))
        .collect();
    for (from, to) in folds() {
        if let Some(slot) = table.get_mut((from as u32 - FIRST) as usize) {
            *slot = to;
        }
    }
    table
});

/// The entries of an OpenCC dictionary whose key is one character: the key and its values.
fn entries(dictionary: &str) -> impl Iterator<Item = (char, Vec<char>)> + '_ {
    dictionary
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (key, values) = line.split_once('\t')?;
            let mut chars = key.chars();
            let (Some(key), None) = (chars.next(), chars.next()) else {
                return None;
            };
            let values: Vec<char> = values
                .split(' ')
                .filter_map(|v| {
                    let mut chars = v.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => Some(c),
                        _ => None,
                    }
                })
                .collect();
            Some((key, values))
        })
}

/// Whether `c` is a character of GB 2312 (its Hanzi rows, bytes B0–F7 then A1–FE).
fn in_gb2312(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable && matches!(*bytes, [0xB0..=0xF7, 0xA1..=0xFE])
}

/// Every character that folds to another, with what it folds to (at the end of its chain:
/// 裡 → 裏 → 里 gives 裡 → 里).
fn folds() -> Vec<(char, char)> {
    let ts: Vec<(char, Vec<char>)> = entries(TS_CHARACTERS).collect();
    let simplified: HashSet<char> = ts.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let mut next: HashMap<char, char> = HashMap::new();
    for (key, values) in &ts {
        if let Some(&first) = values.first() {
            if !values.contains(key) && !simplified.contains(key) {
                next.insert(*key, first);
            }
        }
    }
    for (standard, variants) in entries(TW_VARIANTS).chain(entries(HK_VARIANTS)) {
        for v in variants {
            if v != standard && !simplified.contains(&v) && !in_gb2312(v) {
                next.entry(v).or_insert(standard);
            }
        }
    }
    for (compatibility, unified) in entries(COMPATIBILITY) {
        if let Some(&u) = unified.first().filter(|&&u| u != compatibility) {
            next.entry(compatibility).or_insert(u);
        }
    }
    let end = |mut c: char| {
        // The tables chain at most twice (variant → standard → Simplified); a cycle, which
        // they do not have, would stop here rather than loop. (No entry maps a character to
        // itself: each insertion above checks it.)
        for _ in 0..4 {
            match next.get(&c) {
                Some(&n) => c = n,
                None => break,
            }
        }
        c
    };
    let mut folds: Vec<(char, char)> = next
        .keys()
        .map(|&c| (c, end(c)))
        .filter(|&(c, f)| {
            c != f && c.len_utf8() == f.len_utf8() && (FIRST..=LAST).contains(&(c as u32))
        })
        .collect();
    folds.sort_unstable();
    folds
}

/// Every character the table changes, with its folded form, sorted: the browser's copy.
pub fn fold_table() -> Vec<(char, char)> {
    (FIRST..=LAST)
        .zip(TABLE.iter())
        .filter_map(|(u, f)| char::from_u32(u).filter(|c| c != f).map(|c| (c, *f)))
        .collect()
}

/// One character, folded: Simplified, half-width, lower case.
pub fn fold_char(c: char) -> char {
    fold_with(&TABLE, c)
}

/// The table itself, for a loop over a text to look it up once ([`fold_with`]).
pub(super) fn table() -> &'static [char] {
    &TABLE
}

/// [`fold_char`] with the table at hand.
#[inline(always)]
pub(super) fn fold_with(table: &[char], c: char) -> char {
    match c {
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        // Full-width forms are inside the table's span: they are answered first.
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(c as u32 - 0xFEE0).map_or(c, |h| h.to_ascii_lowercase())
        }
        '\u{3000}' => ' ',
        _ if (FIRST..=LAST).contains(&(c as u32)) => table[(c as u32 - FIRST) as usize],
        _ => c,
    }
}

/// `text` with every character folded ([`fold_char`]). Most characters fold to themselves:
/// the runs of them are copied whole, not character by character.
pub fn fold(text: &str) -> String {
    let table = &*TABLE;
    let mut folded = String::with_capacity(text.len());
    let mut copied = 0;
    for (i, c) in text.char_indices() {
        let f = fold_with(table, c);
        if f != c {
            folded.push_str(&text[copied..i]);
            folded.push(f);
            copied = i + c.len_utf8();
        }
    }
    folded.push_str(&text[copied..]);
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_variant_and_compatibility_forms_fold_to_simplified() {
        assert_eq!(fold("網絡輿情"), "网络舆情");
        // Taiwan's and Hong Kong's forms, through the standard character.
        assert_eq!(fold("裡"), "里");
        assert_eq!(fold("衞生"), "卫生");
        assert_eq!(fold("敍述"), "叙述");
        // A compatibility ideograph (U+F900) as its unified character 豈, which is 岂.
        assert_eq!(fold("\u{F900}"), "岂");
        assert_eq!(fold("ＡＢｃ　１"), "abc 1");
    }

    #[test]
    fn characters_simplified_text_keeps_apart_stay_apart() {
        // Among their own candidates in TSCharacters.
        assert_eq!(fold("乾隆"), "乾隆");
        // Taiwan writes 著 for 着, but 著 is a character of Simplified text (显著).
        assert_eq!(fold("显著"), "显著");
        assert_eq!(fold("着急"), "着急");
    }

    #[test]
    fn no_simplified_character_folds_to_another() {
        // Every Simplified form OpenCC gives folds to itself.
        for (_, values) in entries(TS_CHARACTERS) {
            for v in values {
                assert_eq!(fold_char(v), v, "{v} (U+{:X})", v as u32);
            }
        }
    }

    #[test]
    fn folding_is_idempotent_and_keeps_lengths() {
        for (c, f) in fold_table() {
            assert_eq!(fold_char(f), f, "{c} → {f} folds again");
            assert_eq!(c.len_utf8(), f.len_utf8(), "{c} → {f}");
            assert_eq!(c.len_utf16(), f.len_utf16(), "{c} → {f}");
        }
    }

    #[test]
    fn gb2312_is_told_by_its_hanzi_rows() {
        assert!(in_gb2312('著'));
        assert!(in_gb2312('网'));
        assert!(!in_gb2312('網'));
        assert!(!in_gb2312('啟'));
        assert!(!in_gb2312('a'));
    }
}
