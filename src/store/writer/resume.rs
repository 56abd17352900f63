//! The writer continuing a run: `--resume` of an interrupted run, and (through
//! [`job`](super::job)) a worker taking over a job. What was stored is read back
//! (tallies, alliances started, robots.txt recorded) and stopped alliances reopened.

use super::*;

impl StoreWriter {
    /// Reopens interrupted run `run_id` to continue it: the alliances it did not
    /// finish are opened again (their verdicts are recomputed when they finish), and
    /// the tallies are rebuilt from the pages stored. Returns the writer and the ids
    /// of the alliances still to crawl.
    pub fn resume(store: Store, run_id: &str) -> Result<(StoreWriter, Vec<String>), StoreError> {
        let stored = store.run(run_id)?;
        let seq = store.max_seq(run_id)? + 1;
        let mut writer =
            StoreWriter::with(store, run_id.to_string(), stored.info.topics.clone(), seq);
        let open = writer.store.open_alliances(run_id)?;
        writer
            .store
            .db
            .transaction(|db| {
                db.execute(
                    "UPDATE runs SET status = 'running', finished_at = NULL, pid = ?2 WHERE id = ?1",
                    args![run_id, std::process::id()],
                )?;
                for alliance in &open {
                    reopen(db, run_id, alliance)?;
                }
                Ok(())
            })
            .map_err(|e| writer.store.failed(e))?;
        // After reopening: what the stop itself recorded is gone from the tallies too.
        writer.rebuild(None)?;
        Ok((writer, open))
    }

    /// Rebuilds the tallies, the alliances started and the robots.txt recorded from
    /// what is stored of the run (of one alliance, with `alliance`).
    pub(super) fn rebuild(&mut self, alliance: Option<&str>) -> Result<(), StoreError> {
        let mut tallies = HashMap::new();
        let mut started = HashSet::new();
        let mut robots_hosts = HashSet::new();
        let topics = self.topics.clone();
        let replayed = self
            .store
            .replay_of(&self.run_id, alliance, true, |event| {
                match event {
                    CrawlEvent::Page(record) => tallies
                        .entry(record.alliance_id.clone())
                        .or_insert_with(|| AllianceTally::new(&record.alliance_id, &topics))
                        .add(&record),
                    CrawlEvent::Skipped(record) => tallies
                        .entry(record.alliance_id.clone())
                        .or_insert_with(|| AllianceTally::new(&record.alliance_id, &topics))
                        .skip(&record),
                    CrawlEvent::AllianceStarted { alliance_id, .. } => {
                        started.insert(alliance_id);
                    }
                    CrawlEvent::Robots(robots) => {
                        robots_hosts.insert((robots.alliance_id, robots.host));
                    }
                    _ => {}
                }
                Ok::<(), std::convert::Infallible>(())
            })?;
        let Ok(()) = replayed;
        self.tallies = tallies;
        self.started = started;
        self.robots_hosts = robots_hosts;
        Ok(())
    }
}

/// Opens a finished (stopped) alliance again: its verdicts are recomputed when it
/// finishes, and the URLs recorded as skipped because the crawl stopped are queued
/// URLs again (the frontier still holds them).
pub(super) fn reopen(
    db: &crate::store::db::Db,
    run_id: &str,
    alliance: &str,
) -> Result<(), DbError> {
    db.execute(
        "UPDATE run_alliances SET finished_at = NULL, finished_seq = NULL, cut_off = 0, stopped = 0
         WHERE run_id = ?1 AND alliance_id = ?2",
        args![run_id, alliance],
    )?;
    db.execute(
        "DELETE FROM alliance_verdicts WHERE run_id = ?1 AND alliance_id = ?2",
        args![run_id, alliance],
    )?;
    db.execute(
        "DELETE FROM skipped WHERE run_id = ?1 AND alliance_id = ?2 AND reason = ?3",
        args![run_id, alliance, SkipReason::Stopped.as_str()],
    )?;
    Ok(())
}
