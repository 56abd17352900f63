//! The crawler's behaviour (issue 3, "Behaviour"), each rule against its own loopback
//! server that counts the requests it gets: a path that must never be requested is
//! asserted to have zero hits.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::{mpsc, watch};

use crate::support::TestServer;
use alliance_audit::config::{Config, Topic, Topics};
use alliance_audit::crawl::{
    crawl, CrawlContext, CrawlEvent, CrawlSettings, CrawlStats, Outcome, Overrides, PageRecord,
    SitePlan, DEFAULT_USER_AGENT,
};

// ---------------------------------------------------------------------------------
// Helpers

/// A page whose body mentions the library network and links to `links`.
fn page(links: &[&str]) -> Html<String> {
    Html(page_with_head("", links))
}

fn page_with_head(head: &str, links: &[&str]) -> String {
    let anchors: String = links
        .iter()
        .map(|href| format!("<li><a href=\"{href}\">{href}</a></li>"))
        .collect();
    format!(
        "<!doctype html><html><head><title>T</title>{head}</head><body>\
         <p>Our library network works together.</p><ul>{anchors}</ul></body></html>"
    )
}

fn robots(text: &'static str) -> Router {
    Router::new().route("/robots.txt", get(move || async move { text }))
}

fn topics() -> Topics {
    Topics {
        topics: vec![Topic {
            id: "library-collaboration".into(),
            name: "Library collaboration".into(),
            terms: vec!["library".into()],
            negative: vec![],
            collaboration: vec!["network".into()],
        }],
        ..Topics::default()
    }
}

/// Fast settings: no delay, short timeouts, quick retries.
fn options() -> CrawlSettings {
    CrawlSettings {
        concurrency: 8,
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry_backoff: Duration::from_millis(20),
        retry_after_cap: Duration::from_secs(5),
        topics: topics(),
        ..CrawlSettings::default()
    }
}

fn plan(server: &TestServer, start: &str) -> SitePlan {
    SitePlan {
        alliance_id: "test".into(),
        start_urls: vec![server.url(start)],
        allowed_hosts: vec!["127.0.0.1".into()],
        max_pages: 200,
        max_depth: 5,
        delay: Duration::ZERO,
        concurrency_per_host: 4,
    }
}

/// What a crawl sent and returned.
struct Crawled {
    events: Vec<CrawlEvent>,
    stats: CrawlStats,
}

impl Crawled {
    fn pages(&self) -> Vec<&PageRecord> {
        self.events
            .iter()
            .filter_map(|event| match event {
                CrawlEvent::Page(record) => Some(record.as_ref()),
                _ => None,
            })
            .collect()
    }

    /// The record whose requested URL has this path (and query).
    fn page(&self, path_and_query: &str) -> &PageRecord {
        let found: Vec<&PageRecord> = self
            .pages()
            .into_iter()
            .filter(|record| path_of(&record.url) == path_and_query)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one record for {path_and_query}; records: {:#?}",
            self.summary()
        );
        found[0]
    }

    fn has_page(&self, path_and_query: &str) -> bool {
        self.pages()
            .iter()
            .any(|record| path_of(&record.url) == path_and_query)
    }

    fn count(&self, outcome: Outcome) -> usize {
        self.pages()
            .iter()
            .filter(|record| record.outcome == outcome)
            .count()
    }

    fn cut_off(&self) -> usize {
        self.events
            .iter()
            .find_map(|event| match event {
                CrawlEvent::AllianceFinished { cut_off, .. } => Some(*cut_off),
                _ => None,
            })
            .expect("AllianceFinished sent")
    }

    fn summary(&self) -> Vec<String> {
        self.pages()
            .iter()
            .map(|record| format!("{} {} {:?}", record.outcome, record.url, record.error))
            .collect()
    }
}

fn path_of(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    }
}

async fn crawl_with(sites: Vec<SitePlan>, options: CrawlSettings) -> Crawled {
    let (events, mut received) = mpsc::channel(16);
    let (_stop, stop) = watch::channel(false);
    let collector = tokio::spawn(async move {
        let mut all = Vec::new();
        while let Some(event) = received.recv().await {
            all.push(event);
        }
        all
    });
    let settings = CrawlSettings { sites, ..options };
    let crawl = crawl(settings, CrawlContext::new(events, stop));
    let stats = tokio::time::timeout(Duration::from_secs(60), crawl)
        .await
        .expect("crawl finished in time")
        .expect("crawl ran");
    let events = collector.await.unwrap();
    Crawled { events, stats }
}

async fn crawl_one(plan: SitePlan) -> Crawled {
    crawl_with(vec![plan], options()).await
}

// ---------------------------------------------------------------------------------
// robots.txt

#[tokio::test]
async fn robots_disallowed_paths_are_never_requested() {
    let app = robots("User-agent: *\nDisallow: /private\n")
        .route(
            "/",
            get(|| async { page(&["/private/a", "/public", "/private"]) }),
        )
        .route("/public", get(|| async { page(&["/private/b"]) }))
        .route("/private/a", get(|| async { page(&[]) }))
        .route("/private", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(server.hits("/private/a"), 0);
    assert_eq!(server.hits("/private/b"), 0);
    assert_eq!(server.hits("/private"), 0);
    assert_eq!(crawled.page("/private/a").outcome, Outcome::BlockedByRobots);
    assert_eq!(crawled.page("/private/b").outcome, Outcome::BlockedByRobots);
    assert_eq!(crawled.page("/public").outcome, Outcome::Ok);
    // Fetched once per host, and kept for the audit.
    assert_eq!(server.hits("/robots.txt"), 1);
    let robots_records: Vec<_> = crawled
        .events
        .iter()
        .filter_map(|event| match event {
            CrawlEvent::Robots(record) => Some(record),
            _ => None,
        })
        .collect();
    assert_eq!(robots_records.len(), 1);
    assert_eq!(robots_records[0].status, Some(200));
    assert!(robots_records[0].body.contains("Disallow: /private"));
    assert_eq!(crawled.stats.pages_blocked, 3);
}

#[tokio::test]
async fn our_user_agent_is_sent_and_its_robots_group_obeyed() {
    let app =
        robots("User-agent: *\nDisallow:\n\nUser-agent: alliance-audit\nDisallow: /not-for-us\n")
            .route("/", get(|| async { page(&["/not-for-us"]) }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(server.hits("/not-for-us"), 0);
    assert_eq!(
        crawled.page("/not-for-us").outcome,
        Outcome::BlockedByRobots
    );
    for hit in server.log() {
        assert_eq!(hit.user_agent.as_deref(), Some(DEFAULT_USER_AGENT));
    }
}

#[tokio::test]
async fn robots_crawl_delay_spaces_requests() {
    let app = robots("User-agent: *\nCrawl-delay: 0.4\n")
        .route("/", get(|| async { page(&["/a", "/b", "/c"]) }))
        .route("/a", get(|| async { page(&[]) }))
        .route("/b", get(|| async { page(&[]) }))
        .route("/c", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(crawled.count(Outcome::Ok), 4);
    let log = server.log();
    assert!(log.len() >= 5, "robots, sitemap and pages: {log:?}");
    for pair in log.windows(2) {
        let gap = pair[1].at - pair[0].at;
        // The delay is between request starts; arrival may lag by scheduling, hence
        // the slack (without the delay the gaps are about a millisecond).
        assert!(
            gap >= Duration::from_millis(300),
            "{} then {} only {gap:?} apart",
            pair[0].target,
            pair[1].target
        );
    }
}

#[tokio::test]
async fn configured_delay_spaces_requests() {
    let app = Router::new()
        .route("/", get(|| async { page(&["/a", "/b"]) }))
        .route("/a", get(|| async { page(&[]) }))
        .route("/b", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let mut plan = plan(&server, "/");
    plan.delay = Duration::from_millis(300);
    let crawled = crawl_one(plan).await;

    assert_eq!(crawled.count(Outcome::Ok), 3);
    for pair in server.log().windows(2) {
        assert!(pair[1].at - pair[0].at >= Duration::from_millis(200));
    }
}

#[tokio::test]
async fn missing_robots_txt_allows_everything() {
    let app = Router::new()
        .route("/", get(|| async { page(&["/a"]) }))
        .route("/a", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(server.hits("/robots.txt"), 1);
    assert_eq!(crawled.page("/").outcome, Outcome::Ok);
    assert_eq!(crawled.page("/a").outcome, Outcome::Ok);
}

#[tokio::test]
async fn robots_txt_server_error_blocks_the_host_after_retries() {
    let app = Router::new()
        .route(
            "/robots.txt",
            get(|| async { StatusCode::SERVICE_UNAVAILABLE }),
        )
        .route("/", get(|| async { page(&["/a"]) }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(server.hits("/robots.txt"), 3, "tried three times");
    assert_eq!(server.hits("/"), 0);
    assert_eq!(server.hits("/sitemap.xml"), 0);
    let start = crawled.page("/");
    assert_eq!(start.outcome, Outcome::BlockedByRobots);
    assert!(start.error.as_deref().unwrap().contains("unreachable"));
}

// ---------------------------------------------------------------------------------
// Sitemaps

#[tokio::test]
async fn sitemaps_from_robots_and_sitemap_xml_seed_the_crawl() {
    use std::io::Write;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(b"<urlset><url><loc>/from-gzip</loc></url></urlset>")
        .unwrap();
    let gzipped = gzip.finish().unwrap();

    let app = Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow:\nSitemap: /index.xml\n" }),
        )
        .route(
            "/index.xml",
            get(|| async {
                "<sitemapindex><sitemap><loc>/plain.xml</loc></sitemap>\
                 <sitemap><loc>/packed.xml.gz</loc></sitemap></sitemapindex>"
            }),
        )
        .route(
            "/plain.xml",
            get(|| async {
                "<urlset><url><loc>/from-index?a=1&amp;b=2</loc></url>\
                 <url><loc>http://elsewhere.invalid/page</loc></url></urlset>"
            }),
        )
        .route(
            "/packed.xml.gz",
            get(move || async move {
                (
                    [(header::CONTENT_TYPE, "application/octet-stream")],
                    gzipped,
                )
            }),
        )
        .route(
            "/sitemap.xml",
            get(|| async { "<urlset><url><loc>/from-default</loc></url></urlset>" }),
        )
        .route("/", get(|| async { page(&[]) }))
        .route("/from-index", get(|| async { page(&[]) }))
        .route("/from-gzip", get(|| async { page(&[]) }))
        .route("/from-default", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    for seeded in ["/from-index?a=1&b=2", "/from-gzip", "/from-default"] {
        let record = crawled.page(seeded);
        assert_eq!(record.outcome, Outcome::Ok, "{seeded}");
        // Issue 10: no privileged depth; a sitemap entry no page links to is placed
        // below the start page's links.
        assert_eq!(record.depth, 2, "{seeded}");
    }
    assert_eq!(crawled.pages().len(), 4, "{:#?}", crawled.summary());
    // Sitemap files are not pages.
    assert!(!crawled.has_page("/index.xml"));
    assert_eq!(server.hits("/index.xml"), 1);
}

// ---------------------------------------------------------------------------------
// Scope and bounds

#[tokio::test]
async fn links_to_other_hosts_are_never_requested() {
    let server =
        TestServer::start(Router::new().route("/other", get(|| async { page(&[]) }))).await;
    let other = server.url_via("localhost", "/other").to_string();
    let app = Router::new().route(
        "/",
        get(move || {
            let other = other.clone();
            async move { page(&[&other, "http://example.invalid/x"]) }
        }),
    );
    let site = TestServer::start(app).await;
    let crawled = crawl_one(plan(&site, "/")).await;

    assert_eq!(server.hits("/other"), 0);
    assert_eq!(crawled.pages().len(), 1, "{:#?}", crawled.summary());
}

fn numbered_site(count: usize) -> Router {
    let links: Vec<String> = (0..count).map(|n| format!("/p{n}")).collect();
    let mut app = Router::new().route(
        "/",
        get(move || {
            let links = links.clone();
            async move { page(&links.iter().map(String::as_str).collect::<Vec<_>>()) }
        }),
    );
    for n in 0..count {
        app = app.route(&format!("/p{n}"), get(|| async { page(&[]) }));
    }
    app
}

#[tokio::test]
async fn max_pages_bounds_the_requests_and_counts_the_rest() {
    let server = TestServer::start(numbered_site(20)).await;
    let mut plan = plan(&server, "/");
    plan.max_pages = 5;
    let crawled = crawl_one(plan).await;

    assert_eq!(crawled.count(Outcome::Ok), 5);
    let page_hits = server
        .log()
        .iter()
        .filter(|hit| hit.target == "/" || hit.target.starts_with("/p"))
        .count();
    assert_eq!(page_hits, 5);
    assert_eq!(crawled.cut_off(), 16);
    assert_eq!(crawled.stats.cut_off, 16);
}

#[tokio::test]
async fn max_depth_bounds_the_link_distance() {
    let app = Router::new()
        .route("/", get(|| async { page(&["/d1"]) }))
        .route("/d1", get(|| async { page(&["/d2"]) }))
        .route("/d2", get(|| async { page(&["/d3"]) }))
        .route("/d3", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let mut plan = plan(&server, "/");
    plan.max_depth = 2;
    let crawled = crawl_one(plan).await;

    assert_eq!(crawled.page("/d2").depth, 2);
    assert_eq!(server.hits("/d3"), 0);
    assert!(!crawled.has_page("/d3"));
}

#[tokio::test]
async fn url_variants_are_fetched_once() {
    let app = Router::new()
        .route(
            "/",
            get(|| async {
                page(&[
                    "/a",
                    "/a?utm_source=news&utm_medium=mail",
                    "/a#section",
                    "/a?fbclid=xyz",
                    "/./b/../a",
                    "/a?PHPSESSID=123",
                    "/a;jsessionid=ABC",
                ])
            }),
        )
        .route("/a", get(|| async { page(&["/", "/index.html"]) }))
        .route("/index.html", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let mut plan = plan(&server, "/");
    // The same start twice, spelled two ways.
    plan.start_urls.push(server.url("/./?utm_campaign=x#top"));
    let crawled = crawl_one(plan).await;

    assert_eq!(server.hits("/a"), 1);
    assert_eq!(server.hits("/"), 1);
    // `index.html` is not collapsed into `/`.
    assert_eq!(server.hits("/index.html"), 1);
    assert_eq!(crawled.count(Outcome::Ok), 3);
}

#[tokio::test]
async fn index_html_is_fetched_but_identical_content_counted_once() {
    let app = Router::new()
        .route(
            "/",
            get(|| async { page(&["/index.html", "/other/", "/other/index.html"]) }),
        )
        .route(
            "/index.html",
            get(|| async { page(&["/index.html", "/other/", "/other/index.html"]) }),
        )
        .route("/other/", get(|| async { page(&["/x"]) }))
        .route("/other/index.html", get(|| async { page(&["/y"]) }))
        .route("/x", get(|| async { Html("<p>x</p>") }))
        .route("/y", get(|| async { Html("<p>y</p>") }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(server.hits("/index.html"), 1);
    assert_eq!(crawled.page("/").outcome, Outcome::Ok);
    assert!(crawled.page("/").detection.is_some());
    let copy = crawled.page("/index.html");
    assert_eq!(copy.outcome, Outcome::Ok);
    assert!(
        copy.detection.is_none(),
        "same bytes as /: not counted twice"
    );
    // Different content under the two spellings: both count.
    assert!(crawled.page("/other/").detection.is_some());
    assert!(crawled.page("/other/index.html").detection.is_some());
}

#[tokio::test]
async fn an_endless_calendar_stays_within_bounds() {
    // Every month links to the next and the previous one, forever, two ways.
    let app = Router::new()
        .route(
            "/calendar",
            get(|uri: axum::http::Uri| async move {
                let month: i64 = uri
                    .query()
                    .and_then(|query| query.strip_prefix("m="))
                    .and_then(|m| m.parse().ok())
                    .unwrap_or(0);
                page(&[
                    &format!("/calendar?m={}", month + 1),
                    &format!("/calendar?m={}", month - 1),
                ])
            }),
        )
        .route(
            "/events/{year}/{month}",
            get(
                |axum::extract::Path((year, month)): axum::extract::Path<(i32, u32)>| async move {
                    let (next_year, next_month) = if month == 12 {
                        (year + 1, 1)
                    } else {
                        (year, month + 1)
                    };
                    page(&[&format!("/events/{next_year}/{next_month:02}")])
                },
            ),
        )
        .route("/loop/{*rest}", get(|| async { page(&["loop/"]) }))
        .route(
            "/",
            get(|| async { page(&["/calendar?m=0", "/events/2025/01", "/loop/x/"]) }),
        );
    let server = TestServer::start(app).await;
    let mut plan = plan(&server, "/");
    plan.max_pages = 100_000;
    plan.max_depth = 100_000;
    let crawled = crawl_one(plan).await;

    assert!(
        server.total_hits() < 200,
        "{} requests",
        server.total_hits()
    );
    assert!(
        crawled.count(Outcome::SkippedTrap) >= 3,
        "{:#?}",
        crawled.summary()
    );
    assert!(server.hits("/calendar") <= 51);
}

// ---------------------------------------------------------------------------------
// Redirects

#[tokio::test]
async fn redirect_chains_are_followed_and_loops_recorded() {
    let app = Router::new()
        .route("/", get(|| async { page(&["/r1", "/loop1", "/hop/0"]) }))
        .route("/r1", get(|| async { Redirect::permanent("/r2") }))
        .route("/r2", get(|| async { Redirect::temporary("/final") }))
        .route("/final", get(|| async { page(&[]) }))
        .route("/loop1", get(|| async { Redirect::to("/loop2") }))
        .route(
            "/loop2",
            get(|| async { Redirect::to("/loop1?utm_source=x") }),
        )
        .route(
            "/hop/{n}",
            get(
                |axum::extract::Path(n): axum::extract::Path<u32>| async move {
                    Redirect::to(&format!("/hop/{}", n + 1))
                },
            ),
        );
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    let chained = crawled.page("/r1");
    assert_eq!(chained.outcome, Outcome::Ok);
    assert_eq!(path_of(&chained.final_url), "/final");
    assert!(chained.detection.is_some());
    // The redirect target was seen through the chain: not fetched again.
    assert_eq!(server.hits("/final"), 1);

    let looped = crawled.page("/loop1");
    assert_eq!(looped.outcome, Outcome::RedirectLoop);
    assert_eq!(server.hits("/loop1"), 1);

    let endless = crawled.page("/hop/0");
    assert_eq!(endless.outcome, Outcome::RedirectLoop);
    assert!(endless.error.as_deref().unwrap().contains("more than 10"));
    assert_eq!(server.hits("/hop/10"), 1);
    assert_eq!(server.hits("/hop/11"), 0);
}

#[tokio::test]
async fn a_redirect_off_the_allowed_hosts_is_out_of_scope() {
    let server = TestServer::start(Router::new()).await;
    let elsewhere = server.url_via("localhost", "/elsewhere").to_string();
    let app = Router::new()
        .route("/", get(|| async { page(&["/moved"]) }))
        .route(
            "/moved",
            get(move || {
                let elsewhere = elsewhere.clone();
                async move { Redirect::to(&elsewhere) }
            }),
        );
    let site = TestServer::start(app).await;
    let crawled = crawl_one(plan(&site, "/")).await;

    let moved = crawled.page("/moved");
    assert_eq!(moved.outcome, Outcome::OutOfScope);
    assert_eq!(moved.status, Some(303));
    assert_eq!(server.hits("/elsewhere"), 0);
}

// ---------------------------------------------------------------------------------
// Retries, timeouts, size and type

/// A handler that answers `failures` times with `failure`, then with a page.
fn flaky(failures: usize, failure: fn() -> Response) -> axum::routing::MethodRouter {
    let calls = Arc::new(AtomicUsize::new(0));
    get(move || {
        let calls = calls.clone();
        async move {
            if calls.fetch_add(1, Ordering::SeqCst) < failures {
                failure()
            } else {
                page(&[]).into_response()
            }
        }
    })
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let app = Router::new()
        .route("/", get(|| async { page(&["/flaky", "/broken"]) }))
        .route(
            "/flaky",
            flaky(2, || StatusCode::SERVICE_UNAVAILABLE.into_response()),
        )
        .route(
            "/broken",
            get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        );
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(crawled.page("/flaky").outcome, Outcome::Ok);
    assert_eq!(server.hits("/flaky"), 3);
    let broken = crawled.page("/broken");
    assert_eq!(broken.outcome, Outcome::HttpError);
    assert_eq!(broken.status, Some(500));
    assert_eq!(server.hits("/broken"), 3, "three tries in all");
}

#[tokio::test]
async fn too_many_requests_is_retried_honouring_retry_after() {
    let app = Router::new()
        .route("/", get(|| async { page(&["/busy", "/dated", "/always"]) }))
        .route(
            "/busy",
            flaky(1, || {
                (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]).into_response()
            }),
        )
        .route(
            "/dated",
            flaky(1, || {
                let when = std::time::SystemTime::now() + Duration::from_secs(2);
                let date = httpdate::fmt_http_date(when);
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, date)],
                )
                    .into_response()
            }),
        )
        .route("/always", get(|| async { StatusCode::TOO_MANY_REQUESTS }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(crawled.page("/busy").outcome, Outcome::Ok);
    assert_eq!(crawled.page("/dated").outcome, Outcome::Ok);
    let always = crawled.page("/always");
    assert_eq!(always.outcome, Outcome::HttpError);
    assert_eq!(always.status, Some(429));

    let log = server.log();
    let times = |path: &str| -> Vec<_> {
        log.iter()
            .filter(|hit| hit.target == path)
            .map(|hit| hit.at)
            .collect()
    };
    let busy = times("/busy");
    assert_eq!(busy.len(), 2);
    assert!(
        busy[1] - busy[0] >= Duration::from_millis(800),
        "{:?}",
        busy[1] - busy[0]
    );
    let dated = times("/dated");
    assert_eq!(dated.len(), 2);
    // An HTTP date has whole seconds: at least one second remains of the two.
    assert!(
        dated[1] - dated[0] >= Duration::from_millis(800),
        "{:?}",
        dated[1] - dated[0]
    );
}

#[tokio::test]
async fn retry_after_is_capped() {
    let app = Router::new().route(
        "/",
        flaky(1, || {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "3600")],
            )
                .into_response()
        }),
    );
    let server = TestServer::start(app).await;
    let options = CrawlSettings {
        retry_after_cap: Duration::from_millis(300),
        ..options()
    };
    let crawled = crawl_with(vec![plan(&server, "/")], options).await;
    assert_eq!(crawled.page("/").outcome, Outcome::Ok);
}

#[tokio::test]
async fn slow_responses_time_out() {
    let app = Router::new()
        .route("/", get(|| async { page(&["/slow"]) }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                page(&[])
            }),
        );
    let server = TestServer::start(app).await;
    let options = CrawlSettings {
        request_timeout: Duration::from_millis(300),
        ..options()
    };
    let crawled = crawl_with(vec![plan(&server, "/")], options).await;

    let slow = crawled.page("/slow");
    assert_eq!(slow.outcome, Outcome::Timeout);
    assert_eq!(server.hits("/slow"), 3);
    assert_eq!(crawled.page("/").outcome, Outcome::Ok);
}

#[tokio::test]
async fn large_bodies_are_cut_and_recorded() {
    const LIMIT: usize = 64 * 1024;
    let big = page_with_head("", &[]) + &"x".repeat(LIMIT * 2);
    let streamed = big.clone();
    let app = Router::new()
        .route(
            "/",
            get(|| async { page(&["/big", "/streamed", "/small"]) }),
        )
        .route("/big", get(move || async move { Html(big) }))
        .route(
            "/streamed",
            get(move || async move {
                // No Content-Length: the limit must hold while reading.
                let chunks: Vec<Result<String, std::io::Error>> = streamed
                    .as_bytes()
                    .chunks(8192)
                    .map(|chunk| Ok(String::from_utf8_lossy(chunk).into_owned()))
                    .collect();
                let body = Body::from_stream(futures_util::stream::iter(chunks));
                ([(header::CONTENT_TYPE, "text/html")], body)
            }),
        )
        .route("/small", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let options = CrawlSettings {
        max_body_bytes: LIMIT,
        ..options()
    };
    let crawled = crawl_with(vec![plan(&server, "/")], options).await;

    for path in ["/big", "/streamed"] {
        let record = crawled.page(path);
        assert_eq!(record.outcome, Outcome::TooLarge, "{path}");
        assert!(record.page.is_none());
    }
    assert_eq!(crawled.page("/small").outcome, Outcome::Ok);
}

#[tokio::test]
async fn only_html_is_parsed() {
    let app = Router::new()
        .route(
            "/",
            get(|| async { page(&["/doc.pdf", "/untyped", "/blob", "/data.json"]) }),
        )
        .route(
            "/doc.pdf",
            get(|| async { ([(header::CONTENT_TYPE, "application/pdf")], "%PDF-1.7") }),
        )
        .route(
            "/data.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], "{}") }),
        )
        .route(
            "/untyped",
            get(|| async {
                let mut headers = HeaderMap::new();
                headers.insert(
                    header::CONTENT_TYPE,
                    "application/octet-stream".parse().unwrap(),
                );
                (headers, page_with_head("", &["/from-untyped"]))
            }),
        )
        .route("/from-untyped", get(|| async { page(&[]) }))
        .route(
            "/blob",
            get(|| async { Body::from(vec![0u8, 159, 146, 150]) }),
        );
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    // A PDF is read (issue 10); this one is only a header, so it is unreadable.
    let pdf = crawled.page("/doc.pdf");
    assert_eq!(pdf.outcome, Outcome::Unreadable);
    assert!(
        pdf.error.as_deref().unwrap().starts_with("pdf: malformed"),
        "{pdf:?}"
    );
    assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(crawled.page("/data.json").outcome, Outcome::NotHtml);
    assert_eq!(crawled.page("/blob").outcome, Outcome::NotHtml);
    // Sniffed as HTML, so parsed and its links followed.
    assert_eq!(crawled.page("/untyped").outcome, Outcome::Ok);
    assert_eq!(crawled.page("/from-untyped").outcome, Outcome::Ok);
}

#[tokio::test]
async fn http_errors_are_recorded_with_their_status() {
    let app = Router::new()
        .route("/", get(|| async { page(&["/missing", "/gone"]) }))
        .route("/gone", get(|| async { StatusCode::GONE }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    let missing = crawled.page("/missing");
    assert_eq!(missing.outcome, Outcome::HttpError);
    assert_eq!(missing.status, Some(404));
    assert_eq!(server.hits("/missing"), 1, "a 404 is not retried");
    assert_eq!(crawled.page("/gone").status, Some(410));
}

#[tokio::test]
async fn an_unreachable_host_is_unreachable_not_blocked_and_a_bad_redirect_is_an_error() {
    // A port nobody listens on (bound, then released).
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}/gone", closed.local_addr().unwrap());
    drop(closed);
    let app = Router::new()
        .route(
            "/",
            get(move || {
                let dead = dead.clone();
                async move { page(&[&dead, "/no-location"]) }
            }),
        )
        .route("/no-location", get(|| async { StatusCode::FOUND }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    let dead = crawled
        .pages()
        .into_iter()
        .find(|record| record.url.ends_with("/gone"))
        .expect("recorded");
    // Issue 10: a host nobody answers on is unreachable, not blocked by robots.txt.
    assert_eq!(dead.outcome, Outcome::Unreachable);
    assert!(
        dead.error.as_deref().unwrap().contains("unreachable"),
        "{dead:?}"
    );
    let no_location = crawled.page("/no-location");
    assert_eq!(no_location.outcome, Outcome::Error);
    assert_eq!(no_location.status, Some(302));
}

// ---------------------------------------------------------------------------------
// Safety

#[tokio::test]
async fn no_link_or_redirect_reaches_a_non_public_address() {
    let server = TestServer::start(Router::new()).await;
    let via_name = server.url_via("localhost", "/inside-by-name").to_string();
    let via_ip = server.url_via("127.0.0.2", "/inside-by-ip").to_string();
    let linked = server.url_via("localhost", "/inside-linked").to_string();
    let app = Router::new()
        .route(
            "/",
            get(move || {
                let linked = linked.clone();
                async move { page(&["/to-name", "/to-ip", &linked]) }
            }),
        )
        .route(
            "/to-name",
            get(move || {
                let target = via_name.clone();
                async move { Redirect::to(&target) }
            }),
        )
        .route(
            "/to-ip",
            get(move || {
                let target = via_ip.clone();
                async move { Redirect::to(&target) }
            }),
        );
    let site = TestServer::start(app).await;
    let mut plan = plan(&site, "/");
    // In scope, so only the address rule can stop them.
    plan.allowed_hosts
        .extend(["localhost".to_string(), "127.0.0.2".to_string()]);
    let crawled = crawl_one(plan).await;

    assert_eq!(server.total_hits(), 0, "{:?}", server.log());
    for path in ["/to-name", "/to-ip"] {
        let record = crawled.page(path);
        assert_eq!(record.outcome, Outcome::OutOfScope, "{path}");
        assert!(
            record.error.as_deref().unwrap().contains("refused"),
            "{path}: {:?}",
            record.error
        );
    }
    let linked = crawled
        .pages()
        .into_iter()
        .find(|record| record.url.contains("/inside-linked"))
        .expect("the link is recorded");
    assert_eq!(linked.outcome, Outcome::OutOfScope);
}

// ---------------------------------------------------------------------------------
// Meta robots and canonical

#[tokio::test]
async fn meta_robots_and_canonical_are_honoured() {
    let app = Router::new()
        .route(
            "/",
            get(|| async { page(&["/nofollow", "/noindex", "/dup", "/orig", "/alone"]) }),
        )
        .route(
            "/nofollow",
            get(|| async {
                Html(page_with_head(
                    r#"<meta name="robots" content="nofollow">"#,
                    &["/unfollowed"],
                ))
            }),
        )
        .route(
            "/noindex",
            get(|| async {
                Html(page_with_head(
                    r#"<meta name="robots" content="noindex">"#,
                    &["/via-noindex"],
                ))
            }),
        )
        .route("/via-noindex", get(|| async { page(&[]) }))
        .route(
            "/dup",
            get(|| async {
                Html(page_with_head(
                    r#"<link rel="canonical" href="/orig">"#,
                    &[],
                ))
            }),
        )
        .route("/orig", get(|| async { page(&[]) }))
        .route(
            "/alone",
            get(|| async {
                Html(page_with_head(
                    r#"<link rel="canonical" href="/canonical-only">"#,
                    &[],
                ))
            }),
        )
        .route("/canonical-only", get(|| async { page(&[]) }));
    let server = TestServer::start(app).await;
    let crawled = crawl_one(plan(&server, "/")).await;

    assert_eq!(server.hits("/unfollowed"), 0);
    assert_eq!(crawled.page("/nofollow").outcome, Outcome::Ok);
    assert!(crawled.page("/nofollow").detection.is_some());

    let noindex = crawled.page("/noindex");
    assert_eq!(noindex.outcome, Outcome::Ok);
    assert!(
        noindex.detection.is_none(),
        "noindex evidence is not counted"
    );
    assert_eq!(
        crawled.page("/via-noindex").outcome,
        Outcome::Ok,
        "noindex still followed"
    );

    // Both linked from the start page: the canonical one counts, the duplicate not.
    assert!(crawled.page("/dup").detection.is_none());
    assert!(crawled.page("/orig").detection.is_some());
    // A canonical URL not linked anywhere: the page stands for it.
    assert!(crawled.page("/alone").detection.is_some());
    assert_eq!(server.hits("/canonical-only"), 0);
}

// ---------------------------------------------------------------------------------
// Stopping

#[tokio::test]
async fn a_stop_signal_ends_the_crawl_with_alliance_finished() {
    // An endless, slow site.
    let app = Router::new().route(
        "/{n}",
        get(
            |axum::extract::Path(n): axum::extract::Path<u64>| async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                page(&[&format!("/{}", n * 2 + 1), &format!("/{}", n * 2 + 2)])
            },
        ),
    );
    let server = TestServer::start(app).await;
    let mut plan = plan(&server, "/0");
    plan.max_pages = 100_000;
    plan.max_depth = 100_000;

    let (events, mut received) = mpsc::channel(16);
    let (stop_sender, stop) = watch::channel(false);
    let settings = CrawlSettings {
        sites: vec![plan],
        ..options()
    };
    let crawl = tokio::spawn(crawl(settings, CrawlContext::new(events, stop)));
    let mut pages = 0;
    let mut finished = None;
    while let Some(event) = received.recv().await {
        match event {
            CrawlEvent::Page(_) => {
                pages += 1;
                if pages == 3 {
                    stop_sender.send(true).unwrap();
                }
            }
            CrawlEvent::AllianceFinished { cut_off, .. } => finished = Some(cut_off),
            _ => {}
        }
    }
    let stats = tokio::time::timeout(Duration::from_secs(10), crawl)
        .await
        .expect("stopped promptly")
        .unwrap()
        .expect("a stop is not an error");
    let cut_off = finished.expect("AllianceFinished sent after the stop");
    assert!(cut_off > 0);
    assert!(pages < 40, "{pages} pages after stop");
    assert_eq!(stats.pages_ok, pages);
}

// ---------------------------------------------------------------------------------
// From the configuration

#[tokio::test]
async fn alliances_from_the_config_are_crawled_concurrently_with_overrides() {
    let first = TestServer::start(numbered_site(10)).await;
    let second = TestServer::start(numbered_site(10)).await;
    let toml = format!(
        "[defaults]\nmax_pages = 3\nper_host_delay_ms = 60000\n\n\
         [[alliance]]\nid = \"first\"\nname = \"First\"\nstart_urls = [\"{}\"]\n\n\
         [[alliance]]\nid = \"second\"\nname = \"Second\"\nstart_urls = [\"{}\"]\n\
         max_pages = 2\n",
        first.url("/"),
        second.url("/")
    );
    let config = match Config::parse(&toml, "test.toml") {
        Ok(config) => config,
        Err(error) => panic!("{error}"),
    };
    let overrides = Overrides {
        // Without the override the 60 s delay would stall this test.
        delay_ms: Some(0),
        max_pages: Some(4),
        ..Overrides::default()
    };
    let settings = CrawlSettings {
        sites: CrawlSettings::for_alliances(&config.alliances, topics(), overrides).sites,
        ..options()
    };
    let (events, mut received) = mpsc::channel(16);
    let (_stop, stop) = watch::channel(false);
    let collector = tokio::spawn(async move {
        let mut all = Vec::new();
        while let Some(event) = received.recv().await {
            all.push(event);
        }
        all
    });
    let run = crawl(settings, CrawlContext::new(events, stop));
    let stats = tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .expect("no 60 s delay")
        .unwrap();
    let events = collector.await.unwrap();

    assert_eq!(stats.alliances, 2);
    assert_eq!(stats.pages_ok, 8, "max_pages_override applies to both");
    for id in ["first", "second"] {
        let started = events.iter().any(
            |event| matches!(event, CrawlEvent::AllianceStarted { alliance_id, .. } if alliance_id == id),
        );
        let finished = events.iter().any(
            |event| matches!(event, CrawlEvent::AllianceFinished { alliance_id, .. } if alliance_id == id),
        );
        assert!(started && finished, "{id}");
        let pages = events
            .iter()
            .filter(|event| matches!(event, CrawlEvent::Page(record) if record.alliance_id == id))
            .count();
        assert_eq!(pages, 4, "{id}");
    }
}
