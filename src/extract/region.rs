//! Which region of the page an element opens (header, footer, aside, main content):
//! by tag, by ARIA landmark role, or by the id and class names of sites built before
//! HTML5 landmarks. The page walk notes it on the way down; menus are judged by it.

use std::sync::LazyLock;

use scraper::node::Element;

use super::dom::{self, atom, is_one_of};
use super::marker_set::MarkerSet;
use super::nav::Placement;

/// Notes the page region an element opens: by tag, by ARIA landmark role, or by the
/// `id`/`class` names that sites built before HTML5 landmarks still use.
pub fn place(placement: &mut Placement, el: &Element) {
    let name = &el.name.local;
    if *name == *atom!("header") {
        placement.in_header = true;
    } else if *name == *atom!("footer") {
        placement.in_footer = true;
    } else if *name == *atom!("aside") {
        placement.in_aside = true;
    } else if is_one_of!(name, "main" | "article") {
        placement.in_main = true;
    }
    match dom::attr(el, atom!("role")) {
        Some("banner") => placement.in_header = true,
        Some("contentinfo") => placement.in_footer = true,
        Some("complementary") => placement.in_aside = true,
        Some("main") => placement.in_main = true,
        _ => {}
    }
    if el.name.local != *atom!("div") || placement.in_main {
        return;
    }
    // Most names hold no region word at all: one DFA walk over each value tells, and
    // only a value that holds one is read token by token. (The words hold no space, so
    // a value without any has no token with one.)
    let tokens = [dom::attr(el, atom!("id")), dom::attr(el, atom!("class"))];
    for token in tokens
        .into_iter()
        .flatten()
        .filter(|value| REGION_WORDS.found_in(value))
        .flat_map(str::split_ascii_whitespace)
    {
        let local = LOCAL_REGIONS.iter().any(|p| {
            token.len() >= p.len() && token.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        });
        if local {
            continue;
        }
        if HEADER_WORDS.iter().any(|m| dom::contains_ci(token, m)) {
            placement.in_header = true;
        } else if dom::contains_ci(token, FOOTER_WORD) {
            placement.in_footer = true;
        }
    }
}

/// Words in a `div`'s id or class that make it the page's header, or its footer.
const HEADER_WORDS: &[&str] = &["header", "masthead", "top-bar", "topbar", "utility"];
const FOOTER_WORD: &str = "footer";

/// Every region word, for telling in one walk that a name holds none.
static REGION_WORDS: LazyLock<MarkerSet> = LazyLock::new(|| {
    let words: Vec<&str> = HEADER_WORDS.iter().copied().chain([FOOTER_WORD]).collect();
    MarkerSet::new(&words)
});

/// Headers and footers of a card, an article or a dialog: content, not site chrome.
const LOCAL_REGIONS: &[&str] = &[
    "card-",
    "entry-",
    "page-header",
    "article-",
    "post-",
    "modal-",
    "panel-",
    "section-",
    "sub",
    "table-",
    "widget-",
    "block-header",
    "content-header",
];
