//! The extraction and detection rules of PRODUCT.md ("Extraction", "Detection"),
//! one small inline page per rule (issue 2).

use alliance_audit::config::{Topic, Topics};
use alliance_audit::detect::{detect, Level, Location};
use alliance_audit::extract::{extract, MenuKind, Page};
use url::Url;

fn page(html: &str) -> Page {
    let url = Url::parse("https://www.alliance.example/about/").unwrap();
    extract(html.as_bytes(), Some(&url), None)
}

fn headings(html: &str) -> Vec<String> {
    page(html)
        .headings
        .iter()
        .map(|h| format!("h{} {}", h.level, h.text))
        .collect()
}

fn library_topic() -> Topics {
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
    Topics {
        topics: vec![Topic {
            id: "library-collaboration".into(),
            name: "Library collaboration".into(),
            terms: words(&[
                "library",
                "libraries",
                "librarians",
                "bibliothek*",
                "bibliothèques",
            ]),
            negative: words(&["media library", "software library", "library of congress"]),
            collaboration: words(&["network*", "group*", "consorti*", "cooperat*"]),
        }],
        ..Topics::default()
    }
}

#[test]
fn heading_text_follows_the_outline_rules() {
    let got = headings(
        r#"<body>
        <h1>Lib<span>rary</span> <em>network</em></h1>
        <h2>First line<br>second line</h2>
        <h2><div>Block</div><div>children</div></h2>
        <h2 class="sr-only">Only for screen readers</h2>
        <h3>  Spaced &nbsp; out
              text </h3>
        <h3><span aria-hidden="true">#</span>Anchored</h3>
        <h4>   </h4>
        <h4><script>var x = "<h4>no</h4>";</script></h4>
        <div hidden><h2>Hidden attribute</h2></div>
        <div aria-hidden="true"><h2>ARIA hidden</h2></div>
        <div style="display: none"><h2>Display none</h2></div>
        <div style="visibility:hidden"><h2>Visibility hidden</h2></div>
        <template><h2>Template</h2></template>
        <noscript><h2>Noscript</h2></noscript>
        <h5>Last</h5>
        </body>"#,
    );
    assert_eq!(
        got,
        [
            "h1 Library network",
            "h2 First line second line",
            "h2 Block children",
            "h2 Only for screen readers",
            "h3 Spaced out text",
            "h3 Anchored",
            "h5 Last",
        ]
    );
}

#[test]
fn header_lists_without_nav_are_the_primary_menu() {
    let page = page(
        r##"<header>
          <a class="skip-link" href="#main">Skip to main content</a>
          <a href="/"><img src="logo.svg" alt="Alliance"></a>
          <div class="menu-main-container"><ul id="menu-main" class="menu">
            <li class="menu-item"><a href="/">Home</a></li>
            <li class="menu-item menu-item-has-children"><a href="/about/">About</a>
              <ul class="sub-menu">
                <li class="menu-item"><a href="/about/members/">Members</a></li>
                <li class="menu-item"><a href="/about/governance/">Governance</a></li>
              </ul></li>
            <li class="menu-item menu-item-has-children"><a href="/networks/">Networks</a>
              <ul class="sub-menu"><li><a href="library-group/">Library Group</a></li></ul></li>
            <li class="menu-item"><a href="/news/">News</a></li>
          </ul></div>
        </header><main id="main"><h1>About</h1><p>Text.</p></main>"##,
    );
    assert_eq!(page.navigation.len(), 1, "{:#?}", page.navigation);
    let menu = &page.navigation[0];
    assert_eq!(menu.kind, MenuKind::Primary);
    assert_eq!(
        menu.top_level_labels(),
        ["Home", "About", "Networks", "News"]
    );
    let library = menu
        .items
        .iter()
        .find(|i| i.label == "Library Group")
        .unwrap();
    assert_eq!(library.depth, 1);
    assert_eq!(library.path, ["Networks"]);
    assert_eq!(
        library.href.as_deref(),
        Some("https://www.alliance.example/about/library-group/")
    );
}

#[test]
fn bootstrap_dropdowns_and_mega_menu_columns_form_a_tree() {
    let page = page(
        r##"<nav class="navbar navbar-expand-lg"><ul class="navbar-nav">
          <li class="nav-item"><a class="nav-link" href="/">Home</a></li>
          <li class="nav-item dropdown">
            <a class="nav-link dropdown-toggle" href="#" data-bs-toggle="dropdown">Research</a>
            <div class="dropdown-menu mega">
              <div class="col"><h3>Groups</h3><ul>
                <li><a class="dropdown-item" href="/groups/libraries/">Libraries</a></li>
                <li><a class="dropdown-item" href="/groups/data/">Research data</a></li></ul></div>
              <div class="col"><h3><a href="/programmes/">Programmes</a></h3><ul>
                <li><a href="/programmes/doctoral/">Doctoral</a></li></ul></div>
            </div></li>
          <li class="nav-item dropdown"><button class="dropdown-toggle" aria-expanded="false">About</button>
            <div class="dropdown-menu"><a class="dropdown-item" href="/who/">Who we are</a>
            <a class="dropdown-item" href="/contact/"><i class="bi bi-mail"></i></a></div></li>
        </ul></nav>"##,
    );
    let menu = &page.navigation[0];
    let flat: Vec<(usize, String, Vec<String>, Option<String>)> = menu
        .items
        .iter()
        .map(|i| (i.depth, i.label.clone(), i.path.clone(), i.href.clone()))
        .collect();
    let abs = |p: &str| Some(format!("https://www.alliance.example{p}"));
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        flat,
        vec![
            (0, "Home".into(), s(&[]), abs("/")),
            (0, "Research".into(), s(&[]), None),
            (1, "Groups".into(), s(&["Research"]), None),
            (
                2,
                "Libraries".into(),
                s(&["Research", "Groups"]),
                abs("/groups/libraries/")
            ),
            (
                2,
                "Research data".into(),
                s(&["Research", "Groups"]),
                abs("/groups/data/")
            ),
            (
                1,
                "Programmes".into(),
                s(&["Research"]),
                abs("/programmes/")
            ),
            (
                2,
                "Doctoral".into(),
                s(&["Research", "Programmes"]),
                abs("/programmes/doctoral/")
            ),
            (0, "About".into(), s(&[]), None),
            (1, "Who we are".into(), s(&["About"]), abs("/who/")),
        ]
    );
    assert_eq!(menu.kind, MenuKind::Primary);
}

#[test]
fn menus_built_of_divs_keep_their_folders_as_a_tree() {
    let page = page(
        r#"<header><nav class="header-nav"><div class="header-nav-list">
          <div class="header-nav-item"><a href="/">Home</a></div>
          <div class="header-nav-item header-nav-item--folder">
            <a class="header-nav-folder-title" href="/networks/">Networks</a>
            <div class="header-nav-folder-content">
              <div class="header-nav-folder-item"><a href="/networks/libraries/">Libraries</a></div>
              <div class="header-nav-folder-item"><a href="/networks/data/">Research data</a></div>
            </div></div>
          <div class="header-nav-item"><a href="/news/">News</a></div>
        </div></nav></header>"#,
    );
    let menu = &page.navigation[0];
    assert_eq!(menu.kind, MenuKind::Primary);
    assert_eq!(menu.top_level_labels(), ["Home", "Networks", "News"]);
    assert_eq!(menu.items.len(), 5, "{:#?}", menu.items);
    let libraries = menu.items.iter().find(|i| i.label == "Libraries").unwrap();
    assert_eq!(
        (libraries.depth, libraries.path.clone()),
        (1, vec!["Networks".to_string()])
    );
}

#[test]
fn dropdown_buttons_outside_lists_title_their_panel() {
    let page = page(
        r#"<header><nav aria-label="Main">
          <a href="/">Home</a>
          <div class="dropdown"><button class="dropdown-toggle" aria-expanded="false">About</button>
            <div class="dropdown-menu"><ul><li><a href="/about/members/">Members</a></li></ul></div></div>
          <ul><li><a href="/groups/">Groups</a><button aria-expanded="false">▾</button>
            <ul><li><a href="/groups/libraries/">Libraries</a></li></ul></li></ul>
        </nav></header>"#,
    );
    let items: Vec<(usize, &str)> = page.navigation[0]
        .items
        .iter()
        .map(|i| (i.depth, i.label.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            (0, "Home"),
            (0, "About"),
            (1, "Members"),
            (0, "Groups"),
            (1, "Libraries")
        ]
    );
}

#[test]
fn kinds_of_menus_and_duplicates() {
    let page = page(
        r##"<div class="top-bar"><ul><li><a href="/login">Login</a></li><li><a href="/contact">Contact</a></li></ul></div>
        <header>
          <nav aria-label="Main"><ul><li><a href="/a">Alpha</a></li><li><a href="/b">Beta</a></li><li><a href="/c">Gamma</a></li></ul></nav>
        </header>
        <div class="offcanvas" id="mobile-menu"><nav><ul><li><a href="/a">Alpha</a></li><li><a href="/b">Beta</a></li><li><a href="/c">Gamma</a></li></ul></nav></div>
        <nav hidden><ul><li><a href="/x">Hidden copy</a></li></ul></nav>
        <nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/a">Alpha</a></li><li aria-current="page">This page</li></ol></nav>
        <main><aside><nav class="section-nav"><ul><li><a href="/a/1">One</a></li><li><a href="/a/2">Two</a></li></ul></nav></aside>
        <p>Body.</p></main>
        <footer><div class="col"><h4>About us</h4><ul><li><a href="/a">Alpha</a></li><li><a href="/privacy">Privacy</a></li></ul></div>
        <ul class="social"><li><a href="https://x.example/"><svg><title>X</title></svg></a></li></ul></footer>"##,
    );
    let kinds: Vec<MenuKind> = page.navigation.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MenuKind::Secondary,
            MenuKind::Primary,
            MenuKind::Breadcrumb,
            MenuKind::Secondary,
            MenuKind::Footer
        ],
        "{:#?}",
        page.navigation
    );
    assert_eq!(page.navigation[1].label, "Main");
    assert_eq!(
        page.navigation[2].top_level_labels(),
        ["Home", "Alpha", "This page"]
    );
    assert_eq!(page.navigation[4].label, "About us");
    assert_eq!(page.navigation[4].top_level_labels(), ["Alpha", "Privacy"]);
}

#[test]
fn body_text_is_visible_text_outside_menus_and_headings() {
    let page = page(
        r#"<head><title>T</title><meta name="description" content="Meta words">
        <script type="application/ld+json">{"name": "JSON-LD words"}</script></head>
        <body><nav><a href="/">Menu words</a></nav><h1>Heading words</h1>
        <p>Visible <img alt="alt words" src="x.png"> paragraph <a href="/x" title="title words">link text</a>.</p>
        <p style="display:none">Hidden words</p></body>"#,
    );
    assert_eq!(page.body_text, "Visible paragraph link text.");
    assert_eq!(page.words, 4);
    assert_eq!(page.title.as_deref(), Some("T"));
    assert_eq!(page.description.as_deref(), Some("Meta words"));
}

#[test]
fn base_href_canonical_and_meta_robots() {
    let page = page(
        r#"<head><base href="https://cdn.alliance.example/site/"><link rel="canonical" href="/about/">
        <meta name="robots" content="noindex, nofollow"></head>
        <body><a href="page.html">Page</a><a href="mailto:x@example.org">Mail</a></body>"#,
    );
    let hrefs: Vec<&str> = page.links.iter().map(|l| l.href.as_str()).collect();
    assert_eq!(hrefs, ["https://cdn.alliance.example/site/page.html"]);
    assert_eq!(
        page.canonical.as_deref(),
        Some("https://cdn.alliance.example/about/")
    );
    assert!(page.robots.noindex && page.robots.nofollow);
}

#[test]
fn windows_1252_page_decodes() {
    let mut bytes = b"<html lang=\"fr\"><head><meta charset=\"windows-1252\"><title>Biblioth\xe8ques \x93europ\xe9ennes\x94 \x80</title></head><body><h1>Caf\xe9</h1></body></html>".to_vec();
    bytes.extend_from_slice(b"\n");
    let page = extract(&bytes, None, None);
    assert_eq!(page.title.as_deref(), Some("Bibliothèques “européennes” €"));
    assert_eq!(page.headings[0].text, "Café");
    assert_eq!(page.lang.as_deref(), Some("fr"));
}

#[test]
fn negative_context_cancels_only_its_own_occurrence() {
    let page = page(
        "<p>Our media library has photos, and the libraries' network meets in May. The software library is open.</p>",
    );
    let detection = detect(&page, 0, &library_topic());
    assert_eq!(detection.evidence.len(), 1, "{:#?}", detection.evidence);
    let evidence = &detection.evidence[0];
    assert_eq!(evidence.term, "libraries");
    assert_eq!(evidence.location, Location::Body);
    assert!(evidence.collaboration);
    assert!(evidence.snippet.starts_with("Our media library"));
    assert_eq!(detection.verdicts[0].level, Level::Mentioned);
}

#[test]
fn verdict_levels_follow_where_the_term_stands() {
    let topics = library_topic();
    let level = |html: &str, depth: usize| detect(&page(html), depth, &topics).verdicts[0].level;
    let primary = r#"<header><nav aria-label="Main"><ul><li><a href="/">Home</a></li><li><a href="/l">Libraries</a></li><li><a href="/n">News</a></li></ul></nav></header>"#;
    assert_eq!(level(primary, 3), Level::Leading);
    assert_eq!(level("<h2>Our librarians</h2>", 0), Level::Leading);
    assert_eq!(level("<h2>Our librarians</h2>", 2), Level::Present);
    assert_eq!(level("<h3>Our librarians</h3>", 0), Level::Present);
    assert_eq!(level("<title>Library group</title>", 0), Level::Present);
    assert_eq!(
        level(
            r#"<footer><ul><li><a href="/l">Library</a></li><li><a href="/p">Privacy</a></li></ul></footer>"#,
            0
        ),
        Level::Present
    );
    assert_eq!(level("<p>Ask the Bibliotheken.</p>", 0), Level::Mentioned);
    assert_eq!(
        level("<p>Nothing here. Library of Congress data.</p>", 0),
        Level::Absent
    );
    let in_url = Url::parse("https://x.example/networks/library-group/").unwrap();
    let page = extract(b"<p>No term.</p>", Some(&in_url), None);
    let detection = detect(&page, 0, &topics);
    assert_eq!(detection.verdicts[0].level, Level::Present);
    assert_eq!(detection.evidence[0].location, Location::Url);
    assert!(
        detection.evidence[0].collaboration,
        "group is in the same path"
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    use proptest::prelude::*;
    let topics = library_topic();
    proptest!(ProptestConfig::with_cases(256), |(bytes in proptest::collection::vec(any::<u8>(), 0..2048))| {
        let page = extract(&bytes, None, None);
        let _ = detect(&page, 0, &topics);
    });
    let fragments = prop_oneof![
        Just("<nav>"),
        Just("</nav>"),
        Just("<ul>"),
        Just("</ul>"),
        Just("<li>"),
        Just("<a href='/x'>"),
        Just("</a>"),
        Just("<h2>"),
        Just("</h2>"),
        Just("library "),
        Just("<br>"),
        Just("<div hidden>"),
        Just("<header>"),
        Just("<footer>"),
        Just("<template>"),
        Just("é"),
        Just("media library"),
    ];
    proptest!(ProptestConfig::with_cases(256), |(parts in proptest::collection::vec(fragments, 0..200))| {
        let html = parts.concat();
        let page = extract(html.as_bytes(), None, None);
        let _ = detect(&page, 0, &topics);
    });
}

/// Issue 10: the words a reader sees of each link steer the crawl, so they must be
/// the link's own text (or its image's alt, aria-label, title), the menu labels above
/// it, or the heading it sits under.
#[test]
fn links_carry_what_a_reader_sees_of_them() {
    let page = page(
        r#"<header><nav aria-label="Main"><ul>
             <li><a href="/about/">About</a><ul>
               <li><a href="/about/groups/">Working groups</a></li></ul></li>
             <li><a href="/news/">News</a></li></ul></nav></header>
           <main><h2>Our networks</h2>
             <p><a href="/g/17">Librarians' network</a> and <a href="/g/18"><img src="x.png" alt="Open science forum"></a>
             <a href="/g/19" aria-label="Archive group"><svg></svg></a></p>
             <p><a href="/g/17">Read more</a></p></main>"#,
    );
    let hint = |href: &str| {
        page.links
            .iter()
            .find(|l| l.href.ends_with(href))
            .unwrap_or_else(|| panic!("no link to {href}"))
    };
    let groups = hint("/about/groups/");
    assert_eq!(
        groups.menu,
        Some(alliance_audit::extract::MenuKind::Primary)
    );
    assert!(
        groups.hint.contains("About") && groups.hint.contains("Working groups"),
        "{groups:?}"
    );
    let library = hint("/g/17");
    assert_eq!(library.menu, None);
    assert!(
        library.hint.starts_with("Librarians' network"),
        "{library:?}"
    );
    assert!(
        library.hint.contains("Our networks") && library.hint.contains("Read more"),
        "{library:?}"
    );
    assert!(hint("/g/18").hint.starts_with("Open science forum"));
    assert!(hint("/g/19").hint.starts_with("Archive group"));
}

/// A page reused from an earlier run (a 304) is the stored extraction: its meta
/// robots must survive the store, or a `nofollow` page's links would be followed the
/// second time and two runs would read different pages.
#[test]
fn meta_robots_survive_the_stored_extraction() {
    let page = page(
        r#"<head><meta name="robots" content="nofollow"></head><body><a href="/x">x</a></body>"#,
    );
    let stored = serde_json::to_string(&page).unwrap();
    let reused: Page = serde_json::from_str(&stored).unwrap();
    assert!(reused.robots.nofollow && !reused.robots.noindex);
    // Extractions stored before carry no robots: none.
    let plain = page_plain();
    let stored = serde_json::to_string(&plain).unwrap();
    assert!(!stored.contains("robots"), "{stored}");
    let reused: Page = serde_json::from_str(&stored).unwrap();
    assert!(reused.robots.is_none());
}

fn page_plain() -> Page {
    page("<body><p>Plain</p></body>")
}
