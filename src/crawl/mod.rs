//! The async crawler: every alliance's site, politely, within its bounds, each page
//! outcome streamed as a record to a single writer.
//!
//! The one entry point is [`crawl`]: it takes the [settings](CrawlSettings) (plain
//! data, built once from configuration and flags) and a [context](CrawlContext) (the
//! channels, the stop flag, what earlier runs left). Alliances are crawled concurrently, each by a
//! coordinator that alone owns its frontier; requests share one HTTP client and one
//! global concurrency limit. What each part owns:
//!
//! - `coordinator`: the frontier loop of one alliance (dedupe, budget, canonical,
//!   meta robots, stop).
//! - `visit`: one URL, from robots.txt through redirects to extraction.
//! - `fetch`: one HTTP hop with retries, timeouts and a body size limit.
//! - `politeness`: per-origin concurrency and delay; `retry`: backoff, Retry-After.
//! - `robots`, `sitemap`, `seeds`: robots.txt rules; sitemap files; seeds from them.
//! - `discovery`: every URL learnt of (links, sitemaps, canonicals), queued or skipped
//!   with a reason; `frontier`: the queue, best first with a breadth share;
//!   `priority`, `bulk`: what a URL is worth fetching.
//! - `normalize`, `scope`, `trap`: which URLs, once each.
//! - `safety`: no request to loopback, private or link-local addresses, except the
//!   start hosts.
//! - `content`: is a response HTML.
//! - [`transport`](Transport): where requests go (network, archived, replayed).
//!
//! What it produces are [records](crate::record), re-exported here.

mod bulk;
mod clock;
mod content;
mod coordinator;
mod discovery;
mod fetch;
mod frontier;
mod normalize;
mod plan;
mod politeness;
mod priority;
mod retry;
pub mod robots;
mod safety;
mod scope;
mod seeds;
mod settings;
mod site;
mod sitemap;
mod transport;
mod trap;
mod visit;

use std::sync::Arc;

use futures_util::future::join_all;
use tokio::sync::{mpsc, watch};
use url::Url;

pub use crate::record::{
    CacheHandle, CachedPage, CrawlEvent, Exchange, ExchangeSink, ExchangeSource, FoundBy,
    HttpCache, Outcome, PageRecord, RecordedResponse, Resume, ResumeSite, RobotsRecord, SkipReason,
    SkippedRecord, Validators,
};
pub use coordinator::BATCH_SIZE;
pub use fetch::proxies_from_env;
pub use normalize::{normalize, normalize_str};
pub use plan::{AllianceStats, Overrides, SitePlan};
pub use seeds::{MAX_SITEMAP_FILES, MAX_SITEMAP_URLS};
pub use settings::{CrawlSettings, DEFAULT_USER_AGENT, ROBOTS_TOKEN};
pub use site::{RobotsFetch, MAX_ROBOTS_REDIRECTS};
pub use transport::Transport;

use crate::detect::Detector;
use crate::document::DocumentReader;
use coordinator::crawl_site;
use fetch::Fetcher;
use plan::Shared;
use safety::AddressGuard;

/// What ends a crawl early. Page failures are records, not errors.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("could not build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error("the report writer stopped receiving records")]
    EventsClosed,
}

/// Fetches one robots.txt exactly as a crawl would (its client, user agent,
/// timeouts, retries, address guard and redirect rules), for the `robots` command. The
/// host of `robots_url` is the user's choice, as a start URL is.
pub async fn fetch_robots(
    robots_url: &Url,
    settings: &CrawlSettings,
) -> Result<RobotsFetch, CrawlError> {
    let guard =
        AddressGuard::trusting(std::iter::once(robots_url).chain(fetch::proxies_from_env().iter()));
    let fetcher = Fetcher::new(settings, guard, Transport::Network)?;
    let politeness = politeness::Politeness::new(std::time::Duration::ZERO, 1);
    Ok(site::fetch_robots_txt(&fetcher, &politeness, robots_url).await)
}

/// Totals over all alliances of a crawl.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrawlStats {
    pub alliances: usize,
    pub pages_ok: usize,
    /// `http_error`, `timeout`, `too_large`, `redirect_loop`, `error`.
    pub pages_failed: usize,
    pub pages_blocked: usize,
    /// `not_html`, `out_of_scope`, `skipped_trap`.
    pub pages_skipped: usize,
    /// In-scope URLs not fetched: `max_pages` reached, or the crawl was stopped.
    pub cut_off: usize,
    /// Alliances none of whose pages could be reached (DNS, connection, TLS).
    pub alliances_unreachable: usize,
}

impl CrawlStats {
    fn add(&mut self, alliance: &AllianceStats) {
        self.alliances += 1;
        self.pages_ok += alliance.pages_ok;
        self.pages_failed += alliance.pages_failed;
        self.pages_blocked += alliance.pages_blocked;
        self.pages_skipped += alliance.pages_skipped;
        self.cut_off += alliance.cut_off;
        if alliance.pages_unreachable > 0 && alliance.pages_ok == 0 {
            self.alliances_unreachable += 1;
        }
    }
}

/// What a crawl runs against, apart from its [settings](CrawlSettings): where requests
/// go, where records go, when to stop, and what earlier runs left. Live state, built
/// for one crawl and consumed by it.
pub struct CrawlContext {
    /// Every record, in order per alliance; the crawl ends with `Err` if it closes.
    pub events: mpsc::Sender<CrawlEvent>,
    /// Turns true to stop fetching (the records so far are still complete).
    pub stop: watch::Receiver<bool>,
    /// The network (default), the network archived, or an archive alone.
    pub transport: Transport,
    /// Continue an interrupted run from this state instead of the start URLs.
    pub resume: Option<Arc<Resume>>,
    /// Validators and pages of earlier runs: requests become conditional, and a 304
    /// reuses what was read before.
    pub http_cache: Option<CacheHandle>,
    /// How documents are read: in a child process of this binary when it can, within
    /// a time and memory cap.
    pub documents: DocumentReader,
}

impl CrawlContext {
    /// Over the network, from the start URLs, with no cache.
    pub fn new(events: mpsc::Sender<CrawlEvent>, stop: watch::Receiver<bool>) -> Self {
        CrawlContext {
            events,
            stop,
            transport: Transport::Network,
            resume: None,
            http_cache: None,
            documents: DocumentReader::default(),
        }
    }
}

/// Pages parsed at once, per core. One per core left a fifth of the cores idle on the
/// benchmark site (`benches/crawl/crawl.sh`): a parse that waits (for a core the
/// writers hold, for the allocator, for its hand-off to a thread) held its permit,
/// and no other parse could start meanwhile. Three per core used them fully (about
/// 800 -> 1,000 pages/s at 5,000 pages), for a tree or two more in memory per core;
/// four gained nothing more.
const PARSERS_PER_CORE: usize = 3;

/// Crawls every site of `settings`, each alliance with its own plan, streaming records
/// to `context.events`. For every alliance it sends `AllianceStarted`, then its
/// records, then `AllianceFinished`, also when `context.stop` turns true: fetching then
/// stops (requests in flight are abandoned and counted as cut off) and the crawl
/// returns `Ok`, so the writer can finish complete reports. `Err` only when the crawl
/// cannot go on: the HTTP client cannot be built, or the events channel is closed.
pub async fn crawl(
    settings: CrawlSettings,
    context: CrawlContext,
) -> Result<CrawlStats, CrawlError> {
    // The start hosts are the user's choice, and so is a proxy on a private address.
    let proxies = fetch::proxies_from_env();
    let guard = AddressGuard::trusting(
        settings
            .sites
            .iter()
            .flat_map(|plan| &plan.start_urls)
            .chain(proxies.iter()),
    );
    let shared = Shared {
        fetcher: Fetcher::new(&settings, guard, context.transport)?,
        detector: Arc::new(Detector::new(&settings.topics)),
        events: context.events,
        max_body_bytes: settings.max_body_bytes,
        max_redirects: settings.max_redirects,
        resume: context.resume,
        http_cache: context.http_cache,
        task_limit: settings.concurrency.max(1),
        documents: site::Documents {
            reader: context.documents,
            slots: Arc::new(tokio::sync::Semaphore::new(settings.document_slots.max(1))),
            max_bytes: settings.max_document_bytes,
        },
        parsers: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()) * PARSERS_PER_CORE,
        )),
    };
    let results = join_all(
        settings
            .sites
            .into_iter()
            .map(|plan| crawl_site(plan, &shared, context.stop.clone())),
    )
    .await;
    let mut stats = CrawlStats::default();
    for result in results {
        stats.add(&result?);
    }
    Ok(stats)
}
