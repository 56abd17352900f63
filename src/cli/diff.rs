//! `alliance-audit diff A B`: what changed between two stored runs.

use super::history::open_existing;
use super::recording::store_error;
use super::CliError;
use crate::diff::{diff, to_csv, to_text};
use crate::store::{DbTarget, DB_ENV, DEFAULT_DB};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A run: its id, `last` or `previous` (see `history`).
    a: String,
    /// The other run. The older of the two is the base, whatever the order given.
    b: String,
    /// Only this alliance (and `last`/`previous` count only runs that crawled it).
    #[arg(long, value_name = "ID")]
    alliance: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The run database: a SQLite file or a `postgres://` URL.
    #[arg(long, value_name = "PATH|URL", env = DB_ENV, default_value = DEFAULT_DB)]
    db: DbTarget,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let store = open_existing(&args.db)?;
    let alliance = args.alliance.as_deref();
    let a = store.resolve(&args.a, alliance).map_err(store_error)?;
    let b = store.resolve(&args.b, alliance).map_err(store_error)?;
    // Run ids sort in time order.
    let (older, newer) = if a <= b { (a, b) } else { (b, a) };
    let changes = diff(&store, &older, &newer, alliance).map_err(store_error)?;
    match args.format {
        Format::Text => print!("{}", to_text(&changes)),
        Format::Csv => print!("{}", to_csv(&changes)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&changes).expect("a diff serialises")
        ),
    }
    Ok(())
}
