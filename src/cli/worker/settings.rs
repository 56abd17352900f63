//! What a queued run is stored with so that a worker on any machine can crawl it with
//! no file of its own: the configuration and topics as text, the alliances chosen and
//! the crawl settings (limits, delay, user agent).

use serde::{Deserialize, Serialize};

use crate::cli::CliError;
use crate::config::{Alliance, Config, Topics};
use crate::crawl::{CrawlSettings, Overrides, SitePlan};

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
    pub fn new(
        config: &str,
        config_source: &str,
        topics: &str,
        settings: &CrawlSettings,
        overrides: Overrides,
    ) -> Self {
        RunSettings {
            config: config.to_string(),
            config_source: config_source.to_string(),
            topics: topics.to_string(),
            user_agent: settings.user_agent.clone(),
            concurrency: settings.concurrency,
            delay_override_ms: overrides.delay_ms,
            max_pages_override: overrides.max_pages,
            max_depth_override: overrides.max_depth,
        }
    }

    /// The crawl settings of one job: `alliance` with the run's options.
    pub fn crawl_settings(&self, alliance: &Alliance, topics: Topics) -> CrawlSettings {
        let overrides = Overrides {
            delay_ms: self.delay_override_ms,
            max_pages: self.max_pages_override,
            max_depth: self.max_depth_override,
        };
        CrawlSettings {
            user_agent: self.user_agent.clone(),
            concurrency: self.concurrency,
            ..CrawlSettings::for_alliances(std::slice::from_ref(alliance), topics, overrides)
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
