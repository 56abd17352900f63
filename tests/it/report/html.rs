//! report.html: escaping, and an absent verdict with unread relevant URLs.

use super::*;

#[test]
fn report_html_escapes_web_strings_and_links_only_web_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let mut events = leru_events(true);
    let CrawlEvent::Page(record) = &mut events[2] else {
        panic!("a page record")
    };
    let page = record.page.as_mut().unwrap();
    page.navigation[0].items.push(NavItem {
        label: "<img src=x onerror=alert(1)>".into(),
        href: Some("javascript:alert(1)".into()),
        depth: 0,
        path: vec![],
    });
    let detection = record.detection.as_mut().unwrap();
    detection.evidence[0].snippet = "Libraries <script>alert(1)</script>".into();
    write_run(tmp.path(), &events, false);

    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("<script>") && !html.contains("<img"),
        "{html}"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("Libraries &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("javascript:"));
    assert!(html.contains("<a href=\"http://leru.test/groups/\">LERU Groups</a>"));
    assert!(html.contains("League of European Research Universities"));
    assert!(html.contains("<td class=\"leading\">leading</td>"));
}

/// Issue 10: an `absent` drawn while URLs naming the topic went unread is not a
/// confident absence; the reports say how much was read and what to read next.
#[test]
fn an_absent_with_unread_relevant_urls_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let mut info = run_info();
    info.alliance_names = [("wun".to_string(), "WUN".to_string())].into();
    let mut writer = RunWriter::create(tmp.path(), info).unwrap();
    let mut page = ok_page("http://wun.test/", 0, "WUN", &[], vec![]);
    if let CrawlEvent::Page(record) = &mut page {
        record.alliance_id = "wun".into();
    }
    let events = [
        CrawlEvent::AllianceStarted {
            alliance_id: "wun".into(),
            started_at: "2026-11-27T03:15:00Z".into(),
        },
        page,
        skipped(
            "http://wun.test/news/page/9/",
            SkipReason::MaxPages,
            -70,
            false,
        ),
        skipped(
            "http://wun.test/groups/<library>/",
            SkipReason::MaxPages,
            40,
            true,
        ),
        skipped(
            "http://wun.test/library-network/",
            SkipReason::MaxPages,
            60,
            true,
        ),
        CrawlEvent::AllianceFinished {
            alliance_id: "wun".into(),
            finished_at: "2026-11-27T03:16:00Z".into(),
            cut_off: 3,
        },
    ];
    for event in &events {
        writer.handle(event).unwrap();
    }
    writer.finish("2026-11-27T03:17:00Z", false).unwrap();

    let summary = &records(tmp.path(), "summary.csv")[0];
    assert_eq!(summary["verdict"], "absent");
    assert_eq!(summary["urls_known"], "4");
    assert_eq!(summary["urls_read"], "1");
    assert_eq!(summary["urls_skipped"], "3");
    assert_eq!(summary["unread_relevant"], "2");
    assert_eq!(summary["coverage"], "0.25");
    let json = &read_jsonl(tmp.path(), "summary.jsonl")[0];
    assert_eq!(json["uncertain_absence"], true);
    assert_eq!(
        json["top_unread_relevant"],
        serde_json::json!([
            "http://wun.test/library-network/",
            "http://wun.test/groups/<library>/"
        ])
    );
    let skipped_rows = records(tmp.path(), "skipped.csv");
    assert_eq!(skipped_rows.len(), 3);
    assert_eq!(skipped_rows[0]["reason"], "max_pages");
    assert_eq!(skipped_rows[0]["found_by"], "sitemap");

    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert!(html.contains("Read 1 of 4 known URLs"), "{html}");
    assert!(html.contains("absent?"));
    assert!(html.contains("2 unread URLs name a topic"));
    assert!(html.contains("http://wun.test/library-network/"));
    assert!(!html.contains("<library>") && html.contains("&lt;library&gt;"));
}
