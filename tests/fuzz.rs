//! Fuzzing `check` and `build`: the basic library with its records, plans, summary, page,
//! template and `casebook.toml` mutated the ways careless and hostile input does — lines
//! deleted, doubled or cut off, values swapped for odd ones, text inserted anywhere — is
//! checked and built in-process. Neither may panic, and they must agree: the build fails
//! exactly when `check` finds errors, and a failure is explained by diagnostics.
//!
//! CI runs a bounded pass, the same every time (`CASEBOOK_FUZZ_CASES`, default 64, from
//! `CASEBOOK_FUZZ_SEED`, default 1); a long run is
//! `CASEBOOK_FUZZ_CASES=100000 CASEBOOK_FUZZ_SEED=7 cargo test --release --test fuzz`.

mod common;

use casebook::diag::Severity;
use casebook::Failure;
use common::Scratch;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// The files mutated: every kind of document, and the configuration.
const FILES: &[&str] = &[
    "casebook.toml",
    "cases/2024/noise.md",
    "cases/2024/flood.md",
    "cases/2024/trad.md",
    "cases/2024/secret.md",
    "content/plans/dept.md",
    "content/plans/new.md",
    "content/summaries/2024-03.md",
    "content/about.md",
    "content/plan-templates/case-record.md",
];

/// Values put after a `key =`: the right shapes with odd content, the wrong shapes, and
/// what clerks write for deadlines, dates and names.
const VALUES: &[&str] = &[
    r#""""#,
    r#""2小时""#,
    r#""两小时""#,
    r#""１２０分钟""#,
    r#""当日""#,
    r#""same-day""#,
    r#""9999999999999999m""#,
    r#""99999999d""#,
    r#""-1h""#,
    r#""+25:00""#,
    r#""index""#,
    r#""page-2""#,
    r#""t-0000000000000000""#,
    r#""CON""#,
    r#""../../etc""#,
    r#""Дом""#,
    r#""𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀""#,
    r#""<script>alert(1)</script>""#,
    r#""=cmd|' /C calc'!A0""#,
    r#""YQ-2024-0031""#,
    r#""YQ-2024-0099""#,
    r#""dept-response-plan""#,
    r#""问题类""#,
    r#""废止""#,
    r#""restricted""#,
    r#""public""#,
    r#""2024-13""#,
    r#""0000-01""#,
    r#""2024-Q5""#,
    "0",
    "-1",
    "18446744073709551616",
    "1e308",
    "nan",
    "true",
    "[]",
    r#"["a", "a", ""]"#,
    "{ a = 1 }",
    "2024-03-12",
    "2024-03-12T08:30:00",
    "2024-03-12T08:30:00+14:00",
    "0000-01-01",
    "9999-12-31T23:59:59",
    "1899-12-31",
    "2024-02-30",
    r#""\u0001\u0085""#,
    "'''多行\n文字'''",
    r#""未闭合"#,
    "[[",
    "",
];

/// One change to a file's text, by line or by character (never by byte).
#[derive(Clone, Debug)]
enum Edit {
    /// The value after the `=` of the line (at a line index modulo the line count).
    SetValue(usize, &'static str),
    Delete(usize),
    Duplicate(usize),
    /// Text inserted before the character at this index (modulo the length).
    Insert(usize, String),
    /// The text cut off after this many characters (modulo the length).
    Truncate(usize),
    /// A whole line appended, `key = value` or a table header.
    Append(String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let keys = prop::sample::select(vec![
        "deadline",
        "timezone",
        "audience",
        "default_audience",
        "build_audience",
        "id",
        "tags",
        "department",
        "region",
        "plans",
        "related",
        "supersedes",
        "period",
        "key_cases",
        "discovered_at",
        "first_response_at",
        "status",
        "warning",
        "response_level",
        "weight",
        "scaffolds",
        "[[categories]]",
        "[[timeline]]",
        "[import]",
    ]);
    prop_oneof![
        4 => (any::<usize>(), prop::sample::select(VALUES)).prop_map(|(l, v)| Edit::SetValue(l, v)),
        1 => any::<usize>().prop_map(Edit::Delete),
        1 => any::<usize>().prop_map(Edit::Duplicate),
        2 => (any::<usize>(), "\\PC{0,12}|[+=\\[\\]\"'\\n#]{1,3}").prop_map(|(at, s)| Edit::Insert(at, s)),
        1 => any::<usize>().prop_map(Edit::Truncate),
        2 => (keys, prop::sample::select(VALUES)).prop_map(|(k, v)| {
            if k.starts_with('[') { Edit::Append(k.to_owned()) } else { Edit::Append(format!("{k} = {v}")) }
        }),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len().max(1);
    match edit {
        Edit::SetValue(l, v) => {
            let l = l % n;
            if let Some(line) = lines.get_mut(l) {
                if let Some((key, _)) = line.split_once('=') {
                    *line = format!("{key}= {v}");
                }
            }
        }
        Edit::Delete(l) => {
            if l % n < lines.len() {
                lines.remove(l % n);
            }
        }
        Edit::Duplicate(l) => {
            if let Some(line) = lines.get(l % n).cloned() {
                lines.insert(l % n, line);
            }
        }
        Edit::Append(line) => {
            // Into the front matter, where fields are, when the file has one.
            let at = lines
                .iter()
                .skip(1)
                .position(|l| l == "+++")
                .map_or(lines.len(), |i| i + 1);
            lines.insert(at, line.clone());
        }
        Edit::Insert(at, s) => {
            let chars: Vec<char> = text.chars().collect();
            let at = at % (chars.len() + 1);
            let mut out: String = chars[..at].iter().collect();
            out.push_str(s);
            out.extend(&chars[at..]);
            return out;
        }
        Edit::Truncate(at) => {
            let count = text.chars().count();
            return text.chars().take(at % (count + 1)).collect();
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn cases() -> u32 {
    u32::try_from(setting("CASEBOOK_FUZZ_CASES", 64)).unwrap_or(u32::MAX)
}

#[test]
fn mutated_libraries_are_checked_and_built_without_a_panic() {
    let fixture = Scratch::of("basic");
    let originals: Vec<String> = FILES
        .iter()
        .map(|f| std::fs::read_to_string(fixture.root().join(f)).expect("fixture file"))
        .collect();
    let changes =
        prop::collection::vec((0..FILES.len(), prop::collection::vec(edit(), 1..4)), 1..4);
    let config = Config {
        cases: cases(),
        rng_seed: RngSeed::Fixed(setting("CASEBOOK_FUZZ_SEED", 1)),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let built = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&changes, |changes| {
        let lib = Scratch::of("basic");
        for (file, edits) in &changes {
            let text = edits
                .iter()
                .fold(originals[*file].clone(), |text, e| apply(&text, e));
            lib.write(FILES[*file], text);
        }
        let opts = lib.options();
        let checked = casebook::load_library(&opts, &Default::default());
        let check_errors = match &checked {
            Ok((_, diags)) => diags.count(Severity::Error),
            Err(Failure::Invalid(diags)) => {
                prop_assert!(
                    diags.count(Severity::Error) > 0,
                    "a failure without an error"
                );
                diags.count(Severity::Error)
            }
            Err(Failure::Write(e)) => {
                return Err(TestCaseError::fail(format!("check could not read: {e}")));
            }
        };
        match casebook::build(&opts) {
            Ok(_) => {
                prop_assert_eq!(check_errors, 0, "built although check found errors");
                built.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Err(Failure::Invalid(diags)) => {
                let errors = diags.count(Severity::Error);
                prop_assert!(errors > 0, "the build failed without an error");
                for d in diags.iter() {
                    let line = d.to_string();
                    prop_assert!(!line.is_empty());
                }
            }
            Err(Failure::Write(e)) => {
                return Err(TestCaseError::fail(format!(
                    "the build could not write: {e}"
                )));
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let built = built.into_inner();
    eprintln!(
        "{built} of {} mutated libraries built, the rest refused",
        cases()
    );
    // Enough mutations are ones a build survives for the run to reach every stage.
    assert!(built * 20 >= cases() as usize, "only {built} built");
}
