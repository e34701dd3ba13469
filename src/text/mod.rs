//! Text handling: Markdown rendering, the analyzer that turns text into search terms, and
//! the segmenter that cuts it into dictionary words.

pub mod analyzer;
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

#[cfg(test)]
mod tests {
    use super::char_to_byte;

    #[test]
    fn a_character_number_is_where_it_starts_or_the_end() {
        let text = "网a络";
        let starts: Vec<usize> = (0..=8).map(|n| char_to_byte(text, n)).collect();
        assert_eq!(starts, [0, 3, 4, 7, 7, 7, 7, 7, 7]);
        assert_eq!(char_to_byte("", 0), 0);
        assert_eq!(char_to_byte("abc", usize::MAX), 3);
    }
}
