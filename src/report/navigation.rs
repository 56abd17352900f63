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

use super::rows::NavRow;
use crate::extract::{Menu, MenuKind, Page};

/// How a menu is recognised from page to page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MenuKey {
    group: Group,
    top_level: Vec<String>,
}

/// Footers and breadcrumbs keep their kind; other navigation may be settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Group {
    Footer,
    Breadcrumb,
    Navigation,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ItemKey {
    path: Vec<String>,
    label: String,
    href: Option<String>,
}

#[derive(Debug, Clone, Copy)]
struct NavCount {
    /// Order of first appearance, to write rows in a natural reading order.
    first_seen: usize,
    depth: usize,
    pages_seen: usize,
}

#[derive(Debug, Default)]
struct MenuStats {
    first_seen: usize,
    pages: usize,
    /// Pages' own classification of this menu: kind → pages.
    kinds: HashMap<MenuKind, usize>,
    items: HashMap<ItemKey, NavCount>,
}

/// The distinct menus and items of one alliance's pages.
#[derive(Debug, Default)]
pub(crate) struct NavTable {
    pages: usize,
    menus: HashMap<MenuKey, MenuStats>,
    /// Items seen so far, for `first_seen`.
    next: usize,
}

impl NavTable {
    /// Count the menus and items of one page; a menu or an item shown twice on a page
    /// counts once (a menu shown twice counts as primary if either copy was).
    pub(crate) fn add_page(&mut self, page: &Page) {
        self.pages += 1;
        let mut kinds_on_page: HashMap<MenuKey, MenuKind> = HashMap::new();
        let mut items_on_page: HashSet<(MenuKey, ItemKey)> = HashSet::new();
        for menu in &page.navigation {
            let key = menu_key(menu);
            let seen = self.menus.len();
            let stats = self.menus.entry(key.clone()).or_insert_with(|| MenuStats {
                first_seen: seen,
                ..MenuStats::default()
            });
            let kind = kinds_on_page.entry(key.clone()).or_insert(menu.kind);
            if menu.kind == MenuKind::Primary {
                *kind = MenuKind::Primary;
            }
            for item in &menu.items {
                let item_key = ItemKey {
                    path: item.path.clone(),
                    label: item.label.clone(),
                    href: item.href.clone(),
                };
                let next = &mut self.next;
                let count = stats.items.entry(item_key.clone()).or_insert_with(|| {
                    *next += 1;
                    NavCount {
                        first_seen: *next,
                        depth: item.depth,
                        pages_seen: 0,
                    }
                });
                if items_on_page.insert((key.clone(), item_key)) {
                    count.pages_seen += 1;
                }
            }
        }
        for (key, kind) in kinds_on_page {
            if let Some(stats) = self.menus.get_mut(&key) {
                stats.pages += 1;
                *stats.kinds.entry(kind).or_default() += 1;
            }
        }
    }

    /// The rows, in order of first appearance, each menu under its settled kind.
    pub(crate) fn into_rows(self, alliance_id: &str) -> Vec<NavRow> {
        let site_primary = self.site_primary();
        let mut rows: HashMap<(MenuKind, ItemKey), NavCount> = HashMap::new();
        for (key, stats) in &self.menus {
            let kind = settled_kind(key, stats, site_primary);
            for (item, count) in &stats.items {
                rows.entry((kind, item.clone()))
                    .and_modify(|merged| {
                        merged.first_seen = merged.first_seen.min(count.first_seen);
                        merged.pages_seen = merged.pages_seen.max(count.pages_seen);
                    })
                    .or_insert(*count);
            }
        }
        let mut rows: Vec<_> = rows.into_iter().collect();
        rows.sort_by_key(|(_, count)| count.first_seen);
        rows.into_iter()
            .map(|((kind, item), count)| NavRow {
                alliance_id: alliance_id.to_string(),
                menu_kind: kind,
                depth: count.depth,
                path: item.path.join(" > "),
                label: item.label,
                href: item.href,
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
            .map(|(key, stats)| (key, stats, primary_pages(stats)))
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

fn menu_key(menu: &Menu) -> MenuKey {
    MenuKey {
        group: match menu.kind {
            MenuKind::Footer => Group::Footer,
            MenuKind::Breadcrumb => Group::Breadcrumb,
            _ => Group::Navigation,
        },
        top_level: menu
            .top_level_labels()
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

fn primary_pages(stats: &MenuStats) -> usize {
    stats.kinds.get(&MenuKind::Primary).copied().unwrap_or(0)
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
    if primary_pages(stats) > 0 {
        return match site_primary {
            Some(site) if is_variant(&key.top_level, &site.top_level) => MenuKind::Primary,
            _ => MenuKind::Secondary,
        };
    }
    // The kind most pages gave it; among equals, the first in `MenuKind`'s order.
    stats
        .kinds
        .iter()
        .max_by_key(|(kind, pages)| (**pages, std::cmp::Reverse(**kind)))
        .map_or(MenuKind::Other, |(kind, _)| *kind)
}

/// Most of the smaller list's labels are in the larger: two readings of one menu.
fn is_variant(a: &[String], b: &[String]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return false;
    }
    let large: HashSet<&String> = large.iter().collect();
    let shared = small.iter().filter(|l| large.contains(l)).count();
    shared * 10 >= small.len() * 6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Menu, NavItem};

    fn item(label: &str, href: &str, path: &[&str]) -> NavItem {
        NavItem {
            label: label.into(),
            href: Some(href.into()),
            depth: path.len(),
            path: path.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn page(menus: Vec<Menu>) -> Page {
        Page {
            navigation: menus,
            ..Page::default()
        }
    }

    fn primary(items: Vec<NavItem>) -> Menu {
        Menu {
            kind: MenuKind::Primary,
            label: String::new(),
            items,
        }
    }

    #[test]
    fn items_are_counted_once_per_page_in_first_seen_order() {
        let mut table = NavTable::default();
        let about = item("About", "/about/", &[]);
        let groups = item("Groups", "/about/groups/", &["About"]);
        // The same menu twice on one page (desktop and mobile copies).
        table.add_page(&page(vec![
            primary(vec![about.clone(), groups.clone()]),
            primary(vec![about.clone()]),
        ]));
        table.add_page(&page(vec![primary(vec![about.clone()])]));
        let footer = Menu {
            kind: MenuKind::Footer,
            label: String::new(),
            items: vec![about.clone()],
        };
        table.add_page(&page(vec![footer]));

        let rows = table.into_rows("leru");
        let seen: Vec<_> = rows
            .iter()
            .map(|r| (r.menu_kind, r.path.as_str(), r.label.as_str(), r.pages_seen))
            .collect();
        assert_eq!(
            seen,
            [
                (MenuKind::Primary, "", "About", 2),
                (MenuKind::Primary, "About", "Groups", 1),
                (MenuKind::Footer, "", "About", 1),
            ]
        );
        assert_eq!(rows[1].depth, 1);
    }

    fn menu(kind: MenuKind, labels: &[&str]) -> Menu {
        Menu {
            kind,
            label: String::new(),
            items: labels
                .iter()
                .map(|l| item(l, &format!("/{}/", l.to_lowercase()), &[]))
                .collect(),
        }
    }

    fn kinds(rows: &[NavRow]) -> Vec<(&str, MenuKind)> {
        rows.iter()
            .map(|r| (r.label.as_str(), r.menu_kind))
            .collect()
    }

    /// Issue 9: one page mistook its utility bar for the main menu; the menu the other
    /// pages call primary is the site's, and the utility bar is secondary everywhere.
    #[test]
    fn the_menu_most_pages_call_primary_is_the_sites() {
        let mut table = NavTable::default();
        let main = ["About", "Research", "Libraries"];
        let utility = ["Login", "Contact"];
        table.add_page(&page(vec![
            menu(MenuKind::Primary, &utility),
            menu(MenuKind::Other, &main),
        ]));
        for _ in 0..3 {
            table.add_page(&page(vec![
                menu(MenuKind::Secondary, &utility),
                menu(MenuKind::Primary, &main),
            ]));
        }
        let rows = table.into_rows("una-europa");
        assert_eq!(
            kinds(&rows),
            [
                ("Login", MenuKind::Secondary),
                ("Contact", MenuKind::Secondary),
                ("About", MenuKind::Primary),
                ("Research", MenuKind::Primary),
                ("Libraries", MenuKind::Primary),
            ]
        );
        assert!(rows.iter().all(|r| r.pages_seen == 4));
    }

    /// With no primary menu on any page, the block repeated on most pages is the
    /// site's navigation; a list on a single page is not.
    #[test]
    fn a_menu_repeated_across_pages_is_primary_when_no_page_named_one() {
        let mut table = NavTable::default();
        let repeated = ["Home", "Members", "Projects", "News"];
        table.add_page(&page(vec![
            menu(MenuKind::Other, &repeated),
            menu(MenuKind::Other, &["Annual report", "Statutes", "Budget"]),
        ]));
        table.add_page(&page(vec![menu(MenuKind::Other, &repeated)]));
        table.add_page(&page(vec![menu(MenuKind::Other, &repeated)]));
        table.add_page(&page(vec![]));
        let rows = table.into_rows("idea-league");
        let primary: Vec<&str> = rows
            .iter()
            .filter(|r| r.menu_kind == MenuKind::Primary)
            .map(|r| r.label.as_str())
            .collect();
        assert_eq!(primary, repeated);
        assert!(rows
            .iter()
            .filter(|r| r.label == "Statutes")
            .all(|r| r.menu_kind == MenuKind::Other));
    }

    /// A menu on fewer than half the pages settles nothing.
    #[test]
    fn a_menu_on_few_pages_is_not_made_primary() {
        let mut table = NavTable::default();
        table.add_page(&page(vec![menu(MenuKind::Other, &["A", "B", "C"])]));
        table.add_page(&page(vec![menu(MenuKind::Other, &["A", "B", "C"])]));
        for _ in 0..3 {
            table.add_page(&page(vec![]));
        }
        let rows = table.into_rows("x");
        assert!(rows.iter().all(|r| r.menu_kind == MenuKind::Other));
    }
}
