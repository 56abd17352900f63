//! Navigation deduplication: the menus of every page of one site folded into one row per
//! distinct item, counting the pages that showed it; and the site's primary menu settled
//! from all its pages (issue 9).
//!
//! A site repeats its header and footer menus on every page; written per page they would
//! bury the one thing a reader wants, the site's menu structure. A *menu* is recognised
//! from page to page by its top-level labels, in order (and by whether it is a footer, a
//! breadcrumb or other navigation); an item is the same item when its menu's final kind,
//! ancestor path, label and href are equal. The table lives in memory only while its
//! alliance is being crawled; its size is that of the site's navigation (breadcrumb
//! trails, which name each page, grow it by at most one menu per page).
//!
//! ## Page-level and site-level primary menu
//!
//! `extract` names each page's primary menu from that page alone. Across a crawl the
//! site's menu repeats, and the repetition settles what one page cannot:
//! 1. the **site's primary menu** is the menu that pages' own classification called
//!    primary on the most pages (ties: the menu seen on more pages, then the first);
//! 2. if no page had a primary menu, it is the menu (not a footer or breadcrumb) repeated
//!    on the most pages, at least two and at least half of them, with three or more
//!    top-level items: a block of links repeated across a site is its navigation;
//! 3. a menu that some page called primary stays `primary` when it is a variant of the
//!    site's (most of the smaller one's top-level labels are in the other: a section's
//!    expanded copy, a mobile copy); any other such menu becomes `secondary` (a utility
//!    bar one page mistook for the main menu);
//! 4. every other menu keeps the kind most of its pages gave it.
//!
//! `navigation.csv` and the report's "Primary menu" show this settled reading. The
//! verdicts do not change with it: a page's evidence and verdict come from that page's
//! own classification (what a visitor of that page sees as its main menu), and the
//! alliance's verdict is the strongest page verdict, so a library item in a menu that
//! only the site-level reading calls primary shows here but gives `present`, not
//! `leading`. An item's `pages_seen` counts the pages of the menu that showed it (when
//! variants of one menu fold into one row, the larger count).

use std::collections::{HashMap, HashSet};

use hashbrown::Equivalent;

use super::rows::NavRow;
use crate::extract::{Menu, MenuKind, NavItem, Page};
use strings::{Strings, Sym};

mod strings;

/// How a menu is recognised from page to page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MenuKey {
    group: Group,
    top_level: Box<[Sym]>,
}

/// A [`MenuKey`] borrowed from a page's menu, to look one up without building it.
/// Hashes as the owned one does (a slice as a boxed slice).
#[derive(Hash)]
struct MenuRef<'a> {
    group: Group,
    top_level: &'a [Sym],
}

impl Equivalent<MenuKey> for MenuRef<'_> {
    fn equivalent(&self, key: &MenuKey) -> bool {
        self.group == key.group && *self.top_level == *key.top_level
    }
}

/// Footers and breadcrumbs keep their kind; other navigation may be settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Group {
    Footer,
    Breadcrumb,
    Navigation,
}

/// An item: its ancestors' labels (each after a NUL, which parsed HTML text never
/// holds, so two paths are equal exactly when their labels are), label and href.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ItemKey {
    path: Sym,
    label: Sym,
    href: Option<Sym>,
}

#[derive(Debug, Clone, Copy)]
struct NavCount {
    /// Order of first appearance, to write rows in a natural reading order.
    first_seen: usize,
    depth: usize,
    pages_seen: usize,
    /// The last page that counted it: an item shown twice on a page counts once.
    last_page: usize,
}

#[derive(Debug, Default)]
struct MenuStats {
    first_seen: usize,
    pages: usize,
    /// Pages' own classification of this menu: pages per kind, indexed by
    /// `kind as usize` ([`MenuKind::ALL`] order).
    kinds: [usize; MenuKind::ALL.len()],
    /// The last page that counted it, and the kind it counted under there.
    last_page: usize,
    kind_on_page: Option<MenuKind>,
}

impl MenuStats {
    /// Counts page `page_no` once, however often the menu shows on it; a copy
    /// that page calls primary makes it primary there.
    fn count_page(&mut self, page_no: usize, kind: MenuKind) {
        if self.last_page != page_no {
            self.last_page = page_no;
            self.pages += 1;
            self.kind_on_page = Some(kind);
            self.kinds[kind as usize] += 1;
        } else if kind == MenuKind::Primary {
            if let Some(counted) = self.kind_on_page.replace(kind).filter(|k| *k != kind) {
                self.kinds[counted as usize] -= 1;
                self.kinds[kind as usize] += 1;
            }
        }
    }

    fn pages_of(&self, kind: MenuKind) -> usize {
        self.kinds[kind as usize]
    }
}

/// The distinct menus and items of one alliance's pages. Everything is held as
/// numbers into `strings`: a site's pages each add a breadcrumb trail of their own,
/// and at 10,000 pages the table was half of a crawl's heap when it held strings.
#[derive(Debug, Default)]
pub(crate) struct NavTable {
    pages: usize,
    strings: Strings,
    menus: hashbrown::HashMap<MenuKey, MenuStats>,
    /// Every menu's items: (the menu's `first_seen`, item) → count.
    items: hashbrown::HashMap<(usize, ItemKey), NavCount>,
    /// Items seen so far, for `first_seen`.
    next: usize,
    /// Reused from menu to menu: a menu's top-level labels, an item's path.
    labels: Vec<Sym>,
    path: String,
}

impl NavTable {
    /// Count the menus and items of one page; a menu or an item shown twice on a page
    /// counts once (a menu shown twice counts as primary if either copy was).
    pub(crate) fn add_page(&mut self, page: &Page) {
        self.pages += 1;
        let page_no = self.pages;
        for menu in &page.navigation {
            let menu_id = self.count_menu(menu, page_no);
            for item in &menu.items {
                let key = self.item_key(item);
                let next = &mut self.next;
                let count = self.items.entry((menu_id, key)).or_insert_with(|| {
                    *next += 1;
                    NavCount {
                        first_seen: *next,
                        depth: item.depth,
                        pages_seen: 0,
                        last_page: 0,
                    }
                });
                if count.last_page != page_no {
                    count.last_page = page_no;
                    count.pages_seen += 1;
                }
            }
        }
    }

    /// Counts `menu` on page `page_no`; its `first_seen`, which names it.
    fn count_menu(&mut self, menu: &Menu, page_no: usize) -> usize {
        let group = match menu.kind {
            MenuKind::Footer => Group::Footer,
            MenuKind::Breadcrumb => Group::Breadcrumb,
            _ => Group::Navigation,
        };
        self.labels.clear();
        for label in menu.top_level_labels() {
            self.labels.push(self.strings.sym(label));
        }
        let found = MenuRef {
            group,
            top_level: &self.labels,
        };
        let seen = self.menus.len();
        let stats = match self.menus.get_mut(&found) {
            Some(stats) => stats,
            None => self
                .menus
                .entry(MenuKey {
                    group,
                    top_level: self.labels.as_slice().into(),
                })
                .or_insert_with(|| MenuStats {
                    first_seen: seen,
                    ..MenuStats::default()
                }),
        };
        stats.count_page(page_no, menu.kind);
        stats.first_seen
    }

    fn item_key(&mut self, item: &NavItem) -> ItemKey {
        self.path.clear();
        for label in &item.path {
            self.path.push('\0');
            self.path.push_str(label);
        }
        ItemKey {
            path: self.strings.sym(&self.path),
            label: self.strings.sym(&item.label),
            href: item.href.as_deref().map(|href| self.strings.sym(href)),
        }
    }

    /// The rows, in order of first appearance, each menu under its settled kind.
    pub(crate) fn into_rows(self, alliance_id: &str) -> Vec<NavRow> {
        let site_primary = self.site_primary();
        let kind_of: HashMap<usize, MenuKind> = self
            .menus
            .iter()
            .map(|(key, stats)| (stats.first_seen, settled_kind(key, stats, site_primary)))
            .collect();
        let mut rows: HashMap<(MenuKind, ItemKey), NavCount> = HashMap::new();
        for (&(menu_id, item), count) in &self.items {
            rows.entry((kind_of[&menu_id], item))
                .and_modify(|merged| {
                    merged.first_seen = merged.first_seen.min(count.first_seen);
                    merged.pages_seen = merged.pages_seen.max(count.pages_seen);
                })
                .or_insert(*count);
        }
        let mut rows: Vec<_> = rows.into_iter().collect();
        rows.sort_by_key(|(_, count)| count.first_seen);
        let text = |sym| self.strings.text(sym).to_string();
        rows.into_iter()
            .map(|((kind, item), count)| NavRow {
                alliance_id: alliance_id.to_string(),
                menu_kind: kind,
                depth: count.depth,
                path: self
                    .strings
                    .text(item.path)
                    .split('\0')
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(" > "),
                label: text(item.label),
                href: item.href.map(text),
                pages_seen: count.pages_seen,
            })
            .collect()
    }

    /// The site's primary menu, by the rules in the module documentation.
    fn site_primary(&self) -> Option<&MenuKey> {
        let navigation = || {
            self.menus
                .iter()
                .filter(|(key, _)| key.group == Group::Navigation)
        };
        let voted = navigation()
            .map(|(key, stats)| (key, stats, stats.pages_of(MenuKind::Primary)))
            .filter(|(_, _, votes)| *votes > 0)
            .max_by_key(|(_, stats, votes)| {
                (*votes, stats.pages, std::cmp::Reverse(stats.first_seen))
            })
            .map(|(key, _, _)| key);
        voted.or_else(|| {
            navigation()
                .filter(|(key, stats)| {
                    key.top_level.len() >= 3 && stats.pages >= 2 && stats.pages * 2 >= self.pages
                })
                .max_by_key(|(key, stats)| {
                    (
                        stats.pages,
                        key.top_level.len(),
                        std::cmp::Reverse(stats.first_seen),
                    )
                })
                .map(|(key, _)| key)
        })
    }
}

/// A menu's kind once the whole site is seen.
fn settled_kind(key: &MenuKey, stats: &MenuStats, site_primary: Option<&MenuKey>) -> MenuKind {
    match key.group {
        Group::Footer => return MenuKind::Footer,
        Group::Breadcrumb => return MenuKind::Breadcrumb,
        Group::Navigation => {}
    }
    if site_primary == Some(key) {
        return MenuKind::Primary;
    }
    if stats.pages_of(MenuKind::Primary) > 0 {
        return match site_primary {
            Some(site) if is_variant(&key.top_level, &site.top_level) => MenuKind::Primary,
            _ => MenuKind::Secondary,
        };
    }
    // The kind most pages gave it; among equals, the first in `MenuKind`'s order.
    MenuKind::ALL
        .iter()
        .zip(stats.kinds)
        .filter(|(_, pages)| *pages > 0)
        .max_by_key(|(kind, pages)| (*pages, std::cmp::Reverse(**kind)))
        .map_or(MenuKind::Other, |(kind, _)| *kind)
}

/// Most of the smaller list's labels are in the larger: two readings of one menu.
fn is_variant(a: &[Sym], b: &[Sym]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return false;
    }
    let large: HashSet<&Sym> = large.iter().collect();
    let shared = small.iter().filter(|l| large.contains(l)).count();
    shared * 10 >= small.len() * 6
}

#[cfg(test)]
mod tests;
