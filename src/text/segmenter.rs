//! Dictionary words (jieba's cut with its own dictionary) for 热词, the words a person reads
//! as a period's topics. Making the dictionary's trie takes a few hundred milliseconds, so a
//! build makes one segmenter and `serve` keeps its own between rebuilds.

use jieba_rs::Jieba;

use super::analyzer::{is_cjk, is_word_char};

pub struct Segmenter(Jieba);

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter(Jieba::new())
    }
}

impl Segmenter {
    /// Dictionary words of `folded` (a text folded by [`super::fold::fold`]), each cut once
    /// (城关镇, not also 关镇): Han words of two or more characters and letter/digit words,
    /// each handed to `word`.
    pub fn whole_words(&self, folded: &str, mut word: impl FnMut(&str)) {
        for w in self.0.cut(folded, true).into_iter().map(|t| t.word) {
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
    use crate::text::fold::fold;

    #[test]
    fn words_are_dictionary_words_of_two_or_more_characters() {
        let mut w = Vec::new();
        Segmenter::default().whole_words(&fold("县教育局回应食堂问题 4S店"), |x| {
            w.push(x.to_owned())
        });
        assert!(w.contains(&"教育局".to_owned()) && w.contains(&"食堂".to_owned()));
        assert!(w.iter().all(|w| w.chars().count() >= 2));
    }
}
