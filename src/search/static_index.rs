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
//! The posting lists are made piece by piece — a few hundred records of one quarter at a
//! time — and each piece's lists are kept in the site ([`PIECES_DIR`]): a rebuild takes the
//! pieces whose records are unchanged from the published site and makes only the others
//! again, then joins them. Joining a piece costs a lookup per term, not per posting. Files
//! the build would make again from the same inputs — all the posting files when no piece
//! changed, all but the shards holding a changed list when a piece or two changed in place
//! ([`patch`]), the result file of every document as before — are kept without being made
//! ([`MADE_FILE`]).
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
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::fnv::{FnvMap, FnvSet};
use crate::kept::{self, Fields};
use crate::memo::Memo;

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

/// The value of each letter of [`DIGITS`], by its byte; [`NOT_A_DIGIT`] for other bytes.
const DIGIT_VALUES: [u8; 128] = {
    let mut values = [NOT_A_DIGIT; 128];
    let mut i = 0;
    while i < DIGITS.len() {
        values[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    values
};

/// Marks a byte that is not a letter of [`DIGITS`].
const NOT_A_DIGIT: u8 = u8::MAX;

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
    let (bytes, len) = unpacked(key);
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// The bytes of a packed term: the first `len` of the eight returned with `len`.
fn unpacked(key: Packed) -> ([u8; 8], usize) {
    let bytes = key.to_le_bytes();
    (bytes, usize::from(bytes[7]).min(7))
}

/// One document's distinct terms with their weights: title hit → 8, plus occurrences in the
/// text up to 7.
struct DocTerms {
    short: Vec<Weighted<Packed>>,
    long: Vec<Weighted<Box<str>>>,
}

/// A term with its weight in a document.
type Weighted<T> = (T, u8);

/// The weighted terms of a document whose [`SearchDoc::text`] is `text`.
fn weights(doc: &SearchDoc, text: &str) -> DocTerms {
    let title = analyzer::analyze(&doc.title);
    let text = analyzer::analyze(text);
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
        DocTerms {
            short: w.short.drain().map(|(k, c)| (k, weight(c))).collect(),
            long: w
                .long
                .into_iter()
                .map(|(t, c)| (t.into(), weight(c)))
                .collect(),
        }
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

impl Postings {
    /// Add document `n` (1-based, after the last one) with weight `w`.
    fn add(&mut self, n: u64, w: u8) {
        push_number(&mut self.list, ((n - self.last) << 4) | u64::from(w));
        self.last = n;
    }

    /// Add a piece's list of the term, whose documents come after `before` others: its first
    /// number is written again as the distance from the last document here, and the rest,
    /// distances within the piece, is copied as it is.
    fn append(&mut self, before: u64, piece: &PieceList) {
        let (first, rest) = piece.split_first();
        self.add(before + (first >> 4), (first & 15) as u8);
        self.list.push_str(rest);
        self.last = before + u64::from(piece.last);
    }
}

/// The posting lists are built in this many parts, each holding the terms whose hash falls in
/// it, so that merging pieces into them runs on every core: it was the index's longest step,
/// on one core, with a large vocabulary (a lookup in a table of hundreds of thousands of terms
/// for each of millions of postings).
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

    /// Add this part's lists of `pieces`, in order, each with the number of documents before
    /// it.
    fn merge(&mut self, p: usize, pieces: &[(u64, Arc<PieceLists>)]) {
        for (before, lists) in pieces {
            for piece in lists.part(p) {
                let postings = match pack(piece.term) {
                    Some(key) => self.short.entry(key).or_default(),
                    None => match self.long.get_mut(piece.term) {
                        Some(postings) => postings,
                        None => self.long.entry(piece.term.into()).or_default(),
                    },
                };
                postings.append(*before, &piece);
            }
        }
    }
}

/// Documents indexed together, as one piece (see [`pieces`]), at most.
const PIECE: usize = 512;

/// Pieces made at a time: they are merged into the lists while the next ones are made, so
/// only this many pieces' lists are ever held on top of the lists.
const PIECES_AT_ONCE: usize = 4;

/// Where a site keeps the posting lists of its index's pieces for the next build, one file a
/// piece named by the hash of its documents ([`Piece::key`]). They hold only what `search/`
/// holds, of the same records.
pub const PIECES_DIR: &str = ".casebook-cache/search";

/// A run of documents whose posting lists are made together, and kept for the next build.
struct Piece<'a> {
    /// How many documents come before it.
    before: usize,
    docs: &'a [SearchDoc<'a>],
}

impl Piece<'_> {
    /// A hash of everything its lists are made from: its documents' titles and texts in order,
    /// and the version of the program that makes them.
    fn key(&self) -> u128 {
        let program = [PIECE_MAGIC, env!("CARGO_PKG_VERSION").as_bytes()];
        let docs = self.docs.iter().flat_map(|d| {
            let [body, facts] = d.text_sources();
            [d.title.as_bytes(), body, facts]
        });
        kept::hasher(program.into_iter().chain(docs)).digest128()
    }

    /// Where the site keeps the lists of the piece with this key.
    fn path(key: u128) -> String {
        format!("{PIECES_DIR}/{key:032x}.bin")
    }
}

/// The documents cut into pieces: each bucket's run of documents (see [`SearchDoc::bucket`]),
/// cut every [`PIECE`] documents counting from its oldest one. Documents run newest first, so
/// a new record, or an edit, changes the piece it falls in and leaves every other piece's
/// documents as they were, only moved.
fn pieces<'a>(docs: &'a [SearchDoc<'a>]) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut before = 0;
    for run in docs.chunk_by(|a, b| a.bucket() == b.bucket()) {
        let (mut from, mut to) = (0, (run.len() - 1) % PIECE + 1);
        while from < run.len() {
            out.push(Piece {
                before: before + from,
                docs: &run[from..to],
            });
            (from, to) = (to, to + PIECE);
        }
        before += run.len();
    }
    out
}

/// The pieces' lists under `serve`, by piece (see [`memo`]).
static PIECE_LISTS: Memo<PieceLists> = Memo::new();

/// A piece's lists: the published site's copy in `site` if it has a whole one, made otherwise;
/// and, where they were made, the result files of `results` made from the same texts.
fn lists_of(
    piece: &Piece,
    key: u128,
    site: Option<&Path>,
    results: &Results,
) -> (Arc<PieceLists>, Vec<SiteFile>) {
    let mut files = Vec::new();
    let lists = PIECE_LISTS.get_or(
        || key as u64,
        || {
            site.and_then(|site| PieceLists::file(site, key))
                .and_then(|bytes| PieceLists::read(bytes, piece.docs.len()))
                .unwrap_or_else(|| {
                    PieceLists::make(piece.docs, |k, text| {
                        files.extend(results.take(piece.before + k, text));
                    })
                })
        },
    );
    (lists, files)
}

/// A piece's file, kept in the site for the next build.
fn piece_file(key: u128, lists: &PieceLists) -> SiteFile {
    SiteFile {
        path: Piece::path(key),
        bytes: lists.bytes.clone(),
    }
}

/// Opens a piece's file; part of its key (with the program's version), so a program that
/// writes pieces, cuts terms or makes a record's text ([`SearchDoc::text`]: the key hashes
/// what it is made from, not the text) differently must change it.
const PIECE_MAGIC: &[u8] = b"casebook search piece 1\n";

/// The posting lists of a piece, as kept between builds: [`PIECE_MAGIC`], the byte length
/// of each part's section (see [`Part`]) and the sections. A section lists its terms, each
/// with the last document of its list and the list, its documents numbered from the piece's
/// first; lengths and the last document are 4-byte little-endian numbers.
struct PieceLists {
    bytes: Vec<u8>,
    /// Where each part's section is in `bytes`.
    parts: [std::ops::Range<usize>; PARTS],
}

/// A term of a piece being indexed: packed, or a longer one as text.
enum Term {
    Short(Packed),
    Long(Box<str>),
}

/// One term's list in a piece.
struct PieceList<'a> {
    term: &'a str,
    last: u32,
    list: &'a str,
}

impl PieceLists {
    /// Index the documents of a piece. Each term gets a number when first met and each of its
    /// postings is noted as (term number, document and weight) in one table, in document
    /// order; the table is then grouped by term (a counting sort), and each term's list is
    /// written once, straight into its part's section. A growing list per term was a small
    /// allocation per term and document and a lookup in a table too large for the cache: a
    /// quarter of the index's time.
    ///
    /// `text_made` is handed each document's number in the piece and its text, which is
    /// costly to make (its Markdown is read), for the result files.
    fn make(docs: &[SearchDoc], mut text_made: impl FnMut(usize, &str)) -> PieceLists {
        let mut short: FnvMap<Packed, u32> = FnvMap::default();
        let mut long: FnvMap<Box<str>, u32> = FnvMap::default();
        // Per term number: the part its list goes in, and the term.
        let mut terms: Vec<(u8, Term)> = Vec::new();
        // Room for every posting at once: a document has fewer distinct terms than its texts
        // have bytes. Grown by doubling instead, the table was copied at every step; room
        // reserved and never written costs nothing.
        let bytes: usize = docs
            .iter()
            .map(|d| d.title.len() + d.text_sources().iter().map(|s| s.len()).sum::<usize>())
            .sum();
        let mut postings: Vec<(u32, u32)> = Vec::with_capacity(bytes);
        for (k, doc) in docs.iter().enumerate() {
            let n = k as u32 + 1;
            let text = doc.text();
            text_made(k, &text);
            let doc_terms = weights(doc, &text);
            postings.reserve(doc_terms.short.len() + doc_terms.long.len());
            for (key, w) in doc_terms.short {
                let id = *short.entry(key).or_insert_with(|| {
                    terms.push((Part::of_short(key) as u8, Term::Short(key)));
                    terms.len() as u32 - 1
                });
                postings.push((id, (n << 4) | u32::from(w)));
            }
            for (term, w) in doc_terms.long {
                let id = match long.get(&term) {
                    Some(id) => *id,
                    None => {
                        let id = terms.len() as u32;
                        terms.push((Part::of_long(&term) as u8, Term::Long(term.clone())));
                        long.insert(term, id);
                        id
                    }
                };
                postings.push((id, (n << 4) | u32::from(w)));
            }
        }
        drop((short, long));
        // Grouped by term, each term's postings still in document order.
        let mut starts = vec![0u32; terms.len() + 1];
        for (id, _) in &postings {
            starts[*id as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut grouped = vec![0u32; postings.len()];
        for (id, posting) in postings {
            let at = &mut next[id as usize];
            grouped[*at as usize] = posting;
            *at += 1;
        }
        let mut sections: [Vec<u8>; PARTS] = Default::default();
        // One list written at a time, its room kept from term to term.
        let mut postings = Postings::default();
        for (id, (part, term)) in terms.iter().enumerate() {
            postings.last = 0;
            postings.list.clear();
            for posting in &grouped[starts[id] as usize..starts[id + 1] as usize] {
                postings.add(u64::from(posting >> 4), (posting & 15) as u8);
            }
            let (packed, len);
            let term: &[u8] = match term {
                Term::Short(key) => {
                    (packed, len) = unpacked(*key);
                    &packed[..len]
                }
                Term::Long(term) => term.as_bytes(),
            };
            let section = &mut sections[usize::from(*part)];
            section.extend_from_slice(&(term.len() as u32).to_le_bytes());
            section.extend_from_slice(term);
            section.extend_from_slice(&(postings.last as u32).to_le_bytes());
            section.extend_from_slice(&(postings.list.len() as u32).to_le_bytes());
            section.extend_from_slice(postings.list.as_bytes());
        }
        let mut parts: [std::ops::Range<usize>; PARTS] = Default::default();
        let mut at = PIECE_MAGIC.len() + 4 * PARTS;
        let mut bytes = Vec::with_capacity(at + sections.iter().map(Vec::len).sum::<usize>());
        bytes.extend_from_slice(PIECE_MAGIC);
        for (section, range) in sections.iter().zip(&mut parts) {
            bytes.extend_from_slice(&(section.len() as u32).to_le_bytes());
            *range = at..at + section.len();
            at = range.end;
        }
        for section in &sections {
            bytes.extend_from_slice(section);
        }
        PieceLists { bytes, parts }
    }

    /// A piece's lists read back from its file, if they are whole and fit a piece of `docs`
    /// documents: every list's documents ascending within the piece, ending at its last.
    fn read(bytes: Vec<u8>, docs: usize) -> Option<PieceLists> {
        let lists = PieceLists::open(bytes)?;
        lists.each(docs, |_| true, |_| {}).then_some(lists)
    }

    /// A piece's file with its sections found, their lists not yet checked ([`Self::each`]).
    fn open(bytes: Vec<u8>) -> Option<PieceLists> {
        let mut fields = Fields(bytes.strip_prefix(PIECE_MAGIC)?);
        let mut parts: [std::ops::Range<usize>; PARTS] = Default::default();
        let mut at = PIECE_MAGIC.len() + 4 * PARTS;
        for range in &mut parts {
            let len = fields.u32()? as usize;
            *range = at..at.checked_add(len)?;
            at = range.end;
        }
        (at == bytes.len()).then_some(PieceLists { bytes, parts })
    }

    /// Hand `take` each list whose term `wanted` accepts; whether every section is whole and
    /// each list taken fits a piece of `docs` documents (see [`PieceList::fits`]).
    fn each<'a>(
        &'a self,
        docs: usize,
        wanted: impl Fn(&str) -> bool,
        mut take: impl FnMut(PieceList<'a>),
    ) -> bool {
        self.parts.iter().all(|range| {
            let mut section = Fields(&self.bytes[range.clone()]);
            while let Some(list) = PieceList::read(&mut section) {
                if wanted(list.term) {
                    if !list.fits(docs) {
                        return false;
                    }
                    take(list);
                }
            }
            section.is_empty()
        })
    }

    /// The file the site in `site` keeps of the piece with this key.
    fn file(site: &Path, key: u128) -> Option<Vec<u8>> {
        std::fs::read(site.join(Piece::path(key))).ok()
    }

    /// The terms whose list here is not as in `other` (or is in only one of the two).
    fn differing<'a>(&'a self, other: &'a PieceLists) -> Vec<&'a str> {
        (0..PARTS)
            .into_par_iter()
            .flat_map_iter(|p| {
                let mine: FnvMap<&str, (u32, &str)> =
                    self.part(p).map(|l| (l.term, (l.last, l.list))).collect();
                let mut theirs: FnvSet<&str> = FnvSet::default();
                let mut out: Vec<&str> = Vec::new();
                for l in other.part(p) {
                    theirs.insert(l.term);
                    if mine.get(l.term) != Some(&(l.last, l.list)) {
                        out.push(l.term);
                    }
                }
                out.extend(mine.into_keys().filter(|t| !theirs.contains(t)));
                out
            })
            .collect()
    }

    /// The lists of part `p`'s terms.
    fn part(&self, p: usize) -> impl Iterator<Item = PieceList<'_>> {
        let mut section = Fields(self.bytes.get(self.parts[p].clone()).unwrap_or_default());
        std::iter::from_fn(move || PieceList::read(&mut section))
    }
}

impl<'a> PieceList<'a> {
    /// The next term's list; none at the end of a section or where it is not whole.
    fn read(fields: &mut Fields<'a>) -> Option<PieceList<'a>> {
        Some(PieceList {
            term: fields.text()?,
            last: fields.u32()?,
            list: fields.text()?,
        })
    }

    /// Whether the list is well made for a piece of `docs` documents: a term, digits only,
    /// documents ascending from 1 up to `docs`, the last one `last`.
    fn fits(&self, docs: usize) -> bool {
        let (mut v, mut doc, mut open) = (0u64, 0u64, false);
        for b in self.list.bytes() {
            let d = DIGIT_VALUES[usize::from(b & 127)];
            if b >= 128 || d == NOT_A_DIGIT || v > u64::MAX >> 5 {
                return false;
            }
            v = (v << 5) | u64::from(d & 31);
            open = d >= 32;
            if !open {
                doc += v >> 4;
                if v >> 4 == 0 || doc > docs as u64 {
                    return false;
                }
                v = 0;
            }
        }
        !self.term.is_empty() && !open && doc > 0 && doc == u64::from(self.last)
    }

    /// The list's first number (document and weight), and the rest of the list.
    fn split_first(&self) -> (u64, &str) {
        let end = self
            .list
            .bytes()
            .position(|b| DIGIT_VALUES[usize::from(b & 127)] < 32)
            .map_or(self.list.len(), |i| i + 1);
        let first = self.list.as_bytes()[..end].iter().fold(0u64, |v, &b| {
            (v << 5) | u64::from(DIGIT_VALUES[usize::from(b & 127)] & 31)
        });
        (first, &self.list[end..])
    }
}

/// How many of the index's files are made and handed on at once.
const FILES_AT_ONCE: usize = 64;

/// A build into a site folder: where the site published there is, and how to keep its files.
#[derive(Clone, Copy)]
pub struct Published<'a> {
    pub dir: &'a Path,
    /// Keeps the published site's files at these paths in the new site as they are; false,
    /// keeping none, where one is not as that site recorded it (`output::Staging::keep`).
    pub keep: &'a (dyn Fn(&[String]) -> bool + Sync),
}

/// Make the browser's index of `docs` and hand its files to `emit` a few at a time, as they
/// are made: held all at once, the files (630 MB at 100,000 records) came on top of the
/// posting lists they are made from, at the build's peak of memory. A build that writes a
/// site into a folder takes from the site `published` there what it made from the same
/// inputs: the lists of the pieces whose documents are unchanged (see [`PIECES_DIR`]), all
/// the posting files when no piece changed, all but the few a changed piece reaches when
/// only a few changed in place ([`patch`]), each unchanged document's result file (see
/// [`Made`]).
pub fn write(
    docs: &[SearchDoc],
    layout: Layout,
    published: Option<Published>,
    emit: &(dyn Fn(Vec<SiteFile>) + Sync),
) {
    let pieces: Vec<(Piece, u128)> = pieces(docs)
        .into_par_iter()
        .map(|piece| {
            let key = piece.key();
            (piece, key)
        })
        .collect();
    let results: Vec<u128> = docs
        .par_iter()
        .enumerate()
        .map(|(n, d)| ResultDoc::of(d, d.text_sources()).key(n))
        .collect();
    let mut made = Made::new(docs.len(), layout, &pieces, results);
    let before = published.and_then(|site| Made::read(site.dir));
    let keep = |paths: &[String]| published.is_some_and(|site| (site.keep)(paths));
    // The result files of documents whose result is as before are kept.
    let (unchanged, changed): (Vec<usize>, Vec<usize>) = (0..docs.len()).partition(|&n| {
        before
            .as_ref()
            .is_some_and(|b| b.results.get(n) == Some(&made.results[n]))
    });
    let paths: Vec<String> = unchanged.iter().map(|&n| result_path(n)).collect();
    let results = Results::new(
        docs,
        match paths.is_empty() || keep(&paths) {
            true => changed,
            false => (0..docs.len()).collect(),
        },
    );
    let kept = before.as_ref().and_then(|before| {
        let same = before.frame == made.frame && before.pieces == made.pieces;
        match same && keep(&before.list_paths()) {
            true => Some(before.posted.clone()),
            false => patch(layout, &pieces, &made, before, published?, &results, emit),
        }
    });
    made.posted = match kept {
        Some(posted) => posted,
        None => posting_files(layout, &pieces, published.map(|p| p.dir), &results, emit),
    };
    results.rest(emit);
    let mut files = vec![meta(docs.len(), made.posted.shards), facets(docs)];
    if published.is_some() {
        files.push(made.file());
    }
    emit(files);
}

fn shard_path(k: usize) -> String {
    format!("{DIR}/s/{k}.js")
}

fn list_path(n: usize) -> String {
    format!("{DIR}/l/{n}.js")
}

/// What the shards and long lists came to.
#[derive(Clone, Default)]
struct Posted {
    shards: u32,
    /// The bytes the shards' entries add up to, which their count is taken from
    /// ([`entry_bytes`]).
    total: u64,
    /// The terms whose list has a file of its own, in term order: a list's number is its place
    /// here.
    own: Vec<String>,
}

/// A term's list as the index holds it: one longer than a bitmap of all `docs` documents is
/// written as one where that is shorter.
fn final_list(list: String, docs: usize) -> String {
    if list.len() <= docs.div_ceil(6) + 2 {
        return list;
    }
    let dense = bitmap(&decode(&list), docs);
    match dense.len() < list.len() {
        true => dense,
        false => list,
    }
}

/// Whether a term's (final) list has a file of its own.
fn is_own(list: &str, layout: Layout) -> bool {
    list.len() > layout.list_bytes
}

/// What a term's entry adds to the shards: a list with a file of its own is written as its
/// number (8 bytes or so).
fn entry_bytes(term: &str, list: &str, layout: Layout) -> u64 {
    let list = if is_own(list, layout) { 8 } else { list.len() };
    (term.len() + list + 6) as u64
}

/// Shards enough for entries of `total` bytes to come to about `layout.shard_bytes` a shard.
fn shard_count(total: u64, layout: Layout) -> u32 {
    (total / layout.shard_bytes.max(1) as u64)
        .max(1)
        .next_power_of_two() as u32
}

/// Shard `k`'s file, of its entries in term order; an entry whose list has a file of its own
/// (`own`) has an empty list, and the shard names the file's number instead.
fn shard_file(k: usize, entries: &[(String, String)], own: &[String]) -> SiteFile {
    let mut js = format!("casebook.shard({k},{{");
    for (i, (term, list)) in entries.iter().enumerate() {
        if i > 0 {
            js.push(',');
        }
        js.push_str(&script_json(term));
        js.push(':');
        // Lists are letters of `DIGITS` and `BITMAP`: nothing to escape.
        match list.is_empty() {
            true => {
                let n = own.partition_point(|t| t < term);
                js.push_str(&n.to_string());
            }
            false => {
                js.push('"');
                js.push_str(list);
                js.push('"');
            }
        }
    }
    js.push_str("});\n");
    SiteFile {
        path: shard_path(k),
        bytes: js.into_bytes(),
    }
}

/// The file of the list numbered `n`.
fn list_file(n: usize, list: &str) -> SiteFile {
    SiteFile {
        path: list_path(n),
        bytes: format!("casebook.list({n},{});\n", script_json(&list)).into_bytes(),
    }
}

/// The shards and long lists of the documents of `results` (see the module's doc), made from
/// their pieces.
fn posting_files(
    layout: Layout,
    pieces: &[(Piece, u128)],
    site: Option<&Path>,
    results: &Results,
    emit: &(dyn Fn(Vec<SiteFile>) + Sync),
) -> Posted {
    let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
    // Each group of pieces is merged into the lists while the next group is made.
    let mut merge = |made: Vec<(u64, Arc<PieceLists>)>| {
        parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(p, part)| part.merge(p, &made));
    };
    let mut made = Vec::new();
    for group in pieces.chunks(PIECES_AT_ONCE) {
        let (_, next) = rayon::join(
            || merge(std::mem::take(&mut made)),
            || {
                group
                    .par_iter()
                    .map(|(piece, key)| {
                        let (lists, mut files) = lists_of(piece, *key, site, results);
                        if site.is_some() {
                            files.push(piece_file(*key, &lists));
                        }
                        if !files.is_empty() {
                            emit(files);
                        }
                        (piece.before as u64, lists)
                    })
                    .collect()
            },
        );
        made = next;
    }
    merge(made);
    let lists: Vec<(String, String)> = parts
        .into_par_iter()
        .flat_map_iter(|part| {
            let short = part.short.into_iter().map(|(key, p)| (unpack(key), p.list));
            short.chain(part.long.into_iter().map(|(t, p)| (t.into(), p.list)))
        })
        .map(|(term, list)| (term, final_list(list, results.docs.len())))
        .collect();
    let total = lists.iter().map(|(t, l)| entry_bytes(t, l, layout)).sum();
    let shards = shard_count(total, layout);
    // Each shard's entries in term order, sorted shard by shard (one sort of hundreds of
    // thousands of terms cost more than all the shards' small ones).
    let mut by_shard: Vec<Vec<(String, String)>> = vec![Vec::new(); shards as usize];
    for (term, list) in lists {
        by_shard[shard_of(&term, shards) as usize].push((term, list));
    }
    by_shard
        .par_iter_mut()
        .for_each(|entries| entries.sort_unstable());
    // The long lists are taken out of their shards (which are left with an empty list, which
    // no term has) into files of their own, numbered in term order; the shard names the number.
    let mut own_files: Vec<(String, String)> = by_shard
        .iter_mut()
        .flatten()
        .filter(|(_, list)| is_own(list, layout))
        .map(|(term, list)| (term.clone(), std::mem::take(list)))
        .collect();
    own_files.sort_unstable();
    let own: Vec<String> = own_files.iter().map(|(term, _)| term.clone()).collect();
    emit_made(
        by_shard.into_par_iter(),
        |k, entries| shard_file(k, &entries, &own),
        emit,
    );
    emit_made(
        own_files.into_par_iter(),
        |n, (_, list)| list_file(n, &list),
        emit,
    );
    Posted { shards, total, own }
}

/// Changed pieces at most for [`patch`] to be tried: an edit or two between builds.
const PATCHED_PIECES: usize = 2;

/// The posting files of a rebuild in which a few pieces changed in place (every piece where it
/// was, the same documents in number), made as [`posting_files`] makes them but only where a
/// change reaches: the shards holding a term whose list in a changed piece is not as before,
/// made whole from all the pieces, and those terms' own list files. Every other file is kept
/// (at 10,000 records, merging all the pieces and making every shard to find the few that
/// changed was a third of a rebuild with one record edited).
///
/// None, having handed on no posting file and kept nothing, where the change reaches further
/// — the shards' count changes, a list gets or loses a file of its own — or the published
/// site's pieces or files are not whole: then everything is made.
fn patch(
    layout: Layout,
    pieces: &[(Piece, u128)],
    made: &Made,
    before: &Made,
    site: Published,
    results: &Results,
    emit: &(dyn Fn(Vec<SiteFile>) + Sync),
) -> Option<Posted> {
    let in_place = before.pieces.len() == made.pieces.len()
        && before
            .pieces
            .iter()
            .zip(&made.pieces)
            .all(|(b, m)| b.0 == m.0);
    let shards = before.posted.shards;
    if before.frame != made.frame || !in_place || shards == 0 {
        return None;
    }
    let changed: Vec<usize> = (0..pieces.len())
        .filter(|&i| before.pieces[i] != made.pieces[i])
        .collect();
    if changed.len() > PATCHED_PIECES {
        return None;
    }
    let docs_in = |i: usize| pieces[i].0.docs.len();
    let old: Vec<PieceLists> = changed
        .iter()
        .map(|&i| {
            PieceLists::file(site.dir, before.pieces[i].1)
                .and_then(|bytes| PieceLists::read(bytes, docs_in(i)))
        })
        .collect::<Option<_>>()?;
    let new: Vec<Arc<PieceLists>> = changed
        .iter()
        .map(|&i| {
            let (lists, files) = lists_of(&pieces[i].0, pieces[i].1, None, results);
            if !files.is_empty() {
                emit(files);
            }
            lists
        })
        .collect();
    let mut reached = vec![false; shards as usize];
    for (old, new) in old.iter().zip(&new) {
        for term in old.differing(new) {
            reached[shard_of(term, shards) as usize] = true;
        }
    }
    // Every term of the shards reached, with its list as it was and as it is now: the pieces'
    // lists of it joined in order, a changed piece's old lists for the one and new for the
    // other. The other pieces' files are opened a few at a time, and only the lists taken
    // from them are checked.
    let in_reach = |term: &str| reached[shard_of(term, shards) as usize];
    let mut lists: FnvMap<Box<str>, [Postings; 2]> = FnvMap::default();
    let order: Vec<usize> = (0..pieces.len()).collect();
    for group in order.chunks(PIECES_AT_ONCE) {
        let opened: Vec<Option<PieceLists>> = group
            .par_iter()
            .map(|&i| match changed.contains(&i) {
                true => Some(None),
                false => PieceLists::file(site.dir, pieces[i].1)
                    .and_then(PieceLists::open)
                    .map(Some),
            })
            .collect::<Option<_>>()?;
        let taken: Vec<Vec<(PieceList, std::ops::Range<usize>)>> = group
            .par_iter()
            .zip(&opened)
            .map(|(&i, opened)| {
                let sides: Vec<(&PieceLists, std::ops::Range<usize>)> =
                    match changed.iter().position(|&c| c == i) {
                        Some(k) => vec![(&old[k], 0..1), (&new[k], 1..2)],
                        None => opened.iter().map(|lists| (lists, 0..2)).collect(),
                    };
                let mut taken = Vec::new();
                let whole = sides.into_iter().all(|(lists, sides)| {
                    lists.each(docs_in(i), in_reach, |list| {
                        taken.push((list, sides.clone()))
                    })
                });
                whole.then_some(taken)
            })
            .collect::<Option<_>>()?;
        for (&i, taken) in group.iter().zip(taken) {
            for (list, sides) in taken {
                let postings = match lists.get_mut(list.term) {
                    Some(postings) => postings,
                    None => lists.entry(list.term.into()).or_default(),
                };
                for side in &mut postings[sides] {
                    side.append(pieces[i].0.before as u64, &list);
                }
            }
        }
    }
    let mut total = before.posted.total;
    let mut by_shard: FnvMap<usize, Vec<(String, String)>> = FnvMap::default();
    let mut own_files: Vec<(usize, String)> = Vec::new();
    for (term, [was, is]) in lists {
        let term = &*term;
        let [was, is] =
            [was, is].map(|p| (!p.list.is_empty()).then(|| final_list(p.list, results.docs.len())));
        let own = before
            .posted
            .own
            .binary_search_by(|t| t.as_str().cmp(term))
            .ok();
        for (list, sign) in [(&was, false), (&is, true)] {
            if let Some(list) = list {
                let bytes = entry_bytes(term, list, layout);
                total = match sign {
                    true => total.checked_add(bytes)?,
                    false => total.checked_sub(bytes)?,
                };
                // A list that gets or loses a file of its own renumbers the others.
                if is_own(list, layout) != own.is_some() {
                    return None;
                }
            }
        }
        let Some(list) = is else { continue };
        let entries = by_shard.entry(shard_of(term, shards) as usize).or_default();
        match own {
            Some(n) => {
                if was.as_ref() != Some(&list) {
                    own_files.push((n, list));
                }
                entries.push((term.into(), String::new()));
            }
            None => entries.push((term.into(), list)),
        }
    }
    if shard_count(total, layout) != shards {
        return None;
    }
    let remade: FnvSet<usize> = own_files.iter().map(|(n, _)| *n).collect();
    let shard_paths = (0..shards as usize)
        .filter(|&k| !reached[k])
        .map(shard_path);
    let list_paths = (0..before.posted.own.len())
        .filter(|n| !remade.contains(n))
        .map(list_path);
    let piece_paths = (0..pieces.len())
        .filter(|i| !changed.contains(i))
        .map(|i| Piece::path(pieces[i].1));
    let paths: Vec<String> = shard_paths.chain(list_paths).chain(piece_paths).collect();
    if !(site.keep)(&paths) {
        return None;
    }
    emit(
        changed
            .iter()
            .zip(&new)
            .map(|(&i, lists)| piece_file(pieces[i].1, lists))
            .collect(),
    );
    let mut files: Vec<SiteFile> = (0..shards as usize)
        .filter(|&k| reached[k])
        .map(|k| {
            let mut entries = by_shard.remove(&k).unwrap_or_default();
            entries.sort_unstable();
            shard_file(k, &entries, &before.posted.own)
        })
        .collect();
    files.extend(own_files.iter().map(|(n, list)| list_file(*n, list)));
    emit(files);
    Some(Posted {
        shards,
        total,
        own: before.posted.own.clone(),
    })
}

/// What a result shows of its document (`search/d/N.js`), with its text as `T`: the start
/// of the document's text, which the snippet is cut from, in the file; what that text is made
/// from in the key, so that telling whether a result changed needs no text made.
#[derive(serde::Serialize)]
struct ResultDoc<'a, T> {
    category: &'a str,
    date: &'a str,
    department: &'a str,
    href: &'a str,
    id: &'a str,
    text: T,
    title: &'a str,
    warning: &'a str,
}

impl<'a, T> ResultDoc<'a, T> {
    /// What document `d`'s result shows, with `text` for its text.
    fn of(d: &'a SearchDoc, text: T) -> Self {
        ResultDoc {
            category: &d.category,
            date: &d.date,
            department: &d.department,
            href: &d.href,
            id: &d.id,
            text,
            title: &d.name,
            warning: &d.warning,
        }
    }
}

/// The documents indexed, and the result files a build writes for them. Each file is made
/// once: from its document's text where a piece's lists are made from that text (a first
/// build then reads each body once for both), from the document afterwards for the others.
struct Results<'a> {
    docs: &'a [SearchDoc<'a>],
    /// Per document: whether its result file is still to be written.
    todo: Vec<AtomicBool>,
}

impl<'a> Results<'a> {
    /// The result files of the documents numbered in `todo` are to be written.
    fn new(docs: &'a [SearchDoc<'a>], todo: Vec<usize>) -> Self {
        let flags: Vec<AtomicBool> = docs.iter().map(|_| AtomicBool::new(false)).collect();
        for n in todo {
            flags[n].store(true, Ordering::Relaxed);
        }
        Results { docs, todo: flags }
    }

    /// Document `n`'s result file, made from `text` (its [`SearchDoc::text`]), if it is still
    /// to be written.
    fn take(&self, n: usize, text: &str) -> Option<SiteFile> {
        if !self.todo.get(n)?.swap(false, Ordering::Relaxed) {
            return None;
        }
        let end = crate::text::char_to_byte(text, SNIPPET_SOURCE_CHARS);
        Some(result_file(&self.docs[n], n, &text[..end]))
    }

    /// Hand on the result files still to be written.
    fn rest(&self, emit: &(dyn Fn(Vec<SiteFile>) + Sync)) {
        let rest: Vec<usize> = (0..self.docs.len())
            .filter(|&n| self.todo[n].load(Ordering::Relaxed))
            .collect();
        emit_made(
            rest.into_par_iter(),
            |_, n| {
                let d = &self.docs[n];
                result_file(d, n, &d.text_start(SNIPPET_SOURCE_CHARS))
            },
            emit,
        );
    }
}

/// The result file of document `n`, `d`, with `text`, the start of its text.
fn result_file(d: &SearchDoc, n: usize, text: &str) -> SiteFile {
    SiteFile {
        path: result_path(n),
        bytes: format!(
            "casebook.doc({n},{});\n",
            script_json(&ResultDoc::of(d, text))
        )
        .into_bytes(),
    }
}

impl ResultDoc<'_, [&[u8]; 2]> {
    /// A hash of everything the result file of document `n` is made from.
    fn key(&self, n: usize) -> u128 {
        // Every field, named: one added must be hashed too.
        let ResultDoc {
            category,
            date,
            department,
            href,
            id,
            text: [body, facts],
            title,
            warning,
        } = self;
        let number = (n as u64).to_le_bytes();
        let fields = [category, date, department, href, id, title, warning].map(|f| f.as_bytes());
        kept::hasher([&number[..], body, facts].into_iter().chain(fields)).digest128()
    }
}

/// The result file of document `n`.
fn result_path(n: usize) -> String {
    format!("{DIR}/d/{n}.js")
}

/// Where a site keeps what its browser index was made from ([`Made`]).
pub const MADE_FILE: &str = ".casebook-cache/search-made.bin";

/// What the last build made its index files from, kept in the site ([`MADE_FILE`]), so that a
/// rebuild keeps the files it would make again with the same bytes instead of making them:
/// all the shards and long lists when no piece changed (at 10,000 records, merging the pieces
/// and writing the shards was a quarter of a rebuild), all but those a change reaches when a
/// few changed ([`patch`]), and the result file of every document whose result is as before.
struct Made {
    /// A hash of what every posting file is made from besides the pieces: the program, the
    /// layout and the number of documents.
    frame: u128,
    /// Each piece's place (documents before it) and key, in order.
    pieces: Vec<(u64, u128)>,
    posted: Posted,
    /// Per document, the key of its result file ([`ResultDoc::key`]).
    results: Vec<u128>,
}

impl Made {
    const MAGIC: &'static [u8] = b"casebook search made 2\n";

    fn new(docs: usize, layout: Layout, pieces: &[(Piece, u128)], results: Vec<u128>) -> Made {
        let numbers =
            [docs, layout.shard_bytes, layout.list_bytes].map(|n| (n as u64).to_le_bytes());
        let parts = [Self::MAGIC, kept::program()]
            .into_iter()
            .chain(numbers.iter().map(|n| &n[..]));
        Made {
            frame: kept::hasher(parts).digest128(),
            pieces: pieces
                .iter()
                .map(|(piece, key)| (piece.before as u64, *key))
                .collect(),
            posted: Posted::default(),
            results,
        }
    }

    /// The record the published site in `site` kept, if it is whole and this program's.
    fn read(site: &Path) -> Option<Made> {
        let bytes = std::fs::read(site.join(MADE_FILE)).ok()?;
        let mut fields = kept::after_header(&bytes, Self::MAGIC)?;
        let frame = fields.u128()?;
        let pieces = (0..fields.u32()?)
            .map(|_| Some((fields.u64()?, fields.u128()?)))
            .collect::<Option<Vec<_>>>()?;
        let (shards, total) = (fields.u32()?, fields.u64()?);
        let own = (0..fields.u32()?)
            .map(|_| fields.text().map(String::from))
            .collect::<Option<Vec<String>>>()?;
        let results = (0..fields.u32()?)
            .map(|_| fields.u128())
            .collect::<Option<Vec<u128>>>()?;
        let posted = Posted { shards, total, own };
        fields.is_empty().then_some(Made {
            frame,
            pieces,
            posted,
            results,
        })
    }

    fn file(&self) -> SiteFile {
        let mut bytes = kept::header(Self::MAGIC);
        bytes.extend_from_slice(&self.frame.to_le_bytes());
        bytes.extend_from_slice(&(self.pieces.len() as u32).to_le_bytes());
        for (at, key) in &self.pieces {
            bytes.extend_from_slice(&at.to_le_bytes());
            bytes.extend_from_slice(&key.to_le_bytes());
        }
        bytes.extend_from_slice(&self.posted.shards.to_le_bytes());
        bytes.extend_from_slice(&self.posted.total.to_le_bytes());
        bytes.extend_from_slice(&(self.posted.own.len() as u32).to_le_bytes());
        for term in &self.posted.own {
            bytes.extend_from_slice(&(term.len() as u32).to_le_bytes());
            bytes.extend_from_slice(term.as_bytes());
        }
        bytes.extend_from_slice(&(self.results.len() as u32).to_le_bytes());
        for key in &self.results {
            bytes.extend_from_slice(&key.to_le_bytes());
        }
        SiteFile {
            path: MADE_FILE.into(),
            bytes,
        }
    }

    /// The files of the shards and long lists this record describes, with the pieces kept
    /// for the next build.
    fn list_paths(&self) -> Vec<String> {
        let shards = (0..self.posted.shards as usize).map(shard_path);
        let lists = (0..self.posted.own.len()).map(list_path);
        let kept = self.pieces.iter().map(|(_, key)| Piece::path(*key));
        shards.chain(lists).chain(kept).collect()
    }
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
    use super::super::test_doc as doc;
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
    fn a_piece_read_back_is_used_only_if_it_fits_its_documents() {
        let docs = [
            doc("甲", "梅山港"),
            doc("乙", "梅山 app"),
            doc("丙", "港口"),
        ];
        let made = PieceLists::make(&docs, |_, _| {});
        let list = |lists: &PieceLists, term: &str| {
            (0..PARTS)
                .flat_map(|p| lists.part(p))
                .find(|l| l.term == term)
                .map(|l| (l.last, decode(l.list)))
        };
        assert_eq!(list(&made, "梅山"), Some((2, vec![(0, 1), (1, 1)])));
        let read = PieceLists::read(made.bytes.clone(), docs.len()).expect("whole");
        assert_eq!(list(&read, "港"), Some((3, vec![(0, 1), (2, 1)])));
        assert_eq!(list(&read, "app"), Some((2, vec![(1, 1)])));
        // Lists that go beyond the piece's documents, or a file cut short, are not used.
        assert!(PieceLists::read(made.bytes.clone(), 2).is_none());
        assert!(PieceLists::read(made.bytes[..made.bytes.len() - 1].to_vec(), 3).is_none());
    }

    /// Build the index of `docs` into `site` (files written where they are handed on, kept
    /// files left as they are, `keeps` saying whether keeping succeeds); the paths made and the
    /// paths kept.
    fn build_into(
        site: &Path,
        docs: &[SearchDoc],
        layout: Layout,
        keeps: bool,
    ) -> (BTreeSet<String>, BTreeSet<String>) {
        let (made, kept) = (
            std::sync::Mutex::new(BTreeSet::new()),
            std::sync::Mutex::new(BTreeSet::new()),
        );
        let keep = |paths: &[String]| {
            kept.lock().unwrap().extend(paths.iter().cloned());
            keeps
        };
        let published = Published {
            dir: site,
            keep: &keep,
        };
        write(docs, layout, Some(published), &|files| {
            for f in files {
                let path = site.join(&f.path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, &f.bytes).unwrap();
                made.lock().unwrap().insert(f.path);
            }
        });
        (made.into_inner().unwrap(), kept.into_inner().unwrap())
    }

    use std::collections::BTreeSet;

    /// A build into a site keeps, rather than makes, the index files it would make from the
    /// same inputs: with nothing changed it makes only the files every build writes and keeps
    /// the rest; with one document changed, that document's result file and the posting files;
    /// where keeping fails, everything.
    #[test]
    fn a_rebuild_keeps_the_files_it_would_make_from_the_same_inputs() {
        let site = tempfile::tempdir().unwrap();
        let build =
            |docs: &[SearchDoc], keeps| build_into(site.path(), docs, Layout::default(), keeps);
        let mut docs = vec![
            doc("甲", "梅山港"),
            doc("乙", "梅山 app"),
            doc("丙", "港口"),
        ];
        let results = ["search/d/0.js", "search/d/1.js", "search/d/2.js"].map(String::from);
        let every_build: BTreeSet<String> = ["search/meta.js", "search/facets.js", MADE_FILE]
            .map(String::from)
            .into();

        let (made, kept) = build(&docs, true);
        assert!(made.is_superset(&results.clone().into()) && kept.is_empty());
        let (made, kept) = build(&docs, true);
        assert_eq!(made, every_build);
        assert!(kept.contains("search/s/0.js") && kept.is_superset(&results.clone().into()));

        docs[1].facts.push_str("又补充一句");
        let (made, kept) = build(&docs, true);
        assert!(made.contains("search/d/1.js") && made.contains("search/s/0.js"));
        assert!(!made.contains("search/d/0.js") && !made.contains("search/d/2.js"));
        assert!(kept.contains("search/d/0.js") && kept.contains("search/d/2.js"));
        assert!(!kept.contains("search/s/0.js"));

        let (made, _) = build(&docs, false);
        assert!(made.is_superset(&results.into()) && made.contains("search/s/0.js"));

        // The record of what was made is used only when whole.
        assert!(Made::read(site.path()).is_some_and(|m| m.results.len() == 3));
        let file = site.path().join(MADE_FILE);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        assert!(Made::read(site.path()).is_none());
        std::fs::write(&file, [&bytes[..], b"\0"].concat()).unwrap();
        assert!(Made::read(site.path()).is_none());
    }

    /// `n` documents of words drawn from a small vocabulary, in three quarters (so three
    /// pieces).
    fn library(n: usize) -> Vec<SearchDoc<'static>> {
        const WORDS: [&str; 16] = [
            "梅山", "港口", "噪音", "扰民", "学校", "食堂", "暴雨", "积水", "停车", "医院", "投诉",
            "回应", "网络", "舆情", "道路", "施工",
        ];
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        (0..n)
            .map(|i| {
                let words: Vec<&str> = (0..8).map(|_| WORDS[next() % WORDS.len()]).collect();
                let mut d = doc(&format!("第{i}号"), &words.join("，"));
                d.date = ["2025-04-02", "2025-01-02", "2024-10-02"][i * 3 / n].into();
                d
            })
            .collect()
    }

    /// Every file of the index a build from nothing makes of `docs`, as `site` holds it.
    fn assert_as_from_nothing(site: &Path, docs: &[SearchDoc], layout: Layout) {
        let fresh = tempfile::tempdir().unwrap();
        let (made, _) = build_into(fresh.path(), docs, layout, true);
        for path in made {
            let want = std::fs::read(fresh.path().join(&path)).unwrap();
            let have = std::fs::read(site.join(&path)).unwrap_or_default();
            assert!(
                have == want,
                "{path} is not as a build from nothing makes it"
            );
        }
    }

    /// With a document edited in place, a rebuild makes only the shards holding a term whose
    /// list changed and the edited piece, keeps every other posting file, and the index is
    /// the one a build from nothing makes. Where the edit reaches further — a list gets a file
    /// of its own, a piece is added, the shards' count changes — everything is made.
    #[test]
    fn a_rebuild_after_an_edit_makes_only_the_shards_it_reaches() {
        let layout = Layout {
            shard_bytes: 96,
            list_bytes: 8,
        };
        let shards_of = |paths: &BTreeSet<String>| -> BTreeSet<String> {
            paths
                .iter()
                .filter(|p| p.starts_with("search/s/"))
                .cloned()
                .collect()
        };
        let site = tempfile::tempdir().unwrap();
        let mut docs = library(60);
        // A term in eight documents of the first piece: a list of eight letters, one short of
        // a file of its own.
        for d in &mut docs[..8] {
            d.facts.push_str("，独有");
        }
        build_into(site.path(), &docs, layout, true);
        let before = Made::read(site.path()).unwrap();
        assert!(before.posted.shards >= 8 && !before.posted.own.is_empty());

        docs[30].facts.push_str("，梅花鹿");
        let (made, kept) = build_into(site.path(), &docs, layout, true);
        let (made_shards, kept_shards) = (shards_of(&made), shards_of(&kept));
        assert!(!made_shards.is_empty() && !kept_shards.is_empty());
        assert!(made_shards.is_disjoint(&kept_shards));
        assert_eq!(
            made_shards.len() + kept_shards.len(),
            before.posted.shards as usize
        );
        let piece_files = |paths: &BTreeSet<String>| {
            paths
                .iter()
                .filter(|p| p.starts_with(&format!("{PIECES_DIR}/")))
                .count()
        };
        assert_eq!((piece_files(&made), piece_files(&kept)), (1, 2));
        assert_as_from_nothing(site.path(), &docs, layout);

        // The ninth document with the term: its list gets a file of its own.
        docs[8].facts.push_str("，独有");
        let (made, kept) = build_into(site.path(), &docs, layout, true);
        assert!(shards_of(&kept).is_empty(), "{kept:?}");
        assert!(made.contains(&list_path(0)));
        assert_as_from_nothing(site.path(), &docs, layout);

        // The newest record moved to the next quarter: a piece more, as many documents.
        docs[0].date = "2025-07-02".into();
        let (_, kept) = build_into(site.path(), &docs, layout, true);
        assert!(shards_of(&kept).is_empty());
        assert_as_from_nothing(site.path(), &docs, layout);

        // Many new terms: more shards.
        let shards = Made::read(site.path()).unwrap().posted.shards;
        docs[40].facts = (0..400).map(|n| format!("词{n} ")).collect();
        let (made, kept) = build_into(site.path(), &docs, layout, true);
        assert!(shards_of(&kept).is_empty());
        assert!(Made::read(site.path()).unwrap().posted.shards > shards);
        assert_eq!(
            shards_of(&made).len(),
            Made::read(site.path()).unwrap().posted.shards as usize
        );
        assert_as_from_nothing(site.path(), &docs, layout);
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
