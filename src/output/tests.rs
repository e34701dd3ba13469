use super::*;

use std::cell::Cell;

fn site(dir: &Path, text: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(MARKER), "casebook output folder\n").unwrap();
    fs::write(dir.join("index.html"), text).unwrap();
}

fn page(out: &Path) -> String {
    fs::read_to_string(out.join("index.html")).unwrap_or_default()
}

/// The names of what is in `dir`: what a build left beside its output.
fn names_in(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// A pid no process has (above the kernel's limit of 2^22).
const DEAD: &str = "99999999";

fn publish(out: &Path, root: &Path, text: &str) {
    let staging = Staging::begin(out, root).unwrap();
    staging
        .write(&[SiteFile {
            path: "index.html".into(),
            bytes: text.as_bytes().to_vec(),
        }])
        .unwrap();
    staging.publish().unwrap();
}

#[test]
fn a_build_replaces_the_site_and_leaves_nothing_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, root) = (tmp.path().join("site"), tmp.path().join("lib"));
    publish(&out, &root, "一");
    publish(&out, &root, "二");
    assert_eq!(page(&out), "二");
    assert_eq!(names_in(tmp.path()), ["site"]);
}

#[cfg(unix)]
#[test]
fn links_where_casebook_folders_are_expected_are_never_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, root) = (tmp.path().join("site"), tmp.path().join("lib"));
    let outside = tmp.path().join("precious");
    site(&outside, "keep");
    fs::write(outside.join("more.txt"), "keep").unwrap();
    publish(&out, &root, "一");
    for kind in ["new", "old"] {
        let link = tmp.path().join(format!(".site.casebook-{kind}-{DEAD}"));
        std::os::unix::fs::symlink(&outside, &link).unwrap();
    }
    publish(&out, &root, "二");
    assert_eq!(page(&out), "二");
    assert_eq!(page(&outside), "keep");
    assert!(outside.join("more.txt").is_file());

    // Nor is a link where the old site should be put back, nor the output itself a link.
    fs::remove_dir_all(&out).unwrap();
    repair(&out);
    assert!(
        fs::symlink_metadata(&out).is_err(),
        "a link is not put in place"
    );
    std::os::unix::fs::symlink(&outside, &out).unwrap();
    assert!(matches!(
        Staging::begin(&out, &root),
        Err(WriteError::Link(_))
    ));
    assert_eq!(page(&outside), "keep");
}

/// A build killed between the two renames of a swap leaves the old site aside and nothing
/// at the output: the next build, or [`repair`], puts it back.
#[test]
fn a_site_moved_aside_by_a_killed_build_is_put_back() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, root) = (tmp.path().join("site"), tmp.path().join("lib"));
    let aside = tmp.path().join(format!(".site.casebook-old-{DEAD}"));
    site(&aside, "旧");
    let half_written = tmp.path().join(format!(".site.casebook-new-{DEAD}"));
    site(&half_written, "半");
    repair(&out);
    assert_eq!(page(&out), "旧");
    assert!(!aside.exists());

    fs::rename(&out, &aside).unwrap();
    let staging = Staging::begin(&out, &root).unwrap();
    assert_eq!(page(&out), "旧", "put back before the build writes");
    assert!(!half_written.exists(), "a killed build's folder is cleared");
    drop(staging);
    assert_eq!(page(&out), "旧");
}

/// Renames that fail on the `fail_at`th call (from 1), and never exchange.
struct Failing {
    calls: Cell<usize>,
    fail_at: usize,
}

impl Mover for Failing {
    fn exchange(&self, _: &Path, _: &Path) -> io::Result<bool> {
        Ok(false)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.calls.set(self.calls.get() + 1);
        match self.calls.get() == self.fail_at {
            true => Err(io::Error::other("disk gone")),
            false => fs::rename(from, to),
        }
    }
}

#[test]
fn a_swap_whose_second_rename_fails_puts_the_old_site_back() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, new, retired) = (
        tmp.path().join("site"),
        tmp.path().join("new"),
        tmp.path().join("old"),
    );
    site(&out, "旧");
    site(&new, "新");
    let mover = Failing {
        calls: Cell::new(0),
        fail_at: 2,
    };
    assert!(swap(&new, &out, &retired, &mover).is_err());
    assert_eq!(page(&out), "旧");
    let works = Failing {
        calls: Cell::new(0),
        fail_at: 0,
    };
    swap(&new, &out, &retired, &works).unwrap();
    assert_eq!((page(&out), page(&retired)), ("新".into(), "旧".into()));
}

/// On the file systems Linux exchanges folders on (ext4, tmpfs, btrfs, xfs), the exchange
/// must be used; elsewhere it may say it cannot, and the two renames are used instead.
#[cfg(target_os = "linux")]
#[test]
fn the_system_exchanges_the_two_folders_in_one_step() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, new) = (tmp.path().join("site"), tmp.path().join("new"));
    site(&out, "旧");
    site(&new, "新");
    let exchanged = Renames.exchange(&new, &out).unwrap();
    if exchanged {
        assert_eq!((page(&out), page(&new)), ("新".into(), "旧".into()));
    }
    // SAFETY: the path is a NUL-terminated string and `stat` a buffer statfs fills.
    let kind = unsafe {
        use std::os::unix::ffi::OsStrExt;
        let path = std::ffi::CString::new(tmp.path().as_os_str().as_bytes()).unwrap();
        let mut stat: libc::statfs = std::mem::zeroed();
        assert_eq!(libc::statfs(path.as_ptr(), &mut stat), 0);
        stat.f_type as i64
    };
    const EXCHANGING: [i64; 4] = [0xEF53, 0x0102_1994, 0x9123_683E, 0x5846_5342];
    if EXCHANGING.contains(&kind) {
        assert!(exchanged, "file system {kind:#x} exchanges folders");
    }
}

#[test]
fn an_output_that_is_the_library_or_holds_it_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("lib");
    fs::create_dir_all(root.join("cases")).unwrap();
    for out in [root.clone(), tmp.path().to_path_buf()] {
        assert!(
            matches!(
                Staging::begin(&out, &root),
                Err(WriteError::InsideLibrary(_))
            ),
            "{}",
            out.display()
        );
    }
    assert!(root.join("cases").is_dir());
    // A folder inside the library (its `public/`, the default) is fine.
    publish(&root.join("public"), &root, "一");
    assert_eq!(page(&root.join("public")), "一");
}

#[test]
fn only_an_empty_folder_or_a_site_is_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("lib");
    let file = tmp.path().join("site.txt");
    fs::write(&file, "keep").unwrap();
    assert!(matches!(
        Staging::begin(&file, &root),
        Err(WriteError::NotASite(_))
    ));
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep");

    let folder = tmp.path().join("documents");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("report.docx"), "keep").unwrap();
    assert!(matches!(
        Staging::begin(&folder, &root),
        Err(WriteError::NotASite(_))
    ));
    assert!(folder.join("report.docx").is_file());

    let empty = tmp.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    publish(&empty, &root, "一");
    assert_eq!(page(&empty), "一");
}

#[test]
fn files_a_writer_makes_itself_are_placed_and_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, root) = (tmp.path().join("site"), tmp.path().join("lib"));
    let staging = Staging::begin(&out, &root).unwrap();
    staging
        .write(&[SiteFile {
            path: "a/index.html".into(),
            bytes: b"a".to_vec(),
        }])
        .unwrap();
    let db = staging.place("data/cases.sqlite").unwrap();
    assert!(db.parent().unwrap().is_dir(), "its folder is made");
    fs::write(&db, "db").unwrap();
    let index = staging.place_folder("_index/x").unwrap();
    assert!(index.is_dir());
    fs::write(index.join("one"), "1").unwrap();
    fs::write(index.join("two"), "2").unwrap();
    staging.made(2);
    assert_eq!(staging.count(), 4);
    assert!(staging.place("../outside").is_err());
    assert!(staging.place_folder("/abs").is_err());
    staging.publish().unwrap();
    assert_eq!(
        fs::read_to_string(out.join("data/cases.sqlite")).unwrap(),
        "db"
    );
    assert!(out.join("_index/x/two").is_file());
}

#[test]
fn a_build_that_fails_leaves_nothing_beside_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, root) = (tmp.path().join("site"), tmp.path().join("lib"));
    publish(&out, &root, "一");
    let staging = Staging::begin(&out, &root).unwrap();
    staging
        .write(&[SiteFile {
            path: "index.html".into(),
            bytes: "二".as_bytes().to_vec(),
        }])
        .unwrap();
    drop(staging);
    assert_eq!(page(&out), "一");
    assert_eq!(names_in(tmp.path()), ["site"]);
}

/// A folder beside the output whose build is still running (pid 1 always is) is not
/// another build's to clear.
#[cfg(target_os = "linux")]
#[test]
fn a_running_builds_folder_is_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, root) = (tmp.path().join("site"), tmp.path().join("lib"));
    let running = tmp.path().join(".site.casebook-new-1");
    site(&running, "写到一半");
    publish(&out, &root, "一");
    assert_eq!(page(&running), "写到一半");
}

#[test]
fn site_paths_that_could_leave_the_folder_are_refused() {
    let base = Path::new("site");
    for bad in ["", "a\\b", "c:x", "../x", "/abs", "a/../b", "./a"] {
        assert!(
            matches!(safe_join(base, bad), Err(WriteError::UnsafePath(_))),
            "{bad:?}"
        );
    }
    assert_eq!(
        safe_join(base, "cases/a.html").unwrap(),
        base.join("cases/a.html")
    );
}
