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

/// Weighted jieba word counts per record text (the costly part: segmenting).
static WORD_COUNTS: Memo<HashMap<String, f64>> = Memo::new();

/// Records segmented at a time: their words are numbered before the next ones are read, so
/// only this many records' word strings are held at once.
const CHUNK: usize = 512;

/// A record's jieba words with their weights (title 3, tags 2, start of the body 1).
fn word_counts(r: &Record) -> Arc<HashMap<String, f64>> {
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
        let mut tf: HashMap<String, f64> = HashMap::new();
        let mut add = |text: &str, weight: f64| {
            for w in analyzer::words(text) {
                *tf.entry(w).or_default() += weight;
            }
        };
        add(&r.title, 3.0);
        add(&tags, 2.0);
        add(&body, 1.0);
        tf
    })
}

/// Up to `SIMILAR` records per record (indices, best first), never itself.
pub fn similar(lib: &Library) -> Vec<Vec<usize>> {
    let n = lib.records.len();
    // Words are numbered as they are first met; each record keeps (word number, weight).
    let mut numbers: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    let mut counts: Vec<Vec<(u32, f64)>> = Vec::with_capacity(n);
    for chunk in lib.records.chunks(CHUNK) {
        let tfs: Vec<Arc<HashMap<String, f64>>> = chunk.par_iter().map(word_counts).collect();
        for tf in &tfs {
            let numbered = tf.iter().map(|(w, &c)| {
                let number = match numbers.get(w.as_str()) {
                    Some(&k) => k,
                    None => {
                        let k = u32::try_from(words.len()).unwrap_or(u32::MAX);
                        numbers.insert(w.clone(), k);
                        words.push(w.clone());
                        k
                    }
                };
                (number, c)
            });
            counts.push(numbered.collect());
        }
    }
    drop(numbers);
    let mut df = vec![0usize; words.len()];
    for tf in &counts {
        for &(w, _) in tf {
            df[w as usize] += 1;
        }
    }
    // The strongest words of each record, as (word, weight), with the vector's norm.
    let vectors: Vec<(Vec<(u32, f64)>, f64)> = counts
        .par_iter()
        .map(|tf| {
            let mut v: Vec<(u32, f64)> = tf
                .iter()
                .map(|&(w, c)| {
                    let idf = (n as f64 / df[w as usize] as f64).ln();
                    (w, c * idf)
                })
                .filter(|(_, x)| *x > 0.0)
                .collect();
            v.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then_with(|| words[a.0 as usize].cmp(&words[b.0 as usize]))
            });
            v.truncate(WORDS_PER_RECORD);
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            (v, norm)
        })
        .collect();
    drop(counts);
    let mut postings: Vec<Vec<(usize, f64)>> = vec![Vec::new(); words.len()];
    for (i, (v, _)) in vectors.iter().enumerate() {
        for &(w, x) in v {
            postings[w as usize].push((i, x));
        }
    }
    for p in &mut postings {
        if p.len() <= 1 || p.len() > MAX_SHARED {
            *p = Vec::new();
        }
    }

    (0..n)
        .into_par_iter()
        .map(|i| {
            let (v, norm) = &vectors[i];
            let mut scores: HashMap<usize, f64> = HashMap::new();
            for &(w, x) in v {
                for &(j, y) in &postings[w as usize] {
                    if j != i {
                        *scores.entry(j).or_default() += x * y;
                    }
                }
            }
            let mut ranked: Vec<(usize, f64)> = scores
                .into_iter()
                .map(|(j, s)| {
                    let mut s = s / (norm * vectors[j].1).max(f64::MIN_POSITIVE);
                    if lib.records[j].category == lib.records[i].category {
                        s *= SAME_CATEGORY;
                    }
                    (j, s)
                })
                .collect();
            // Best first; equal scores by position (newer first) so the order is stable.
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            ranked.into_iter().take(SIMILAR).map(|(j, _)| j).collect()
        })
        .collect()
}
