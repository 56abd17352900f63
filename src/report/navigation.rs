//! Navigation deduplication: the menus of every page of one site folded into one row per
//! distinct item, counting the pages that showed it.
//!
//! A site repeats its header and footer menus on every page; written per page they would
//! bury the one thing a reader wants, the site's menu structure. An item is the same item
//! when its menu kind, ancestor path, label and href are equal. The table lives in memory
//! only while its alliance is being crawled; its size is that of the site's navigation
//! (breadcrumb trails, which name each page, grow it by at most one item per page).

use std::collections::{HashMap, HashSet};

use super::rows::NavRow;
use crate::extract::{MenuKind, Page};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct NavKey {
    kind: MenuKind,
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

/// The distinct menu items of one alliance's pages.
#[derive(Debug, Default)]
pub(crate) struct NavTable {
    items: HashMap<NavKey, NavCount>,
}

impl NavTable {
    /// Count the items of one page; an item shown twice on a page counts once.
    pub(crate) fn add_page(&mut self, page: &Page) {
        let mut on_this_page = HashSet::new();
        for menu in &page.navigation {
            for item in &menu.items {
                let key = NavKey {
                    kind: menu.kind,
                    path: item.path.clone(),
                    label: item.label.clone(),
                    href: item.href.clone(),
                };
                let next = self.items.len();
                let count = self.items.entry(key).or_insert(NavCount {
                    first_seen: next,
                    depth: item.depth,
                    pages_seen: 0,
                });
                if on_this_page.insert(count.first_seen) {
                    count.pages_seen += 1;
                }
            }
        }
    }

    /// The rows, in order of first appearance.
    pub(crate) fn into_rows(self, alliance_id: &str) -> Vec<NavRow> {
        let mut items: Vec<_> = self.items.into_iter().collect();
        items.sort_by_key(|(_, count)| count.first_seen);
        items
            .into_iter()
            .map(|(key, count)| NavRow {
                alliance_id: alliance_id.to_string(),
                menu_kind: key.kind,
                depth: count.depth,
                path: key.path.join(" > "),
                label: key.label,
                href: key.href,
                pages_seen: count.pages_seen,
            })
            .collect()
    }
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
}
