//! `alliance-audit report RUN`: re-export a stored run as the run directory the crawl
//! wrote. The stored records are replayed, in their original order, through the same
//! report writer, so the files are the crawl's own.

use std::path::{Path, PathBuf};

use super::history::open_existing;
use super::recording::{note_changes, store_error};
use super::CliError;
use crate::record::RunStatus;
use crate::report::{utc_now, RunTotals, RunWriter};
use crate::store::{DbTarget, Store, DB_ENV, DEFAULT_DB};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// The CSV files.
    Csv,
    /// The JSON Lines files.
    Json,
    /// report.html.
    Html,
    /// Everything the crawl wrote.
    All,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The run: its id, `last` or `previous` (see `history`).
    run: String,
    /// The directory to write (created if missing). Default: runs/<run-id>/.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Which files. `run.json` is always written, last.
    #[arg(long, value_enum, default_value_t = Format::All)]
    format: Format,
    /// The run database: a SQLite file or a `postgres://` URL.
    #[arg(long, value_name = "PATH|URL", env = DB_ENV, default_value = DEFAULT_DB)]
    db: DbTarget,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let store = open_existing(&args.db)?;
    let run_id = store.resolve(&args.run, None).map_err(store_error)?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(&run_id));
    export(&store, &run_id, &dir, args.format)?;
    println!("reports of run {run_id}: {}", dir.display());
    Ok(())
}

/// Writes run `run_id`'s files (those of `format`, and `run.json`) into `dir`.
pub(super) fn export(
    store: &Store,
    run_id: &str,
    dir: &Path,
    format: Format,
) -> Result<RunTotals, CliError> {
    let stored = store.run(run_id).map_err(store_error)?;
    let io =
        |e: std::io::Error| CliError::failure(format!("cannot write to {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    // Written whole in a hidden folder beside, then the chosen files moved in: a
    // reader never sees a half-written file, and files not chosen are left alone.
    let staging = dir.join(format!(".report-{}", std::process::id()));
    let mut writer = RunWriter::create(&staging, stored.info.clone()).map_err(io)?;
    let replayed = store
        .replay(run_id, false, |event| writer.handle(&event))
        .map_err(store_error)?;
    replayed.map_err(io)?;
    note_changes(store, run_id, &mut writer).map_err(store_error)?;
    let finished_at = stored.finished_at.clone().unwrap_or_else(utc_now);
    let totals = writer
        .finish(&finished_at, stored.status != RunStatus::Complete)
        .map_err(io)?;
    let mut names: Vec<String> = std::fs::read_dir(&staging)
        .map_err(io)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.') && name != "run.json")
        .filter(|name| wanted(name, format))
        .collect();
    names.sort();
    names.push("run.json".to_string());
    for name in names {
        std::fs::rename(staging.join(&name), dir.join(&name)).map_err(io)?;
    }
    std::fs::remove_dir_all(&staging).map_err(io)?;
    Ok(totals)
}

fn wanted(name: &str, format: Format) -> bool {
    match format {
        Format::All => true,
        Format::Csv => name.ends_with(".csv"),
        Format::Json => name.ends_with(".jsonl"),
        Format::Html => name.ends_with(".html"),
    }
}
