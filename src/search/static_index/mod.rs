//! The browser's search index, written into the site as `.js` files that register themselves
//! (`casebook.shard(3, {...})`), so they load through `<script>` from `file://` as well as over
//! HTTP — `fetch` is refused on `file://`.
//!
//! - `search/meta.js`: document count, shard count and the fold table the browser folds
//!   queries with ([`crate::text::fold`]). Every query loads it.
//! - `search/s/N.js` and `search/l/N.js`: the posting lists ([`shards`]), in the form of
//!   [`codec`], made by [`postings`].
//! - `search/facets.js`: the facet values per document ([`facets`]).
//! - `search/d/N.js`: what a result shows of one document ([`results`]).

mod codec;
mod facets;
mod postings;
mod results;
mod shards;

pub use facets::FACETS;
pub use shards::shard_of;

use super::SearchDoc;
use crate::render::{script_json, SiteFile};

pub const DIR: &str = "search";

/// How the index is cut into files.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Shards are sized to about this many bytes, so a query's few shards stay small.
    pub shard_bytes: usize,
    /// A posting list longer than this has a file of its own.
    pub list_bytes: usize,
}

impl Default for Layout {
    /// Sizes that suit every library size: at 100,000 records no shard is over 11 KB and the
    /// heaviest first query moves 130 KB.
    fn default() -> Self {
        Layout {
            shard_bytes: 4 * 1024,
            list_bytes: 4 * 1024,
        }
    }
}

/// How many result files are handed on at once.
const FILES_AT_ONCE: usize = 256;

/// Make the browser's index of `docs` and hand its files to `emit` as they are made (the
/// result files while the lists are built, so the whole index is never held at once).
pub fn write(docs: &[SearchDoc], layout: Layout, emit: &(dyn Fn(Vec<SiteFile>) + Sync)) {
    let made = std::sync::Mutex::new(Vec::with_capacity(FILES_AT_ONCE));
    let lists = postings::lists(
        docs.len(),
        |n| (docs[n].title.clone(), docs[n].text()),
        |n, text| {
            let file = results::file(&docs[n], n, text);
            let full = {
                let mut made = made.lock().unwrap_or_else(|p| p.into_inner());
                made.push(file);
                (made.len() >= FILES_AT_ONCE).then(|| std::mem::take(&mut *made))
            };
            if let Some(files) = full {
                emit(files);
            }
        },
    );
    emit(made.into_inner().unwrap_or_else(|p| p.into_inner()));
    let shards = shards::write(lists, layout, emit);
    emit(vec![meta(docs.len(), shards), facets::file(docs)]);
}

/// `search/meta.js`: counts and the fold table.
fn meta(docs: usize, shards: u32) -> SiteFile {
    let fold: String = crate::text::fold::fold_table()
        .into_iter()
        .flat_map(|(t, s)| [t, s])
        .collect();
    let data = serde_json::json!({ "docs": docs, "shards": shards, "fold": fold });
    SiteFile {
        path: format!("{DIR}/meta.js"),
        bytes: format!("casebook.meta({});\n", script_json(&data)).into_bytes(),
    }
}
