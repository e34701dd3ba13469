//! A rebuild keeps the published site's copy of each page it would render again with the
//! same bytes. A page is the product of the program, the templates and its context, so a hash
//! of those names it; where the published site's page had the same hash (the site keeps them
//! in [`KEYS_FILE`]) and its file is as that site recorded it, it is kept without rendering.
//! Rendering was the longest stage of a rebuild at 10,000 records, and an edit changes the
//! context of a few pages: its record's, the lists it is in, the statistics.

use std::path::Path;
use std::sync::Mutex;

use serde_json::Value;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use super::SiteFile;
use crate::fnv::FnvMap;
use crate::kept;

/// Where a site keeps the hash of each of its pages.
pub const KEYS_FILE: &str = ".casebook-cache/page-keys.bin";

const MAGIC: &[u8] = b"casebook page keys 1\n";

/// A build's reuse of the pages of the site it replaces.
pub struct Reuse<'a> {
    /// A hash of the program and every template's name and source.
    templates: u128,
    /// The published site's page hashes, by a hash of the page's path.
    before: FnvMap<u64, u128>,
    /// Keeps the published site's files at these paths as they are; false where one is not
    /// as that site recorded it (`output::Staging::keep`).
    keep: &'a (dyn Fn(&[String]) -> bool + Sync),
    /// This build's page hashes, for the next build.
    now: Mutex<Vec<(u64, u128)>>,
}

impl<'a> Reuse<'a> {
    /// Reuse of the pages of the site published in `site`, rendered with templates whose
    /// sources hash to `templates`.
    pub fn new(
        site: &Path,
        templates: u128,
        keep: &'a (dyn Fn(&[String]) -> bool + Sync),
    ) -> Reuse<'a> {
        let templates = kept::hasher([kept::program(), &templates.to_le_bytes()]).digest128();
        let before = std::fs::read(site.join(KEYS_FILE))
            .ok()
            .and_then(|bytes| read(&bytes))
            .unwrap_or_default();
        Reuse {
            templates,
            before,
            keep,
            now: Mutex::new(Vec::new()),
        }
    }

    /// The hash of a page: its template, the context's texts and data, with the program and
    /// templates. All of it is laid out in one buffer and hashed at once: hashing each of a
    /// page's hundreds of small strings on its own cost more than the hashing itself.
    pub fn key(&self, template: &str, texts: &[&str], data: &Value) -> u128 {
        KEY_BYTES.with_borrow_mut(|bytes| {
            bytes.clear();
            let head = [&self.templates.to_le_bytes()[..], template.as_bytes()];
            for part in head.into_iter().chain(texts.iter().map(|t| t.as_bytes())) {
                put(bytes, part);
            }
            feed(bytes, data);
            xxh3_128(bytes)
        })
    }

    /// Note that page `path` has hash `key`; whether the published site's copy is kept, being
    /// that page as this build would render it.
    pub fn kept(&self, path: &str, key: u128) -> bool {
        let at = xxh3_64(path.as_bytes());
        self.lock().push((at, key));
        self.before.get(&at) == Some(&key) && (self.keep)(&[path.to_owned()])
    }

    /// The hashes of this build's pages, for the next build.
    pub fn file(&self) -> SiteFile {
        let mut keys = std::mem::take(&mut *self.lock());
        keys.sort_unstable();
        let mut bytes = kept::header(MAGIC);
        bytes.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for (at, key) in keys {
            bytes.extend_from_slice(&at.to_le_bytes());
            bytes.extend_from_slice(&key.to_le_bytes());
        }
        SiteFile {
            path: KEYS_FILE.into(),
            bytes,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(u64, u128)>> {
        self.now.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The page hashes of a keys file, if it is whole and this program's.
fn read(bytes: &[u8]) -> Option<FnvMap<u64, u128>> {
    let mut fields = kept::after_header(bytes, MAGIC)?;
    let keys = (0..fields.u32()?)
        .map(|_| Some((fields.u64()?, fields.u128()?)))
        .collect::<Option<FnvMap<u64, u128>>>()?;
    fields.is_empty().then_some(keys)
}

thread_local! {
    /// Each thread's buffer for the bytes of a page's hash, kept from page to page.
    static KEY_BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `part` with its length first.
fn put(out: &mut Vec<u8>, part: &[u8]) {
    out.extend_from_slice(&(part.len() as u64).to_le_bytes());
    out.extend_from_slice(part);
}

/// Lay `value` out in `out` for its hash: each value's kind, each string and list with its
/// length first (so no two different values give the same bytes), object keys in their
/// (sorted) order. The data Tera gets is hashed as it is, where writing it out as JSON for
/// the hash escaped every string of every page once more.
fn feed(out: &mut Vec<u8>, value: &Value) {
    let mut tagged = |kind: u8, bytes: &[u8]| {
        out.push(kind);
        put(out, bytes);
    };
    match value {
        Value::Null => tagged(0, &[]),
        Value::Bool(b) => tagged(1, &[u8::from(*b)]),
        Value::Number(n) => tagged(2, n.to_string().as_bytes()),
        Value::String(s) => tagged(3, s.as_bytes()),
        Value::Array(items) => {
            tagged(4, &(items.len() as u64).to_le_bytes());
            for item in items {
                feed(out, item);
            }
        }
        Value::Object(map) => {
            tagged(5, &(map.len() as u64).to_le_bytes());
            for (key, item) in map {
                put(out, key.as_bytes());
                feed(out, item);
            }
        }
    }
}
