//! `alliance-audit history`: the runs in the database, newest first.

use std::fmt::Write as _;

use super::recording::store_error;
use super::CliError;
use crate::store::{DbTarget, RunListing, Store, DB_ENV, DEFAULT_DB};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only runs that crawled this alliance, with its verdict.
    #[arg(long, value_name = "ID")]
    alliance: Option<String>,
    /// At most this many runs.
    #[arg(long, value_name = "N", default_value_t = 20)]
    limit: usize,
    /// The run database: a SQLite file or a `postgres://` URL.
    #[arg(long, value_name = "PATH|URL", env = DB_ENV, default_value = DEFAULT_DB)]
    db: DbTarget,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let store = open_existing(&args.db)?;
    let runs = store
        .runs(args.alliance.as_deref(), args.limit)
        .map_err(store_error)?;
    print!("{}", table(&runs));
    Ok(())
}

/// Opens a database that must exist already (reading commands do not create one).
pub(super) fn open_existing(db: &DbTarget) -> Result<Store, CliError> {
    if let Some(path) = db.path().filter(|path| !path.is_file()) {
        return Err(CliError::failure(format!(
            "no run database at {} (crawl first, or name one with --db)",
            path.display()
        )));
    }
    Store::connect(db).map_err(store_error)
}

fn table(runs: &[RunListing]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<20} {:<20} {:<20} {:<11} {:>9} {:>11}  verdicts",
        "run", "started", "finished", "status", "alliances", "pages ok"
    );
    for run in runs {
        let _ = writeln!(
            out,
            "{:<20} {:<20} {:<20} {:<11} {:>9} {:>11}  {}",
            run.run_id,
            run.started_at,
            run.finished_at.as_deref().unwrap_or("-"),
            run.status,
            run.alliances,
            format!("{}/{}", run.pages_ok, run.pages),
            verdicts(run)
        );
    }
    if runs.is_empty() {
        out.push_str("(no runs)\n");
    }
    out
}

/// One alliance: its verdict. Several: how many of each verdict, strongest first.
fn verdicts(run: &RunListing) -> String {
    if run.verdicts.len() == 1 {
        let (id, verdict) = run.verdicts.iter().next().expect("one");
        return format!("{id}: {verdict}");
    }
    let order = ["leading", "present", "mentioned", "absent", "unknown", "-"];
    order
        .iter()
        .filter_map(|level| {
            let n = run.verdicts.values().filter(|v| v == level).count();
            (n > 0).then(|| format!("{n} {level}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
