//! One menu's items, read as a tree: list items, links, dropdown toggles and mega-menu
//! column titles are its nodes; the result is flat, in document order, with each item's
//! depth and the labels of its ancestors.

use ego_tree::{NodeId, NodeRef};
use scraper::node::{Element, Node};
use url::Url;

use super::super::dom::{self, TextRule};
use super::super::page::NavItem;
use super::label::{is_logo, is_skip_link, link_label};
use super::resolve_href;

/// Reads one menu's items into a flat list in document order, with depth and path.
pub(super) struct ItemReader<'u> {
    pub base: Option<&'u Url>,
    pub breadcrumb: bool,
    pub items: Vec<NavItem>,
    /// For each item, what the classifier needs beyond the item itself.
    pub meta: Vec<ItemMeta>,
    /// The list (or table row) the items being read sit in: top-level items of
    /// different lists are different blocks of the menu (a utility list beside the
    /// main one).
    pub block: Option<NodeId>,
    /// Items linking within the page (`href="#..."`): a menu of only these is a table
    /// of contents or a skip-link block, never the site's menu.
    pub in_page: usize,
    /// A heading that names the whole menu (`<nav><h2>Quick links</h2><ul>..`).
    pub title: Option<String>,
}

/// What the classifier knows of an item beyond its label and link.
#[derive(Debug, Clone, Copy)]
pub(super) struct ItemMeta {
    /// The list or row holding it (the menu's root when none).
    pub block: Option<NodeId>,
}

impl<'u> ItemReader<'u> {
    pub fn new(base: Option<&'u Url>, breadcrumb: bool) -> Self {
        ItemReader {
            base,
            breadcrumb,
            items: Vec::new(),
            meta: Vec::new(),
            block: None,
            in_page: 0,
            title: None,
        }
    }

    /// Reads every item under `root`.
    pub fn read(&mut self, root: NodeRef<'_, Node>) {
        self.walk_children(root, 0, &mut Vec::new(), Consumed::Nothing);
    }

    fn push(&mut self, label: String, href: Option<String>, depth: usize, path: &[String]) {
        if self.breadcrumb && href.is_none() && label.ends_with(':') {
            return;
        }
        self.meta.push(ItemMeta { block: self.block });
        self.items.push(NavItem {
            label,
            href,
            depth,
            path: path.to_vec(),
        });
    }

    /// Walks the children of `node`. A group label (a mega-menu column title, a
    /// dropdown toggle) makes its following siblings its children.
    fn walk_children(
        &mut self,
        node: NodeRef<'_, Node>,
        depth: usize,
        path: &mut Vec<String>,
        consumed: Consumed,
    ) {
        let outer_block = self.block;
        if node
            .value()
            .as_element()
            .is_some_and(|el| is_list_element(el) || matches!(el.name(), "tr" | "table"))
        {
            self.block = Some(node.id());
        }
        let mut group: Option<String> = None;
        for child in node.children() {
            if consumed == Consumed::Element(child.id()) {
                continue;
            }
            let Some(el) = child.value().as_element() else {
                if self.breadcrumb && consumed != Consumed::DirectText {
                    self.breadcrumb_text(child, depth, path);
                }
                continue;
            };
            if is_invisible_in_menu(el) || is_brand_link(child, el) {
                continue;
            }
            if let Some(label) = self.group_label(child, el, path.last()) {
                let href = single_link(child).and_then(|a| self.resolve(a));
                self.push(label.clone(), href, depth, path);
                group = Some(label);
                continue;
            }
            let (child_depth, pushed) = match &group {
                Some(label) => {
                    path.push(label.clone());
                    (depth + 1, true)
                }
                None => (depth, false),
            };
            self.visit(child, el, child_depth, path, consumed);
            if pushed {
                path.pop();
            }
        }
        self.block = outer_block;
    }

    fn visit(
        &mut self,
        node: NodeRef<'_, Node>,
        el: &Element,
        depth: usize,
        path: &mut Vec<String>,
        consumed: Consumed,
    ) {
        match el.name() {
            "li" => self.list_item(node, depth, path),
            "a" => self.link(node, el, depth, path),
            // A toggle button beside a link only opens its submenu.
            "button" => {}
            _ if self.breadcrumb && is_current_crumb(node, el) => {
                let label = dom::visible_text(node, TextRule::Label);
                if !is_separator(&label) {
                    self.push(label, None, depth, path);
                }
            }
            _ => self.walk_children(node, depth, path, consumed.in_child()),
        }
    }

    fn link(&mut self, node: NodeRef<'_, Node>, el: &Element, depth: usize, path: &[String]) {
        let Some((label, from_image)) = link_label(node, el) else {
            return;
        };
        if is_skip_link(el, &label) || (from_image && is_logo(el, &label)) {
            return;
        }
        let href = self.resolve(el);
        self.push(label, href, depth, path);
    }

    fn list_item(&mut self, li: NodeRef<'_, Node>, depth: usize, path: &mut Vec<String>) {
        match find_item_label(li) {
            Some(ItemLabel {
                text,
                link,
                node,
                from_image,
            }) => {
                if link.is_some_and(|a| is_skip_link(a, &text) || (from_image && is_logo(a, &text)))
                    || (link.is_none() && is_separator(&text))
                {
                    return;
                }
                let href = link.and_then(|a| self.resolve(a));
                self.push(text.clone(), href, depth, path);
                path.push(text);
                let consumed = node.map_or(Consumed::DirectText, Consumed::Element);
                self.walk_children(li, depth + 1, path, consumed);
                path.pop();
            }
            None => self.walk_children(li, depth, path, Consumed::Nothing),
        }
    }

    /// A column title or dropdown toggle whose following siblings are its submenu.
    fn group_label(
        &mut self,
        node: NodeRef<'_, Node>,
        el: &Element,
        parent: Option<&String>,
    ) -> Option<String> {
        let is_heading = dom::heading_level(el.name()).is_some();
        // Only a label-like element opens a submenu; a `div` beside a `div` is a sibling
        // item (menus built of divs), not the title of the next one.
        let is_toggle = !is_heading
            && matches!(
                el.name(),
                "a" | "button" | "span" | "strong" | "b" | "p" | "summary" | "label" | "em"
            )
            && next_element_is_submenu(node, el)
            && !contains_list(node)
            && link_count(node) <= 1;
        if !is_heading && !is_toggle {
            return None;
        }
        let label = dom::visible_text(node, TextRule::Label);
        // A toggle showing only "▾", or repeating its item's label, adds no level; nor
        // does the "Menu" button that opens the whole menu on small screens.
        if is_separator(&label)
            || parent == Some(&label)
            || (!is_heading && looks_like_menu_name(&label))
        {
            return None;
        }
        // A lone heading before any item, or one that says "navigation", names the
        // menu instead; breadcrumb trails have no column titles.
        let names_menu = is_heading
            && (self.breadcrumb
                || (self.items.is_empty() && !has_following_heading(node))
                || looks_like_menu_name(&label));
        if names_menu {
            self.title.get_or_insert(label);
            return None;
        }
        Some(label)
    }

    /// Breadcrumb trails written as `<a>Home</a> › <a>News</a> › Current page`.
    fn breadcrumb_text(&mut self, node: NodeRef<'_, Node>, depth: usize, path: &[String]) {
        if let Some(text) = node.value().as_text() {
            let label = dom::collapse_whitespace(text);
            // "You are here:" introduces the trail; it is no step of it.
            if !is_separator(&label) && !label.ends_with(':') {
                self.push(label, None, depth, path);
            }
        }
    }

    fn resolve(&mut self, link: &Element) -> Option<String> {
        let href = dom::attr(link, "href")?;
        if href.trim_start().starts_with('#') && href.trim() != "#" {
            self.in_page += 1;
        }
        resolve_href(href, self.base)
    }
}

/// What of a list item its label already took, not to be read again as a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Consumed {
    Nothing,
    /// The label was the item's own text (`<li>Current page</li>`).
    DirectText,
    /// The label was this child (a link, a toggle).
    Element(NodeId),
}

impl Consumed {
    /// What stays consumed inside a child: the label element, not the item's own text.
    fn in_child(self) -> Consumed {
        match self {
            Consumed::DirectText => Consumed::Nothing,
            other => other,
        }
    }
}

struct ItemLabel<'a> {
    text: String,
    from_image: bool,
    link: Option<&'a Element>,
    /// The element that carried the label, skipped when reading the submenu.
    node: Option<NodeId>,
}

/// The label of a list item: its first link, toggle or text before any nested list.
fn find_item_label<'a>(li: NodeRef<'a, Node>) -> Option<ItemLabel<'a>> {
    let mut direct_text = dom::TextBuilder::default();
    for child in li.children() {
        match child.value() {
            Node::Text(text) => direct_text.push_text(text),
            Node::Element(el) => {
                if is_invisible_in_menu(el) || is_brand_link(child, el) {
                    continue;
                }
                if matches!(el.name(), "ul" | "ol" | "menu" | "li") {
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

fn label_in_element<'a>(node: NodeRef<'a, Node>, el: &'a Element) -> Option<ItemLabel<'a>> {
    match el.name() {
        "a" => link_label(node, el).map(|(text, from_image)| ItemLabel {
            text,
            from_image,
            link: Some(el),
            node: Some(node.id()),
        }),
        "button" if contains_list(node) => None,
        _ if link_count(node) == 0 && !contains_list(node) => {
            let text = dom::visible_text(node, TextRule::Label);
            (!text.is_empty()).then_some(ItemLabel {
                text,
                from_image: false,
                link: None,
                node: Some(node.id()),
            })
        }
        // A wrapper such as `<div class="menu-link"><a>..</a><button/></div>`.
        _ if !contains_list(node) => node.children().find_map(|child| {
            let el = child.value().as_element()?;
            if is_invisible_in_menu(el) || is_brand_link(child, el) {
                return None;
            }
            label_in_element(child, el)
        }),
        _ => None,
    }
}

fn is_list_element(el: &Element) -> bool {
    matches!(el.name(), "ul" | "ol" | "menu")
}

fn contains_list(node: NodeRef<'_, Node>) -> bool {
    node.descendants()
        .skip(1)
        .any(|n| n.value().as_element().is_some_and(is_list_element))
}

fn link_count(node: NodeRef<'_, Node>) -> usize {
    node.descendants()
        .filter(|n| n.value().as_element().is_some_and(|el| el.name() == "a"))
        .count()
}

fn single_link<'a>(node: NodeRef<'a, Node>) -> Option<&'a Element> {
    node.descendants()
        .filter_map(|n| n.value().as_element())
        .find(|el| el.name() == "a")
}

/// The next sibling element is a list or a dropdown panel holding one.
fn next_element_is_submenu(node: NodeRef<'_, Node>, el: &Element) -> bool {
    let Some((next, next_el)) = node
        .next_siblings()
        .find_map(|n| n.value().as_element().map(|e| (n, e)))
    else {
        return false;
    };
    if is_list_element(next_el) {
        return true;
    }
    if !matches!(next_el.name(), "div" | "section") || link_count(next) == 0 {
        return false;
    }
    // A panel says so in its class. A plain `div` holding a list may just as well be
    // the next item (`<a>Home</a><div class="dropdown">..`), so it counts only after
    // an element that acts as a toggle.
    dom::has_class_part(next_el, SUBMENU_CLASS_PARTS) || (contains_list(next) && is_toggle_like(el))
}

/// A label that opens something: not a plain link, or a link marked as a toggle.
fn is_toggle_like(el: &Element) -> bool {
    el.name() != "a"
        || dom::attr(el, "href").is_none_or(|h| h.trim() == "#")
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
const SUBMENU_CLASS_PARTS: &[&str] = &[
    "sub",
    "dropdown-menu",
    "dropdown-content",
    "folder-content",
    "children",
    "mega",
    "flyout",
    "panel",
];

fn has_following_heading(node: NodeRef<'_, Node>) -> bool {
    node.next_siblings().any(|n| {
        n.value()
            .as_element()
            .is_some_and(|el| dom::heading_level(el.name()).is_some())
    })
}

fn is_current_crumb(node: NodeRef<'_, Node>, el: &Element) -> bool {
    (dom::attr(el, "aria-current").is_some() || dom::markers(el).contains("current"))
        && link_count(node) == 0
}

/// Content a sighted visitor does not see as part of the menu: hidden, non-text, or
/// meant for screen readers only (a visually hidden "Breadcrumb" heading).
fn is_invisible_in_menu(el: &Element) -> bool {
    dom::is_hidden(el) || dom::is_non_text(el) || dom::is_screen_reader_only(el)
}

/// The site's logo or name linking home (`navbar-brand`, `custom-logo-link`, a link
/// in a `div.branding`) sits in many menus but is no menu item.
fn is_brand_link(node: NodeRef<'_, Node>, el: &Element) -> bool {
    let name = el.name();
    if !matches!(name, "a" | "div" | "span" | "p" | "strong") {
        return false;
    }
    let marked = dom::attr(el, "class").is_some_and(|class| {
        class
            .split_ascii_whitespace()
            .any(|c| dom::contains_ci(c, "brand") || dom::contains_ci(c, "logo"))
    });
    marked && (name == "a" || link_count(node) == 1)
}

/// Headings such as "Main navigation" or "You are here" name a menu; they are no item.
fn looks_like_menu_name(label: &str) -> bool {
    let lower = label.to_lowercase();
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
}

fn is_separator(label: &str) -> bool {
    label.chars().all(|c| !c.is_alphanumeric())
}
