//! Related precedents: for every record, the most similar other records by shared weighted
//! words (jieba words of the title, tags and the start of the body, weighted tf-idf), with a
//! bonus for the same category.
//!
//! The cost stays linear in the number of records: each record keeps only its strongest
//! words, and only words shared by a bounded number of records are used to find candidates
//! (a word in hundreds of records says little about similarity anyway).
//!
//! Cutting the records into words is the costly part, so the word counts come from a
//! [`WordCounts`] the caller owns: a build makes a new one, and `serve` keeps one between
//! rebuilds so that an edit cuts only the edited record again.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use crate::content::record::Record;
use crate::model::Library;
use crate::text::analyzer::fold;
use crate::text::markdown;
use crate::text::segmenter::Segmenter;

/// How many similar records a case page lists.
pub const SIMILAR: usize = 5;
/// Words kept per record.
const WORDS_PER_RECORD: usize = 24;
/// Words in more records than this are not used to find candidates.
const MAX_SHARED: usize = 200;
/// How much of the body is read (the facts and the first sections say what a case is about).
const BODY_CHARS: usize = 800;
/// Score factor for a candidate of the same category.
const SAME_CATEGORY: f64 = 1.5;

/// A word, by a 64-bit hash of its text (collisions among a library's words are vanishingly
/// unlikely, and would only nudge a similarity score).
type WordId = u64;

/// A record's weighted words.
type Counts = Vec<(WordId, f64)>;

fn hash(bytes: impl Hash) -> u64 {
    let mut h = FxHasher::default();
    bytes.hash(&mut h);
    h.finish()
}

/// What a record's similarity is judged from, folded, with the weight of each text's words:
/// its title 3, its tags 2 and the start of its body 1.
fn texts(r: &Record) -> [(String, f64); 3] {
    let (body, _) = markdown::plain_text_start(&r.body.markdown, BODY_CHARS);
    [
        (fold(&r.title), 3.0),
        (fold(&r.tags.join(" ")), 2.0),
        (fold(&body), 1.0),
    ]
}

/// Records' word counts by a hash of the texts they are cut from, and the segmenter that cuts
/// them (made when first needed: a library whose records are all known needs none).
#[derive(Default)]
pub struct WordCounts {
    segmenter: OnceLock<Segmenter>,
    known: Mutex<FxHashMap<u64, Arc<Counts>>>,
}

impl std::fmt::Debug for WordCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WordCounts({} records)", self.lock().len())
    }
}

impl WordCounts {
    /// The word counts of every record of `lib`, in order: those known already (by a hash of
    /// what they are cut from), the others cut now. Only the records of `lib` are remembered
    /// afterwards.
    fn of(&self, lib: &Library) -> Vec<Arc<Counts>> {
        let known = std::mem::take(&mut *self.lock());
        let counts: Vec<(u64, Arc<Counts>)> = lib
            .records
            .par_iter()
            .map(|r| {
                let key = hash((&r.title, &r.tags, &r.body.markdown));
                let counts = known
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| Arc::new(self.cut(&texts(r))));
                (key, counts)
            })
            .collect();
        *self.lock() = counts.iter().map(|(k, c)| (*k, Arc::clone(c))).collect();
        counts.into_iter().map(|(_, c)| c).collect()
    }

    fn cut(&self, texts: &[(String, f64)]) -> Counts {
        let mut tf: FxHashMap<WordId, f64> = FxHashMap::default();
        let segmenter = self.segmenter.get_or_init(Segmenter::default);
        for (text, weight) in texts {
            segmenter.words(text, |w| {
                *tf.entry(hash(w)).or_default() += weight;
            });
        }
        tf.into_iter().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<u64, Arc<Counts>>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What similarity is judged from: each record's strongest words with their weights, and the
/// records that share each word.
#[derive(Debug)]
pub struct Similarity {
    /// Per record: its strongest words with their weights, and the vector's norm.
    vectors: Vec<(Counts, f64)>,
    /// Per word, the records that have it among their strongest, with its weight there.
    sharing: FxHashMap<WordId, Vec<(usize, f64)>>,
    /// Per record: its category as a number.
    categories: Vec<u32>,
}

/// The tables that find the similar records of `lib`'s records.
pub fn similarity(lib: &Library, words: &WordCounts) -> Similarity {
    let counts = words.of(lib);
    let mut categories_seen: FxHashMap<&str, u32> = FxHashMap::default();
    let categories = lib
        .records
        .iter()
        .map(|r| {
            let next = categories_seen.len() as u32;
            *categories_seen.entry(r.category.as_str()).or_insert(next)
        })
        .collect();
    // How many records have each word: counted in one table per thread, then added up.
    let per_thread = counts.len().div_ceil(rayon::current_num_threads()).max(1);
    let df: FxHashMap<WordId, u32> = counts
        .par_chunks(per_thread)
        .map(|chunk| {
            let mut df: FxHashMap<WordId, u32> = FxHashMap::default();
            for tf in chunk {
                for &(w, _) in tf.iter() {
                    *df.entry(w).or_default() += 1;
                }
            }
            df
        })
        .reduce_with(|mut a, b| {
            for (w, n) in b {
                *a.entry(w).or_default() += n;
            }
            a
        })
        .unwrap_or_default();
    let n = counts.len() as f64;
    let vectors: Vec<(Counts, f64)> = counts
        .par_iter()
        .map(|tf| {
            let mut v: Counts = tf
                .iter()
                .map(|&(w, c)| (w, c * (n / f64::from(df[&w])).ln()))
                .filter(|(_, x)| *x > 0.0)
                .collect();
            // Strongest first; ties by word, so the words kept do not depend on order.
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(WORDS_PER_RECORD);
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            (v, norm)
        })
        .collect();
    let mut sharing: FxHashMap<WordId, Vec<(usize, f64)>> = FxHashMap::default();
    for (i, (v, _)) in vectors.iter().enumerate() {
        for &(w, x) in v {
            sharing.entry(w).or_default().push((i, x));
        }
    }
    Similarity {
        vectors,
        sharing,
        categories,
    }
}

impl Similarity {
    /// Up to `SIMILAR` records like record `i` (indices, best first), never itself.
    pub fn of(&self, i: usize) -> Vec<usize> {
        let Some((v, norm)) = self.vectors.get(i) else {
            return Vec::new();
        };
        let mut scores: FxHashMap<usize, f64> = FxHashMap::default();
        for (w, x) in v {
            let Some(records) = self.sharing.get(w) else {
                continue;
            };
            if !(2..=MAX_SHARED).contains(&records.len()) {
                continue;
            }
            for &(j, y) in records.iter().filter(|(j, _)| *j != i) {
                *scores.entry(j).or_default() += x * y;
            }
        }
        let mut ranked: Vec<(usize, f64)> = scores
            .into_iter()
            .map(|(j, s)| {
                let mut s = s / (norm * self.vectors[j].1).max(f64::MIN_POSITIVE);
                if self.categories.get(j) == self.categories.get(i) {
                    s *= SAME_CATEGORY;
                }
                (j, s)
            })
            .collect();
        // Best first; equal scores by position (newer first) so the order is stable.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().take(SIMILAR).map(|(j, _)| j).collect()
    }
}
