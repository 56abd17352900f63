//! The crawl's order and its accounting (issue 10): the page budget goes where the
//! answer is, two crawls read the same pages whatever order fetches finish in, and
//! every URL of the site the crawl knew of is either read or skipped with a reason.

use crate::support::pdf;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use tokio::sync::{mpsc, watch};

use crate::support::TestServer;
use alliance_audit::config::{Topic, Topics};
use alliance_audit::crawl::{
    crawl as run_crawl, CrawlContext, CrawlEvent, CrawlSettings, Outcome, SitePlan, SkipReason,
    SkippedRecord,
};
use alliance_audit::detect::{Level, Location};
use alliance_audit::document::DocumentReader;

fn topics() -> Topics {
    Topics {
        topics: vec![Topic {
            id: "library-collaboration".into(),
            name: "Library collaboration".into(),
            terms: vec!["library".into(), "libraries".into(), "librarians".into()],
            negative: vec!["media library".into()],
            collaboration: vec!["network".into()],
        }],
        ..Topics::default()
    }
}

fn plan(server: &TestServer, max_pages: usize) -> SitePlan {
    SitePlan {
        alliance_id: "test".into(),
        start_urls: vec![server.url("/")],
        allowed_hosts: vec!["127.0.0.1".into()],
        max_pages,
        max_depth: 5,
        delay: Duration::ZERO,
        concurrency_per_host: 4,
    }
}

async fn crawl(plan: SitePlan) -> Vec<CrawlEvent> {
    let settings = CrawlSettings {
        concurrency: 8,
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry_backoff: Duration::from_millis(20),
        topics: topics(),
        sites: vec![plan],
        ..CrawlSettings::default()
    };
    let (events, mut received) = mpsc::channel(64);
    let (_stop, stop) = watch::channel(false);
    let collector = tokio::spawn(async move {
        let mut all = Vec::new();
        while let Some(event) = received.recv().await {
            all.push(event);
        }
        all
    });
    tokio::time::timeout(
        Duration::from_secs(60),
        run_crawl(
            settings,
            CrawlContext {
                // Documents are read as the binary reads them: in a child process.
                documents: DocumentReader::with_program(env!("CARGO_BIN_EXE_alliance-audit")),
                ..CrawlContext::new(events, stop)
            },
        ),
    )
    .await
    .expect("crawl finished in time")
    .expect("crawl ran");
    collector.await.unwrap()
}

fn path(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    }
}

/// Path → outcome of every page record, in the order sent.
fn pages(events: &[CrawlEvent]) -> Vec<(String, Outcome)> {
    events
        .iter()
        .filter_map(|event| match event {
            CrawlEvent::Page(record) => Some((path(&record.url), record.outcome)),
            _ => None,
        })
        .collect()
}

fn skipped(events: &[CrawlEvent]) -> Vec<&SkippedRecord> {
    events
        .iter()
        .filter_map(|event| match event {
            CrawlEvent::Skipped(record) => Some(record.as_ref()),
            _ => None,
        })
        .collect()
}

fn html(body: String) -> Html<String> {
    Html(format!(
        "<!doctype html><html><head><title>T</title></head><body>{body}</body></html>"
    ))
}

fn anchors(links: &[(String, String)]) -> String {
    links
        .iter()
        .map(|(href, text)| format!("<li><a href=\"{href}\">{text}</a></li>"))
        .collect::<Vec<_>>()
        .join("")
}

/// A news site of `count` interlinked posts; post `n` links to eight others chosen by
/// a fixed rule, and answers after a random delay, so fetches finish in any order.
fn tangled_site(count: u64) -> Router {
    Router::new()
        .route(
            "/",
            get(move || async move {
                let links: Vec<(String, String)> = (0..12)
                    .map(|n| (format!("/post/{}", n * 7 % count), format!("Post {n}")))
                    .collect();
                html(format!("<ul>{}</ul>", anchors(&links)))
            }),
        )
        .route(
            "/post/{n}",
            get(move |Path(n): Path<u64>| async move {
                let jitter = rand::random::<u64>() % 12;
                tokio::time::sleep(Duration::from_millis(jitter)).await;
                let links: Vec<(String, String)> = (1..=8)
                    .map(|k| {
                        let target = (n * 31 + k * k * 17 + k) % count;
                        let text = if target.is_multiple_of(23) {
                            "Library network news".to_string()
                        } else {
                            format!("Story {target}")
                        };
                        (format!("/post/{target}"), text)
                    })
                    .collect();
                html(format!("<h1>Post {n}</h1><ul>{}</ul>", anchors(&links)))
            }),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_crawls_read_the_same_pages_whatever_order_fetches_finish_in() {
    let server = TestServer::start(tangled_site(400)).await;
    let first = crawl(plan(&server, 60)).await;
    let second = crawl(plan(&server, 60)).await;
    let (first_pages, second_pages) = (pages(&first), pages(&second));
    assert_eq!(first_pages.len(), 60);
    assert_eq!(first_pages, second_pages, "same pages, same order");
    let unread = |events: &[CrawlEvent]| -> Vec<(String, SkipReason, i32)> {
        skipped(events)
            .iter()
            .map(|s| (path(&s.url), s.reason, s.priority))
            .collect()
    };
    assert_eq!(unread(&first), unread(&second));
}

/// An alliance site as CMSs build them: a start page full of bulk (pagination, tag
/// cloud, calendar months), a menu, and a working-group page three clicks deep.
fn bulky_site() -> Router {
    let start = html(format!(
        "<header><nav aria-label=\"Main\"><ul>{}</ul></nav></header>\
         <main><h2>Latest news</h2><ul>{}</ul><h2>Tags</h2><ul>{}</ul>\
         <h2>Events</h2><ul>{}</ul></main>",
        anchors(&[
            ("/about/".into(), "About".into()),
            ("/news/".into(), "News".into()),
            ("/events/".into(), "Events".into()),
        ]),
        anchors(
            &(2..60)
                .map(|n| (format!("/news/page/{n}/"), format!("{n}")))
                .collect::<Vec<_>>()
        ),
        anchors(
            &(0..60)
                .map(|n| (format!("/tag/topic-{n}/"), format!("Topic {n}")))
                .collect::<Vec<_>>()
        ),
        anchors(
            &(1..=12)
                .map(|m| (format!("/events/?month=2025-{m:02}"), format!("Month {m}")))
                .collect::<Vec<_>>()
        ),
    ));
    let listing = |Path(n): Path<u32>| async move {
        let posts: Vec<(String, String)> = (0..10)
            .map(|k| (format!("/news/post-{n}-{k}/"), format!("Post {n}.{k}")))
            .collect();
        html(format!(
            "<ul>{}</ul><a href=\"/news/page/{}/\">Next</a>",
            anchors(&posts),
            n + 1
        ))
    };
    Router::new()
        .route("/", get(move || std::future::ready(start.clone())))
        .route(
            "/about/",
            get(|| async {
                html(anchors(&[
                    ("/about/structure/".into(), "How we work".into()),
                    ("/about/history/".into(), "History".into()),
                ]))
            }),
        )
        .route(
            "/about/structure/",
            get(|| async {
                html(format!(
                    "<h2>Working groups</h2><ul>{}</ul>",
                    anchors(&[
                        ("/groups/g1/".into(), "Research managers".into()),
                        ("/groups/g2/".into(), "Heads of libraries network".into()),
                        ("/groups/g3/".into(), "Media library".into()),
                    ])
                ))
            }),
        )
        .route(
            "/groups/g2/",
            get(|| async { html("<h1>Heads of libraries network</h1>".into()) }),
        )
        .route("/news/page/{n}/", get(listing))
        .fallback(|| async { html("<p>Nothing here.</p>".into()) })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_reaches_a_deep_topic_page_before_the_bulk() {
    let server = TestServer::start(bulky_site()).await;
    let events = crawl(plan(&server, 25)).await;
    let read: Vec<String> = pages(&events).into_iter().map(|(p, _)| p).collect();
    assert!(read.contains(&"/groups/g2/".to_string()), "{read:?}");
    assert!(read.contains(&"/about/structure/".to_string()));
    // The menu is read whatever else competes.
    for menu_target in ["/about/", "/news/", "/events/"] {
        assert!(read.contains(&menu_target.to_string()), "{menu_target}");
    }
    let group = read.iter().position(|p| p == "/groups/g2/").unwrap();
    let first_bulk = read
        .iter()
        .position(|p| p.contains("/page/") || p.contains("/tag/") || p.contains("month="));
    assert!(
        first_bulk.is_none_or(|bulk| bulk > group),
        "bulk first: {read:?}"
    );
    // The bulk is queued, not dropped: it is skipped for the budget, with its priority
    // below the pages that were read.
    let unread = skipped(&events);
    let pagination = unread
        .iter()
        .find(|s| s.url.ends_with("/news/page/30/"))
        .expect("pagination known and skipped");
    assert_eq!(pagination.reason, SkipReason::MaxPages);
    // "Media library" is a negative context: it steers nothing.
    let media = unread.iter().find(|s| s.url.ends_with("/groups/g3/"));
    assert!(
        media.is_none_or(|m| !m.relevant),
        "a negative context is not relevant"
    );
}

/// A site with one of each way a URL can go unread.
fn mixed_site() -> Router {
    Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route(
            "/",
            get(|| async {
                html(anchors(&[
                    ("/private/a".into(), "Private".into()),
                    ("/quiet/".into(), "Quiet".into()),
                    ("/deep/1/".into(), "Deep".into()),
                    ("/missing".into(), "Missing".into()),
                    ("/logo.png".into(), "Logo".into()),
                    ("/copy/".into(), "Copy".into()),
                    ("/cal/?date=1200-01-01".into(), "Long ago".into()),
                    ("https://elsewhere.example/".into(), "Off site".into()),
                    ("/library-archive/".into(), "Library archive".into()),
                ]))
            }),
        )
        .route(
            "/quiet/",
            get(|| async {
                Html(
                    "<html><head><meta name=\"robots\" content=\"nofollow\"></head>\
                     <body><a href=\"/only-from-quiet/\">x</a></body></html>",
                )
            }),
        )
        .route(
            "/deep/{n}/",
            get(|Path(n): Path<u32>| async move {
                html(anchors(&[(format!("/deep/{}/", n + 1), "deeper".into())]))
            }),
        )
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/library-archive/",
            get(|| async { html("<h1>Archive</h1>".into()) }),
        )
        .route(
            "/logo.png",
            get(|| async {
                ([(header::CONTENT_TYPE, "image/png")], vec![0u8; 16]).into_response()
            }),
        )
        .route(
            "/copy/",
            get(|| async {
                Html(
                    "<html><head><link rel=\"canonical\" href=\"/original/\"></head>\
                     <body>copy</body></html>",
                )
            }),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_url_known_is_read_or_skipped_once_with_its_reason() {
    let server = TestServer::start(mixed_site()).await;
    let mut plan = plan(&server, 500);
    plan.max_depth = 3;
    let events = crawl(plan).await;
    let read: BTreeSet<String> = pages(&events)
        .into_iter()
        .filter(|(_, outcome)| *outcome == Outcome::Ok)
        .map(|(p, _)| p)
        .collect();
    let mut reasons: BTreeMap<String, SkipReason> = BTreeMap::new();
    for record in skipped(&events) {
        let previous = reasons.insert(path(&record.url), record.reason);
        assert!(previous.is_none(), "{} skipped twice", record.url);
    }
    for (url, reason) in &reasons {
        assert!(
            !read.contains(url),
            "{url} both read and skipped ({reason})"
        );
    }
    let expected = [
        ("/private/a", SkipReason::Robots),
        ("/only-from-quiet/", SkipReason::Nofollow),
        ("/deep/4/", SkipReason::MaxDepth),
        ("/missing", SkipReason::Failed),
        ("/logo.png", SkipReason::NotHtml),
        ("/original/", SkipReason::Duplicate),
        ("/cal/?date=1200-01-01", SkipReason::Trap),
    ];
    for (url, reason) in expected {
        assert_eq!(reasons.get(url), Some(&reason), "{url}: {reasons:?}");
    }
    assert_eq!(reasons.len(), expected.len(), "{reasons:?}");
    assert!(read.contains("/library-archive/") && read.contains("/deep/3/"));
    // Off-site links are not part of the site.
    assert!(!reasons.keys().any(|url| url.contains("elsewhere")));
}

/// Publications as alliances link them: the evidence is only inside the PDFs.
fn publications_site() -> Router {
    let report = pdf::Pdf::new()
        .title("Annual Report 2025")
        .page(&["Our year in review."])
        .page(&["The library directors' network met twice."])
        .compressed()
        .build();
    let strategy = pdf::Pdf::new()
        .title("Strategy 2030")
        .page(&["Shared libraries and open access."])
        .build();
    let scan = pdf::Pdf::new().image_page().build();
    Router::new()
        .route(
            "/",
            get(|| async { html(anchors(&[("/publications/".into(), "Publications".into())])) }),
        )
        .route(
            "/publications/",
            get(|| async {
                html(anchors(&[
                    (
                        "/files/annual-report-2025.pdf".into(),
                        "Annual report".into(),
                    ),
                    ("/files/strategy".into(), "Strategy".into()),
                    ("/files/scan.pdf".into(), "Scanned agreement".into()),
                ]))
            }),
        )
        .route(
            "/files/annual-report-2025.pdf",
            get(move || {
                let report = report.clone();
                async move { ([(header::CONTENT_TYPE, "application/pdf")], report) }
            }),
        )
        .route(
            // No extension, a generic type: known by its first bytes.
            "/files/strategy",
            get(move || {
                let strategy = strategy.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/octet-stream")],
                        strategy,
                    )
                }
            }),
        )
        .route(
            "/files/scan.pdf",
            get(move || {
                let scan = scan.clone();
                async move { ([(header::CONTENT_TYPE, "application/pdf")], scan) }
            }),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdfs_are_read_and_their_text_is_document_evidence() {
    let server = TestServer::start(publications_site()).await;
    let events = crawl(plan(&server, 500)).await;
    let records: Vec<_> = events
        .iter()
        .filter_map(|event| match event {
            CrawlEvent::Page(record) => Some(record.as_ref()),
            _ => None,
        })
        .collect();
    let record = |suffix: &str| {
        *records
            .iter()
            .find(|r| r.url.ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} not recorded"))
    };
    for (suffix, title) in [
        ("/files/annual-report-2025.pdf", "Annual Report 2025"),
        ("/files/strategy", "Strategy 2030"),
    ] {
        let read = record(suffix);
        assert_eq!(read.outcome, Outcome::Ok, "{read:?}");
        let page = read.page.as_ref().unwrap();
        assert_eq!(page.title.as_deref(), Some(title));
        let detection = read.detection.as_ref().unwrap();
        let evidence: Vec<_> = detection
            .evidence
            .iter()
            .filter(|e| e.location == Location::Document)
            .collect();
        assert!(!evidence.is_empty(), "{suffix}: {detection:?}");
        assert!(evidence.iter().all(|e| e.level == Level::Mentioned));
        assert_eq!(detection.verdicts[0].level, Level::Mentioned);
    }
    let report = record("/files/annual-report-2025.pdf")
        .detection
        .as_ref()
        .unwrap();
    assert!(report
        .evidence
        .iter()
        .any(|e| e.collaboration && e.snippet.contains("directors' network")));
    let scan = record("/files/scan.pdf");
    assert_eq!(scan.outcome, Outcome::Unreadable);
    assert!(
        scan.error.as_deref().unwrap().contains("no text layer"),
        "{scan:?}"
    );
    let unread = skipped(&events);
    assert_eq!(unread.len(), 1, "{unread:?}");
    assert_eq!(unread[0].reason, SkipReason::Unreadable);
}
