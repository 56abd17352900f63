//! The hand-written fixture pages of `fixtures/pages/` against the facts a person expects
//! of them (`fixtures/pages/expected.toml`, written from PRODUCT.md, not from the tool's
//! output). Every page is checked and every failure collected, so one broken page does
//! not hide the others (issue 2, deliverable 4).

mod checks;
mod every_page;
mod five_pages;

use checks::check_page;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use alliance_audit::config::Topics;
use alliance_audit::detect::{detect, Detection, Evidence, Level};
use alliance_audit::extract::{extract, Menu, MenuKind, Page};
use serde::Deserialize;
use url::Url;

const TOPIC: &str = "library-collaboration";

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    page: Vec<PageFacts>,
}

/// One `[[page]]` table; see the header of `expected.toml` for what each key means.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFacts {
    file: String,
    url: Option<String>,
    content_type: Option<String>,
    #[allow(dead_code)]
    about: String,
    verdict: String,
    primary_top: Vec<String>,
    menu_kinds: Option<Vec<String>>,
    primary_label: Option<String>,
    breadcrumb: Option<Vec<String>>,
    #[serde(default)]
    nav_items: Vec<ItemFacts>,
    #[serde(default)]
    not_nav_labels: Vec<String>,
    headings: usize,
    #[serde(default)]
    first_headings: Vec<String>,
    #[serde(default)]
    not_headings: Vec<String>,
    evidence_locations: Option<Vec<String>>,
    evidence_counts: Option<BTreeMap<String, usize>>,
    nav_evidence_kinds: Option<Vec<String>>,
    collaboration: Option<bool>,
    title: Option<String>,
    lang: Option<String>,
    description: Option<String>,
    canonical: Option<String>,
    noindex: Option<bool>,
    nofollow: Option<bool>,
    #[serde(default)]
    body_contains: Vec<String>,
    #[serde(default)]
    body_not_contains: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFacts {
    label: String,
    /// Kind of the menu that holds the item; "primary" when not given.
    menu: Option<String>,
    depth: Option<usize>,
    path: Option<Vec<String>>,
    href: Option<String>,
    no_href: Option<bool>,
}

fn load_expected() -> Expected {
    let path = pages_dir().join("expected.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Extraction and detection of one fixture page, as `alliance-audit extract` runs them
/// (a single page counts as depth 0).
fn run(
    file: &str,
    url: Option<&str>,
    content_type: Option<&str>,
    topics: &Topics,
) -> (Page, Detection) {
    let bytes = std::fs::read(pages_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let url = url.map(|u| Url::parse(u).unwrap_or_else(|e| panic!("{file}: bad url {u}: {e}")));
    let page = extract(&bytes, url.as_ref(), content_type);
    let detection = detect(&page, 0, topics);
    (page, detection)
}

fn verdict_of(detection: &Detection) -> Option<Level> {
    detection
        .verdicts
        .iter()
        .find(|v| v.topic == TOPIC)
        .map(|v| v.level)
}

fn evidence_of(detection: &Detection) -> Vec<&Evidence> {
    detection
        .evidence
        .iter()
        .filter(|e| e.topic == TOPIC)
        .collect()
}

fn menus_of_kind<'a>(page: &'a Page, kind: &str) -> Vec<&'a Menu> {
    page.navigation
        .iter()
        .filter(|m| m.kind.as_str() == kind)
        .collect()
}

/// Kinds in document order, a run of consecutive "footer" menus counted as one (footer
/// columns may fairly be read as one menu or several).
fn collapse_footer_runs<S: AsRef<str>>(kinds: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for kind in kinds {
        let kind = kind.as_ref();
        if kind == "footer" && out.last().map(String::as_str) == Some("footer") {
            continue;
        }
        out.push(kind.to_string());
    }
    out
}

fn heading_line(level: u8, text: &str) -> String {
    format!("h{level}: {text}")
}

/// Compact view of a page's menus, for failure messages.
fn menus_summary(page: &Page) -> String {
    page.navigation
        .iter()
        .map(|m| {
            let items: Vec<String> = m
                .items
                .iter()
                .map(|i| format!("{}{}", "  ".repeat(i.depth), i.label))
                .collect();
            format!("[{} {:?}] {}", m.kind.as_str(), m.label, items.join(" | "))
        })
        .collect::<Vec<_>>()
        .join("\n      ")
}

fn primary(page: &Page) -> &Menu {
    let menus = menus_of_kind(page, "primary");
    assert_eq!(menus.len(), 1, "one primary menu: {}", menus_summary(page));
    menus[0]
}
