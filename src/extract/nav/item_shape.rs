//! What a menu's list item holds: its label (a link, a toggle, a column title), and
//! the shapes that tell a submenu, a toggle, a brand link or a separator.

use ego_tree::{NodeId, NodeRef};
use scraper::node::{Element, Node};

use super::super::dom::{self, atom, is_one_of, TextRule};
use super::label::link_label;

pub(super) struct ItemLabel<'a> {
    pub(super) text: String,
    pub(super) from_image: bool,
    pub(super) link: Option<&'a Element>,
    /// The element that carried the label, skipped when reading the submenu.
    pub(super) node: Option<NodeId>,
}

/// The label of a list item: its first link, toggle or text before any nested list.
pub(super) fn find_item_label<'a>(li: NodeRef<'a, Node>) -> Option<ItemLabel<'a>> {
    let mut direct_text = dom::TextBuilder::default();
    for child in dom::children(li) {
        match child.value() {
            Node::Text(text) => direct_text.push_text(text),
            Node::Element(el) => {
                if is_invisible_in_menu(el) || is_brand_link(child, el) {
                    continue;
                }
                if is_one_of!(&el.name.local, "ul" | "ol" | "menu" | "li") {
                    break;
                }
                if let Some(found) = label_in_element(child, el) {
                    return Some(found);
                }
                if contains_list(child) {
                    break;
                }
            }
            _ => {}
        }
    }
    let text = dom::without_invisible(direct_text.finish());
    (!text.is_empty()).then_some(ItemLabel {
        text,
        from_image: false,
        link: None,
        node: None,
    })
}

pub(super) fn label_in_element<'a>(
    node: NodeRef<'a, Node>,
    el: &'a Element,
) -> Option<ItemLabel<'a>> {
    if el.name.local == *atom!("a") {
        return link_label(node, el).map(|(text, from_image)| ItemLabel {
            text,
            from_image,
            link: Some(el),
            node: Some(node.id()),
        });
    }
    if contains_list(node) {
        return None;
    }
    if link_count(node) == 0 {
        let text = dom::visible_text(node, TextRule::Label);
        return (!text.is_empty()).then_some(ItemLabel {
            text,
            from_image: false,
            link: None,
            node: Some(node.id()),
        });
    }
    // A wrapper such as `<div class="menu-link"><a>..</a><button/></div>`.
    dom::children(node).find_map(|child| {
        let el = child.value().as_element()?;
        if is_invisible_in_menu(el) || is_brand_link(child, el) {
            return None;
        }
        label_in_element(child, el)
    })
}

pub(super) fn is_list_element(el: &Element) -> bool {
    is_one_of!(&el.name.local, "ul" | "ol" | "menu")
}

pub(super) fn contains_list(node: NodeRef<'_, Node>) -> bool {
    dom::descendants(node)
        .skip(1)
        .any(|n| n.value().as_element().is_some_and(is_list_element))
}

pub(super) fn link_count(node: NodeRef<'_, Node>) -> usize {
    dom::descendants(node)
        .filter(|n| {
            n.value()
                .as_element()
                .is_some_and(|el| el.name.local == *atom!("a"))
        })
        .count()
}

pub(super) fn single_link<'a>(node: NodeRef<'a, Node>) -> Option<&'a Element> {
    dom::descendants(node)
        .filter_map(|n| n.value().as_element())
        .find(|el| el.name.local == *atom!("a"))
}

/// The next sibling element is a list or a dropdown panel holding one.
pub(super) fn next_element_is_submenu(node: NodeRef<'_, Node>, el: &Element) -> bool {
    let Some((next, next_el)) = node
        .next_siblings()
        .find_map(|n| n.value().as_element().map(|e| (n, e)))
    else {
        return false;
    };
    if is_list_element(next_el) {
        return true;
    }
    if !is_one_of!(&next_el.name.local, "div" | "section") || link_count(next) == 0 {
        return false;
    }
    // A panel says so in its class. A plain `div` holding a list may just as well be
    // the next item (`<a>Home</a><div class="dropdown">..`), so it counts only after
    // an element that acts as a toggle.
    dom::has_class_part(next_el, SUBMENU_CLASS_PARTS) || (contains_list(next) && is_toggle_like(el))
}

/// A label that opens something: not a plain link, or a link marked as a toggle.
pub(super) fn is_toggle_like(el: &Element) -> bool {
    el.name.local != *atom!("a")
        || dom::attr(el, atom!("href")).is_none_or(|h| h.trim() == "#")
        || el.attrs().any(|(name, _)| {
            matches!(
                name,
                "aria-expanded" | "aria-haspopup" | "data-toggle" | "data-bs-toggle"
            )
        })
        || dom::has_class_part(el, &["toggle"])
}

/// Class names of a dropdown panel built of `div`s rather than lists (Squarespace
/// folders, page-builder flyouts). Not bare "dropdown" or "menu": those also name the
/// wrapper of a sibling item (`div.dropdown`, `div.menu-item`).
pub(super) const SUBMENU_CLASS_PARTS: &[&str] = &[
    "sub",
    "dropdown-menu",
    "dropdown-content",
    "folder-content",
    "children",
    "mega",
    "flyout",
    "panel",
];

pub(super) fn has_following_heading(node: NodeRef<'_, Node>) -> bool {
    node.next_siblings().any(|n| {
        n.value()
            .as_element()
            .is_some_and(|el| dom::heading_level(&el.name.local).is_some())
    })
}

pub(super) fn is_current_crumb(node: NodeRef<'_, Node>, el: &Element) -> bool {
    (dom::attr(el, atom!("aria-current")).is_some() || dom::markers_contain(el, "current"))
        && link_count(node) == 0
}

/// Content a sighted visitor does not see as part of the menu: hidden, non-text, or
/// meant for screen readers only (a visually hidden "Breadcrumb" heading).
pub(super) fn is_invisible_in_menu(el: &Element) -> bool {
    dom::is_hidden(el) || dom::is_non_text(el) || dom::is_screen_reader_only(el)
}

/// The site's logo or name linking home (`navbar-brand`, `custom-logo-link`, a link
/// in a `div.branding`) sits in many menus but is no menu item.
pub(super) fn is_brand_link(node: NodeRef<'_, Node>, el: &Element) -> bool {
    let name = &el.name.local;
    if !is_one_of!(name, "a" | "div" | "span" | "p" | "strong") {
        return false;
    }
    let marked = dom::attr(el, atom!("class")).is_some_and(|class| {
        class
            .split_ascii_whitespace()
            .any(|c| dom::contains_ci(c, "brand") || dom::contains_ci(c, "logo"))
    });
    marked && (*name == *atom!("a") || link_count(node) == 1)
}

/// Headings such as "Main navigation" or "You are here" name a menu; they are no item.
pub(super) fn looks_like_menu_name(label: &str) -> bool {
    dom::with_lowercase(label, |lower| {
        [
            "navigation",
            "menu",
            "menü",
            "breadcrumb",
            "you are here",
            "sie sind hier",
            "vous êtes ici",
        ]
        .iter()
        .any(|m| lower.contains(m))
    })
}

pub(super) fn is_separator(label: &str) -> bool {
    label.chars().all(|c| !c.is_alphanumeric())
}
