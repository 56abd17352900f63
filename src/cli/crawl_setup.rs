//! What a new crawl is, from its command line: the alliances chosen, the crawl
//! settings, the run's identity. Shared by a local crawl and a queued one.

use std::collections::BTreeMap;

use std::path::PathBuf;

use super::progress::Verbosity;
use super::{CliError, Exit};
use crate::config::{Alliance, Config, Topics};
use crate::crawl::{CrawlSettings, Overrides, DEFAULT_USER_AGENT};
use crate::report::{new_run_id, utc_now, RunInfo};
use crate::store::DbTarget;

/// Crawl options shared by `crawl` and `demo`.
#[derive(Debug, Clone, clap::Args)]
pub struct CrawlArgs {
    /// Crawl only this alliance (by id); repeat for several. Default: every enabled one.
    #[arg(long = "alliance", value_name = "ID")]
    pub(super) alliances: Vec<String>,
    /// The run directory (created if missing). Default: runs/<run-id>/.
    #[arg(long, value_name = "DIR")]
    pub(super) out: Option<PathBuf>,
    /// Pages fetched per alliance, overriding the configuration.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(super) max_pages: Option<u64>,
    /// Link depth from the start URLs, overriding the configuration.
    #[arg(long, value_name = "N")]
    pub(super) max_depth: Option<usize>,
    /// Requests open at once across all hosts.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..))]
    pub(super) concurrency: u64,
    /// Milliseconds between requests to one host, overriding the configuration
    /// (robots.txt Crawl-delay still applies when longer). Lower it only for your own sites.
    #[arg(long, value_name = "MS")]
    pub(super) delay_ms: Option<u64>,
    /// The User-Agent header. The default names the tool and a contact URL.
    #[arg(long, value_name = "S")]
    pub(super) user_agent: Option<String>,
    /// Also archive every HTTP exchange (pages, redirects, robots.txt, sitemaps) to
    /// this WARC file (`.warc.gz`), for `replay` and any archive tool.
    #[arg(long, value_name = "FILE")]
    pub(super) warc: Option<PathBuf>,
    /// The run database: a SQLite file (created if missing) or a PostgreSQL
    /// `postgres://` URL. Every run is stored there for `history`, `diff`, `report`
    /// and `--resume`.
    #[arg(long, value_name = "PATH|URL", env = crate::store::DB_ENV, default_value = crate::store::DEFAULT_DB)]
    pub(super) db: DbTarget,
    /// Continue an interrupted run (its id, or `last`) instead of starting a new one:
    /// pages it stored are not fetched again, its frontier goes on, and its reports
    /// come out as if it had never stopped. Give the options it was started with.
    #[arg(long, value_name = "RUN")]
    pub(super) resume: Option<String>,
    #[command(flatten)]
    pub(super) verbosity: Verbosity,
}

impl CrawlArgs {
    /// The overrides of every alliance's limits these options ask for.
    pub(super) fn overrides(&self) -> Overrides {
        Overrides {
            delay_ms: self.delay_ms,
            max_pages: self.max_pages.map(|n| n as usize),
            max_depth: self.max_depth,
        }
    }

    /// The settings of a crawl of `alliances` with these options.
    pub(super) fn settings(&self, alliances: &[Alliance], topics: Topics) -> CrawlSettings {
        CrawlSettings {
            user_agent: self
                .user_agent
                .clone()
                .unwrap_or_else(|| DEFAULT_USER_AGENT.to_string()),
            concurrency: self.concurrency as usize,
            ..CrawlSettings::for_alliances(alliances, topics, self.overrides())
        }
    }
}

/// A new run's identity: its id (from the time), the configuration's hash, the
/// alliances and topics, the effective options.
pub(super) fn run_info(
    alliances: &[Alliance],
    settings: &CrawlSettings,
    config_hash: String,
    args: &CrawlArgs,
) -> RunInfo {
    let overrides = args.overrides();
    RunInfo {
        run_id: new_run_id(),
        started_at: utc_now(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        config_hash,
        alliance_names: alliances
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect::<BTreeMap<_, _>>(),
        topics: settings.topics.ids(),
        options: serde_json::json!({
            "user_agent": settings.user_agent,
            "concurrency": settings.concurrency,
            "delay_override_ms": overrides.delay_ms,
            "max_pages_override": overrides.max_pages,
            "max_depth_override": overrides.max_depth,
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
