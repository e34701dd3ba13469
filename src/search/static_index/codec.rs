//! How posting lists are written: document numbers ascending, delta-coded with a 4-bit weight
//! (title hit 8, plus the body count up to 7), as variable-length base-32 digits in a
//! 64-letter alphabet: a letter from the upper half means "more digits follow". A term in a
//! large share of the documents (a pair such as 网络) is written as a bitmap instead when that
//! is shorter — `!`, one letter per six documents, `!`, then its title hits as a delta-coded
//! list, or as another `!` and bitmap when that is shorter (the `yq` of every 编号) — so the
//! lists a first query loads stop growing one letter per document; such a term's body count
//! is taken as 1 (its weight in ranking is small anyway). `theme/search.js` reads the same.

/// The alphabet of every list, and of the facet codes.
pub const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";

/// Opens (and separates the parts of) a posting list written as a bitmap.
const BITMAP: char = '!';

/// Append `n` as base-32 digits, most significant first; all but the last from the upper half.
/// Every posting of the index is written here, one letter at a time.
pub fn push_number(out: &mut String, n: u64) {
    let digits = (u64::BITS - n.leading_zeros()).div_ceil(5).max(1);
    for k in (0..digits).rev() {
        let more = if k > 0 { 32 } else { 0 };
        out.push(char::from(DIGITS[((n >> (5 * k)) & 31) as usize + more]));
    }
}

/// The value of each letter of [`DIGITS`], by its byte (another byte reads as 0).
const DIGIT_VALUES: [u8; 128] = {
    let mut values = [0; 128];
    let mut i = 0;
    while i < DIGITS.len() {
        values[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    values
};

fn digit_value(b: u8) -> u64 {
    u64::from(DIGIT_VALUES[usize::from(b & 127)])
}

/// A posting list as it is built: the last document added (1-based, 0 = none) and the
/// encoded list.
#[derive(Default)]
pub struct Postings {
    last: u64,
    pub list: String,
}

impl Postings {
    /// Add document `n` (1-based, after the last one) with weight `w`.
    pub fn add(&mut self, n: u64, w: u8) {
        push_number(&mut self.list, ((n - self.last) << 4) | u64::from(w));
        self.last = n;
    }
}

/// A delta-coded posting list as (document, weight), documents from 0.
pub fn decode(list: &str) -> Vec<(usize, u8)> {
    let mut out = Vec::new();
    let (mut v, mut doc) = (0u64, 0u64);
    for b in list.bytes() {
        let d = digit_value(b);
        v = (v << 5) | (d & 31);
        if d < 32 {
            doc += v >> 4;
            out.push((doc.saturating_sub(1) as usize, (v & 15) as u8));
            v = 0;
        }
    }
    out
}

/// A term's list as the index holds it: one longer than a bitmap of all `docs` documents is
/// written as one where that is shorter.
pub fn final_list(list: String, docs: usize) -> String {
    if list.len() <= docs.div_ceil(6) + 2 {
        return list;
    }
    let dense = bitmap(&decode(&list), docs);
    match dense.len() < list.len() {
        true => dense,
        false => list,
    }
}

/// The bitmap form of a posting list over `docs` documents.
fn bitmap(postings: &[(usize, u8)], docs: usize) -> String {
    let titles: Vec<usize> = postings
        .iter()
        .filter(|(_, w)| *w >= 8)
        .map(|&(doc, _)| doc)
        .collect();
    let mut out = String::new();
    out.push(BITMAP);
    push_bits(&mut out, postings.iter().map(|&(doc, _)| doc), docs);
    out.push(BITMAP);
    let mut listed = String::new();
    let mut last = 0;
    for &doc in &titles {
        push_number(&mut listed, (doc + 1 - last) as u64);
        last = doc + 1;
    }
    if listed.len() > docs.div_ceil(6) + 1 {
        out.push(BITMAP);
        push_bits(&mut out, titles.into_iter(), docs);
    } else {
        out.push_str(&listed);
    }
    out
}

/// Documents as a bitmap, one letter per six.
fn push_bits(out: &mut String, docs_in: impl Iterator<Item = usize>, docs: usize) {
    let mut bits = vec![0u8; docs.div_ceil(6)];
    for doc in docs_in {
        if let Some(b) = bits.get_mut(doc / 6) {
            *b |= 1 << (doc % 6);
        }
    }
    out.extend(bits.iter().map(|&b| DIGITS[usize::from(b)] as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_through_the_digit_alphabet() {
        for n in [0u64, 1, 31, 32, 1000, 123_456_789] {
            let mut s = String::new();
            push_number(&mut s, n);
            let mut v = 0u64;
            for b in s.bytes() {
                let d = DIGITS.iter().position(|&x| x == b).unwrap() as u64;
                v = (v << 5) | (d & 31);
            }
            assert_eq!(v, n, "{s}");
        }
    }

    #[test]
    fn dense_lists_become_bitmaps_with_their_title_hits() {
        let postings = [(0, 9), (1, 1), (2, 3), (6, 8), (7, 2), (13, 1)];
        let mut list = Postings::default();
        for &(doc, w) in &postings {
            list.add(doc as u64 + 1, w);
        }
        assert_eq!(decode(&list.list), postings);
        // Bits 0, 1, 2 | 0, 1 (documents 6, 7) | 1 (document 13); title hits 0 and 6.
        assert_eq!(bitmap(&postings, 14), "!732!16");
        // Title hits in most documents: a second bitmap, shorter than their list.
        let all: Vec<(usize, u8)> = (0..14).map(|doc| (doc, 8)).collect();
        assert_eq!(bitmap(&all, 14), "!$$3!!$$3");
    }
}
