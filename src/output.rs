//! Writing the site: files go into a folder beside the output as the build produces them, and
//! that folder is swapped in only when every file is written. The folder is the site published
//! before the current one, kept for this (see [`Staging`]). A failed or killed build leaves
//! the published site as it was; leftovers of killed builds are cleared by the next build.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;

use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use crate::fnv::{FnvMap, FnvSet};
use crate::render::SiteFile;

/// Written into every output folder, so a later build knows it may replace that folder.
pub const MARKER: &str = ".casebook-site";

/// Written into every output folder: what each file of the site was when it was written (see
/// [`Manifest`]).
pub const MANIFEST: &str = ".casebook-manifest";

/// A file of the site as the build that wrote it left it: hashes of its path and bytes, its
/// size and its modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    path: u64,
    len: u64,
    content: u128,
    modified: u64,
}

impl Entry {
    const BYTES: usize = 8 + 8 + 16 + 8;
}

/// The published site's files, by the hash of their path. A rebuild links a file it would
/// write with the very bytes the published one had when it was written, without reading the
/// published copy back to compare: at 10,000 records, reading 22,000 files back cost as much
/// CPU as linking them. A published file whose size or modification time is no longer the
/// recorded one — changed since, or on a file system that sets the time later — is read and
/// compared as before.
#[derive(Default)]
struct Manifest(FnvMap<u64, Entry>);

impl Manifest {
    const MAGIC: &'static [u8] = b"casebook manifest 1\n";

    /// The manifest of the site in `out`; empty when there is none or it is not whole.
    fn read(out: &Path) -> Manifest {
        let Ok(bytes) = fs::read(out.join(MANIFEST)) else {
            return Manifest::default();
        };
        let Some(body) = bytes.strip_prefix(Self::MAGIC) else {
            return Manifest::default();
        };
        if body.len() % Entry::BYTES != 0 {
            return Manifest::default();
        }
        let entries = body.chunks_exact(Entry::BYTES).map(|b| {
            let at = |from: usize, to: usize| &b[from..to];
            let u64_at =
                |from| u64::from_le_bytes(at(from, from + 8).try_into().unwrap_or_default());
            let entry = Entry {
                path: u64_at(0),
                len: u64_at(8),
                content: u128::from_le_bytes(at(16, 32).try_into().unwrap_or_default()),
                modified: u64_at(32),
            };
            (entry.path, entry)
        });
        Manifest(entries.collect())
    }

    fn bytes(entries: &[Entry]) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::MAGIC.len() + entries.len() * Entry::BYTES);
        out.extend_from_slice(Self::MAGIC);
        for e in entries {
            out.extend_from_slice(&e.path.to_le_bytes());
            out.extend_from_slice(&e.len.to_le_bytes());
            out.extend_from_slice(&e.content.to_le_bytes());
            out.extend_from_slice(&e.modified.to_le_bytes());
        }
        out
    }
}

/// A file's modification time in nanoseconds since 1970 (0 where it cannot be told).
fn modified(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists, is not empty, and was not written by casebook.
    NotASite(PathBuf),
    /// The output folder would contain or equal the library itself.
    InsideLibrary(PathBuf),
    UnsafePath(String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotASite(p) => write!(f, "{} exists and was not made by casebook; refusing to replace it (choose another --out, or empty that folder)", p.display()),
            WriteError::InsideLibrary(p) => write!(f, "the output folder {} would replace the library or a folder containing it; choose another --out such as ./public", p.display()),
            WriteError::UnsafePath(p) => write!(f, "refusing to write `{p}` outside the output folder"),
            WriteError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

/// A site being written: a folder beside the output that files go into as the build produces
/// them (so the whole site is never held in memory), swapped in by [`Staging::publish`].
/// Dropped without publishing — the build failed — it removes itself and the published site
/// stays as it was.
///
/// The folder is the spare when there is one: the site published before the current one,
/// which its successor's build pruned to the files both share (the same file, linked). A
/// rebuild then touches only what changed: at 10,000 records, linking 29,000 unchanged files
/// into an empty folder and removing the retired site's 29,000 afterwards took a third of a
/// rebuild's time, all of it in the kernel.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    retired: PathBuf,
    spare: PathBuf,
    /// Whether the folder is the spare (it may hold files already) rather than new and empty.
    reused: bool,
    files: AtomicUsize,
    /// The published site's files.
    previous: Manifest,
    /// Whether there is a published site to link unchanged files from: a first build
    /// need not look for each of its tens of thousands of files there.
    has_published: bool,
    written: Mutex<Written>,
    published: bool,
}

/// What the new site holds so far.
#[derive(Default)]
struct Written {
    /// Every file written, for the manifest.
    entries: Vec<Entry>,
    /// Their paths, each with whether it is the published site's own file (kept or linked):
    /// those are what the retired site keeps as the next spare.
    files: FnvMap<String, bool>,
    /// Files and folders handed to writers that make them themselves.
    placed: FnvSet<String>,
}

impl Staging {
    /// Check that `out` may be replaced, clear what killed builds left, take the spare or
    /// create the folder.
    pub fn begin(out: &Path, library_root: &Path) -> Result<Staging, WriteError> {
        let out = absolute(out);
        let root = absolute(library_root);
        if root.starts_with(&out) {
            return Err(WriteError::InsideLibrary(out));
        }
        if out.exists() && !out.join(MARKER).exists() && !is_empty_dir(&out) {
            return Err(WriteError::NotASite(out));
        }
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
        restore_interrupted_swap(&parent, &name, &out);
        clear_leftovers(&parent, &name);

        let pid = std::process::id();
        let spare = parent.join(format!(".{name}.casebook-spare"));
        let dir = parent.join(format!(".{name}.casebook-new-{pid}"));
        // A rename, so that of two builds started at once only one takes it.
        let reused = spare.join(MARKER).is_file() && fs::rename(&spare, &dir).is_ok();
        if !reused {
            remove_tree(&spare);
            fs::create_dir_all(&dir).map_err(|e| WriteError::Io(dir.clone(), e))?;
            write_new(&dir.join(MARKER), b"casebook output folder\n")
                .map_err(|e| WriteError::Io(dir.join(MARKER), e))?;
        }
        Ok(Staging {
            staging: dir,
            retired: parent.join(format!(".{name}.casebook-old-{pid}")),
            spare,
            reused,
            previous: Manifest::read(&out),
            has_published: out.join(MARKER).is_file(),
            out,
            files: AtomicUsize::new(0),
            written: Mutex::new(Written::default()),
            published: false,
        })
    }

    /// Write `files` into the new site, one after another: a batch's files share a folder,
    /// and files made in one folder from several threads wait on the folder's lock (the
    /// kernel spins for it, taking a core from the build's other work).
    pub fn write(&self, files: &[SiteFile]) -> Result<(), WriteError> {
        let targets = self.targets(files.iter().map(|f| f.path.as_str()))?;
        let written = files
            .iter()
            .zip(targets.iter())
            .map(|(f, target)| {
                let mut entry = Entry {
                    path: xxh3_64(f.path.as_bytes()),
                    len: f.bytes.len() as u64,
                    content: xxh3_128(&f.bytes),
                    modified: 0,
                };
                let io = |e| WriteError::Io(target.clone(), e);
                let (modified, shared) = match self.kept(&entry, target) {
                    Some(modified) => (modified, true),
                    None => {
                        self.clear(target).map_err(io)?;
                        match self.link_unchanged(&f.path, &f.bytes, &entry, target) {
                            Some(modified) => (modified, true),
                            None => (write_new(target, &f.bytes).map_err(io)?, false),
                        }
                    }
                };
                entry.modified = modified;
                Ok((entry, shared))
            })
            .collect::<Result<Vec<(Entry, bool)>, WriteError>>()?;
        self.record(files.iter().map(|f| f.path.clone()), written);
        Ok(())
    }

    /// The modification time of the file the spare already holds at `target`, if it is the
    /// file the published site recorded with these very bytes (the spare's files are the
    /// published site's, linked): then there is nothing to write.
    fn kept(&self, new: &Entry, target: &Path) -> Option<u64> {
        if !self.reused {
            return None;
        }
        let old = self.previous.0.get(&new.path)?;
        if old.len != new.len || old.content != new.content {
            return None;
        }
        as_recorded(target, old)
    }

    /// Where the site files `paths` go in the new site, their folders made.
    fn targets<'p>(
        &self,
        paths: impl Iterator<Item = &'p str>,
    ) -> Result<Vec<PathBuf>, WriteError> {
        let targets: Vec<PathBuf> = paths
            .map(|path| safe_join(&self.staging, path))
            .collect::<Result<_, _>>()?;
        let mut dirs: Vec<&Path> = Vec::new();
        for dir in targets.iter().filter_map(|t| t.parent()) {
            if !dirs.contains(&dir) {
                fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
                dirs.push(dir);
            }
        }
        Ok(targets)
    }

    /// Remove what the spare holds at `target`, to make way for a new file or folder there.
    /// The spare's files are the published site's too: they are unlinked, never written into.
    fn clear(&self, target: &Path) -> io::Result<()> {
        if !self.reused {
            return Ok(());
        }
        match fs::symlink_metadata(target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
            Ok(meta) if meta.is_dir() => {
                remove_tree(target);
                Ok(())
            }
            Ok(_) => fs::remove_file(target),
        }
    }

    /// If the published site has this file with these very bytes, link it into the new site
    /// instead of writing it, and return its modification time. Creating and deleting tens
    /// of thousands of files is most of what writing a site costs (the file system allocates
    /// an inode for each, and skips recently freed ones), and most files of a rebuild are
    /// unchanged: a link shares the published file's inode. Published files are never written
    /// to, so sharing them is safe; where links are not supported (some network shares) the
    /// file is written as usual.
    fn link_unchanged(&self, path: &str, bytes: &[u8], new: &Entry, target: &Path) -> Option<u64> {
        if !self.has_published {
            return None;
        }
        let published = safe_join(&self.out, path).ok()?;
        // Only a plain file of the same size can be the same (never follow a link).
        let meta = fs::symlink_metadata(&published).ok()?;
        if !meta.is_file() || meta.len() != new.len {
            return None;
        }
        let modified = modified(&meta);
        let recorded = self.previous.0.get(&new.path);
        let same = recorded.is_some_and(|old| {
            old.len == new.len && old.content == new.content && old.modified == modified
        }) || fs::read(&published).is_ok_and(|old| old == bytes);
        (same && fs::hard_link(&published, target).is_ok()).then_some(modified)
    }

    /// Keep the published site's files at `paths` in the new site as they are, for a writer
    /// that knows they would be made with the same bytes (from the same inputs): they need not
    /// be made at all. False, keeping none, where one of them is not as the published site's
    /// manifest recorded it; then the writer makes them all.
    pub fn keep(&self, paths: &[String]) -> Result<bool, WriteError> {
        let targets = self.targets(paths.iter().map(String::as_str))?;
        // First every file is checked, so that a false leaves the new site's files as they were.
        let found: Option<Vec<(Entry, bool)>> = paths
            .par_iter()
            .zip(&targets)
            .map(|(path, target)| {
                let recorded = self.previous.0.get(&xxh3_64(path.as_bytes()))?;
                if self.reused && as_recorded(target, recorded).is_some() {
                    return Some((*recorded, true));
                }
                as_recorded(&safe_join(&self.out, path).ok()?, recorded).map(|_| (*recorded, false))
            })
            .collect();
        let Some(found) = found else {
            return Ok(false);
        };
        let kept = paths
            .par_iter()
            .zip(found)
            .zip(&targets)
            .map(|((path, (mut entry, in_spare)), target)| {
                if in_spare {
                    return Ok((entry, true));
                }
                let io = |e| WriteError::Io(target.clone(), e);
                self.clear(target).map_err(io)?;
                let published = safe_join(&self.out, path)?;
                if fs::hard_link(&published, target).is_ok() {
                    return Ok((entry, true));
                }
                // Where links are not supported, a copy (a new file, with its own time).
                let bytes = fs::read(&published).map_err(|e| WriteError::Io(published, e))?;
                entry.modified = write_new(target, &bytes).map_err(io)?;
                Ok((entry, false))
            })
            .collect::<Result<Vec<(Entry, bool)>, WriteError>>()?;
        self.record(paths.iter().cloned(), kept);
        Ok(true)
    }

    /// Count files written into the new site, with their entries for the manifest.
    fn record(&self, paths: impl Iterator<Item = String>, written: Vec<(Entry, bool)>) {
        self.files.fetch_add(written.len(), Ordering::Relaxed);
        let mut site = self.lock();
        for (path, (entry, shared)) in paths.zip(written) {
            site.entries.push(entry);
            site.files.insert(path, shared);
        }
    }

    /// Where the site file `path` goes, for a writer that makes the file itself (the SQLite
    /// export); its folder is created and it counts as written.
    pub fn place(&self, path: &str) -> Result<PathBuf, WriteError> {
        let target = safe_join(&self.staging, path)?;
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
        }
        self.clear(&target)
            .map_err(|e| WriteError::Io(target.clone(), e))?;
        self.lock().placed.insert(path.to_owned());
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(target)
    }

    /// Where the site folder `path` goes, for a writer that fills it itself (the tantivy
    /// index); it is created empty, and the writer says how many files it made
    /// ([`Staging::made`]).
    pub fn place_folder(&self, path: &str) -> Result<PathBuf, WriteError> {
        let target = safe_join(&self.staging, path)?;
        self.clear(&target)
            .map_err(|e| WriteError::Io(target.clone(), e))?;
        fs::create_dir_all(&target).map_err(|e| WriteError::Io(target.clone(), e))?;
        self.lock().placed.insert(path.to_owned());
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

    /// Write the manifest and swap the new site in. What the spare held that the new site
    /// does not (records gone or withheld since) is removed first; the previous site is kept
    /// as the next spare, pruned to the files the new site shares with it, so that nothing
    /// beside the output holds what the new site does not.
    pub fn publish(mut self) -> Result<PathBuf, WriteError> {
        let site = std::mem::take(&mut *self.lock());
        if self.reused {
            prune(&self.staging, "", &|path, is_dir| match is_dir {
                true => site.placed.contains(path),
                false => {
                    path == MARKER || site.files.contains_key(path) || site.placed.contains(path)
                }
            });
        }
        let manifest = self.staging.join(MANIFEST);
        write_new(&manifest, &Manifest::bytes(&site.entries))
            .map_err(|e| WriteError::Io(manifest, e))?;
        swap(&self.staging, &self.out, &self.retired)?;
        self.published = true;
        prune(&self.retired, "", &|path, is_dir| {
            !is_dir && (path == MARKER || site.files.get(path) == Some(&true))
        });
        if fs::rename(&self.retired, &self.spare).is_err() {
            remove_tree(&self.retired);
        }
        Ok(self.out.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Written> {
        self.written
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            remove_tree(&self.staging);
        }
    }
}

/// The modification time of `file` if it is a plain file (never a link followed) of the size
/// and time `recorded`: the file the build that recorded it wrote.
fn as_recorded(file: &Path, recorded: &Entry) -> Option<u64> {
    let meta = fs::symlink_metadata(file).ok()?;
    let modified = modified(&meta);
    (meta.is_file() && meta.len() == recorded.len && modified == recorded.modified)
        .then_some(modified)
}

/// Write `bytes` as the new file `target` (never into a file already there: it may be a
/// published one); its modification time.
fn write_new(target: &Path, bytes: &[u8]) -> io::Result<u64> {
    let mut file = fs::File::options()
        .write(true)
        .create_new(true)
        .open(target)?;
    file.write_all(bytes)?;
    Ok(modified(&file.metadata()?))
}

/// Move the finished site into place; the previous one is moved aside first.
fn swap(staging: &Path, out: &Path, retired: &Path) -> Result<(), WriteError> {
    if out.exists() {
        fs::rename(out, retired).map_err(|e| WriteError::Io(out.to_path_buf(), e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        // Put the previous site back so readers never find it missing.
        let _ = fs::rename(retired, out);
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    Ok(())
}

/// A build killed between its two renames leaves the site moved aside and nothing in its
/// place: put the previous site back before anything else.
fn restore_interrupted_swap(parent: &Path, name: &str, out: &Path) {
    if out.exists() {
        return;
    }
    let prefix = format!(".{name}.casebook-old-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = file_name.strip_prefix(&prefix) {
            if !process_alive(pid) && fs::rename(entry.path(), out).is_ok() {
                return;
            }
        }
    }
}

/// Remove staging and retired folders left by builds that were killed.
fn clear_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.casebook-new-"),
        format!(".{name}.casebook-old-"),
    ];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        if !process_alive(pid) {
            remove_tree(&entry.path());
        }
    }
}

/// Remove a folder and everything in it.
fn remove_tree(dir: &Path) {
    prune(dir, "", &|_, _| false);
    let _ = fs::remove_dir(dir);
}

/// Remove from the folder `dir`, whose path in the site is `rel`, everything `keep` does not
/// keep, given its path in the site and whether it is a folder: a folder kept is left whole,
/// another is pruned and removed if that empties it. On every core: a site is tens of
/// thousands of files, and removing them one by one was once the last step of every build.
/// Links are removed, never followed. What cannot be removed is left.
fn prune(dir: &Path, rel: &str, keep: &(dyn Fn(&str, bool) -> bool + Sync)) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<fs::DirEntry> = entries.flatten().collect();
    entries.par_iter().for_each(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = match rel.is_empty() {
            true => name.into_owned(),
            false => format!("{rel}/{name}"),
        };
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if keep(&path, is_dir) {
            return;
        }
        if is_dir {
            prune(&entry.path(), &path, keep);
            let _ = fs::remove_dir(entry.path());
        } else {
            let _ = fs::remove_file(entry.path());
        }
    });
}

/// Whether a build with this pid may still be running (only knowable where /proc exists).
fn process_alive(pid: &str) -> bool {
    let proc = Path::new("/proc");
    proc.is_dir() && pid != std::process::id().to_string() && proc.join(pid).exists()
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

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files a writer asks to keep are kept only while they are as the published site's
    /// manifest recorded them; keeping none of a list leaves the new site as it was.
    #[test]
    fn files_are_kept_only_as_the_manifest_recorded_them() {
        let tmp = tempfile::tempdir().unwrap();
        let (out, root) = (tmp.path().join("site"), tmp.path().join("lib"));
        let file = |path: &str, text: &str| SiteFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        };
        let first = Staging::begin(&out, &root).unwrap();
        first
            .write(&[file("a/x.js", "甲"), file("b.js", "乙")])
            .unwrap();
        first.publish().unwrap();

        let paths = ["a/x.js", "b.js"].map(String::from);
        let second = Staging::begin(&out, &root).unwrap();
        assert!(!second.keep(&["a/x.js".into(), "c.js".into()]).unwrap());
        assert!(second.keep(&paths).unwrap());
        second.publish().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/x.js")).unwrap(), "甲");
        assert_eq!(fs::read_to_string(out.join("b.js")).unwrap(), "乙");

        // Changed since it was written (another time): not kept.
        let day = std::time::Duration::from_secs(86_400);
        fs::File::options()
            .write(true)
            .open(out.join("b.js"))
            .and_then(|f| f.set_modified(SystemTime::UNIX_EPOCH + day))
            .unwrap();
        let third = Staging::begin(&out, &root).unwrap();
        assert!(!third.keep(&paths).unwrap());
        assert!(third.keep(&paths[..1]).unwrap());
        third.publish().unwrap();
        assert!(out.join("a/x.js").is_file() && !out.join("b.js").exists());
    }

    #[cfg(unix)]
    #[test]
    fn removing_a_tree_removes_links_but_not_what_they_point_to() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("keep.txt"), "keep").unwrap();
        let tree = tmp.path().join("tree");
        fs::create_dir_all(tree.join("a/b")).unwrap();
        for n in 0..50 {
            fs::write(tree.join(format!("a/b/{n}.html")), "x").unwrap();
        }
        fs::write(tree.join("top.html"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("a/link")).unwrap();
        remove_tree(&tree);
        assert!(!tree.exists());
        assert!(outside.join("keep.txt").is_file());
    }
}
