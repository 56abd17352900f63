//! The allocator the binary runs with, as a macro so that the benchmarks timing
//! extraction (`examples/extract_loop.rs`, `benches/extract.rs`) run with the same one:
//! extraction allocates a string for every label, link and heading, and glibc's malloc
//! costs more for each than jemalloc does, so a benchmark on another allocator measures
//! another program.

#[cfg(not(target_env = "msvc"))]
pub use tikv_jemallocator;

/// Declares jemalloc the global allocator, with the settings below, in the crate that
/// invokes it (a binary, an example, a benchmark).
///
/// jemalloc instead of the system allocator (issue 13, `benches/crawl/crawl.sh`): a
/// crawl allocates and frees a page's tree, strings and rows on a few threads per core;
/// glibc's malloc spent a tenth of the crawl's instructions on it and its threads
/// waited on each other's arenas. With jemalloc the crawl used 10–17% less CPU per page
/// at 5,000 and 10,000 pages, and less memory. Its settings, read when it starts
/// (`_RJEM_MALLOC_CONF` in the environment overrides them):
/// - two arenas (measured on two cores, one per core): the least peak memory without
///   slowing the parsers, whose small blocks come from their thread caches anyway;
/// - freed pages returned within 300 ms rather than 10 s, and at once when only
///   "muzzy": a crawl frees a page's memory every millisecond and needs it back soon;
/// - per-thread caches for blocks up to 4 KiB only: a crawl runs a dozen threads, and
///   caching larger blocks in each held 11 MB more at 10,000 pages, for no speed.
#[macro_export]
macro_rules! product_allocator {
    () => {
        #[cfg(not(target_env = "msvc"))]
        #[global_allocator]
        static ALLOCATOR: $crate::allocator::tikv_jemallocator::Jemalloc =
            $crate::allocator::tikv_jemallocator::Jemalloc;

        #[cfg(not(target_env = "msvc"))]
        #[export_name = "_rjem_malloc_conf"]
        pub static MALLOC_CONF: $crate::allocator::MallocConf = $crate::allocator::MallocConf(
            c"narenas:2,dirty_decay_ms:300,muzzy_decay_ms:0,tcache_max:4096".as_ptr(),
        );
    };
}

/// jemalloc's `const char *malloc_conf`.
#[repr(transparent)]
pub struct MallocConf(pub *const std::ffi::c_char);

// SAFETY: the pointer is to a static string, never written.
unsafe impl Sync for MallocConf {}
