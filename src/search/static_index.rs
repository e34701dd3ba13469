//! The browser's search index, written into the site as `.js` files that register themselves
//! (`casebook.shard(3, {...})`), so they load through `<script>` from `file://` as well as over
//! HTTP — `fetch` is refused on `file://`.
//!
//! - `search/meta.js`: document count, shard count and the Traditional → Simplified table the
//!   browser folds queries with (made from the analyzer's own table). Every query loads it.
//! - `search/s/N.js`: the postings of the terms whose hash falls in shard N. A query loads only
//!   the shards of its own terms.
//! - `search/l/N.js`: one long posting list, which its shard names by number instead of
//!   holding it. A frequent term's list in a shard would be loaded by every query for the
//!   rarer terms that share the shard; in its own file only the queries with that term load it.
//! - `search/facets.js`: the facet values and one packed code per document for all its facets
//!   (years as runs of document numbers): what facet counts over all results and filters need.
//!   At 100,000 records it is the largest file a query can load, so it is loaded only when the
//!   counts are drawn or a filter is set — after the first results are on screen.
//! - `search/d/N.js`: one document's id, title, link and text for the snippet, loaded only
//!   for results on screen.
//!
//! Postings: document numbers ascending, delta-coded with a 4-bit weight (title hit 8, plus
//! the body count up to 7), written as variable-length base-32 digits in a 64-letter
//! alphabet: a letter from the upper half means "more digits follow". A term in a large share
//! of the documents (a pair such as 网络) is written as a bitmap instead when that is shorter —
//! `!`, one letter per six documents, `!`, then its title hits as a delta-coded list, or as
//! another `!` and bitmap when that is shorter (the `yq` of every 编号) — so the lists a first
//! query loads stop growing one letter per document; such a term's body count is taken as 1
//! (its weight in ranking is small anyway).

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::fnv::FnvMap;
use crate::memo::{self, Memo};

use super::SearchDoc;
use crate::render::{script_json, SiteFile};
use crate::text::analyzer;

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
    /// Sizes that suit every library size: at 100,000 records 1,360 lists have their own file
    /// and no shard is over 11 KB; the heaviest first query moves 130 KB (61 KB at 10,000).
    fn default() -> Self {
        Layout {
            shard_bytes: 4 * 1024,
            list_bytes: 4 * 1024,
        }
    }
}

/// How much of a document's text its snippet is cut from.
const SNIPPET_SOURCE_CHARS: usize = 800;

/// Facets shown with results: document field and Chinese name.
pub const FACETS: &[(&str, &str)] = &[
    ("category", "类别"),
    ("warning", "预警"),
    ("level", "级别"),
    ("department", "责任单位"),
    ("year", "年份"),
];

const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";

/// Append `n` as base-32 digits, most significant first; all but the last from the upper half.
fn push_number(out: &mut String, n: u64) {
    let mut groups = [0u8; 13];
    let mut len = 0;
    let mut v = n;
    loop {
        groups[len] = (v & 31) as u8;
        len += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        let more = if i > 0 { 32 } else { 0 };
        out.push(DIGITS[(groups[i] + more) as usize] as char);
    }
}

/// Opens (and separates the parts of) a posting list written as a bitmap.
const BITMAP: char = '!';

/// The value of each letter of [`DIGITS`], by its byte.
const DIGIT_VALUES: [u8; 128] = {
    let mut values = [0u8; 128];
    let mut i = 0;
    while i < DIGITS.len() {
        values[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    values
};

/// A delta-coded posting list as (document, weight), documents from 0.
fn decode(list: &str) -> Vec<(usize, u8)> {
    let mut out = Vec::new();
    let (mut v, mut doc) = (0u64, 0u64);
    for b in list.bytes() {
        let d = u64::from(DIGIT_VALUES[usize::from(b & 127)]);
        v = (v << 5) | (d & 31);
        if d < 32 {
            doc += v >> 4;
            out.push((doc.saturating_sub(1) as usize, (v & 15) as u8));
            v = 0;
        }
    }
    out
}

/// The bitmap form of a posting list over `docs` documents (see the module comment).
fn bitmap(postings: &[(usize, u8)], docs: usize) -> String {
    let titles: Vec<usize> = postings
        .iter()
        .filter(|(_, w)| *w >= 8)
        .map(|&(doc, _)| doc)
        .collect();
    let mut out = String::new();
    out.push(BITMAP);
    push_bits(&mut out, postings.iter().map(|&(doc, _)| doc), docs);
    out.push(BITMAP);
    let mut listed = String::new();
    let mut last = 0;
    for &doc in &titles {
        push_number(&mut listed, (doc + 1 - last) as u64);
        last = doc + 1;
    }
    if listed.len() > docs.div_ceil(6) + 1 {
        out.push(BITMAP);
        push_bits(&mut out, titles.into_iter(), docs);
    } else {
        out.push_str(&listed);
    }
    out
}

/// Documents as a bitmap, one letter per six.
fn push_bits(out: &mut String, docs_in: impl Iterator<Item = usize>, docs: usize) {
    let mut bits = vec![0u8; docs.div_ceil(6)];
    for doc in docs_in {
        if let Some(b) = bits.get_mut(doc / 6) {
            *b |= 1 << (doc % 6);
        }
    }
    out.extend(bits.iter().map(|&b| DIGITS[usize::from(b)] as char));
}

/// FNV-1a over the term's UTF-8 bytes: the browser computes the same.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards
}

/// A term under 8 bytes — nearly every term: one or two Han characters, a short word — packed
/// into an integer (its bytes, and its length in the top byte), which hashes and compares far
/// faster than a string. Longer terms are kept as text.
type Packed = u64;

fn pack(term: &str) -> Option<Packed> {
    // By the slice's shape rather than a loop or a copy of unknown length: no bounds checks
    // and no call, for every term of every record.
    let bytes = match *term.as_bytes() {
        [a] => [a, 0, 0, 0, 0, 0, 0, 1],
        [a, b] => [a, b, 0, 0, 0, 0, 0, 2],
        [a, b, c] => [a, b, c, 0, 0, 0, 0, 3],
        [a, b, c, d] => [a, b, c, d, 0, 0, 0, 4],
        [a, b, c, d, e] => [a, b, c, d, e, 0, 0, 5],
        [a, b, c, d, e, f] => [a, b, c, d, e, f, 0, 6],
        [a, b, c, d, e, f, g] => [a, b, c, d, e, f, g, 7],
        _ => return None,
    };
    Some(u64::from_le_bytes(bytes))
}

/// [`pack`] of a term of an analysed text: one 8-byte read where the text goes on that far.
fn pack_term(text: &analyzer::Analyzed, span: &analyzer::Span) -> Option<Packed> {
    let (len, onwards) = text.term_onwards(span);
    match onwards.first_chunk::<8>() {
        Some(word) if (1..8).contains(&len) => {
            let bytes = u64::from_le_bytes(*word) & ((1 << (8 * len)) - 1);
            Some(bytes | (len as u64) << 56)
        }
        _ => pack(text.term(span)),
    }
}

fn unpack(key: Packed) -> String {
    let bytes = key.to_le_bytes();
    let len = usize::from(bytes[7]).min(7);
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// One document's distinct terms with their weights: title hit → 8, plus occurrences in the
/// text up to 7. Each list is in order of the [`Part`] its terms are merged into, so that each
/// part reads only its own terms.
struct DocTerms {
    short: Vec<Weighted<Packed>>,
    long: Vec<Weighted<Box<str>>>,
}

/// A term with its weight in a document.
type Weighted<T> = (T, u8);

impl DocTerms {
    /// The short and the long terms that part `p` holds.
    fn of_part(&self, p: usize) -> (&[Weighted<Packed>], &[Weighted<Box<str>>]) {
        let short = self.short.partition_point(|(k, _)| Part::of_short(*k) < p)
            ..self.short.partition_point(|(k, _)| Part::of_short(*k) <= p);
        let long = self.long.partition_point(|(t, _)| Part::of_long(t) < p)
            ..self.long.partition_point(|(t, _)| Part::of_long(t) <= p);
        (&self.short[short], &self.long[long])
    }
}

fn weights(doc: &SearchDoc) -> DocTerms {
    let title = analyzer::analyze(&doc.title);
    let text = analyzer::analyze(&doc.text);
    let weight = |(title, n): (bool, u8)| u8::from(title) * 8 + n;
    COUNTS.with_borrow_mut(|short| {
        short.prepare(title.spans.len() + text.spans.len());
        let mut w = TermCounts {
            short,
            long: FnvMap::default(),
        };
        for s in &title.spans {
            w.entry(&title, s).0 = true;
        }
        for s in &text.spans {
            let e = w.entry(&text, s);
            e.1 = e.1.saturating_add(1).min(7);
        }
        let mut short: Vec<Weighted<Packed>> =
            w.short.drain().map(|(k, c)| (k, weight(c))).collect();
        short.sort_unstable_by_key(|(k, _)| Part::of_short(*k));
        let mut long: Vec<Weighted<Box<str>>> = w
            .long
            .into_iter()
            .map(|(t, c)| (t.into(), weight(c)))
            .collect();
        long.sort_by_cached_key(|(t, _)| Part::of_long(t));
        DocTerms { short, long }
    })
}

/// A document's terms with (in the title, occurrences).
struct TermCounts<'a, 't> {
    short: &'a mut ShortCounts,
    long: FnvMap<&'t str, (bool, u8)>,
}

impl<'t> TermCounts<'_, 't> {
    #[inline]
    fn entry(&mut self, text: &'t analyzer::Analyzed, span: &analyzer::Span) -> &mut (bool, u8) {
        match pack_term(text, span) {
            Some(key) => self.short.entry(key),
            None => self.long_entry(text.term(span)),
        }
    }

    /// Terms of 8 bytes or more are few: their map stays out of the short terms' path.
    #[inline(never)]
    fn long_entry(&mut self, term: &'t str) -> &mut (bool, u8) {
        self.long.entry(term).or_default()
    }
}

thread_local! {
    /// Each thread's table for counting a document's short terms, kept from one document to
    /// the next.
    static COUNTS: std::cell::RefCell<ShortCounts> = const {
        std::cell::RefCell::new(ShortCounts { keys: Vec::new(), counts: Vec::new(), used: Vec::new(), shift: 64 })
    };
}

/// One document's short terms with (in the title, occurrences): an open-addressing table
/// (a packed term is never 0, which marks a free slot) hashed by one multiplication and
/// cleared through its list of used slots, so counting a document allocates nothing.
struct ShortCounts {
    keys: Vec<Packed>,
    counts: Vec<(bool, u8)>,
    used: Vec<usize>,
    /// 64 less the bits of the table's size: a key's slot is the top bits of its product.
    shift: u32,
}

impl ShortCounts {
    /// Make room for `terms` terms at most, with the table at most half full.
    fn prepare(&mut self, terms: usize) {
        let size = (terms * 2).next_power_of_two().max(64);
        if size > self.keys.len() {
            self.keys = vec![0; size];
            self.counts = vec![(false, 0); size];
            self.shift = 64 - size.trailing_zeros();
        }
    }

    #[inline]
    fn entry(&mut self, key: Packed) -> &mut (bool, u8) {
        let mask = self.keys.len() - 1;
        let mut slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize;
        loop {
            match self.keys[slot] {
                k if k == key => break,
                0 => {
                    self.keys[slot] = key;
                    self.counts[slot] = (false, 0);
                    self.used.push(slot);
                    break;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
        &mut self.counts[slot]
    }

    /// The terms counted, emptying the table for the next document.
    fn drain(&mut self) -> impl Iterator<Item = (Packed, (bool, u8))> + '_ {
        self.used
            .drain(..)
            .map(|slot| (std::mem::take(&mut self.keys[slot]), self.counts[slot]))
    }
}

/// A term's posting list as it is built: the last document added (1-based, 0 = none) and the
/// encoded list.
#[derive(Default)]
struct Postings {
    last: u64,
    list: String,
}

/// Term weights per document text.
static WEIGHTS: Memo<DocTerms> = Memo::new();

/// Documents analysed at a time: their terms are merged into the posting lists before the
/// next ones are analysed, so only this many documents' terms are ever held at once.
const CHUNK: usize = 512;

/// The posting lists are built in this many parts, each holding the terms whose hash falls in
/// it, so that merging a chunk of documents into them runs on every core: it was the index's
/// longest step, on one core, with a large vocabulary (a lookup in a table of hundreds of
/// thousands of terms for each of millions of postings).
const PARTS: usize = 8;

/// One part of the posting lists being built (see [`PARTS`]).
#[derive(Default)]
struct Part {
    short: FnvMap<Packed, Postings>,
    long: FnvMap<Box<str>, Postings>,
}

impl Part {
    /// By the top byte of a multiplicative hash (its best-mixed bits).
    fn of_short(key: Packed) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize % PARTS
    }

    fn of_long(term: &str) -> usize {
        shard_of(term, PARTS as u32) as usize
    }

    /// Add the postings of this part's terms of `per_doc`, whose first document is `first`.
    fn merge(&mut self, p: usize, per_doc: &[Arc<DocTerms>], first: usize) {
        let add = |list: &mut Postings, n: u64, w: u8| {
            push_number(&mut list.list, ((n - list.last) << 4) | u64::from(w));
            list.last = n;
        };
        for (k, terms) in per_doc.iter().enumerate() {
            let n = (first + k) as u64 + 1;
            let (short, long) = terms.of_part(p);
            for &(key, w) in short {
                add(self.short.entry(key).or_default(), n, w);
            }
            for (term, w) in long {
                let list = match self.long.get_mut(term) {
                    Some(list) => list,
                    None => self.long.entry(term.clone()).or_default(),
                };
                add(list, n, *w);
            }
        }
    }
}

/// How many of the index's files are made and handed on at once.
const FILES_AT_ONCE: usize = 64;

/// Make the browser's index of `docs` and hand its files to `emit` a few at a time, as they
/// are made: held all at once, the files (630 MB at 100,000 records) came on top of the
/// posting lists they are made from, at the build's peak of memory.
pub fn write(docs: &[SearchDoc], layout: Layout, emit: &(dyn Fn(Vec<SiteFile>) + Sync)) {
    let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
    // Each chunk's documents are merged into the lists while the next chunk is analysed.
    let mut merge = |per_doc: Vec<Arc<DocTerms>>, first: usize| {
        parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(p, part)| part.merge(p, &per_doc, first));
    };
    let mut analysed: (Vec<Arc<DocTerms>>, usize) = (Vec::new(), 0);
    for (c, chunk) in docs.chunks(CHUNK).enumerate() {
        let (_, next) = rayon::join(
            || merge(std::mem::take(&mut analysed.0), analysed.1),
            || {
                chunk
                    .par_iter()
                    .map(|d| {
                        WEIGHTS.get_or(
                            || memo::key(&[d.title.as_bytes(), d.text.as_bytes()]),
                            || weights(d),
                        )
                    })
                    .collect::<Vec<_>>()
            },
        );
        analysed = (next, c * CHUNK);
    }
    merge(analysed.0, analysed.1);
    let mut postings: Vec<(String, Postings)> = parts
        .into_iter()
        .flat_map(|part| {
            let short = part.short.into_iter().map(|(key, p)| (unpack(key), p));
            short.chain(part.long.into_iter().map(|(t, p)| (t.into(), p)))
        })
        .collect();
    // A list longer than a bitmap of all documents is rewritten as one where that is shorter.
    let bitmap_len = docs.len().div_ceil(6) + 2;
    postings.par_iter_mut().for_each(|(_, p)| {
        if p.list.len() > bitmap_len {
            let dense = bitmap(&decode(&p.list), docs.len());
            if dense.len() < p.list.len() {
                p.list = dense;
            }
        }
    });
    // The long lists get files of their own, numbered in term order; their shard names the
    // number.
    let mut terms: Vec<(String, String)> = postings.into_iter().map(|(t, p)| (t, p.list)).collect();
    terms.par_sort_unstable();
    let mut own_files: Vec<String> = Vec::new();
    let entries: Vec<(String, serde_json::Value)> = terms
        .into_iter()
        .map(|(term, list)| {
            if list.len() > layout.list_bytes {
                own_files.push(list);
                (term, serde_json::Value::from(own_files.len() - 1))
            } else {
                (term, serde_json::Value::String(list))
            }
        })
        .collect();
    let total: usize = entries
        .iter()
        .map(|(t, v)| t.len() + v.as_str().map_or(8, str::len) + 6)
        .sum();
    let shards = (total / layout.shard_bytes.max(1))
        .max(1)
        .next_power_of_two() as u32;
    // Each shard's entries, still in term order; each shard's object is made from its own
    // (inserting hundreds of thousands of terms one by one into their shards' maps was a
    // fifth of the index's time with a large vocabulary).
    let mut by_shard: Vec<Vec<(String, serde_json::Value)>> = vec![Vec::new(); shards as usize];
    for (term, value) in entries {
        by_shard[shard_of(&term, shards) as usize].push((term, value));
    }

    let shard_file = |k: usize, entries: Vec<(String, serde_json::Value)>| {
        let map: serde_json::Map<String, serde_json::Value> = entries.into_iter().collect();
        SiteFile {
            path: format!("{DIR}/s/{k}.js"),
            bytes: format!("casebook.shard({k},{});\n", script_json(&map)).into_bytes(),
        }
    };
    emit_made(by_shard.into_par_iter(), shard_file, emit);
    let list_file = |n: usize, list: String| SiteFile {
        path: format!("{DIR}/l/{n}.js"),
        bytes: format!("casebook.list({n},{});\n", script_json(&list)).into_bytes(),
    };
    emit_made(own_files.into_par_iter(), list_file, emit);
    let doc_file = |n: usize, d: &SearchDoc| {
        let text: String = d.text.chars().take(SNIPPET_SOURCE_CHARS).collect();
        let data = serde_json::json!({
            "id": d.id, "title": d.name, "href": d.href, "date": d.date,
            "category": d.category, "department": d.department, "warning": d.warning,
            "text": text,
        });
        SiteFile {
            path: format!("{DIR}/d/{n}.js"),
            bytes: format!("casebook.doc({n},{});\n", script_json(&data)).into_bytes(),
        }
    };
    emit_made(docs.par_iter(), doc_file, emit);
    emit(vec![meta(docs.len(), shards), facets(docs)]);
}

/// Make a file of each of `items` with `make` (given its number) and hand them to `emit`
/// [`FILES_AT_ONCE`] at a time; each item is dropped once its file is made.
fn emit_made<T: Send>(
    items: impl IndexedParallelIterator<Item = T>,
    make: impl Fn(usize, T) -> SiteFile + Sync,
    emit: &(dyn Fn(Vec<SiteFile>) + Sync),
) {
    items
        .enumerate()
        .chunks(FILES_AT_ONCE)
        .for_each(|group| emit(group.into_iter().map(|(n, item)| make(n, item)).collect()));
}

/// `search/meta.js`: counts and the fold table.
fn meta(docs: usize, shards: u32) -> SiteFile {
    let fold: String = analyzer::fold_table()
        .into_iter()
        .flat_map(|(t, s)| [t, s])
        .collect();
    let data = serde_json::json!({ "docs": docs, "shards": shards, "fold": fold });
    SiteFile {
        path: format!("{DIR}/meta.js"),
        bytes: format!("casebook.meta({});\n", script_json(&data)).into_bytes(),
    }
}

/// `search/facets.js`: the facet values with packed per-document codes.
fn facets(docs: &[SearchDoc]) -> SiteFile {
    let field = |d: &SearchDoc, key: &str| -> String {
        match key {
            "category" => d.category.clone(),
            "warning" => d.warning.clone(),
            "level" => d.level.clone(),
            "department" => d.department.clone(),
            _ => d.year.clone(),
        }
    };
    let mut facets = Vec::new();
    // The other facets' values are packed into one number per document (mixed radix: each
    // facet's value times the product of the earlier facets' sizes), written in base 64.
    let mut codes: Vec<u64> = vec![0; docs.len()];
    let mut combinations: u64 = 1;
    for &(key, label) in FACETS {
        let mut values: Vec<String> = docs.iter().map(|d| field(d, key)).collect();
        values.sort();
        values.dedup();
        let index: HashMap<&str, usize> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (v.as_str(), i))
            .collect();
        let per_doc: Vec<usize> = docs
            .iter()
            .map(|d| index.get(field(d, key).as_str()).copied().unwrap_or(0))
            .collect();
        // Documents run newest first, so a year is one stretch of document numbers: such a
        // facet is stored as (first document, value) runs instead of a code per document.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (n, &v) in per_doc.iter().enumerate() {
            if runs.last().is_none_or(|&(_, last)| last != v) {
                runs.push((n, v));
            }
        }
        if runs.len() == values.len() {
            facets.push(serde_json::json!({
                "key": key, "label": label, "values": values, "runs": runs,
            }));
            continue;
        }
        for (&v, code) in per_doc.iter().zip(codes.iter_mut()) {
            *code += v as u64 * combinations;
        }
        combinations = combinations.saturating_mul(values.len().max(1) as u64);
        facets.push(serde_json::json!({ "key": key, "label": label, "values": values }));
    }
    let mut width = 1;
    while 64u64.saturating_pow(width) < combinations {
        width += 1;
    }
    let codes: String = codes
        .iter()
        .flat_map(|&code| {
            (0..width)
                .rev()
                .map(move |i| DIGITS[(code / 64u64.pow(i) % 64) as usize] as char)
        })
        .collect();
    let data = serde_json::json!({ "facets": facets, "codes": codes, "codeWidth": width });
    SiteFile {
        path: format!("{DIR}/facets.js"),
        bytes: format!("casebook.facets({});\n", script_json(&data)).into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_through_the_digit_alphabet() {
        for n in [0u64, 1, 31, 32, 1000, 123_456_789] {
            let mut s = String::new();
            push_number(&mut s, n);
            let mut v = 0u64;
            for b in s.bytes() {
                let d = DIGITS.iter().position(|&x| x == b).unwrap() as u64;
                v = (v << 5) | (d & 31);
            }
            assert_eq!(v, n, "{s}");
        }
    }

    #[test]
    fn short_terms_pack_into_integers_and_back() {
        for term in ["梅", "梅山", "yq", "2024", "a", "abcdefg"] {
            let key = pack(term).unwrap();
            assert_eq!(unpack(key), term);
        }
        assert_ne!(pack("a"), pack("a\0"));
        assert_eq!(
            pack(""),
            None,
            "no term packs to 0, the free slot of a table"
        );
        // Read from an analysed text as one word, a term packs the same as on its own.
        let text = analyzer::analyze("梅山港 yq 2024年abcdefgh 網");
        for span in &text.spans {
            assert_eq!(
                pack_term(&text, span),
                pack(text.term(span)),
                "{}",
                text.term(span)
            );
        }
        assert_eq!(pack("abcdefgh"), None);
        assert_eq!(pack("梅山港"), None);
    }

    #[test]
    fn dense_lists_become_bitmaps_with_their_title_hits() {
        let postings = [(0, 9), (1, 1), (2, 3), (6, 8), (7, 2), (13, 1)];
        let mut list = String::new();
        let mut last = 0;
        for &(doc, w) in &postings {
            push_number(&mut list, (((doc + 1 - last) as u64) << 4) | u64::from(w));
            last = doc + 1;
        }
        assert_eq!(decode(&list), postings);
        // Bits 0, 1, 2 | 0, 1 (documents 6, 7) | 1 (document 13); title hits 0 and 6.
        assert_eq!(bitmap(&postings, 14), "!732!16");
        // Title hits in most documents: a second bitmap, shorter than their list.
        let all: Vec<(usize, u8)> = (0..14).map(|doc| (doc, 8)).collect();
        assert_eq!(bitmap(&all, 14), "!$$3!!$$3");
    }
}
