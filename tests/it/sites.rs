//! The fixture sites of `fixtures/sites/` crawled end to end: each served on its own
//! loopback port (as `demo` does), crawled by `crawl`, written by `RunWriter`, and read back from
//! the run directory as a person would (issue 3, deliverables 3 and 4).
//! `fixtures/sites/README.md` says what each site is built to show.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alliance_audit::cli::demo::serve::StaticServer;
use alliance_audit::config::config_hash;
use alliance_audit::config::{Config, Topics};
use alliance_audit::crawl::{crawl, CrawlContext, CrawlSettings, Overrides};
use alliance_audit::report::{new_run_id, utc_now, RunInfo, RunTotals, RunWriter};
use tokio::sync::{mpsc, watch};
use url::Url;

/// The topic the fixtures are built for; the bundled topics have others too.
const TOPIC: &str = "library-collaboration";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A finished crawl of some fixture sites, and its run directory.
struct Run {
    dir: tempfile::TempDir,
    totals: RunTotals,
}

impl Run {
    fn csv(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        crate::support::csv_records(&self.dir.path().join(name))
    }

    fn rows_of(&self, name: &str, alliance: &str) -> Vec<BTreeMap<String, String>> {
        let mut rows = self.csv(name);
        rows.retain(|r| r["alliance_id"] == alliance);
        rows
    }

    /// The alliance's `library-collaboration` row of summary.csv.
    fn summary(&self, alliance: &str) -> BTreeMap<String, String> {
        let mut rows = self.rows_of("summary.csv", alliance);
        rows.retain(|r| r["topic"] == TOPIC);
        assert_eq!(rows.len(), 1, "{alliance}: one summary row per topic");
        rows.remove(0)
    }

    /// The alliance's evidence.csv rows for `library-collaboration`.
    fn evidence(&self, alliance: &str) -> Vec<BTreeMap<String, String>> {
        let mut rows = self.rows_of("evidence.csv", alliance);
        rows.retain(|r| r["topic"] == TOPIC);
        rows
    }

    /// Top-level labels of the primary menu, in first-seen order.
    fn primary_top_level(&self, alliance: &str) -> Vec<String> {
        self.rows_of("navigation.csv", alliance)
            .into_iter()
            .filter(|r| r["menu_kind"] == "primary" && r["depth"] == "0")
            .map(|r| r["label"].clone())
            .collect()
    }
}

/// Loads `fixtures/sites.toml` as `demo` does, serves each chosen site on its own
/// port, crawls them with the bundled topics, and writes the run directory.
/// `max_pages` overrides the config's; `stop_at_once` stops the crawl before its first
/// request, as a Ctrl-C would.
async fn crawl_sites(ids: &[&str], max_pages: Option<usize>, stop_at_once: bool) -> Run {
    let sites_toml = root().join("sites.toml");
    let mut config = Config::load(&sites_toml).unwrap();
    config.alliances.retain(|a| ids.contains(&a.id.as_str()));
    assert_eq!(
        config.alliances.len(),
        ids.len(),
        "every id is in sites.toml"
    );
    let mut servers = Vec::new();
    for alliance in &mut config.alliances {
        let server = StaticServer::start(root().join("sites").join(&alliance.id))
            .await
            .unwrap();
        alliance.start_urls = vec![Url::parse(&server.url()).unwrap()];
        alliance.allowed_hosts = vec!["127.0.0.1".into()];
        servers.push(server);
    }
    let topics = Topics::bundled();
    let dir = tempfile::tempdir().unwrap();
    let run = RunInfo {
        run_id: new_run_id(),
        started_at: utc_now(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        config_hash: config_hash(&[&std::fs::read_to_string(&sites_toml).unwrap()]),
        alliance_names: config
            .alliances
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect(),
        topics: topics.topics.iter().map(|t| t.id.clone()).collect(),
        options: serde_json::json!({ "max_pages": max_pages }),
    };
    let mut writer = RunWriter::create(dir.path(), run).unwrap();
    // The single writer: blocking file I/O off the async workers.
    let (events_tx, mut events_rx) = mpsc::channel(64);
    let write = tokio::task::spawn_blocking(move || {
        while let Some(event) = events_rx.blocking_recv() {
            writer.handle(&event).unwrap();
        }
        writer
    });
    let (stop_tx, stop_rx) = watch::channel(stop_at_once);
    let overrides = Overrides {
        max_pages,
        ..Overrides::default()
    };
    let settings = CrawlSettings::for_alliances(&config.alliances, topics, overrides);
    crawl(settings, CrawlContext::new(events_tx, stop_rx))
        .await
        .unwrap();
    drop(stop_tx);
    let writer = write.await.unwrap();
    let totals = writer.finish(&utc_now(), stop_at_once).unwrap();
    drop(servers);
    Run { dir, totals }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fixture_site_gets_its_designed_verdict() {
    let ids = [
        "liber",
        "leru",
        "coimbra-group",
        "apru",
        "una-europa",
        "universitas-21",
        "wun",
        "idea-league",
    ];
    let run = crawl_sites(&ids, None, false).await;
    // (verdict, pages ok, failed, blocked) as fixtures/sites/README.md documents them.
    let expected = [
        ("liber", "leading", 18, 0, 0),
        ("leru", "leading", 21, 0, 1),
        ("coimbra-group", "present", 20, 0, 0),
        ("apru", "mentioned", 16, 0, 0),
        ("una-europa", "absent", 16, 0, 1),
        ("universitas-21", "absent", 15, 0, 0),
        ("wun", "absent", 14, 1, 0),
        ("idea-league", "absent", 13, 0, 0),
    ];
    let mut got = Vec::new();
    for (id, ..) in expected {
        let s = run.summary(id);
        let n = |key: &str| s[key].parse::<usize>().unwrap();
        got.push((
            id,
            s["verdict"].clone(),
            n("pages_ok"),
            n("pages_failed"),
            n("pages_blocked"),
        ));
    }
    let want: Vec<_> = expected
        .iter()
        .map(|&(id, v, ok, failed, blocked)| (id, v.to_string(), ok, failed, blocked))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        run.totals.summary.len(),
        ids.len() * Topics::bundled().topics.len()
    );
    assert!(!run.totals.interrupted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn navigation_is_the_site_menu_once_with_pages_seen() {
    let run = crawl_sites(&["leru", "una-europa", "coimbra-group"], None, false).await;
    assert_eq!(
        run.primary_top_level("leru"),
        [
            "About LERU",
            "Policy Areas",
            "LERU Groups",
            "Publications",
            "News",
            "Contact"
        ]
    );
    assert_eq!(
        run.primary_top_level("una-europa"),
        ["About", "Education", "Research", "Resource Library", "News"]
    );
    assert_eq!(
        run.primary_top_level("coimbra-group"),
        [
            "About",
            "Members",
            "Working Groups",
            "Projects",
            "Events",
            "News",
            "Contact"
        ]
    );
    // The leading item: in LERU's primary dropdown, shown on every page read.
    let nav = run.rows_of("navigation.csv", "leru");
    let libraries: Vec<_> = nav
        .iter()
        .filter(|r| r["label"] == "University Libraries" && r["menu_kind"] == "primary")
        .collect();
    assert_eq!(libraries.len(), 1, "one row per distinct item");
    assert_eq!(
        (
            &*libraries[0]["path"],
            &*libraries[0]["depth"],
            &*libraries[0]["pages_seen"]
        ),
        ("LERU Groups", "1", "21")
    );
    // Coimbra's working-group sidebar is a secondary menu, on the 6 group pages.
    let sidebar: Vec<_> = run
        .rows_of("navigation.csv", "coimbra-group")
        .into_iter()
        .filter(|r| r["menu_kind"] == "secondary")
        .map(|r| (r["label"].clone(), r["pages_seen"].clone()))
        .collect();
    assert_eq!(sidebar.len(), 4);
    assert!(sidebar.iter().all(|(_, seen)| seen == "6"), "{sidebar:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_points_where_a_person_can_check_it() {
    let run = crawl_sites(
        &["coimbra-group", "una-europa", "apru", "leru"],
        None,
        false,
    )
    .await;

    // Present deep in the site: the heritage group's h2, at depth 2.
    let coimbra = run.summary("coimbra-group");
    assert!(coimbra["first_evidence_url"].ends_with("/working-groups/heritage/"));
    let heritage = run
        .rows_of("pages.csv", "coimbra-group")
        .into_iter()
        .find(|p| p["url"].ends_with("/working-groups/heritage/"))
        .unwrap();
    assert_eq!(
        (&*heritage["depth"], &*heritage["verdict"]),
        ("2", "present")
    );
    let headings: Vec<_> = run
        .rows_of("headings.csv", "coimbra-group")
        .into_iter()
        .filter(|h| h["url"] == coimbra["first_evidence_url"])
        .map(|h| (h["level"].clone(), h["text"].clone()))
        .collect();
    assert!(headings.contains(&("2".into(), "Museums, libraries and collections".into())));

    // Only mentioned: body text of one news item, next to a collaboration word.
    let apru = run.evidence("apru");
    assert!(!apru.is_empty());
    assert!(apru
        .iter()
        .all(|e| e["location"] == "body" && e["collaboration"] == "true"));
    assert!(apru[0]["url"].ends_with("/news/open-data-collaboration-expands/"));

    // False friends leave no evidence at all.
    assert_eq!(run.evidence("una-europa"), []);
    assert_eq!(run.summary("una-europa")["evidence_count"], "0");

    // Leading: the primary menu item repeats on all 21 pages. The score counts it
    // once, and is recomputed here from evidence.jsonl alone: the best page's summed
    // weights plus the pages with evidence outside site-wide menus.
    let leru = run.summary("leru");
    let evidence = std::fs::read_to_string(run.dir.path().join("evidence.jsonl")).unwrap();
    let mut page_scores: BTreeMap<String, u64> = BTreeMap::new();
    let mut own_pages = std::collections::BTreeSet::new();
    for line in evidence.lines() {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        if e["alliance_id"] != "leru" || e["topic"] != TOPIC {
            continue;
        }
        let url = e["url"].as_str().unwrap().to_string();
        *page_scores.entry(url.clone()).or_default() += e["weight"].as_u64().unwrap();
        if !matches!(
            e["menu_kind"].as_str(),
            Some("primary" | "secondary" | "footer")
        ) {
            own_pages.insert(url);
        }
    }
    assert_eq!(page_scores.len(), 21, "the menu item is on every page");
    let best = page_scores.values().max().unwrap();
    assert_eq!(leru["score"], (best + own_pages.len() as u64).to_string());
    assert!(own_pages.len() < 21);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_rows_and_lower_coverage() {
    let run = crawl_sites(&["leru", "wun", "idea-league"], None, false).await;
    let outcomes = |id: &str| -> Vec<(String, String, String)> {
        run.rows_of("errors.csv", id)
            .into_iter()
            .map(|e| {
                let path = Url::parse(&e["url"]).unwrap().path().to_string();
                (path, e["outcome"].clone(), e["status"].clone())
            })
            .collect()
    };
    let mut leru = outcomes("leru");
    leru.sort();
    assert_eq!(
        leru,
        [
            (
                // A placeholder, not a real PDF: read, and unreadable.
                "/publications/open-access-roadmap.pdf".into(),
                "unreadable".into(),
                "200".into()
            ),
            ("/search/".into(), "blocked_by_robots".into(), "".into()),
        ]
    );
    assert_eq!(
        outcomes("wun"),
        [("/events/".into(), "http_error".into(), "404".into())]
    );
    // Issue 10: coverage is URLs read of URLs known, and every URL known and not read
    // (the PDF not read, the blocked search page, the 404) is a row of skipped.csv.
    for (id, coverage, known, read) in [
        ("idea-league", "0.929", 14, 13),
        ("leru", "0.913", 23, 21),
        ("wun", "0.933", 15, 14),
    ] {
        let summary = run.summary(id);
        assert_eq!(summary["coverage"], coverage, "{id}");
        assert_eq!(summary["urls_known"], known.to_string(), "{id}");
        assert_eq!(summary["urls_read"], read.to_string(), "{id}");
        let skipped = run.rows_of("skipped.csv", id);
        assert_eq!(skipped.len(), known - read, "{id}: {skipped:?}");
        assert_eq!(summary["urls_skipped"], skipped.len().to_string());
    }
    let leru_skipped = run.rows_of("skipped.csv", "leru");
    let reasons: Vec<(&str, &str)> = leru_skipped
        .iter()
        .map(|row| (row["reason"].as_str(), row["relevant"].as_str()))
        .collect();
    assert!(reasons.contains(&("robots", "false")), "{reasons:?}");

    let run_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.dir.path().join("run.json")).unwrap())
            .unwrap();
    let robots = run_json["robots"].as_array().unwrap();
    let leru_robots = robots.iter().find(|r| r["alliance_id"] == "leru").unwrap();
    assert!(leru_robots["body"]
        .as_str()
        .unwrap()
        .contains("Disallow: /search/"));
    let idea_robots = robots
        .iter()
        .find(|r| r["alliance_id"] == "idea-league")
        .unwrap();
    assert_eq!(idea_robots["status"], 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_pages_cuts_off_and_coverage_says_so() {
    let run = crawl_sites(&["liber"], Some(5), false).await;
    let liber = run.summary("liber");
    assert_eq!(liber["pages_ok"], "5");
    let coverage: f64 = liber["coverage"].parse().unwrap();
    assert!(coverage < 0.5, "5 of 18 pages read: {coverage}");
    // Leading is still leading: the primary menu shows on the first page.
    assert_eq!(liber["verdict"], "leading");
    let json = std::fs::read_to_string(run.dir.path().join("summary.jsonl")).unwrap();
    let row: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert!(row["pages_cut_off"].as_u64().unwrap() >= 10, "{row}");
    assert_eq!(row["low_coverage"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_stopped_at_once_leaves_complete_files_and_unknown_verdicts() {
    let run = crawl_sites(&["wun", "apru"], None, true).await;
    assert!(run.totals.interrupted);
    for id in ["wun", "apru"] {
        let s = run.summary(id);
        assert_eq!((&*s["verdict"], &*s["pages_ok"]), ("unknown", "0"), "{id}");
    }
    let names: Vec<_> = std::fs::read_dir(run.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    assert_eq!(names.len(), 16, "{names:?}");
}
