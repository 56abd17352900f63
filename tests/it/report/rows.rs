//! The rows of summary, navigation, pages, headings, evidence and errors.

use super::*;

#[test]
fn summary_has_verdict_coverage_and_first_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    write_run(tmp.path(), &leru_events(true), false);
    let summary = records(tmp.path(), "summary.csv");
    assert_eq!(summary.len(), 2, "one row per alliance per topic");
    let leru = &summary[0];
    assert_eq!(leru["alliance_id"], "leru");
    assert_eq!(
        leru["alliance_name"],
        "League of European Research Universities"
    );
    assert_eq!(leru["topic"], TOPIC);
    assert_eq!(leru["verdict"], "leading");
    // Best page (20) and no page with evidence of its own beyond the shared menu.
    assert_eq!(leru["score"], "20");
    // 3 ok of 3 ok + 1 failed + 1 blocked + 1 cut off.
    assert_eq!(leru["coverage"], "0.5");
    assert_eq!(
        (
            &*leru["pages_ok"],
            &*leru["pages_failed"],
            &*leru["pages_blocked"]
        ),
        ("3", "1", "1")
    );
    assert_eq!(leru["evidence_count"], "3");
    assert_eq!(leru["first_evidence_url"], "http://leru.test/");
    assert_eq!(leru["started_at"], "2026-11-27T03:15:00Z");
    assert_eq!(leru["finished_at"], "2026-11-27T03:16:00Z");

    // WUN was configured but produced no events: not checked, so unknown.
    let wun = &summary[1];
    assert_eq!((&*wun["alliance_id"], &*wun["verdict"]), ("wun", "unknown"));
    assert_eq!((&*wun["coverage"], &*wun["started_at"]), ("0.0", ""));

    let json = read_jsonl(tmp.path(), "summary.jsonl");
    assert_eq!(json[0]["pages_cut_off"], 1);
    assert_eq!(json[0]["low_coverage"], false);
    assert_eq!(json[1]["verdict"], "unknown");
}

#[test]
fn navigation_is_one_row_per_distinct_item_with_pages_seen() {
    let tmp = tempfile::tempdir().unwrap();
    write_run(tmp.path(), &leru_events(true), false);
    let nav = records(tmp.path(), "navigation.csv");
    let rows: Vec<_> = nav
        .iter()
        .map(|r| {
            (
                r["menu_kind"].as_str(),
                r["depth"].as_str(),
                r["path"].as_str(),
                r["label"].as_str(),
                r["pages_seen"].as_str(),
            )
        })
        .collect();
    // Each page shows the menu twice (desktop and mobile): still 3 pages, not 6.
    assert_eq!(
        rows,
        [
            ("primary", "0", "", "About", "3"),
            ("primary", "0", "", "LERU Groups", "3"),
            (
                "primary",
                "1",
                "LERU Groups",
                "Information & Open Access",
                "3"
            ),
        ]
    );
    assert_eq!(
        nav[2]["href"],
        "http://leru.test/groups/information-open-access/"
    );
}

#[test]
fn pages_headings_evidence_and_errors_rows() {
    let tmp = tempfile::tempdir().unwrap();
    write_run(tmp.path(), &leru_events(true), false);

    let pages = records(tmp.path(), "pages.csv");
    assert_eq!(pages.len(), 5);
    assert_eq!(pages[0]["outcome"], "ok");
    assert_eq!(pages[0]["status"], "200");
    assert_eq!(pages[0]["words"], "120");
    assert_eq!(pages[0]["nav_items"], "6");
    assert_eq!(pages[0]["headings"], "1");
    assert_eq!(pages[0]["verdict"], "leading");
    assert_eq!(pages[3]["outcome"], "http_error");
    assert_eq!((&*pages[3]["words"], &*pages[3]["verdict"]), ("", ""));
    assert_eq!(pages[4]["status"], "");

    let headings = records(tmp.path(), "headings.csv");
    let got: Vec<_> = headings
        .iter()
        .map(|h| {
            (
                h["url"].as_str(),
                h["position"].as_str(),
                h["level"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("http://leru.test/", "1", "2"),
            ("http://leru.test/groups/", "1", "2"),
            ("http://leru.test/groups/", "2", "2"),
        ]
    );

    let evidence = records(tmp.path(), "evidence.csv");
    assert_eq!(evidence.len(), 3);
    assert_eq!(evidence[1]["url"], "http://leru.test/groups/");
    assert_eq!(
        (
            &*evidence[1]["location"],
            &*evidence[1]["term"],
            &*evidence[1]["collaboration"]
        ),
        ("nav", "librarians", "true")
    );
    let json = read_jsonl(tmp.path(), "evidence.jsonl");
    assert_eq!(
        (&json[0]["level"], &json[0]["weight"]),
        (&"leading".into(), &20.into())
    );
    assert_eq!(json[0]["menu_kind"], "primary");

    let errors = records(tmp.path(), "errors.csv");
    let got: Vec<_> = errors
        .iter()
        .map(|e| {
            (
                e["url"].as_str(),
                e["outcome"].as_str(),
                e["status"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("http://leru.test/gone/", "http_error", "404"),
            ("http://leru.test/private/x/", "blocked_by_robots", ""),
        ]
    );
}

#[test]
fn web_strings_are_neutralised_in_csv_but_not_in_jsonl() {
    let tmp = tempfile::tempdir().unwrap();
    write_run(tmp.path(), &leru_events(true), false);
    let pages = records(tmp.path(), "pages.csv");
    assert_eq!(
        pages[1]["title"],
        "'=HYPERLINK(\"http://evil.test\",\"click\")"
    );
    // Our own numbers are never prefixed.
    assert_eq!(pages[1]["depth"], "1");
    let headings = records(tmp.path(), "headings.csv");
    assert_eq!(headings[1]["text"], "'-1");

    let json = read_jsonl(tmp.path(), "pages.jsonl");
    assert_eq!(
        json[1]["title"],
        "=HYPERLINK(\"http://evil.test\",\"click\")"
    );
    assert_eq!(json[1]["depth"], 1);
    let json = read_jsonl(tmp.path(), "headings.jsonl");
    assert_eq!(json[1]["text"], "-1");
}
