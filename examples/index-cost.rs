//! What the search indexes add to a build: builds LIBRARY with and without them (the
//! browser's index and `casebook search`'s), RUNS times each, interleaved so that a change in
//! the machine's speed hits both alike, and prints the medians and the share the indexes add.
//! Each kind of build has a scratch folder of its own and is made there once before it is
//! timed, so both are timed as rebuilds of their own site: sharing one folder, a build with the
//! indexes would follow one without and write all its index files anew every time, and a
//! build without would delete them. One build first warms up what a process loads once.
//!
//! Usage: cargo run --release --example index-cost -- LIBRARY [RUNS]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use casebook::BuildOptions;

fn main() -> ExitCode {
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
        Ok((with, without)) => {
            let added = (with.as_secs_f64() / without.as_secs_f64() - 1.0) * 100.0;
            println!(
                "with indexes {:.2} s, without {:.2} s (medians of {runs}): the indexes add {added:.0} %",
                with.as_secs_f64(),
                without.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Median build times with and without the search indexes.
fn measure(library: &Path, out: &Path, runs: usize) -> Result<(Duration, Duration), String> {
    let build = |search: bool| -> Result<Duration, String> {
        let opts = BuildOptions {
            out: Some(out.join(if search { "with" } else { "without" })),
            now: Some("2026-01-01".into()),
            search,
            ..BuildOptions::new(library)
        };
        let started = Instant::now();
        casebook::build(&opts).map_err(|e| format!("the build failed:\n{e}"))?;
        Ok(started.elapsed())
    };
    build(true)?;
    build(false)?;
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        with.push(build(true)?);
        without.push(build(false)?);
    }
    Ok((median(with), median(without)))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
