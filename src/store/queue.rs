//! The queue of work in PostgreSQL (issue 12): a run enqueued as one job per alliance,
//! claimed by workers on any machine.
//!
//! - A job is one alliance of one run, with the hosts it crawls (`job_hosts`). A job is
//!   claimed only while no running job holds one of its hosts, so politeness and
//!   Crawl-delay hold across machines. Claims take a transaction-level advisory lock,
//!   so two claims never both see a host free; within it, `FOR UPDATE SKIP LOCKED`.
//! - A claim is a lease: `lease_until`, by the database's clock (machines' clocks may
//!   differ), renewed by the worker's heartbeat and by every batch it commits. A job
//!   whose lease ran out is claimable again: its new worker continues from what was
//!   stored (see [`StoreWriter::for_job`](super::StoreWriter::for_job)).
//! - Fencing: a worker's writes commit only while the job is still its own (the batch
//!   transaction renews the lease and fails when another worker holds the job), so a
//!   worker that stalled past its lease cannot write what its successor writes again.
//! - The run is marked complete by whichever job ends last (the run's row is locked
//!   while a job ends, so two last jobs cannot both miss it).

use super::db::{args, Db, DbError};
use super::{Store, StoreError};
use crate::report::RunInfo;

/// The database's clock in milliseconds since the epoch.
const NOW_MS: &str = "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)";

/// Any number: the advisory lock claims take.
const CLAIM_LOCK: i64 = 0x636c_6169_6d73;

/// One alliance of a run, as a worker holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub run_id: String,
    pub alliance_id: String,
    /// Who holds it: fences its writes.
    pub worker: String,
    /// Claims before this one (a takeover has at least one).
    pub attempts: i64,
}

/// What a queued run is: its alliances, each with its hosts and first start URL.
#[derive(Debug, Clone)]
pub struct JobSpec {
    pub alliance_id: String,
    pub start_url: Option<String>,
    pub hosts: Vec<String>,
}

impl Store {
    fn require_postgres(&self) -> Result<(), StoreError> {
        if self.db.is_postgres() {
            Ok(())
        } else {
            Err(StoreError::Database {
                db: self.target.to_string(),
                message: "the queue of work needs PostgreSQL (--db postgres://...)".into(),
            })
        }
    }

    /// Stores run `run` (its id made unique: `-2`, `-3`, ... when taken, atomically, so
    /// two machines starting runs in the same second get two ids) with `settings`
    /// (what a worker needs) and queues one job per alliance. Returns the run id.
    pub fn enqueue(
        &self,
        run: &RunInfo,
        settings: &str,
        jobs: &[JobSpec],
    ) -> Result<String, StoreError> {
        self.require_postgres()?;
        self.db
            .transaction(|db| {
                let run_id = insert_run(db, run, settings)?;
                for job in jobs {
                    db.execute(
                        "INSERT INTO run_alliances (run_id, alliance_id, name, start_url) VALUES (?1, ?2, ?3, ?4)",
                        args![
                            &run_id,
                            &job.alliance_id,
                            run.alliance_names.get(&job.alliance_id).unwrap_or(&job.alliance_id),
                            &job.start_url,
                        ],
                    )?;
                    db.execute(
                        "INSERT INTO jobs (run_id, alliance_id, state) VALUES (?1, ?2, 'queued')",
                        args![&run_id, &job.alliance_id],
                    )?;
                    for host in &job.hosts {
                        db.execute(
                            "INSERT INTO job_hosts (run_id, alliance_id, host) VALUES (?1, ?2, ?3)
                             ON CONFLICT DO NOTHING",
                            args![&run_id, &job.alliance_id, host],
                        )?;
                    }
                }
                Ok(run_id)
            })
            .map_err(|e| self.failed(e))
    }

    /// The settings a queued run was stored with (`None` for a run crawled locally).
    pub fn run_settings(&self, run_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .map_row(
                "SELECT settings FROM runs WHERE id = ?1",
                args![run_id],
                |row| self.col::<Option<String>>(row, 0),
            )?
            .flatten())
    }

    /// Claims a job for `worker`, leased for `lease_ms`: a queued one, or one whose
    /// lease ran out, whose hosts no running job holds; oldest run first.
    pub fn claim(&self, worker: &str, lease_ms: i64) -> Result<Option<Job>, StoreError> {
        self.require_postgres()?;
        let sql = format!(
            "SELECT j.run_id, j.alliance_id, j.attempts FROM jobs j
             WHERE (j.state = 'queued' OR (j.state = 'running' AND j.lease_until < {NOW_MS}))
             AND NOT EXISTS (
                 SELECT 1 FROM job_hosts mine
                 JOIN job_hosts theirs ON theirs.host = mine.host
                 JOIN jobs r ON r.run_id = theirs.run_id AND r.alliance_id = theirs.alliance_id
                 WHERE mine.run_id = j.run_id AND mine.alliance_id = j.alliance_id
                 AND NOT (r.run_id = j.run_id AND r.alliance_id = j.alliance_id)
                 AND r.state = 'running' AND r.lease_until >= {NOW_MS})
             ORDER BY j.run_id, j.alliance_id
             LIMIT 1 FOR UPDATE OF j SKIP LOCKED"
        );
        let claimed = self
            .db
            .transaction(|db| {
                db.execute("SELECT pg_advisory_xact_lock(?1)", args![CLAIM_LOCK])?;
                let Some(row) = db.query_opt(&sql, &[])? else {
                    return Ok(None);
                };
                let (run_id, alliance_id, attempts): (String, String, i64) =
                    (row.get(0)?, row.get(1)?, row.get(2)?);
                db.execute(
                    &format!(
                        "UPDATE jobs SET state = 'running', worker = ?3, attempts = attempts + 1,
                         lease_until = {NOW_MS} + ?4 WHERE run_id = ?1 AND alliance_id = ?2"
                    ),
                    args![&run_id, &alliance_id, worker, lease_ms],
                )?;
                Ok(Some(Job {
                    run_id,
                    alliance_id,
                    worker: worker.to_string(),
                    attempts,
                }))
            })
            .map_err(|e| self.failed(e))?;
        Ok(claimed)
    }

    /// Renews `job`'s lease; false when it is no longer this worker's.
    pub fn heartbeat(&self, job: &Job, lease_ms: i64) -> Result<bool, StoreError> {
        renew(&self.db, job, lease_ms).map_err(|e| self.failed(e))
    }

    /// Whether any job of any run is queued or running (with `run`, of that run).
    pub fn work_left(&self, run: Option<&str>) -> Result<bool, StoreError> {
        self.require_postgres()?;
        Ok(self
            .map_row(
                "SELECT 1 FROM jobs WHERE state <> 'done' AND (CAST(?1 AS TEXT) IS NULL OR run_id = ?1) LIMIT 1",
                args![run],
                |_| Ok(()),
            )?
            .is_some())
    }
}

fn insert_run(db: &Db, run: &RunInfo, settings: &str) -> Result<String, DbError> {
    let mut n = 1;
    loop {
        let id = match n {
            1 => run.run_id.clone(),
            n => format!("{}-{n}", run.run_id),
        };
        let inserted = db.execute(
            "INSERT INTO runs (id, started_at, status, tool_version, config_hash, topics, options, settings)
             VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING",
            args![
                &id,
                &run.started_at,
                &run.tool_version,
                &run.config_hash,
                serde_json::to_string(&run.topics).expect("strings serialise"),
                run.options.to_string(),
                settings,
            ],
        )?;
        if inserted == 1 {
            return Ok(id);
        }
        n += 1;
    }
}

/// Renews `job`'s lease inside whatever transaction is open; false when another
/// worker holds it now (or it is no longer running).
pub(super) fn renew(db: &Db, job: &Job, lease_ms: i64) -> Result<bool, DbError> {
    let renewed = db.execute(
        &format!(
            "UPDATE jobs SET lease_until = {NOW_MS} + ?4
             WHERE run_id = ?1 AND alliance_id = ?2 AND worker = ?3 AND state = 'running'"
        ),
        args![&job.run_id, &job.alliance_id, &job.worker, lease_ms],
    )?;
    Ok(renewed == 1)
}

/// Ends `job` (inside a transaction): done, or (`release`) queued again for another
/// worker; when the last job of its run is done, the run is complete. Fails when the
/// job is no longer this worker's.
pub(super) fn end(db: &Db, job: &Job, release: bool, finished_at: &str) -> Result<(), DbError> {
    // Locks the run's row: jobs of one run end one at a time.
    db.execute(
        "UPDATE runs SET status = status WHERE id = ?1",
        args![&job.run_id],
    )?;
    let (state, done_at) = if release {
        ("queued", None)
    } else {
        ("done", Some(finished_at))
    };
    let ended = db.execute(
        "UPDATE jobs SET state = ?4, worker = NULL, lease_until = NULL, finished_at = ?5
         WHERE run_id = ?1 AND alliance_id = ?2 AND worker = ?3 AND state = 'running'",
        args![&job.run_id, &job.alliance_id, &job.worker, state, done_at],
    )?;
    if ended != 1 {
        return Err(lost(job));
    }
    db.execute(
        "UPDATE runs SET status = 'complete', finished_at = ?2
         WHERE id = ?1 AND status = 'running'
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE run_id = ?1 AND state <> 'done')",
        args![&job.run_id, finished_at],
    )?;
    Ok(())
}

pub(super) fn lost(job: &Job) -> DbError {
    DbError(format!(
        "job {}/{} is no longer this worker's (its lease ran out and another worker took it over)",
        job.run_id, job.alliance_id
    ))
}
