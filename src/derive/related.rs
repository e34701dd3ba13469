//! Related precedents: for every record, the most similar other records by shared weighted
//! words (the title, tags and the start of the body cut by the search's analyzer into pairs of
//! Han characters and words of letters and digits, weighted tf-idf), with a bonus for the
//! same category. Pairs rather than dictionary words: they name what no dictionary knows (a
//! township, a school, a company), and cutting a library with them costs a fraction of
//! jieba's cut.
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
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::content::record::Record;
use crate::model::Library;
use crate::text::analyzer::{self, Shape};
use crate::text::markdown;
use crate::text::segmenter::Segmenter;

/// How many similar records a case page lists.
pub const SIMILAR: usize = 5;
/// Words kept per record.
const WORDS_PER_RECORD: usize = 24;
/// Words in more records than this are not used to find candidates.
const MAX_SHARED: usize = 200;
/// How much of the body is read: its first paragraphs say what a case is about (and every
/// pair read is looked up in a table of the library's words, twice).
const BODY_CHARS: usize = 400;
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

/// What a record's word counts are remembered by: a hash of the texts they are cut from.
fn key(r: &Record) -> u64 {
    hash((&r.title, &r.tags, &r.body.markdown))
}

/// What a record's similarity is judged from, with the weight of each text's words: its
/// title 3, its tags 2 and the start of its body 1.
fn texts(r: &Record) -> [(String, f64); 3] {
    let (body, _) = markdown::plain_text_start(&r.body.markdown, BODY_CHARS);
    [(r.title.clone(), 3.0), (r.tags.join(" "), 2.0), (body, 1.0)]
}

/// The weighted words of `texts`: their pairs of Han characters and their words of two or
/// more letters and digits (a single character, or a word's grams, says little of what
/// a case is about).
fn cut(texts: &[(String, f64)]) -> Counts {
    let analyzed: Vec<(analyzer::Analyzed, f64)> = texts
        .iter()
        .map(|(text, weight)| (analyzer::analyze(text), *weight))
        .collect();
    // Room for every term at once, rather than grown (and rehashed) as it fills.
    let terms = analyzed.iter().map(|(a, _)| a.spans.len()).sum();
    let mut tf: FxHashMap<WordId, f64> =
        FxHashMap::with_capacity_and_hasher(terms, Default::default());
    for (analyzed, weight) in &analyzed {
        for span in &analyzed.spans {
            let term = analyzed.term(span);
            let kept = match span.shape {
                Shape::Pair => true,
                Shape::Word => term.chars().nth(1).is_some(),
                Shape::Character | Shape::Gram => false,
            };
            if kept {
                *tf.entry(hash(term)).or_default() += weight;
            }
        }
    }
    tf.into_iter().collect()
}

/// Records' word counts by a hash of the texts they are cut from. A build's counts are not
/// remembered: it finds similar cases once, and at 100,000 records the counts are hundreds of
/// megabytes. The jieba segmenter the hot words cut titles with is kept here too, made when
/// first needed: loading its dictionary takes a few hundred milliseconds, which `serve` pays
/// once instead of on every rebuild.
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

    /// The keys the records of `lib` are remembered by, in order, when counts are remembered
    /// (made once, on every core: a record's body is kilobytes); none in a build.
    fn keys(&self, lib: &Library) -> Vec<u64> {
        match self.remember {
            true => lib.records.par_iter().map(|r| key(r)).collect(),
            false => Vec::new(),
        }
    }

    /// Record `r`'s word counts: cut now, or, in `serve` (where it has its `key`), as
    /// remembered from an earlier library or cut now and remembered.
    fn counts(&self, r: &Record, key: Option<u64>) -> Arc<Counts> {
        let Some(key) = key else {
            return Arc::new(cut(&texts(r)));
        };
        if let Some(counts) = self.lock().get(&key) {
            return Arc::clone(counts);
        }
        let counts = Arc::new(cut(&texts(r)));
        self.lock().insert(key, Arc::clone(&counts));
        counts
    }

    /// Forget the records whose keys are not among `keys`.
    fn keep_only(&self, keys: &[u64]) {
        if self.remember {
            let keys: FxHashSet<u64> = keys.iter().copied().collect();
            self.lock().retain(|k, _| keys.contains(k));
        }
    }

    /// The segmenter of the hot words, made when first needed.
    pub fn segmenter(&self) -> &Segmenter {
        self.segmenter.get_or_init(Segmenter::default)
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

/// The tables that find the similar records of `lib`'s records. The records' words are
/// taken twice, once to count how many records have each word and once to weigh each
/// record's words by it: a build cuts each record twice rather than hold every record's
/// words at once (at 100,000 records, over a gigabyte).
pub fn similarity(lib: &Library, words: &WordCounts) -> Similarity {
    let mut categories_seen: FxHashMap<&str, u32> = FxHashMap::default();
    let categories = lib
        .records
        .iter()
        .map(|r| {
            let next = categories_seen.len() as u32;
            *categories_seen.entry(r.category.as_str()).or_insert(next)
        })
        .collect();
    let keys = words.keys(lib);
    let counts = |i: usize| words.counts(&lib.records[i], keys.get(i).copied());
    // How many records have each word: counted in one table per thread, then added up.
    let records: Vec<usize> = (0..lib.records.len()).collect();
    let per_thread = records.len().div_ceil(rayon::current_num_threads()).max(1);
    let df: FxHashMap<WordId, u32> = records
        .par_chunks(per_thread)
        .map(|chunk| {
            let mut df: FxHashMap<WordId, u32> = FxHashMap::default();
            for &i in chunk {
                for &(w, _) in counts(i).iter() {
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
    // Each shared word's weight, its logarithm taken once rather than in every record that
    // has it. A word no other record has finds no precedent: it gets none, so that it does
    // not take the place of one that may.
    let n = lib.records.len() as f64;
    let idf: FxHashMap<WordId, f64> = df
        .into_iter()
        .filter(|&(_, df)| df >= 2)
        .map(|(w, df)| (w, (n / f64::from(df)).ln()))
        .collect();
    let vectors: Vec<(Counts, f64)> = records
        .par_iter()
        .map(|&i| {
            let mut v: Counts = counts(i)
                .iter()
                .filter_map(|&(w, c)| Some((w, c * idf.get(&w)?)))
                .filter(|(_, x)| *x > 0.0)
                .collect();
            // The strongest, strongest first; ties by word, so the words kept do not depend
            // on order. A record has hundreds of words: the strongest are picked out before
            // they are sorted.
            let stronger =
                |a: &(WordId, f64), b: &(WordId, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if v.len() > WORDS_PER_RECORD {
                v.select_nth_unstable_by(WORDS_PER_RECORD, stronger);
                v.truncate(WORDS_PER_RECORD);
            }
            v.sort_unstable_by(stronger);
            // Kept until the pages are written: without the room of the words let go.
            v.shrink_to_fit();
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            (v, norm)
        })
        .collect();
    words.keep_only(&keys);
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
