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

/// A menu shown twice on one page counts that page once, as primary when either
/// copy is, however the copies come in order.
#[test]
fn a_page_counts_once_per_menu_and_primary_wins() {
    let mut table = NavTable::default();
    let main = ["About", "Research", "Libraries"];
    table.add_page(&page(vec![
        menu(MenuKind::Other, &main),
        menu(MenuKind::Primary, &main),
        menu(MenuKind::Other, &main),
    ]));
    table.add_page(&page(vec![menu(MenuKind::Secondary, &main)]));
    let stats = table.menus.values().next().expect("one menu");
    assert_eq!(table.menus.len(), 1);
    assert_eq!(stats.pages, 2);
    assert_eq!(stats.pages_of(MenuKind::Primary), 1);
    assert_eq!(stats.pages_of(MenuKind::Secondary), 1);
    assert_eq!(stats.pages_of(MenuKind::Other), 0);
    assert_eq!(table.items.len(), 3);
    assert!(table.items.values().all(|count| count.pages_seen == 2));
}

/// Paths that join to the same text are still different paths.
#[test]
fn item_paths_are_compared_label_by_label() {
    let mut table = NavTable::default();
    let mut nested = item("X", "/x/", &["A > B"]);
    nested.depth = 1;
    table.add_page(&page(vec![primary(vec![
        item("X", "/x/", &["A", "B"]),
        nested,
        item("Y", "/y/", &[""]),
        item("Y", "/y/", &[]),
    ])]));
    let rows = table.into_rows("x");
    let seen: Vec<_> = rows
        .iter()
        .map(|r| (r.depth, r.path.as_str(), r.label.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (2, "A > B", "X"),
            (1, "A > B", "X"),
            (1, "", "Y"),
            (0, "", "Y")
        ]
    );
}

/// The table counts a menu's kinds by `kind as usize`, which must be its place in
/// `MenuKind::ALL`.
#[test]
fn every_kind_has_its_own_place_in_the_counts() {
    for (place, kind) in MenuKind::ALL.into_iter().enumerate() {
        assert_eq!(kind as usize, place, "{kind}");
    }
}
