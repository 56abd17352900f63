//! One request: retries, timeouts, body size and content type.

use super::*;

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
