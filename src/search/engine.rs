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

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer, TokenizerManager};
use tantivy::{doc, Index, IndexMeta, IndexSettings, SegmentMeta, TantivyDocument, Term};

use super::{Kind, SearchDoc};
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
        let step = match term.shape {
            Shape::Character => match self.character_end.replace(term.end) == Some(term.start) {
                true => 1,
                false => 2,
            },
            // A word's grams stand where the word stands.
            Shape::Gram => 0,
            // `Terms` makes no pairs.
            Shape::Word | Shape::Pair => {
                self.character_end = None;
                2
            }
        };
        // The first token's position is 0 or 1, from the default's `usize::MAX`.
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
/// run of Han characters, and each word on its own (or each of its grams).
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
    // A word with grams is looked up by its grams (the groups after it), so that it is also
    // found inside a longer word.
    let by_grams = |g: &[String]| matches!(g, [word] if analyzer::has_grams(word));
    for group in groups {
        if !by_grams(&group) && !distinct.contains(&group) {
            distinct.push(group);
        }
    }
    distinct
}

struct Fields {
    kind: Field,
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
                // With positions: a query's run of characters is a phrase.
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
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
        kind: schema.get_field("kind")?,
        id: schema.get_field("id")?,
        title: schema.get_field("title")?,
        text: schema.get_field("text")?,
        category: schema.get_field("category")?,
        department: schema.get_field("department")?,
        year: schema.get_field("year")?,
        date: schema.get_field("date")?,
    })
}

/// At most this many documents are indexed into one segment, so that the memory tantivy makes a segment in (all its postings, until they are
/// written) stays bounded whatever the library.
const SEGMENT_DOCS: usize = 4096;

/// The memory budget a segment is made with, which sizes its table of terms at 2^15 entries
/// (grown as the terms need). Every term of every document is looked up in it; tantivy's
/// `IndexWriter` allows no less than 2^19 entries (4 MB, larger than the processor's
/// caches) and writes the table whole for each segment.
const SEGMENT_BUDGET: usize = 1_000_000;

/// The settings of the index: a segment's stored texts are compressed as they are written,
/// on the thread that writes it (the other core has the pages to write).
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compress_dedicated_thread: false,
        ..Default::default()
    }
}

/// Index `docs` into `dir`, the new site's empty `_index/` folder; the number of files the
/// index is made of. The segments are made one by one, each in a folder of its own by
/// tantivy's single-segment writer (no threads, no commits), moved into `dir`, and listed
/// together in the index's `meta.json`.
pub fn write(docs: &[SearchDoc], dir: &Path) -> tantivy::Result<usize> {
    write_in_segments_of(SEGMENT_DOCS, docs, dir)
}

/// [`write`], with at most `per_segment` documents in a segment.
fn write_in_segments_of(
    per_segment: usize,
    docs: &[SearchDoc],
    dir: &Path,
) -> tantivy::Result<usize> {
    let (schema, f) = schema();
    let segments = docs
        .chunks(per_segment.max(1))
        .enumerate()
        .map(|(k, docs)| index_segment(docs, &schema, &f, dir, &format!(".segment-{k}")))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let meta = IndexMeta {
        index_settings: settings(),
        persisted_custom_extensions: Vec::new(),
        segments,
        schema,
        opstamp: 0,
        payload: None,
    };
    let json = serde_json::to_vec(&meta).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(META_FILE), json)?;
    Ok(std::fs::read_dir(dir)?.count())
}

/// tantivy's file that lists an index's segments.
const META_FILE: &str = "meta.json";

/// Index `docs` into one segment of the index in `dir`, made in a new folder of it named
/// `scratch` and moved out of it; the segment's meta.
fn index_segment(
    docs: &[SearchDoc],
    schema: &Schema,
    f: &Fields,
    dir: &Path,
    scratch: &str,
) -> tantivy::Result<SegmentMeta> {
    let scratch = dir.join(scratch);
    std::fs::create_dir(&scratch)?;
    let tokenizers = TokenizerManager::default();
    tokenizers.register(TOKENIZER, AnalyzerTokenizer);
    let mut writer = Index::builder()
        .schema(schema.clone())
        .settings(settings())
        .tokenizers(tokenizers)
        .single_segment_index_writer(super::folder::SiteFolder::open(&scratch)?, SEGMENT_BUDGET)?;
    for d in docs {
        writer.add_document(doc!(
            f.kind => d.kind.label(),
            f.id => d.id.clone(),
            f.title => d.title.clone(),
            f.text => d.text(),
            f.category => d.category.clone(),
            f.department => d.department.clone(),
            f.year => d.year.clone(),
            f.date => d.date.clone(),
        ))?;
    }
    let meta = writer.finalize()?.load_metas()?;
    move_files(&meta, &scratch, dir)?;
    std::fs::remove_dir_all(&scratch)?;
    meta.segments
        .into_iter()
        .next()
        .ok_or_else(|| tantivy::TantivyError::InternalError("a segment was not made".into()))
}

/// Move the files of `meta`'s segments from `from` into `to`. tantivy lists every file a
/// segment may have; those it did not write are not there.
fn move_files(meta: &IndexMeta, from: &Path, to: &Path) -> std::io::Result<()> {
    for name in meta.list_segment_files() {
        match std::fs::rename(from.join(&name), to.join(&name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// What `casebook search` filters by.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    /// 类型: 事件, 预案, 舆情分析 or 其他页面.
    pub kind: Option<String>,
    pub category: Option<String>,
    pub department: Option<String>,
    pub year: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct Hit {
    /// 类型: 事件, 预案, 舆情分析 or 其他页面.
    pub kind: String,
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
    crate::output::repair(site);
    let index = Index::open(super::folder::SiteFolder::open(&site.join(INDEX_DIR))?)?;
    index.tokenizers().register(TOKENIZER, AnalyzerTokenizer);
    let f = fields_of(&index.schema())?;
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
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
        (f.kind, &filters.kind),
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
        let (title, text) = (get(f.title), get(f.text));
        // The passage of the text, or the title when only the title matched.
        let marked = marked(&snippets.snippet(&text), &spelled)
            .or_else(|| marked(&title_snippets.snippet(&title), &spelled))
            .or_else(|| passage(&text, &spelled))
            .unwrap_or_default();
        let id = get(f.id);
        hits.push(Hit {
            title: title
                .strip_prefix(&format!("{id} "))
                .unwrap_or(&title)
                .to_owned(),
            id,
            kind: get(f.kind),
            category: get(f.category),
            department: get(f.department),
            date: get(f.date),
            score,
            snippet: marked,
        });
    }
    // Records first among results of the same score, as in the browser.
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| (a.kind != Kind::Case.label()).cmp(&(b.kind != Kind::Case.label())))
    });
    Ok(hits)
}

/// The passage of `text` around the first place a query group is spelled, that group in 【】:
/// for a match that tantivy's fixed windows cut in two. Characters fold one to one, so a
/// place in the folded characters is the same place in the text's.
fn passage(text: &str, spelled: &[String]) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = chars
        .iter()
        .map(|&c| crate::text::fold::fold_char(c))
        .collect();
    let (at, len) = spelled
        .iter()
        .filter_map(|g| {
            let g: Vec<char> = g.chars().collect();
            let found = folded
                .windows(g.len().max(1))
                .position(|w| w == g.as_slice())?;
            Some((found, g.len()))
        })
        .min()?;
    let piece = |from: usize, to: usize| -> String { chars[from..to].iter().collect() };
    let (from, end) = (at.saturating_sub(20), (at + len + 40).min(chars.len()));
    let passage = format!(
        "{}【{}】{}",
        piece(from, at),
        piece(at, at + len),
        piece(at + len, end)
    );
    Some(passage.replace('\n', " "))
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
        let found = crate::text::fold::fold(&fragment[r.clone()]);
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

    /// A plan indexed before a record with the same text scores the same: the record is
    /// listed first.
    #[test]
    fn records_come_first_among_equal_scores() {
        let scratch = tempfile::tempdir().expect("scratch folder");
        let site = scratch.path();
        let dir = site.join(INDEX_DIR);
        std::fs::create_dir_all(&dir).expect("index folder");
        let mut plan = super::super::test_doc("甲", "城区积水处置");
        plan.kind = Kind::Plan;
        let case = super::super::test_doc("乙", "城区积水处置");
        write_in_segments_of(10, &[plan, case], &dir).expect("index");
        let found = search(site, "积水", &Filters::default(), 10).expect("search");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].score, found[1].score, "the same score");
        assert_eq!(
            (found[0].id.as_str(), found[0].kind.as_str()),
            ("乙", "事件")
        );
        let plans = Filters {
            kind: Some("预案".into()),
            ..Filters::default()
        };
        let found = search(site, "积水", &plans, 10).expect("search");
        assert_eq!(
            found.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["甲"]
        );
    }

    /// More documents than a segment holds are in several segments, all found.
    #[test]
    fn a_large_library_is_cut_into_segments() {
        let scratch = tempfile::tempdir().expect("scratch folder");
        let site = scratch.path();
        let dir = site.join(INDEX_DIR);
        std::fs::create_dir_all(&dir).expect("index folder");
        let docs: Vec<SearchDoc> = ["甲", "乙", "丙", "丁", "戊"]
            .iter()
            .map(|t| super::super::test_doc(t, &format!("梅山港{t}")))
            .collect();
        write_in_segments_of(2, &docs, &dir).expect("index");
        let meta = Index::open_in_dir(&dir)
            .expect("open")
            .load_metas()
            .expect("metas");
        assert_eq!(meta.segments.len(), 3);
        let found = search(site, "梅山港", &Filters::default(), 10).expect("search");
        assert_eq!(found.len(), 5);
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
