//! Text handling: Markdown rendering, the fold that makes variant spellings one, the analyzer
//! that turns text into search terms, and the segmenter that cuts it into dictionary words.

pub mod analyzer;
pub mod fold;
pub mod markdown;
pub mod segmenter;

/// Where the character numbered `chars` (from 0) starts in `text`: its length if it has no
/// more characters. `&text[..char_to_byte(text, n)]` is its first `n` characters.
pub fn char_to_byte(text: &str, chars: usize) -> usize {
    // A text has no more characters than bytes: asked for at least that many, it is whole
    // (asking for all of a text is common, and walking it character by character is not free).
    if chars >= text.len() {
        return text.len();
    }
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

/// The first placeholder in `text` and where it starts: `〔责任单位〕`, what `casebook new`
/// and the templates write for the clerk to fill in. A year in a document number
/// (故网信督〔2024〕2号) and an empty `〔 〕` are not placeholders.
pub fn placeholder(text: &str) -> Option<(usize, &str)> {
    let mut from = 0;
    while let Some(open) = text.get(from..)?.find('〔') {
        let start = from + open;
        let inner_start = start + '〔'.len_utf8();
        let close = text.get(inner_start..)?.find('〕')?;
        let inner = text.get(inner_start..inner_start + close)?;
        let end = inner_start + close + '〕'.len_utf8();
        if inner
            .chars()
            .any(|c| !c.is_ascii_digit() && !c.is_whitespace())
        {
            return Some((start, text.get(start..end)?));
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{char_to_byte, placeholder};

    #[test]
    fn placeholders_are_bracketed_words_not_years() {
        assert_eq!(
            placeholder("department = 〔责任单位〕"),
            Some((13, "〔责任单位〕"))
        );
        assert_eq!(
            placeholder("故网信督〔2024〕2号，〔请填写〕"),
            Some((29, "〔请填写〕"))
        );
        assert_eq!(placeholder("故网信督〔2024〕2号"), None);
        assert_eq!(placeholder("按〔 〕提示填写"), None);
        assert_eq!(placeholder("〔未闭合"), None);
    }

    #[test]
    fn a_character_number_is_where_it_starts_or_the_end() {
        let text = "网a络";
        let starts: Vec<usize> = (0..=8).map(|n| char_to_byte(text, n)).collect();
        assert_eq!(starts, [0, 3, 4, 7, 7, 7, 7, 7, 7]);
        assert_eq!(char_to_byte("", 0), 0);
        assert_eq!(char_to_byte("abc", usize::MAX), 3);
    }
}
