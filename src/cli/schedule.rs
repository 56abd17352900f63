//! `alliance-audit schedule --cron EXPR [crawl options]`: crawl again and again on a
//! cron schedule, each run stored in the database and reported like any `crawl`.
//!
//! One scheduler per database: it holds an exclusive lock on `<db>.schedule.lock` for
//! as long as it lives (an OS file lock, released even when the process is killed, so
//! no stale lock is ever left; in PostgreSQL, an advisory lock held by its connection),
//! and a second scheduler on the same database refuses to start. Runs never overlap: the next time is computed when a run ends, so a run
//! longer than the interval skips the times it overran. SIGTERM or Ctrl-C stops it
//! cleanly: while waiting, at once; during a run, the run finishes its reports (as
//! `crawl` does) and the scheduler then exits.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::Local;
use croner::Cron;
use tokio::sync::Notify;

use super::recording::store_error;
use super::{crawl, CliError, Exit};
use crate::store::{DbTarget, Store};

#[derive(Debug, clap::Args)]
#[group(skip)] // `crawl::Args`, flattened below, is a group named `Args` already
pub struct Args {
    /// When to crawl, as a cron expression: 5 fields (minute hour day month weekday,
    /// e.g. "0 3 * * 1" for Mondays at 03:00 local time) or 6 with seconds first.
    #[arg(long, value_name = "EXPR")]
    cron: String,
    /// Stop after this many runs (default: run until stopped).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_runs: Option<u64>,
    #[command(flatten)]
    crawl: crawl::Args,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let cron = Cron::from_str(&args.cron).map_err(|e| CliError {
        exit: Exit::Usage,
        message: format!("--cron {:?}: {e}", args.cron),
    })?;
    let (db, resume) = args.crawl.store_choice();
    if resume.is_some() {
        return Err(CliError {
            exit: Exit::Usage,
            message: "schedule starts new runs; resume an interrupted one with `crawl --resume`"
                .into(),
        });
    }
    // Each run reads the files again (edits between runs count), but a file that
    // cannot be read or is wrong is refused now, not at the first run.
    args.crawl.load()?;
    let _lock = lock(db)?;
    let runtime = super::runtime()?;
    let stop = Arc::new(AtomicBool::new(false));
    let wake = Arc::new(Notify::new());
    runtime.spawn(watch_signals(stop.clone(), wake.clone()));

    let mut runs = 0;
    loop {
        let now = Local::now();
        let next = cron.find_next_occurrence(&now, false).map_err(|e| {
            CliError::failure(format!("no next time for --cron {:?}: {e}", args.cron))
        })?;
        eprintln!("alliance-audit schedule: next run at {}", next.to_rfc3339());
        let wait = (next - now).to_std().unwrap_or_default();
        runtime.block_on(async {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = wake.notified() => {}
            }
        });
        if stop.load(Ordering::SeqCst) {
            break;
        }
        runs += 1;
        if let Err(error) = crawl::run_on(&runtime, args.crawl.clone()) {
            // A failed run is reported and the schedule goes on; a stopped one ends it.
            eprintln!("alliance-audit schedule: run {runs}: {}", error.message);
        }
        if stop.load(Ordering::SeqCst) || args.max_runs.is_some_and(|max| runs >= max) {
            break;
        }
    }
    eprintln!("alliance-audit schedule: stopped after {runs} run(s)");
    Ok(())
}

/// The scheduler lock of a database, held while this lives.
enum Lock {
    File(#[allow(dead_code)] File),
    Postgres(#[allow(dead_code)] Store),
}

/// Takes the scheduler lock of `db`, or says who holds it.
fn lock(db: &DbTarget) -> Result<Lock, CliError> {
    let Some(path) = db.path() else {
        let store = Store::connect(db).map_err(store_error)?;
        return match store.try_advisory_lock("schedule").map_err(store_error)? {
            true => Ok(Lock::Postgres(store)),
            false => Err(CliError::failure(format!(
                "another scheduler is running on {db}"
            ))),
        };
    };
    lock_file(path).map(Lock::File)
}

fn lock_file(db: &Path) -> Result<File, CliError> {
    let mut path = PathBuf::from(db).into_os_string();
    path.push(".schedule.lock");
    let path = PathBuf::from(path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| CliError::failure(format!("cannot open {}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(CliError::failure(format!(
            "another scheduler is running on {} (it holds {})",
            db.display(),
            path.display()
        ))),
        Err(TryLockError::Error(e)) => Err(CliError::failure(format!(
            "cannot lock {}: {e}",
            path.display()
        ))),
    }
}

/// Sets `stop` and wakes the waiting scheduler on SIGTERM or Ctrl-C.
async fn watch_signals(stop: Arc<AtomicBool>, wake: Arc<Notify>) {
    super::termination().await;
    eprintln!("alliance-audit schedule: stopping");
    stop.store(true, Ordering::SeqCst);
    wake.notify_one();
}
