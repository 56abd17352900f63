//! A page record: how fetching one URL ended, and what was read from it.

use serde::{Deserialize, Serialize};

use super::Validators;
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
