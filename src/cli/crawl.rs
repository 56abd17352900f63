//! `alliance-audit crawl`: the main job. Crawl the configured alliances, stream every
//! record to the run directory's writer, and print a summary table.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::runtime::Runtime;
use tokio::sync::{mpsc, watch};

pub use super::crawl_setup::CrawlArgs;
use super::crawl_setup::{choose_alliances, run_info};
use super::progress::Progress;
use super::recording::{Earlier, Recorder, Step, StoreChoice};
use super::summary::{nothing_reached, summary_table};
use super::{CliError, Exit};
use crate::config::{run_config_hash, Alliance, Config, ConfigError, Topics};
use crate::crawl::{crawl, CrawlContext, CrawlEvent, CrawlSettings, Transport};
use crate::report::{utc_now, RunTotals, RunWriter};
use crate::store::DbTarget;
use crate::warc::{ArchivedAlliance, ArchivedRun, WarcFile};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The alliances file (default: the bundled config/alliances.toml).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// The topics file (default: the bundled config/topics.toml).
    #[arg(long, value_name = "PATH")]
    topics: Option<PathBuf>,
    /// With a PostgreSQL --db: queue the run for workers (`alliance-audit worker`),
    /// print its id and exit, crawling nothing here.
    #[arg(long)]
    pub(super) enqueue: bool,
    #[command(flatten)]
    pub(super) crawl: CrawlArgs,
}

/// The alliances and topics files, each read once: validated, with the text a queued
/// run stores for its workers.
pub(super) struct Loaded {
    pub config: Config,
    pub topics: Topics,
    /// The alliances file's text, then the topics file's.
    pub texts: [String; 2],
}

impl Args {
    /// Reads and validates the alliances and topics files (the bundled ones when not
    /// given).
    pub(super) fn load(&self) -> Result<Loaded, CliError> {
        let (config_text, config_name) = read_text(
            self.config.as_deref(),
            (
                "config/alliances.toml",
                include_str!("../../config/alliances.toml"),
            ),
        )?;
        let (topics_text, topics_name) = read_text(
            self.topics.as_deref(),
            (
                "config/topics.toml",
                include_str!("../../config/topics.toml"),
            ),
        )?;
        Ok(Loaded {
            config: Config::parse(&config_text, &config_name)?,
            topics: Topics::parse(&topics_text, &topics_name)?,
            texts: [config_text, topics_text],
        })
    }

    /// The run database, and the run to resume if any.
    pub(super) fn store_choice(&self) -> (&DbTarget, Option<&str>) {
        (&self.crawl.db, self.crawl.resume.as_deref())
    }
}

pub fn run(args: Args) -> Result<(), CliError> {
    run_on(&super::runtime()?, args)
}

/// [`run`] on a runtime the caller owns (`schedule` runs one crawl after another).
pub fn run_on(runtime: &Runtime, args: Args) -> Result<(), CliError> {
    let loaded = args.load()?;
    if args.crawl.db.is_postgres() && args.crawl.resume.is_none() {
        return super::worker::run_queued(runtime, &args, &loaded);
    }
    if args.enqueue {
        return Err(CliError {
            exit: Exit::Usage,
            message: format!(
                "--enqueue queues a run for workers in PostgreSQL: give --db a postgres:// URL (not {})",
                args.crawl.db
            ),
        });
    }
    run_crawl(runtime, &loaded.config, loaded.topics, &args.crawl)
}

/// A configuration file's text and the name errors give it; the bundled text (and
/// name) without a path.
fn read_text(path: Option<&Path>, bundled: (&str, &str)) -> Result<(String, String), CliError> {
    let Some(path) = path else {
        return Ok((bundled.1.to_string(), bundled.0.to_string()));
    };
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::whole_file(&name, format!("cannot read the file: {e}")))?;
    Ok((text, name))
}

/// Crawls the chosen alliances of `config` and writes the run directory.
pub fn run_crawl(
    runtime: &Runtime,
    config: &Config,
    topics: Topics,
    args: &CrawlArgs,
) -> Result<(), CliError> {
    let alliances = choose_alliances(config, &args.alliances)?;
    let config_hash = run_config_hash(&config.hash, &topics.hash);
    let mut settings = args.settings(&alliances, topics);
    let run = run_info(&alliances, &settings, config_hash.clone(), args);
    let choice = StoreChoice {
        db: &args.db,
        resume: args.resume.as_deref(),
    };
    // A resumed run crawls only the alliances it did not finish.
    let (recorder, run, mut earlier) = Recorder::start(Some(choice), run, &mut settings.sites)?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(&run.run_id));
    let mut writer = RunWriter::create(&dir, run).map_err(|e| {
        CliError::failure(format!(
            "cannot create run directory {}: {e}",
            dir.display()
        ))
    })?;
    recorder.replay_into(&mut writer)?;
    let progress = Progress::start(args.verbosity, settings.sites.len());
    let archive = match &args.warc {
        Some(path) => {
            // An archive must hold every page's body: a 304 from the run database's
            // validators would leave replay nothing to read.
            earlier.http_cache = None;
            let archived = archived_run(&settings, &alliances, config_hash);
            let file = WarcFile::create(path, &archived)
                .map_err(|e| CliError::failure(format!("cannot create {}: {e}", path.display())))?;
            Some(Arc::new(file))
        }
        None => None,
    };
    let transport = match &archive {
        Some(file) => Transport::Archived(file.clone()),
        None => Transport::Network,
    };
    let driven = runtime.block_on(drive(
        settings, transport, earlier, writer, recorder, &progress,
    ));
    let archived = archive.map(|file| (file.path().to_path_buf(), file.finish()));
    let (totals, interrupted) = driven?;
    progress.finish();
    println!("{}", summary_table(&totals, &dir));
    if let Some(line) = nothing_reached(&totals) {
        eprintln!("{line}");
    }
    if let Some((path, finished)) = archived {
        let totals = finished
            .map_err(|e| CliError::failure(format!("cannot write {}: {e}", path.display())))?;
        println!(
            "archive: {} ({} records, {} bytes)",
            path.display(),
            totals.records,
            totals.bytes
        );
    }
    if interrupted {
        return Err(CliError {
            exit: Exit::Failure,
            message: format!(
                "interrupted; the reports of what was crawled are complete in {}",
                dir.display()
            ),
        });
    }
    Ok(())
}

/// What a replay of `crawl --warc`'s archive needs to know of the crawl.
fn archived_run(
    settings: &CrawlSettings,
    alliances: &[Alliance],
    config_hash: String,
) -> ArchivedRun {
    ArchivedRun {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        user_agent: settings.user_agent.clone(),
        config_hash,
        max_body_bytes: settings.max_body_bytes,
        max_redirects: settings.max_redirects,
        max_retries: settings.max_retries,
        alliances: settings
            .sites
            .iter()
            .map(|plan| ArchivedAlliance {
                id: plan.alliance_id.clone(),
                name: alliances
                    .iter()
                    .find(|a| a.id == plan.alliance_id)
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
                start_urls: plan.start_urls.iter().map(|u| u.to_string()).collect(),
                allowed_hosts: plan.allowed_hosts.clone(),
                max_pages: plan.max_pages,
                max_depth: plan.max_depth,
                delay_ms: plan.delay.as_millis() as u64,
                concurrency_per_host: plan.concurrency_per_host,
            })
            .collect(),
    }
}

/// Runs the crawl (over `transport`: the network, archived, or an archive replayed)
/// and the single writer side by side until both are done. Ctrl-C or SIGTERM stops
/// fetching; the writer still finishes every report.
pub(super) async fn drive(
    settings: CrawlSettings,
    transport: Transport,
    earlier: Earlier,
    mut writer: RunWriter,
    mut recorder: Recorder,
    progress: &Progress,
) -> Result<(RunTotals, bool), CliError> {
    let (events_tx, mut events_rx) = mpsc::channel::<CrawlEvent>(256);
    let (stop_tx, stop_rx) = watch::channel(false);
    let stop_tx = Arc::new(stop_tx);
    tokio::spawn(stop_on_signal(stop_tx.clone()));
    let context = CrawlContext {
        transport,
        resume: earlier.resume,
        http_cache: earlier.http_cache,
        ..CrawlContext::new(events_tx, stop_rx)
    };
    let crawler = tokio::spawn(crawl(settings, context));
    let mut write_error = None;
    let mut tick = tokio::time::interval(crate::store::BATCH_INTERVAL);
    loop {
        let event = tokio::select! {
            event = events_rx.recv() => match event {
                Some(event) => event,
                None => break,
            },
            _ = tick.tick() => {
                if !recorder.tick(*stop_tx.borrow()) {
                    let _ = stop_tx.send(true);
                }
                continue;
            }
        };
        // Shared with the store's thread, which writes it while the reports do.
        let event = Arc::new(event);
        match recorder.handle(&event, *stop_tx.borrow()) {
            Step::Keep => {}
            Step::Skip => continue,
            Step::Failed => {
                let _ = stop_tx.send(true);
            }
        }
        progress.on_event(&event);
        if write_error.is_none() {
            if let Err(e) = writer.handle(&event) {
                // The run directory is unusable: stop crawling, keep draining.
                write_error = Some(e);
                let _ = stop_tx.send(true);
            }
        }
    }
    let crawl_result = crawler
        .await
        .map_err(|e| CliError::failure(format!("the crawl task failed: {e}")))?;
    let interrupted = *stop_tx.borrow();
    if let Some(e) = write_error {
        return Err(CliError::failure(format!(
            "cannot write to {}: {e}",
            writer.dir().display()
        )));
    }
    if let Err(e) = crawl_result {
        tracing::error!("crawl stopped: {e}");
    }
    let dir = writer.dir().to_path_buf();
    let finished_at = utc_now();
    recorder.finish(&finished_at, interrupted, &mut writer)?;
    let totals = writer
        .finish(&finished_at, interrupted)
        .map_err(|e| CliError::failure(format!("cannot write to {}: {e}", dir.display())))?;
    Ok((totals, interrupted))
}

async fn stop_on_signal(stop: Arc<watch::Sender<bool>>) {
    super::termination().await;
    tracing::warn!("stopping: finishing the reports of what was crawled (again to quit at once)");
    let _ = stop.send(true);
    let _ = tokio::signal::ctrl_c().await;
    std::process::exit(130);
}
