//! Which names may become file names and URLs of the site: ids, page names, terms.

/// Ids go into URLs and file names, so they are restricted to a safe alphabet.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !reserved_on_windows(id)
}

/// Record ids that are the names of the case list's own pages (`cases/index.html`,
/// `cases/page-2.html`), in any case: a record there would replace the list.
pub fn reserved_record_id(id: &str) -> bool {
    let id = id.to_ascii_lowercase();
    id == "index"
        || id
            .strip_prefix("page-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The longest name, in bytes, that becomes a file name. File systems limit a name to 255
/// bytes (not characters: a Chinese character takes 3 or 4), and Windows limits a whole path.
pub const NAME_BYTES: usize = 120;

/// File stems of free pages and templates become file names and URLs: letters of any script,
/// digits, `-` and `_`, so nothing needs escaping and nothing can climb out of a folder.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= NAME_BYTES
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !reserved_on_windows(name)
}

/// Whether `name` can be a file name as it is, on every system the site is opened on: lower-
/// case ASCII letters, digits, `-`, `_` and Han characters (which have no letter case and no
/// second spelling a file system could merge them with), within [`NAME_BYTES`]. Windows and
/// macOS store `Дом` and `дом`, or `Case` and `case`, in one file; other names are hashed.
pub fn plain_file_name(name: &str) -> bool {
    let han = |c: char| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x2F7FF | 0x30000..=0x323AF);
    valid_name(name)
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' || han(c))
}

/// Names Windows will not open as files (CON, NUL, COM1 … in any case): the site is often
/// opened from a shared drive, so no output file may be called that.
pub fn reserved_on_windows(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let base = upper.split('.').next().unwrap_or("");
    matches!(base, "CON" | "PRN" | "AUX" | "NUL")
        || (base.len() == 4
            && (base.starts_with("COM") || base.starts_with("LPT"))
            && base.as_bytes()[3].is_ascii_digit()
            && base.as_bytes()[3] != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_no_file_system_can_merge_or_refuse_are_plain() {
        for name in ["噪音", "schools", "g20-峰会", "𠀀", "a_1"] {
            assert!(plain_file_name(name), "{name}");
        }
        let long = "𠀀".repeat(64);
        for name in [
            "Дом", "дом", "Case", "σ", "ς", "é", "\u{f900}", "a b", "nul", &long,
        ] {
            assert!(!plain_file_name(name), "{name}");
        }
        assert!(!valid_name(&long), "256 bytes");
        assert!(valid_name(&"噪".repeat(40)), "120 bytes");
    }

    #[test]
    fn the_case_lists_own_page_names_are_not_record_ids() {
        for id in ["index", "INDEX", "page-2", "Page-10"] {
            assert!(reserved_record_id(id), "{id}");
        }
        for id in ["YQ-2024-0031", "page-", "page-x", "indexes", "page2"] {
            assert!(!reserved_record_id(id), "{id}");
        }
    }
}
