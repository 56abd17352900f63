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
    /// The host could not be reached at all (DNS, connection refused, TLS).
    Unreachable,
    /// A document (PDF) whose text could not be read: encrypted, image-only,
    /// malformed, or over its caps.
    Unreadable,
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
            Outcome::Unreachable => "unreachable",
            Outcome::Unreadable => "unreadable",
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

/// Why a URL the crawl knew of was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Still queued (or found) when the `max_pages` budget was spent.
    MaxPages,
    /// Linked from a page at `max_depth`.
    MaxDepth,
    /// Disallowed by robots.txt.
    Robots,
    /// Redirected off the allowed hosts, or on a refused (private) address.
    OutOfScope,
    /// Only linked from pages with meta robots `nofollow`.
    Nofollow,
    /// A crawler trap (endless calendar, repeating path, growing query).
    Trap,
    /// A page read under another URL stands for it (`rel=canonical`).
    Duplicate,
    /// A document (PDF) fetched whose text could not be read.
    Unreadable,
    /// Fetched, but a type the audit does not read (an image, an archive).
    NotHtml,
    /// Fetched, but it failed (HTTP error, timeout, too large, redirect loop).
    Failed,
    /// The host could not be reached.
    Unreachable,
    /// The crawl was stopped before it was fetched.
    Stopped,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::MaxPages => "max_pages",
            SkipReason::MaxDepth => "max_depth",
            SkipReason::Robots => "robots",
            SkipReason::OutOfScope => "out_of_scope",
            SkipReason::Nofollow => "nofollow",
            SkipReason::Trap => "trap",
            SkipReason::Duplicate => "duplicate",
            SkipReason::Unreadable => "unreadable",
            SkipReason::NotHtml => "not_html",
            SkipReason::Failed => "failed",
            SkipReason::Unreachable => "unreachable",
            SkipReason::Stopped => "stopped",
        }
    }

    /// The reason a fetched URL that was not read gets from its outcome (`None` for
    /// `ok`: it was read).
    pub fn of_outcome(outcome: Outcome) -> Option<SkipReason> {
        Some(match outcome {
            Outcome::Ok => return None,
            Outcome::BlockedByRobots => SkipReason::Robots,
            Outcome::OutOfScope => SkipReason::OutOfScope,
            Outcome::SkippedTrap => SkipReason::Trap,
            Outcome::NotHtml => SkipReason::NotHtml,
            Outcome::Unreachable => SkipReason::Unreachable,
            Outcome::Unreadable => SkipReason::Unreadable,
            Outcome::HttpError
            | Outcome::Timeout
            | Outcome::TooLarge
            | Outcome::RedirectLoop
            | Outcome::Error => SkipReason::Failed,
        })
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the crawl learnt of a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// A start URL of the configuration.
    Start,
    /// A link on a page.
    Link,
    /// An entry of a sitemap.
    Sitemap,
    /// A page's `rel=canonical`.
    Canonical,
}

impl FoundBy {
    pub fn as_str(self) -> &'static str {
        match self {
            FoundBy::Start => "start",
            FoundBy::Link => "link",
            FoundBy::Sitemap => "sitemap",
            FoundBy::Canonical => "canonical",
        }
    }
}

/// A URL known to the crawl of an alliance and not read, with why: every such URL
/// gets one, so pages read and URLs skipped add up to the URLs known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRecord {
    pub alliance_id: String,
    pub url: String,
    pub reason: SkipReason,
    pub found_by: FoundBy,
    /// The page (or sitemap file) it was found on; none for a start URL.
    pub found_on: Option<String>,
    pub depth: usize,
    /// Its place in the best-first order: higher was to be fetched sooner.
    pub priority: i32,
    /// Its URL or its link's words name a topic: reading it might have changed the
    /// verdict.
    pub relevant: bool,
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
    /// A URL known and not read (see [`SkippedRecord`]).
    Skipped(Box<SkippedRecord>),
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
