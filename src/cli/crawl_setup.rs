//! What a new crawl is, from its command line: the alliances chosen, the crawl
//! settings, the run's identity. Shared by a local crawl and a queued one.

use std::collections::BTreeMap;

use super::crawl::CrawlArgs;
use super::{CliError, Exit};
use crate::config::{Alliance, Config, Topics};
use crate::crawl::CrawlOptions;
use crate::report::{config_hash, new_run_id, utc_now, RunInfo};

impl CrawlArgs {
    /// The crawl settings these options ask for.
    pub(super) fn options(&self) -> CrawlOptions {
        CrawlOptions {
            user_agent: self
                .user_agent
                .clone()
                .unwrap_or_else(|| CrawlOptions::default().user_agent),
            concurrency: self.concurrency as usize,
            delay_override_ms: self.delay_ms,
            max_pages_override: self.max_pages.map(|n| n as usize),
            max_depth_override: self.max_depth,
            ..CrawlOptions::default()
        }
    }
}

/// A new run's identity: its id (from the time), the configuration's hash, the
/// alliances and topics, the effective options.
pub(super) fn run_info(
    alliances: &[Alliance],
    topics: &Topics,
    config_texts: &[&str],
    options: &CrawlOptions,
    args: &CrawlArgs,
) -> RunInfo {
    RunInfo {
        run_id: new_run_id(),
        started_at: utc_now(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        config_hash: config_hash(config_texts),
        alliance_names: alliances
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect::<BTreeMap<_, _>>(),
        topics: topics.topics.iter().map(|t| t.id.clone()).collect(),
        options: serde_json::json!({
            "user_agent": options.user_agent,
            "concurrency": options.concurrency,
            "delay_override_ms": options.delay_override_ms,
            "max_pages_override": options.max_pages_override,
            "max_depth_override": options.max_depth_override,
            "alliances": alliances.iter().map(|a| &a.id).collect::<Vec<_>>(),
            "warc": args.warc.as_ref().map(|path| path.display().to_string()),
        }),
    }
}

pub(super) fn choose_alliances(
    config: &Config,
    wanted: &[String],
) -> Result<Vec<Alliance>, CliError> {
    if wanted.is_empty() {
        return Ok(config.enabled().cloned().collect());
    }
    wanted
        .iter()
        .map(|id| {
            let alliance = config
                .alliances
                .iter()
                .find(|a| &a.id == id)
                .ok_or_else(|| {
                    let known: Vec<&str> = config.alliances.iter().map(|a| a.id.as_str()).collect();
                    CliError {
                        exit: Exit::Usage,
                        message: format!(
                            "no alliance \"{id}\" in {}; known: {}",
                            config.source,
                            known.join(", ")
                        ),
                    }
                })?;
            if !alliance.enabled {
                return Err(CliError {
                    exit: Exit::Usage,
                    message: format!(
                        "alliance \"{id}\" is disabled in {}: {}",
                        config.source,
                        alliance
                            .disabled_reason
                            .as_deref()
                            .unwrap_or("no reason given")
                    ),
                });
            }
            Ok(alliance.clone())
        })
        .collect()
}
