//! Extraction cost against parsing alone, on the fixture pages (issue 2).
//!
//! `parse_only` is the parse extraction starts with (`extract::parse`, scraper's tree),
//! the floor any extraction pays; `parse_html5ever` the same tree from html5ever's own
//! tokenizer;
//! `extract_and_detect` is the whole per-page pipeline on the same text (menus,
//! headings, body text, links, then detection with the bundled topics);
//! `decode_extract_and_detect` adds charset decoding from bytes. The README reports
//! `extract_and_detect / parse_only`. Run: `cargo bench --bench extract`.

use std::path::PathBuf;

use alliance_audit::config::Topics;
use alliance_audit::detect::Detector;
use alliance_audit::extract::{extract, extract_text};
use divan::{black_box, Bencher};

// The binary's allocator: extraction allocates a string for every label, link and
// heading, so the allocator is part of what is timed.
#[cfg(not(system_alloc))]
alliance_audit::product_allocator!();

fn main() {
    divan::main();
}

fn fixture_pages() -> Vec<(Vec<u8>, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let text = alliance_audit::decode::decode(&bytes, None).0.into_owned();
            (bytes, text)
        })
        .collect()
}

#[divan::bench]
fn parse_only(bencher: Bencher) {
    let pages = fixture_pages();
    bencher.bench_local(|| {
        for (_, text) in &pages {
            black_box(alliance_audit::extract::parse(black_box(text)));
        }
    });
}

/// html5ever's parse with its own tokenizer, which `parse_only`'s replaces for most pages.
#[divan::bench]
fn parse_html5ever(bencher: Bencher) {
    let pages = fixture_pages();
    bencher.bench_local(|| {
        for (_, text) in &pages {
            black_box(alliance_audit::extract::parse_with_html5ever(black_box(
                text,
            )));
        }
    });
}

#[divan::bench]
fn extract_and_detect(bencher: Bencher) {
    let pages = fixture_pages();
    let detector = Detector::new(&Topics::bundled());
    bencher.bench_local(|| {
        for (_, text) in &pages {
            let page = extract_text(black_box(text), None);
            black_box(detector.detect(&page, 0));
        }
    });
}

#[divan::bench]
fn decode_extract_and_detect(bencher: Bencher) {
    let pages = fixture_pages();
    let detector = Detector::new(&Topics::bundled());
    bencher.bench_local(|| {
        for (bytes, _) in &pages {
            let page = extract(black_box(bytes), None, None);
            black_box(detector.detect(&page, 0));
        }
    });
}
