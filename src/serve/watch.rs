//! Which changes to the library matter, and when to rebuild: changes closer together than
//! [`SETTLE`] are one rebuild (editors write several events per save).

use std::path::{Component, Path};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use super::rebuild::{Rebuilds, Shared, Touched};
use crate::BuildOptions;

/// Changes closer together than this are one rebuild.
const SETTLE: Duration = Duration::from_millis(25);

/// The library files whose changes matter (relative to the library root).
const WATCHED: &[&str] = &[
    "cases",
    "content",
    "templates",
    "theme",
    crate::config::CONFIG_FILE,
];

/// Wait for relevant changes, let them settle, rebuild; until the watcher goes away.
pub fn watch_loop(
    opts: &BuildOptions,
    rx: &Receiver<notify::Result<notify::Event>>,
    shared: &Shared,
    rebuilds: &mut Rebuilds,
) {
    let root = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let out = std::path::absolute(opts.out_dir()).unwrap_or_else(|_| opts.out_dir());
    let relevant = |event: &notify::Result<notify::Event>| match event {
        // Reading files (our own rebuild among them) is reported as access: not a change.
        Ok(e) if e.kind.is_access() => false,
        Ok(e) => e.paths.iter().any(|p| matters(&root, &out, p)),
        Err(_) => true,
    };
    let touched = |event: &notify::Result<notify::Event>| match event {
        Ok(e) if e.paths.iter().all(|p| is_record(&root, p)) && !e.need_rescan() => {
            Touched::Records
        }
        _ => Touched::Anything,
    };
    while let Ok(event) = rx.recv() {
        if !relevant(&event) {
            continue;
        }
        let mut what = touched(&event);
        loop {
            match rx.recv_timeout(SETTLE) {
                Ok(event) if relevant(&event) => {
                    what = what.and(touched(&event));
                }
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        rebuilds.run(opts, shared, what);
    }
}

/// Whether `path` is under the library's `cases/` (a record, or a folder of them).
fn is_record(root: &Path, path: &Path) -> bool {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    path.strip_prefix(root)
        .is_ok_and(|rel| rel.starts_with("cases"))
}

/// Whether a changed path can change the site: inside one of [`WATCHED`], not hidden (editor
/// swap files, `.git`), not in the output folder.
fn matters(root: &Path, out: &Path, path: &Path) -> bool {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if path.starts_with(out) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().filter_map(|c| match c {
        Component::Normal(s) => Some(s.to_string_lossy()),
        _ => None,
    });
    let Some(first) = parts.next() else {
        return false;
    };
    let hidden = |s: &str| s.starts_with('.') || s.ends_with('~') || s.ends_with(".swp");
    WATCHED.contains(&first.as_ref()) && !hidden(&first) && parts.all(|p| !hidden(&p))
}
