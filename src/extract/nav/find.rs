//! Which elements start a menu: by markup (`<nav>`, `role`, menu classes, lists in a
//! header or footer), or, with no markup at all, as a link row.

use std::sync::LazyLock;

use ego_tree::NodeRef;
use scraper::node::{Element, Node};

use super::super::dom::{self, atom, is_one_of};
use super::super::marker_set::MarkerSet;
use super::markers::BREADCRUMB_MARKERS;
use super::Placement;

/// Whether `el` starts a menu. `placement` tells if bare lists count (in a header or
/// footer a plain `<ul>` of links is a menu; in an article it is content).
pub fn is_menu_root(node: NodeRef<'_, Node>, el: &Element, placement: Placement) -> bool {
    let name = &el.name.local;
    let is_list = is_one_of!(name, "ul" | "ol" | "menu");
    let (mut landmark, mut breadcrumb, mut marked) = (*name == *atom!("nav"), false, false);
    for (attr, value) in &el.attrs {
        let attr = &attr.local;
        if *attr == *atom!("role") {
            landmark |= value.eq_ignore_ascii_case("navigation");
            breadcrumb |= is_breadcrumb_marker(value);
        } else if is_one_of!(attr, "aria-label" | "itemtype") {
            breadcrumb |= is_breadcrumb_marker(value);
        } else if is_one_of!(attr, "class" | "id") {
            breadcrumb |= is_breadcrumb_marker(value);
            marked |= value
                .split_ascii_whitespace()
                .any(|token| is_menu_token(token, is_list));
        }
    }
    if landmark {
        return true;
    }
    // A wrapper such as Drupal's `region-primary-menu` or `region-breadcrumb` holds the
    // real `<nav>`, whose `aria-labelledby` names the menu: the nav is the root then.
    if breadcrumb && !contains_landmark(node) {
        return true;
    }
    if marked && (is_list || (*name == *atom!("div") && !contains_landmark(node))) {
        return true;
    }
    is_list && (placement.in_header || placement.in_footer) && !placement.in_main
}

fn is_landmark(el: &Element) -> bool {
    el.name.local == *atom!("nav")
        || dom::attr(el, atom!("role")).is_some_and(|r| r.eq_ignore_ascii_case("navigation"))
}

fn contains_landmark(node: NodeRef<'_, Node>) -> bool {
    dom::descendants(node)
        .skip(1)
        .any(|n| n.value().as_element().is_some_and(is_landmark))
}

/// Class or id tokens that name a menu. Lists may be loosely marked (`nav`, `menu`,
/// `navbar-nav`); a `div` must be marked more strictly, since classes such as
/// `has-navbar` or `menu-open` sit on page wrappers.
fn is_menu_token(token: &str, is_list: bool) -> bool {
    if is_list {
        return dom::contains_ci(token, "menu") || dom::contains_ci(token, "nav");
    }
    let ends_with = |suffix: &str| {
        token.len() >= suffix.len()
            && token.as_bytes()[token.len() - suffix.len()..]
                .eq_ignore_ascii_case(suffix.as_bytes())
    };
    ["menu", "navbar", "navigation", "nav"]
        .iter()
        .any(|t| token.eq_ignore_ascii_case(t))
        || ends_with("-menu")
        || ends_with("-nav")
        || ends_with("navigation")
        || (token.len() >= 6 && token.as_bytes()[..6].eq_ignore_ascii_case(b"menu--"))
}

pub fn is_breadcrumb_element(el: &Element) -> bool {
    el.attrs.iter().any(|(name, value)| {
        is_one_of!(
            &name.local,
            "class" | "id" | "aria-label" | "role" | "itemtype"
        ) && is_breadcrumb_marker(value)
    })
}

pub fn is_breadcrumb_marker(value: &str) -> bool {
    static MARKERS: LazyLock<MarkerSet> = LazyLock::new(|| MarkerSet::new(BREADCRUMB_MARKERS));
    MARKERS.found_in(value)
}

/// Whether `el` holds a row of links no markup calls a menu: three or more sibling
/// children holding one short link each (`<ul>`s of links, table rows, `<div>`s or
/// `<span>`s separated by `|`), and almost no other text. Old sites, intranets and
/// many CMS themes build their main menu so. In a footer such rows are left alone.
pub fn is_link_row(node: NodeRef<'_, Node>, el: &Element, placement: Placement) -> bool {
    if placement.in_footer {
        return false;
    }
    if is_one_of!(&el.name.local, "table" | "tbody") {
        return is_table_of_rows(node, placement);
    }
    if !is_one_of!(
        &el.name.local,
        "ul" | "ol"
            | "div"
            | "td"
            | "tr"
            | "p"
            | "span"
            | "section"
            | "header"
            | "center"
            | "font"
            | "dl"
            | "nav"
    ) {
        return false;
    }
    // Most elements have fewer than three element children: no row, nothing to read.
    if dom::children(node)
        .filter(|c| c.value().is_element())
        .nth(2)
        .is_none()
    {
        return false;
    }
    let mut links = 0;
    let mut label_chars = 0;
    let mut long_labels = 0;
    let mut other_text = 0;
    for child in dom::children(node) {
        match child.value() {
            Node::Text(text) => other_text += text_weight(text),
            Node::Element(child_el) => {
                if dom::is_hidden(child_el) {
                    continue;
                }
                match single_link_text(child, child_el) {
                    LinkCount::One(chars) => {
                        links += 1;
                        label_chars += chars;
                        long_labels += usize::from(chars > 40);
                    }
                    LinkCount::None(chars) => other_text += chars,
                    LinkCount::Many => return false,
                }
            }
            _ => {}
        }
        if other_text > 12 {
            return false;
        }
    }
    links >= 3 && long_labels * 4 <= links && label_chars <= links * 28
}

/// A table whose rows are all link rows (old sites put their menu in a table of one
/// or two rows of cells).
fn is_table_of_rows(node: NodeRef<'_, Node>, placement: Placement) -> bool {
    let mut rows = 0;
    for child in dom::children(node) {
        match child.value() {
            Node::Element(el) if el.name.local == *atom!("tbody") => {
                if !is_table_of_rows(child, placement) {
                    return false;
                }
                rows += 1;
            }
            Node::Element(el) if el.name.local == *atom!("tr") => {
                if !is_link_row(child, el, placement) {
                    return false;
                }
                rows += 1;
            }
            Node::Element(el) if is_one_of!(&el.name.local, "caption" | "colgroup" | "thead") => {}
            Node::Element(_) => return false,
            Node::Text(text) if text_weight(text) > 0 => return false,
            _ => {}
        }
    }
    rows > 0
}

enum LinkCount {
    /// No link; the characters of text that are not separators.
    None(usize),
    /// One link with a label of this many characters.
    One(usize),
    Many,
}

/// Characters of a text that are not separators (`|`, `·`, `/`) or spaces.
fn text_weight(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

/// How many links `node` holds and how long its label is, looking at no more than a
/// few dozen nodes: a row's items are small.
fn single_link_text(node: NodeRef<'_, Node>, el: &Element) -> LinkCount {
    if el.name.local == *atom!("a") {
        return LinkCount::One(label_chars(node, el));
    }
    let mut found = None;
    let mut other = 0;
    for (seen, descendant) in dom::descendants(node).skip(1).enumerate() {
        if seen > 40 {
            return LinkCount::Many;
        }
        match descendant.value() {
            Node::Element(d) if d.name.local == *atom!("a") => {
                if found.is_some() {
                    return LinkCount::Many;
                }
                found = Some(label_chars(descendant, d));
            }
            Node::Element(d)
                if is_one_of!(&d.name.local, "ul" | "ol" | "table" | "form" | "input") =>
            {
                return LinkCount::Many;
            }
            Node::Text(_) if in_script(descendant) => {}
            Node::Text(text) => {
                let in_link = descendant
                    .ancestors()
                    .take_while(|a| a.id() != node.id())
                    .any(|a| {
                        a.value()
                            .as_element()
                            .is_some_and(|e| e.name.local == *atom!("a"))
                    });
                if !in_link {
                    other += text_weight(text);
                }
            }
            _ => {}
        }
    }
    match found {
        Some(chars) if other <= 12 => LinkCount::One(chars),
        Some(_) => LinkCount::Many,
        None => LinkCount::None(other),
    }
}

fn in_script(text: NodeRef<'_, Node>) -> bool {
    text.parent()
        .and_then(|p| p.value().as_element().map(dom::is_hidden))
        .unwrap_or(false)
}

/// The length of a link's label: its text, else an image's `alt`.
fn label_chars(node: NodeRef<'_, Node>, el: &Element) -> usize {
    // Counted without building the text: this runs on every link of every row.
    let text: usize = dom::descendants(node)
        .filter_map(|n| n.value().as_text())
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if text > 0 {
        return text;
    }
    dom::attr(el, atom!("aria-label"))
        .or_else(|| dom::attr(el, atom!("title")))
        .or_else(|| {
            dom::descendants(node)
                .filter_map(|n| n.value().as_element())
                .find(|e| e.name.local == *atom!("img"))
                .and_then(|img| dom::attr(img, atom!("alt")))
        })
        .map_or(0, |l| l.trim().chars().count())
}
