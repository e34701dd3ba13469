//! Related precedents: for every record, the most similar other records by shared weighted
//! words (jieba words of the title, tags and the start of the body, weighted tf-idf), with a
//! bonus for the same category.
//!
//! The cost stays linear in the number of records: each record keeps only its strongest
//! words, and only words shared by a bounded number of records are used to find candidates
//! (a word in hundreds of records says little about similarity anyway).
//!
//! A build finds every record's similar records at once and keeps them in its site with the
//! records' word counts ([`KEPT_FILE`]); the next build takes them as they are when every
//! record has the same words and category as then, as most edits leave them (a status, a
//! time, a section after the first [`BODY_CHARS`] characters). Finding them was a fifth of a
//! rebuild's work at 100,000 records.

use std::sync::{Arc, LazyLock, OnceLock};

use rayon::prelude::*;

use crate::content::record::Record;
use crate::fnv::{self, FnvMap};
use crate::kept::{self, Fields};
use crate::memo::{self, Memo};
use crate::model::Library;
use crate::text::analyzer::fold;
use crate::text::markdown;
use crate::text::segmenter::{self, Covered, Segmenter};

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

/// A record's weighted words.
#[derive(Debug)]
struct Counts {
    words: Vec<(WordId, f64)>,
    /// A hash of them, made when first asked for (see [`library_key`]).
    hash: OnceLock<u64>,
}

impl Counts {
    fn hash(&self) -> u64 {
        *self.hash.get_or_init(|| {
            let bytes: Vec<u8> = self
                .words
                .iter()
                .flat_map(|(w, x)| w.to_le_bytes().into_iter().chain(x.to_le_bytes()))
                .collect();
            // Part of the key the similar records are kept by between builds, so the hash
            // of kept work, not the memo's (which need only hold within one process).
            kept::hasher([&bytes[..]]).digest()
        })
    }
}

thread_local! {
    /// Per thread: a score slot per record, all zero between uses (see [`Similarity::of`]).
    static SCORES: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Weighted jieba word counts per version of a record's file (the costly part: segmenting).
static WORD_COUNTS: Memo<Counts> = Memo::new();

/// The tables of the latest library, kept while no record's words change: most edits (a
/// status, a time, a later section) leave every similarity as it was.
static TABLES: Memo<Similarity> = Memo::latest_only();

/// A record's words: found already, or to be cut from its texts.
enum Words {
    Counted(Arc<Counts>),
    ToCut(Texts),
}

/// What a record's similarity is judged from, folded, with the weight of each text's words:
/// its title 3, its tags 2 and the start of its body 1.
type Texts = [(String, f64); 3];

fn texts(r: &Record) -> Texts {
    let (body, _) = markdown::plain_text_start(&r.body.markdown, BODY_CHARS);
    [
        (fold(&r.title), 3.0),
        (fold(&r.tags.join(" ")), 2.0),
        (fold(&body), 1.0),
    ]
}

/// Every record's jieba words with their weights (see [`Texts`]), and when there is a
/// `known` (a build, which keeps them) the key they are kept by: the last build's counts
/// where it has them, those `serve` made of the same version of the file, and the others
/// segmented (the costly part), with a dictionary narrowed to their texts.
fn word_counts(lib: &Library, known: Option<&Known>) -> Vec<(Option<u64>, Arc<Counts>)> {
    let found: Vec<(Option<u64>, Words)> = lib
        .records
        .par_iter()
        .map(|r| {
            let key = known.map(|_| text_key(r));
            // The last build's counts are shared, not copied: at 100,000 records a copy of
            // them all was some 170 MB more at the build's peak.
            let kept = known
                .zip(key)
                .and_then(|(known, key)| known.words.get(&key).cloned());
            let words = match kept.or_else(|| WORD_COUNTS.get(r.origin.version)) {
                Some(counts) => Words::Counted(counts),
                None => Words::ToCut(texts(r)),
            };
            (key, words)
        })
        .collect();
    let covered = covered_of(&found);
    let segmenter = LazyLock::new(|| segmenter::segmenter(&covered));
    found
        .into_par_iter()
        .zip(&lib.records)
        .map(|((key, words), r)| {
            let counts = match words {
                Words::Counted(counts) => counts,
                Words::ToCut(texts) => {
                    WORD_COUNTS.put(r.origin.version, Arc::new(segment(&texts, &segmenter)))
                }
            };
            (key, counts)
        })
        .collect()
}

/// What the texts to cut hold, for the segmenter's dictionary. One set per thread: a set is
/// a megabyte.
fn covered_of(found: &[(Option<u64>, Words)]) -> Covered {
    let per_thread = found.len().div_ceil(rayon::current_num_threads()).max(1);
    found
        .par_chunks(per_thread)
        .map(|chunk| {
            let mut covered = Covered::default();
            for (_, words) in chunk {
                if let Words::ToCut(texts) = words {
                    texts.iter().for_each(|(text, _)| covered.add(text));
                }
            }
            covered
        })
        // Without an identity: an empty set to start from would be a fresh megabyte, read
        // (the kernel maps its zero page) and then written (each page copied, and every core
        // told to forget the old mapping) for nothing.
        .reduce_with(|a, b| a.union(&b))
        .unwrap_or_default()
}

/// Cut a record's texts into its weighted words.
fn segment(texts: &Texts, segmenter: &Segmenter) -> Counts {
    let mut tf: FnvMap<WordId, f64> = FnvMap::default();
    for (text, weight) in texts {
        segmenter.words(text, |w| {
            *tf.entry(fnv::hash(w.as_bytes())).or_default() += weight;
        });
    }
    Counts {
        words: tf.into_iter().collect(),
        hash: OnceLock::new(),
    }
}

/// A hash of what a record's words are made from, and of the program that makes them.
fn text_key(r: &Record) -> u64 {
    let program = [Known::MAGIC, env!("CARGO_PKG_VERSION").as_bytes()];
    let text = [r.title.as_bytes(), r.body.markdown.as_bytes()];
    let tags = r.tags.iter().map(String::as_bytes);
    kept::hasher(program.into_iter().chain(text).chain(tags)).digest()
}

/// Where a site keeps what its similar records were found from, and found, for the next
/// build: segmenting every record with jieba was a seventh of a rebuild's work at 10,000
/// records, finding the similar records a fifth at 100,000.
pub const KEPT_FILE: &str = ".casebook-cache/related.bin";

/// What a build knew of its records' similarity: read from the last build's site, and made
/// of this build's records to keep for the next one.
#[derive(Debug, Default)]
pub struct Known {
    /// Records' word counts by a hash of their text ([`text_key`]). An edited record is
    /// segmented again; a record the build does not publish is not kept.
    words: FnvMap<u64, Arc<Counts>>,
    /// Every record's similar records, with the [`library_key`] they were found for.
    found: Option<(u128, Arc<Found>)>,
}

/// Per record, its similar records (indices, best first).
type Found = Vec<Vec<u32>>;

impl Known {
    /// Opens the file; part of every record's key, so a program that counts words
    /// differently (other weights, more of the body) must change it.
    const MAGIC: &'static [u8] = b"casebook related 2\n";

    /// What the file's bytes hold: nothing unless the file is whole. After the magic, the
    /// library key and number of records of the similar records found, each record's list
    /// (its length and indices); then each record's word counts: its key, its number of
    /// words, and each word's id and weight (weights are sums of whole numbers). Numbers are
    /// little-endian.
    pub fn from_bytes(bytes: &[u8]) -> Known {
        let read = || -> Option<Known> {
            let mut fields = Fields(bytes.strip_prefix(Self::MAGIC)?);
            let key = fields.u128()?;
            let records = fields.u32()? as usize;
            let mut found = Vec::with_capacity(records.min(fields.0.len() / 4));
            for _ in 0..records {
                let len = fields.u32()? as usize;
                found.push(
                    (0..len)
                        .map(|_| fields.u32())
                        .collect::<Option<Vec<u32>>>()?,
                );
            }
            let mut words = FnvMap::default();
            while !fields.is_empty() {
                let key = fields.u64()?;
                let len = fields.u32()? as usize;
                let mut counts = Vec::with_capacity(len.min(fields.0.len() / 12));
                for _ in 0..len {
                    counts.push((fields.u64()?, f64::from(fields.u32()?)));
                }
                let counts = Counts {
                    words: counts,
                    hash: OnceLock::new(),
                };
                words.insert(key, Arc::new(counts));
            }
            Some(Known {
                words,
                found: Some((key, Arc::new(found))),
            })
        };
        read().unwrap_or_default()
    }

    /// The file's bytes (a build always knows what it found).
    pub fn to_bytes(&self) -> Vec<u8> {
        let (key, found) = self.found.clone().unwrap_or_default();
        // Made to its size at once: grown by doubling, a file of 18 MB at 10,000 records was
        // copied five times over, each copy into memory the kernel had to hand out anew.
        let lists: usize = found.iter().map(|list| 4 + 4 * list.len()).sum();
        let words: usize = self.words.values().map(|c| 12 + 12 * c.words.len()).sum();
        let mut out = Vec::with_capacity(Self::MAGIC.len() + 16 + 4 + lists + words);
        out.extend_from_slice(Self::MAGIC);
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&(found.len() as u32).to_le_bytes());
        for list in found.iter() {
            out.extend_from_slice(&(list.len() as u32).to_le_bytes());
            out.extend(list.iter().flat_map(|j| j.to_le_bytes()));
        }
        for (key, counts) in &self.words {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&(counts.words.len() as u32).to_le_bytes());
            for &(id, weight) in &counts.words {
                out.extend_from_slice(&id.to_le_bytes());
                out.extend_from_slice(&(weight as u32).to_le_bytes());
            }
        }
        out
    }
}

/// The similar records of each record: found page by page from the tables (`serve`, which
/// finds them only for the pages it shows), or every record's at once (a build).
#[derive(Debug)]
pub struct Similarity(Finder);

#[derive(Debug)]
enum Finder {
    Tables(Tables),
    Found(Arc<Found>),
}

impl Similarity {
    /// Up to `SIMILAR` records like record `i` (indices, best first), never itself.
    pub fn of(&self, i: usize) -> Vec<usize> {
        match &self.0 {
            Finder::Tables(tables) => tables.of(i),
            Finder::Found(found) => found
                .get(i)
                .map_or_else(Vec::new, |list| list.iter().map(|&j| j as usize).collect()),
        }
    }
}

/// What similarity is judged from: each record's strongest words with their weights, and the
/// records that share each word. Built once per library.
#[derive(Debug)]
struct Tables {
    /// Per record: its strongest words (by number, see [`Numbered`]) with their weights, and
    /// the vector's norm.
    vectors: Vec<(Vec<(u32, f64)>, f64)>,
    /// Per word number, where its records are in `sharing`: from `starts[k]` to
    /// `starts[k + 1]`.
    starts: Vec<u32>,
    /// Per word, in word number order: the records that have it among their strongest, with
    /// its weight there.
    sharing: Vec<(usize, f64)>,
    /// Per record: its category as a number, compared for every candidate (comparing the
    /// records' texts cost a tenth of finding similar records).
    categories: Vec<u32>,
}

/// The similar records of `lib`'s records. Under `serve` (no `known`): tables to find them
/// page by page, the same as last time if every record, in the same order, has the same
/// words. A build passes what it `known` from the last one; it finds every record's similar
/// records at once, or takes the last build's if they were found by this program from the
/// same words and categories, and gets what to keep for the next build.
pub fn similarity(lib: &Library, known: Option<&Known>) -> (Arc<Similarity>, Option<Known>) {
    let keyed = word_counts(lib, known);
    let counts: Vec<Arc<Counts>> = keyed.iter().map(|(_, c)| Arc::clone(c)).collect();
    let mut numbers: FnvMap<&str, u32> = FnvMap::default();
    let categories: Vec<u32> = lib
        .records
        .iter()
        .map(|r| {
            let next = numbers.len() as u32;
            *numbers.entry(r.category.as_str()).or_insert(next)
        })
        .collect();
    let Some(known) = known else {
        let key = || memo::key(&[&library_key(&counts, &categories)]);
        let make = || Similarity(Finder::Tables(tables(&counts, categories.clone())));
        return (TABLES.get_or(key, make), None);
    };
    let (key, found) = find_all(&counts, categories, known);
    let words = keyed
        .into_iter()
        .filter_map(|(key, c)| Some((key?, c)))
        .collect();
    let keep = Known {
        words,
        found: Some((key, Arc::clone(&found))),
    };
    (Arc::new(Similarity(Finder::Found(found))), Some(keep))
}

/// Every record's similar records and the key they are kept by: `known`'s where it found
/// them for the same key, found from the tables otherwise.
fn find_all(counts: &[Arc<Counts>], categories: Vec<u32>, known: &Known) -> (u128, Arc<Found>) {
    let key = library_key(counts, &categories);
    let key = kept::hasher([Known::MAGIC, kept::program(), &key]).digest128();
    if let Some((kept, found)) = &known.found {
        // Read back from a file that may have been damaged: every list must be one this
        // library could have, of other records that exist.
        let possible = |(i, list): (usize, &Vec<u32>)| {
            list.len() <= SIMILAR
                && list
                    .iter()
                    .all(|&j| (j as usize) < counts.len() && j as usize != i)
        };
        if *kept == key && found.len() == counts.len() && found.iter().enumerate().all(possible) {
            return (key, Arc::clone(found));
        }
    }
    let tables = tables(counts, categories);
    let found = (0..counts.len())
        .into_par_iter()
        .map(|i| tables.of(i).into_iter().map(|j| j as u32).collect())
        .collect();
    (key, Arc::new(found))
}

/// What the similar records of a library are found from, as bytes to key them by: each
/// record's word counts (by their hash) and category, in order.
fn library_key(counts: &[Arc<Counts>], categories: &[u32]) -> Vec<u8> {
    let hashes: Vec<u64> = counts.par_iter().map(|c| c.hash()).collect();
    let hashes = hashes.into_iter().flat_map(u64::to_le_bytes);
    hashes
        .chain(categories.iter().flat_map(|c| c.to_le_bytes()))
        .collect()
}

/// Every word of a library's records numbered, with how many records have it: the tables find
/// weights and records by a word's number rather than by hashing each word of every record
/// again (one and a half million at 10,000 records).
#[derive(Default)]
struct Numbered {
    /// The records' counts numbered (the very ones: an edited record has new counts).
    counts: Vec<Arc<Counts>>,
    numbers: FnvMap<WordId, u32>,
    /// Per number, the word.
    words: Vec<WordId>,
    /// Per number, how many records have the word.
    df: Vec<u32>,
    /// Per record, the numbers of its words, in the order of its counts.
    records: Vec<Vec<u32>>,
}

/// Under `serve`: the numbering of the last tables, so that an edit numbers only the words of
/// the records it changed (numbering all of them was a third of making the tables again).
static LAST_NUMBERED: std::sync::Mutex<Option<Numbered>> = std::sync::Mutex::new(None);

impl Numbered {
    /// `counts` numbered: from `self` where it numbered as many records, renumbering only
    /// those whose counts changed; from nothing otherwise. Words no record has any more keep
    /// their number with a count of 0 (no record's vector looks them up).
    fn update(mut self, counts: &[Arc<Counts>]) -> Numbered {
        if self.counts.len() != counts.len() {
            self = Numbered::default();
        }
        if self.counts.is_empty() {
            self.records = counts.iter().map(|tf| self.number(tf)).collect();
            self.counts = counts.to_vec();
            return self;
        }
        for (i, tf) in counts.iter().enumerate() {
            if Arc::ptr_eq(&self.counts[i], tf) {
                continue;
            }
            for k in std::mem::take(&mut self.records[i]) {
                self.df[k as usize] -= 1;
            }
            self.records[i] = self.number(tf);
            self.counts[i] = Arc::clone(tf);
        }
        self
    }

    /// The numbers of a record's words, each counted once more.
    fn number(&mut self, tf: &Counts) -> Vec<u32> {
        tf.words
            .iter()
            .map(|&(w, _)| {
                let next = self.words.len() as u32;
                let k = *self.numbers.entry(w).or_insert(next);
                if k == next {
                    self.words.push(w);
                    self.df.push(0);
                }
                self.df[k as usize] += 1;
                k
            })
            .collect()
    }
}

/// The tables from every record's word counts (in the library's order).
fn tables(counts: &[Arc<Counts>], categories: Vec<u32>) -> Tables {
    let n = counts.len();
    let last = match memo::enabled() {
        true => LAST_NUMBERED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take(),
        false => None,
    };
    let numbered = last.unwrap_or_default().update(counts);
    let idf: Vec<f64> = numbered
        .df
        .iter()
        .map(|&d| (n as f64 / f64::from(d)).ln())
        .collect();
    let words = &numbered.words;
    let vectors: Vec<(Vec<(u32, f64)>, f64)> = counts
        .par_iter()
        .zip(&numbered.records)
        .map(|(tf, ks)| {
            let mut v: Vec<(u32, f64)> = tf
                .words
                .iter()
                .zip(ks)
                .map(|(&(_, c), &k)| (k, c * idf[k as usize]))
                .filter(|(_, x)| *x > 0.0)
                .collect();
            // Strongest first; ties by word id, so the words kept do not depend on order.
            let stronger = |a: &(u32, f64), b: &(u32, f64)| {
                b.1.total_cmp(&a.1)
                    .then_with(|| words[a.0 as usize].cmp(&words[b.0 as usize]))
            };
            if v.len() > WORDS_PER_RECORD {
                v.select_nth_unstable_by(WORDS_PER_RECORD - 1, stronger);
                v.truncate(WORDS_PER_RECORD);
            }
            v.sort_by(stronger);
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            (v, norm)
        })
        .collect();
    // Each word's records, all words' in one array (a list per word cost an allocation each).
    let mut starts: Vec<u32> = vec![0; words.len() + 1];
    for (v, _) in &vectors {
        for &(k, _) in v {
            starts[k as usize + 1] += 1;
        }
    }
    for k in 0..words.len() {
        starts[k + 1] += starts[k];
    }
    let mut filled = starts.clone();
    let mut sharing = vec![(0, 0.0); vectors.iter().map(|(v, _)| v.len()).sum()];
    for (i, (v, _)) in vectors.iter().enumerate() {
        for &(k, x) in v {
            sharing[filled[k as usize] as usize] = (i, x);
            filled[k as usize] += 1;
        }
    }
    if memo::enabled() {
        *LAST_NUMBERED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(numbered);
    }
    Tables {
        vectors,
        starts,
        sharing,
        categories,
    }
}

impl Tables {
    /// Up to `SIMILAR` records like record `i` (indices, best first), never itself.
    fn of(&self, i: usize) -> Vec<usize> {
        let Some((v, norm)) = self.vectors.get(i) else {
            return Vec::new();
        };
        // A record has up to a few thousand candidates; their scores are summed in a table
        // with a slot per record, kept per thread and cleared after use (a map of candidates
        // cost three times as much).
        SCORES.with_borrow_mut(|slots| {
            slots.resize(self.vectors.len(), 0.0);
            let mut candidates: Vec<usize> = Vec::new();
            for (w, x) in v {
                for &(j, y) in self.sharing_of(*w) {
                    // Weights are positive, so a slot above zero is a candidate already listed.
                    let add = x * y;
                    if j != i && add > 0.0 {
                        if slots[j] == 0.0 {
                            candidates.push(j);
                        }
                        slots[j] += add;
                    }
                }
            }
            let scores: Vec<(usize, f64)> = candidates
                .into_iter()
                .map(|j| (j, std::mem::take(&mut slots[j])))
                .collect();
            self.rank(i, *norm, scores)
        })
    }

    /// The records that share word `k`: none for a word in one record only or in more than
    /// `MAX_SHARED`.
    fn sharing_of(&self, k: u32) -> &[(usize, f64)] {
        let k = k as usize;
        let (Some(&from), Some(&to)) = (self.starts.get(k), self.starts.get(k + 1)) else {
            return &[];
        };
        let records = &self.sharing[from as usize..to as usize];
        match records.len() {
            2..=MAX_SHARED => records,
            _ => &[],
        }
    }

    /// The best `SIMILAR` of record `i`'s candidates with their summed scores.
    fn rank(&self, i: usize, norm: f64, scores: Vec<(usize, f64)>) -> Vec<usize> {
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
        // Best first; equal scores by position (newer first) so the order is stable. Only the
        // best few are sorted: a record often has a thousand candidates.
        let better = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > SIMILAR {
            ranked.select_nth_unstable_by(SIMILAR - 1, better);
            ranked.truncate(SIMILAR);
        }
        ranked.sort_by(better);
        ranked.into_iter().map(|(j, _)| j).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Under `serve` the tables of an edited library are made from the last numbering of its
    /// words: they find the same similar records as tables made from nothing.
    #[test]
    fn tables_made_again_after_an_edit_are_those_made_from_nothing() {
        memo::enable();
        let counts = |words: &[(WordId, f64)]| {
            Arc::new(Counts {
                words: words.to_vec(),
                hash: OnceLock::new(),
            })
        };
        let library: Vec<Arc<Counts>> = (0..30u64)
            .map(|i| {
                counts(&[
                    (i % 5, 1.0),
                    (100 + i % 7, 2.0),
                    (200 + i % 3, 1.0),
                    (300 + i, 1.0),
                ])
            })
            .collect();
        let categories = vec![0; library.len()];
        let similar = |t: &Tables| (0..library.len()).map(|i| t.of(i)).collect::<Vec<_>>();
        let before = tables(&library, categories.clone());
        let mut edited = library.clone();
        edited[3] = counts(&[(1, 1.0), (999, 3.0), (101, 1.0), (303, 2.0)]);
        edited[10] = counts(&[(2, 2.0), (999, 1.0)]);
        let again = tables(&edited, categories.clone());
        *LAST_NUMBERED.lock().unwrap() = None;
        let fresh = tables(&edited, categories);
        assert_eq!(similar(&again), similar(&fresh));
        assert_ne!(
            similar(&before),
            similar(&fresh),
            "the edit changes similar records"
        );
        assert!(
            fresh.of(10).contains(&3),
            "the records sharing the new word"
        );
    }

    fn counts(words: Vec<(WordId, f64)>) -> Arc<Counts> {
        Arc::new(Counts {
            words,
            hash: OnceLock::new(),
        })
    }

    #[test]
    fn kept_similarity_read_back_only_when_whole() {
        let mut words = FnvMap::default();
        words.insert(7, counts(vec![(1, 3.0), (2, 5.0)]));
        words.insert(9, counts(Vec::new()));
        let found = Arc::new(vec![vec![2, 1], vec![], vec![0]]);
        let known = Known {
            words,
            found: Some((42, found)),
        };
        let bytes = known.to_bytes();
        let read = Known::from_bytes(&bytes);
        assert_eq!(read.words.len(), 2);
        assert_eq!(read.words[&7].words, [(1, 3.0), (2, 5.0)]);
        assert!(read.words[&9].words.is_empty());
        let (key, found) = read.found.expect("found");
        assert_eq!(
            (key, found.as_slice()),
            (42, &[vec![2, 1], vec![], vec![0]][..])
        );
        // Cut short, with bytes after the last record, or of another format: not used.
        for broken in [
            &bytes[..bytes.len() - 1],
            &[&bytes[..], &[0, 0, 0]].concat(),
            &bytes[1..],
        ] {
            let read = Known::from_bytes(broken);
            assert!(read.words.is_empty() && read.found.is_none());
        }
    }

    /// A build takes the last build's similar records only where every record has the words
    /// and category it had then; otherwise it finds them again, as from nothing.
    #[test]
    fn similar_records_are_kept_only_for_the_same_words() {
        let library: Vec<Arc<Counts>> = (0..20u64)
            .map(|i| counts(vec![(i % 4, 1.0), (10 + i % 3, 2.0), (100 + i, 1.0)]))
            .collect();
        let categories = vec![0; library.len()];
        let (key, found) = find_all(&library, categories.clone(), &Known::default());
        let made = tables(&library, categories.clone());
        let fresh: Vec<Vec<u32>> = (0..library.len())
            .map(|i| made.of(i).into_iter().map(|j| j as u32).collect())
            .collect();
        assert_eq!(*found, fresh);
        // What the last build found is taken as it is for the same words: a marker list
        // shows it was not found again.
        let mut marked = fresh.clone();
        marked[0] = vec![19];
        let known = Known {
            words: FnvMap::default(),
            found: Some((key, Arc::new(marked.clone()))),
        };
        let same = counts(library[5].words.clone());
        let mut unchanged = library.clone();
        unchanged[5] = same;
        assert_eq!(*find_all(&unchanged, categories.clone(), &known).1, marked);
        // Lists no build could have found (a damaged file): found again.
        for impossible in [vec![20], vec![0], vec![1, 2, 3, 4, 5, 6]] {
            let mut damaged = marked.clone();
            damaged[0] = impossible;
            let known = Known {
                words: FnvMap::default(),
                found: Some((key, Arc::new(damaged))),
            };
            assert_eq!(*find_all(&library, categories.clone(), &known).1, fresh);
        }
        // A record with other words, or in another category: found again.
        let mut edited = library.clone();
        edited[5] = counts(vec![(1, 1.0), (999, 2.0)]);
        let (edited_key, again) = find_all(&edited, categories.clone(), &known);
        assert_ne!(edited_key, key);
        let made = tables(&edited, categories.clone());
        assert_eq!(
            again[0],
            made.of(0).iter().map(|&j| j as u32).collect::<Vec<_>>()
        );
        let mut moved = categories;
        moved[3] = 1;
        assert_ne!(*find_all(&library, moved, &known).1, marked);
    }
}
