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

/// File stems of free pages and templates become file names and URLs: letters of any script,
/// digits, `-` and `_`, so nothing needs escaping and nothing can climb out of a folder.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !reserved_on_windows(name)
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
    fn the_case_lists_own_page_names_are_not_record_ids() {
        for id in ["index", "INDEX", "page-2", "Page-10"] {
            assert!(reserved_record_id(id), "{id}");
        }
        for id in ["YQ-2024-0031", "page-", "page-x", "indexes", "page2"] {
            assert!(!reserved_record_id(id), "{id}");
        }
    }
}
