//! Dictionary words (jieba) for similarity between records, cut with jieba's dictionary
//! narrowed to the words a library's characters can spell.
//!
//! The whole dictionary (jieba's own `dict.txt`, [`DICT`]) is 349,000 words, and loading all
//! of them into jieba's trie took a fifth of a first build of 1,000 records, with the similar
//! cases waiting for it. jieba only ever looks up words that occur in the text it cuts, so a
//! word with a character that none of the texts has is never found, and leaving it out
//! changes no cut — if the sum of all frequencies, which every word's probability is
//! measured against, stays the same. So the words left out are replaced by one word of a
//! character no text has (a Unicode noncharacter) with their frequencies summed. For 1,000
//! generated records 30 % of the words are kept; they load in a third of the time, and the
//! smaller trie cuts 6 % faster. The words come grouped by first character (`src/build.rs`
//! groups them when casebook is compiled), so a group whose first character no text has is
//! left out whole, its frequencies summed in advance, without a word of it read.
//!
//! A text with a character the current dictionary lacks (a record added under `serve`) gets
//! a dictionary widened to it: [`segmenter`] keeps the latest one and makes a new one only
//! then.

use std::sync::{Arc, Mutex};

use jieba_rs::Jieba;

use super::analyzer::{fold, fold_char, is_cjk, is_word_char};
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

/// A set of characters, one bit each: those of some texts, folded as the analyzer folds them.
#[derive(Clone, PartialEq, Eq)]
pub struct Chars(Vec<u64>);

impl Default for Chars {
    fn default() -> Self {
        Chars(vec![0; (char::MAX as usize + 1).div_ceil(64)])
    }
}

impl Chars {
    /// Every character: a dictionary for them is jieba's whole dictionary.
    pub fn all() -> Chars {
        Chars(vec![u64::MAX; Chars::default().0.len()])
    }

    /// Add the characters of `text`, as they are (see [`Chars::folded`]).
    pub fn add(&mut self, text: &str) {
        for c in text.chars() {
            self.0[c as usize / 64] |= 1 << (c as usize % 64);
        }
    }

    /// The set with every character folded: what a segmenter must know to cut the texts the
    /// characters were added from (folding the set once costs less than folding each text).
    pub fn folded(&self) -> Chars {
        let mut folded = Chars::default();
        for c in self.iter() {
            folded.add(fold_char(c).encode_utf8(&mut [0; 4]));
        }
        folded
    }

    /// Both sets' characters.
    pub fn union(mut self, other: &Chars) -> Chars {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
        self
    }

    fn contains(&self, c: char) -> bool {
        self.0[c as usize / 64] >> (c as usize % 64) & 1 == 1
    }

    fn contains_all(&self, other: &Chars) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| b & !a == 0)
    }

    fn iter(&self) -> impl Iterator<Item = char> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &bits)| {
            (0..64)
                .filter(move |b| bits >> b & 1 == 1)
                .filter_map(move |b| char::from_u32((i * 64 + b) as u32))
        })
    }
}

/// jieba with a dictionary narrowed to the characters it covers.
pub struct Segmenter {
    covers: Chars,
    jieba: Jieba,
}

/// The latest segmenter made: a build makes one for its records, and `serve` keeps it while
/// the edited records have no new characters.
struct Latest(Mutex<Option<Arc<Segmenter>>>);

static LATEST: Latest = Latest(Mutex::new(None));

/// A segmenter for texts of the (folded) characters `chars`: the latest one if it covers
/// them, else one that covers both.
pub fn segmenter(chars: &Chars) -> Arc<Segmenter> {
    LATEST.covering(chars)
}

impl Latest {
    fn covering(&self, chars: &Chars) -> Arc<Segmenter> {
        let mut latest = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = latest.as_ref().filter(|s| s.covers.contains_all(chars)) {
            return Arc::clone(s);
        }
        let covers = match latest.as_ref() {
            Some(s) => s.covers.clone().union(chars),
            None => chars.clone(),
        };
        let made = Arc::new(Segmenter::new(covers));
        *latest = Some(Arc::clone(&made));
        made
    }
}

impl Segmenter {
    fn new(covers: Chars) -> Segmenter {
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
                if stand_in.is_none() || word.chars().all(|c| covers.contains(c)) {
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

    /// Dictionary words of `text` (folded, jieba's search cut), for similarity between
    /// records: Han words of two or more characters and letter/digit words, each handed to
    /// `word`.
    pub fn words(&self, text: &str, mut word: impl FnMut(&str)) {
        let folded = fold(text);
        if !folded.chars().all(|c| self.covers.contains(c)) {
            let mut chars = Chars::default();
            chars.add(text);
            return segmenter(&chars.folded()).words(text, word);
        }
        for w in self
            .jieba
            .cut_for_search(&folded, true)
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

    fn words(s: &Segmenter, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        s.words(text, |w| out.push(w.to_owned()));
        out
    }

    fn chars_of(texts: &[&str]) -> Chars {
        let mut chars = Chars::default();
        for t in texts {
            chars.add(t);
        }
        chars.folded()
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
        let whole = Segmenter::new(Chars::all());
        let narrowed = Segmenter::new(chars_of(&refs));
        assert!(narrowed.jieba.has_word("食堂") && !narrowed.jieba.has_word("蟋蟀"));
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
        let first = latest.covering(&chars_of(&["学校食堂"]));
        assert!(Arc::ptr_eq(&first, &latest.covering(&chars_of(&["食堂"]))));
        let wider = latest.covering(&chars_of(&["蟋蟀"]));
        assert!(!Arc::ptr_eq(&first, &wider));
        assert!(wider.covers.contains_all(&chars_of(&["学校食堂蟋蟀"])));
        assert!(wider.jieba.has_word("蟋蟀") && !first.jieba.has_word("蟋蟀"));
    }

    #[test]
    fn a_text_the_dictionary_does_not_cover_is_cut_with_a_wider_one() {
        let narrow = Segmenter::new(chars_of(&["学校食堂"]));
        assert_eq!(words(&narrow, "蟋蟀在食堂"), ["蟋蟀", "食堂"]);
    }

    #[test]
    fn words_are_dictionary_words_of_two_or_more_characters() {
        let w = words(&Segmenter::new(Chars::all()), "县教育局回应食堂问题");
        assert!(w.contains(&"教育局".to_owned()) && w.contains(&"食堂".to_owned()));
        assert!(w.iter().all(|w| w.chars().count() >= 2));
    }
}
