//! What a crawl produces, one record at a time: the contract between `crawl` and the
//! stages after it (`report`, later `store`). Records stream through a channel so a
//! crawl of any size holds only its frontier in memory.

use serde::{Deserialize, Serialize};

use super::cache::Validators;
use crate::detect::Detection;
use crate::extract::Page;

/// How fetching one URL ended. A failed page is data, not an `Err`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    HttpError,
    Timeout,
    BlockedByRobots,
    TooLarge,
    NotHtml,
    RedirectLoop,
    OutOfScope,
    SkippedTrap,
    Error,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::HttpError => "http_error",
            Outcome::Timeout => "timeout",
            Outcome::BlockedByRobots => "blocked_by_robots",
            Outcome::TooLarge => "too_large",
            Outcome::NotHtml => "not_html",
            Outcome::RedirectLoop => "redirect_loop",
            Outcome::OutOfScope => "out_of_scope",
            Outcome::SkippedTrap => "skipped_trap",
            Outcome::Error => "error",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One URL the crawl decided about: fetched, failed, blocked or skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageRecord {
    pub alliance_id: String,
    /// The normalised URL as queued.
    pub url: String,
    /// Where redirects ended (equal to `url` without redirects).
    pub final_url: String,
    /// Link distance from a start URL (sitemap seeds count as depth 1).
    pub depth: usize,
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub content_type: Option<String>,
    /// Human-readable reason for any outcome but `ok`.
    pub error: Option<String>,
    /// RFC 3339 UTC.
    pub fetched_at: String,
    /// Extraction, for `ok` pages (`body_text` already dropped).
    pub page: Option<Page>,
    /// Detection, for `ok` pages.
    pub detection: Option<Detection>,
    /// The ETag / Last-Modified the page was served with, for the next run's
    /// conditional request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validators: Option<Validators>,
}

/// robots.txt as fetched, kept so an audit can be repeated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RobotsRecord {
    pub alliance_id: String,
    pub host: String,
    pub status: Option<u16>,
    pub body: String,
    pub fetched_at: String,
}

/// The stream a crawl sends to its single writer.
#[derive(Debug, Clone, PartialEq)]
pub enum CrawlEvent {
    AllianceStarted {
        alliance_id: String,
        started_at: String,
    },
    Page(Box<PageRecord>),
    Robots(RobotsRecord),
    /// A URL entered the frontier, to be fetched at `depth`. The run store keeps these
    /// so an interrupted run can be resumed; reports ignore them.
    Queued {
        alliance_id: String,
        url: String,
        depth: usize,
    },
    AllianceFinished {
        alliance_id: String,
        finished_at: String,
        /// URLs found in scope but not fetched because `max_pages` was reached (or the
        /// crawl was stopped first).
        cut_off: usize,
    },
}
