//! How a crawl behaves, beyond what each alliance's config says: identity, global
//! concurrency, timeouts, limits, and the overrides the command line offers.

use std::time::Duration;

/// The product token robots.txt groups are matched against.
pub use super::robots::ROBOTS_TOKEN;

/// Our User-Agent: the product token, the version, and where to read about the tool.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "alliance-audit/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/alliance-audit/alliance-audit)"
);

/// Settings for one crawl of one or more alliances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrawlOptions {
    pub user_agent: String,
    /// Requests open at once across all alliances and hosts.
    pub concurrency: usize,
    /// Replaces every alliance's `per_host_delay_ms` (robots.txt Crawl-delay still
    /// applies when longer).
    pub delay_override_ms: Option<u64>,
    pub max_pages_override: Option<usize>,
    pub max_depth_override: Option<usize>,
    pub connect_timeout: Duration,
    /// For a whole request: connecting, headers and body.
    pub request_timeout: Duration,
    /// A page body larger than this is recorded as `too_large` and not parsed.
    pub max_body_bytes: usize,
    /// The same for a document (PDF, DOCX, ODT) served as one.
    pub max_document_bytes: usize,
    /// How documents are read: in a child process of our own binary, within a time
    /// and memory cap.
    pub documents: crate::document::DocumentReader,
    /// Documents read at once (each reader may use up to its memory cap).
    pub document_slots: usize,
    /// Tries in all for one request (so 3 means two retries).
    pub max_retries: u32,
    /// The longest `Retry-After` honoured; a longer one waits this long.
    pub retry_after_cap: Duration,
    /// The first retry waits between half of this and this; each further one doubles.
    pub retry_backoff: Duration,
    pub max_redirects: usize,
    /// Continue an interrupted run from this state instead of the start URLs.
    pub resume: Option<std::sync::Arc<super::Resume>>,
    /// Validators and pages of earlier runs: requests become conditional, and a 304
    /// reuses what was read before.
    pub http_cache: Option<super::CacheHandle>,
}

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            concurrency: 16,
            delay_override_ms: None,
            max_pages_override: None,
            max_depth_override: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 5 * 1024 * 1024,
            max_document_bytes: 20 * 1024 * 1024,
            documents: crate::document::DocumentReader::default(),
            document_slots: 2,
            max_retries: 3,
            retry_after_cap: Duration::from_secs(120),
            retry_backoff: Duration::from_secs(1),
            max_redirects: 10,
            resume: None,
            http_cache: None,
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
}
