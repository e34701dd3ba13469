//! Reading back the files a build keeps in its site for the next build (`.casebook-cache/`:
//! the browser index's pieces, the records' word counts). They are not trusted — a file cut
//! short, or left by another version, must be neither used nor a reason to stop — so every
//! field is read through [`Fields`], which answers none where the bytes do not hold it.
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
