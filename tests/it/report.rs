//! The run directory as a reader sees it: `RunWriter` fed a synthetic event stream
//! (issue 3, deliverable 3: stable columns, atomic files, neutralised cells).

use std::collections::BTreeMap;
use std::path::Path;

use alliance_audit::crawl::{
    CrawlEvent, FoundBy, Outcome, PageRecord, RobotsRecord, SkipReason, SkippedRecord,
};
use alliance_audit::detect::{Detection, Evidence, Level, Location, Verdict};
use alliance_audit::extract::{Heading, Menu, MenuKind, NavItem, Page};
use alliance_audit::report::{RunInfo, RunWriter};

const TOPIC: &str = "library-collaboration";
const FILES: [&str; 7] = [
    "summary",
    "pages",
    "navigation",
    "headings",
    "evidence",
    "errors",
    "skipped",
];

fn run_info() -> RunInfo {
    RunInfo {
        run_id: "20261127T031500Z".into(),
        started_at: "2026-11-27T03:15:00Z".into(),
        tool_version: "0.1.0".into(),
        config_hash: "0123456789abcdef".into(),
        alliance_names: BTreeMap::from([
            (
                "leru".into(),
                "League of European Research Universities".into(),
            ),
            ("wun".into(), "Worldwide Universities Network".into()),
        ]),
        topics: vec![TOPIC.into()],
        options: serde_json::json!({ "max_pages": 500 }),
    }
}

fn item(label: &str, href: &str, path: &[&str]) -> NavItem {
    NavItem {
        label: label.into(),
        href: Some(href.into()),
        depth: path.len(),
        path: path.iter().map(|p| p.to_string()).collect(),
    }
}

/// LERU's primary menu, as every page shows it.
fn primary_menu() -> Menu {
    Menu {
        kind: MenuKind::Primary,
        label: "Main".into(),
        items: vec![
            item("About", "http://leru.test/about/", &[]),
            item("LERU Groups", "http://leru.test/groups/", &[]),
            item(
                "Information & Open Access",
                "http://leru.test/groups/information-open-access/",
                &["LERU Groups"],
            ),
        ],
    }
}

fn nav_evidence() -> Evidence {
    Evidence {
        topic: TOPIC.into(),
        term: "librarians".into(),
        location: Location::Nav,
        url: None,
        snippet: "LERU Groups > Information & Open Access".into(),
        collaboration: true,
        menu_kind: Some(MenuKind::Primary),
        heading_level: None,
        level: Level::Leading,
        weight: 20,
    }
}

fn ok_page(
    url: &str,
    depth: usize,
    title: &str,
    headings: &[&str],
    evidence: Vec<Evidence>,
) -> CrawlEvent {
    let level = evidence
        .iter()
        .map(|e| e.level)
        .max()
        .unwrap_or(Level::Absent);
    let score = evidence.iter().map(|e| e.weight).sum();
    CrawlEvent::Page(Box::new(PageRecord {
        validators: None,
        alliance_id: "leru".into(),
        url: url.into(),
        final_url: url.into(),
        depth,
        outcome: Outcome::Ok,
        status: Some(200),
        content_type: Some("text/html; charset=utf-8".into()),
        error: None,
        fetched_at: "2026-11-27T03:15:01Z".into(),
        page: Some(Page {
            url: Some(url.into()),
            title: Some(title.into()),
            lang: Some("en".into()),
            navigation: vec![primary_menu(), primary_menu()],
            headings: headings
                .iter()
                .map(|h| Heading {
                    level: 2,
                    text: h.to_string(),
                })
                .collect(),
            words: 120,
            ..Page::default()
        }),
        detection: Some(Detection {
            evidence,
            verdicts: vec![Verdict {
                topic: TOPIC.into(),
                level,
                score,
            }],
        }),
    }))
}

fn failed(url: &str, outcome: Outcome, status: Option<u16>, error: &str) -> CrawlEvent {
    CrawlEvent::Page(Box::new(PageRecord {
        validators: None,
        alliance_id: "leru".into(),
        url: url.into(),
        final_url: url.into(),
        depth: 2,
        outcome,
        status,
        content_type: None,
        error: Some(error.into()),
        fetched_at: "2026-11-27T03:15:02Z".into(),
        page: None,
        detection: None,
    }))
}

/// A LERU crawl: three pages read (one titled like a formula), one 404, one blocked, and
/// robots.txt; `max_pages` left one URL unfetched.
fn leru_events(finished: bool) -> Vec<CrawlEvent> {
    let mut events = vec![
        CrawlEvent::AllianceStarted {
            alliance_id: "leru".into(),
            started_at: "2026-11-27T03:15:00Z".into(),
        },
        CrawlEvent::Robots(RobotsRecord {
            alliance_id: "leru".into(),
            host: "leru.test".into(),
            status: Some(200),
            body: "User-agent: *\nDisallow: /private/\n".into(),
            fetched_at: "2026-11-27T03:15:00Z".into(),
        }),
        ok_page(
            "http://leru.test/",
            0,
            "LERU",
            &["Welcome"],
            vec![nav_evidence()],
        ),
        ok_page(
            "http://leru.test/groups/",
            1,
            "=HYPERLINK(\"http://evil.test\",\"click\")",
            &["-1", "Policy groups"],
            vec![nav_evidence()],
        ),
        ok_page(
            "http://leru.test/about/",
            1,
            "About",
            &[],
            vec![nav_evidence()],
        ),
        failed(
            "http://leru.test/gone/",
            Outcome::HttpError,
            Some(404),
            "HTTP 404",
        ),
        failed(
            "http://leru.test/private/x/",
            Outcome::BlockedByRobots,
            None,
            "disallowed by robots.txt",
        ),
    ];
    if finished {
        events.push(CrawlEvent::AllianceFinished {
            alliance_id: "leru".into(),
            finished_at: "2026-11-27T03:16:00Z".into(),
            cut_off: 1,
        });
    }
    events
}

fn read_jsonl(dir: &Path, name: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join(name))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Rows as maps from column name to cell.
fn records(dir: &Path, name: &str) -> Vec<BTreeMap<String, String>> {
    crate::support::csv_records(&dir.join(name))
}

fn write_run(dir: &Path, events: &[CrawlEvent], interrupted: bool) {
    let mut writer = RunWriter::create(dir, run_info()).unwrap();
    for event in events {
        writer.handle(event).unwrap();
    }
    writer.finish("2026-11-27T03:17:00Z", interrupted).unwrap();
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn files_appear_only_at_finish_and_no_temp_file_is_left() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("runs").join("x");
    let mut writer = RunWriter::create(&dir, run_info()).unwrap();
    for event in leru_events(true) {
        writer.handle(&event).unwrap();
    }
    let before = listing(&dir);
    assert!(
        before
            .iter()
            .all(|name| name.starts_with('.') && name.ends_with(".tmp")),
        "{before:?}"
    );
    assert!(before.contains(&".pages.csv.tmp".to_string()));

    writer.finish("2026-11-27T03:17:00Z", false).unwrap();
    let mut want: Vec<String> = FILES
        .iter()
        .flat_map(|f| [format!("{f}.csv"), format!("{f}.jsonl")])
        .chain(["run.json".to_string(), "report.html".to_string()])
        .collect();
    want.sort();
    assert_eq!(listing(&dir), want);
}

#[test]
fn an_empty_run_has_header_only_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut info = run_info();
    info.alliance_names.clear();
    let writer = RunWriter::create(tmp.path(), info).unwrap();
    let totals = writer.finish("2026-11-27T03:17:00Z", false).unwrap();
    assert_eq!(totals.pages, 0);
    let headers = [
        ("summary", "alliance_id,alliance_name,topic,verdict,score,coverage,pages_ok,pages_failed,pages_blocked,evidence_count,first_evidence_url,started_at,finished_at,urls_known,urls_read,urls_skipped,unread_relevant"),
        ("pages", "alliance_id,url,final_url,depth,outcome,status,content_type,title,lang,words,headings,nav_items,verdict,error"),
        ("navigation", "alliance_id,menu_kind,depth,path,label,href,pages_seen"),
        ("headings", "alliance_id,url,position,level,text"),
        ("evidence", "alliance_id,topic,url,location,term,collaboration,snippet"),
        ("errors", "alliance_id,url,outcome,status,error"),
        ("skipped", "alliance_id,url,reason,found_by,found_on,depth,priority,relevant"),
    ];
    for (name, header) in headers {
        let csv = std::fs::read_to_string(tmp.path().join(format!("{name}.csv"))).unwrap();
        assert_eq!(csv, format!("{header}\n"), "{name}.csv");
        let jsonl = std::fs::read_to_string(tmp.path().join(format!("{name}.jsonl"))).unwrap();
        assert_eq!(jsonl, "", "{name}.jsonl");
    }
}

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

#[test]
fn run_json_records_the_run_and_robots() {
    let tmp = tempfile::tempdir().unwrap();
    write_run(tmp.path(), &leru_events(true), false);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(run["run_id"], "20261127T031500Z");
    assert_eq!(run["tool_version"], "0.1.0");
    assert_eq!(run["config_hash"], "0123456789abcdef");
    assert_eq!(run["finished_at"], "2026-11-27T03:17:00Z");
    assert_eq!(run["interrupted"], false);
    assert_eq!(run["options"]["max_pages"], 500);
    assert_eq!(run["totals"]["pages"], 5);
    assert_eq!(run["totals"]["outcomes"]["ok"], 3);
    assert_eq!(run["totals"]["pages_cut_off"], 1);
    assert_eq!(run["robots"][0]["host"], "leru.test");
    assert_eq!(
        run["robots"][0]["body"],
        "User-agent: *\nDisallow: /private/\n"
    );
}

#[test]
fn an_interrupted_run_still_writes_complete_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut writer = RunWriter::create(tmp.path(), run_info()).unwrap();
    for event in leru_events(false) {
        writer.handle(&event).unwrap();
    }
    let totals = writer.finish("2026-11-27T03:15:30Z", true).unwrap();
    assert!(totals.interrupted);
    assert_eq!(totals.summary.len(), 2);
    let summary = records(tmp.path(), "summary.csv");
    // LERU started but never finished: its verdict stands, its finished_at is empty.
    assert_eq!(
        (&*summary[0]["verdict"], &*summary[0]["finished_at"]),
        ("leading", "")
    );
    assert_eq!(records(tmp.path(), "navigation.csv").len(), 3);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(run["interrupted"], true);
}

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

fn skipped(url: &str, reason: SkipReason, priority: i32, relevant: bool) -> CrawlEvent {
    CrawlEvent::Skipped(Box::new(SkippedRecord {
        alliance_id: "wun".into(),
        url: url.into(),
        reason,
        found_by: FoundBy::Sitemap,
        found_on: Some("http://wun.test/sitemap.xml".into()),
        depth: 2,
        priority,
        relevant,
    }))
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
