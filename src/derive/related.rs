//! Related precedents: for every record, the most similar other records by shared weighted
//! words (jieba words of the title, tags and the start of the body, weighted tf-idf), with a
//! bonus for the same category.
//!
//! The cost stays linear in the number of records: each record keeps only its strongest
//! words, and only words shared by a bounded number of records are used to find candidates
//! (a word in hundreds of records says little about similarity anyway).

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::record::Record;
use crate::fnv::FnvMap;
use crate::memo::{self, Memo};
use crate::model::Library;
use crate::text::{analyzer, markdown};

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

/// A word, by a 64-bit hash of its text: records are compared by word ids, and no word's
/// text is kept (collisions among a library's words are vanishingly unlikely, and would only
/// nudge a similarity score).
type WordId = u64;

/// Weighted jieba word counts per record text (the costly part: segmenting).
static WORD_COUNTS: Memo<Vec<(WordId, f64)>> = Memo::new();

/// A record's jieba words with their weights (title 3, tags 2, start of the body 1).
fn word_counts(r: &Record) -> Arc<Vec<(WordId, f64)>> {
    let tags = r.tags.join(" ");
    let key = memo::key(&[
        r.title.as_bytes(),
        tags.as_bytes(),
        r.body.markdown.as_bytes(),
    ]);
    WORD_COUNTS.get_or(key, || {
        let body: String = markdown::plain_text(&r.body.markdown)
            .chars()
            .take(BODY_CHARS)
            .collect();
        let mut tf: FnvMap<WordId, f64> = FnvMap::default();
        let mut add = |text: &str, weight: f64| {
            for w in analyzer::words(text) {
                *tf.entry(memo::key(&[w.as_bytes()])).or_default() += weight;
            }
        };
        add(&r.title, 3.0);
        add(&tags, 2.0);
        add(&body, 1.0);
        tf.into_iter().collect()
    })
}

/// What similarity is judged from: each record's strongest words with their weights, and the
/// records that share each word. Built once per library; the similar records of one record are
/// found when its page is made ([`Similarity::of`]), so `serve` only finds them for the pages
/// it shows.
#[derive(Debug, Default)]
pub struct Similarity {
    /// Per record: its strongest words with their weights, and the vector's norm.
    vectors: Vec<(Vec<(WordId, f64)>, f64)>,
    /// Per word: the records that have it among their strongest, with its weight there
    /// (words in one record or in more than `MAX_SHARED` are left out).
    postings: FnvMap<WordId, Vec<(usize, f64)>>,
}

/// The word vectors of every record of `lib`.
pub fn similarity(lib: &Library) -> Similarity {
    let n = lib.records.len();
    let counts: Vec<Arc<Vec<(WordId, f64)>>> = lib.records.par_iter().map(word_counts).collect();
    let mut df: FnvMap<WordId, u32> = FnvMap::default();
    for tf in &counts {
        for &(w, _) in tf.iter() {
            *df.entry(w).or_default() += 1;
        }
    }
    let vectors: Vec<(Vec<(WordId, f64)>, f64)> = counts
        .par_iter()
        .map(|tf| {
            let mut v: Vec<(WordId, f64)> = tf
                .iter()
                .map(|&(w, c)| {
                    let idf = (n as f64 / f64::from(df.get(&w).copied().unwrap_or(1))).ln();
                    (w, c * idf)
                })
                .filter(|(_, x)| *x > 0.0)
                .collect();
            // Strongest first; ties by word id, so the words kept do not depend on order.
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(WORDS_PER_RECORD);
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            (v, norm)
        })
        .collect();
    drop(counts);
    let mut postings: FnvMap<WordId, Vec<(usize, f64)>> = FnvMap::default();
    for (i, (v, _)) in vectors.iter().enumerate() {
        for &(w, x) in v {
            postings.entry(w).or_default().push((i, x));
        }
    }
    postings.retain(|_, p| p.len() > 1 && p.len() <= MAX_SHARED);
    Similarity { vectors, postings }
}

impl Similarity {
    /// Up to `SIMILAR` records like record `i` (indices, best first), never itself.
    pub fn of(&self, lib: &Library, i: usize) -> Vec<usize> {
        let Some((v, norm)) = self.vectors.get(i) else {
            return Vec::new();
        };
        let mut scores: HashMap<usize, f64> = HashMap::new();
        for (w, x) in v {
            for &(j, y) in self.postings.get(w).into_iter().flatten() {
                if j != i {
                    *scores.entry(j).or_default() += x * y;
                }
            }
        }
        let mut ranked: Vec<(usize, f64)> = scores
            .into_iter()
            .map(|(j, s)| {
                let mut s = s / (norm * self.vectors[j].1).max(f64::MIN_POSITIVE);
                if lib.records[j].category == lib.records[i].category {
                    s *= SAME_CATEGORY;
                }
                (j, s)
            })
            .collect();
        // Best first; equal scores by position (newer first) so the order is stable.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.into_iter().take(SIMILAR).map(|(j, _)| j).collect()
    }
}
