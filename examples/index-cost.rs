//! What the search indexes add to a build: builds LIBRARY with both indexes, without the
//! browser's (`search/`), and without either (the browser's and `casebook search`'s), RUNS
//! times each, interleaved so that a change in the machine's speed hits all alike, and prints
//! the medians and the share each adds. Each kind of build has a scratch folder of its own and
//! is made there once before it is timed, so each is timed as a rebuild of its own site:
//! sharing one folder, a build with an index would follow one without and write all its index
//! files anew every time, and a build without would delete them. One build first warms up
//! what a process loads once.
//!
//! With `--edited`, each timed round first edits one record (a sentence added, another each
//! round), so that every build is a rebuild with one record changed; the record is put back
//! at the end. With `--first`, every build is a first build, into a folder no build has
//! written (the folders are removed at the end, not between builds: creating files just
//! after removing a large tree is many times slower on ext4).
//!
//! The builds go into a scratch folder in the system's temporary folder, removed at the end;
//! with `--scratch DIR`, into DIR, which is left for the caller to remove. A benchmark that
//! times other builds after this one (bench/run.sh) removes it only after all its timings,
//! for the same reason.
//!
//! Usage: cargo run --release --example index-cost -- LIBRARY [RUNS] [--edited | --first]
//! [--scratch DIR]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use casebook::search::Indexes;
use casebook::BuildOptions;

/// The kinds of build, by the indexes they write.
const KINDS: [(&str, Indexes); 3] = [
    ("both", Indexes::ALL),
    (
        "engine-only",
        Indexes {
            browser: false,
            engine: true,
        },
    ),
    ("none", Indexes::NONE),
];

const USAGE: &str = "usage: index-cost LIBRARY [RUNS] [--edited | --first] [--scratch DIR]";

fn main() -> ExitCode {
    let (mut edited, mut first, mut scratch, mut positional) = (false, false, None, Vec::new());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--edited" => edited = true,
            "--first" => first = true,
            "--scratch" => match args.next() {
                Some(dir) => scratch = Some(PathBuf::from(dir)),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ => positional.push(arg),
        }
    }
    let (Some(library), runs) = (positional.first(), positional.get(1)) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(runs) = runs.map_or("3", String::as_str).parse::<usize>() else {
        eprintln!("RUNS must be a number");
        return ExitCode::from(2);
    };
    let out = scratch.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("casebook-index-cost-{}", std::process::id()))
    });
    let result = measure(&PathBuf::from(library), &out, runs.max(1), edited, first);
    if scratch.is_none() {
        let _ = std::fs::remove_dir_all(&out);
    }
    match result {
        Ok([both, engine_only, none]) => {
            let added = |with: Duration, without: Duration| {
                (with.as_secs_f64() / without.as_secs_f64() - 1.0) * 100.0
            };
            println!(
                "both indexes {:.2} s, without the browser's {:.2} s, without either {:.2} s \
                 (medians of {runs}): the browser's index adds {:.0} %, both add {:.0} %",
                both.as_secs_f64(),
                engine_only.as_secs_f64(),
                none.as_secs_f64(),
                added(both, engine_only),
                added(both, none)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Median build times of each kind of build, in the order of [`KINDS`]; with `edited`, each
/// timed round after an edit of one record; with `first`, each build a first build.
fn measure(
    library: &Path,
    out: &Path,
    runs: usize,
    edited: bool,
    first: bool,
) -> Result<[Duration; 3], String> {
    let record = match edited {
        true => Some(first_record(library)?),
        false => None,
    };
    let original = match &record {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| e.to_string())?),
        None => None,
    };
    let result = rounds(
        library,
        out,
        runs,
        record.as_deref().zip(original.as_deref()),
        first,
    );
    if let Some((path, text)) = record.zip(original) {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    result
}

/// The first record file of the library, by path.
fn first_record(library: &Path) -> Result<PathBuf, String> {
    walkdir::WalkDir::new(library.join("cases"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .ok_or_else(|| "the library has no record to edit".to_owned())
}

/// The timed rounds (see [`measure`]); `edit` is the record to edit and its text.
fn rounds(
    library: &Path,
    out: &Path,
    runs: usize,
    edit: Option<(&Path, &str)>,
    first: bool,
) -> Result<[Duration; 3], String> {
    let build = |name: &str, round: usize, search: Indexes| -> Result<Duration, String> {
        let folder = match first {
            true => format!("{name}-{round}"),
            false => name.to_owned(),
        };
        let opts = BuildOptions {
            out: Some(out.join(folder)),
            now: Some("2026-01-01".into()),
            search,
            ..BuildOptions::new(library)
        };
        let started = Instant::now();
        casebook::build(&opts).map_err(|e| format!("the build failed:\n{e}"))?;
        Ok(started.elapsed())
    };
    let mut times: [Vec<Duration>; 3] = Default::default();
    for round in 0..=runs {
        if let (Some((path, text)), true) = (edit, round > 0) {
            let edited = format!("{text}\n又补充一句（第{round}次）：现场已复查。\n");
            std::fs::write(path, edited).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        for ((name, search), times) in KINDS.iter().zip(times.iter_mut()) {
            let took = build(name, round, *search)?;
            // The first round makes each site, to be rebuilt by the timed ones (or, for first
            // builds, loads what a process loads once).
            if round > 0 {
                times.push(took);
            }
        }
    }
    Ok(times.map(median))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
