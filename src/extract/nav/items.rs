//! One menu's items, read as a tree: list items, links, dropdown toggles and mega-menu
//! column titles are its nodes; the result is flat, in document order, with each item's
//! depth and the labels of its ancestors.

use ego_tree::{NodeId, NodeRef};
use scraper::node::{Element, Node};
use url::Url;

use super::super::dom::{self, atom, is_one_of, TextRule};
use super::super::page::NavItem;
use super::item_shape::{
    contains_list, find_item_label, has_following_heading, is_brand_link, is_current_crumb,
    is_invisible_in_menu, is_list_element, is_separator, link_count, looks_like_menu_name,
    next_element_is_submenu, single_link, ItemLabel,
};
use super::label::{is_logo, is_skip_link, link_label};
use super::resolve_href;

/// Items room is made for in each menu before reading it: most menus hold fewer, and
/// growing from empty reallocates at 4 and 8.
const ITEMS_RESERVED: usize = 16;

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
            items: Vec::with_capacity(ITEMS_RESERVED),
            meta: Vec::with_capacity(ITEMS_RESERVED),
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
            .is_some_and(|el| is_list_element(el) || is_one_of!(&el.name.local, "tr" | "table"))
        {
            self.block = Some(node.id());
        }
        let mut group: Option<String> = None;
        for child in dom::children(node) {
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
        let name = &el.name.local;
        if *name == *atom!("li") {
            self.list_item(node, depth, path);
        } else if *name == *atom!("a") {
            self.link(node, el, depth, path);
        } else if *name == *atom!("button") {
            // A toggle button beside a link only opens its submenu.
        } else if self.breadcrumb && is_current_crumb(node, el) {
            let label = dom::visible_text(node, TextRule::Label);
            if !is_separator(&label) {
                self.push(label, None, depth, path);
            }
        } else {
            self.walk_children(node, depth, path, consumed.in_child());
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
                // Most items are leaves: nothing beside their label can hold an item (a
                // breadcrumb's text can), and their label need not join the path.
                let more = self.breadcrumb
                    || dom::children(li).any(|c| c.value().is_element() && Some(c.id()) != node);
                if !more {
                    return self.push(text, href, depth, path);
                }
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
        let is_heading = dom::heading_level(&el.name.local).is_some();
        // Only a label-like element opens a submenu; a `div` beside a `div` is a sibling
        // item (menus built of divs), not the title of the next one.
        let is_toggle = !is_heading
            && is_one_of!(
                &el.name.local,
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
        let href = dom::attr(link, atom!("href"))?;
        if href.trim_start().starts_with('#') && dom::trim(href) != "#" {
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
