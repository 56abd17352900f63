//! Safety (no private addresses), meta robots and canonical, stopping, and alliances from the configuration.

use super::*;

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
