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
use crate::text::fold::fold;
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
/// them (made when first needed: a library whose records are all known needs none). A
/// build's counts are not remembered: it finds similar cases once, and at 100,000 records
/// the counts are hundreds of megabytes.
#[derive(Default)]
pub struct WordCounts {
    segmenter: OnceLock<Segmenter>,
    remember: bool,
    known: Mutex<FxHashMap<u64, Arc<Counts>>>,
}

impl std::fmt::Debug for WordCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WordCounts({} records)", self.lock().len())
    }
}

impl WordCounts {
    /// Word counts that are remembered from one library to the next (`serve`'s).
    pub fn remembering() -> WordCounts {
        WordCounts {
            remember: true,
            ..WordCounts::default()
        }
    }

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
        if self.remember {
            *self.lock() = counts.iter().map(|(k, c)| (*k, Arc::clone(c))).collect();
        }
        counts.into_iter().map(|(_, c)| c).collect()
    }

    /// The segmenter, made when first needed (the hot words use it too).
    pub fn segmenter(&self) -> &Segmenter {
        self.segmenter.get_or_init(Segmenter::default)
    }

    fn cut(&self, texts: &[(String, f64)]) -> Counts {
        let mut tf: FxHashMap<WordId, f64> = FxHashMap::default();
        let segmenter = self.segmenter();
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
    Similarity::new(vectors, categories)
}

impl Similarity {
    /// The tables of records' strongest words and categories: each word's records listed.
    fn new(vectors: Vec<(Counts, f64)>, categories: Vec<u32>) -> Similarity {
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

    /// Up to `SIMILAR` records like record `i` (indices, best first), never itself.
    pub fn of(&self, i: usize) -> Vec<usize> {
        self.ranked(i, &mut vec![0.0; self.vectors.len()])
    }

    /// Every record's similar records, found on every core. The records are cut into a few
    /// runs per thread, and each run sums its scores in one slot per record, kept from one
    /// record to the next (a table of candidates per record cost several times as much).
    pub fn all(&self) -> Vec<Vec<usize>> {
        let n = self.vectors.len();
        let runs = 4 * rayon::current_num_threads();
        let records: Vec<usize> = (0..n).collect();
        records
            .par_chunks(n.div_ceil(runs).max(1))
            .flat_map_iter(|run| {
                let mut slots = vec![0.0; n];
                let found: Vec<Vec<usize>> =
                    run.iter().map(|&i| self.ranked(i, &mut slots)).collect();
                found
            })
            .collect()
    }

    /// The best `SIMILAR` records like record `i`, their scores summed in `slots` (a slot per
    /// record, all zero before and after).
    fn ranked(&self, i: usize, slots: &mut [f64]) -> Vec<usize> {
        let Some((v, norm)) = self.vectors.get(i) else {
            return Vec::new();
        };
        let mut candidates: Vec<usize> = Vec::new();
        for (w, x) in v {
            let Some(records) = self.sharing.get(w) else {
                continue;
            };
            if !(2..=MAX_SHARED).contains(&records.len()) {
                continue;
            }
            for &(j, y) in records.iter().filter(|(j, _)| *j != i) {
                // Weights are positive: a slot above zero is a candidate listed already.
                if slots[j] == 0.0 {
                    candidates.push(j);
                }
                slots[j] += x * y;
            }
        }
        let mut ranked: Vec<(usize, f64)> = candidates
            .into_iter()
            .map(|j| {
                let mut s = std::mem::take(&mut slots[j]);
                s /= (norm * self.vectors[j].1).max(f64::MIN_POSITIVE);
                if self.categories.get(j) == self.categories.get(i) {
                    s *= SAME_CATEGORY;
                }
                (j, s)
            })
            .collect();
        // Best first; equal scores by position (newer first) so the order is stable.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // Made from a borrow: collected from `ranked` itself, the list would keep its whole
        // buffer (a build keeps every record's list until the pages are written).
        ranked.iter().take(SIMILAR).map(|&(j, _)| j).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thirty records sharing words in overlapping patterns, in two categories.
    fn tables() -> Similarity {
        let vectors: Vec<(Counts, f64)> = (0..30u64)
            .map(|i| {
                let v = vec![(i % 5, 1.0), (100 + i % 7, 2.0), (200 + i % 3, 1.5)];
                let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
                (v, norm)
            })
            .collect();
        Similarity::new(vectors, (0..30).map(|i| i % 2).collect())
    }

    /// A build's lists, found all at once, are those a page finds on its own; no record is
    /// its own precedent; and a list keeps no more room than its records.
    #[test]
    fn every_records_similar_records_at_once_are_each_ones_alone() {
        let tables = tables();
        let all = tables.all();
        assert_eq!(all.len(), 30);
        for (i, list) in all.iter().enumerate() {
            assert_eq!(*list, tables.of(i), "record {i}");
            assert!(!list.contains(&i) && list.len() <= SIMILAR);
            assert!(
                list.capacity() <= SIMILAR,
                "record {i}: {}",
                list.capacity()
            );
        }
        assert!(all.iter().all(|list| list.len() == SIMILAR));
        // Every record listed shares a word with record 0.
        assert!(all[0]
            .iter()
            .all(|&j| j % 5 == 0 || j % 7 == 0 || j % 3 == 0));
    }
}
