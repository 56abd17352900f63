//! What `expected.toml` says of a page, checked against its extraction and detection.

use super::*;

/// Every stated fact about one page; returns one line per failed fact.
pub(super) fn check_page(facts: &PageFacts, topics: &Topics) -> Vec<String> {
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
