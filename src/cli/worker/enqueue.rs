//! `crawl --db PGURL`: the run is queued in PostgreSQL, one job per alliance, with
//! everything a worker needs. With `--enqueue` that is all (the run id is printed);
//! without, this process works on the run itself (as any worker would, and beside
//! any others) until it is finished, then writes the run directory from the store.

use std::path::PathBuf;
use std::time::Duration;

use tokio::runtime::Runtime;

use super::settings::{hosts, RunSettings};
use super::{work, Until};
use crate::cli::crawl::{Args, Loaded};
use crate::cli::crawl_setup::{choose_alliances, run_info};
use crate::cli::progress::Progress;
use crate::cli::recording::store_error;
use crate::cli::report::{export, Format};
use crate::cli::summary::{nothing_reached, summary_table};
use crate::cli::{CliError, Exit};
use crate::config::run_config_hash;
use crate::record::RunStatus;
use crate::store::{JobSpec, Store};

/// The lease of the jobs `crawl` works on itself.
const LEASE: Duration = Duration::from_secs(60);
/// Jobs `crawl` works on at once.
const MAX_SLOTS: usize = 8;

/// Queues a run of `config`'s chosen alliances and, unless `--enqueue`, crawls it.
pub fn run_queued(runtime: &Runtime, args: &Args, loaded: &Loaded) -> Result<(), CliError> {
    let Loaded {
        config,
        topics,
        texts,
    } = loaded;
    let crawl = &args.crawl;
    if crawl.warc.is_some() {
        return Err(CliError {
            exit: Exit::Usage,
            message: "--warc archives a crawl made in one process; it cannot be combined with a PostgreSQL --db".into(),
        });
    }
    let alliances = choose_alliances(config, &crawl.alliances)?;
    let crawl_settings = crawl.settings(&alliances, topics.clone());
    let config_hash = run_config_hash(&config.hash, &topics.hash);
    let run = run_info(&alliances, &crawl_settings, config_hash, crawl);
    let settings = RunSettings::new(
        &texts[0],
        &config.source,
        &texts[1],
        &crawl_settings,
        crawl.overrides(),
    );
    let jobs: Vec<JobSpec> = crawl_settings
        .sites
        .iter()
        .map(|plan| JobSpec {
            alliance_id: plan.alliance_id.clone(),
            start_url: plan.start_urls.first().map(|u| u.to_string()),
            hosts: hosts(plan),
        })
        .collect();
    let store = Store::connect(&crawl.db).map_err(store_error)?;
    let settings = serde_json::to_string(&settings).expect("settings serialise");
    let run_id = store.enqueue(&run, &settings, &jobs).map_err(store_error)?;
    if args.enqueue {
        println!("{run_id}");
        return Ok(());
    }
    let progress = Progress::start(crawl.verbosity, alliances.len());
    tracing::info!(run = %run_id, jobs = jobs.len(), "queued; working on it");
    let slots = jobs.len().clamp(1, MAX_SLOTS);
    runtime.block_on(work(
        &crawl.db,
        LEASE,
        slots,
        Until::RunDone(run_id.clone()),
    ))?;
    progress.finish();
    let dir = crawl
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(&run_id));
    let totals = export(&store, &run_id, &dir, Format::All)?;
    println!("{}", summary_table(&totals, &dir));
    if let Some(line) = nothing_reached(&totals) {
        eprintln!("{line}");
    }
    if store.run(&run_id).map_err(store_error)?.status != RunStatus::Complete {
        return Err(CliError::failure(format!(
            "stopped; run {run_id} stays queued for workers (`alliance-audit worker --db ...`), \
             the reports of what was crawled are in {}",
            dir.display()
        )));
    }
    Ok(())
}
