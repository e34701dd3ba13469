//! `casebook search`: a tantivy index (BM25) of the same documents as the static index, cut by
//! the same analyzer. `casebook build` writes it into the site's `_index/` folder, so it holds
//! exactly what that build publishes and is replaced with the site.
//!
//! The index keeps the analyzer's pairs and words, and a Han character on its own only where
//! it has no Han neighbour: every other character is in a pair, and a query for one character
//! asks for the pairs that hold it. That halves the terms tantivy has to index.

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
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
    })
}

/// Index `docs` into `dir`, the new site's empty `_index/` folder; the number of files the
/// index is made of.
pub fn write(docs: &[SearchDoc], dir: &Path) -> tantivy::Result<usize> {
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    index.tokenizers().register(TOKENIZER, AnalyzerTokenizer);
    // One indexing thread: the index is made while the pages are written on the other core
    // (see `render_site`), and one thread's arena keeps the build's memory down.
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 40_000_000)?;
    for d in docs {
        writer.add_document(doc!(
            f.id => d.id.clone(),
            f.title => d.title.clone(),
            f.text => d.text.clone(),
            f.category => d.category.clone(),
            f.department => d.department.clone(),
            f.year => d.year.clone(),
            f.date => d.date.clone(),
        ))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    // The writer's lock files are not part of the index.
    let mut files = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        match entry.file_name().to_string_lossy().ends_with(".lock") {
            true => std::fs::remove_file(entry.path())?,
            false => {
                readable_as_folder(dir, &entry.path())?;
                files += 1;
            }
        }
    }
    Ok(files)
}

/// tantivy writes its meta files through temporary files, which only their owner may read;
/// whoever runs `casebook search` on the site must be able to read all of the index, so each
/// file gets its folder's read and write permissions, as the site's other files have.
fn readable_as_folder(dir: &Path, file: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o666;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (dir, file);
    Ok(())
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
