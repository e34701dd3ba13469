//! Publishing the site: files go into a new folder beside the output as the build produces
//! them, and that folder is swapped in only when every file is written. A failed build leaves
//! the published site as it was, and so does a build killed at any instant:
//!
//! - Where the system can exchange two folders in one step (Linux's `renameat2` with
//!   `RENAME_EXCHANGE`), the new site and the published one trade places at once; the old one
//!   is then removed from beside the output.
//! - Elsewhere the published site is renamed aside, then the new one into place. A build
//!   killed between those two renames leaves the old site aside and nothing at the output:
//!   [`repair`] (which every build, `check` and `search` call first) puts it back.
//!
//! Folders left beside the output by killed builds are removed by the next build. Nothing
//! here ever follows a symbolic link: a link where a casebook folder is expected is left
//! alone or refused, never emptied.

use crate::messages::Message;
use crate::msg;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::render::SiteFile;

/// Written into every output folder, so a later build knows it may replace that folder.
pub const MARKER: &str = ".casebook-site";

#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists, is not empty, and was not written by casebook.
    NotASite(PathBuf),
    /// The output path is a symbolic link.
    Link(PathBuf),
    /// The output folder would contain or equal the library itself.
    InsideLibrary(PathBuf),
    UnsafePath(String),
    Io(PathBuf, io::Error),
}

impl WriteError {
    /// What went wrong and what to do, for the person running the build.
    pub fn message(&self) -> Message {
        match self {
            WriteError::NotASite(p) => msg!(OutNotASite, path = p.display()),
            WriteError::Link(p) => msg!(OutIsLink, path = p.display()),
            WriteError::InsideLibrary(p) => msg!(OutInsideLibrary, path = p.display()),
            WriteError::UnsafePath(p) => msg!(OutUnsafePath, path = p),
            WriteError::Io(p, e) => msg!(CannotWrite, path = p.display(), reason = Message::io(e)),
        }
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message())
    }
}

/// A site being written: a new folder beside the output that files go into as the build
/// produces them (so the whole site is never held in memory), swapped in by
/// [`Staging::publish`]. Dropped without publishing — the build failed — it removes itself.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    retired: PathBuf,
    files: AtomicUsize,
    published: bool,
}

impl Staging {
    /// Check that `out` may be replaced, repair what killed builds left, and create the new
    /// site's folder.
    pub fn begin(out: &Path, library_root: &Path) -> Result<Staging, WriteError> {
        let out = absolute(out);
        let root = absolute(library_root);
        if root.starts_with(&out) {
            return Err(WriteError::InsideLibrary(out));
        }
        repair(&out);
        // A file at the output is neither a site nor an empty folder: it is refused too.
        match fs::symlink_metadata(&out) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(WriteError::Link(out)),
            Ok(_) if !is_site(&out) && !is_empty_dir(&out) => {
                return Err(WriteError::NotASite(out))
            }
            _ => {}
        }
        let (parent, name) = parent_and_name(&out);
        fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
        clear_leftovers(&parent, &name);
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.casebook-new-{pid}"));
        remove_tree(&staging);
        fs::create_dir(&staging).map_err(|e| WriteError::Io(staging.clone(), e))?;
        write_new(&staging.join(MARKER), b"casebook output folder\n")
            .map_err(|e| WriteError::Io(staging.join(MARKER), e))?;
        Ok(Staging {
            retired: parent.join(format!(".{name}.casebook-old-{pid}")),
            staging,
            out,
            files: AtomicUsize::new(0),
            published: false,
        })
    }

    /// Write `files` into the new site.
    pub fn write(&self, files: &[SiteFile]) -> Result<(), WriteError> {
        for f in files {
            let target = safe_join(&self.staging, &f.path)?;
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
            }
            write_new(&target, &f.bytes).map_err(|e| WriteError::Io(target.clone(), e))?;
        }
        self.files.fetch_add(files.len(), Ordering::Relaxed);
        Ok(())
    }

    /// Where the site file `path` goes, for a writer that makes the file itself (the SQLite
    /// export); its folder is created and it counts as written.
    pub fn place(&self, path: &str) -> Result<PathBuf, WriteError> {
        let target = safe_join(&self.staging, path)?;
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(target)
    }

    /// Where the site folder `path` goes, for a writer that fills it itself (the tantivy
    /// index); it is created empty, and the writer says how many files it made
    /// ([`Staging::made`]).
    pub fn place_folder(&self, path: &str) -> Result<PathBuf, WriteError> {
        let target = safe_join(&self.staging, path)?;
        fs::create_dir_all(&target).map_err(|e| WriteError::Io(target.clone(), e))?;
        Ok(target)
    }

    /// Count `files` files a writer made in a folder it was given.
    pub fn made(&self, files: usize) {
        self.files.fetch_add(files, Ordering::Relaxed);
    }

    /// How many files have been written.
    pub fn count(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Swap the new site in and remove the old one.
    pub fn publish(mut self) -> Result<PathBuf, WriteError> {
        swap(&self.staging, &self.out, &self.retired, &Renames)?;
        self.published = true;
        // After an exchange the old site is where the new one was written.
        remove_tree(&self.staging);
        remove_tree(&self.retired);
        Ok(self.out.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            remove_tree(&self.staging);
        }
    }
}

/// The two ways of moving folders that a swap uses; tests stand in a failing one.
pub trait Mover {
    /// Exchange `a` and `b` in one step; Ok(false) where the system cannot.
    fn exchange(&self, a: &Path, b: &Path) -> io::Result<bool>;
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
}

/// The file system's own renames.
pub struct Renames;

impl Mover for Renames {
    #[cfg(target_os = "linux")]
    fn exchange(&self, a: &Path, b: &Path) -> io::Result<bool> {
        use std::os::unix::ffi::OsStrExt;
        let c =
            |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
        let (a, b) = (c(a)?, c(b)?);
        // SAFETY: both paths are NUL-terminated strings that outlive the call.
        let done = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        match done {
            0 => Ok(true),
            _ => {
                let e = io::Error::last_os_error();
                // Not supported by this kernel or file system: fall back to two renames.
                match e.raw_os_error() {
                    Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP) => Ok(false),
                    _ => Err(e),
                }
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn exchange(&self, _: &Path, _: &Path) -> io::Result<bool> {
        Ok(false)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }
}

/// Move the finished site `staging` into place at `out`: exchanged in one step where the
/// system can, else with the previous site moved aside to `retired` first and put back if
/// the second rename fails.
pub fn swap(
    staging: &Path,
    out: &Path,
    retired: &Path,
    mover: &dyn Mover,
) -> Result<(), WriteError> {
    let io = |e| WriteError::Io(out.to_path_buf(), e);
    if fs::symlink_metadata(out).is_err() {
        return mover.rename(staging, out).map_err(io);
    }
    if mover.exchange(staging, out).map_err(io)? {
        return Ok(());
    }
    mover.rename(out, retired).map_err(io)?;
    if let Err(e) = mover.rename(staging, out) {
        // Put the previous site back so readers never find it missing.
        let _ = mover.rename(retired, out);
        return Err(io(e));
    }
    Ok(())
}

/// A build killed between the two renames of a swap leaves the site moved aside and nothing
/// in its place: put the previous site back. Called before anything reads or replaces the
/// site at `out`.
pub fn repair(out: &Path) {
    let out = absolute(out);
    if fs::symlink_metadata(&out).is_ok() {
        return;
    }
    let (parent, name) = parent_and_name(&out);
    let prefix = format!(".{name}.casebook-old-");
    for (path, pid) in leftovers(&parent, &prefix) {
        if !process_alive(&pid) && is_site(&path) && fs::rename(&path, &out).is_ok() {
            return;
        }
    }
}

/// Remove the new and old folders left beside the output by builds that were killed.
fn clear_leftovers(parent: &Path, name: &str) {
    for kind in ["new", "old"] {
        for (path, pid) in leftovers(parent, &format!(".{name}.casebook-{kind}-")) {
            if !process_alive(&pid) {
                remove_tree(&path);
            }
        }
    }
}

/// The folders in `parent` whose names start with `prefix`, with the rest of their name (a
/// build's process id). Links are never listed: a link planted where a casebook folder is
/// expected is left alone.
fn leftovers(parent: &Path, prefix: &str) -> Vec<(PathBuf, String)> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let pid = name.strip_prefix(prefix)?.to_owned();
            Some((e.path(), pid))
        })
        .collect()
}

/// Remove a folder and everything in it. A link is removed, never followed; and where `dir`
/// itself is a link, nothing is done.
fn remove_tree(dir: &Path) {
    if fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        let _ = fs::remove_dir_all(dir);
    }
}

/// Write `bytes` as the new file `target`.
fn write_new(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::options()
        .write(true)
        .create_new(true)
        .open(target)?;
    file.write_all(bytes)
}

/// Whether a build with this pid may still be running (only knowable where /proc exists).
fn process_alive(pid: &str) -> bool {
    let proc = Path::new("/proc");
    proc.is_dir() && pid != std::process::id().to_string() && proc.join(pid).exists()
}

/// Whether `dir` is a folder casebook wrote.
fn is_site(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Join a site-relative path, refusing anything that could leave the folder.
pub fn safe_join(base: &Path, rel: &str) -> Result<PathBuf, WriteError> {
    let unsafe_path = rel.is_empty()
        || rel.contains('\\')
        || rel.contains(':')
        || Path::new(rel)
            .components()
            .any(|c| !matches!(c, Component::Normal(_)));
    if unsafe_path {
        return Err(WriteError::UnsafePath(rel.to_owned()));
    }
    Ok(base.join(rel))
}

fn is_empty_dir(p: &Path) -> bool {
    fs::read_dir(p)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = out
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    (parent, name)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests;
