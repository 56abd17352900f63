//! The crawl's side of the run store: a crawl's events go to the database (`--db`)
//! beside the run directory, batched, and the run is marked complete or interrupted at
//! the end. Kept apart from `crawl.rs` so the writer loop there stays one call per step.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::store_thread::StoreThread;
use super::CliError;
use crate::crawl::{CacheHandle, CrawlEvent, SitePlan};
use crate::detect::Level;
use crate::diff::{diff, summary_lines};
use crate::record::{Resume, RunStatus};
use crate::report::{RunInfo, RunWriter, TimelinePoint, TIMELINE_RUNS};
use crate::store::{DbTarget, Store, StoreCache, StoreError, StoreWriter};

/// Which database a crawl records to, and whether it continues an interrupted run.
#[derive(Debug, Clone, Copy)]
pub struct StoreChoice<'a> {
    pub db: &'a DbTarget,
    /// A run id or `last`: continue that run instead of starting one.
    pub resume: Option<&'a str>,
}

/// What to do with an event after the store has seen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Pass it on to the report writer.
    Keep,
    /// A repeat a resumed run sends again (an alliance's start, a host's robots.txt):
    /// the reports have it already.
    Skip,
    /// The store failed: stop the crawl (the reports are still finished).
    Failed,
}

/// What the run database gives a crawl from earlier runs.
#[derive(Default)]
pub struct Earlier {
    /// Where the run being resumed left off.
    pub resume: Option<Arc<Resume>>,
    /// The database as an HTTP cache: validators and pages of earlier runs.
    pub http_cache: Option<CacheHandle>,
}

/// The store writer of one crawl. It moves to a thread of its own ([`StoreThread`])
/// with the first event; the first error it meets stops it writing (the crawl is
/// stopped, its reports still finished) and is returned by [`Recorder::finish`].
pub struct Recorder {
    writer: Option<StoreWriter>,
    thread: Option<StoreThread>,
    told_stopping: bool,
    resumed: bool,
}

/// A store error at the command line: a database that cannot be reached (or a URL
/// that is not one) is a usage error, as nothing was done; the rest are failures.
pub(super) fn store_error(error: StoreError) -> CliError {
    match error {
        StoreError::Connect { .. } => CliError {
            exit: super::Exit::Usage,
            message: error.to_string(),
        },
        error => CliError::failure(error),
    }
}

impl Recorder {
    /// Opens the database at `db` and records the start of `run`, whose id is made
    /// unique in the database first (two runs started in the same second). With no
    /// `db`, records nothing.
    fn begin(
        db: Option<&DbTarget>,
        run: &mut RunInfo,
        plans: &[SitePlan],
    ) -> Result<Recorder, CliError> {
        let Some(db) = db else {
            return Ok(Recorder {
                writer: None,
                thread: None,
                told_stopping: false,
                resumed: false,
            });
        };
        let store = Store::connect(db).map_err(store_error)?;
        run.run_id = store.unique_run_id(&run.run_id).map_err(store_error)?;
        let start_urls: BTreeMap<String, String> = plans
            .iter()
            .filter_map(|plan| {
                let first = plan.start_urls.first()?;
                Some((plan.alliance_id.clone(), first.to_string()))
            })
            .collect();
        let writer = StoreWriter::begin(store, run, &start_urls).map_err(store_error)?;
        Ok(Recorder {
            writer: Some(writer),
            thread: None,
            told_stopping: false,
            resumed: false,
        })
    }

    /// Opens the database and either records the start of `run` (see [`Recorder::begin`])
    /// or, with `resume`, reopens that interrupted run: then `plans` keep only the
    /// alliances it did not finish, [`Earlier`] carries where it left off, and the run's
    /// identity is the stored one. Without a choice, records nothing.
    pub fn start(
        choice: Option<StoreChoice<'_>>,
        mut run: RunInfo,
        plans: &mut Vec<SitePlan>,
    ) -> Result<(Recorder, RunInfo, Earlier), CliError> {
        let Some(StoreChoice {
            db,
            resume: Some(reference),
        }) = choice
        else {
            let recorder = Recorder::begin(choice.map(|c| c.db), &mut run, plans)?;
            let earlier = Earlier {
                resume: None,
                http_cache: choice.map(|choice| http_cache(choice.db)).transpose()?,
            };
            return Ok((recorder, run, earlier));
        };
        if let Some(path) = db.path().filter(|path| !path.is_file()) {
            return Err(CliError::failure(format!(
                "no run database at {} to resume from",
                path.display()
            )));
        }
        let store = Store::connect(db).map_err(store_error)?;
        let run_id = store.resolve(reference, None).map_err(store_error)?;
        let stored = store.run(&run_id).map_err(store_error)?;
        match stored.status {
            RunStatus::Complete => {
                return Err(CliError::failure(format!(
                    "run {run_id} is complete: nothing to resume"
                )))
            }
            RunStatus::Running => {
                return Err(CliError::failure(format!(
                    "run {run_id} is being written by another alliance-audit process"
                )))
            }
            _ => {}
        }
        if stored.info.config_hash != run.config_hash {
            tracing::warn!(
                "the configuration changed since run {run_id} started; resuming with the current one"
            );
        }
        let (writer, open) = StoreWriter::resume(store, &run_id).map_err(store_error)?;
        let missing: Vec<&String> = open
            .iter()
            .filter(|id| !plans.iter().any(|plan| &plan.alliance_id == *id))
            .collect();
        if !missing.is_empty() {
            return Err(CliError {
                exit: super::Exit::Usage,
                message: format!(
                    "run {run_id} has unfinished alliances this command does not crawl ({}): \
                     resume with the configuration and --alliance options it was started with",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        plans.retain(|plan| open.contains(&plan.alliance_id));
        let mut state = writer
            .store()
            .resume_state(&run_id, &open)
            .map_err(store_error)?;
        // A site served from another origin now (`demo` gets new ports each time):
        // what was seen and queued there is seen and queued here.
        let stored_starts = writer.store().start_urls(&run_id).map_err(store_error)?;
        for plan in plans.iter() {
            let (Some(site), Some(Some(old)), Some(new)) = (
                state.sites.get_mut(&plan.alliance_id),
                stored_starts.get(&plan.alliance_id),
                plan.start_urls.first(),
            ) else {
                continue;
            };
            let Ok(old) = url::Url::parse(old) else {
                continue;
            };
            let (old, new) = (
                old.origin().ascii_serialization(),
                new.origin().ascii_serialization(),
            );
            if old != new {
                tracing::info!(alliance = %plan.alliance_id, %old, %new, "the site moved; resuming on its new origin");
                let moved = |url: &str| match url.strip_prefix(old.as_str()) {
                    Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                        format!("{new}{rest}")
                    }
                    _ => url.to_string(),
                };
                site.seen = site.seen.iter().map(|u| moved(u)).collect();
                site.queue = site.queue.iter().map(|(u, d)| (moved(u), *d)).collect();
            }
        }
        let queued: usize = state.sites.values().map(|s| s.queue.len()).sum();
        tracing::info!(
            run = %run_id,
            alliances = open.len(),
            queued,
            "resuming"
        );
        let earlier = Earlier {
            resume: Some(Arc::new(state)),
            http_cache: Some(http_cache(db)?),
        };
        let recorder = Recorder {
            writer: Some(writer),
            thread: None,
            told_stopping: false,
            resumed: true,
        };
        Ok((recorder, stored.info, earlier))
    }

    /// For a resumed run, sends the records stored so far to `report`, as the crawl
    /// first sent them (the alliances still to crawl left open). Nothing otherwise.
    pub fn replay_into(&self, report: &mut RunWriter) -> Result<(), CliError> {
        let Some(writer) = self.writer.as_ref().filter(|_| self.resumed) else {
            return Ok(());
        };
        let run_id = writer.run_id().to_string();
        writer
            .store()
            .replay(&run_id, true, |event| report.handle(&event))
            .map_err(store_error)?
            .map_err(|e| {
                CliError::failure(format!("cannot write to {}: {e}", report.dir().display()))
            })
    }

    /// Records one event and says what to do with it next. `stopping` says whether
    /// the crawl has been asked to stop.
    pub fn handle(&mut self, event: &Arc<CrawlEvent>, stopping: bool) -> Step {
        self.note_stopping(stopping);
        let Some(thread) = self.thread() else {
            return Step::Keep;
        };
        let may_repeat = matches!(
            **event,
            CrawlEvent::AllianceStarted { .. } | CrawlEvent::Robots(_)
        );
        if may_repeat {
            if thread.send_unless_repeat(event.clone()) {
                return Step::Skip;
            }
        } else {
            thread.send(event.clone());
        }
        if thread.failed() {
            Step::Failed
        } else {
            Step::Keep
        }
    }

    /// The store's thread, started with the first event (a resumed run's stored
    /// records are read back through the writer before that).
    fn thread(&mut self) -> Option<&StoreThread> {
        if let Some(writer) = self.writer.take() {
            self.thread = Some(StoreThread::spawn(writer));
        }
        self.thread.as_ref()
    }

    /// Whether the store still works (called on a timer; the store's thread commits a
    /// batch that has waited long enough by itself).
    pub fn tick(&mut self, stopping: bool) -> bool {
        self.note_stopping(stopping);
        !self.thread.as_ref().is_some_and(StoreThread::failed)
    }

    fn note_stopping(&mut self, stopping: bool) {
        if stopping && !self.told_stopping {
            self.told_stopping = true;
            if let Some(writer) = self.writer.as_mut() {
                writer.stopping();
            }
            if let Some(thread) = self.thread.as_ref() {
                thread.stopping();
            }
        }
    }

    /// Marks the run complete or interrupted, and gives `report` the changes of each
    /// alliance since its previous run. Returns the store (none without a database).
    pub fn finish(
        self,
        finished_at: &str,
        interrupted: bool,
        report: &mut RunWriter,
    ) -> Result<Option<Store>, CliError> {
        let writer = match self.thread {
            Some(thread) => Some(thread.finish().map_err(store_error)?),
            None => self.writer,
        };
        let Some(writer) = writer else {
            return Ok(None);
        };
        let run_id = writer.run_id().to_string();
        let store = writer
            .finish(finished_at, interrupted)
            .map_err(store_error)?;
        note_changes(&store, &run_id, report).map_err(store_error)?;
        Ok(Some(store))
    }
}

/// The database as the crawl's HTTP cache: requests conditional on the validators of
/// earlier runs, and a 304 reusing what was read then.
fn http_cache(db: &DbTarget) -> Result<CacheHandle, CliError> {
    let cache = StoreCache::open(db).map_err(store_error)?;
    Ok(CacheHandle(Arc::new(cache)))
}

/// Tells `report` what changed for each alliance of `run_id` since that alliance's
/// previous complete crawl, and its verdicts over its runs, for `report.html`.
pub(super) fn note_changes(
    store: &Store,
    run_id: &str,
    report: &mut RunWriter,
) -> Result<(), StoreError> {
    for alliance in store.start_urls(run_id)?.keys() {
        let points = store
            .verdict_history(alliance, run_id, TIMELINE_RUNS)?
            .into_iter()
            .map(|entry| TimelinePoint {
                uncertain: entry.verdict == Level::Absent && entry.unread_relevant > 0,
                run_id: entry.run_id,
                started_at: entry.started_at,
                topic: entry.topic,
                verdict: entry.verdict,
                coverage: entry.coverage,
            })
            .collect();
        report.history(alliance, points);
        let Some(previous) = store.previous_run_of(alliance, run_id)? else {
            continue;
        };
        let changes = diff(store, &previous, run_id, Some(alliance))?;
        if let Some(changes) = changes.alliances.first() {
            report.changes(alliance, &previous, summary_lines(changes));
        }
    }
    Ok(())
}
