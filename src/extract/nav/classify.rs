//! Each menu's kind, from its markup and place: breadcrumb, footer, secondary (a
//! utility bar, a sidebar), or other; the primary menu is chosen among the rest in
//! `primary`.

use std::sync::LazyLock;

use ego_tree::{NodeId, NodeRef};
use scraper::node::{Element, Node};
use url::Url;

use super::super::dom::{self, atom, is_one_of, TextRule};
use super::super::marker_set::MarkerSet;
use super::super::page::{Menu, MenuKind, NavItem};
use super::find::is_breadcrumb_element;
use super::item_shape::link_count;
use super::items::{ItemMeta, ItemReader};
use super::markers::{MOBILE_MARKERS, OTHER_MARKERS, PRIMARY_MARKERS, SECONDARY_MARKERS};
use super::Candidate;

/// One menu as read, with what the choice of the primary menu needs.
pub(super) struct FoundMenu {
    pub menu: Menu,
    /// Parallel to `menu.items`.
    pub meta: Vec<ItemMeta>,
    /// Points towards being the site's main menu from the menu's markup and place;
    /// `None` when the menu cannot be the main one.
    pub base_score: Option<i32>,
    /// Each list or row of the menu (see `ItemMeta::block`) and its tag and class, so
    /// that columns of one menu (`ul.col` beside `ul.col`) count as one block.
    pub blocks: Vec<(Option<NodeId>, String)>,
    /// Inside an off-canvas or mobile container: the copy to drop when duplicated.
    pub mobile: bool,
    /// Found only as an unmarked link row: kept only as the primary menu.
    pub inferred: bool,
    /// A sidebar menu: primary only when no other menu qualifies.
    pub side: bool,
}

/// Class or id parts of a column beside the content.
const SIDE_MARKERS: &[&str] = &["sidebar", "side-nav", "sidenav"];

/// Which marker lists a menu's context matches, found in one pass.
#[derive(Default)]
struct Markers {
    secondary: bool,
    /// A secondary marker other than a sidebar's.
    secondary_not_side: bool,
    other: bool,
    mobile: bool,
    footer: bool,
}

static MARKERS: LazyLock<(MarkerSet, Vec<Set>)> = LazyLock::new(|| {
    let mut patterns = Vec::new();
    let mut sets = Vec::new();
    for (list, set) in [
        (SECONDARY_MARKERS, Set::Secondary),
        (OTHER_MARKERS, Set::Other),
        (MOBILE_MARKERS, Set::Mobile),
        (&["footer"][..], Set::Footer),
    ] {
        for marker in list {
            patterns.push(*marker);
            sets.push(if set == Set::Secondary && SIDE_MARKERS.contains(marker) {
                Set::Side
            } else {
                set
            });
        }
    }
    (MarkerSet::new(&patterns), sets)
});

#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    Secondary,
    Side,
    Other,
    Mobile,
    Footer,
}

impl Markers {
    fn add(&mut self, value: &str) {
        let (markers, sets) = &*MARKERS;
        let found = self;
        markers.each_found(value, |pattern| match sets[pattern] {
            Set::Secondary => {
                found.secondary = true;
                found.secondary_not_side = true;
            }
            Set::Side => found.secondary = true,
            Set::Other => found.other = true,
            Set::Mobile => found.mobile = true,
            Set::Footer => found.footer = true,
        });
    }
}

pub(super) fn read_menu(candidate: &Candidate<'_>, base: Option<&Url>) -> Option<FoundMenu> {
    let root = candidate.root;
    let el = root.value().as_element()?;
    let breadcrumb =
        !candidate.inferred && (is_breadcrumb_element(el) || has_breadcrumb_list(root));
    let mut reader = ItemReader::new(base, breadcrumb);
    reader.read(root);
    let top_level = reader.items.iter().filter(|i| i.depth == 0).count();
    // A link row is kept only as the primary menu, which needs three items.
    if top_level == 0 || (candidate.inferred && top_level < 3) {
        return None;
    }
    let label = menu_label(root, el)
        .or(reader.title.take())
        .or_else(|| heading_before(root))
        .unwrap_or_default();
    // A menu that names itself the main one is, whatever its wrapper's class says.
    let names_itself_main = has_primary_marker(el, &label);
    let placement = candidate.placement;
    let found = Markers::of_context(root);
    let secondary_marker = found.secondary;
    let other_marker = found.other;
    // A sidebar is secondary, but on a site whose only menu is the sidebar (blogs,
    // wikis), it is the main menu: it stays a candidate, chosen only when no other is.
    let side_only = !found.secondary_not_side && (placement.in_aside || found.secondary);
    let kind = if breadcrumb {
        MenuKind::Breadcrumb
    } else if placement.in_footer || found.footer {
        MenuKind::Footer
    } else if !names_itself_main && (placement.in_aside || secondary_marker) {
        MenuKind::Secondary
    } else {
        // `Other` unless `choose_primary` makes it the primary menu.
        MenuKind::Other
    };
    let in_page_only = reader.in_page == reader.items.len();
    let eligible = (kind == MenuKind::Other || (kind == MenuKind::Secondary && side_only))
        && !in_page_only
        && !other_marker;
    let base_score = eligible.then(|| {
        let mut score = 0;
        if names_itself_main {
            score += 10;
        }
        if super::words::is_site_navigation_name(&label) {
            score += 5;
        }
        if placement.in_header {
            score += 5;
        }
        if el.name.local == *atom!("nav") || dom::attr(el, atom!("role")).is_some() {
            score += 2;
        }
        if placement.in_main {
            score -= 6;
        }
        if candidate.after_content {
            score -= 2;
        } else {
            score += 2;
        }
        if candidate.inferred {
            score -= 1;
        }
        score
    });
    let mut blocks: Vec<(Option<NodeId>, String)> = Vec::new();
    for (_, meta) in reader
        .items
        .iter()
        .zip(&reader.meta)
        .filter(|(i, _)| i.depth == 0)
    {
        if !blocks.iter().any(|(id, _)| *id == meta.block) {
            blocks.push((meta.block, block_signature(root, meta.block)));
        }
    }
    Some(FoundMenu {
        menu: Menu {
            kind,
            label,
            items: reader.items,
        },
        meta: reader.meta,
        base_score,
        blocks,
        mobile: found.mobile,
        inferred: candidate.inferred,
        side: kind == MenuKind::Secondary,
    })
}

/// Tag and class of a menu's list, for telling columns of one menu from a utility
/// list beside it.
fn block_signature(root: NodeRef<'_, Node>, block: Option<NodeId>) -> String {
    let Some(el) = block
        .and_then(|id| root.tree().get(id))
        .and_then(|n| n.value().as_element())
    else {
        return String::new();
    };
    format!(
        "{} {}",
        el.name(),
        dom::attr(el, atom!("class")).unwrap_or_default()
    )
}

/// Which markers the root and its three nearest ancestors carry (`class`, `id`,
/// `aria-label`, `role`): menus are usually wrapped in a div or two that carry the
/// telling class, while classes further up belong to page layout (`has-sidebar`) and
/// would mislead. Matched in place, ASCII case-insensitively, with no string built.
impl Markers {
    fn of_context(root: NodeRef<'_, Node>) -> Markers {
        let mut found = Markers::default();
        for node in std::iter::once(root).chain(root.ancestors()).take(4) {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            if is_one_of!(&el.name.local, "body" | "html") {
                break;
            }
            for (name, value) in &el.attrs {
                if is_one_of!(&name.local, "class" | "id" | "aria-label" | "role") {
                    found.add(value);
                }
            }
        }
        found
    }
}

fn has_primary_marker(el: &Element, label: &str) -> bool {
    static PRIMARY: LazyLock<MarkerSet> = LazyLock::new(|| MarkerSet::new(PRIMARY_MARKERS));
    let label_marked = if label.is_ascii() {
        PRIMARY.found_in(label)
    } else {
        PRIMARY.found_in(&label.to_lowercase())
    };
    label_marked
        || el.attrs.iter().any(|(name, value)| {
            is_one_of!(&name.local, "class" | "id" | "aria-label" | "role")
                && PRIMARY.found_in(value)
        })
}

fn has_breadcrumb_list(root: NodeRef<'_, Node>) -> bool {
    dom::descendants(root).take(50).any(|node| {
        node.value().as_element().is_some_and(|el| {
            dom::attr(el, atom!("itemtype")).is_some_and(|t| dom::contains_ci(t, "breadcrumblist"))
        })
    })
}

/// A menu's accessible name: `aria-label`, else the text `aria-labelledby` points at.
fn menu_label(root: NodeRef<'_, Node>, el: &Element) -> Option<String> {
    if let Some(label) = dom::attr(el, atom!("aria-label"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        return Some(dom::collapse_whitespace(label));
    }
    let ids = dom::attr(el, atom!("aria-labelledby"))?;
    let document = root.ancestors().last()?;
    let text: Vec<String> = ids
        .split_ascii_whitespace()
        .filter_map(|id| {
            dom::descendants(document)
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
    let titled = dom::heading_level(&el.name.local).is_some()
        || (link_count(previous) == 0 && dom::markers_contain(el, "title"));
    titled
        .then(|| dom::visible_text(previous, TextRule::Label))
        .filter(|t| !t.is_empty())
}

/// Two menus with the same items are one menu shown twice (desktop and mobile); the
/// mobile copy goes, or the later one. Footers and breadcrumbs repeat main items by
/// design and are left alone.
pub(super) fn drop_duplicates(menus: &mut Vec<FoundMenu>) {
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
            // A copy found only as an unmarked link row goes before a marked menu.
            let drop_earlier = (a.inferred && !b.inferred)
                || (a.inferred == b.inferred && a.mobile && !b.mobile)
                || (a.inferred == b.inferred
                    && a.mobile == b.mobile
                    && b.menu.items.len() > a.menu.items.len());
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
    // Sizes first: most pairs (a utility bar beside the main menu) differ in size, and
    // comparing items lowercases and hashes every label.
    if small.items.len() < 2 || small.items.len() * 2 < large.items.len() {
        return false;
    }
    let key = |item: &NavItem| (item.label.to_lowercase(), item.href.clone());
    let large_keys: hashbrown::HashSet<_> = large.items.iter().map(key).collect();
    let shared = small
        .items
        .iter()
        .filter(|i| large_keys.contains(&key(i)))
        .count();
    shared * 10 >= small.items.len() * 9
}
