//! How the program takes memory from the system. Every binary of the crate (the command line,
//! the benchmarks, the tests) uses the same allocator, so what the benchmarks measure is what
//! a user runs.

/// A build allocates and frees millions of small strings and values across threads (Tera
/// contexts, page text, index terms); mimalloc's thread-local heaps spend far less time on
/// that than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turn transparent huge pages off for this process. mimalloc asks for them on its arenas,
/// and the kernel then faults in and zeroes 2 MB at a time wherever a thread's heap first
/// touches a page: at 10,000 records that made the peak memory 450–500 MB instead of
/// 380 MB and had the kernel spend ~8 % of the build's CPU clearing pages (system time
/// 1.5–2.0 s against 1.4–1.5 s). Call it first thing; where the kernel does not know the
/// setting nothing changes.
pub fn small_pages_only() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
