//! robots.txt and sitemaps: what a site asks of the crawl, and what it offers it.

use super::*;

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
