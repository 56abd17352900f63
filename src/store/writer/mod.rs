//! The store's writer: the crawl's events as rows, committed in batches.
//!
//! It runs beside the report writer on the same event stream. SQLite commits are the
//! expensive part (a sync each), so events are grouped: one transaction per
//! [`BATCH_EVENTS`](super::BATCH_EVENTS) events or [`BATCH_INTERVAL`](super::BATCH_INTERVAL),
//! whichever comes first ([`StoreWriter::tick`] commits a batch that has gone quiet).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

mod job;
mod resume;

use super::db::{args, DbError};
use super::menus::MenuBook;
use super::queue::{self, Job};
use super::rows::{insert_page, insert_robots, insert_skipped};
use super::{Store, StoreError, BATCH_EVENTS, BATCH_INTERVAL};
use crate::detect::{AllianceSummary, AllianceTally};
use crate::record::{CrawlEvent, RunStatus, SkipReason};
use crate::report::RunInfo;
pub use job::JobStart;

/// Writes one run into the store.
pub struct StoreWriter {
    store: Store,
    run_id: String,
    topics: Vec<String>,
    /// The next event's sequence number within the run...
    seq: i64,
    /// ...and the first one not reserved (several workers number one run's events
    /// from blocks they reserve: see [`job`]).
    seq_end: i64,
    /// The job this writer works on, when it is a worker's (its lease renewed with
    /// every batch).
    lease: Option<job::Lease>,
    pending: usize,
    batch_started: Option<Instant>,
    tallies: HashMap<String, AllianceTally>,
    /// Alliances finishing from now on were stopped, not done.
    stopping: bool,
    /// Alliances started, and (alliance, host) of robots.txt recorded: a resumed run
    /// sends these again, and the second copy is a repeat.
    started: HashSet<String>,
    robots_hosts: HashSet<(String, String)>,
    /// The run's menus stored so far.
    menus: MenuBook,
}

impl StoreWriter {
    /// Records the start of `run` (its id must be new: see [`Store::unique_run_id`]).
    /// `start_urls` maps each alliance to its first start URL.
    pub fn begin(
        store: Store,
        run: &RunInfo,
        start_urls: &BTreeMap<String, String>,
    ) -> Result<StoreWriter, StoreError> {
        store
            .db
            .transaction(|db| {
                db.execute(
                    "INSERT INTO runs (id, started_at, status, tool_version, config_hash, topics, options, pid)
                     VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?6, ?7)",
                    args![
                        &run.run_id,
                        &run.started_at,
                        &run.tool_version,
                        &run.config_hash,
                        serde_json::to_string(&run.topics).expect("strings serialise"),
                        run.options.to_string(),
                        std::process::id(),
                    ],
                )?;
                for (id, name) in &run.alliance_names {
                    db.execute(
                        "INSERT INTO run_alliances (run_id, alliance_id, name, start_url) VALUES (?1, ?2, ?3, ?4)",
                        args![&run.run_id, id, name, start_urls.get(id)],
                    )?;
                }
                Ok(())
            })
            .map_err(|e| store.failed(e))?;
        Ok(StoreWriter::with(
            store,
            run.run_id.clone(),
            run.topics.clone(),
            0,
        ))
    }

    /// A writer with nothing pending, numbering pages from `seq`.
    fn with(store: Store, run_id: String, topics: Vec<String>, seq: i64) -> StoreWriter {
        StoreWriter {
            store,
            run_id,
            topics,
            seq,
            seq_end: i64::MAX,
            lease: None,
            pending: 0,
            batch_started: None,
            tallies: HashMap::new(),
            stopping: false,
            started: HashSet::new(),
            robots_hosts: HashSet::new(),
            menus: MenuBook::default(),
        }
    }

    /// True for an event a resumed run sends again: an alliance's start, or a host's
    /// robots.txt, already recorded. The caller drops it.
    pub fn is_repeat(&self, event: &CrawlEvent) -> bool {
        match event {
            CrawlEvent::AllianceStarted { alliance_id, .. } => self.started.contains(alliance_id),
            CrawlEvent::Robots(robots) => self
                .robots_hosts
                .contains(&(robots.alliance_id.clone(), robots.host.clone())),
            _ => false,
        }
    }

    /// The store being written (to read the run back, e.g. for a resume's replay).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The run being written.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// From now on, an alliance that finishes was stopped (Ctrl-C, SIGTERM) rather than
    /// done: a resumed run crawls it on.
    pub fn stopping(&mut self) {
        self.stopping = true;
    }

    /// Records one event (in the current batch).
    pub fn handle(&mut self, event: &CrawlEvent) -> Result<(), StoreError> {
        if self.pending == 0 {
            self.reserve_seqs()?;
            self.store.db.begin().map_err(|e| self.store.failed(e))?;
            self.batch_started = Some(Instant::now());
        }
        let seq = self.seq;
        self.seq += 1;
        self.pending += 1;
        self.write(event, seq).map_err(|e| self.store.failed(e))?;
        if self.pending >= BATCH_EVENTS {
            self.commit()?;
        } else {
            self.tick()?;
        }
        Ok(())
    }

    /// Commits the current batch if it is older than the batch interval (and renews
    /// a worker's lease when due).
    pub fn tick(&mut self) -> Result<(), StoreError> {
        if self
            .batch_started
            .is_some_and(|started| started.elapsed() >= BATCH_INTERVAL)
        {
            self.commit()?;
        }
        self.heartbeat_if_due()
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if self.pending > 0 {
            let saved = self
                .menus
                .save_counts(&self.store.db, &self.run_id)
                .map_err(|e| self.store.failed(e));
            if let Err(e) = saved.and_then(|()| self.fence()) {
                self.store.db.rollback();
                self.menus.forget_counts();
                self.pending = 0;
                self.batch_started = None;
                return Err(e);
            }
            self.store.db.commit().map_err(|e| self.store.failed(e))?;
            self.pending = 0;
            self.batch_started = None;
        }
        Ok(())
    }

    fn write(&mut self, event: &CrawlEvent, seq: i64) -> Result<(), DbError> {
        match event {
            CrawlEvent::AllianceStarted { alliance_id, .. } => {
                self.tally(alliance_id);
                self.started.insert(alliance_id.clone());
            }
            CrawlEvent::Page(record) => self.tally(&record.alliance_id).add(record),
            CrawlEvent::Skipped(record) => self.tally(&record.alliance_id).skip(record),
            _ => {}
        }
        let db = &self.store.db;
        match event {
            CrawlEvent::AllianceStarted {
                alliance_id,
                started_at,
            } => {
                db.execute(
                    "INSERT INTO run_alliances (run_id, alliance_id, name, started_at, started_seq)
                     VALUES (?1, ?2, ?2, ?3, ?4)
                     ON CONFLICT (run_id, alliance_id) DO UPDATE
                     SET started_at = excluded.started_at, started_seq = excluded.started_seq",
                    args![&self.run_id, alliance_id, started_at, seq],
                )?;
                Ok(())
            }
            CrawlEvent::Page(record) => {
                let menus = &mut self.menus;
                insert_page(db, &self.run_id, &self.topics, seq, record, menus)
            }
            CrawlEvent::Skipped(record) => insert_skipped(db, &self.run_id, seq, record),
            CrawlEvent::Robots(robots) => {
                self.robots_hosts
                    .insert((robots.alliance_id.clone(), robots.host.clone()));
                insert_robots(db, &self.run_id, seq, robots)
            }
            CrawlEvent::Queued {
                alliance_id,
                url,
                depth,
            } => {
                db.execute(
                    "INSERT INTO frontier (run_id, alliance_id, url, depth) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO NOTHING",
                    args![&self.run_id, alliance_id, url, *depth as i64],
                )?;
                Ok(())
            }
            CrawlEvent::AllianceFinished {
                alliance_id,
                finished_at,
                cut_off,
            } => {
                db.execute(
                    "UPDATE run_alliances SET finished_at = ?3, finished_seq = ?4, cut_off = ?5, stopped = ?6
                     WHERE run_id = ?1 AND alliance_id = ?2",
                    args![
                        &self.run_id,
                        alliance_id,
                        finished_at,
                        seq,
                        *cut_off as i64,
                        self.stopping
                    ],
                )?;
                let tally = self.tally(alliance_id).clone();
                self.save_verdicts(&tally.finish(*cut_off))
            }
        }
    }

    fn tally(&mut self, alliance_id: &str) -> &mut AllianceTally {
        let topics = &self.topics;
        self.tallies
            .entry(alliance_id.to_string())
            .or_insert_with(|| AllianceTally::new(alliance_id, topics))
    }

    fn save_verdicts(&self, summaries: &[AllianceSummary]) -> Result<(), DbError> {
        for s in summaries {
            self.store.db.execute(
                "INSERT INTO alliance_verdicts (run_id, alliance_id, topic, verdict, score,
                     coverage, pages_ok, pages_failed, pages_blocked, pages_cut_off, pages_skipped,
                     evidence_count, first_evidence_url, urls_known, urls_skipped, unread_relevant)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                 ON CONFLICT (run_id, alliance_id, topic) DO UPDATE SET verdict = excluded.verdict,
                     score = excluded.score, coverage = excluded.coverage,
                     pages_ok = excluded.pages_ok, pages_failed = excluded.pages_failed,
                     pages_blocked = excluded.pages_blocked, pages_cut_off = excluded.pages_cut_off,
                     pages_skipped = excluded.pages_skipped, evidence_count = excluded.evidence_count,
                     first_evidence_url = excluded.first_evidence_url, urls_known = excluded.urls_known,
                     urls_skipped = excluded.urls_skipped, unread_relevant = excluded.unread_relevant",
                args![
                    &self.run_id,
                    &s.alliance_id,
                    &s.topic,
                    s.level.as_str(),
                    s.score,
                    (s.coverage * 1000.0).round() / 1000.0,
                    s.pages_ok as i64,
                    s.pages_failed as i64,
                    s.pages_blocked as i64,
                    s.pages_cut_off as i64,
                    s.pages_skipped as i64,
                    s.evidence_count as i64,
                    &s.first_evidence_url,
                    s.urls_known as i64,
                    s.urls_skipped as i64,
                    s.unread_relevant as i64,
                ],
            )?;
        }
        Ok(())
    }

    /// Commits what is pending, gives alliances without verdict rows theirs (those a
    /// stopped run left open, and `unknown` for those it never started), and marks the
    /// run complete or interrupted. Returns the store for what comes next.
    pub fn finish(mut self, finished_at: &str, interrupted: bool) -> Result<Store, StoreError> {
        self.commit()?;
        let result = (|| -> Result<(), DbError> {
            self.store.db.begin()?;
            let missing = self
                .store
                .db
                .query(
                    "SELECT alliance_id FROM run_alliances a WHERE run_id = ?1 AND NOT EXISTS
                     (SELECT 1 FROM alliance_verdicts v WHERE v.run_id = a.run_id AND v.alliance_id = a.alliance_id)
                     ORDER BY alliance_id",
                    args![&self.run_id],
                )?
                .iter()
                .map(|row| row.get::<String>(0))
                .collect::<Result<Vec<_>, _>>()?;
            for alliance_id in missing {
                let tally = self.tally(&alliance_id).clone();
                self.save_verdicts(&tally.finish(0))?;
            }
            self.store.db.execute(
                "UPDATE runs SET finished_at = ?2, status = ?3, pid = NULL WHERE id = ?1",
                args![
                    &self.run_id,
                    finished_at,
                    if interrupted {
                        RunStatus::Interrupted.as_str()
                    } else {
                        RunStatus::Complete.as_str()
                    }
                ],
            )?;
            self.store.db.commit()
        })();
        if let Err(e) = result {
            self.store.db.rollback();
            return Err(self.store.failed(e));
        }
        Ok(self.store)
    }
}
