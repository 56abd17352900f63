fn main() -> std::process::ExitCode {
    tune_allocator();
    alliance_audit::cli::run()
}

/// Two settings of glibc's allocator, measured on a crawl (`benches/crawl/crawl.sh`,
/// issue 13); other allocators are left as they are.
/// - Fastbins off: glibc consolidates them whenever a larger block is asked for, and a
///   crawl asks for many small blocks between large ones (a page's tree and strings,
///   then its body). Without them a crawl spent less CPU per page at the same peak
///   memory; small blocks still come from the per-thread cache.
/// - Two arenas per core instead of eight: each thread that allocates gets an arena
///   that keeps what it freed, and a crawl's threads (runtime, parsers, store, reports)
///   left 10,000-page crawls at 64 MB peak instead of 57 MB. One per core saved a few
///   MB more but cost CPU: the threads waited for each other's arena lock.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let arenas = libc::c_int::try_from(cores.max(1) * 2).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt sets one of the allocator's parameters; it is called before any
    // other thread exists, and a refusal (0) leaves the default in place.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
