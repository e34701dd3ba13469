//! Text handling: Markdown rendering, and the analyzer that turns text into search terms.

pub mod analyzer;
pub mod markdown;
