//! `alliance-audit crawl`: the main job. Crawl the configured alliances, stream every
//! record to the run directory's writer, and print a summary table.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::runtime::Runtime;
use tokio::sync::{mpsc, watch};

pub use super::crawl_setup::CrawlArgs;
use super::crawl_setup::{choose_alliances, run_info};
use super::progress::Progress;
use super::recording::{Recorder, Step, StoreChoice};
use super::summary::{nothing_reached, summary_table};
use super::{load_config, load_topics, CliError, Exit};
use crate::config::{Alliance, Config, Topics};
use crate::crawl::{crawl_over, CrawlEvent, CrawlOptions, SitePlan, Transport};
use crate::report::{config_hash, utc_now, RunTotals, RunWriter};
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

impl Args {
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
    let config = load_config(args.config.as_ref())?;
    let topics = load_topics(args.topics.as_ref())?;
    let config_text = config_text(
        args.config.as_deref(),
        include_str!("../../config/alliances.toml"),
    )?;
    let topics_text = config_text_of_topics(args.topics.as_deref())?;
    if args.crawl.db.is_postgres() && args.crawl.resume.is_none() {
        return super::worker::run_queued(
            runtime,
            &args,
            &config,
            &topics,
            [&config_text, &topics_text],
        );
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
    run_crawl(
        runtime,
        &config,
        topics,
        &[&config_text, &topics_text],
        &args.crawl,
    )
}

pub(super) fn config_text(path: Option<&Path>, bundled: &str) -> Result<String, CliError> {
    match path {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::failure(format!("cannot read {}: {e}", path.display()))),
        None => Ok(bundled.to_string()),
    }
}

pub(super) fn config_text_of_topics(path: Option<&Path>) -> Result<String, CliError> {
    config_text(path, include_str!("../../config/topics.toml"))
}

/// Crawls the chosen alliances of `config` and writes the run directory.
pub fn run_crawl(
    runtime: &Runtime,
    config: &Config,
    topics: Topics,
    config_texts: &[&str],
    args: &CrawlArgs,
) -> Result<(), CliError> {
    let alliances = choose_alliances(config, &args.alliances)?;
    let mut options = args.options();
    let run = run_info(&alliances, &topics, config_texts, &options, args);
    let mut plans: Vec<SitePlan> = alliances
        .iter()
        .map(|alliance| SitePlan::for_alliance(alliance, &options))
        .collect();
    let choice = StoreChoice {
        db: &args.db,
        resume: args.resume.as_deref(),
    };
    let (recorder, run) = Recorder::start(Some(choice), run, &mut plans, &mut options)?;
    // A resumed run crawls only the alliances it did not finish.
    let alliances: Vec<Alliance> = alliances
        .into_iter()
        .filter(|a| plans.iter().any(|plan| plan.alliance_id == a.id))
        .collect();
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
    let progress = Progress::start(args.verbosity, alliances.len());
    // As `crawl` makes them, after a resume has chosen what is left to do.
    let plans: Vec<SitePlan> = alliances
        .iter()
        .map(|alliance| SitePlan::for_alliance(alliance, &options))
        .collect();
    let archive = match &args.warc {
        Some(path) => {
            // An archive must hold every page's body: a 304 from the run database's
            // validators would leave replay nothing to read.
            options.http_cache = None;
            let archived = archived_run(&plans, &alliances, &options, config_texts);
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
        plans, transport, topics, options, writer, recorder, &progress,
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
    plans: &[SitePlan],
    alliances: &[Alliance],
    options: &CrawlOptions,
    config_texts: &[&str],
) -> ArchivedRun {
    ArchivedRun {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        user_agent: options.user_agent.clone(),
        config_hash: config_hash(config_texts),
        max_body_bytes: options.max_body_bytes,
        max_redirects: options.max_redirects,
        max_retries: options.max_retries,
        alliances: plans
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
    plans: Vec<SitePlan>,
    transport: Transport,
    topics: Topics,
    options: CrawlOptions,
    mut writer: RunWriter,
    mut recorder: Recorder,
    progress: &Progress,
) -> Result<(RunTotals, bool), CliError> {
    let (events_tx, mut events_rx) = mpsc::channel::<CrawlEvent>(256);
    let (stop_tx, stop_rx) = watch::channel(false);
    let stop_tx = Arc::new(stop_tx);
    tokio::spawn(stop_on_signal(stop_tx.clone()));
    let crawler = tokio::spawn(crawl_over(
        transport,
        plans,
        Arc::new(topics),
        options,
        events_tx,
        stop_rx,
    ));
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
