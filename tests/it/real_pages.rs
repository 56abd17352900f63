//! Every page of the shared corpus of real pages (`../shared/corpus/real-pages`, ~190
//! pages in several languages and encodings, kept outside the project): `extract`
//! reads each without panicking, decodes it right, and finds the headings an
//! independent reading of the parsed document finds (issue 2).
//!
//! The corpus is read in place, never copied. `ALLIANCE_AUDIT_CORPUS` points elsewhere.

use std::path::PathBuf;

use alliance_audit::config::Topics;
use alliance_audit::detect::detect;
use alliance_audit::extract::extract;
use ego_tree::NodeRef;
use scraper::{Html, Node, Selector};

fn corpus_dir() -> PathBuf {
    std::env::var_os("ALLIANCE_AUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real-pages")
        })
}

fn corpus() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "warning: no corpus at {}; set ALLIANCE_AUDIT_CORPUS to check real pages",
            dir.display()
        );
        return Vec::new();
    };
    let mut pages: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

/// The outline by PRODUCT.md's rules, read a second way: a selector for h1–h6 in
/// document order, a hidden check over ancestors, and a recursive text reader.
fn reference_headings(html: &str) -> Vec<(u8, String)> {
    let document = Html::parse_document(html);
    let selector = Selector::parse("h1, h2, h3, h4, h5, h6").unwrap();
    document
        .select(&selector)
        .filter(|h| !std::iter::once(**h).chain(h.ancestors()).any(hides))
        .filter_map(|h| {
            let mut raw = String::new();
            read_text(*h, &mut raw);
            let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            let level = h.value().name()[1..].parse().unwrap();
            (!text.is_empty()).then_some((level, text))
        })
        .collect()
}

fn hides(node: NodeRef<'_, Node>) -> bool {
    let Some(el) = node.value().as_element() else {
        return false;
    };
    let style = el
        .attr("style")
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(char::is_whitespace, "");
    matches!(el.name(), "script" | "style" | "template" | "noscript")
        || el.attr("hidden").is_some()
        || el
            .attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || style.split(';').any(|d| {
            let d = d.trim_end_matches("!important");
            d == "display:none" || d == "visibility:hidden"
        })
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

fn read_text(node: NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) if !hides(child) => {
                let block = BLOCKS.contains(&el.name());
                if block {
                    out.push(' ');
                }
                read_text(child, out);
                if block {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// Signs of text decoded with the wrong encoding.
fn looks_misdecoded(text: &str) -> bool {
    text.contains('\u{FFFD}')
        || ["Ã©", "Ã¨", "Ã¤", "Ã¶", "Ã¼", "â€™", "â€œ", "Ã³", "Ã¡", "Å‚"]
            .iter()
            .any(|m| text.contains(m))
}

#[test]
fn every_real_page_extracts_with_the_right_headings_and_encoding() {
    let topics = Topics::bundled();
    let pages = corpus();
    let mut failures = Vec::new();
    let mut headings_seen = 0;
    for path in &pages {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let page = extract(&bytes, None, None);
        let detection = detect(&page, 0, &topics);
        assert_eq!(detection.verdicts.len(), topics.topics.len(), "{name}");

        let (text, _, _) = alliance_audit::decode::decode(&bytes, None);
        let expected = reference_headings(&text);
        let got: Vec<(u8, String)> = page
            .headings
            .iter()
            .map(|h| (h.level, h.text.clone()))
            .collect();
        headings_seen += got.len();
        if got != expected {
            let first = got.iter().zip(&expected).position(|(a, b)| a != b);
            failures.push(format!(
                "{name}: headings differ ({} vs {} expected), first difference at {first:?}: {:?} vs {:?}",
                got.len(),
                expected.len(),
                first.and_then(|i| got.get(i)),
                first.and_then(|i| expected.get(i)),
            ));
        }
        let visible = page
            .title
            .iter()
            .chain(page.headings.iter().map(|h| &h.text));
        for text in visible {
            if looks_misdecoded(text) {
                failures.push(format!("{name}: looks misdecoded: {text:?}"));
                break;
            }
        }
        for menu in &page.navigation {
            assert!(!menu.items.is_empty(), "{name}: empty menu kept");
            assert!(
                menu.items.iter().all(|i| !i.label.is_empty()),
                "{name}: a menu item without label"
            );
        }
    }
    // Guards against a vacuous pass (an empty corpus or an outline that is always empty).
    assert!(
        pages.is_empty() || headings_seen > 1000,
        "only {headings_seen} headings"
    );
    assert!(
        failures.is_empty(),
        "{} of {} pages:\n{}",
        failures.len(),
        pages.len(),
        failures.join("\n")
    );
}
