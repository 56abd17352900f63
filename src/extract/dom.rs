//! Small questions asked of scraper's DOM: is this element hidden, is it a block, what
//! is its visible text. Shared by the page walk and the menu reader.

use ego_tree::NodeRef;
use html5ever::LocalName;
use scraper::node::{Element, Node};

pub use super::case::with_lowercase;
pub use super::text::{collapse_whitespace, trim, without_invisible, TextBuilder};

/// Class names used by CSS frameworks and CMSs for text meant only for screen readers.
const SCREEN_READER_CLASSES: &[&str] = &[
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "screen-reader-only",
    "element-invisible",
    "u-visually-hidden",
    "hidden-visually",
    "show-for-sr",
    "a11y-hidden",
    "assistive-text",
    "offscreen",
];

/// Whether an atom (an element's or attribute's local name) is one of the names
/// given, written as `matches!` is: `is_one_of!(&el.name.local, "ul" | "ol")`. Atoms
/// compare as integers; a name as text is looked up and compared byte by byte, and
/// these questions are asked of every element of every page.
macro_rules! is_one_of {
    ($atom:expr, $($name:tt)|+ $(|)?) => {{
        let atom: &html5ever::LocalName = $atom;
        $(*atom == *$crate::extract::dom::atom!($name))||+
    }};
}
pub(crate) use is_one_of;

/// A name as an atom, `&LocalName`, for comparisons: `atom!("href")`. The atom is
/// static; held in `ManuallyDrop`, no drop of it runs at each comparison (an atom's
/// drop checks for a reference count, and was not always inlined away).
macro_rules! atom {
    ($name:tt) => {
        &*std::mem::ManuallyDrop::new(html5ever::local_name!($name))
    };
}
pub(crate) use atom;

/// An attribute's value, by its name as an atom (`atom!("href")`). scraper's
/// `Element::attr` interns the name on every call, which costs more than scanning an
/// element's few attributes.
pub fn attr<'a>(el: &'a Element, name: &LocalName) -> Option<&'a str> {
    el.attrs
        .iter()
        .find(|(n, _)| n.local == *name)
        .map(|(_, v)| &**v)
}

/// The children of `node`, first to last. ego_tree's own `children()` walks from both
/// ends at once and compares the two ends at every step; every node of every page is
/// reached through this loop, so it follows `next_sibling` alone.
pub fn children<'a>(node: NodeRef<'a, Node>) -> impl Iterator<Item = NodeRef<'a, Node>> {
    std::iter::successors(node.first_child(), NodeRef::next_sibling)
}

/// `node` and every node under it, in document order, as ego_tree's `descendants()`
/// gives them, but by `first_child`, `next_sibling` and `parent` alone: ego_tree's
/// iterator passes every node twice (opening and closing it), and menus are searched
/// for lists and links many times over.
pub fn descendants<'a>(node: NodeRef<'a, Node>) -> impl Iterator<Item = NodeRef<'a, Node>> {
    let root = node.id();
    let mut next = Some(node);
    std::iter::from_fn(move || {
        let current = next?;
        next = current.first_child().or_else(|| {
            let mut up = current;
            loop {
                if up.id() == root {
                    return None;
                }
                if let Some(sibling) = up.next_sibling() {
                    return Some(sibling);
                }
                up = up.parent()?;
            }
        });
        Some(current)
    })
}

/// Elements that start a new line of text; a space is put at their boundaries.
/// (A `match`, not a list: it runs for every element of every page.)
pub fn is_block(name: &LocalName) -> bool {
    is_one_of!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "menu"
            | "legend"
    )
}

/// Elements that hold no readable text of the page: document metadata, embedded
/// graphics (an SVG icon's `<title>`), form option lists. Skipped for body text and menu
/// labels; headings keep them, since the outline is defined by the listed rules only.
pub fn is_non_text(el: &Element) -> bool {
    is_one_of!(
        &el.name.local,
        "head"
            | "title"
            | "meta"
            | "link"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "svg"
            | "math"
            | "select"
            | "datalist"
            | "textarea"
    )
}

/// Hidden by the rules of PRODUCT.md: `script`, `style`, `template`, `noscript`, the
/// `hidden` attribute, `aria-hidden="true"`, or an inline `display:none` /
/// `visibility:hidden`.
pub fn is_hidden(el: &Element) -> bool {
    // The elements PRODUCT.md ignores everywhere.
    is_one_of!(&el.name.local, "script" | "style" | "template" | "noscript")
        || el.attrs.iter().any(|(name, value)| {
            let name = &name.local;
            *name == *atom!("hidden")
                || (*name == *atom!("aria-hidden") && value.trim().eq_ignore_ascii_case("true"))
                || (*name == *atom!("style") && style_hides(value))
        })
}

fn style_hides(style: &str) -> bool {
    // Most inline styles hide nothing; look closer only when they might.
    if !contains_ci(style, "none") && !contains_ci(style, "hidden") {
        return false;
    }
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.split(';').any(|decl| {
        let decl = decl.trim_end_matches("!important");
        decl == "display:none" || decl == "visibility:hidden"
    })
}

/// Text for screen readers only: part of the outline, not of a visible menu label.
pub fn is_screen_reader_only(el: &Element) -> bool {
    attr(el, atom!("class")).is_some_and(|class| class_has_any(class, SCREEN_READER_CLASSES))
}

/// Whether a space-separated class list contains any of `tokens` (ASCII case-insensitive).
pub fn class_has_any(class: &str, tokens: &[&str]) -> bool {
    class
        .split_ascii_whitespace()
        .any(|c| tokens.iter().any(|t| c.eq_ignore_ascii_case(t)))
}

/// Whether `haystack` contains `needle` (lowercase ASCII), ignoring ASCII case.
/// Allocation-free: it runs on every element's class list.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    // The first byte alone rules out most places, with no slice compared.
    hay[..=last_start].iter().enumerate().any(|(at, byte)| {
        byte.to_ascii_lowercase() == first
            && hay[at + 1..at + needle.len()].eq_ignore_ascii_case(rest)
    })
}

/// Whether any class of `el` contains one of `parts` (lowercase), ignoring ASCII case.
pub fn has_class_part(el: &Element, parts: &[&str]) -> bool {
    attr(el, atom!("class")).is_some_and(|class| {
        class
            .split_ascii_whitespace()
            .any(|c| parts.iter().any(|p| contains_ci(c, p)))
    })
}

/// Whether the `class`, `id`, `aria-label` or `role` of an element contains `needle`
/// (lowercase), ignoring ASCII case.
pub fn markers_contain(el: &Element, needle: &str) -> bool {
    el.attrs.iter().any(|(name, value)| {
        is_one_of!(&name.local, "class" | "id" | "aria-label" | "role")
            && contains_ci(value, needle)
    })
}

pub fn heading_level(name: &LocalName) -> Option<u8> {
    if *name == *atom!("h1") {
        Some(1)
    } else if *name == *atom!("h2") {
        Some(2)
    } else if *name == *atom!("h3") {
        Some(3)
    } else if *name == *atom!("h4") {
        Some(4)
    } else if *name == *atom!("h5") {
        Some(5)
    } else if *name == *atom!("h6") {
        Some(6)
    } else {
        None
    }
}

/// Which text a subtree contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRule {
    /// A heading: everything but hidden content; screen-reader text counts.
    Outline,
    /// A menu label: what a sighted user reads. An icon link whose only text is
    /// `sr-only` or an SVG `<title>` has no label, so it is not a menu item.
    Label,
}

impl TextRule {
    fn skips(self, el: &Element) -> bool {
        is_hidden(el) || (self == TextRule::Label && (is_non_text(el) || is_screen_reader_only(el)))
    }
}

/// The text of a subtree under `rule`.
pub fn visible_text(node: NodeRef<'_, Node>, rule: TextRule) -> String {
    // Room for most labels and headings in one allocation.
    let mut builder = TextBuilder::with_capacity(32);
    append_visible_text(node, rule, &mut builder);
    match rule {
        TextRule::Outline => builder.finish(),
        TextRule::Label => without_invisible(builder.finish()),
    }
}

pub fn append_visible_text(node: NodeRef<'_, Node>, rule: TextRule, builder: &mut TextBuilder) {
    for child in children(node) {
        match child.value() {
            Node::Text(text) => builder.push_text(text),
            Node::Element(el) => {
                if rule.skips(el) {
                    continue;
                }
                let block = is_block(&el.name.local);
                if block {
                    builder.boundary();
                }
                append_visible_text(child, rule, builder);
                if block {
                    builder.boundary();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_hiding_styles() {
        assert!(style_hides("display: none"));
        assert!(style_hides("color:red; DISPLAY : NONE !important"));
        assert!(style_hides("visibility:hidden"));
        assert!(!style_hides("display:block; visibility: visible"));
        assert!(!style_hides("display:none-ish"));
    }

    #[test]
    fn contains_ci_is_a_lowercased_contains() {
        use proptest::prelude::*;
        proptest!(|(hay in "[a-cA-C-]{0,8}", needle in "[a-c-]{0,3}")| {
            prop_assert_eq!(contains_ci(&hay, &needle), hay.to_ascii_lowercase().contains(&needle));
        });
        assert!(contains_ci("Site-HEADER", "header"));
        assert!(!contains_ci("head", "header"));
    }

    /// `children` and `descendants` visit what ego_tree's own iterators visit, in the
    /// same order, from every node of the saved pages.
    #[test]
    fn tree_walks_match_ego_tree() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages");
        let mut pages = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let html = crate::decode::decode(&bytes, None).0;
            let document = super::super::parse(&html);
            for node in document.tree.root().descendants() {
                let ours: Vec<_> = descendants(node).map(|n| n.id()).collect();
                let theirs: Vec<_> = node.descendants().map(|n| n.id()).collect();
                assert_eq!(ours, theirs, "{}", path.display());
                let ours: Vec<_> = children(node).map(|n| n.id()).collect();
                let theirs: Vec<_> = node.children().map(|n| n.id()).collect();
                assert_eq!(ours, theirs, "{}", path.display());
            }
            pages += 1;
        }
        assert!(pages > 10);
    }
}
