//! Runs extraction (or parsing alone) over saved pages in a loop, for instruction
//! counts under valgrind: `benches/extract_instructions.sh` drives it.
//!
//! `MODE=parse|html5ever|full ROUNDS=n extract_loop PAGE...` (`html5ever`: the parse with
//! html5ever's own tokenizer, which `parse` replaces for most pages). `MODE=dump` prints
//! each page's extraction and detection in full (body text and link hints included),
//! to check that a change meant to be faster changes nothing: diff two builds' dumps.

use alliance_audit::config::Topics;
use alliance_audit::detect::Detector;
use alliance_audit::extract::extract_text;

// The binary's allocator, so that the counts are the crawl's; `--cfg system_alloc`
// builds with the system one (`SYSTEM_ALLOC=1 benches/extract_instructions.sh`).
#[cfg(not(system_alloc))]
alliance_audit::product_allocator!();

fn main() {
    let mode = std::env::var("MODE").unwrap_or_default();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let detector = Detector::new(&Topics::bundled());
    let pages: Vec<String> = std::env::args()
        .skip(1)
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a readable page");
            alliance_audit::decode::decode(&bytes, None).0.into_owned()
        })
        .collect();
    for _ in 0..rounds {
        for text in &pages {
            match mode.as_str() {
                "parse" => {
                    std::hint::black_box(alliance_audit::extract::parse(text));
                }
                "html5ever" => {
                    std::hint::black_box(alliance_audit::extract::parse_with_html5ever(text));
                }
                "dump" => {
                    let url = url::Url::parse("https://www.example.org/section/page/").ok();
                    let page = extract_text(text, url.as_ref());
                    let detection = detector.detect(&page, 1);
                    println!("{page:#?}\n{detection:#?}");
                }
                _ => {
                    let page = extract_text(text, None);
                    std::hint::black_box(detector.detect(&page, 0));
                }
            }
        }
    }
}
