//! `casebook search`: a tantivy index (BM25) of the same documents as the static index, cut by
//! the same analyzer. `casebook build` writes it into the site's `_index/` folder, so it holds
//! exactly what that build publishes and is replaced with the site.
//!
//! The index keeps the analyzer's pairs and words, and a Han character on its own only where
//! it has no Han neighbour: every other character is in a pair, and a query for one character
//! asks for the pairs that hold it. That halves the terms tantivy has to index.
//!
//! Indexing is most of a build's cost with a real vocabulary (hundreds of thousands of
//! distinct pairs: some 250 ns a term, three times what a small vocabulary costs, all of it
//! in tantivy's own tables), and most rebuilds change a few records: so the records are
//! kept in buckets, each a segment, and a rebuild indexes only the buckets that changed
//! (see [`write`]).

use std::collections::BTreeMap;
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, INDEXED, STORED,
    STRING,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{doc, Index, IndexWriter, TantivyDocument, Term};

use super::SearchDoc;
use crate::text::analyzer;

/// The folder of the site the index is written to.
pub const INDEX_DIR: &str = "_index";
const TOKENIZER: &str = "casebook";
/// Title matches count this many times a text match.
const TITLE_BOOST: f32 = 4.0;

/// The analyzer as a tantivy tokenizer; registered every time an index is opened.
#[derive(Clone)]
struct AnalyzerTokenizer;

/// The analyzer's terms of one text (less the characters found through their pairs), handed
/// to tantivy one at a time through a single reused token (no string per term).
struct Tokens {
    analyzed: analyzer::Analyzed,
    next: usize,
    token: Token,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        while let Some(span) = self.analyzed.spans.get(self.next) {
            self.next += 1;
            if span.in_a_pair {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(self.analyzed.term(span));
            self.token.offset_from = span.start();
            self.token.offset_to = span.end();
            self.token.position = self.next;
            self.token.position_length = 1;
            return true;
        }
        false
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for AnalyzerTokenizer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens {
            analyzed: analyzer::analyze(text),
            next: 0,
            token: Token::default(),
        }
    }
}

struct Fields {
    id: Field,
    title: Field,
    text: Field,
    category: Field,
    department: Field,
    year: Field,
    date: Field,
    /// Which bucket the document is in (see [`SearchDoc::bucket`]).
    bucket: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analyzed = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                // Queries are sets of terms (no phrases), so positions are not kept.
                .set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", analyzed.clone()),
        text: b.add_text_field("text", analyzed),
        category: b.add_text_field("category", STRING | STORED),
        department: b.add_text_field("department", STRING | STORED),
        year: b.add_text_field("year", STRING | STORED),
        date: b.add_text_field("date", STRING | STORED),
        bucket: b.add_u64_field("bucket", INDEXED),
    };
    (b.build(), fields)
}

fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    Ok(Fields {
        id: schema.get_field("id")?,
        title: schema.get_field("title")?,
        text: schema.get_field("text")?,
        category: schema.get_field("category")?,
        department: schema.get_field("department")?,
        year: schema.get_field("year")?,
        date: schema.get_field("date")?,
        bucket: schema.get_field("bucket")?,
    })
}

/// The format of the index's buckets. An index written by a casebook of another version, or
/// of another format, is not reused: raise it whenever the schema, the analyzer, a record's
/// text ([`SearchDoc::text`]: buckets are hashed by what it is made from) or the bucketing
/// changes what the same records make.
const FORMAT: u32 = 1;

/// What a build records in the index's commit: which format and version made it, and a hash
/// of the documents of each bucket.
#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq)]
struct Buckets {
    format: u32,
    version: String,
    hashes: BTreeMap<u64, u64>,
}

/// Index `docs` into `dir`, the new site's empty `_index/` folder, reusing what it can of
/// the published site's index in `published`; the number of files the index is made of.
///
/// A bucket whose documents are as in the published index keeps its segment (its files are
/// linked, never written to); any other bucket's segment is deleted whole and its documents
/// indexed again. So no segment ever holds a document of a record this build does not
/// publish, not even as a deleted one.
pub fn write(docs: &[SearchDoc], dir: &Path, published: &Path) -> tantivy::Result<usize> {
    let mut buckets: BTreeMap<u64, Vec<&SearchDoc>> = BTreeMap::new();
    for d in docs {
        buckets.entry(d.bucket()).or_default().push(d);
    }
    let made = Buckets {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").into(),
        hashes: buckets
            .iter()
            .map(|(b, docs)| (*b, bucket_hash(docs)))
            .collect(),
    };
    let (schema, f) = schema();
    let kept = reusable(published, dir, &schema, &made);
    let directory = super::folder::Unsynced::open(dir)?;
    let index = match kept {
        Some(_) => Index::open(directory)?,
        None => Index::create(directory, schema, Default::default())?,
    };
    index.tokenizers().register(TOKENIZER, AnalyzerTokenizer);
    // One indexing thread: the index is made while the pages are written on the other core
    // (see `render_site`), and one thread's arena keeps the build's memory down. Segments are
    // never merged: each is one bucket.
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 40_000_000)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let old = |b: &u64| kept.as_ref().and_then(|k| k.hashes.get(b));
    // Buckets no record is in any more.
    for b in kept.iter().flat_map(|k| k.hashes.keys()) {
        if !buckets.contains_key(b) {
            writer.delete_term(Term::from_field_u64(f.bucket, *b));
        }
    }
    for (b, docs) in &buckets {
        match old(b) {
            Some(hash) if *hash == made.hashes[b] => continue,
            Some(_) => {
                writer.delete_term(Term::from_field_u64(f.bucket, *b));
            }
            None => {}
        }
        for d in docs {
            writer.add_document(doc!(
                f.id => d.id.clone(),
                f.title => d.title.clone(),
                f.text => d.text(),
                f.category => d.category.clone(),
                f.department => d.department.clone(),
                f.year => d.year.clone(),
                f.date => d.date.clone(),
                f.bucket => *b,
            ))?;
        }
        // Committed on its own, the bucket is a segment of its own; the old one, all of its
        // documents deleted, is dropped.
        writer.commit()?;
    }
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&serde_json::to_string(&made).map_err(std::io::Error::other)?);
    commit.commit()?;
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;
    // The writer's lock files are not part of the index.
    let mut files = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        match entry.file_name().to_string_lossy().ends_with(".lock") {
            true => std::fs::remove_file(entry.path())?,
            false => files += 1,
        }
    }
    Ok(files)
}

/// A hash of a bucket's documents, in order.
fn bucket_hash(docs: &[&SearchDoc]) -> u64 {
    let parts = docs.iter().flat_map(|d| {
        let [body, facts] = d.text_sources();
        [
            d.id.as_bytes(),
            d.title.as_bytes(),
            body,
            facts,
            d.category.as_bytes(),
            d.department.as_bytes(),
            d.year.as_bytes(),
            d.date.as_bytes(),
        ]
    });
    crate::kept::hasher(parts).digest()
}

/// Put the published index's files into `dir` (linked; its two meta files copied, as tantivy
/// replaces them) and return its buckets, if it was made by this format and version with this
/// schema. Otherwise `dir` is left empty for a new index.
fn reusable(published: &Path, dir: &Path, schema: &Schema, made: &Buckets) -> Option<Buckets> {
    let kept = take_published(published, dir)
        .filter(|kept| kept.format == made.format && kept.version == made.version)
        .filter(|_| {
            tantivy::directory::MmapDirectory::open(dir)
                .ok()
                .and_then(|d| Index::open(d).ok())
                .is_some_and(|index| index.schema() == *schema)
        });
    if kept.is_none() {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    kept
}

/// Link or copy the published index's files into `dir`; its buckets.
fn take_published(published: &Path, dir: &Path) -> Option<Buckets> {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(published.join("meta.json")).ok()?).ok()?;
    let buckets: Buckets = serde_json::from_str(meta.get("payload")?.as_str()?).ok()?;
    let managed: Vec<String> =
        serde_json::from_slice(&std::fs::read(published.join(".managed.json")).ok()?).ok()?;
    for name in managed.iter().map(String::as_str).chain([".managed.json"]) {
        // Only plain names of files in the folder.
        if Path::new(name).file_name().and_then(|n| n.to_str()) != Some(name) {
            return None;
        }
        let (from, to) = (published.join(name), dir.join(name));
        let replaced = name == "meta.json" || name == ".managed.json";
        if replaced || std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).ok()?;
        }
    }
    Some(buckets)
}

/// What `casebook search` filters by.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub category: Option<String>,
    pub department: Option<String>,
    pub year: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub category: String,
    pub department: String,
    pub date: String,
    pub score: f32,
    /// The best passage, matched terms wrapped in 【】.
    pub snippet: String,
}

/// Search the index of the site in `site`: every query term must match, in the title or the
/// text; titles weigh more.
pub fn search(
    site: &Path,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<Hit>> {
    let index = Index::open_in_dir(site.join(INDEX_DIR))?;
    index.tokenizers().register(TOKENIZER, AnalyzerTokenizer);
    let f = fields_of(&index.schema())?;
    let reader = index.reader()?;
    let searcher = reader.searcher();

    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for t in analyzer::query_terms(query) {
        // Any of these terms in the title or the text: the term itself, and for a single Han
        // character the pairs that hold it.
        let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in [(f.title, TITLE_BOOST), (f.text, 1.0)] {
            let mut terms = vec![t.clone()];
            if let Some(c) = t.chars().next().filter(|_| analyzer::is_han_char(&t)) {
                terms.extend(pairs_holding(&searcher, field, c)?);
            }
            for term in terms {
                let q = TermQuery::new(
                    Term::from_field_text(field, &term),
                    IndexRecordOption::WithFreqs,
                );
                either.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
    }
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    for (field, value) in [
        (f.category, &filters.category),
        (f.department, &filters.department),
        (f.year, &filters.year),
    ] {
        if let Some(v) = value {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, v),
                    IndexRecordOption::Basic,
                )),
            ));
        }
    }
    let query = BooleanQuery::new(clauses);
    let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
    let mut snippets = tantivy::snippet::SnippetGenerator::create(&searcher, &query, f.text)?;
    snippets.set_max_num_chars(120);
    let title_snippets = tantivy::snippet::SnippetGenerator::create(&searcher, &query, f.title)?;
    let mut hits = Vec::new();
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let get = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let title = get(f.title);
        // The passage of the text, or the title when only the title matched.
        let mut snippet = snippets.snippet(&get(f.text));
        if snippet.highlighted().is_empty() {
            snippet = title_snippets.snippet(&title);
        }
        let marked = marked(&snippet);
        let id = get(f.id);
        hits.push(Hit {
            title: title
                .strip_prefix(&format!("{id} "))
                .unwrap_or(&title)
                .to_owned(),
            id,
            category: get(f.category),
            department: get(f.department),
            date: get(f.date),
            score,
            snippet: marked,
        });
    }
    Ok(hits)
}

/// The pairs in `field`'s dictionary that hold the character `c`.
fn pairs_holding(
    searcher: &tantivy::Searcher,
    field: Field,
    c: char,
) -> tantivy::Result<Vec<String>> {
    let mut found = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut terms = index.terms().stream()?;
        while terms.advance() {
            let Ok(term) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            let mut chars = term.chars();
            if let [Some(a), Some(b), None] = [chars.next(), chars.next(), chars.next()] {
                if a == c || b == c {
                    found.insert(term.to_owned());
                }
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// The snippet's fragment with each matched range in 【】, on one line.
fn marked(snippet: &tantivy::snippet::Snippet) -> String {
    let fragment = snippet.fragment();
    let mut out = String::new();
    let mut at = 0;
    for r in snippet.highlighted() {
        if r.start < at || r.end > fragment.len() {
            continue;
        }
        out.push_str(&fragment[at..r.start]);
        out.push('【');
        out.push_str(&fragment[r.start..r.end]);
        out.push('】');
        at = r.end;
    }
    out.push_str(&fragment[at..]);
    out.replace('\n', " ")
}
