//! `alliance-audit worker --db PGURL`: claims jobs (one alliance of a queued run each)
//! from the queue in PostgreSQL and crawls them with the same pipeline as `crawl`,
//! until stopped or, with `--exit-when-idle`, until no job of any run is left.
//! `crawl --db PGURL` queues a run ([`enqueue`]) and, without `--enqueue`, works on it
//! here until it is finished.
//!
//! SIGTERM or Ctrl-C: the jobs in hand stop fetching, what was read is stored, the jobs
//! are released for another worker to continue, and the worker exits 0.

mod enqueue;
mod job;
mod settings;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::progress::{Progress, Verbosity};
use super::recording::store_error;
use super::{CliError, Exit};
use crate::store::{DbTarget, Store, DB_ENV};
pub use enqueue::run_queued;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL database holding the queue (`postgres://` URL).
    #[arg(long, value_name = "URL", env = DB_ENV)]
    db: DbTarget,
    /// Seconds without a heartbeat after which another worker takes a job over.
    #[arg(long, value_name = "N", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    lease_secs: u64,
    /// Exit (0) once no job of any run is queued or running.
    #[arg(long)]
    exit_when_idle: bool,
    /// Jobs crawled at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    concurrency: u64,
    #[command(flatten)]
    verbosity: Verbosity,
}

/// When a worker stops asking for jobs.
#[derive(Debug, Clone)]
pub(super) enum Until {
    /// Stopped by a signal only.
    Stopped,
    /// No job of any run left.
    Idle,
    /// Run `id` finished (its last job done).
    RunDone(String),
}

pub fn run(args: Args) -> Result<(), CliError> {
    if !args.db.is_postgres() {
        return Err(CliError {
            exit: Exit::Usage,
            message: format!(
                "--db {}: workers share a queue in PostgreSQL; give a postgres:// URL",
                args.db
            ),
        });
    }
    // Connect (and migrate) before anything else: a bad URL is a usage error.
    Store::connect(&args.db).map_err(store_error)?;
    let _progress = Progress::start(args.verbosity, 0);
    let until = if args.exit_when_idle {
        Until::Idle
    } else {
        Until::Stopped
    };
    let runtime = super::runtime()?;
    let lease = Duration::from_secs(args.lease_secs);
    runtime.block_on(work(&args.db, lease, args.concurrency as usize, until))
}

/// Runs `slots` job loops side by side until `until` (or a signal).
pub(super) async fn work(
    db: &DbTarget,
    lease: Duration,
    slots: usize,
    until: Until,
) -> Result<(), CliError> {
    let (stop_tx, stop) = watch::channel(false);
    let stop_tx = Arc::new(stop_tx);
    tokio::spawn(stop_on_signal(stop_tx.clone()));
    let worker = worker_name();
    let mut loops = Vec::new();
    for slot in 0..slots.max(1) {
        let name = format!("{worker}:{slot}");
        loops.push(tokio::spawn(job_loop(
            db.clone(),
            name,
            lease,
            until.clone(),
            stop.clone(),
        )));
    }
    let mut result = Ok(());
    for handle in loops {
        let ended = handle
            .await
            .map_err(|e| CliError::failure(format!("a worker task failed: {e}")))
            .and_then(|r| r);
        if let Err(e) = ended {
            // One slot failing stops the others (they release their jobs).
            let _ = stop_tx.send(true);
            result = result.and(Err(e));
        }
    }
    result
}

/// Claims and crawls jobs one after another.
async fn job_loop(
    db: DbTarget,
    worker: String,
    lease: Duration,
    until: Until,
    stop: watch::Receiver<bool>,
) -> Result<(), CliError> {
    let store = Store::connect(&db).map_err(store_error)?;
    // Polling is cheap (one indexed query); a quarter of the lease, at most a second,
    // so a job given up by a dead worker is seen soon after its lease ends.
    let poll = (lease / 4).clamp(Duration::from_millis(100), Duration::from_secs(1));
    loop {
        if *stop.borrow() {
            return Ok(());
        }
        let claimed = store
            .claim(&worker, lease.as_millis() as i64)
            .map_err(store_error)?;
        let Some(claimed) = claimed else {
            let finished = match &until {
                Until::Stopped => false,
                Until::Idle => !store.work_left(None).map_err(store_error)?,
                Until::RunDone(run) => !store.work_left(Some(run)).map_err(store_error)?,
            };
            if finished {
                return Ok(());
            }
            let mut stop = stop.clone();
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                _ = stop.changed() => {}
            }
            continue;
        };
        tracing::info!(run = %claimed.run_id, alliance = %claimed.alliance_id, attempt = claimed.attempts + 1, "job claimed");
        let writer_store = Store::connect(&db).map_err(store_error)?;
        job::crawl_job(&db, writer_store, claimed, lease, stop.clone()).await?;
    }
}

/// `host:pid:n:random`: unique among live workers (containers all have pid 1).
fn worker_name() -> String {
    static STARTED: AtomicUsize = AtomicUsize::new(0);
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".to_string());
    format!(
        "{host}:{}:{}:{:08x}",
        std::process::id(),
        STARTED.fetch_add(1, Ordering::SeqCst),
        rand::random::<u32>()
    )
}

async fn stop_on_signal(stop: Arc<watch::Sender<bool>>) {
    super::termination().await;
    tracing::warn!("stopping: storing what was read and releasing the jobs in hand");
    let _ = stop.send(true);
}
