fn main() -> std::process::ExitCode {
    alliance_audit::cli::run()
}

// jemalloc, with the crawl's settings (see `alliance_audit::product_allocator`).
alliance_audit::product_allocator!();
