//! The crawler's behaviour (issue 3, "Behaviour"), each rule against its own loopback
//! server that counts the requests it gets: a path that must never be requested is
//! asserted to have zero hits.

mod fetching;
mod pages;
mod robots;
mod scope;

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
