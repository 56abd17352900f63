//! What a queued run is stored with so that a worker on any machine can crawl it with
//! no file of its own: the configuration and topics as text, the alliances chosen and
//! the crawl settings (limits, delay, user agent).

use serde::{Deserialize, Serialize};

use crate::cli::CliError;
use crate::config::{Alliance, Config, Topics};
use crate::crawl::{CrawlOptions, SitePlan};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// The alliances file as read, and where it was read from (for messages).
    pub config: String,
    pub config_source: String,
    pub topics: String,
    pub user_agent: String,
    /// Requests open at once, per job.
    pub concurrency: usize,
    pub delay_override_ms: Option<u64>,
    pub max_pages_override: Option<usize>,
    pub max_depth_override: Option<usize>,
}

impl RunSettings {
    pub fn new(config: &str, config_source: &str, topics: &str, options: &CrawlOptions) -> Self {
        RunSettings {
            config: config.to_string(),
            config_source: config_source.to_string(),
            topics: topics.to_string(),
            user_agent: options.user_agent.clone(),
            concurrency: options.concurrency,
            delay_override_ms: options.delay_override_ms,
            max_pages_override: options.max_pages_override,
            max_depth_override: options.max_depth_override,
        }
    }

    pub fn options(&self) -> CrawlOptions {
        CrawlOptions {
            user_agent: self.user_agent.clone(),
            concurrency: self.concurrency,
            delay_override_ms: self.delay_override_ms,
            max_pages_override: self.max_pages_override,
            max_depth_override: self.max_depth_override,
            ..CrawlOptions::default()
        }
    }

    /// The stored alliance `id` (the configuration is parsed again: it was valid when
    /// the run was queued).
    pub fn alliance(&self, id: &str) -> Result<Alliance, CliError> {
        let config = Config::parse(&self.config, &self.config_source)?;
        config
            .alliances
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| {
                CliError::failure(format!("no alliance \"{id}\" in the run's configuration"))
            })
    }

    pub fn topics(&self) -> Result<Topics, CliError> {
        Ok(Topics::parse(&self.topics, "the run's topics")?)
    }
}

/// The hosts (`host:port`) a plan crawls: those of its start URLs, and its other
/// allowed hosts on the same port. No two running jobs share one.
pub fn hosts(plan: &SitePlan) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    for url in &plan.start_urls {
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            continue;
        };
        hosts.push(format!("{host}:{port}"));
        for allowed in &plan.allowed_hosts {
            hosts.push(format!("{allowed}:{port}"));
        }
    }
    hosts.sort();
    hosts.dedup();
    hosts
}
