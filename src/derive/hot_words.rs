//! 热词: the words that set a period's records apart from the whole library. Each record's
//! title and tags are cut into dictionary words (folded, so 網絡 and 网络 are one word); a
//! word scores by how many of the period's records have it, times how rare it is in the
//! library (tf-idf over records). Titles and tags are what a clerk wrote to name the
//! incident, so they carry its topic without the boilerplate of the sections.

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::model::Library;
use crate::text::fold::fold;
use crate::text::segmenter::Segmenter;

/// How many hot words a page shows.
pub const SHOWN: usize = 12;
/// In a scope of at least this many records, a word must be in two of them to count.
const MANY: usize = 20;

/// Every record's words and how many records have each word.
#[derive(Debug, Default)]
pub struct HotWords {
    words: Vec<Vec<CompactString>>,
    df: FxHashMap<CompactString, u32>,
}

/// The words of `lib`'s records, cut by `segmenter`.
pub fn hot_words(lib: &Library, segmenter: &Segmenter) -> HotWords {
    let words: Vec<Vec<CompactString>> = lib
        .records
        .par_iter()
        .map(|r| {
            let mut words = Vec::new();
            segmenter.whole_words(&fold(&format!("{} {}", r.title, r.tags.join(" "))), |w| {
                words.push(CompactString::from(w))
            });
            words.sort_unstable();
            words.dedup();
            words
        })
        .collect();
    let mut df: FxHashMap<CompactString, u32> = FxHashMap::default();
    for w in words.iter().flatten() {
        *df.entry(w.clone()).or_default() += 1;
    }
    HotWords { words, df }
}

impl HotWords {
    /// The [`SHOWN`] most distinctive words of `records`, each with how many of them have it;
    /// best first (then more records, then the word).
    pub fn top(&self, records: &[usize]) -> Vec<(String, usize)> {
        let mut count: FxHashMap<&str, usize> = FxHashMap::default();
        for &i in records {
            for w in self.words.get(i).into_iter().flatten() {
                *count.entry(w.as_str()).or_default() += 1;
            }
        }
        let least = if records.len() >= MANY { 2 } else { 1 };
        let n = self.words.len().max(1) as f64;
        let mut scored: Vec<(f64, usize, &str)> = count
            .into_iter()
            .filter(|&(_, c)| c >= least)
            .filter_map(|(w, c)| {
                let df = f64::from(*self.df.get(w)?);
                let score = c as f64 * (n / df).ln().max(0.01);
                Some((score, c, w))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
        scored
            .into_iter()
            .take(SHOWN)
            .map(|(_, c, w)| (w.to_owned(), c))
            .collect()
    }
}
