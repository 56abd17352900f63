//! Big alliance-like sites (2,000–4,000 pages), generated at test time, crawled with
//! the default limits (500 pages, depth 5, the bundled topics) and politeness off
//! (issue 10, item 6). Each scenario is a site built as real alliance sites are, with
//! the evidence in one place (`tests/it/support/bigsite/mod.rs` says where); the verdict
//! must be the one a careful reader of the whole site gives.
//!
//! Run with `--nocapture` to see, per scenario, what the crawl read: pages by kind
//! (posts, listings, calendar, people, ...), the depth reached, and whether the evidence
//! page was fetched. `examples/gen_bigsite.rs` writes and serves the same sites for a
//! crawl by hand.

mod agreement;
mod findings;
mod generator;

use crate::support::bigsite;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};

use crate::support::TestServer;
use alliance_audit::config::config_hash;
use alliance_audit::config::{Config, Topics};
use alliance_audit::crawl::{crawl, CrawlContext, CrawlSettings, Overrides};
use alliance_audit::report::{new_run_id, utc_now, RunInfo, RunWriter};
use bigsite::{Scenario, SiteInfo};
use tokio::sync::{mpsc, watch};

const TOPIC: &str = "library-collaboration";

type Row = BTreeMap<String, String>;

/// Serves the generated sites for the whole test run: each scenario is generated and
/// started once (thousands of files), then crawled by every test that needs it. A
/// runtime of its own, since each test's runtime ends with the test.
static SERVING: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
});
static SITES: LazyLock<tokio::sync::Mutex<BTreeMap<Scenario, Arc<Site>>>> =
    LazyLock::new(Default::default);

/// `scenario`'s site, generated and started on first use.
async fn site(scenario: Scenario) -> Arc<Site> {
    let mut sites = SITES.lock().await;
    if let Some(site) = sites.get(&scenario) {
        return site.clone();
    }
    let site = Arc::new(SERVING.spawn(Site::start(scenario)).await.unwrap());
    sites.insert(scenario, site.clone());
    site
}

/// A generated site, served on loopback.
struct Site {
    dir: tempfile::TempDir,
    server: TestServer,
    base: String,
    info: SiteInfo,
}

impl Site {
    async fn start(scenario: Scenario) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let server = TestServer::start(bigsite::serve(dir.path().to_path_buf())).await;
        let base = format!("http://{}", server.addr);
        let started = std::time::Instant::now();
        let info = bigsite::generate(scenario, dir.path(), &base).unwrap();
        eprintln!(
            "[{}] generated in {:.2?}: {}",
            scenario.name(),
            started.elapsed(),
            info.describe()
        );
        Site {
            dir,
            server,
            base,
            info,
        }
    }

    /// The evidence's absolute URL.
    fn evidence_url(&self) -> String {
        let place = self
            .info
            .evidence
            .as_ref()
            .expect("this scenario has evidence");
        format!("{}{}", self.base, place.path)
    }

    /// Crawls the site as `crawl` would with the default limits (politeness off,
    /// 4 requests at a time, as the fixture sites are crawled) and reads the run
    /// directory back.
    async fn crawl(&self) -> Run {
        let id = self.info.scenario.name();
        let toml = format!(
            "[defaults]\nper_host_delay_ms = 0\nconcurrency_per_host = 4\n\n\
             [[alliance]]\nid = \"{id}\"\nname = \"{}\"\nstart_urls = [\"{}/\"]\n",
            self.info.site_name, self.base
        );
        let config = Config::parse(&toml, "big_sites.toml").unwrap();
        let limits = config.alliances[0].limits;
        assert_eq!(
            (limits.max_pages, limits.max_depth),
            (500, 5),
            "the default limits"
        );
        let topics = Topics::bundled();
        let dir = tempfile::tempdir().unwrap();
        let run = RunInfo {
            run_id: new_run_id(),
            started_at: utc_now(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            config_hash: config_hash(&[&toml]),
            alliance_names: config
                .alliances
                .iter()
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect(),
            topics: topics.topics.iter().map(|t| t.id.clone()).collect(),
            options: serde_json::json!({}),
        };
        let mut writer = RunWriter::create(dir.path(), run).unwrap();
        let (events_tx, mut events_rx) = mpsc::channel(64);
        let write = tokio::task::spawn_blocking(move || {
            while let Some(event) = events_rx.blocking_recv() {
                writer.handle(&event).unwrap();
            }
            writer
        });
        let (_stop_tx, stop_rx) = watch::channel(false);
        let started = std::time::Instant::now();
        let settings =
            CrawlSettings::for_alliances(&config.alliances, topics, Overrides::default());
        crawl(settings, CrawlContext::new(events_tx, stop_rx))
            .await
            .unwrap();
        let writer = write.await.unwrap();
        writer.finish(&utc_now(), false).unwrap();
        let run = Run {
            dir,
            base: self.base.clone(),
            elapsed: started.elapsed(),
        };
        run.describe(self);
        run
    }
}

/// A finished crawl's run directory.
struct Run {
    dir: tempfile::TempDir,
    base: String,
    elapsed: std::time::Duration,
}

impl Run {
    fn csv(&self, name: &str) -> Vec<Row> {
        crate::support::csv_records(&self.dir.path().join(name))
    }

    fn summary(&self) -> Row {
        let mut rows = self.csv("summary.csv");
        rows.retain(|r| r["topic"] == TOPIC);
        assert_eq!(rows.len(), 1, "one summary row for the topic");
        rows.remove(0)
    }

    fn verdict(&self) -> String {
        self.summary()["verdict"].clone()
    }

    fn evidence(&self) -> Vec<Row> {
        let mut rows = self.csv("evidence.csv");
        rows.retain(|r| r["topic"] == TOPIC);
        rows
    }

    fn pages(&self) -> Vec<Row> {
        self.csv("pages.csv")
    }

    /// The URLs read `ok`, sorted.
    fn ok_urls(&self) -> BTreeSet<String> {
        self.pages()
            .into_iter()
            .filter(|p| p["outcome"] == "ok")
            .map(|p| p["url"].clone())
            .collect()
    }

    /// Prints what the crawl read: the verdict, pages by outcome and kind, the depth
    /// reached, and what became of the evidence URL.
    fn describe(&self, site: &Site) {
        let pages = self.pages();
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        let mut max_depth = 0;
        for p in &pages {
            *outcomes.entry(p["outcome"].clone()).or_default() += 1;
            if p["outcome"] == "ok" {
                let path = p["url"].trim_start_matches(&self.base);
                *kinds.entry(kind_of(path)).or_default() += 1;
                max_depth = max_depth.max(p["depth"].parse::<usize>().unwrap_or(0));
            }
        }
        let evidence = site.info.evidence.as_ref().map(|e| {
            let url = format!("{}{}", self.base, e.path);
            let record = pages.iter().find(|p| p["url"] == url);
            match record {
                Some(p) => format!("{} at depth {}", p["outcome"], p["depth"]),
                None => "never fetched".to_string(),
            }
        });
        let summary = self.summary();
        eprintln!(
            "[{}] verdict {} (expected {}), score {}, coverage {}, evidence rows {}, in {:.1?}\n  \
             records by outcome {:?}\n  ok pages by kind {:?}\n  deepest ok page: depth {}; \
             evidence page: {}; server requests: {}",
            site.info.scenario.name(),
            summary["verdict"],
            site.info.expected_verdict,
            summary["score"],
            summary["coverage"],
            summary["evidence_count"],
            self.elapsed,
            outcomes,
            kinds,
            max_depth,
            evidence.unwrap_or_else(|| "(none in this site)".into()),
            site.server.total_hits(),
        );
    }
}

/// What kind of page a generated URL path is.
fn kind_of(path: &str) -> &'static str {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let first = segments.first().copied().unwrap_or("");
    let year = |s: &str| s.len() == 4 && s.chars().all(|c| c.is_ascii_digit());
    if query.starts_with("share=") || query.starts_with("ical=") {
        "share/ical variant"
    } else if path.ends_with(".pdf") {
        "pdf"
    } else if query.starts_with("month=") {
        "calendar month"
    } else if path.contains("/page/") || query.starts_with("page=") {
        "pagination"
    } else if ["tag", "tags", "category", "author"].contains(&first)
        || path.starts_with("/news/category/")
    {
        "tag/category/author"
    } else if year(first) && segments.len() <= 2 || path.starts_with("/news/archive/") {
        "date archive"
    } else if year(first) || (first == "news" && segments.len() == 2) {
        "post"
    } else if first == "events" {
        "event"
    } else if first == "people" {
        "people"
    } else if first == "publications" && segments.len() == 2 && segments[1] != "annual-reports" {
        "publication"
    } else {
        "section"
    }
}

/// Asserts the verdict and that `url` carries evidence at one of `locations`.
fn assert_found(run: &Run, expected: &str, url: &str, locations: &[&str]) {
    let evidence = run.evidence();
    let at_url: Vec<&Row> = evidence.iter().filter(|e| e["url"] == url).collect();
    assert!(
        at_url
            .iter()
            .any(|e| locations.contains(&e["location"].as_str())),
        "no {locations:?} evidence at {url}; evidence rows: {:?}",
        evidence
            .iter()
            .map(|e| (&e["url"], &e["location"]))
            .collect::<Vec<_>>()
    );
    assert_eq!(run.verdict(), expected, "verdict");
}

/// Crawls `scenario`'s site twice and asserts both read the same pages.
async fn assert_two_crawls_agree(scenario: Scenario) {
    let site = site(scenario).await;
    let first = site.crawl().await.ok_urls();
    let second = site.crawl().await.ok_urls();
    assert!(first.len() >= 400, "{} pages read", first.len());
    let only_first: Vec<_> = first.difference(&second).take(5).collect();
    let only_second: Vec<_> = second.difference(&first).take(5).collect();
    assert!(
        first == second,
        "{} pages read by one crawl only, e.g. {only_first:?} and {only_second:?}",
        first.symmetric_difference(&second).count()
    );
}

/// Every HTML page but the evidence's (and the page linking it, in `deep-group`) is free
/// of topic words; the `absent` site has false friends on many.
fn evidence_is_only_where_designed(scenario: Scenario, info: &SiteInfo, root: &std::path::Path) {
    let evidence = info.evidence.as_ref().map(|e| e.path.clone());
    let mut stack = vec![root.to_path_buf()];
    let mut with_term = Vec::new();
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_some_and(|e| e == "html") {
                let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
                if text.contains("librar") || text.contains("bibliot") {
                    with_term.push(path.strip_prefix(root).unwrap().to_path_buf());
                }
            }
        }
    }
    with_term.sort();
    match (scenario, evidence) {
        (Scenario::Absent, _) => assert!(with_term.len() > 50, "false friends"),
        (Scenario::DeepGroup, Some(path)) => {
            // The group page, and the working-groups page that links it.
            let wg = path.trim_end_matches('/').rsplit_once('/').unwrap().0;
            assert_eq!(
                with_term,
                [
                    format!("{}/index.html", wg.trim_start_matches('/')).into(),
                    format!("{}index.html", path.trim_start_matches('/')).into(),
                ] as [std::path::PathBuf; 2]
            );
        }
        (Scenario::SitemapOnly | Scenario::BodyOnly, Some(path)) => {
            let file = if path.ends_with('/') {
                format!("{}index.html", path.trim_start_matches('/'))
            } else {
                format!("{}/index.html", path.trim_start_matches('/'))
            };
            assert_eq!(with_term, [std::path::PathBuf::from(file)]);
        }
        (Scenario::PdfFlate | Scenario::PdfPlain, Some(_)) => {
            assert_eq!(with_term, Vec::<std::path::PathBuf>::new());
        }
        other => panic!("unexpected {other:?}"),
    }
}
