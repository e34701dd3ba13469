//! Text handling: Markdown rendering, and the analyzer that turns text into search terms.

pub mod analyzer;
pub mod markdown;

/// Where the character numbered `chars` (from 0) starts in `text`: its length if it has no
/// more characters. `&text[..char_to_byte(text, n)]` is its first `n` characters.
pub fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}
