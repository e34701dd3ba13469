//! The analyzer: the one place where text becomes search terms. The static index and the
//! tantivy index call it, related-case scoring cuts records with it, and the
//! browser mirrors it with the fold table ([`super::fold`]), so a query and a record are
//! always cut the same way.
//!
//! Terms: every CJK character and every pair of adjacent CJK characters — kana and Hangul are
//! cut the same way, as Japanese and Korean are written without spaces between words in
//! the texts clerks keep — and every run of letters and digits (`yq`, `2024`, `0031`), with,
//! for a word of [`GRAM`] + 1 or more characters that has a letter, each run of [`GRAM`]
//! characters in it (`communication` gives `com`, `omm`, … `ion`): a query word of [`GRAM`] or
//! more characters is looked up by its grams, so it finds the words it is part of. A shorter
//! query word, or one of digits only, finds whole words. A query's terms are a subset of the terms of any
//! text containing it, so a word that is in a record is always found — including names no
//! dictionary knows and queries that start in the middle of a word. Dictionary words (jieba,
//! [`super::segmenter`]) are used where a person reads the words: 热词.

use super::fold::{self, fold_with};

/// How many characters a gram of a word has: a query word this long or longer finds the
/// words it is part of.
pub const GRAM: usize = 3;

/// Han characters: the scripts cut into characters and pairs.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// Kana and Hangul letters (not their punctuation, such as ・): cut into characters and
/// pairs like Han.
fn is_syllabic(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7FF}'
        | '\u{FF66}'..='\u{FF9F}')
        && c.is_alphabetic()
}

/// Whether `c` is cut into characters and pairs: Han, kana, Hangul.
pub fn is_cut_by_character(c: char) -> bool {
    is_cjk(c) || is_syllabic(c)
}

/// Whether a (folded) word of letters and digits is also cut into grams: it is longer than a
/// gram and has a letter.
pub fn has_grams(word: &str) -> bool {
    word.chars().nth(GRAM).is_some() && word.chars().any(char::is_alphabetic)
}

/// The byte ranges of the grams of `word` (see [`has_grams`]), relative to its start.
fn grams(word: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(word.len()))
        .collect();
    let count = match has_grams(word) {
        true => bounds.len().saturating_sub(GRAM),
        false => 0,
    };
    (0..count).map(move |k| (bounds[k], bounds[k + GRAM]))
}

/// What a (folded) character is to the analyzer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Han,
    /// A letter or digit that is not Han: runs of them form words.
    Word,
    Other,
}

#[inline]
fn kind(c: char) -> Kind {
    if c.is_ascii() {
        return match c.is_ascii_alphanumeric() {
            true => Kind::Word,
            false => Kind::Other,
        };
    }
    if is_cut_by_character(c) {
        return Kind::Han;
    }
    // `is_alphanumeric` looks characters up in Unicode's tables, which is slow: the
    // punctuation of Chinese text (，。、“”《》【】…) is answered first.
    let punctuation =
        matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}');
    match !punctuation && c.is_alphanumeric() {
        true => Kind::Word,
        false => Kind::Other,
    }
}

/// Letters and digits that form words (everything alphanumeric not cut by character).
pub(super) fn is_word_char(c: char) -> bool {
    kind(c) == Kind::Word
}

/// A term and the byte range of the original text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub shape: Shape,
}

/// A term of an [`Analyzed`] text: where its folded form is in `folded`, and the byte range
/// of the original text it came from. Offsets are 32-bit: a text has two terms per character,
/// and half the bytes to write make the analyzer faster (texts over 4 GB are not analysed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    folded_start: u32,
    folded_end: u32,
    start: u32,
    end: u32,
    pub shape: Shape,
}

/// What a term is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One Han character.
    Character,
    /// Two adjacent Han characters.
    Pair,
    /// A run of letters and digits.
    Word,
    /// [`GRAM`] characters of a word, after the word.
    Gram,
}

impl Span {
    /// Where the term starts in the original text.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// Where the term ends in the original text.
    pub fn end(&self) -> usize {
        self.end as usize
    }
}

/// A text folded once, with its terms as ranges into the folded copy: the static index looks
/// terms up without allocating a string per term.
pub struct Analyzed {
    folded: String,
    pub spans: Vec<Span>,
}

impl Analyzed {
    pub fn term(&self, span: &Span) -> &str {
        &self.folded[span.folded_start as usize..span.folded_end as usize]
    }

    /// The length of the term's folded form, and the folded text from its start on: an index
    /// can read a short term as one machine word instead of byte by byte.
    pub fn term_onwards(&self, span: &Span) -> (usize, &[u8]) {
        let start = span.folded_start as usize;
        (
            span.folded_end as usize - start,
            &self.folded.as_bytes()[start..],
        )
    }
}

/// Where a term of [`Terms`] is in the text, and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub start: usize,
    pub end: usize,
    /// [`Shape::Character`] or [`Shape::Word`]: pairs are made of two characters side by side
    /// ([`analyze`]).
    pub shape: Shape,
}

/// A text's characters and words, in order, one at a time: folded on the way, with no copy
/// of the text and no list of terms made. `casebook search`'s index takes these as they come
/// (it finds a run of characters by their positions instead of by pairs); [`analyze`] adds
/// the pairs.
pub struct Terms<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    /// A character read past the end of a word, not yet handed on.
    next: Option<(usize, char)>,
    /// The grams of the word just handed on, not yet handed on: where the word starts, and
    /// the grams' ranges in it.
    grams: Option<(usize, std::vec::IntoIter<(usize, usize)>)>,
    table: &'static [char],
}

impl<'a> Terms<'a> {
    pub fn new(text: &'a str) -> Terms<'a> {
        Terms {
            text,
            chars: text.char_indices(),
            next: None,
            grams: None,
            table: fold::table(),
        }
    }

    /// The next term, its folded form appended to `folded`.
    #[inline]
    pub fn next_into(&mut self, folded: &mut String) -> Option<Term> {
        if let Some((word_start, grams)) = self.grams.as_mut() {
            if let Some((from, to)) = grams.next() {
                let (start, end) = (*word_start + from, *word_start + to);
                let gram = self.text.get(start..end).unwrap_or_default();
                folded.extend(gram.chars().map(|c| fold_with(self.table, c)));
                return Some(Term {
                    start,
                    end,
                    shape: Shape::Gram,
                });
            }
            self.grams = None;
        }
        loop {
            let (start, c) = self.next.take().or_else(|| self.chars.next())?;
            let f = fold_with(self.table, c);
            let shape = match kind(f) {
                Kind::Other => continue,
                Kind::Han => Shape::Character,
                Kind::Word => Shape::Word,
            };
            folded.push(f);
            let mut end = start + c.len_utf8();
            if shape == Shape::Word {
                for (i, c) in self.chars.by_ref() {
                    let f = fold_with(self.table, c);
                    if kind(f) != Kind::Word {
                        self.next = Some((i, c));
                        break;
                    }
                    folded.push(f);
                    end = i + c.len_utf8();
                }
                let word = self.text.get(start..end).unwrap_or_default();
                if has_grams(word) {
                    self.grams = Some((start, grams(word).collect::<Vec<_>>().into_iter()));
                }
            }
            return Some(Term { start, end, shape });
        }
    }
}

/// Fold `text` and find its terms, in order: each character, and the pair it makes with the
/// character before it where the two are side by side; each word. The same cut as [`Terms`]
/// (a test holds the two together), made in one pass over the text that copies the runs of
/// characters that fold to themselves whole: the static index looks at every term of every
/// document, so the cut runs once per text and allocates no string per term.
pub fn analyze(text: &str) -> Analyzed {
    // Offsets are 32-bit (see `Span`); a longer text is analysed up to that length.
    let text = match text.len() > u32::MAX as usize {
        true => &text[..text.floor_char_boundary(u32::MAX as usize)],
        false => text,
    };
    let table = fold::table();
    let mut folded = String::with_capacity(text.len());
    let mut spans: Vec<Span> = Vec::with_capacity(text.len());
    let span = |start: usize, folded_start: usize, end: usize, folded_end: usize, shape| Span {
        folded_start: folded_start as u32,
        folded_end: folded_end as u32,
        start: start as u32,
        end: end as u32,
        shape,
    };
    // Most characters fold to themselves: `folded` is `text` copied in runs, each ended by a
    // character that folds to another; `text[copied..]` is not yet in it. So the folded copy
    // of text offset x (x ≥ copied) is at `folded.len() + x - copied`.
    let mut copied = 0;
    // The Han character just passed (where it starts in the text and in the folded copy),
    // and where the current run of letters and digits started.
    let mut han: Option<(usize, usize)> = None;
    let mut word: Option<(usize, usize)> = None;
    for (i, c) in text.char_indices() {
        let f = fold_with(table, c);
        let end = i + c.len_utf8();
        let fi = folded.len() + i - copied;
        if f != c {
            folded.push_str(&text[copied..i]);
            folded.push(f);
            copied = end;
        }
        let folded_end = folded.len() + end - copied;
        let kind = kind(f);
        if kind == Kind::Word {
            word.get_or_insert((i, fi));
            han = None;
            continue;
        }
        if let Some((start, folded_start)) = word.take() {
            push_word(&mut spans, text, (start, folded_start), i);
        }
        if kind == Kind::Other {
            han = None;
            continue;
        }
        if let Some((start, folded_start)) = han {
            spans.push(span(start, folded_start, end, folded_end, Shape::Pair));
        }
        han = Some((i, fi));
        spans.push(span(i, fi, end, folded_end, Shape::Character));
    }
    folded.push_str(&text[copied..]);
    if let Some((start, folded_start)) = word {
        push_word(&mut spans, text, (start, folded_start), text.len());
    }
    Analyzed { folded, spans }
}

/// The word of `text` from `start` (at `folded_start` in the folded copy) to `end`, then its
/// grams. A full-width letter folds to a shorter one, so each gram's place in the folded copy
/// is counted from the folded lengths of the characters before it.
fn push_word(spans: &mut Vec<Span>, text: &str, (start, folded_start): (usize, usize), end: usize) {
    let word = text.get(start..end).unwrap_or_default();
    let table = fold::table();
    // Each character's offset in the word and in its folded copy, and the ends.
    let mut offsets: Vec<(usize, usize)> = Vec::with_capacity(word.len() + 1);
    let mut folded = 0;
    for (i, c) in word.char_indices() {
        offsets.push((i, folded));
        folded += fold_with(table, c).len_utf8();
    }
    offsets.push((word.len(), folded));
    let span = |from: (usize, usize), to: (usize, usize), shape| Span {
        folded_start: (folded_start + from.1) as u32,
        folded_end: (folded_start + to.1) as u32,
        start: (start + from.0) as u32,
        end: (start + to.0) as u32,
        shape,
    };
    spans.push(span((0, 0), (word.len(), folded), Shape::Word));
    if has_grams(word) {
        spans.extend(
            offsets
                .windows(GRAM + 1)
                .map(|w| span(w[0], w[GRAM], Shape::Gram)),
        );
    }
}

/// The search terms of `text`, in order, with their positions.
pub fn terms(text: &str) -> Vec<Token> {
    let analyzed = analyze(text);
    analyzed
        .spans
        .iter()
        .map(|s| Token {
            text: analyzed.term(s).to_owned(),
            start: s.start(),
            end: s.end(),
            shape: s.shape,
        })
        .collect()
}

/// The terms a query requires of the browser's index: for a Han run of two or more characters
/// its pairs (a single character stands for itself), and each word. Every document term list
/// that contains the query text contains all of these. The browser cuts queries itself
/// (`search.js`); this is the same cut in Rust, which the tests hold it to. (`casebook
/// search` asks for runs of characters as phrases instead: `search::engine`.)
pub fn query_terms(query: &str) -> Vec<String> {
    let tokens = terms(query);
    let mut out: Vec<String> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let single_han = t.text.chars().count() == 1 && t.text.chars().all(is_cut_by_character);
        // A single character is kept only when no pair starting at it follows, and it is not
        // the second half of the pair before it.
        let keep = if single_han {
            let starts_pair = tokens
                .get(i + 1)
                .is_some_and(|n| n.start == t.start && n.text.chars().count() == 2);
            let ends_pair =
                i > 0 && tokens[i - 1].text.chars().count() == 2 && tokens[i - 1].end == t.end;
            !starts_pair && !ends_pair
        } else {
            // A word with grams is found by its grams: also where it is part of a longer word.
            !(t.shape == Shape::Word && has_grams(&t.text))
        };
        if keep && !out.contains(&t.text) {
            out.push(t.text.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold::{fold, fold_char};

    fn texts(t: &[Token]) -> Vec<&str> {
        t.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn word_characters_are_the_alphanumeric_ones_that_are_not_han() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_word_char(c),
                !is_cut_by_character(c) && c.is_alphanumeric(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn folds_traditional_width_and_case() {
        assert_eq!(fold("網絡輿情"), "网络舆情");
        assert_eq!(fold("ＹＱ－２０２４"), "yq-2024");
        assert_eq!(fold("縣教育局"), "县教育局");
        for text in [
            "",
            "县a網絡 ＹＱ縣",
            "純繁體：縣教育局回應。Ａ",
            "plain 简体 text",
        ] {
            let each: String = text.chars().map(fold_char).collect();
            assert_eq!(fold(text), each, "{text}");
        }
    }

    #[test]
    fn kana_and_hangul_are_cut_like_han() {
        let t = terms("田中さんにあげて下さい");
        assert!(texts(&t).contains(&"さん") && texts(&t).contains(&"中さ"));
        assert_eq!(query_terms("田中さん"), ["田中", "中さ", "さん"]);
        assert_eq!(query_terms("서울시"), ["서울", "울시"]);
        // The katakana middle dot is punctuation.
        assert_eq!(query_terms("ア・イ"), ["ア", "イ"]);
    }

    #[test]
    fn long_words_with_a_letter_are_cut_into_grams() {
        let t = terms("Communication 2024 app");
        assert_eq!(
            texts(&t),
            [
                "communication",
                "com",
                "omm",
                "mmu",
                "mun",
                "uni",
                "nic",
                "ica",
                "cat",
                "ati",
                "tio",
                "ion",
                "2024",
                "app"
            ]
        );
        assert!(t
            .iter()
            .filter(|t| t.shape == Shape::Gram)
            .all(|g| g.end - g.start == 3));
        // A query word is looked up by its grams; short words and numbers are whole words.
        assert_eq!(query_terms("munic"), ["mun", "uni", "nic"]);
        assert_eq!(query_terms("app 2024 yq"), ["app", "2024", "yq"]);
        // Cyrillic, with a gram's byte range in the original text.
        let cyr = terms("Москва");
        let g = cyr.iter().find(|t| t.text == "оск").expect("a gram");
        assert_eq!(&"Москва"[g.start..g.end], "оск");
    }

    #[test]
    fn terms_are_characters_pairs_and_words() {
        let t = terms("梅山港 YQ-2024");
        assert_eq!(texts(&t), ["梅", "梅山", "山", "山港", "港", "yq", "2024"]);
        assert_eq!(&"梅山港 YQ-2024"[t[1].start..t[1].end], "梅山");
        assert_eq!(&"梅山港 YQ-2024"[t[5].start..t[5].end], "YQ");
    }

    #[test]
    fn each_term_is_its_original_text_folded() {
        for text in [
            "網絡輿情ＹＱ－２０２４　縣城Ａｂ號",
            "ＡＢＣ中文　ｘ１２３ 𠀀𠀁 end",
            "純繁體：縣教育局回應",
            "",
        ] {
            let a = analyze(text);
            for s in &a.spans {
                assert_eq!(a.term(s), fold(&text[s.start()..s.end()]), "{text}");
            }
        }
    }

    #[test]
    fn terms_one_at_a_time_are_the_analyzers_but_pairs() {
        for text in [
            "網絡輿情ＹＱ－２０２４　縣城Ａｂ號",
            "梅山港 yq2024年",
            "ＡＢＣ中文　ｘ１２３ 𠀀𠀁 end",
            "",
            "a",
            "中",
        ] {
            let all = analyze(text);
            let without: Vec<(&str, usize, usize, Shape)> = all
                .spans
                .iter()
                .filter(|s| s.shape != Shape::Pair)
                .map(|s| (all.term(s), s.start(), s.end(), s.shape))
                .collect();
            let mut terms = Terms::new(text);
            let mut one_by_one: Vec<(String, usize, usize, Shape)> = Vec::new();
            let mut folded = String::new();
            while let Some(t) = terms.next_into(&mut folded) {
                one_by_one.push((std::mem::take(&mut folded), t.start, t.end, t.shape));
            }
            let one_by_one: Vec<(&str, usize, usize, Shape)> = one_by_one
                .iter()
                .map(|(t, start, end, shape)| (t.as_str(), *start, *end, *shape))
                .collect();
            assert_eq!(one_by_one, without, "{text}");
        }
    }

    #[test]
    fn spans_say_what_they_are() {
        let a = analyze("梅山 港a中");
        let shapes: Vec<(&str, Shape)> = a.spans.iter().map(|s| (a.term(s), s.shape)).collect();
        assert_eq!(
            shapes,
            [
                ("梅", Shape::Character),
                ("梅山", Shape::Pair),
                ("山", Shape::Character),
                ("港", Shape::Character),
                ("a", Shape::Word),
                ("中", Shape::Character),
            ]
        );
    }

    #[test]
    fn query_terms_are_pairs_or_lone_characters() {
        assert_eq!(query_terms("網絡輿情"), ["网络", "络舆", "舆情"]);
        assert_eq!(query_terms("桥"), ["桥"]);
        assert_eq!(query_terms("桥 YQ-2024-0031"), ["桥", "yq", "2024", "0031"]);
    }

    #[test]
    fn every_query_term_is_a_term_of_the_text_containing_it() {
        let text = "網傳縣城將建垃圾焚燒廠系謠言，梅山港夜間施工";
        let all: Vec<String> = terms(text).into_iter().map(|t| t.text).collect();
        for q in ["垃圾焚烧", "县城将建", "山港夜", "谣", "焚燒廠"] {
            for t in query_terms(q) {
                assert!(all.contains(&t), "{q}: {t}");
            }
        }
    }
}
