//! The crawl's side of the run store: a crawl's events go to the database (`--db`)
//! beside the run directory, batched, and the run is marked complete or interrupted at
//! the end. Kept apart from `crawl.rs` so the writer loop there stays one call per step.

use std::collections::BTreeMap;
use std::path::Path;

use super::CliError;
use crate::crawl::{CrawlEvent, SitePlan};
use crate::diff::{diff, summary_lines};
use crate::report::{RunInfo, RunWriter};
use crate::store::{Store, StoreError, StoreWriter};

/// The store writer of one crawl, and the first error it met (after which it stops
/// writing: the crawl is stopped, its reports still finished).
pub struct Recorder {
    writer: Option<StoreWriter>,
    error: Option<StoreError>,
    told_stopping: bool,
}

pub(super) fn store_error(error: StoreError) -> CliError {
    CliError::failure(error)
}

impl Recorder {
    /// Opens the database at `db` and records the start of `run`, whose id is made
    /// unique in the database first (two runs started in the same second). With no
    /// `db`, records nothing.
    pub fn begin(
        db: Option<&Path>,
        run: &mut RunInfo,
        plans: &[SitePlan],
    ) -> Result<Recorder, CliError> {
        let Some(db) = db else {
            return Ok(Recorder {
                writer: None,
                error: None,
                told_stopping: false,
            });
        };
        let store = Store::open(db).map_err(store_error)?;
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
            error: None,
            told_stopping: false,
        })
    }

    /// Records one event; false when the store has failed (the caller stops the crawl).
    /// `stopping` says whether the crawl has been asked to stop.
    pub fn handle(&mut self, event: &CrawlEvent, stopping: bool) -> bool {
        self.note_stopping(stopping);
        let Some(writer) = self.writer.as_mut() else {
            return self.error.is_none();
        };
        match writer.handle(event) {
            Ok(()) => true,
            Err(e) => self.fail(e),
        }
    }

    /// Commits a batch that has waited long enough (called on a timer).
    pub fn tick(&mut self, stopping: bool) -> bool {
        self.note_stopping(stopping);
        let Some(writer) = self.writer.as_mut() else {
            return self.error.is_none();
        };
        match writer.tick() {
            Ok(()) => true,
            Err(e) => self.fail(e),
        }
    }

    fn note_stopping(&mut self, stopping: bool) {
        if stopping && !self.told_stopping {
            self.told_stopping = true;
            if let Some(writer) = self.writer.as_mut() {
                writer.stopping();
            }
        }
    }

    fn fail(&mut self, error: StoreError) -> bool {
        tracing::error!("the run database failed: {error}");
        self.writer = None;
        self.error = Some(error);
        false
    }

    /// Marks the run complete or interrupted, and gives `report` the changes of each
    /// alliance since its previous run. Returns the store (none without a database).
    pub fn finish(
        self,
        finished_at: &str,
        interrupted: bool,
        report: &mut RunWriter,
    ) -> Result<Option<Store>, CliError> {
        if let Some(error) = self.error {
            return Err(store_error(error));
        }
        let Some(writer) = self.writer else {
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

/// Tells `report` what changed for each alliance of `run_id` since that alliance's
/// previous complete crawl, for `report.html`.
pub(super) fn note_changes(
    store: &Store,
    run_id: &str,
    report: &mut RunWriter,
) -> Result<(), StoreError> {
    for alliance in store.start_urls(run_id)?.keys() {
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
