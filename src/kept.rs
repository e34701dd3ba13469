//! Reading back the files a build keeps in its site for the next build (`.casebook-cache/`:
//! the browser index's pieces, the records' word counts and similar cases). They are not
//! trusted — a file cut short, or left by another version, must be neither used nor a reason
//! to stop — so every field is read through [`Fields`], which answers none where the bytes do
//! not hold it.
//! Kept work is named by a hash of what it was made from ([`hasher`]), as the tantivy
//! index's buckets are.

use xxhash_rust::xxh3::Xxh3;

/// A hash of `parts` in order, each with its length first (so that no two different lists
/// of parts feed it the same bytes); the caller takes a 64- or 128-bit digest.
pub fn hasher<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Xxh3 {
    let mut hasher = Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
}

/// The program that makes kept files: its version and its executable's size and time, so that
/// work kept by one build of the program is never taken by a build of other code (a version
/// number alone would not change while it is being worked on).
pub fn program() -> &'static [u8] {
    static PROGRAM: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PROGRAM.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::metadata);
        let (len, modified) = exe.map_or((0, 0), |meta| {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            (meta.len(), modified)
        });
        format!("{} {len} {modified}\n", env!("CARGO_PKG_VERSION")).into_bytes()
    })
}

/// The start of a kept file that only this program may read back: what it is (`magic`), then
/// the program ([`program`]).
pub fn header(magic: &[u8]) -> Vec<u8> {
    [magic, program()].concat()
}

/// The fields after a kept file's [`header`], if it is `magic`'s and this program's.
pub fn after_header<'a>(bytes: &'a [u8], magic: &[u8]) -> Option<Fields<'a>> {
    Some(Fields(bytes.strip_prefix(magic)?.strip_prefix(program())?))
}

/// The fields of a kept file still to be read; numbers are little-endian.
pub struct Fields<'a>(pub &'a [u8]);

impl<'a> Fields<'a> {
    /// The next `len` bytes.
    pub fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let (field, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(field)
    }

    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    pub fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    /// A text: its length in bytes, then its UTF-8.
    pub fn text(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
