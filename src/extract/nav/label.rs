//! A link's label as a menu shows it: its text, or for an image link its `alt`; and
//! the links that are no menu item (skip links, the logo).

use std::borrow::Cow;
use std::sync::LazyLock;

use ego_tree::NodeRef;
use scraper::node::{Element, Node};

use super::super::dom::{self, atom, TextRule};
use super::super::marker_set::MarkerSet;
use super::{markers, words};

/// "Skip to main content" links are for keyboard users, not part of the site's menu.
pub(super) fn is_skip_link(el: &Element, label: &str) -> bool {
    static SKIP: LazyLock<MarkerSet> = LazyLock::new(|| MarkerSet::new(markers::SKIP_LINK_TEXT));
    static JUMP: LazyLock<MarkerSet> = LazyLock::new(|| MarkerSet::new(markers::IN_PAGE_JUMP_TEXT));
    // Lowercased only when not ASCII: it runs on every menu link.
    let lower = if label.is_ascii() {
        Cow::Borrowed(label)
    } else {
        Cow::Owned(label.to_lowercase())
    };
    let in_page = || dom::attr(el, atom!("href")).is_some_and(|h| h.trim_start().starts_with('#'));
    SKIP.starts(&lower) || (in_page() && (dom::markers_contain(el, "skip") || JUMP.starts(&lower)))
}

/// A link's label as a sighted visitor reads it: its text; for an image link, the
/// image's `alt` (else the link's `aria-label` or `title`); for an icon link home, its
/// accessible name when that says "Home". The flag tells a label not read from text.
/// Icon links of other kinds (social networks) stay unlabelled, so no item.
pub(super) fn link_label(node: NodeRef<'_, Node>, el: &Element) -> Option<(String, bool)> {
    let text = dom::visible_text(node, TextRule::Label);
    if !text.is_empty() {
        return Some((text, false));
    }
    let named = |value: Option<&str>| {
        value
            .map(dom::collapse_whitespace)
            .map(dom::without_invisible)
            .filter(|v| !v.is_empty())
    };
    let image = dom::descendants(node)
        .filter_map(|n| n.value().as_element())
        .find(|e| e.name.local == *atom!("img") && !dom::is_hidden(e));
    if let Some(image) = image {
        return named(dom::attr(image, atom!("alt")))
            .or_else(|| named(dom::attr(el, atom!("aria-label"))))
            .or_else(|| named(dom::attr(el, atom!("title"))))
            .map(|label| (label, true));
    }
    named(dom::attr(el, atom!("aria-label")))
        .or_else(|| named(dom::attr(el, atom!("title"))))
        .or_else(|| named(Some(&dom::visible_text(node, TextRule::Outline))))
        .filter(|label| words::is_home_label(label))
        .map(|label| (label, true))
}

/// An image link to the site's root whose label is no "Home": the logo.
pub(super) fn is_logo(el: &Element, label: &str) -> bool {
    !words::is_home_label(label) && dom::attr(el, atom!("href")).is_some_and(links_to_root)
}

/// `/`, `./`, `index.html`, `https://host/`: the home page, however written.
pub(super) fn links_to_root(href: &str) -> bool {
    let href = href.trim();
    let path = match href.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => href,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_start_matches("./");
    matches!(path, "" | "/")
        || path
            .trim_start_matches('/')
            .strip_prefix("index.")
            .is_some_and(|ext| !ext.contains('/'))
}
