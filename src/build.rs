//! Writes jieba's dictionary (`src/text/jieba_dict.txt`) grouped by each word's first
//! character, for `text::segmenter`: a build narrows the dictionary to the characters of its
//! library, and with the words grouped it passes over every group whose first character the
//! library lacks without reading its words, instead of parsing all 349,000 lines each time.
//!
//! The file (`$OUT_DIR/jieba_dict.bin`, numbers little-endian) is a run of groups, in the
//! order their first characters first appear in the dictionary, each word keeping its place
//! within its group: the first character (u32), the sum of the group's frequencies (u64), the
//! byte length of its words (u32), then each word's byte length (u8), its UTF-8 bytes and its
//! frequency (u32).

use std::collections::HashMap;
use std::path::Path;

const DICT: &str = "src/text/jieba_dict.txt";

fn main() {
    println!("cargo::rerun-if-changed={DICT}");
    println!("cargo::rerun-if-changed=src/build.rs");
    let text = std::fs::read_to_string(DICT).unwrap_or_else(|e| panic!("reading {DICT}: {e}"));
    let mut groups: Vec<(char, u64, Vec<u8>)> = Vec::new();
    let mut group_of: HashMap<char, usize> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let mut fields = line.split_ascii_whitespace();
        let (Some(word), Some(freq)) = (fields.next(), fields.next()) else {
            continue;
        };
        let freq: u32 = freq
            .parse()
            .unwrap_or_else(|e| panic!("{DICT}:{}: frequency `{freq}`: {e}", n + 1));
        let len = u8::try_from(word.len())
            .unwrap_or_else(|_| panic!("{DICT}:{}: a word of over 255 bytes", n + 1));
        let first = word.chars().next().unwrap_or_default();
        let g = *group_of.entry(first).or_insert_with(|| {
            groups.push((first, 0, Vec::new()));
            groups.len() - 1
        });
        let (_, sum, words) = &mut groups[g];
        *sum += u64::from(freq);
        words.push(len);
        words.extend_from_slice(word.as_bytes());
        words.extend_from_slice(&freq.to_le_bytes());
    }
    let mut out = Vec::new();
    for (first, sum, words) in &groups {
        out.extend_from_slice(&u32::from(*first).to_le_bytes());
        out.extend_from_slice(&sum.to_le_bytes());
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        out.extend_from_slice(words);
    }
    let dir = std::env::var_os("OUT_DIR").unwrap_or_else(|| panic!("cargo sets OUT_DIR"));
    let path = Path::new(&dir).join("jieba_dict.bin");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}
