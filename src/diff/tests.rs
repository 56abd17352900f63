//! The pure parts of a diff: renames, heading multisets, a moved origin.

use super::*;

fn item(kind: MenuKind, label: &str, href: &str) -> NavEntry {
    NavEntry {
        menu_kind: kind,
        path: String::new(),
        label: label.into(),
        href: Some(href.into()),
    }
}

#[test]
fn renames_pair_by_href_then_by_label() {
    let mut removed = vec![
        item(MenuKind::Primary, "Our work", "https://a.org/work/"),
        item(MenuKind::Primary, "About", "https://a.org/about/"),
        item(MenuKind::Footer, "Privacy", "https://a.org/privacy/"),
    ];
    let mut added = vec![
        item(MenuKind::Primary, "What we do", "https://a.org/work/"),
        item(MenuKind::Primary, "About", "https://a.org/about-us/"),
        item(MenuKind::Primary, "Privacy", "https://a.org/privacy/"),
    ];
    let renames = pair_renames(&mut removed, &mut added);
    let seen: Vec<_> = renames
        .iter()
        .map(|r| (r.change(), r.old_label.as_str(), r.new_label.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("renamed", "Our work", "What we do"),
            ("moved", "About", "About")
        ]
    );
    // A footer item is not renamed into a primary one.
    assert_eq!(removed.len(), 1);
    assert_eq!(added.len(), 1);
}

#[test]
fn children_of_a_renamed_item_are_not_changes_of_their_own() {
    let child = |path: &str, label: &str| NavEntry {
        path: path.into(),
        ..item(MenuKind::Primary, label, &format!("https://a.org/{label}/"))
    };
    let mut removed = vec![
        item(MenuKind::Primary, "Work", "https://a.org/work/"),
        child("Work", "Groups"),
        child("Work > Groups", "Libraries"),
        child("Work", "Gone"),
    ];
    let mut added = vec![
        item(MenuKind::Primary, "Our work", "https://a.org/work/"),
        child("Our work", "Groups"),
        child("Our work > Groups", "Libraries"),
        child("Our work", "New"),
    ];
    let renames = pair_renames(&mut removed, &mut added);
    follow_parent_renames(&renames, &mut removed, &mut added);
    assert_eq!(renames.len(), 1);
    assert_eq!(removed, [child("Work", "Gone")]);
    assert_eq!(added, [child("Our work", "New")]);
}

#[test]
fn headings_are_compared_as_multisets() {
    let a = vec![
        (1, "A".to_string()),
        (2, "B".to_string()),
        (2, "B".to_string()),
    ];
    let b = vec![
        (1, "A".to_string()),
        (2, "B".to_string()),
        (3, "C".to_string()),
    ];
    assert_eq!(
        multiset_minus(&a, &b),
        [HeadingText {
            level: 2,
            text: "B".into()
        }]
    );
    assert_eq!(multiset_minus(&b, &a)[0].text, "C");
}

#[test]
fn a_moved_origin_is_read_as_the_new_one() {
    let rebase = Rebase::new(
        Some("http://127.0.0.1:4000/"),
        Some("http://127.0.0.1:5000/"),
    );
    assert_eq!(
        rebase.url("http://127.0.0.1:4000/about/"),
        "http://127.0.0.1:5000/about/"
    );
    assert_eq!(
        rebase.url("http://127.0.0.1:40001/x"),
        "http://127.0.0.1:40001/x"
    );
    assert_eq!(rebase.url("https://other.org/"), "https://other.org/");
    let same = Rebase::new(Some("https://a.org/"), Some("https://a.org/x"));
    assert_eq!(same.url("https://a.org/y"), "https://a.org/y");
}
