//! Helpers shared by the integration tests: fixture copies, builds, reading the output.
#![allow(dead_code)]

pub mod browser;
pub mod server;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use casebook::{BuildOptions, BuildReport, Failure};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Run the casebook binary with `args` and `--root ROOT`.
pub fn casebook(args: &[&str], root: &Path) -> std::process::Output {
    command()
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run casebook")
}

/// The `casebook` command as a clerk's machine runs it: no English locale in the environment
/// (the tests read its Chinese; `--lang en` and `LANG=en…` are tested on purpose).
pub fn command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"));
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(var);
    }
    command
}

/// A scratch copy of a fixture library, so tests can break it without touching the original.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn of(name: &str) -> Scratch {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixture(name), &dir.path().join("lib"));
        Scratch { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("lib")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            out: Some(self.out()),
            now: Some("2024-08-01T00:00:00".into()),
            ..BuildOptions::new(self.root())
        }
    }

    pub fn build(&self) -> Result<BuildReport, Failure> {
        casebook::build(&self.options())
    }

    pub fn built(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(e) => panic!("build failed:\n{e}"),
        }
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file below `dir` with its bytes, to compare a folder before and after.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("prefix").to_path_buf(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// The site's files without the tantivy index (its segment names differ from build to build).
pub fn comparable(site: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(site);
    files.retain(|p, _| !p.starts_with("_index"));
    files
}

/// Assert that `text` contains every one of `parts`.
pub fn assert_contains_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part} not in\n{text}");
    }
}

/// What a published file says, for leak checks: a zipped document (.xlsx, .docx) is its
/// entries' text, anything else its bytes read as UTF-8.
pub fn readable(bytes: &[u8]) -> String {
    if !bytes.starts_with(b"PK\x03\x04") {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a whole zip file");
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("zip entry");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("unzip");
        text.push_str(&String::from_utf8_lossy(&bytes));
    }
    text
}

/// The headlines of a failed build's diagnostics.
pub fn failure_lines(result: Result<BuildReport, Failure>) -> Vec<String> {
    match result {
        Ok(_) => panic!("the build should have failed"),
        Err(Failure::Invalid(d)) => d.iter().map(|d| d.to_string()).collect(),
        Err(e) => panic!("unexpected failure: {e}"),
    }
}

/// The text of `<dd data-figure="NAME">` or `<td data-figure="NAME">`.
pub fn figure(html: &str, name: &str) -> String {
    let marker = format!("data-figure=\"{name}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no figure {name}"))
        + marker.len();
    let end = start + html[start..].find('<').expect("closing tag");
    html[start..end].to_owned()
}

/// The rows of the table with `id`, each as its cells' text (tags stripped).
pub fn table(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = start + html[start..].find("</table>").expect("table end");
    let body = &html[start..end];
    let body = &body[body.find("<tbody>").map_or(0, |i| i + 7)..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("</t")
                .filter_map(|cell| cell.rfind("<t").map(|i| &cell[i..]))
                .map(strip_tags)
                .collect()
        })
        .collect()
}

pub fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The XML of the part `name` (`word/document.xml`) of a zipped document.
pub fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a whole zip file");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut text).expect("read");
    text
}

/// The tables of a Word document's XML, each as rows of cells' text.
pub fn word_tables(xml: &str) -> Vec<Vec<Vec<String>>> {
    xml.split("<w:tbl>")
        .skip(1)
        .map(|table| {
            let table = &table[..table.find("</w:tbl>").unwrap_or(table.len())];
            table
                .split("<w:tr>")
                .skip(1)
                .map(|row| row.split("<w:tc>").skip(1).map(word_text).collect())
                .collect()
        })
        .collect()
}

/// The text of the `<w:t>` runs in a piece of Word XML, joined.
pub fn word_text(xml: &str) -> String {
    xml.split("<w:t")
        .skip(1)
        .filter_map(|run| {
            let open = run.find('>')?;
            let close = run.find("</w:t>")?;
            (run.starts_with('>') || run.starts_with(' ')).then(|| run[open + 1..close].to_owned())
        })
        .collect::<String>()
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}
