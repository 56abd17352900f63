//! The run directory as a reader sees it: `RunWriter` fed a synthetic event stream
//! (issue 3, deliverable 3: stable columns, atomic files, neutralised cells).

mod files;
mod html;
mod rows;

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
