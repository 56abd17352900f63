//! The command line: parse, then dispatch on the subcommand. Each subcommand lives in
//! its own file; errors become a message on stderr and a small set of exit codes.

mod check_config;
mod completions;
mod crawl;
mod crawl_setup;
/// `demo`, and the static loopback server it (and the tests) serve fixture sites with.
pub mod demo;
mod diff;
mod extract;
mod history;
mod progress;
mod read_document;
mod recording;
mod replay;
mod report;
mod robots;
mod schedule;
mod store_thread;
mod summary;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, Topics};

/// Exit codes, as scripts and schedulers see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    /// The run failed (a file could not be read or written, a crawl could not start).
    Failure = 1,
    /// The command line or the configuration is wrong; nothing was done.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// An error at the command-line edge, with the exit code it deserves.
#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
}

impl CliError {
    pub fn failure(message: impl std::fmt::Display) -> Self {
        CliError {
            exit: Exit::Failure,
            message: message.to_string(),
        }
    }
}

impl From<ConfigError> for CliError {
    fn from(error: ConfigError) -> Self {
        CliError {
            exit: Exit::Usage,
            message: error.to_string(),
        }
    }
}

/// Crawl the websites of university alliances and audit how prominently library
/// collaboration (or any topic you define) appears on them.
#[derive(Debug, Parser)]
#[command(name = "alliance-audit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Crawl the configured alliances (default: every enabled one in the bundled
    /// config/alliances.toml) and write a run directory of CSV, JSON Lines and HTML
    /// reports. Polite by default: robots.txt, one request at a time per host, at least
    /// a second between requests to a host. Ctrl-C stops and still writes the reports.
    Crawl(crawl::Args),
    /// Crawl the bundled fixture sites, served on 127.0.0.1: the product end to end
    /// with no network.
    Demo(demo::Args),
    /// Extract one saved HTML page: navigation, headings, text, links, and the evidence
    /// and verdict of each topic. Nothing is fetched.
    Extract(extract::Args),
    /// Rebuild a run from a WARC archive written by `crawl --warc`, with no network:
    /// the same crawl decisions, extraction, detection and reports.
    Replay(replay::Args),
    /// Validate the alliances and topics files and report every problem with its line.
    CheckConfig(check_config::Args),
    /// List the runs stored in the run database, newest first: id, times, status,
    /// pages, verdicts.
    History(history::Args),
    /// Say what changed between two stored runs: per alliance, navigation items added,
    /// removed and renamed, headings, pages new, gone or failing, verdict changes.
    Diff(diff::Args),
    /// Re-export a stored run as a run directory (the files the crawl wrote).
    Report(report::Args),
    /// Say for each URL whether an agent may fetch it under a robots.txt (a file, or
    /// a site's live one) and which rule decided: the crawl's own matcher, Google's
    /// reading of robots.txt.
    Robots(robots::Args),
    /// Crawl on a cron schedule until stopped (SIGTERM, Ctrl-C) or --max-runs: each
    /// run stored and reported as `crawl` does; one scheduler per database.
    Schedule(schedule::Args),
    /// Work on runs queued in PostgreSQL (`crawl --db postgres://... --enqueue`):
    /// claim a job (one alliance of a run), crawl it, store it, claim the next. Run
    /// as many as you like, on as many machines; a job whose worker dies is taken
    /// over once its lease runs out, continuing from what was stored.
    Worker(worker::Args),
    /// Print a shell completion script (bash, zsh, fish), generated from these
    /// definitions. Example: `alliance-audit completions bash > ~/.local/share/bash-completion/completions/alliance-audit`.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff), generated from these definitions. Example:
    /// `alliance-audit man > alliance-audit.1 && man ./alliance-audit.1`.
    Man(completions::ManArgs),
    /// Read one document (PDF) from stdin and print its title and text as JSON: how
    /// the crawl reads documents in a child process it can kill. Not for people.
    #[command(hide = true)]
    ReadDocument(read_document::Args),
}

/// Parses the command line, runs the subcommand and maps errors to exit codes.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    // This process has the `read-document` subcommand, so a crawl may run it.
    crate::document::mark_binary_can_read_documents();
    let result = match cli.command {
        Command::Crawl(args) => crawl::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Extract(args) => extract::run(args),
        Command::CheckConfig(args) => check_config::run(args),
        Command::History(args) => history::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Report(args) => report::run(args),
        Command::Robots(args) => robots::run(args),
        Command::Schedule(args) => schedule::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Worker(args) => worker::run(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
        Command::ReadDocument(args) => read_document::run(args),
    };
    match result {
        Ok(()) => Exit::Success.into(),
        Err(error) => {
            eprintln!("alliance-audit: error: {}", error.message);
            error.exit.into()
        }
    }
}

/// Resolves at the first Ctrl-C (SIGINT) or SIGTERM: how a person or a service manager
/// asks a crawl or a scheduler to stop.
async fn termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// The alliances file named on the command line, or the bundled one.
/// The one tokio runtime of a command: the crawl, its signal watch and the demo's
/// servers all run on it.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::failure)
}

fn load_config(path: Option<&PathBuf>) -> Result<Config, CliError> {
    Ok(match path {
        Some(path) => Config::load(path)?,
        None => Config::bundled(),
    })
}

/// The topics file named on the command line, or the bundled one.
fn load_topics(path: Option<&PathBuf>) -> Result<Topics, CliError> {
    Ok(match path {
        Some(path) => Topics::load(path)?,
        None => Topics::bundled(),
    })
}
