//! What a crawl shows while it runs: a progress bar on a terminal, plain log lines
//! otherwise (a cron job's mail, a CI log). Log lines go through the bar so they never
//! break it.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

use crate::crawl::{CrawlEvent, Outcome};

/// How much to say: `-q` warnings only, default info, `-v` debug, `-vv` trace.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Verbosity {
    /// Print only warnings and errors (no progress bar).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Say more; repeat for even more.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

impl Verbosity {
    fn filter(self) -> &'static str {
        match (self.quiet, self.verbose) {
            (true, _) => "warn",
            (false, 0) => "info",
            (false, 1) => "alliance_audit=debug,info",
            _ => "alliance_audit=trace,debug",
        }
    }
}

/// Progress of one crawl: counts, and the bar when there is a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    alliances: usize,
    finished: AtomicUsize,
    ok: AtomicUsize,
    failed: AtomicUsize,
}

impl Progress {
    /// Sets up logging (once per process) and, on a terminal, the bar.
    pub fn start(verbosity: Verbosity, alliances: usize) -> Progress {
        let bar = (io::stderr().is_terminal() && !verbosity.quiet).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                    .expect("a valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let env = EnvFilter::try_from_env("ALLIANCE_AUDIT_LOG")
            .unwrap_or_else(|_| EnvFilter::new(verbosity.filter()));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(env)
            .with_target(false)
            .with_ansi(io::stderr().is_terminal())
            .with_writer(BarWriter(bar.clone()))
            .try_init();
        let progress = Progress {
            bar,
            alliances,
            finished: AtomicUsize::new(0),
            ok: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
        };
        progress.redraw();
        progress
    }

    pub fn on_event(&self, event: &CrawlEvent) {
        match event {
            CrawlEvent::Page(record) => {
                let counter = if record.outcome == Outcome::Ok {
                    &self.ok
                } else {
                    &self.failed
                };
                counter.fetch_add(1, Ordering::Relaxed);
                let status = record.status.map(|s| s.to_string()).unwrap_or_default();
                if self.bar.is_some() {
                    tracing::debug!(alliance = %record.alliance_id, outcome = %record.outcome, status, url = %record.url);
                } else {
                    tracing::info!(alliance = %record.alliance_id, outcome = %record.outcome, status, url = %record.url);
                }
            }
            CrawlEvent::AllianceStarted { alliance_id, .. } => {
                tracing::info!(alliance = %alliance_id, "crawl started");
            }
            CrawlEvent::AllianceFinished {
                alliance_id,
                cut_off,
                ..
            } => {
                self.finished.fetch_add(1, Ordering::Relaxed);
                tracing::info!(alliance = %alliance_id, cut_off, "crawl finished");
            }
            CrawlEvent::Robots(robots) => {
                tracing::debug!(host = %robots.host, status = ?robots.status, "robots.txt");
            }
            CrawlEvent::Queued { .. } | CrawlEvent::Skipped(_) => return,
        }
        self.redraw();
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "alliances {}/{}  pages ok {}  failed {}",
                self.finished.load(Ordering::Relaxed),
                self.alliances,
                self.ok.load(Ordering::Relaxed),
                self.failed.load(Ordering::Relaxed),
            ));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Writes log lines to stderr, hiding the bar while a line is printed.
#[derive(Clone)]
struct BarWriter(Option<ProgressBar>);

impl Write for BarWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &self.0 {
            Some(bar) => bar.suspend(|| io::stderr().write_all(buf))?,
            None => io::stderr().write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

impl<'a> MakeWriter<'a> for BarWriter {
    type Writer = BarWriter;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
