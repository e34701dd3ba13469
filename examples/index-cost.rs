//! What the search indexes add to a build: builds LIBRARY with both indexes, without the
//! browser's (`search/`), and without either (the browser's and `casebook search`'s), RUNS
//! times each, interleaved so that a change in the machine's speed hits all alike, and prints
//! the medians and the share each adds. Each kind of build has a scratch folder of its own and
//! is made there once before it is timed, so each is timed as a rebuild of its own site:
//! sharing one folder, a build with an index would follow one without and write all its index
//! files anew every time, and a build without would delete them. One build first warms up
//! what a process loads once.
//!
//! Usage: cargo run --release --example index-cost -- LIBRARY [RUNS]

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

fn main() -> ExitCode {
    casebook::memory::small_pages_only();
    let mut args = std::env::args().skip(1);
    let (Some(library), runs) = (args.next(), args.next()) else {
        eprintln!("usage: index-cost LIBRARY [RUNS]");
        return ExitCode::from(2);
    };
    let Ok(runs) = runs.as_deref().unwrap_or("3").parse::<usize>() else {
        eprintln!("RUNS must be a number");
        return ExitCode::from(2);
    };
    let out = std::env::temp_dir().join(format!("casebook-index-cost-{}", std::process::id()));
    let result = measure(&PathBuf::from(library), &out, runs.max(1));
    let _ = std::fs::remove_dir_all(&out);
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

/// Median build times of each kind of build, in the order of [`KINDS`].
fn measure(library: &Path, out: &Path, runs: usize) -> Result<[Duration; 3], String> {
    let build = |name: &str, search: Indexes| -> Result<Duration, String> {
        let opts = BuildOptions {
            out: Some(out.join(name)),
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
        for ((name, search), times) in KINDS.iter().zip(times.iter_mut()) {
            let took = build(name, *search)?;
            // The first round makes each site, to be rebuilt by the timed ones.
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
