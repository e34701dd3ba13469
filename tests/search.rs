//! Search over `tests/fixtures/search`: a golden set of queries with the records each must
//! find, asserted against `casebook search` (tantivy) and against the static index evaluated in
//! a real Chromium, from `file://` and over HTTP; and the browser's folding and cutting
//! checked against the Rust analyzer on every vocabulary term.

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};

use casebook::search::engine::{self, Filters};
use casebook::text::analyzer;
use casebook::text::fold::fold;
use common::browser;
use common::Scratch;
use serde_json::{json, Value};

/// (query, filters as (facet, value), expected ids, the id that must rank first).
type Golden = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
    Option<&'static str>,
);

const GOLDEN: &[Golden] = &[
    ("梅山港", &[], &["G-01"], None),
    // The middle of a word, and a name no dictionary knows.
    ("山港", &[], &["G-01"], None),
    ("覃小燕", &[], &["G-01"], None),
    ("小燕", &[], &["G-01"], None),
    ("港三号", &[], &["G-01"], None),
    // Simplified query, Traditional record, and the reverse.
    ("柳营乡", &[], &["G-02"], None),
    ("柳營鄉", &[], &["G-02"], None),
    ("垃圾焚烧厂", &[], &["G-02"], None),
    ("焚燒", &[], &["G-02"], None),
    ("网络舆情", &[], &["G-02", "G-03"], Some("G-03")),
    ("網絡輿情", &[], &["G-02", "G-03"], Some("G-03")),
    ("氣味", &[], &["G-10"], None),
    ("停車", &[], &["G-08"], None),
    ("停车难", &[], &["G-08"], None),
    ("今日头条", &[], &["G-08"], None),
    ("县医院", &[], &["G-08", "G-09"], Some("G-08")),
    ("縣醫院", &[], &["G-08", "G-09"], Some("G-08")),
    ("舆情应对", &[], &["G-03"], None),
    // Several words: all must occur.
    ("城南 积水", &[], &["G-04"], None),
    ("积水 车轮", &[], &["G-04"], None),
    ("食堂 异物", &[], &["G-05"], None),
    ("泄题 谣言", &[], &["G-06"], None),
    ("积水 谣言", &[], &[], None),
    ("县一中", &[], &["G-05", "G-06"], None),
    ("一中食堂", &[], &["G-05"], None),
    ("高考泄题", &[], &["G-06"], None),
    ("教师", &[], &["G-07"], None),
    // One character: inside a name, and standing alone between a digit and a full stop.
    ("燕", &[], &["G-01"], None),
    ("栋", &[], &["G-07"], None),
    ("河西乡", &[], &["G-07"], None),
    ("暴雨", &[], &["G-04"], None),
    ("化工园区", &[], &["G-10"], None),
    ("东湖", &[], &["G-10"], None),
    ("刺鼻气味", &[], &["G-10"], None),
    ("共享单车", &[], &["G-11"], None),
    ("单车", &[], &["G-11"], None),
    // Letters, digits, full-width and case.
    ("app", &[], &["G-09"], None),
    ("APP 预约", &[], &["G-09"], None),
    ("５０２", &[], &["G-09"], None),
    ("502错误", &[], &["G-09"], None),
    // 编号 lookups.
    ("G-05", &[], &["G-05"], Some("G-05")),
    ("g-10", &[], &["G-10"], Some("G-10")),
    // Facets narrow the results.
    ("县教育局", &[], &["G-05", "G-07"], None),
    ("县教育局", &[("category", "问题类")], &["G-05"], None),
    ("县卫健局", &[("year", "2024")], &["G-09"], None),
    (
        "县卫健局",
        &[("department", "县卫健局"), ("year", "2025")],
        &["G-08"],
        None,
    ),
    ("谣言", &[("warning", "红")], &["G-06"], None),
    ("谣言", &[("warning", "黄")], &[], None),
    // Nothing there, and a record this audience may not see.
    ("不存在的词语", &[], &[], None),
    ("绝密", &[], &[], None),
    ("SECRETMARK", &[], &[], None),
    // Plans, summaries and free pages, with the 类型 facet; records first for the same word.
    ("防汛抗旱", &[], &["flood-plan"], Some("flood-plan")),
    ("水情通报", &[], &["flood-plan"], None),
    ("积水", &[], &["G-04", "flood-plan"], Some("G-04")),
    ("积水", &[("kind", "预案")], &["flood-plan"], None),
    ("积水", &[("kind", "事件")], &["G-04"], None),
    ("季度研判会商", &[], &["2025-03"], None),
    ("舆情月报", &[("kind", "舆情分析")], &["2025-03"], None),
    ("值班表轮换", &[], &["值班制度"], None),
    ("双人值守", &[("kind", "其他页面")], &["值班制度"], None),
    // Kana and Hangul cut like Han; a part of a long word of letters.
    ("田中さん", &[], &["G-12"], None),
    ("あげて", &[], &["G-12"], None),
    ("특별시", &[], &["G-12"], None),
    ("munic", &[], &["G-12"], None),
    ("COMMUN", &[], &["G-12"], None),
    ("осква", &[], &["G-12"], None),
    ("PLANSECRET", &[], &[], None),
    ("受限预案", &[], &[], None),
];

fn built() -> Scratch {
    let lib = Scratch::of("search");
    lib.built();
    lib
}

/// The same library with its browser index cut into tiny files: many shards, and every list
/// longer than a few letters in a file of its own, as frequent terms' lists are in a large
/// library.
fn built_in_small_files() -> Scratch {
    let lib = Scratch::of("search");
    let opts = casebook::BuildOptions {
        search_files: casebook::search::static_index::Layout {
            shard_bytes: 256,
            list_bytes: 3,
        },
        ..lib.options()
    };
    if let Err(e) = casebook::build(&opts) {
        panic!("build failed:\n{e}");
    }
    let count = |dir: &str| {
        std::fs::read_dir(lib.out().join(dir))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    assert!(count("search/s") > 8, "many shards");
    assert!(count("search/l") > 20, "lists in files of their own");
    lib
}

fn ids(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn check(engine: &str, found: &[String], g: &Golden) {
    let (q, filters, expected, first) = g;
    assert_eq!(
        found.iter().cloned().collect::<BTreeSet<_>>(),
        ids(expected),
        "{engine}: query {q:?} {filters:?}"
    );
    assert_eq!(
        found.len(),
        expected.len(),
        "{engine}: duplicates for {q:?}"
    );
    if let Some(first) = first {
        assert_eq!(found[0], *first, "{engine}: ranking of {q:?}");
    }
}

#[test]
fn golden_queries_with_casebook_search() {
    let lib = built();
    for g in GOLDEN {
        let mut filters = Filters::default();
        for (k, v) in g.1 {
            let v = Some((*v).to_owned());
            match *k {
                "kind" => filters.kind = v,
                "category" => filters.category = v,
                "department" => filters.department = v,
                "year" => filters.year = v,
                // The command line has no warning filter: check the rest of the query.
                _ => {}
            }
        }
        if g.1.iter().any(|(k, _)| *k == "warning") {
            continue;
        }
        let hits = engine::search(&lib.out(), g.0, &filters, 50).expect("search");
        let found: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
        check("casebook search", &found, g);
        if let Some(h) = hits.first() {
            assert!(
                h.snippet.contains('【'),
                "snippet marks the match for {:?}: {}",
                g.0,
                h.snippet
            );
        }
    }
}

/// The ids of every document any segment of the site's index holds, deleted ones included:
/// a segment keeps a deleted document's terms and stored text until it is rewritten.
fn ids_in_index(site: &std::path::Path) -> BTreeSet<String> {
    let index = tantivy::Index::open_in_dir(site.join(engine::INDEX_DIR)).expect("index");
    let id = index.schema().get_field("id").expect("id field");
    let reader = index.reader().expect("reader");
    let mut ids = BTreeSet::new();
    for segment in reader.searcher().segment_readers() {
        let terms = segment.inverted_index(id).expect("ids");
        let mut stream = terms.terms().stream().expect("terms");
        while stream.advance() {
            ids.insert(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    ids
}

/// A rebuild after an edit finds the new text, and its index holds what a build from
/// nothing holds.
#[test]
fn a_rebuild_finds_the_edited_text() {
    let lib = built();
    let record = lib.root().join("cases/G-01.md");
    let text = std::fs::read_to_string(&record).expect("record");
    lib.write(
        "cases/G-01.md",
        text.replace("夜间打桩", "夜间打桩，又称锤击沉桩"),
    );
    lib.built();
    let search = |q: &str| -> Vec<String> {
        engine::search(&lib.out(), q, &Filters::default(), 50)
            .expect("search")
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    assert_eq!(search("锤击沉桩"), ["G-01"]);
    assert_eq!(search("梅山港"), ["G-01"]);
    assert_eq!(search("柳营乡"), ["G-02"]);
    let fresh = built();
    assert_eq!(ids_in_index(&lib.out()), ids_in_index(&fresh.out()));
}

/// `casebook search` finds a run of characters only where the characters stand side by
/// side: a record that has every pair of the query somewhere, or the query cut by a comma,
/// is not found; and the snippet marks the run whole.
#[test]
fn casebook_search_finds_a_run_of_characters_only_where_it_is() {
    let lib = built();
    let edit = |rel: &str, anchor: &str, added: &str| {
        let text = std::fs::read_to_string(lib.root().join(rel)).expect("record");
        assert!(text.contains(anchor), "{rel}");
        lib.write(rel, text.replacen(anchor, &format!("{anchor}{added}"), 1));
    };
    // 河堤, 堤加 and 加固 are all in G-01, but never 河堤加固.
    edit(
        "cases/G-01.md",
        "夜间打桩。",
        "工人沿河堤加高围挡，又将河堤，加固。",
    );
    edit("cases/G-02.md", "村民擔心污染。", "鄉里隨後對河堤加固。");
    lib.built();
    let hits = engine::search(&lib.out(), "河堤加固", &Filters::default(), 50).expect("search");
    let found: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(found, ["G-02"]);
    assert!(
        hits[0].snippet.contains("【河堤加固】"),
        "{}",
        hits[0].snippet
    );
    assert_eq!(
        hits[0].snippet.matches('【').count(),
        1,
        "{}",
        hits[0].snippet
    );
    let found: BTreeSet<String> = engine::search(&lib.out(), "河堤", &Filters::default(), 50)
        .expect("search")
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(found, ids(&["G-01", "G-02"]));
}

/// A record that a later build does not publish is in no segment of its index, not even as a
/// deleted document; and an index the build cannot read is made anew.
#[test]
fn a_record_withheld_later_leaves_the_index_whole() {
    let lib = built();
    assert!(ids_in_index(&lib.out()).contains("G-01"));
    let record = lib.root().join("cases/G-01.md");
    let text = std::fs::read_to_string(&record).expect("record");
    lib.write(
        "cases/G-01.md",
        text.replacen("+++\n", "+++\naudience = \"restricted\"\n", 1),
    );
    lib.built();
    let ids = ids_in_index(&lib.out());
    assert!(!ids.contains("G-01") && ids.contains("G-02"), "{ids:?}");

    std::fs::write(lib.out().join(engine::INDEX_DIR).join("meta.json"), "{").expect("break");
    lib.built();
    assert_eq!(ids_in_index(&lib.out()), ids);
}

#[test]
fn search_command_prints_json() {
    let lib = built();
    let out = common::command()
        .args(["search", "縣醫院", "--json", "--limit", "1", "--site"])
        .arg(lib.out())
        .output()
        .expect("run");
    assert!(out.status.success());
    let hits: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(hits.as_array().map(Vec::len), Some(1));
    assert_eq!(hits[0]["id"], "G-08");
    assert_eq!(hits[0]["department"], "县卫健局");
    assert_eq!(hits[0]["kind"], "事件");
    let plans = common::command()
        .args(["search", "积水", "--type", "预案", "--site"])
        .arg(lib.out())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&plans.stdout);
    assert!(
        text.contains("flood-plan 城区防汛抗旱应急预案（预案 · 2024-05-01）"),
        "{text}"
    );
    assert!(!text.contains("G-04"), "{text}");
    let missing = common::command()
        .args(["search", "x", "--site", "/nonexistent"])
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("先运行 casebook build"));
}

/// The vocabulary of the static index: every term of every shard.
fn vocabulary(lib: &Scratch) -> Vec<String> {
    let mut vocab = Vec::new();
    for entry in std::fs::read_dir(lib.out().join("search/s")).expect("shards") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        let json = &text[text.find(',').expect("shard number") + 1..text.rfind(");").expect("end")];
        let map: serde_json::Map<String, Value> = serde_json::from_str(json).expect("shard json");
        vocab.extend(map.keys().cloned());
    }
    vocab.sort();
    vocab
}

/// Write a page into the built site that runs every golden query through the browser's
/// search and reports the ids found, and the browser's terms for `texts` and `vocab`.
fn write_harness(lib: &Scratch, texts: &[String], vocab: &[String]) {
    let queries: Vec<Value> = GOLDEN
        .iter()
        .map(|(q, f, _, _)| {
            let filters: serde_json::Map<String, Value> =
                f.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
            json!({ "q": q, "filters": filters })
        })
        .collect();
    write_queries_harness(lib, &queries, texts, vocab);
}

/// [`write_harness`] for `queries` (each `{q, filters}`) instead of the golden set.
fn write_queries_harness(lib: &Scratch, queries: &[Value], texts: &[String], vocab: &[String]) {
    let data = json!({ "queries": queries, "texts": texts, "vocab": vocab });
    std::fs::write(
        lib.out().join("golden.js"),
        format!("window.GOLDEN = {data};\n"),
    )
    .expect("write data");
    std::fs::write(
        lib.out().join("golden.html"),
        r#"<!DOCTYPE html><html data-root=""><head><meta charset="utf-8">
<script src="assets/search.js"></script><script src="golden.js"></script></head>
<body><pre id="out">pending</pre><script>
(async function () {
  var G = window.GOLDEN, out = { queries: [] };
  try {
    for (const q of G.queries) {
      const r = await casebook.search(q.q, q.filters);
      const docs = await casebook.loadDocs(r.hits);
      out.queries.push(docs.map(function (d) { return d.id; }));
    }
    out.terms = G.texts.map(casebook.analyze.terms);
    out.queryTerms = G.vocab.map(casebook.analyze.queryTerms);
  } catch (e) { out.error = String(e); }
  document.getElementById("out").textContent = JSON.stringify(out);
})();
</script></body></html>"#,
    )
    .expect("write harness");
}

fn run_harness(url: &str) -> Value {
    let dom = browser::dump_dom(url);
    let text = browser::element_text(&dom, "out");
    let out: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(
        out.get("error").is_none(),
        "browser error: {}",
        out["error"]
    );
    out
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_owned())
        .collect()
}

#[test]
fn golden_queries_in_chromium_from_file_and_http() {
    let lib = built();
    let small = built_in_small_files();
    write_harness(&lib, &[], &[]);
    write_harness(&small, &[], &[]);
    let file_url = format!("file://{}/golden.html", lib.out().display());
    let http_url = format!("{}/golden.html", browser::serve(&lib.out()));
    let small_url = format!("file://{}/golden.html", small.out().display());
    for (how, url) in [
        ("file://", file_url),
        ("HTTP", http_url),
        ("file:// with small index files", small_url),
    ] {
        let out = run_harness(&url);
        let results = out["queries"].as_array().expect("results");
        assert_eq!(results.len(), GOLDEN.len());
        for (g, found) in GOLDEN.iter().zip(results) {
            check(&format!("browser over {how}"), &strings(found), g);
        }
    }
}

#[test]
fn browser_folding_and_cutting_agree_with_the_analyzer() {
    let lib = built();
    let vocab = vocabulary(&lib);
    assert!(vocab.len() > 500, "a real vocabulary: {}", vocab.len());
    // Every character OpenCC's tables name (read from them, not from the build's table:
    // a block the build left out of the browser's copy shows), plus the records' own text.
    let mut named: Vec<char> = [
        "TSCharacters",
        "TWVariants",
        "HKVariants",
        "CJK_Compatibility_Ideographs",
    ]
    .into_iter()
    .flat_map(opencc)
    .flat_map(|(key, values)| std::iter::once(key).chain(values))
    .collect();
    named.sort_unstable();
    named.dedup();
    let mut texts: Vec<String> = named.chunks(200).map(|c| c.iter().collect()).collect();
    for entry in walkdir::WalkDir::new(lib.root().join("cases")) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            texts.push(std::fs::read_to_string(entry.path()).expect("read"));
        }
    }
    texts.push("ＡＢＣ　全角 Ｍｉｘｅｄ Case ①②③ 𠀋𠀌".to_owned());
    write_harness(&lib, &texts, &vocab);
    let out = run_harness(&format!("file://{}/golden.html", lib.out().display()));
    for (text, js) in texts.iter().zip(out["terms"].as_array().expect("terms")) {
        let rust: Vec<String> = analyzer::terms(text).into_iter().map(|t| t.text).collect();
        assert_eq!(strings(js), rust, "terms of {text:?}");
    }
    for (term, js) in vocab
        .iter()
        .zip(out["queryTerms"].as_array().expect("query terms"))
    {
        assert_eq!(
            strings(js),
            analyzer::query_terms(term),
            "query terms of {term:?}"
        );
    }
}

/// An OpenCC dictionary of `src/text/opencc/`, read here apart from the build: each entry's
/// key and values, for keys of one character.
fn opencc(name: &str) -> Vec<(char, Vec<char>)> {
    let path = format!("{}/src/text/opencc/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let one = |s: &str| {
        let mut chars = s.chars();
        chars.next().filter(|_| chars.next().is_none())
    };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(k, v)| Some((one(k)?, v.split(' ').filter_map(one).collect())))
        .collect()
}

/// For Simplified characters, a Traditional spelling (TSCharacters read backwards) and a
/// spelling Taiwan or Hong Kong writes (their variant tables), where OpenCC gives one. Left
/// out, as the fold leaves them: characters Simplified text writes too (乾, 著).
fn other_spellings() -> (HashMap<char, char>, HashMap<char, char>) {
    let ts = opencc("TSCharacters");
    let simplified: HashSet<char> = ts.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let in_gb2312 = |c: char| {
        let text = c.to_string();
        let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
        !bad && matches!(*bytes, [0xB0..=0xF7, 0xA1..=0xFE])
    };
    let mut to_simplified = HashMap::new();
    let mut traditional = HashMap::new();
    for (t, values) in &ts {
        if let Some(&s) = values.first() {
            if !values.contains(t) && !simplified.contains(t) && s.len_utf8() == t.len_utf8() {
                to_simplified.insert(*t, s);
                traditional.entry(s).or_insert(*t);
            }
        }
    }
    let mut variant = HashMap::new();
    for (standard, forms) in opencc("TWVariants").into_iter().chain(opencc("HKVariants")) {
        let s = to_simplified.get(&standard).copied().unwrap_or(standard);
        for v in forms {
            if v != standard && !simplified.contains(&v) && !in_gb2312(v) {
                variant.entry(s).or_insert(v);
            }
        }
    }
    (traditional, variant)
}

/// Words of the fixture's records (pairs of Han characters, in Simplified), spelled three
/// ways: Simplified, Traditional and with a Taiwan or Hong Kong variant. Each spelling must
/// find the same records, in `casebook search` and in Chromium.
#[test]
fn traditional_and_variant_spellings_find_what_the_simplified_word_finds() {
    let lib = built();
    let (traditional, variant) = other_spellings();
    let mut words: BTreeSet<(String, String, String)> = BTreeSet::new();
    for entry in std::fs::read_dir(lib.root().join("cases")).expect("cases") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        let han: Vec<char> = fold(&text).chars().collect();
        for pair in han.windows(2) {
            if !pair.iter().all(|c| analyzer::is_cjk(*c))
                || !pair.iter().any(|c| variant.contains_key(c))
            {
                continue;
            }
            let spell = |with_variants: bool| -> String {
                pair.iter()
                    .map(
                        |c| match (with_variants, variant.get(c), traditional.get(c)) {
                            (true, Some(v), _) => *v,
                            (_, _, Some(t)) => *t,
                            _ => *c,
                        },
                    )
                    .collect()
            };
            words.insert((pair.iter().collect(), spell(false), spell(true)));
        }
    }
    assert!(
        words.len() >= 3,
        "the fixture has words with variant forms: {words:?}"
    );
    let queries: Vec<Value> = words
        .iter()
        .flat_map(|(s, t, v)| [s, t, v])
        .map(|q| json!({ "q": q, "filters": {} }))
        .collect();
    write_queries_harness(&lib, &queries, &[], &[]);
    let out = run_harness(&format!("file://{}/golden.html", lib.out().display()));
    let browser: Vec<Vec<String>> = out["queries"]
        .as_array()
        .expect("results")
        .iter()
        .map(strings)
        .collect();
    for (n, (s, t, v)) in words.iter().enumerate() {
        let search = |q: &str| -> BTreeSet<String> {
            let hits = engine::search(&lib.out(), q, &Filters::default(), 50).expect("search");
            hits.into_iter().map(|h| h.id).collect()
        };
        let simplified = search(s);
        assert!(!simplified.is_empty(), "{s} is in a record");
        for q in [t, v] {
            assert_eq!(search(q), simplified, "casebook search: {q} as {s}");
        }
        let in_browser: Vec<BTreeSet<String>> = browser[3 * n..3 * n + 3]
            .iter()
            .map(|ids| ids.iter().cloned().collect())
            .collect();
        assert_eq!(in_browser[0], simplified, "browser: {s}");
        assert_eq!(in_browser[1], simplified, "browser: {t} as {s}");
        assert_eq!(in_browser[2], simplified, "browser: {v} as {s}");
    }
}

#[test]
fn search_page_shows_ranked_results_facets_snippets_and_highlights_the_record() {
    let lib = built();
    let base = format!("file://{}", lib.out().display());
    let page = browser::dump_dom(&format!("{base}/search.html?q=%E7%B8%A3%E9%86%AB%E9%99%A2"));
    // 縣醫院: the record with it in its title first, then the one with 县医院 in its text.
    let first = page.find("data-id=\"G-08\"").expect("G-08 listed");
    let second = page.find("data-id=\"G-09\"").expect("G-09 listed");
    assert!(first < second);
    assert!(page.contains("找到 2 条相关结果"));
    assert!(page.contains("<mark>縣醫院</mark>") && page.contains("<mark>县医院</mark>"));
    assert!(page.contains("县卫健局（2）"), "facet counts");
    assert!(page.contains("cases/G-08.html?q=%E7%B8%A3%E9%86%AB%E9%99%A2"));

    let narrowed = browser::dump_dom(&format!(
        "{base}/search.html?q=%E5%8E%BF%E5%8D%AB%E5%81%A5%E5%B1%80&year=2024"
    ));
    assert!(narrowed.contains("data-id=\"G-09\"") && !narrowed.contains("data-id=\"G-08\""));
    assert!(narrowed.contains("aria-pressed=\"true\">2024（1）"));
    // A filter that leaves nothing stays on screen, so it can be switched off.
    let emptied = browser::dump_dom(&format!(
        "{base}/search.html?q=%E5%8E%BF%E5%8D%AB%E5%81%A5%E5%B1%80&year=2019"
    ));
    assert!(emptied.contains("没有找到与“县卫健局”相关的内容"));
    assert!(emptied.contains("aria-pressed=\"true\">2019（0）"));

    // 积水: the record and the plan, with the 类型 facet; a plan's result says what it is.
    let both = browser::dump_dom(&format!("{base}/search.html?q=%E7%A7%AF%E6%B0%B4"));
    let record = both.find("data-id=\"G-04\"").expect("G-04 listed");
    let plan = both
        .find("data-id=\"flood-plan\"")
        .expect("the plan listed");
    assert!(record < plan, "the record first");
    assert!(both.contains("<legend>类型</legend>"), "the 类型 facet");
    assert!(
        both.contains("事件（1）") && both.contains("预案（1）"),
        "类型 counts"
    );
    assert!(
        both.contains("突发事件类（1）"),
        "类别 counts records only: {both}"
    );
    assert!(
        !both.contains("未标注（2）"),
        "a plan is not a record without a 级别"
    );
    assert!(
        both.contains("预案 · 2024-05-01"),
        "a plan's result says it is one"
    );

    let none = browser::dump_dom(&format!("{base}/search.html?q=%E4%B8%8D%E5%AD%98%E5%9C%A8"));
    assert!(none.contains("没有找到与“不存在”相关的内容"));

    let record = browser::dump_dom(&format!(
        "{base}/cases/G-08.html?q=%E5%8E%BF%E5%8C%BB%E9%99%A2"
    ));
    assert!(
        record.contains("<mark>縣醫院</mark>"),
        "Traditional text highlighted for a Simplified query"
    );
}

#[test]
fn results_stand_when_the_facet_counts_cannot_load() {
    let lib = built();
    std::fs::remove_file(lib.out().join("search/facets.js")).expect("remove facets.js");
    let page = browser::dump_dom(&format!(
        "file://{}/search.html?q=%E7%B8%A3%E9%86%AB%E9%99%A2",
        lib.out().display()
    ));
    assert!(page.contains("找到 2 条相关结果"), "results shown");
    assert!(page.contains("data-id=\"G-08\""));
    assert!(
        page.contains("筛选项加载失败"),
        "the missing counts are said"
    );
    assert!(page.contains("data-state=\"done\""));
}

#[test]
fn withheld_records_are_in_no_search_file() {
    let lib = built();
    for entry in walkdir::WalkDir::new(lib.out()) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            let text = common::readable(&bytes);
            assert!(!text.contains("SECRETMARK"), "{}", entry.path().display());
            assert!(!text.contains("G-99"), "{}", entry.path().display());
            // A restricted plan, like a restricted record.
            assert!(!text.contains("PLANSECRET"), "{}", entry.path().display());
            assert!(!text.contains("secret-plan"), "{}", entry.path().display());
        }
    }
}

/// The ids listed under 相似案例 on a case page, in order.
fn similar(lib: &Scratch, id: &str) -> Vec<String> {
    let html = lib.read(&format!("cases/{id}.html"));
    let Some(start) = html.find("id=\"h-similar\"") else {
        return Vec::new();
    };
    let section = &html[start..start + html[start..].find("</section>").expect("end")];
    section
        .match_indices("href=\"../cases/")
        .map(|(i, m)| {
            let rest = &section[i + m.len()..];
            rest[..rest.find(".html").expect("link")].to_owned()
        })
        .collect()
}

/// A rebuild after a record's title changes lists the similar cases a build from nothing
/// lists.
#[test]
fn similar_cases_after_an_edit_are_those_of_a_build_from_nothing() {
    let lib = built();
    let retitle = |lib: &Scratch| {
        let text = std::fs::read_to_string(lib.root().join("cases/G-11.md")).expect("record");
        lib.write(
            "cases/G-11.md",
            text.replace("共享单车乱停放", "县一中共享单车乱停放"),
        );
    };
    retitle(&lib);
    lib.built();
    let fresh = Scratch::of("search");
    retitle(&fresh);
    fresh.built();
    for id in ["G-05", "G-06", "G-11"] {
        assert_eq!(similar(&lib, id), similar(&fresh, id), "{id}");
    }
}

#[test]
fn case_pages_list_similar_precedents() {
    let lib = built();
    // Both about 县一中: the strongest shared words are in their titles.
    let list = similar(&lib, "G-05");
    assert_eq!(list.first().map(String::as_str), Some("G-06"), "{list:?}");
    for id in ["G-01", "G-02", "G-05", "G-08", "G-11"] {
        let list = similar(&lib, id);
        assert!(list.len() <= 5, "{id}: {list:?}");
        assert!(!list.contains(&id.to_owned()), "{id} lists itself");
        assert!(!list.iter().any(|s| s == "G-99"), "withheld record listed");
    }
    // A record the clerk already named under `related` is not repeated as similar.
    lib.write(
        "cases/G-05.md",
        std::fs::read_to_string(lib.root().join("cases/G-05.md"))
            .expect("read")
            .replacen(
                "status = \"已办结\"",
                "status = \"已办结\"\nrelated = [\"G-06\"]",
                1,
            ),
    );
    lib.built();
    assert!(!similar(&lib, "G-05").contains(&"G-06".to_owned()));
    assert!(lib.read("cases/G-05.html").contains("id=\"h-related\""));
}

/// A build killed between the two renames of its swap leaves the published site beside the
/// output and nothing at it: `casebook search` and `casebook check` put it back first.
#[test]
fn search_and_check_put_back_a_site_a_killed_build_left_aside() {
    let lib = built();
    let leave_aside = |out: &std::path::Path| {
        let name = out
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let aside = out.with_file_name(format!(".{name}.casebook-old-99999999"));
        std::fs::rename(out, &aside).expect("move the site aside");
        assert!(!out.exists());
    };
    leave_aside(&lib.out());
    let found = common::command()
        .args(["search", "縣醫院", "--json", "--site"])
        .arg(lib.out())
        .output()
        .expect("run");
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    assert!(lib.out().join("index.html").is_file());

    let published = lib.root().join("public");
    std::fs::rename(lib.out(), &published).expect("publish in the library");
    leave_aside(&published);
    let checked = common::command()
        .args(["check", "--root"])
        .arg(lib.root())
        .output()
        .expect("run");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(published.join("index.html").is_file());
}

/// The case list's keyword filter folds as search does: 县医院 finds the record titled 縣醫院,
/// and the filter can be given in the address.
#[test]
fn the_case_list_filter_folds_traditional_and_simplified() {
    let lib = built();
    let base = format!("file://{}", lib.out().display());
    let mut counts = Vec::new();
    for q in ["%E5%8E%BF%E5%8C%BB%E9%99%A2", "%E7%B8%A3%E9%86%AB%E9%99%A2"] {
        let page = browser::dump_dom(&format!("{base}/cases/index.html?q={q}"));
        let shown = browser::element_text(&page, "cb-case-count");
        assert!(
            page.contains(">G-08<"),
            "G-08 (縣醫院) listed for {q}: {shown}"
        );
        counts.push(shown);
    }
    assert_eq!(counts[0], counts[1]);
    assert!(counts[0].starts_with("显示 1 件"), "{}", counts[0]);
}

/// The search page searches as the clerk types (no Enter) and puts the query in the address.
#[test]
fn the_search_page_searches_as_you_type() {
    let lib = built();
    let page = std::fs::read_to_string(lib.out().join("search.html")).expect("search page");
    // The typing is a script file of the site's own: the page's policy runs no inline script.
    let typing = r#"
window.addEventListener("load", function () {
  var box = document.getElementById("cb-q");
  setTimeout(function () { box.value = "縣"; box.dispatchEvent(new Event("input")); }, 50);
  setTimeout(function () { box.value = "縣醫院"; box.dispatchEvent(new Event("input")); }, 100);
  setTimeout(function () { document.body.setAttribute("data-address", decodeURIComponent(location.search)); }, 3000);
});
"#;
    std::fs::write(lib.out().join("typed.js"), typing).expect("harness script");
    std::fs::write(
        lib.out().join("typed.html"),
        page.replace("</body>", r#"<script src="typed.js"></script></body>"#),
    )
    .expect("harness");
    let dom = browser::dump_dom(&format!("file://{}/typed.html", lib.out().display()));
    assert!(dom.contains("找到 2 条相关结果"), "results without Enter");
    assert!(dom.contains("data-id=\"G-08\""));
    assert!(
        dom.contains("data-address=\"?q=縣醫院\""),
        "the address says the query"
    );
}
