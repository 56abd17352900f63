//! From configuration to a [`SitePlan`]: an alliance's own limits, with the crawl's
//! command-line overrides applied on top; what the crawl shares with each alliance's
//! coordinator, and the counts it returns.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use url::Url;

use super::fetch::Fetcher;
use super::site::Documents;
use crate::config::Alliance;
use crate::detect::Detector;
use crate::record::{CacheHandle, CrawlEvent, Outcome, Resume};

/// One alliance, resolved from its config and the crawl's overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePlan {
    pub alliance_id: String,
    pub start_urls: Vec<Url>,
    pub allowed_hosts: Vec<String>,
    pub max_pages: usize,
    pub max_depth: usize,
    pub delay: Duration,
    pub concurrency_per_host: usize,
}

/// The command line's overrides of every alliance's configured limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overrides {
    /// Replaces every alliance's `per_host_delay_ms` (robots.txt Crawl-delay still
    /// applies when longer).
    pub delay_ms: Option<u64>,
    pub max_pages: Option<usize>,
    pub max_depth: Option<usize>,
}

/// Counts for one alliance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllianceStats {
    pub pages_ok: usize,
    /// `http_error`, `timeout`, `too_large`, `redirect_loop`, `error`, `unreachable`.
    pub pages_failed: usize,
    pub pages_blocked: usize,
    /// `not_html`, `unreadable`, `out_of_scope`, `skipped_trap` (recorded ones).
    pub pages_skipped: usize,
    pub cut_off: usize,
    /// Pages whose host could not be reached.
    pub pages_unreachable: usize,
}

impl AllianceStats {
    pub(super) fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Ok => self.pages_ok += 1,
            Outcome::BlockedByRobots => self.pages_blocked += 1,
            Outcome::NotHtml | Outcome::Unreadable | Outcome::OutOfScope | Outcome::SkippedTrap => {
                self.pages_skipped += 1
            }
            Outcome::Unreachable => {
                self.pages_unreachable += 1;
                self.pages_failed += 1;
            }
            Outcome::HttpError
            | Outcome::Timeout
            | Outcome::TooLarge
            | Outcome::RedirectLoop
            | Outcome::Error => self.pages_failed += 1,
        }
    }
}

/// What the shared parts of a crawl give each alliance.
pub struct Shared {
    pub fetcher: Fetcher,
    pub detector: Arc<Detector>,
    pub events: mpsc::Sender<CrawlEvent>,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    /// Visit tasks open at once for this alliance.
    pub task_limit: usize,
    /// Where an interrupted run left off.
    pub resume: Option<Arc<Resume>>,
    pub http_cache: Option<CacheHandle>,
    pub documents: Documents,
    /// Pages parsed at once: a few per core (`PARSERS_PER_CORE`).
    pub parsers: Arc<tokio::sync::Semaphore>,
}

impl SitePlan {
    /// The plan for `alliance` under `overrides` (they win over its limits).
    pub fn for_alliance(alliance: &Alliance, overrides: Overrides) -> SitePlan {
        let limits = &alliance.limits;
        let delay_ms = overrides.delay_ms.unwrap_or(limits.per_host_delay_ms);
        SitePlan {
            alliance_id: alliance.id.clone(),
            start_urls: alliance.start_urls.clone(),
            allowed_hosts: alliance.allowed_hosts.clone(),
            max_pages: overrides.max_pages.unwrap_or(limits.max_pages),
            max_depth: overrides.max_depth.unwrap_or(limits.max_depth),
            delay: Duration::from_millis(delay_ms),
            concurrency_per_host: limits.concurrency_per_host.max(1),
        }
    }
}
