//! casebook: a folder of Markdown incident records (网络舆情台账), contingency plans and period
//! summaries compiled into a static intranet site, with statistics and offline Chinese search.
//!
//! # The pipeline
//!
//! A build runs one way, each stage a module, data flowing forward only:
//!
//! ```text
//! content   walk the library, split front matter, read typed documents; every error with
//!           file:line:col, never stopping at the first               (pipeline::load_library)
//! check     rules across documents: unique ids, references, vocabulary
//! lint      advice: late answers without lessons, plans due for review
//! model     the immutable Library this build publishes (its audience, drafts or not)
//! derive    facts computed from the Library: deadlines, indexes, statistics, similar cases
//! render    Markdown → sanitised HTML, inline SVG charts, pages through Tera templates,
//!           print sheets and Word documents
//! search    the browser's sharded index (search/static_index) and tantivy's (search/engine)
//! export    data/cases.csv, data/cases.xlsx and data/casebook.sqlite
//! output    a new folder beside the published site, swapped in when every file is written
//! ```
//!
//! [`pipeline`] runs the stages up to the first page ([`Prepared`]); [`publish`] renders,
//! indexes and exports into the new folder and swaps it in. `serve` keeps a [`Prepared`] in
//! memory and renders pages when they are asked for; [`scaffold`] writes the documents `new`
//! and `init` start from.
//!
//! # Module map
//!
//! | module | job |
//! |---|---|
//! | `config` | `casebook.toml` and its built-in defaults |
//! | `fields`, `names` | reading TOML fields with their positions; which names may become file names |
//! | `content` | one module per document kind; `load` reads them all, `personal` finds personal numbers |
//! | `check`, `lint` | errors across documents; warnings that are advice |
//! | `model` | the Library a build publishes |
//! | `derive` | `deadlines`, `indexes`, `plans`, `stats`, `related` (similar cases), `hot_words` (热词) |
//! | `text` | `analyzer` (the one place text becomes search terms), `segmenter` (jieba), `markdown` |
//! | `render` | `pages` (which pages exist, the frame, the lists), `views`, `rows`, `figures`, `summaries`, `charts`, `site` (templates and theme), `forms` (抄告单/督办单 print sheets), `documents` (Word files: summaries, 舆情专报) |
//! | `search` | `static_index` (codec, postings, shards, results, facets), `engine` (tantivy), `folder` |
//! | `export` | `csv`, `xlsx` (the ledger), `sqlite` |
//! | `import` | an Excel or CSV ledger into records: `table`, `columns`, `row`, `values`, `record_file` |
//! | `output` | staging folder, atomic swap, repair after a killed build |
//! | `serve` | `http`, `watch`, `rebuild` |
//! | `diag` | diagnostics every stage reports into |
//! | `messages` | every sentence said to a person, Chinese and English side by side (`catalog`); stages build a `Message`, the command line renders it in the run's language |
//!
//! # Invariants
//!
//! - **Atomic publish.** The site at the output path is always a whole site: the previous one
//!   or the new one ([`output`]). A build killed at any instant leaves one there, or leaves it
//!   beside the output where the next build, `check` or `search` puts it back ([`repair`]).
//!   Cleanup never follows a symbolic link.
//! - **No state between builds.** A build is a function of the library and `--now`; it reads
//!   nothing of the site it replaces. What `serve` keeps between rebuilds is an
//!   [`Incremental`] it owns.
//! - **Relative links, no network.** Every link climbs to the site root with `root`; nothing
//!   loads from outside the site, so it works from an intranet server under any path and
//!   straight from a shared drive (`file://`). The sanitiser keeps outside addresses out of
//!   pages; `base.html`'s Content-Security-Policy (the site's own origin and `file:`) stops
//!   a request that got past it.
//! - **Audiences.** A document the build's audience may not see is in no output file.
//! - **One analyzer.** The browser's index, tantivy's and the browser's own query cutting all
//!   fold and cut text the same way (`text::analyzer`, mirrored by `theme/search.js`).

mod check;
mod config;
mod content;
mod derive;
mod desk;
pub mod diag;
mod export;
mod fields;
pub mod import;
mod library_file;
mod lint;
pub mod messages;
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
pub use publish::{build, build_with_progress, report, BuildReport, Progress, StageTimes, STAGES};
