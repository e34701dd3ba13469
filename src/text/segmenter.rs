//! Dictionary words (jieba's search cut with its own dictionary) for similarity between
//! records. Making the dictionary's trie takes a few hundred milliseconds, so a build makes
//! one segmenter and `serve` keeps its own between rebuilds.

use jieba_rs::Jieba;

use super::analyzer::{is_cjk, is_word_char};

pub struct Segmenter(Jieba);

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter(Jieba::new())
    }
}

impl Segmenter {
    /// Dictionary words of `folded` (a text folded by [`super::fold::fold`]), for
    /// similarity between records: Han words of two or more characters and letter/digit
    /// words, each handed to `word`.
    pub fn words(&self, folded: &str, word: impl FnMut(&str)) {
        let cut = self.0.cut_for_search(folded, true);
        kept(cut.into_iter().map(|t| t.word), word);
    }

    /// The same, cut once (城关镇, not also 关镇): words to show a person, as 热词.
    pub fn whole_words(&self, folded: &str, word: impl FnMut(&str)) {
        kept(self.0.cut(folded, true).into_iter().map(|t| t.word), word);
    }
}

/// Han words of two or more characters and letter/digit words, handed to `word`.
fn kept<'a>(words: impl Iterator<Item = &'a str>, mut word: impl FnMut(&str)) {
    for w in words {
        let kept =
            w.chars().nth(1).is_some() && (w.chars().all(is_cjk) || w.chars().all(is_word_char));
        if kept {
            word(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold::fold;

    #[test]
    fn words_are_dictionary_words_of_two_or_more_characters() {
        let mut w = Vec::new();
        Segmenter::default().words(&fold("县教育局回应食堂问题 4S店"), |x| {
            w.push(x.to_owned())
        });
        assert!(w.contains(&"教育局".to_owned()) && w.contains(&"食堂".to_owned()));
        assert!(w.iter().all(|w| w.chars().count() >= 2));
    }
}
