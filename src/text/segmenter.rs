//! Dictionary words (jieba) for similarity between records, cut with jieba's dictionary
//! narrowed to the words a library's texts can hold.
//!
//! The whole dictionary (jieba's own `dict.txt`, [`DICT`]) is 349,000 words, and loading all
//! of them into jieba's trie took a fifth of a first build of 1,000 records, with the similar
//! cases waiting for it. jieba only ever looks up words that occur in the text it cuts, so a
//! word with a character, or two characters side by side, that none of the texts has
//! ([`Covered`]) is never found, and leaving it out changes no cut — if the sum of all
//! frequencies, which every word's probability is measured against, stays the same. So the
//! words left out are replaced by one word of a character no text has (a Unicode
//! noncharacter) with their frequencies summed. For 1,000 generated records 9,000 words are
//! kept (103,000 had all their characters in the texts, but most never side by side), so the
//! trie is small and quick to make and to cut with. The words come grouped by first character
//! (`src/build.rs` groups them when casebook is compiled), so a group whose first character no
//! text has is left out whole, its frequencies summed in advance, without a word of it read.
//!
//! A text the current dictionary does not cover (a record edited under `serve`) gets a
//! dictionary widened to it: [`segmenter`] keeps the latest one and makes a new one only
//! then.

use std::sync::{Arc, Mutex};

use jieba_rs::Jieba;

use super::analyzer::{is_cjk, is_word_char};
use crate::kept::Fields;

/// jieba's dictionary (jieba-rs 0.11.0's `src/data/dict.txt`, MIT licensed, in
/// `jieba_dict.txt`), grouped by first character as `src/build.rs` describes.
static DICT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba_dict.bin"));

/// One group of [`DICT`]: its words' first character, the sum of their frequencies, and the
/// words.
struct Group<'a> {
    first: char,
    sum: u64,
    words: Fields<'a>,
}

/// [`DICT`]'s groups, in order.
fn groups() -> impl Iterator<Item = Group<'static>> {
    let mut dict = Fields(DICT);
    std::iter::from_fn(move || {
        let first = char::from_u32(dict.u32()?)?;
        let sum = dict.u64()?;
        let len = dict.u32()? as usize;
        let words = Fields(dict.take(len)?);
        Some(Group { first, sum, words })
    })
}

impl<'a> Iterator for Group<'a> {
    /// A word and its frequency.
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<(&'a str, usize)> {
        let len = usize::from(*self.words.take(1)?.first()?);
        let word = std::str::from_utf8(self.words.take(len)?).ok()?;
        Some((word, self.words.u32()? as usize))
    }
}

/// Characters that no text has any business holding, one of which stands for the words left
/// out of a narrowed dictionary.
const NONCHARACTERS: (char, char) = ('\u{FDD0}', '\u{FDEF}');

/// A set of the numbers below its size, one bit each.
#[derive(Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn none(bits: usize) -> Bits {
        Bits(vec![0; bits.div_ceil(64)])
    }

    fn all(bits: usize) -> Bits {
        Bits(vec![u64::MAX; bits.div_ceil(64)])
    }

    #[inline]
    fn set(&mut self, bit: usize) {
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    #[inline]
    fn get(&self, bit: usize) -> bool {
        self.0[bit / 64] >> (bit % 64) & 1 == 1
    }

    fn union(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn contains_all(&self, other: &Bits) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| b & !a == 0)
    }
}

/// One bit per character.
const CHAR_BITS: usize = char::MAX as usize + 1;
/// Pairs of characters are hashed to this many bits (a megabyte): a pair that shares its bit
/// with another only keeps a word that could have been left out.
const PAIR_BITS: usize = 1 << 23;

/// The bit of a pair of characters.
#[inline]
fn pair_bit(a: char, b: char) -> usize {
    let key = (u64::from(a) << 21 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (key >> (64 - PAIR_BITS.trailing_zeros())) as usize
}

/// What some (folded) texts hold, as far as a dictionary must know it: their characters and
/// the pairs of characters side by side in them. jieba only looks up words that occur in the
/// text it cuts, so a word with a character, or two characters side by side, that no text
/// has is never found.
#[derive(Clone)]
pub struct Covered {
    chars: Bits,
    pairs: Bits,
}

impl Default for Covered {
    fn default() -> Self {
        Covered {
            chars: Bits::none(CHAR_BITS),
            pairs: Bits::none(PAIR_BITS),
        }
    }
}

impl Covered {
    /// Every text: a dictionary for it is jieba's whole dictionary.
    pub fn all() -> Covered {
        Covered {
            chars: Bits::all(CHAR_BITS),
            pairs: Bits::all(PAIR_BITS),
        }
    }

    /// Add what `folded` (a text folded by [`super::analyzer::fold`]) holds.
    pub fn add(&mut self, folded: &str) {
        let mut last = None;
        for c in folded.chars() {
            self.chars.set(c as usize);
            if let Some(b) = last.replace(c) {
                self.pairs.set(pair_bit(b, c));
            }
        }
    }

    /// Both sets' characters and pairs.
    pub fn union(mut self, other: &Covered) -> Covered {
        self.chars.union(&other.chars);
        self.pairs.union(&other.pairs);
        self
    }

    /// Whether every character and pair of `text` is in the set.
    fn holds(&self, text: &str) -> bool {
        let mut last = None;
        text.chars().all(|c| {
            let pair = last
                .replace(c)
                .is_none_or(|b| self.pairs.get(pair_bit(b, c)));
            pair && self.chars.get(c as usize)
        })
    }

    fn contains(&self, c: char) -> bool {
        self.chars.get(c as usize)
    }

    fn contains_all(&self, other: &Covered) -> bool {
        self.chars.contains_all(&other.chars) && self.pairs.contains_all(&other.pairs)
    }
}

/// jieba with a dictionary narrowed to the texts it covers.
pub struct Segmenter {
    covers: Covered,
    jieba: Jieba,
}

/// The latest segmenter made: a build makes one for its records, and `serve` keeps it while
/// the edited records have no new characters, nor characters newly side by side.
struct Latest(Mutex<Option<Arc<Segmenter>>>);

static LATEST: Latest = Latest(Mutex::new(None));

/// A segmenter for the texts `covered` holds: the latest one if it covers them, else one
/// that covers both.
pub fn segmenter(covered: &Covered) -> Arc<Segmenter> {
    LATEST.covering(covered)
}

impl Latest {
    fn covering(&self, covered: &Covered) -> Arc<Segmenter> {
        let mut latest = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = latest.as_ref().filter(|s| s.covers.contains_all(covered)) {
            return Arc::clone(s);
        }
        let covers = match latest.as_ref() {
            Some(s) => s.covers.clone().union(covered),
            None => covered.clone(),
        };
        let made = Arc::new(Segmenter::new(covers));
        *latest = Some(Arc::clone(&made));
        made
    }
}

impl Segmenter {
    fn new(covers: Covered) -> Segmenter {
        // Without a character to stand for the words left out, none is left out.
        let stand_in = (NONCHARACTERS.0..=NONCHARACTERS.1).find(|c| !covers.contains(*c));
        let mut jieba = Jieba::empty();
        let mut left_out = 0;
        for group in groups() {
            if stand_in.is_some() && !covers.contains(group.first) {
                left_out += group.sum as usize;
                continue;
            }
            for (word, freq) in group {
                if stand_in.is_none() || covers.holds(word) {
                    jieba.add_word(word, Some(freq), None);
                } else {
                    left_out += freq;
                }
            }
        }
        if let Some(c) = stand_in.filter(|_| left_out > 0) {
            jieba.add_word(c.encode_utf8(&mut [0; 4]), Some(left_out), None);
        }
        Segmenter { covers, jieba }
    }

    /// Dictionary words of `folded` (a text folded by [`super::analyzer::fold`]; jieba's
    /// search cut), for similarity between records: Han words of two or more characters and
    /// letter/digit words, each handed to `word`. `folded` must be one of the texts the
    /// segmenter was made for ([`segmenter`]): a word of any other text may have been left out
    /// of its dictionary.
    pub fn words(&self, folded: &str, mut word: impl FnMut(&str)) {
        debug_assert!(
            self.covers.holds(folded),
            "a text the dictionary was not made for"
        );
        for w in self
            .jieba
            .cut_for_search(folded, true)
            .into_iter()
            .map(|t| t.word)
        {
            let kept = w.chars().nth(1).is_some()
                && (w.chars().all(is_cjk) || w.chars().all(is_word_char));
            if kept {
                word(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::text::analyzer::fold;

    fn words(s: &Segmenter, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        s.words(&fold(text), |w| out.push(w.to_owned()));
        out
    }

    fn covered_of(texts: &[&str]) -> Covered {
        let mut covered = Covered::default();
        for t in texts {
            covered.add(&fold(t));
        }
        covered
    }

    /// The demo library's records and a few texts of names, Traditional characters and
    /// letters: cut with a dictionary narrowed to them exactly as with the whole dictionary.
    #[test]
    fn a_narrowed_dictionary_cuts_as_the_whole_one() {
        let mut texts: Vec<String> = walkdir::WalkDir::new("cases")
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        assert!(texts.len() > 10, "the demo library's records are read");
        texts.push("網絡輿情：梅山縣醫院停車難，市民在微博反映 4S店 YQ-2025-00042".into());
        texts.push("暴雨积水致学校食堂停电，家长质疑食品安全".into());
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let whole = Segmenter::new(Covered::all());
        let narrowed = Segmenter::new(covered_of(&refs));
        assert!(narrowed.jieba.has_word("食堂") && !narrowed.jieba.has_word("蟋蟀"));
        // Its characters are in the texts, but never side by side.
        assert!(refs.iter().any(|t| t.contains('学')) && refs.iter().any(|t| t.contains('堂')));
        assert!(!refs.iter().any(|t| fold(t).contains("学堂")) && whole.jieba.has_word("学堂"));
        assert!(!narrowed.jieba.has_word("学堂"));
        for t in &refs {
            assert_eq!(words(&narrowed, t), words(&whole, t), "{t}");
        }
    }

    /// The grouped dictionary compiled in holds jieba's dictionary file's words with their
    /// frequencies, and each group the sum of its own.
    #[test]
    fn the_grouped_dictionary_is_jiebas() {
        let text = std::fs::read_to_string("src/text/jieba_dict.txt").unwrap_or_default();
        let mut lines: Vec<(String, usize)> = text
            .lines()
            .filter_map(|line| {
                let mut fields = line.split_ascii_whitespace();
                Some((fields.next()?.to_owned(), fields.next()?.parse().ok()?))
            })
            .collect();
        assert!(lines.len() > 340_000, "the dictionary file is read");
        let mut grouped = Vec::new();
        for group in groups() {
            let sum = group.sum as usize;
            let first = group.first;
            let words: Vec<(String, usize)> = group.map(|(w, f)| (w.to_owned(), f)).collect();
            assert!(words.iter().all(|(w, _)| w.starts_with(first)), "{first}");
            assert_eq!(words.iter().map(|(_, f)| f).sum::<usize>(), sum, "{first}");
            grouped.extend(words);
        }
        lines.sort();
        grouped.sort();
        assert!(lines == grouped, "the same words and frequencies");
    }

    #[test]
    fn new_characters_get_a_wider_dictionary() {
        let latest = Latest(Mutex::new(None));
        let first = latest.covering(&covered_of(&["学校食堂"]));
        assert!(Arc::ptr_eq(
            &first,
            &latest.covering(&covered_of(&["食堂"]))
        ));
        let wider = latest.covering(&covered_of(&["蟋蟀"]));
        assert!(!Arc::ptr_eq(&first, &wider));
        assert!(wider
            .covers
            .contains_all(&covered_of(&["学校食堂", "蟋蟀"])));
        assert!(wider.jieba.has_word("蟋蟀") && !first.jieba.has_word("蟋蟀"));
    }

    #[test]
    fn words_are_dictionary_words_of_two_or_more_characters() {
        let w = words(&Segmenter::new(Covered::all()), "县教育局回应食堂问题");
        assert!(w.contains(&"教育局".to_owned()) && w.contains(&"食堂".to_owned()));
        assert!(w.iter().all(|w| w.chars().count() >= 2));
    }
}
