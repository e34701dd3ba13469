//! Writing the clerk's own files (records made by `import`, `new` and the browser form): whole
//! or not at all, so that a full disk or a killed process never leaves half a record, and a
//! new file never over an existing one.
//!
//! The text first goes to a hidden temporary file in the same folder (a build running
//! meanwhile skips hidden files); a new file is then hard-linked under its name, which fails
//! if the name is taken, and a replaced file is renamed over the old one.

use std::io;
use std::path::{Path, PathBuf};

/// Write `text` as the new file `path` (its folders made as needed); `AlreadyExists` when the
/// name is taken, and then nothing is written.
pub fn create(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = temporary(path);
    if let Err(e) = std::fs::write(&temp, text) {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    let linked = std::fs::hard_link(&temp, path);
    let _ = std::fs::remove_file(&temp);
    linked
}

/// Replace the file `path` with `text`; on failure the old file is untouched.
pub fn replace(path: &Path, text: &str) -> io::Result<()> {
    let temp = temporary(path);
    let written = std::fs::write(&temp, text).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// `.NAME.PID.saving` beside `path`: hidden, and one per process so that two writers never
/// share it.
fn temporary(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.saving", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_never_overwrites_and_replace_does() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("cases/2024/a.md");
        create(&path, "one").expect("create");
        let again = create(&path, "two").expect_err("the name is taken");
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one");
        replace(&path, "three").expect("replace");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "three");
        let left: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
            .expect("list")
            .collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }
}
