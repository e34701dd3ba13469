//! The posting lists cut into files: `search/s/N.js` holds the lists of the terms whose hash
//! falls in shard N, so a query loads only the shards of its own terms; a list longer than
//! [`Layout::list_bytes`] gets a file of its own, `search/l/N.js`, which its shard names by
//! number: in a shard it would be loaded by every query for the rarer terms that share it.

use compact_str::CompactString;
use rayon::prelude::*;

use super::{Layout, DIR};
use crate::render::{script_json, SiteFile};

/// FNV-1a over the term's UTF-8 bytes: the browser computes the same.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards
}

/// A term and its (final) posting list.
type Entry = (CompactString, String);

/// How many shard or list files are made at a time and handed to `emit`: each shard's lists
/// are freed as its file is made, so the lists and the files are never all held at once.
const FILES_AT_ONCE: usize = 64;

/// Write the shard and list files of `lists` (each term with its final list) through `emit`;
/// the number of shards, which the browser needs to find a term's shard.
pub fn write(lists: Vec<Entry>, layout: Layout, emit: &(dyn Fn(Vec<SiteFile>) + Sync)) -> u32 {
    let is_own = |list: &str| list.len() > layout.list_bytes;
    // A list with a file of its own is written in its shard as its number (8 bytes or so).
    let total: usize = lists
        .iter()
        .map(|(term, list)| term.len() + 6 + if is_own(list) { 8 } else { list.len() })
        .sum();
    let shards = (total / layout.shard_bytes.max(1))
        .max(1)
        .next_power_of_two() as u32;
    let mut by_shard: Vec<Vec<Entry>> = vec![Vec::new(); shards as usize];
    let mut own: Vec<Entry> = Vec::new();
    for (term, list) in lists {
        let shard = &mut by_shard[shard_of(&term, shards) as usize];
        match is_own(&list) {
            true => {
                shard.push((term.clone(), String::new()));
                own.push((term, list));
            }
            false => shard.push((term, list)),
        }
    }
    own.par_sort_unstable();
    let own_terms: Vec<&str> = own.iter().map(|(term, _)| term.as_str()).collect();
    let mut by_shard = by_shard.into_iter().enumerate();
    loop {
        let group: Vec<(usize, Vec<Entry>)> = by_shard.by_ref().take(FILES_AT_ONCE).collect();
        if group.is_empty() {
            break;
        }
        emit(
            group
                .into_par_iter()
                .map(|(k, mut entries)| {
                    entries.sort_unstable();
                    shard_file(k, &entries, &own_terms)
                })
                .collect(),
        );
    }
    for (start, group) in own.chunks(FILES_AT_ONCE).enumerate() {
        let first = start * FILES_AT_ONCE;
        emit(
            group
                .par_iter()
                .enumerate()
                .map(|(n, (_, list))| list_file(first + n, list))
                .collect(),
        );
    }
    shards
}

/// Shard `k`'s file, of its entries in term order; an entry whose list has a file of its own
/// (`own`, in term order) has an empty list, and the shard names the file's number instead.
fn shard_file(k: usize, entries: &[Entry], own: &[&str]) -> SiteFile {
    let mut js = format!("casebook.shard({k},{{");
    for (i, (term, list)) in entries.iter().enumerate() {
        if i > 0 {
            js.push(',');
        }
        js.push_str(&script_json(&term.as_str()));
        js.push(':');
        // Lists are letters of the codec's alphabet: nothing to escape.
        match list.is_empty() {
            true => {
                let n = own.partition_point(|t| *t < term.as_str());
                js.push_str(&n.to_string());
            }
            false => {
                js.push('"');
                js.push_str(list);
                js.push('"');
            }
        }
    }
    js.push_str("});\n");
    SiteFile {
        path: format!("{DIR}/s/{k}.js"),
        bytes: js.into_bytes(),
    }
}

/// The file of the list numbered `n`.
fn list_file(n: usize, list: &str) -> SiteFile {
    SiteFile {
        path: format!("{DIR}/l/{n}.js"),
        bytes: format!("casebook.list({n},{});\n", script_json(&list)).into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_get_files_of_their_own_named_by_their_shard() {
        let layout = Layout {
            shard_bytes: 16,
            list_bytes: 4,
        };
        let lists = vec![
            ("甲".into(), "12".into()),
            ("乙".into(), "123456".into()),
            ("丙".into(), "1234567".into()),
        ];
        let made = std::sync::Mutex::new(Vec::new());
        let shards = write(lists, layout, &|files| made.lock().unwrap().extend(files));
        let files = made.into_inner().unwrap();
        let text = |path: &str| {
            let f = files.iter().find(|f| f.path == path).expect(path);
            String::from_utf8(f.bytes.clone()).unwrap()
        };
        // 乙 < 丙 in term (byte) order: 丙 is list 0, 乙 list 1.
        assert!("丙" < "乙");
        assert_eq!(text("search/l/0.js"), "casebook.list(0,\"1234567\");\n");
        assert_eq!(text("search/l/1.js"), "casebook.list(1,\"123456\");\n");
        let shard = |t: &str| text(&format!("search/s/{}.js", shard_of(t, shards)));
        assert!(shard("甲").contains("\"甲\":\"12\""));
        assert!(shard("乙").contains("\"乙\":1"));
        assert!(shard("丙").contains("\"丙\":0"));
        assert_eq!(files.len(), shards as usize + 2);
    }
}
