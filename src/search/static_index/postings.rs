//! Every term's posting list over all documents. Documents are indexed a batch at a time: the
//! batch's documents are cut into weighted terms on every core, then their terms are added to
//! the lists, which are split into parts by the term's hash so that each core fills its own
//! parts. Only one batch's terms are held on top of the lists.

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::codec::{final_list, Postings};
use super::shards::shard_of;
use crate::text::analyzer;

/// Documents cut into terms at once.
const BATCH: usize = 1024;

/// The lists are built in this many parts, each holding the terms whose hash falls in it.
const PARTS: usize = 16;

/// A document's distinct terms in one part, one after another in `text`, each with where it
/// ends there and its weight: title hit → 8, plus occurrences in the text up to 7.
#[derive(Default)]
struct PartTerms {
    text: String,
    ends: Vec<(usize, u8)>,
}

impl PartTerms {
    fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        let mut start = 0;
        self.ends.iter().map(move |&(end, w)| {
            let term = self.text.get(start..end).unwrap_or_default();
            start = end;
            (term, w)
        })
    }
}

/// The weighted terms of a document with `title` and `text`, by part.
fn weighted_terms(title: &str, text: &str) -> Vec<PartTerms> {
    let (title, text) = (analyzer::analyze(title), analyzer::analyze(text));
    // Room for every span at once: grown as it fills, the table was rehashed several times
    // for each document.
    let mut counts: FxHashMap<&str, (bool, u8)> = FxHashMap::with_capacity_and_hasher(
        title.spans.len() + text.spans.len(),
        Default::default(),
    );
    for span in &title.spans {
        counts.entry(title.term(span)).or_default().0 = true;
    }
    for span in &text.spans {
        let count = &mut counts.entry(text.term(span)).or_default().1;
        *count = count.saturating_add(1).min(7);
    }
    let mut parts: Vec<PartTerms> = (0..PARTS).map(|_| PartTerms::default()).collect();
    for (term, (in_title, n)) in counts {
        let part = &mut parts[shard_of(term, PARTS as u32) as usize];
        part.text.push_str(term);
        part.ends
            .push((part.text.len(), u8::from(in_title) * 8 + n));
    }
    parts
}

/// Every term of the `count` documents with its final posting list (see [`final_list`]).
/// `doc(n)` yields document `n`'s title and text; the text is handed to `indexed` with the
/// document's number once it is cut (the result files are made from it).
pub fn lists(
    count: usize,
    doc: impl Fn(usize) -> (String, String) + Sync,
    indexed: impl Fn(usize, &str) + Sync,
) -> Vec<(CompactString, String)> {
    // Terms are compact strings: nearly every term (a character, a pair, a short word)
    // fits in one without an allocation.
    let mut parts: Vec<FxHashMap<CompactString, Postings>> =
        (0..PARTS).map(|_| FxHashMap::default()).collect();
    for from in (0..count).step_by(BATCH) {
        let batch: Vec<Vec<PartTerms>> = (from..count.min(from + BATCH))
            .into_par_iter()
            .map(|n| {
                let (title, text) = doc(n);
                let terms = weighted_terms(&title, &text);
                indexed(n, &text);
                terms
            })
            .collect();
        parts.par_iter_mut().enumerate().for_each(|(p, lists)| {
            for (k, terms) in batch.iter().enumerate() {
                let n = (from + k + 1) as u64;
                for (term, w) in terms[p].iter() {
                    match lists.get_mut(term) {
                        Some(postings) => postings.add(n, w),
                        None => lists.entry(term.into()).or_default().add(n, w),
                    }
                }
            }
        });
    }
    parts
        .into_par_iter()
        .flat_map_iter(|part| {
            part.into_iter()
                .map(|(t, p)| (t, final_list(p.list, count)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::codec::decode;
    use super::*;

    #[test]
    fn lists_hold_each_term_with_its_documents_and_weights() {
        let docs = [("甲", "梅山港"), ("梅山", "梅山 app"), ("丙", "港口")];
        let lists: FxHashMap<CompactString, String> = lists(
            docs.len(),
            |n| (docs[n].0.to_owned(), docs[n].1.to_owned()),
            |_, _| {},
        )
        .into_iter()
        .collect();
        let list = |t: &str| decode(&lists[t]);
        assert_eq!(list("梅山"), vec![(0, 1), (1, 9)]);
        assert_eq!(list("港"), vec![(0, 1), (2, 1)]);
        assert_eq!(list("app"), vec![(1, 1)]);
    }
}
