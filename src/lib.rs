//! casebook: a folder of Markdown incident records (网络舆情台账), contingency plans and period
//! summaries compiled into a static intranet site.
//!
//! The pipeline runs one way: [`content`] loads files into typed documents, [`check`] applies
//! the rules that span documents, [`model`] assembles the immutable [`model::Library`] this build
//! publishes, [`derive`] computes facts from it, [`render`] turns both into pages and [`output`]
//! swaps the finished site into place.

mod check;
mod config;
mod content;
mod derive;
pub mod diag;
mod export;
mod fields;
mod lint;
mod model;
mod names;
mod output;
mod pipeline;
mod publish;
mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;

pub use config::Config;
pub use content::load::Loaded;
pub use output::repair;
pub use pipeline::{
    derive_library, load_library, parse_now, prepare, BuildOptions, Failure, Incremental, Prepared,
};
pub use publish::{build, build_with_progress, BuildReport, Progress, StageTimes, STAGES};
