//! Navigation menus: finding them, reading their items as a tree, and telling the
//! site's main menu from utility bars, sidebars, footers and breadcrumbs.
//!
//! Real sites mark menus in many ways (`<nav>`, `role="navigation"`, WordPress
//! `menu-item`, Drupal `menu--main`, Bootstrap `navbar`, bare `<ul>`s in a `<header>`),
//! so a menu is found by any of those signs, and read by one walker that treats list
//! items, dropdown toggles and mega-menu column titles as the nodes of a tree.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use ego_tree::{NodeId, NodeRef};
use scraper::node::{Element, Node};
use url::Url;

use super::dom::{self, TextRule};
use super::page::{Menu, MenuKind, NavItem};

/// Where a menu root sits in the page, gathered by the page walk on the way down.
#[derive(Debug, Clone, Copy, Default)]
pub struct Placement {
    pub in_header: bool,
    pub in_footer: bool,
    pub in_aside: bool,
    pub in_main: bool,
}

/// A menu root found by the page walk, before it is read.
pub struct Candidate<'a> {
    pub root: NodeRef<'a, Node>,
    pub placement: Placement,
}

/// Whether `el` starts a menu. `placement` tells if bare lists count (in a header or
/// footer a plain `<ul>` of links is a menu; in an article it is content).
pub fn is_menu_root(node: NodeRef<'_, Node>, el: &Element, placement: Placement) -> bool {
    let name = el.name();
    let is_list = matches!(name, "ul" | "ol" | "menu");
    let (mut landmark, mut breadcrumb, mut marked) = (name == "nav", false, false);
    for (attr, value) in el.attrs() {
        match attr {
            "role" => {
                landmark |= value.eq_ignore_ascii_case("navigation");
                breadcrumb |= is_breadcrumb_marker(value);
            }
            "aria-label" | "itemtype" => breadcrumb |= is_breadcrumb_marker(value),
            "class" | "id" => {
                breadcrumb |= is_breadcrumb_marker(value);
                marked |= value
                    .split_ascii_whitespace()
                    .any(|token| is_menu_token(token, is_list));
            }
            _ => {}
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
    if marked && (is_list || (name == "div" && !contains_landmark(node))) {
        return true;
    }
    is_list && (placement.in_header || placement.in_footer) && !placement.in_main
}

fn is_landmark(el: &Element) -> bool {
    el.name() == "nav"
        || dom::attr(el, "role").is_some_and(|r| r.eq_ignore_ascii_case("navigation"))
}

fn contains_landmark(node: NodeRef<'_, Node>) -> bool {
    node.descendants()
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

fn is_breadcrumb_element(el: &Element) -> bool {
    el.attrs().any(|(name, value)| {
        matches!(name, "class" | "id" | "aria-label" | "role" | "itemtype")
            && is_breadcrumb_marker(value)
    })
}

fn is_breadcrumb_marker(value: &str) -> bool {
    static MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(BREADCRUMB_MARKERS)
            .expect("plain marker strings")
    });
    MARKERS.is_match(value)
}

/// How sites name a breadcrumb trail in their class, id or `aria-label`, in the
/// languages of the alliances' sites.
const BREADCRUMB_MARKERS: &[&str] = &[
    "breadcrumb",
    "brotkr",
    "pfadnavigation",
    "sie sind hier",
    "fil d'ariane",
    "fil-d-ariane",
    "ariane",
    "miga",
    "briciol",
    "kruimel",
    "okruszk",
    "ścieżka",
    "sciezka",
    "brödsmul",
    "brodsmul",
    "brødkrumme",
    "brodkrumme",
    "brødsti",
    "murupolku",
    "migalha",
    "trilha",
    "you are here",
    "vous êtes ici",
];

/// Reads every candidate into menus, drops duplicates (a mobile copy of the main
/// menu), and names exactly one menu `primary` when any qualifies.
pub fn read_menus(candidates: &[Candidate<'_>], base: Option<&Url>) -> Vec<Menu> {
    let mut found: Vec<FoundMenu> = candidates
        .iter()
        .filter_map(|candidate| read_menu(candidate, base))
        .collect();
    drop_duplicates(&mut found);
    choose_primary(&mut found);
    found.into_iter().map(|f| f.menu).collect()
}

struct FoundMenu {
    menu: Menu,
    /// Points towards being the site's main menu; `None` when the menu cannot be.
    primary_score: Option<i32>,
    /// Inside an off-canvas or mobile container: the copy to drop when duplicated.
    mobile: bool,
}

fn read_menu(candidate: &Candidate<'_>, base: Option<&Url>) -> Option<FoundMenu> {
    let root = candidate.root;
    let el = root.value().as_element()?;
    let breadcrumb = is_breadcrumb_element(el) || has_breadcrumb_list(root);
    let mut reader = ItemReader {
        base,
        breadcrumb,
        items: Vec::new(),
        in_page: 0,
        title: None,
    };
    reader.walk_children(root, 0, &mut Vec::new(), Consumed::Nothing);
    if reader.items.is_empty() {
        return None;
    }
    let label = menu_label(root, el)
        .or(reader.title)
        .or_else(|| heading_before(root))
        .unwrap_or_default();
    let context = context_markers(root);
    // A menu that names itself the main one is, whatever its wrapper's class says.
    let names_itself_main = has_primary_marker(el, &label);
    let kind = if breadcrumb {
        MenuKind::Breadcrumb
    } else if candidate.placement.in_footer || context.contains("footer") {
        MenuKind::Footer
    } else if !names_itself_main
        && (candidate.placement.in_aside || SECONDARY_MARKERS.iter().any(|m| context.contains(m)))
    {
        MenuKind::Secondary
    } else if OTHER_MARKERS.iter().any(|m| context.contains(m)) {
        MenuKind::Other
    } else {
        // Decided by `choose_primary`.
        MenuKind::Other
    };
    let in_page_only = reader.in_page == reader.items.len();
    let top_level = reader.items.iter().filter(|i| i.depth == 0).count();
    let primary_score = (kind == MenuKind::Other
        && !in_page_only
        && top_level >= 2
        && !OTHER_MARKERS.iter().any(|m| context.contains(m)))
    .then(|| primary_score(el, candidate.placement, &label, reader.items.len()));
    Some(FoundMenu {
        menu: Menu {
            kind,
            label,
            items: reader.items,
        },
        primary_score,
        mobile: MOBILE_MARKERS.iter().any(|m| context.contains(m)),
    })
}

/// Signs of a utility bar, a language switch or a section menu beside the content.
const SECONDARY_MARKERS: &[&str] = &[
    "secondary",
    "utility",
    "top-bar",
    "topbar",
    "toolbar",
    "service",
    "meta-nav",
    "metanav",
    "quick",
    "language",
    "lang-",
    "social",
    "sidebar",
    "side-nav",
    "sidenav",
    "section-nav",
    "subnav",
    "sub-nav",
    "local-nav",
    "in-this-section",
    "account",
    "audience",
    "tertiary",
    "header-links",
    "top-links",
    "top-menu",
    "topmenu",
];

/// Signs of in-page navigation that is no site menu.
const OTHER_MARKERS: &[&str] = &[
    "pagination",
    "pager",
    "tabs",
    "table-of-contents",
    "toc",
    "share",
    "tags",
    "filter",
    "steps",
    "post-nav",
    "page-nav",
    "article-nav",
    "jump",
];

const MOBILE_MARKERS: &[&str] = &[
    "mobile",
    "offcanvas",
    "off-canvas",
    "drawer",
    "slideout",
    "slide-out",
    "responsive-menu",
    "hamburger",
    "mm-menu",
    "sidr",
];

/// Signs of the site's main menu, in class, id or name ("Hauptnavigation",
/// "Hovedmenu", "Menú principal").
const PRIMARY_MARKERS: &[&str] = &[
    "main",
    "primary",
    "site-nav",
    "mainnav",
    "mega",
    "navbar",
    "header-menu",
    "hauptnav",
    "hauptmen",
    "hovedmen",
    "huvudmen",
    "huvudnav",
    "hoofdmen",
    "hoofdnav",
    "päävalik",
    "paavalik",
    "principal",
    "główn",
    "glown",
    "global",
];

/// Markers of the root and of its three nearest ancestors: menus are usually wrapped
/// in a div or two that carry the telling class, while classes further up belong to
/// page layout (`has-sidebar`) and would mislead.
fn context_markers(root: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for node in std::iter::once(root).chain(root.ancestors()).take(4) {
        if let Some(el) = node.value().as_element() {
            if matches!(el.name(), "body" | "html") {
                break;
            }
            out.push_str(&dom::markers(el));
        }
    }
    out
}

fn has_primary_marker(el: &Element, label: &str) -> bool {
    let own = format!("{} {}", dom::markers(el), label.to_lowercase());
    PRIMARY_MARKERS.iter().any(|m| own.contains(m))
}

fn primary_score(el: &Element, placement: Placement, label: &str, items: usize) -> i32 {
    let mut score = 0;
    if has_primary_marker(el, label) {
        score += 10;
    }
    if placement.in_header {
        score += 5;
    }
    if el.name() == "nav" || dom::attr(el, "role").is_some() {
        score += 2;
    }
    if items >= 3 {
        score += 2;
    }
    if placement.in_main {
        score -= 6;
    }
    score
}

fn has_breadcrumb_list(root: NodeRef<'_, Node>) -> bool {
    root.descendants().take(50).any(|node| {
        node.value().as_element().is_some_and(|el| {
            dom::attr(el, "itemtype")
                .is_some_and(|t| t.to_ascii_lowercase().contains("breadcrumblist"))
        })
    })
}

/// A menu's accessible name: `aria-label`, else the text `aria-labelledby` points at.
fn menu_label(root: NodeRef<'_, Node>, el: &Element) -> Option<String> {
    if let Some(label) = dom::attr(el, "aria-label")
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        return Some(dom::collapse_whitespace(label));
    }
    let ids = dom::attr(el, "aria-labelledby")?;
    let document = root.ancestors().last()?;
    let text: Vec<String> = ids
        .split_ascii_whitespace()
        .filter_map(|id| {
            document
                .descendants()
                .find(|n| n.value().as_element().and_then(Element::id) == Some(id))
                .map(|n| dom::visible_text(n, TextRule::Outline))
        })
        .filter(|t| !t.is_empty())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// A footer column is often a heading followed by a bare list: the heading names it.
fn heading_before(root: NodeRef<'_, Node>) -> Option<String> {
    let previous = root.prev_siblings().find(|n| n.value().is_element())?;
    let el = previous.value().as_element()?;
    let titled = dom::heading_level(el.name()).is_some()
        || (link_count(previous) == 0 && dom::markers(el).contains("title"));
    titled
        .then(|| dom::visible_text(previous, TextRule::Label))
        .filter(|t| !t.is_empty())
}

/// Two menus with the same items are one menu shown twice (desktop and mobile); the
/// mobile copy goes, or the later one. Footers and breadcrumbs repeat main items by
/// design and are left alone.
fn drop_duplicates(menus: &mut Vec<FoundMenu>) {
    let comparable =
        |m: &FoundMenu| !matches!(m.menu.kind, MenuKind::Footer | MenuKind::Breadcrumb);
    let mut drop = vec![false; menus.len()];
    for later in 0..menus.len() {
        for earlier in 0..later {
            if drop[earlier]
                || drop[later]
                || !comparable(&menus[earlier])
                || !comparable(&menus[later])
            {
                continue;
            }
            let (a, b) = (&menus[earlier], &menus[later]);
            if !same_items(&a.menu, &b.menu) {
                continue;
            }
            let drop_earlier = a.mobile && !b.mobile
                || (a.mobile == b.mobile && b.menu.items.len() > a.menu.items.len());
            if drop_earlier {
                drop[earlier] = true;
            } else {
                drop[later] = true;
            }
        }
    }
    let mut flags = drop.into_iter();
    menus.retain(|_| !flags.next().unwrap_or(false));
}

/// Whether the smaller menu's items (label and link) nearly all appear in the larger.
fn same_items(a: &Menu, b: &Menu) -> bool {
    let (small, large) = if a.items.len() <= b.items.len() {
        (a, b)
    } else {
        (b, a)
    };
    if small.items.len() < 2 {
        return false;
    }
    let key = |item: &NavItem| (item.label.to_lowercase(), item.href.clone());
    let large_keys: std::collections::HashSet<_> = large.items.iter().map(key).collect();
    let shared = small
        .items
        .iter()
        .filter(|i| large_keys.contains(&key(i)))
        .count();
    shared * 10 >= small.items.len() * 9 && small.items.len() * 2 >= large.items.len()
}

fn choose_primary(menus: &mut [FoundMenu]) {
    let best = menus
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.primary_score.map(|s| (i, s)))
        // Highest score; the earliest menu among equals.
        .max_by_key(|&(i, s)| (s, std::cmp::Reverse(i)));
    let Some((best, score)) = best else { return };
    if score < 4 {
        return;
    }
    menus[best].menu.kind = MenuKind::Primary;
}

/// Reads one menu's items into a flat list in document order, with depth and path.
struct ItemReader<'u> {
    base: Option<&'u Url>,
    breadcrumb: bool,
    items: Vec<NavItem>,
    /// Items linking within the page (`href="#..."`): a menu of only these is a table
    /// of contents or a skip-link block, never the site's menu.
    in_page: usize,
    /// A heading that names the whole menu (`<nav><h2>Quick links</h2><ul>..`).
    title: Option<String>,
}

impl ItemReader<'_> {
    fn push(&mut self, label: String, href: Option<String>, depth: usize, path: &[String]) {
        if self.breadcrumb && href.is_none() && label.ends_with(':') {
            return;
        }
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
            if is_invisible_in_menu(el) || is_brand_link(el) {
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
        let label = dom::visible_text(node, TextRule::Label);
        if label.is_empty() || is_skip_link(el, &label) {
            return;
        }
        let href = self.resolve(el);
        self.push(label, href, depth, path);
    }

    fn list_item(&mut self, li: NodeRef<'_, Node>, depth: usize, path: &mut Vec<String>) {
        match find_item_label(li) {
            Some(ItemLabel { text, link, node }) => {
                if link.is_some_and(|a| is_skip_link(a, &text)) {
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

/// An href as the menu shows it: absolute when a base is known; `None` for the
/// placeholders dropdown toggles use (`#`, `javascript:`).
pub fn resolve_href(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if href.is_empty() || href == "#" || lower.starts_with("javascript:") {
        return None;
    }
    match base {
        Some(base) => base.join(href).ok().map(String::from),
        None => Some(href.to_string()),
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
                if is_invisible_in_menu(el) || is_brand_link(el) {
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
        link: None,
        node: None,
    })
}

fn label_in_element<'a>(node: NodeRef<'a, Node>, el: &'a Element) -> Option<ItemLabel<'a>> {
    match el.name() {
        "a" => {
            let text = dom::visible_text(node, TextRule::Label);
            (!text.is_empty()).then_some(ItemLabel {
                text,
                link: Some(el),
                node: Some(node.id()),
            })
        }
        "button" if contains_list(node) => None,
        _ if link_count(node) == 0 && !contains_list(node) => {
            let text = dom::visible_text(node, TextRule::Label);
            (!text.is_empty()).then_some(ItemLabel {
                text,
                link: None,
                node: Some(node.id()),
            })
        }
        // A wrapper such as `<div class="menu-link"><a>..</a><button/></div>`.
        _ if !contains_list(node) => node.children().find_map(|child| {
            let el = child.value().as_element()?;
            if is_invisible_in_menu(el) || is_brand_link(el) {
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

/// The site's logo or name linking home (`navbar-brand`, `custom-logo-link`) sits in
/// many menus but is no menu item.
fn is_brand_link(el: &Element) -> bool {
    el.name() == "a"
        && dom::attr(el, "class").is_some_and(|class| {
            class
                .split_ascii_whitespace()
                .any(|c| c.contains("brand") || c.contains("logo"))
        })
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

/// "Skip to main content" links are for keyboard users, not part of the site's menu.
fn is_skip_link(el: &Element, label: &str) -> bool {
    let lower = label.to_lowercase();
    let in_page = dom::attr(el, "href").is_some_and(|h| h.trim_start().starts_with('#'));
    SKIP_LINK_TEXT.iter().any(|p| lower.starts_with(p))
        || (in_page
            && (dom::markers(el).contains("skip")
                || IN_PAGE_JUMP_TEXT.iter().any(|p| lower.starts_with(p))))
}

/// How skip links begin, in the languages of the alliances' sites.
const SKIP_LINK_TEXT: &[&str] = &[
    "skip to",
    "skip navigation",
    "skip main",
    "skip content",
    "jump to",
    "springe ",
    "direkt zu",
    "zum inhalt",
    "aller au contenu",
    "passer au contenu",
    "aller à la navigation",
    "saltar al contenido",
    "ir al contenido",
    "vai al contenuto",
    "salta al contenuto",
    "ga naar de inhoud",
    "naar hoofdinhoud",
    "przejdź do",
    "hoppa till",
    "gå til hovedinnhold",
    "gå til indhold",
    "siirry sisältöön",
    "ir para o conteúdo",
];

/// Labels of in-page jump links ("Zum Hauptmenü", "To search") in a skip-link block.
const IN_PAGE_JUMP_TEXT: &[&str] = &[
    "zum ",
    "zur ",
    "to content",
    "to main",
    "to navigation",
    "to search",
    "main content",
    "content",
    "inhalt",
    "navigation",
    "search",
    "suche",
    "menu",
    "menü",
    "contenu",
];
