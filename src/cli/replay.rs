//! `alliance-audit replay`: rebuild a run from a WARC archive, with no network.
//!
//! The crawl runs again, whole (robots.txt, scope, redirects, dedupe, extraction,
//! detection, reports), with one difference: its fetcher answers each request from the
//! archive's response for that URL instead of the network (`crawl::Transport::Replay`).
//! Serving the archive on a loopback port instead would change every URL's host and
//! port; answering by URL keeps them, so the reports name the pages the crawl saw.
//! Delays are dropped (there is no host to spare) and retries do not wait; a URL the
//! archive has no response for is an `error` row ("not in the archive").

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::crawl::drive;
use super::progress::{Progress, Verbosity};
use super::recording::Recorder;
use super::summary::summary_table;
use super::{load_topics, CliError, Exit};
use crate::config::{config_hash, Config};
use crate::crawl::{CrawlSettings, Overrides, SitePlan, Transport};
use crate::report::{new_run_id, utc_now, RunInfo, RunWriter};
use crate::warc::Archive;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive written by `crawl --warc` (`.warc.gz` or `.warc`).
    warc: PathBuf,
    /// Replay these alliances (start URLs, hosts, limits) instead of the ones the
    /// archive records; needed for archives written by other tools.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// The topics file (default: the bundled config/topics.toml): replaying with new
    /// lexicons re-detects the archived pages.
    #[arg(long, value_name = "PATH")]
    topics: Option<PathBuf>,
    /// The run directory (created if missing). Default: runs/<run-id>/.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    verbosity: Verbosity,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let topics = load_topics(args.topics.as_ref())?;
    let archive = Archive::open(&args.warc).map_err(CliError::failure)?;
    let recorded = archive.run().cloned();
    let recorded_limits = |settings: CrawlSettings| match &recorded {
        Some(run) => CrawlSettings {
            user_agent: run.user_agent.clone(),
            max_body_bytes: run.max_body_bytes,
            max_redirects: run.max_redirects,
            max_retries: run.max_retries,
            ..settings
        },
        None => settings,
    };
    let config = args.config.as_deref().map(Config::load).transpose()?;
    let (sites, names) = match (&config, &recorded) {
        (Some(config), _) => {
            // No host to spare: no delay.
            let overrides = Overrides {
                delay_ms: Some(0),
                ..Overrides::default()
            };
            let sites: Vec<SitePlan> = config
                .enabled()
                .map(|alliance| SitePlan::for_alliance(alliance, overrides))
                .collect();
            let names = config
                .enabled()
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect();
            (sites, names)
        }
        (None, Some(run)) => {
            let mut names = BTreeMap::new();
            let mut sites = Vec::new();
            for alliance in &run.alliances {
                names.insert(alliance.id.clone(), alliance.name.clone());
                sites.push(SitePlan {
                    alliance_id: alliance.id.clone(),
                    start_urls: alliance
                        .start_urls
                        .iter()
                        .filter_map(|url| Url::parse(url).ok())
                        .collect(),
                    allowed_hosts: alliance.allowed_hosts.clone(),
                    max_pages: alliance.max_pages,
                    max_depth: alliance.max_depth,
                    delay: Duration::ZERO,
                    concurrency_per_host: alliance.concurrency_per_host.max(1),
                });
            }
            (sites, names)
        }
        (None, None) => {
            return Err(CliError {
                exit: Exit::Usage,
                message: format!(
                    "{} does not say which alliances were crawled (it was not written by \
                     `crawl --warc`); name them with --config",
                    args.warc.display()
                ),
            })
        }
    };
    // The recorded run's hash, or with the files given here: theirs beside it.
    let recorded_hash = recorded.as_ref().map(|run| run.config_hash.clone());
    let given: Vec<&str> = [
        config.as_ref().map(|config| config.hash.as_str()),
        args.topics.as_ref().map(|_| topics.hash.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let hash = match recorded_hash {
        Some(hash) if given.is_empty() && !hash.is_empty() => hash,
        recorded_hash => {
            let mut texts = vec![recorded_hash.as_deref().unwrap_or_default()];
            texts.extend(given);
            config_hash(&texts)
        }
    };
    let mut settings = recorded_limits(CrawlSettings {
        retry_backoff: Duration::ZERO,
        topics,
        sites,
        ..CrawlSettings::default()
    });
    let run = RunInfo {
        run_id: new_run_id(),
        started_at: utc_now(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        config_hash: hash,
        alliance_names: names,
        topics: settings.topics.ids(),
        options: serde_json::json!({
            "replay": args.warc.display().to_string(),
            "warc_records": archive.records(),
            "alliances": settings.sites.iter().map(|p| &p.alliance_id).collect::<Vec<_>>(),
        }),
    };
    // A replay is not stored in the run database: the crawl it repeats was.
    let (recorder, run, earlier) = Recorder::start(None, run, &mut settings.sites)?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(&run.run_id));
    let writer = RunWriter::create(&dir, run).map_err(|e| {
        CliError::failure(format!(
            "cannot create run directory {}: {e}",
            dir.display()
        ))
    })?;
    let progress = Progress::start(args.verbosity, settings.sites.len());
    let runtime = super::runtime()?;
    let transport = Transport::Replay(Arc::new(archive));
    let (totals, interrupted) = runtime.block_on(drive(
        settings, transport, earlier, writer, recorder, &progress,
    ))?;
    progress.finish();
    println!("{}", summary_table(&totals, &dir));
    if interrupted {
        return Err(CliError::failure(format!(
            "interrupted; the reports of what was replayed are complete in {}",
            dir.display()
        )));
    }
    Ok(())
}
