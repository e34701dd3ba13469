//! Text handling: Markdown rendering (and, later, the analyzer that turns text into tokens).

pub mod markdown;
