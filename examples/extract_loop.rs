//! Runs extraction (or parsing alone) over saved pages in a loop, for instruction
//! counts under valgrind: `benches/extract_instructions.sh` drives it.
//!
//! `MODE=parse|full ROUNDS=n extract_loop PAGE...`

use alliance_audit::config::Topics;
use alliance_audit::detect::Detector;
use alliance_audit::extract::extract_text;

fn main() {
    let full = std::env::var("MODE").as_deref() != Ok("parse");
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
            if full {
                let page = extract_text(text, None);
                std::hint::black_box(detector.detect(&page, 0));
            } else {
                std::hint::black_box(alliance_audit::extract::parse(text));
            }
        }
    }
}
