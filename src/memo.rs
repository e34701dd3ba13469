//! Memos for `casebook serve`: the results of costly pure functions (segmenting a record with
//! jieba, counting its index terms, parsing a file) kept by a hash of everything they read (a
//! file by its path, size and modification time, as make and rsync know files), so a rebuild
//! after one saved file redoes that work for that file only. The output is the same
//! with or without them; a one-off `build` leaves them off and keeps no memory for them.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Keep results from now on (called by `serve`).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Whether results are kept (under `serve`).
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// A hash of the inputs a result depends on.
pub fn key(parts: &[&[u8]]) -> u64 {
    let mut h = DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

/// One function's results by input key. Entries whose input no longer occurs stay until the
/// process ends; in `serve` that is a few edited versions of a few files.
pub struct Memo<V> {
    map: Mutex<Option<HashMap<u64, Arc<V>>>>,
    /// Keep only the latest result (see [`Memo::latest_only`]).
    latest_only: bool,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo::new()
    }
}

impl<V> Memo<V> {
    pub const fn new() -> Self {
        Memo {
            map: Mutex::new(None),
            latest_only: false,
        }
    }

    /// A memo that keeps the latest result only, for results too big to keep one per version
    /// (the similarity tables of a whole library): a rebuild whose input did not change gets
    /// it again.
    pub const fn latest_only() -> Self {
        Memo {
            map: Mutex::new(None),
            latest_only: true,
        }
    }

    /// The result for the input `key` names, computed by `compute` unless it is already known.
    /// `key` is only called when results are kept (hashing a long text costs time too).
    pub fn get_or(&self, key: impl FnOnce() -> u64, compute: impl FnOnce() -> V) -> Arc<V> {
        if !enabled() {
            return Arc::new(compute());
        }
        let key = key();
        match self.get(key) {
            Some(v) => v,
            // Computed outside the lock, so other threads keep working meanwhile.
            None => self.put(key, Arc::new(compute())),
        }
    }

    /// The result kept for the input `key` names, if results are kept and it is known.
    pub fn get(&self, key: u64) -> Option<Arc<V>> {
        if !enabled() {
            return None;
        }
        self.lock().as_ref().and_then(|m| m.get(&key).cloned())
    }

    /// Keep `v` as the result for the input `key` names (if results are kept), and hand it
    /// back. A result that is held elsewhere already is kept as it is rather than copied.
    pub fn put(&self, key: u64, v: Arc<V>) -> Arc<V> {
        if !enabled() {
            return v;
        }
        let mut map = self.lock();
        let map = map.get_or_insert_with(HashMap::new);
        if self.latest_only {
            map.clear();
        }
        map.insert(key, Arc::clone(&v));
        v
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<HashMap<u64, Arc<V>>>> {
        match self.map.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_once_per_key_when_enabled() {
        static M: Memo<usize> = Memo::new();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let f = || calls.fetch_add(1, Ordering::SeqCst) + 100;
        enable();
        let a = M.get_or(|| key(&[b"x"]), f);
        let b = M.get_or(|| key(&[b"x"]), f);
        let c = M.get_or(|| key(&[b"y"]), f);
        assert_eq!((*a, *b, *c), (100, 100, 101));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn latest_only_forgets_all_but_the_last_input() {
        static M: Memo<usize> = Memo::latest_only();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let f = || calls.fetch_add(1, Ordering::SeqCst);
        enable();
        let first = M.get_or(|| key(&[b"x"]), f);
        let again = M.get_or(|| key(&[b"x"]), f);
        let other = M.get_or(|| key(&[b"y"]), f);
        let back = M.get_or(|| key(&[b"x"]), f);
        assert_eq!((*first, *again, *other, *back), (0, 0, 1, 2));
    }
}
