//! What the fetch tasks of one alliance share: its scope, the HTTP fetcher, per-origin
//! politeness, robots.txt per origin (fetched once, on first need, by whichever task
//! needs it first while the others wait), the compiled topic lexicons, and the event
//! channel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, OnceCell, Semaphore};
use url::Url;

use super::clock::timestamp;
use super::fetch::{Answer, Body, Failure, Fetcher, Wanted};
use super::politeness::Politeness;
use super::robots::{RobotsPolicy, MAX_ROBOTS_BYTES};
use super::safety::Refused;
use super::scope::Scope;
use crate::detect::Detector;
use crate::document::DocumentReader;
use crate::record::{CrawlEvent, RobotsRecord};

/// The longest Crawl-delay obeyed: beyond it a 500-page crawl would take days.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// RFC 9309: follow at least five redirects for robots.txt.
pub const MAX_ROBOTS_REDIRECTS: usize = 5;

pub struct Site {
    pub alliance_id: String,
    pub scope: Scope,
    pub fetcher: Fetcher,
    pub politeness: Politeness,
    pub robots: RobotsCache,
    pub detector: Arc<Detector>,
    pub events: mpsc::Sender<CrawlEvent>,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    /// Earlier runs' validators and pages, for conditional requests.
    pub http_cache: Option<crate::record::CacheHandle>,
    pub documents: Documents,
    /// Pages parsed at once, across alliances: a few per core (see `visit::read`).
    pub parsers: Arc<Semaphore>,
}

/// How documents are read, and how many at once (shared by every alliance).
#[derive(Clone)]
pub struct Documents {
    pub reader: DocumentReader,
    pub slots: Arc<Semaphore>,
    pub max_bytes: usize,
}

/// robots.txt as it applies to one origin.
#[derive(Debug)]
pub struct RobotsEntry {
    pub policy: RobotsPolicy,
    /// Set when the origin itself is on a refused address (nothing there is fetched).
    pub refused: Option<Refused>,
    /// Set when the host could not be reached at all (DNS, connection, TLS): its
    /// pages are `unreachable`, not blocked by robots.txt.
    pub unreachable: Option<String>,
}

/// robots.txt per origin, each fetched at most once.
#[derive(Default)]
pub struct RobotsCache {
    entries: Mutex<HashMap<String, Arc<OnceCell<Arc<RobotsEntry>>>>>,
}

impl Site {
    /// The robots.txt rules for `url`'s origin, fetching them on first use.
    pub async fn robots_for(&self, url: &Url) -> Arc<RobotsEntry> {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut entries = self.robots.entries.lock().expect("robots cache poisoned");
            entries.entry(origin.clone()).or_default().clone()
        };
        cell.get_or_init(|| async { Arc::new(self.fetch_robots(url, &origin).await) })
            .await
            .clone()
    }

    async fn fetch_robots(&self, page_url: &Url, origin: &str) -> RobotsEntry {
        let Ok(robots_url) = page_url.join("/robots.txt") else {
            return RobotsEntry {
                policy: RobotsPolicy::allow_all(),
                refused: None,
                unreachable: None,
            };
        };
        let fetched = fetch_robots_txt(&self.fetcher, &self.politeness, &robots_url).await;
        let RobotsFetch {
            status,
            body,
            refused,
            unreachable,
            ..
        } = fetched;
        let policy = RobotsPolicy::from_response(status, &body);
        if let Some(delay) = policy.crawl_delay() {
            self.politeness
                .raise_delay(origin, delay.min(MAX_CRAWL_DELAY));
        }
        let record = RobotsRecord {
            alliance_id: self.alliance_id.clone(),
            host: authority(&robots_url),
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
            fetched_at: timestamp(),
        };
        // A closed channel ends the crawl in the coordinator; nothing to do here.
        let _ = self.events.send(CrawlEvent::Robots(record)).await;
        RobotsEntry {
            policy,
            refused,
            unreachable,
        }
    }
}

/// One robots.txt as fetched: the answer after redirects, or why there was none.
#[derive(Debug)]
pub struct RobotsFetch {
    /// The last URL asked (after redirects).
    pub url: Url,
    pub redirects: usize,
    /// `None` when no response came (after retries).
    pub status: Option<u16>,
    pub body: Vec<u8>,
    /// The host is on a refused address.
    pub refused: Option<Refused>,
    /// The host could not be reached (DNS, connection, TLS).
    pub unreachable: Option<String>,
    /// Another failure (timeouts, errors after retries), for people.
    pub failure: Option<String>,
}

/// GETs a robots.txt as the crawl does: the crawl's client and retries, redirects
/// followed up to [`MAX_ROBOTS_REDIRECTS`] (RFC 9309), at most [`MAX_ROBOTS_BYTES`].
pub async fn fetch_robots_txt(
    fetcher: &Fetcher,
    politeness: &Politeness,
    robots_url: &Url,
) -> RobotsFetch {
    let mut current = robots_url.clone();
    let mut redirects = 0;
    let mut unreachable = None;
    let mut failure = None;
    let (status, body, refused) = loop {
        let answer = fetcher
            .get(&current, politeness, Wanted::Any, MAX_ROBOTS_BYTES)
            .await;
        match answer {
            Answer::Redirect { status, location } => {
                let next = location.and_then(|location| current.join(&location).ok());
                match next {
                    Some(next) if redirects < MAX_ROBOTS_REDIRECTS => {
                        redirects += 1;
                        current = next;
                    }
                    _ => break (Some(status), Vec::new(), None),
                }
            }
            Answer::Response { status, body, .. } => {
                let bytes = match body {
                    Body::Complete(bytes) | Body::TooLarge(bytes) => bytes,
                    Body::Skipped => Vec::new(),
                };
                break (Some(status), bytes, None);
            }
            Answer::Failed(Failure::Refused(refused)) => break (None, Vec::new(), Some(refused)),
            Answer::Failed(Failure::Unreachable(cause)) => {
                tracing::warn!(url = %current, %cause, "host unreachable");
                unreachable = Some(cause);
                break (None, Vec::new(), None);
            }
            Answer::Failed(other) => {
                tracing::info!(url = %current, failure = ?other, "robots.txt unreachable");
                failure = Some(match other {
                    Failure::Timeout(cause) => format!("timeout: {cause}"),
                    Failure::Other(cause) | Failure::Unreachable(cause) => cause,
                    Failure::Refused(refused) => format!("refused address {}", refused.address),
                });
                break (None, Vec::new(), None);
            }
        }
    };
    RobotsFetch {
        url: current,
        redirects,
        status,
        body,
        refused,
        unreachable,
        failure,
    }
}

/// `host` or `host:port` when the port is not the scheme's default.
pub fn authority(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}
