//! Scope and bounds (hosts, depth, budget, traps) and redirects.

use super::*;

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
