//! The five pages that matter most, spelled out in Rust so the intent reads in code.

use super::*;

#[test]
fn wordpress_menu_leads_with_the_library_group_under_networks() {
    let (page, detection) = run(
        "wordpress-menu.html",
        Some("https://www.pacific-universities.example/about/"),
        None,
        &Topics::bundled(),
    );
    let menu = primary(&page);
    assert_eq!(
        menu.top_level_labels(),
        ["Home", "About", "Networks", "Programmes", "News", "Contact"]
    );
    let item = menu
        .items
        .iter()
        .find(|i| i.label == "Library Group")
        .expect("Library Group in the primary menu");
    assert_eq!(item.depth, 1);
    assert_eq!(item.path, ["Networks"]);
    assert_eq!(
        item.href.as_deref(),
        Some("https://www.pacific-universities.example/networks/library-group/")
    );
    assert_eq!(verdict_of(&detection), Some(Level::Leading));
}

#[test]
fn offcanvas_copy_of_the_main_menu_is_reported_once() {
    let (page, detection) = run(
        "offcanvas-duplicate.html",
        Some("https://www.unitas-europaea.example/"),
        None,
        &Topics::bundled(),
    );
    assert_eq!(
        primary(&page).top_level_labels(),
        ["About", "Education", "Research", "Engagement", "News"]
    );
    let menus_with_library: Vec<&str> = page
        .navigation
        .iter()
        .filter(|m| m.items.iter().any(|i| i.label == "Library collaboration"))
        .map(|m| m.kind.as_str())
        .collect();
    assert_eq!(menus_with_library, ["primary"]);
    let nav_rows = evidence_of(&detection)
        .iter()
        .filter(|e| e.location.as_str() == "nav")
        .count();
    assert_eq!(nav_rows, 1);
    assert_eq!(verdict_of(&detection), Some(Level::Leading));
}

#[test]
fn a_negative_context_cancels_only_its_own_occurrence() {
    let (page, detection) = run(
        "negative-context-same-sentence.html",
        Some("https://www.irish-sea-universities.example/press/"),
        None,
        &Topics::bundled(),
    );
    assert_eq!(
        primary(&page).top_level_labels(),
        ["About", "Projects", "Press", "Contact"]
    );
    let evidence = evidence_of(&detection);
    assert_eq!(evidence.len(), 1, "{evidence:#?}");
    assert_eq!(evidence[0].location.as_str(), "body");
    assert!(evidence[0].snippet.contains("libraries' network"));
    assert!(evidence[0].collaboration);
    assert_eq!(verdict_of(&detection), Some(Level::Mentioned));
}

#[test]
fn false_friends_alone_leave_the_topic_absent() {
    let (page, detection) = run(
        "false-friends-only.html",
        Some("https://www.data-science-universities.example/toolkit/"),
        None,
        &Topics::bundled(),
    );
    assert_eq!(
        primary(&page).top_level_labels(),
        ["About", "Training", "Toolkit", "News"]
    );
    assert_eq!(evidence_of(&detection), Vec::<&Evidence>::new());
    assert_eq!(verdict_of(&detection), Some(Level::Absent));
}

#[test]
fn windows_1252_bytes_decode_and_the_h2_leads() {
    let (page, detection) = run(
        "windows-1252.html",
        Some("https://www.rhone-rhine-universities.example/conference-2025/"),
        None,
        &Topics::bundled(),
    );
    assert_eq!(
        page.title.as_deref(),
        Some("Café Europa – Rectors’ Conference in Zürich | Rhône–Rhine Universities")
    );
    assert_eq!(
        primary(&page).top_level_labels(),
        ["About", "Conference 2025", "Members", "Contact"]
    );
    assert_eq!(page.headings[1].level, 2);
    assert_eq!(
        page.headings[1].text,
        "“Library Futures” – a network for Europe’s campuses"
    );
    assert!(page.body_text.contains("€2.5 million"));
    assert_eq!(verdict_of(&detection), Some(Level::Leading));
}
