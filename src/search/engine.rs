//! `casebook search`: a tantivy index (BM25) of the same documents as the static index, cut by
//! the same analyzer. `casebook build` writes it into the site's `_index/` folder, so it holds
//! exactly what that build publishes and is replaced with the site.
//!
//! The index keeps the analyzer's characters and words with their positions, not its pairs: a
//! query's run of Han characters is a phrase of its characters, which a text holds only where
//! the run is. A library has a few thousand distinct characters against hundreds of
//! thousands of distinct pairs, and tantivy's cost is in its table of terms: indexing
//! characters with positions takes half the time that pairs without positions took, and
//! matches exactly instead of "every pair somewhere in the text".
//!
//! Most rebuilds change a few records: so the records are kept in buckets, each a segment,
//! and a rebuild indexes only the buckets that changed (see [`write`]).

use std::collections::BTreeMap;
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, INDEXED, STORED,
    STRING,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{doc, Index, IndexWriter, TantivyDocument, Term};

use super::SearchDoc;
use crate::text::analyzer::{self, Shape};

/// The folder of the site the index is written to.
pub const INDEX_DIR: &str = "_index";
const TOKENIZER: &str = "casebook";
/// Title matches count this many times a text match.
const TITLE_BOOST: f32 = 4.0;

/// The analyzer as a tantivy tokenizer; registered every time an index is opened.
#[derive(Clone)]
struct AnalyzerTokenizer;

/// The analyzer's characters and words of one text ([`analyzer::Terms`]: no pairs), handed
/// to tantivy one at a time through a single reused token (no string per term). Two
/// characters side by side in the text are at consecutive positions; anything else leaves a
/// position empty between two terms, so that a phrase of characters matches only where they
/// are adjacent.
struct Tokens<'a> {
    terms: analyzer::Terms<'a>,
    token: Token,
    /// Where the last character handed on ends in the text, if the last term was one.
    character_end: Option<usize>,
}

impl TokenStream for Tokens<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        let Some(term) = self.terms.next_into(&mut self.token.text) else {
            return false;
        };
        let adjacent = match term.shape {
            Shape::Character => self.character_end.replace(term.end) == Some(term.start),
            // `Terms` makes no pairs.
            Shape::Word | Shape::Pair => {
                self.character_end = None;
                false
            }
        };
        // The first token's position is 0 or 1, from the default's `usize::MAX`.
        let step = if adjacent { 1 } else { 2 };
        self.token.position = self.token.position.wrapping_add(step);
        self.token.offset_from = term.start;
        self.token.offset_to = term.end;
        self.token.position_length = 1;
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for AnalyzerTokenizer {
    type TokenStream<'a> = Tokens<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        Tokens {
            terms: analyzer::Terms::new(text),
            token: Token::default(),
            character_end: None,
        }
    }
}

/// A query's terms as [`Tokens`] cuts them, in groups that must be found side by side: each
/// run of Han characters, and each word on its own.
fn query_groups(query: &str) -> Vec<Vec<String>> {
    let mut tokenizer = AnalyzerTokenizer;
    let mut tokens = tokenizer.token_stream(query);
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut last = None;
    while tokens.advance() {
        let t = tokens.token();
        match groups.last_mut() {
            Some(group) if last == Some(t.position.wrapping_sub(1)) => group.push(t.text.clone()),
            _ => groups.push(vec![t.text.clone()]),
        }
        last = Some(t.position);
    }
    let mut distinct: Vec<Vec<String>> = Vec::new();
    for group in groups {
        if !distinct.contains(&group) {
            distinct.push(group);
        }
    }
    distinct
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
                // With positions: a query's run of characters is a phrase.
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
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
const FORMAT: u32 = 2;

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

    let groups = query_groups(query);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for group in &groups {
        // The group in the title or in the text.
        let either: Vec<(Occur, Box<dyn Query>)> = [(f.title, TITLE_BOOST), (f.text, 1.0)]
            .into_iter()
            .map(|(field, boost)| {
                let terms: Vec<Term> = group
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                // A group is never empty: one term, or a phrase of two or more.
                let q: Box<dyn Query> = match <[Term; 1]>::try_from(terms) {
                    Ok([term]) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    Err(terms) => Box::new(PhraseQuery::new(terms)),
                };
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>,
                )
            })
            .collect();
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
    // Each group as the text a mark must hold, made once for every hit's snippet.
    let spelled: Vec<String> = groups.iter().map(|g| g.concat()).collect();
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
        let marked = marked(&snippets.snippet(&get(f.text)), &spelled)
            .or_else(|| marked(&title_snippets.snippet(&title), &spelled))
            .unwrap_or_default();
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

/// The snippet's fragment with each match of a query group in 【】, on one line; `None` if
/// no group is in it. Tantivy marks each character of a phrase on its own, and also the
/// phrase's characters where they stand apart from it: marks side by side are joined, and
/// only those that spell one of the query's groups (`spelled`, folded) are kept.
fn marked(snippet: &tantivy::snippet::Snippet, spelled: &[String]) -> Option<String> {
    let fragment = snippet.fragment();
    let mut joined: Vec<std::ops::Range<usize>> = Vec::new();
    for r in snippet.highlighted() {
        let whole = r.start <= r.end && r.end <= fragment.len();
        if !whole || !fragment.is_char_boundary(r.start) || !fragment.is_char_boundary(r.end) {
            continue;
        }
        match joined.last_mut() {
            Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
            _ => joined.push(r.clone()),
        }
    }
    let mut out = String::new();
    let (mut at, mut marks) = (0, 0);
    for r in joined {
        let found = analyzer::fold(&fragment[r.clone()]);
        if !spelled.iter().any(|g| found.contains(g.as_str())) {
            continue;
        }
        out.push_str(&fragment[at..r.start]);
        out.push('【');
        out.push_str(&fragment[r.clone()]);
        out.push('】');
        at = r.end;
        marks += 1;
    }
    out.push_str(&fragment[at..]);
    (marks > 0).then(|| out.replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_side_by_side_are_at_consecutive_positions() {
        let mut tokenizer = AnalyzerTokenizer;
        let mut tokens = tokenizer.token_stream("梅山 港a中國");
        let mut seen = Vec::new();
        while tokens.advance() {
            seen.push((tokens.token().text.clone(), tokens.token().position));
        }
        let at = |t: &str| seen.iter().find(|(s, _)| s == t).map(|(_, p)| *p);
        let terms: Vec<&str> = seen.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(terms, ["梅", "山", "港", "a", "中", "国"]);
        let next_to = |a: &str, b: &str| at(b) == at(a).map(|p| p + 1);
        assert!(next_to("梅", "山") && next_to("中", "国"));
        assert!(!next_to("山", "港") && !next_to("港", "a") && !next_to("a", "中"));
    }

    #[test]
    fn a_query_is_its_runs_of_characters_and_its_words() {
        assert_eq!(
            query_groups("網絡輿情 YQ-2024 燕 网络舆情"),
            [
                vec!["网", "络", "舆", "情"],
                vec!["yq"],
                vec!["2024"],
                vec!["燕"]
            ]
        );
    }
}
