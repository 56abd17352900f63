//! report.html: escaping, and the sections written from notes.

use super::*;

#[test]
fn escapes_markup_and_quotes() {
    assert_eq!(
        escape(r#"<script>alert("x")</script> & 'y'"#),
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
    );
}

#[test]
fn changes_are_escaped_text() {
    let mut notes = HtmlNotes::default();
    notes.changes(
        "wun",
        "20261101T000000Z",
        vec!["menu item renamed: \"News\" -> \"<script>alert(1)</script>\"".into()],
    );
    let totals = RunTotals {
        summary: vec![SummaryRow {
            alliance_id: "wun".into(),
            alliance_name: "WUN".into(),
            topic: "library-collaboration".into(),
            verdict: Level::Absent,
            score: 0,
            coverage: 1.0,
            pages_ok: 1,
            pages_failed: 0,
            pages_blocked: 0,
            evidence_count: 0,
            first_evidence_url: None,
            started_at: None,
            finished_at: None,
            urls_known: 1,
            urls_read: 1,
            urls_skipped: 0,
            unread_relevant: 0,
        }],
        ..RunTotals::default()
    };
    let run = RunInfo {
        run_id: "r".into(),
        started_at: "s".into(),
        tool_version: "v".into(),
        config_hash: "h".into(),
        alliance_names: Default::default(),
        topics: vec![],
        options: serde_json::Value::Null,
    };
    let html = notes.render(&run, "f", &totals);
    assert!(html.contains("<h3>Changes since run 20261101T000000Z</h3>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
}

#[test]
fn the_primary_menu_is_a_nested_list_of_escaped_labels() {
    let mut notes = HtmlNotes::default();
    let row = |depth: usize, path: &str, label: &str| NavRow {
        alliance_id: "a".into(),
        menu_kind: MenuKind::Primary,
        depth,
        path: path.into(),
        label: label.into(),
        href: Some(format!("https://a.org/{depth}/")),
        pages_seen: 3,
    };
    notes.navigation(&row(0, "", "About"));
    notes.navigation(&row(1, "About", "<b>Libraries</b>"));
    notes.navigation(&row(2, "About > <b>Libraries</b>", "Network"));
    notes.navigation(&row(0, "", "News"));
    let mut out = String::new();
    menu_tree(&mut out, &notes.menus["a"], "", 0);
    let tags: String = out
        .split('<')
        .filter_map(|t| t.split(['>', ' ']).next())
        .filter(|t| *t == "ul" || *t == "/ul")
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(tags, "ul,ul,ul,/ul,/ul,/ul", "{out}");
    assert!(out.contains("&lt;b&gt;Libraries&lt;/b&gt;"), "{out}");
    assert!(out.contains(">News</a>"), "{out}");
}

#[test]
fn only_web_urls_become_links() {
    assert_eq!(
        link("https://a.test/?q=\"x\"", "A <b>"),
        "<a href=\"https://a.test/?q=&quot;x&quot;\">A &lt;b&gt;</a>"
    );
    assert_eq!(link("javascript:alert(1)", "Home"), "Home");
    assert_eq!(link(" JavaScript:alert(1)", "Home"), "Home");
}
