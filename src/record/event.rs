//! The stream a crawl sends its single writer: pages, robots.txt files, URLs queued
//! and URLs skipped, and each alliance's start and finish.

use serde::{Deserialize, Serialize};

use super::{Outcome, PageRecord};

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
