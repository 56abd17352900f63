//! What a crawl is asked to do, as plain data: identity, global concurrency, timeouts,
//! limits, the topics and each alliance's resolved [`SitePlan`], built once from the
//! configuration and the command line. Serializable, so a run's settings can be stored
//! with the run and a crawl started from them alone. What changes while a crawl runs
//! (channels, the stop flag, what earlier runs left) is in [`CrawlContext`](super::CrawlContext).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::plan::{Overrides, SitePlan};
use crate::config::{Alliance, Topics};

/// The product token robots.txt groups are matched against.
pub use super::robots::ROBOTS_TOKEN;

/// Our User-Agent: the product token, the version, and where to read about the tool.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "alliance-audit/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/alliance-audit/alliance-audit)"
);

/// Settings for one crawl of one or more alliances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrawlSettings {
    pub user_agent: String,
    /// Requests open at once across all alliances and hosts.
    pub concurrency: usize,
    pub connect_timeout: Duration,
    /// For a whole request: connecting, headers and body.
    pub request_timeout: Duration,
    /// A page body larger than this is recorded as `too_large` and not parsed.
    pub max_body_bytes: usize,
    /// The same for a document (PDF, DOCX, ODT) served as one.
    pub max_document_bytes: usize,
    /// Documents read at once (each reader may use up to its memory cap).
    pub document_slots: usize,
    /// Tries in all for one request (so 3 means two retries).
    pub max_retries: u32,
    /// The longest `Retry-After` honoured; a longer one waits this long.
    pub retry_after_cap: Duration,
    /// The first retry waits between half of this and this; each further one doubles.
    pub retry_backoff: Duration,
    pub max_redirects: usize,
    /// The lexicons pages are scored and judged by.
    pub topics: Topics,
    /// The alliances to crawl, each with its limits resolved.
    pub sites: Vec<SitePlan>,
}

impl Default for CrawlSettings {
    fn default() -> Self {
        CrawlSettings {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            concurrency: 16,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 5 * 1024 * 1024,
            max_document_bytes: 20 * 1024 * 1024,
            document_slots: 2,
            max_retries: 3,
            retry_after_cap: Duration::from_secs(120),
            retry_backoff: Duration::from_secs(1),
            max_redirects: 10,
            topics: Topics::default(),
            sites: Vec::new(),
        }
    }
}

impl CrawlSettings {
    /// The default settings for `alliances` (all of them: choosing the enabled ones is
    /// the caller's job) under `overrides`, detecting `topics`.
    pub fn for_alliances(alliances: &[Alliance], topics: Topics, overrides: Overrides) -> Self {
        CrawlSettings {
            topics,
            sites: alliances
                .iter()
                .map(|alliance| SitePlan::for_alliance(alliance, overrides))
                .collect(),
            ..CrawlSettings::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_the_tool_version_and_contact() {
        assert!(DEFAULT_USER_AGENT.starts_with("alliance-audit/"));
        assert!(DEFAULT_USER_AGENT.contains(env!("CARGO_PKG_VERSION")));
        assert!(DEFAULT_USER_AGENT.contains("+https://"));
        assert!(DEFAULT_USER_AGENT.starts_with(ROBOTS_TOKEN));
    }

    #[test]
    fn settings_round_trip_through_json() {
        let config = crate::config::Config::bundled();
        let overrides = Overrides {
            delay_ms: Some(5),
            max_pages: Some(3),
            max_depth: None,
        };
        let enabled: Vec<Alliance> = config.enabled().cloned().collect();
        let settings = CrawlSettings::for_alliances(&enabled, Topics::bundled(), overrides);
        assert_eq!(settings.sites.len(), enabled.len());
        assert!(settings.sites.iter().all(|site| site.max_pages == 3));
        let json = serde_json::to_string(&settings).unwrap();
        let back: CrawlSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, settings);
    }
}
