//! The hand-written fixture pages of `fixtures/pages/` against the facts a person expects
//! of them (`fixtures/pages/expected.toml`, written from PRODUCT.md, not from the tool's
//! output). Every page is checked and every failure collected, so one broken page does
//! not hide the others (issue 2, deliverable 4).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use alliance_audit::config::Topics;
use alliance_audit::detect::{detect, Detection, Evidence, Level};
use alliance_audit::extract::{extract, Menu, MenuKind, Page};
use serde::Deserialize;
use url::Url;

const TOPIC: &str = "library-collaboration";

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    page: Vec<PageFacts>,
}

/// One `[[page]]` table; see the header of `expected.toml` for what each key means.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFacts {
    file: String,
    url: Option<String>,
    content_type: Option<String>,
    #[allow(dead_code)]
    about: String,
    verdict: String,
    primary_top: Vec<String>,
    menu_kinds: Option<Vec<String>>,
    primary_label: Option<String>,
    breadcrumb: Option<Vec<String>>,
    #[serde(default)]
    nav_items: Vec<ItemFacts>,
    #[serde(default)]
    not_nav_labels: Vec<String>,
    headings: usize,
    #[serde(default)]
    first_headings: Vec<String>,
    #[serde(default)]
    not_headings: Vec<String>,
    evidence_locations: Option<Vec<String>>,
    evidence_counts: Option<BTreeMap<String, usize>>,
    nav_evidence_kinds: Option<Vec<String>>,
    collaboration: Option<bool>,
    title: Option<String>,
    lang: Option<String>,
    description: Option<String>,
    canonical: Option<String>,
    noindex: Option<bool>,
    nofollow: Option<bool>,
    #[serde(default)]
    body_contains: Vec<String>,
    #[serde(default)]
    body_not_contains: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFacts {
    label: String,
    /// Kind of the menu that holds the item; "primary" when not given.
    menu: Option<String>,
    depth: Option<usize>,
    path: Option<Vec<String>>,
    href: Option<String>,
    no_href: Option<bool>,
}

fn load_expected() -> Expected {
    let path = pages_dir().join("expected.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Extraction and detection of one fixture page, as `alliance-audit extract` runs them
/// (a single page counts as depth 0).
fn run(
    file: &str,
    url: Option<&str>,
    content_type: Option<&str>,
    topics: &Topics,
) -> (Page, Detection) {
    let bytes = std::fs::read(pages_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let url = url.map(|u| Url::parse(u).unwrap_or_else(|e| panic!("{file}: bad url {u}: {e}")));
    let page = extract(&bytes, url.as_ref(), content_type);
    let detection = detect(&page, 0, topics);
    (page, detection)
}

fn verdict_of(detection: &Detection) -> Option<Level> {
    detection
        .verdicts
        .iter()
        .find(|v| v.topic == TOPIC)
        .map(|v| v.level)
}

fn evidence_of(detection: &Detection) -> Vec<&Evidence> {
    detection
        .evidence
        .iter()
        .filter(|e| e.topic == TOPIC)
        .collect()
}

fn menus_of_kind<'a>(page: &'a Page, kind: &str) -> Vec<&'a Menu> {
    page.navigation
        .iter()
        .filter(|m| m.kind.as_str() == kind)
        .collect()
}

/// Kinds in document order, a run of consecutive "footer" menus counted as one (footer
/// columns may fairly be read as one menu or several).
fn collapse_footer_runs<S: AsRef<str>>(kinds: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for kind in kinds {
        let kind = kind.as_ref();
        if kind == "footer" && out.last().map(String::as_str) == Some("footer") {
            continue;
        }
        out.push(kind.to_string());
    }
    out
}

fn heading_line(level: u8, text: &str) -> String {
    format!("h{level}: {text}")
}

/// Compact view of a page's menus, for failure messages.
fn menus_summary(page: &Page) -> String {
    page.navigation
        .iter()
        .map(|m| {
            let items: Vec<String> = m
                .items
                .iter()
                .map(|i| format!("{}{}", "  ".repeat(i.depth), i.label))
                .collect();
            format!("[{} {:?}] {}", m.kind.as_str(), m.label, items.join(" | "))
        })
        .collect::<Vec<_>>()
        .join("\n      ")
}

/// Every stated fact about one page; returns one line per failed fact.
fn check_page(facts: &PageFacts, topics: &Topics) -> Vec<String> {
    let mut fails = Vec::new();
    let (page, detection) = run(
        &facts.file,
        facts.url.as_deref(),
        facts.content_type.as_deref(),
        topics,
    );
    let mut fail = |what: &str, expected: String, actual: String| {
        fails.push(format!("{what}: expected {expected}, got {actual}"));
    };

    // Rules that hold on every page (PRODUCT.md "Extraction"): menus have items, items
    // have labels and absolute hrefs (every page has a URL or an absolute <base href>),
    // headings have trimmed, collapsed, non-empty text.
    for menu in &page.navigation {
        if menu.items.is_empty() {
            fail(
                &format!("{} menu {:?}", menu.kind.as_str(), menu.label),
                "some items".into(),
                "none".into(),
            );
        }
        for item in &menu.items {
            if item.label.trim().is_empty() || item.label.trim() != item.label {
                fail(
                    "item label",
                    "trimmed, non-empty".into(),
                    format!("{:?}", item.label),
                );
            }
            if item.path.len() != item.depth {
                fail(
                    &format!("item {:?}", item.label),
                    format!("a path of {} labels (its depth)", item.depth),
                    format!("{:?}", item.path),
                );
            }
            if let Some(href) = &item.href {
                if Url::parse(href).is_err() {
                    fail(
                        &format!("href of {:?}", item.label),
                        "absolute".into(),
                        format!("{href:?}"),
                    );
                }
            }
        }
    }
    for h in &page.headings {
        let collapsed = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !(1..=6).contains(&h.level) || h.text.is_empty() || collapsed != h.text {
            fail(
                "heading",
                "level 1-6, collapsed non-empty text".into(),
                format!("{:?}", heading_line(h.level, &h.text)),
            );
        }
    }

    // Verdict.
    let verdict = verdict_of(&detection);
    if verdict.map(Level::as_str) != Some(facts.verdict.as_str()) {
        fail(
            "verdict",
            facts.verdict.clone(),
            format!("{:?}", verdict.map(Level::as_str)),
        );
    }

    // The single primary menu and its top level.
    let primaries = menus_of_kind(&page, "primary");
    if facts.primary_top.is_empty() {
        if !primaries.is_empty() {
            fail(
                "primary menus",
                "none".into(),
                format!("{} ({})", primaries.len(), menus_summary(&page)),
            );
        }
    } else if primaries.len() != 1 {
        fail(
            "primary menus",
            "exactly one".into(),
            format!("{}:\n      {}", primaries.len(), menus_summary(&page)),
        );
    } else {
        let top = primaries[0].top_level_labels();
        if top != facts.primary_top {
            fail(
                "primary top-level labels",
                format!("{:?}", facts.primary_top),
                format!("{top:?}"),
            );
        }
        if let Some(label) = &facts.primary_label {
            if &primaries[0].label != label {
                fail(
                    "primary menu label",
                    format!("{label:?}"),
                    format!("{:?}", primaries[0].label),
                );
            }
        }
    }

    // Kinds of all menus, in order.
    if let Some(kinds) = &facts.menu_kinds {
        let actual: Vec<&str> = page.navigation.iter().map(|m| m.kind.as_str()).collect();
        if collapse_footer_runs(kinds) != collapse_footer_runs(&actual) {
            fail(
                "menu kinds",
                format!("{kinds:?}"),
                format!("{actual:?}:\n      {}", menus_summary(&page)),
            );
        }
    }

    // The breadcrumb trail.
    if let Some(trail) = &facts.breadcrumb {
        let crumbs = menus_of_kind(&page, "breadcrumb");
        if crumbs.len() != 1 {
            fail(
                "breadcrumb menus",
                "exactly one".into(),
                format!("{}:\n      {}", crumbs.len(), menus_summary(&page)),
            );
        } else {
            let labels: Vec<&str> = crumbs[0].items.iter().map(|i| i.label.as_str()).collect();
            if labels != *trail {
                fail("breadcrumb", format!("{trail:?}"), format!("{labels:?}"));
            }
        }
    }

    // Specific items.
    for want in &facts.nav_items {
        let kind = want.menu.as_deref().unwrap_or("primary");
        let found: Vec<_> = menus_of_kind(&page, kind)
            .into_iter()
            .flat_map(|m| m.items.iter())
            .filter(|i| i.label == want.label)
            .collect();
        let Some(item) = found.first() else {
            fail(
                &format!("{kind} item {:?}", want.label),
                "present".into(),
                format!("absent; menus:\n      {}", menus_summary(&page)),
            );
            continue;
        };
        let what = format!("{kind} item {:?}", want.label);
        if let Some(depth) = want.depth {
            if item.depth != depth {
                fail(
                    &format!("{what} depth"),
                    depth.to_string(),
                    item.depth.to_string(),
                );
            }
        }
        if let Some(path) = &want.path {
            if &item.path != path {
                fail(
                    &format!("{what} path"),
                    format!("{path:?}"),
                    format!("{:?}", item.path),
                );
            }
        }
        if let Some(href) = &want.href {
            if item.href.as_deref() != Some(href.as_str()) {
                fail(
                    &format!("{what} href"),
                    format!("{href:?}"),
                    format!("{:?}", item.href),
                );
            }
        }
        if want.no_href == Some(true) && item.href.is_some() {
            fail(
                &format!("{what} href"),
                "none".into(),
                format!("{:?}", item.href),
            );
        }
    }
    for label in &facts.not_nav_labels {
        for menu in &page.navigation {
            if menu.items.iter().any(|i| &i.label == label) {
                fail(
                    &format!("label {label:?}"),
                    "in no menu".into(),
                    format!("an item of a {} menu", menu.kind.as_str()),
                );
            }
        }
    }

    // Headings.
    let headings: Vec<String> = page
        .headings
        .iter()
        .map(|h| heading_line(h.level, &h.text))
        .collect();
    if headings.len() != facts.headings {
        fail(
            "heading count",
            facts.headings.to_string(),
            format!("{} {headings:#?}", headings.len()),
        );
    }
    let n = facts.first_headings.len().min(headings.len());
    if headings[..n] != facts.first_headings[..n] || headings.len() < facts.first_headings.len() {
        fail(
            "first headings",
            format!("{:#?}", facts.first_headings),
            format!(
                "{:#?}",
                &headings[..headings.len().min(facts.first_headings.len())]
            ),
        );
    }
    for text in &facts.not_headings {
        let needle = text.to_lowercase();
        if let Some(h) = page
            .headings
            .iter()
            .find(|h| h.text == *text || h.text.to_lowercase().contains(&needle))
        {
            fail(
                &format!("heading text {text:?}"),
                "in no heading".into(),
                format!("{:?}", heading_line(h.level, &h.text)),
            );
        }
    }

    // Evidence.
    let evidence = evidence_of(&detection);
    let rows = || {
        evidence
            .iter()
            .map(|e| format!("{} {:?} ({})", e.location.as_str(), e.snippet, e.term))
            .collect::<Vec<_>>()
    };
    if let Some(locations) = &facts.evidence_locations {
        let actual: BTreeSet<&str> = evidence.iter().map(|e| e.location.as_str()).collect();
        let actual: Vec<&str> = actual.into_iter().collect();
        if actual != *locations {
            fail(
                "evidence locations",
                format!("{locations:?}"),
                format!("{actual:?} {:#?}", rows()),
            );
        }
    }
    if let Some(counts) = &facts.evidence_counts {
        for (location, count) in counts {
            let actual = evidence
                .iter()
                .filter(|e| e.location.as_str() == location)
                .count();
            if actual != *count {
                fail(
                    &format!("{location} evidence rows"),
                    count.to_string(),
                    format!("{actual} {:#?}", rows()),
                );
            }
        }
    }
    if let Some(kinds) = &facts.nav_evidence_kinds {
        let actual: BTreeSet<&str> = evidence
            .iter()
            .filter(|e| e.location.as_str() == "nav")
            .map(|e| e.menu_kind.map_or("?", MenuKind::as_str))
            .collect();
        let actual: Vec<&str> = actual.into_iter().collect();
        if actual != *kinds {
            fail(
                "menu kinds of nav evidence",
                format!("{kinds:?}"),
                format!("{actual:?} {:#?}", rows()),
            );
        }
    }
    if let Some(collaboration) = facts.collaboration {
        let actual = evidence.iter().any(|e| e.collaboration);
        if actual != collaboration {
            fail(
                "some evidence marked collaboration",
                collaboration.to_string(),
                format!("{actual} {:#?}", rows()),
            );
        }
    }

    // Page fields.
    let fields = [
        ("title", &facts.title, &page.title),
        ("lang", &facts.lang, &page.lang),
        ("description", &facts.description, &page.description),
        ("canonical", &facts.canonical, &page.canonical),
    ];
    for (name, want, got) in fields {
        if let Some(want) = want {
            if got.as_deref() != Some(want.as_str()) {
                fail(name, format!("{want:?}"), format!("{got:?}"));
            }
        }
    }
    if let Some(noindex) = facts.noindex {
        if page.robots.noindex != noindex {
            fail(
                "noindex",
                noindex.to_string(),
                page.robots.noindex.to_string(),
            );
        }
    }
    if let Some(nofollow) = facts.nofollow {
        if page.robots.nofollow != nofollow {
            fail(
                "nofollow",
                nofollow.to_string(),
                page.robots.nofollow.to_string(),
            );
        }
    }

    // Body text.
    let body = page.body_text.to_lowercase();
    for text in &facts.body_contains {
        if !body.contains(&text.to_lowercase()) {
            fail(
                &format!("body text {text:?}"),
                "present".into(),
                format!("absent in {:?}", page.body_text),
            );
        }
    }
    for text in &facts.body_not_contains {
        if body.contains(&text.to_lowercase()) {
            fail(
                &format!("body text {text:?}"),
                "absent".into(),
                "present".into(),
            );
        }
    }

    fails
}

#[test]
fn every_fixture_page_has_the_expected_facts() {
    let expected = load_expected();
    let topics = Topics::bundled();
    let mut report = Vec::new();
    for facts in &expected.page {
        let fails = check_page(facts, &topics);
        if !fails.is_empty() {
            report.push(format!("{}:\n  - {}", facts.file, fails.join("\n  - ")));
        }
    }
    assert!(
        report.is_empty(),
        "{} of {} fixture pages differ from expected.toml:\n\n{}",
        report.len(),
        expected.page.len(),
        report.join("\n\n")
    );
}

#[test]
fn every_fixture_page_has_an_entry_and_every_entry_a_page() {
    let expected = load_expected();
    let listed: BTreeSet<&str> = expected.page.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(
        listed.len(),
        expected.page.len(),
        "a page is listed twice in expected.toml"
    );
    let on_disk: BTreeSet<String> = std::fs::read_dir(pages_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".html"))
        .collect();
    let missing: Vec<&String> = on_disk
        .iter()
        .filter(|f| !listed.contains(f.as_str()))
        .collect();
    let stale: Vec<&&str> = listed.iter().filter(|f| !on_disk.contains(**f)).collect();
    assert!(missing.is_empty(), "pages without an entry: {missing:?}");
    assert!(stale.is_empty(), "entries without a page: {stale:?}");
    assert!(on_disk.len() >= 30, "only {} fixture pages", on_disk.len());
}

#[test]
fn every_fixture_page_is_described_in_the_readme() {
    let readme = std::fs::read_to_string(pages_dir().join("README.md")).unwrap();
    let expected = load_expected();
    let missing: Vec<&str> = expected
        .page
        .iter()
        .map(|p| p.file.as_str())
        .filter(|f| !readme.contains(&format!("`{f}`")))
        .collect();
    assert!(missing.is_empty(), "pages not in README.md: {missing:?}");
}

// ---------------------------------------------------------------------------------
// The five pages that matter most, spelled out in Rust so the intent reads in code.
// ---------------------------------------------------------------------------------

fn primary(page: &Page) -> &Menu {
    let menus = menus_of_kind(page, "primary");
    assert_eq!(menus.len(), 1, "one primary menu: {}", menus_summary(page));
    menus[0]
}

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
