//! The writer as a worker's (issue 12): one job (one alliance of a queued run), its
//! lease renewed with every batch and fenced (a batch commits only while the job is
//! still this worker's), its event numbers taken from blocks reserved on the run.

use std::time::{Duration, Instant};

use super::*;

/// Event numbers reserved at a time. Reserving is a short transaction of its own
/// (the run's row is locked while it lasts), outside the batches.
const SEQ_BLOCK: i64 = 1000;

/// The job a writer works on and when its lease was last renewed.
pub(super) struct Lease {
    job: Job,
    ms: i64,
    renewed: Instant,
}

/// Where a claimed job starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStart {
    /// Nothing stored yet: crawl from the start URLs.
    Fresh,
    /// Pages stored by an earlier worker: continue as `--resume` does.
    Resume,
    /// The alliance was finished by an earlier worker that died before it said so:
    /// only the job is left to end.
    Done,
}

impl StoreWriter {
    /// A writer for `job`, just claimed with a lease of `lease`: what earlier workers
    /// stored of its alliance is read back (tallies, robots.txt, its start), and an
    /// alliance they stopped (SIGTERM) is opened again.
    pub fn for_job(
        store: Store,
        job: Job,
        lease: Duration,
    ) -> Result<(StoreWriter, JobStart), StoreError> {
        let stored = store.run(&job.run_id)?;
        let state = store.map_row(
            "SELECT started_seq, finished_at, stopped FROM run_alliances
             WHERE run_id = ?1 AND alliance_id = ?2",
            args![&job.run_id, &job.alliance_id],
            |row| {
                Ok((
                    store.col::<Option<i64>>(row, 0)?.is_some(),
                    store.col::<Option<String>>(row, 1)?.is_some(),
                    store.col::<bool>(row, 2)?,
                ))
            },
        )?;
        let (started, finished, stopped) = state.ok_or_else(|| {
            StoreError::NotFound(format!(
                "no alliance {} in run {}",
                job.alliance_id, job.run_id
            ))
        })?;
        let mut writer =
            StoreWriter::with(store, job.run_id.clone(), stored.info.topics.clone(), 0);
        writer.seq_end = 0;
        writer.lease = Some(Lease {
            job,
            ms: lease.as_millis() as i64,
            renewed: Instant::now(),
        });
        let alliance = writer.job().alliance_id.clone();
        if finished && !stopped {
            return Ok((writer, JobStart::Done));
        }
        if finished {
            let run_id = writer.run_id.clone();
            writer
                .store
                .db
                .transaction(|db| resume::reopen(db, &run_id, &alliance))
                .map_err(|e| writer.store.failed(e))?;
        }
        writer.rebuild(Some(&alliance))?;
        let start = if started {
            JobStart::Resume
        } else {
            JobStart::Fresh
        };
        Ok((writer, start))
    }

    fn job(&self) -> &Job {
        &self.lease.as_ref().expect("a worker's writer").job
    }

    /// Makes sure a whole batch has event numbers: a worker reserves a new block of
    /// its run's numbers when it runs low (blocks are handed out in increasing order,
    /// so a worker taking over numbers after its predecessor).
    pub(super) fn reserve_seqs(&mut self) -> Result<(), StoreError> {
        if self.seq_end - self.seq >= BATCH_EVENTS as i64 {
            return Ok(());
        }
        let end: i64 = self
            .store
            .map_row(
                "UPDATE runs SET next_seq = COALESCE(next_seq, 0) + ?2 WHERE id = ?1 RETURNING next_seq",
                args![&self.run_id, SEQ_BLOCK],
                |row| self.store.col(row, 0),
            )?
            .ok_or_else(|| StoreError::NotFound(format!("no run \"{}\"", self.run_id)))?;
        self.seq = end - SEQ_BLOCK;
        self.seq_end = end;
        Ok(())
    }

    /// Inside the batch's transaction: renews the lease, or fails when the job is no
    /// longer this worker's (the batch is then rolled back).
    pub(super) fn fence(&mut self) -> Result<(), StoreError> {
        let Some(lease) = self.lease.as_mut() else {
            return Ok(());
        };
        match queue::renew(&self.store.db, &lease.job, lease.ms) {
            Ok(true) => {
                lease.renewed = Instant::now();
                Ok(())
            }
            Ok(false) => Err(self.store.failed(queue::lost(&lease.job))),
            Err(e) => Err(self.store.failed(e)),
        }
    }

    /// Renews the lease when a third of it has passed since the last renewal.
    pub(super) fn heartbeat_if_due(&mut self) -> Result<(), StoreError> {
        let due = self
            .lease
            .as_ref()
            .is_some_and(|lease| lease.renewed.elapsed().as_millis() as i64 >= lease.ms / 3);
        if !due {
            return Ok(());
        }
        if self.pending > 0 {
            return self.commit();
        }
        self.fence()
    }

    /// Ends the job: commits what is pending, then marks the job done (the run
    /// complete when it was its last) or, with `release`, queues it again for another
    /// worker to continue. Fails when the job is no longer this worker's.
    pub fn finish_job(mut self, finished_at: &str, release: bool) -> Result<Store, StoreError> {
        self.commit()?;
        let job = self.job().clone();
        self.store
            .db
            .transaction(|db| queue::end(db, &job, release, finished_at))
            .map_err(|e| self.store.failed(e))?;
        Ok(self.store)
    }
}
