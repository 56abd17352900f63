//! From configuration to a [`SitePlan`]: an alliance's own limits, with the crawl's
//! command-line overrides applied on top.

use std::time::Duration;

use super::coordinator::SitePlan;
use super::options::CrawlOptions;
use crate::config::Alliance;

impl SitePlan {
    /// The plan for `alliance` under `options` (overrides win over its limits).
    pub fn for_alliance(alliance: &Alliance, options: &CrawlOptions) -> SitePlan {
        let limits = &alliance.limits;
        let delay_ms = options
            .delay_override_ms
            .unwrap_or(limits.per_host_delay_ms);
        SitePlan {
            alliance_id: alliance.id.clone(),
            start_urls: alliance.start_urls.clone(),
            allowed_hosts: alliance.allowed_hosts.clone(),
            max_pages: options.max_pages_override.unwrap_or(limits.max_pages),
            max_depth: options.max_depth_override.unwrap_or(limits.max_depth),
            delay: Duration::from_millis(delay_ms),
            concurrency_per_host: limits.concurrency_per_host.max(1),
        }
    }
}
