//! Reading the store back: run listings, run references (`last`, `previous`), a run
//! replayed as the event stream it was written from, and the per-alliance sets that
//! `diff` compares.

use std::collections::BTreeMap;

mod cache;
pub use cache::StoreCache;
pub use entries::{
    EvidenceEntry, HistoryEntry, NavEntry, PageEntry, RunListing, StoredRun, VerdictEntry,
};
mod compare;
mod entries;
mod replay;

use super::db::{args, FromValue, Row, Value};
use super::{Store, StoreError};
use crate::detect::{Evidence, Level};
use crate::record::{
    CachedPage, CrawlEvent, HttpCache, PageRecord, Resume, ResumeSite, RobotsRecord, RunStatus,
    SkippedRecord, Validators,
};
use crate::report::RunInfo;

fn parse_enum<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

/// Whether process `pid` is alive (on Linux; elsewhere assumed alive). A zombie (killed,
/// not yet reaped: common in containers whose init does not reap) is dead.
fn alive(pid: i64) -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // "PID (COMMAND) STATE ...": the state follows the last ')'.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next());
    !matches!(state, Some("Z" | "X") | None)
}

/// `running` stays `running` only while its process lives: a killed run is interrupted.
/// A queued run (workers crawl it, on any machine) is running until its last job ends.
fn effective_status(status: RunStatus, pid: Option<i64>, queued: bool) -> RunStatus {
    if status == RunStatus::Running && !queued && !pid.is_some_and(alive) {
        RunStatus::Interrupted
    } else {
        status
    }
}

impl Store {
    fn corrupt(&self, message: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt {
            db: self.target.to_string(),
            message: message.to_string(),
        }
    }

    /// Every row of a query, each made a `T` by `each`: the one shape of the store's
    /// reading queries.
    pub(super) fn map_rows<T>(
        &self,
        sql: &str,
        args: &[Value],
        each: impl FnMut(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let rows = self.db.query(sql, args).map_err(|e| self.failed(e))?;
        rows.iter().map(each).collect()
    }

    /// The first row of a query made a `T`, if there is one.
    pub(super) fn map_row<T>(
        &self,
        sql: &str,
        args: &[Value],
        each: impl FnOnce(&Row) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        let row = self.db.query_opt(sql, args).map_err(|e| self.failed(e))?;
        row.as_ref().map(each).transpose()
    }

    /// Column `i` of `row`.
    pub(super) fn col<T: FromValue>(&self, row: &Row, i: usize) -> Result<T, StoreError> {
        row.get(i).map_err(|e| self.corrupt(e))
    }

    /// Column `i` of `row`, a stored enum word (`what` names it in the error).
    pub(super) fn word<T: serde::de::DeserializeOwned>(
        &self,
        row: &Row,
        i: usize,
        what: &str,
    ) -> Result<T, StoreError> {
        let text: String = self.col(row, i)?;
        parse_enum(&text).ok_or_else(|| self.corrupt(format!("unknown {what} {text:?}")))
    }

    /// Runs newest first, at most `limit`; with `alliance`, only runs that crawled it.
    pub fn runs(
        &self,
        alliance: Option<&str>,
        limit: usize,
    ) -> Result<Vec<RunListing>, StoreError> {
        let rows = self.map_rows(
            "SELECT id, started_at, finished_at, status, pid, topics, settings FROM runs r
             WHERE CAST(?1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM run_alliances a WHERE a.run_id = r.id AND a.alliance_id = ?1)
             ORDER BY id DESC LIMIT ?2",
            args![alliance, limit as i64],
            |row| {
                Ok((
                    self.col::<String>(row, 0)?,
                    self.col::<String>(row, 1)?,
                    self.col::<Option<String>>(row, 2)?,
                    self.col::<String>(row, 3)?,
                    self.col::<Option<i64>>(row, 4)?,
                    self.col::<String>(row, 5)?,
                    self.col::<Option<String>>(row, 6)?.is_some(),
                ))
            },
        )?;
        let mut listings = Vec::new();
        for (run_id, started_at, finished_at, status, pid, topics, queued) in rows {
            let topics: Vec<String> = serde_json::from_str(&topics).map_err(|e| self.corrupt(e))?;
            let (pages, pages_ok): (i64, i64) = self
                .map_row(
                    "SELECT count(*), count(*) FILTER (WHERE outcome = 'ok') FROM pages
                     WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR alliance_id = ?2)",
                    args![&run_id, alliance],
                    |row| Ok((self.col(row, 0)?, self.col(row, 1)?)),
                )?
                .unwrap_or_default();
            let verdicts: BTreeMap<String, String> = self
                .map_rows(
                    "SELECT a.alliance_id, v.verdict FROM run_alliances a
                     LEFT JOIN alliance_verdicts v ON v.run_id = a.run_id AND v.alliance_id = a.alliance_id AND v.topic = ?2
                     WHERE a.run_id = ?1 AND (CAST(?3 AS TEXT) IS NULL OR a.alliance_id = ?3) ORDER BY a.alliance_id",
                    args![&run_id, topics.first(), alliance],
                    |row| {
                        let verdict: Option<String> = self.col(row, 1)?;
                        Ok((self.col(row, 0)?, verdict.unwrap_or_else(|| "-".to_string())))
                    },
                )?
                .into_iter()
                .collect();
            listings.push(RunListing {
                run_id,
                started_at,
                finished_at,
                status: effective_status(self.status(&status)?, pid, queued),
                alliances: verdicts.len(),
                pages: pages as usize,
                pages_ok: pages_ok as usize,
                verdicts,
            });
        }
        Ok(listings)
    }

    /// The run id that `reference` names: an id, `last` (the newest run) or `previous`
    /// (the one before it); with `alliance`, counting only runs that crawled it.
    pub fn resolve(&self, reference: &str, alliance: Option<&str>) -> Result<String, StoreError> {
        let nth = match reference {
            "last" | "latest" => Some(0),
            "previous" | "prev" => Some(1),
            _ => None,
        };
        let Some(nth) = nth else {
            let found = self.map_row(
                "SELECT id FROM runs WHERE id = ?1",
                args![reference],
                |row| self.col::<String>(row, 0),
            )?;
            return found.ok_or_else(|| {
                StoreError::NotFound(format!(
                    "no run \"{reference}\" in {} (see `alliance-audit history`)",
                    self.target
                ))
            });
        };
        let found = self.map_row(
            "SELECT id FROM runs r
             WHERE CAST(?1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM run_alliances a WHERE a.run_id = r.id AND a.alliance_id = ?1)
             ORDER BY id DESC LIMIT 1 OFFSET ?2",
            args![alliance, nth as i64],
            |row| self.col::<String>(row, 0),
        )?;
        found.ok_or_else(|| {
            let what = if nth == 0 {
                "no run"
            } else {
                "no previous run"
            };
            let of = alliance.map(|a| format!(" of {a}")).unwrap_or_default();
            StoreError::NotFound(format!("{what}{of} in {}", self.target))
        })
    }

    /// The newest run before `run_id` that crawled `alliance` and finished it.
    pub fn previous_run_of(
        &self,
        alliance: &str,
        run_id: &str,
    ) -> Result<Option<String>, StoreError> {
        self.map_row(
            "SELECT run_id FROM run_alliances WHERE alliance_id = ?1 AND run_id < ?2
             AND finished_at IS NOT NULL AND stopped = 0 ORDER BY run_id DESC LIMIT 1",
            args![alliance, run_id],
            |row| self.col(row, 0),
        )
    }

    /// The highest event sequence number of a run (-1 when it has none).
    pub(crate) fn max_seq(&self, run_id: &str) -> Result<i64, StoreError> {
        let max = self.map_row(
            "SELECT max(m) FROM (
                 SELECT max(seq) AS m FROM pages WHERE run_id = ?1
                 UNION ALL SELECT max(seq) FROM skipped WHERE run_id = ?1
                 UNION ALL SELECT max(seq) FROM robots WHERE run_id = ?1
                 UNION ALL SELECT max(started_seq) FROM run_alliances WHERE run_id = ?1
                 UNION ALL SELECT max(finished_seq) FROM run_alliances WHERE run_id = ?1) AS seqs",
            args![run_id],
            |row| self.col::<Option<i64>>(row, 0),
        )?;
        Ok(max.flatten().unwrap_or(-1))
    }

    /// The alliances of a run that it did not finish: never finished, or finished
    /// because the run was stopped.
    pub fn open_alliances(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        self.map_rows(
            "SELECT alliance_id FROM run_alliances
             WHERE run_id = ?1 AND (finished_at IS NULL OR stopped = 1) ORDER BY alliance_id",
            args![run_id],
            |row| self.col(row, 0),
        )
    }

    /// Where run `run_id` left off for each of `alliances`: seen URLs, the queue,
    /// requests spent. Requests are counted from the records: every URL decided except
    /// those robots.txt or a safety or trap rule stopped before any request.
    pub fn resume_state(&self, run_id: &str, alliances: &[String]) -> Result<Resume, StoreError> {
        let mut resume = Resume::default();
        for alliance in alliances {
            let seen = self.map_rows(
                "SELECT url FROM frontier WHERE run_id = ?1 AND alliance_id = ?2
                 UNION SELECT url FROM pages WHERE run_id = ?1 AND alliance_id = ?2
                 UNION SELECT final_url FROM pages WHERE run_id = ?1 AND alliance_id = ?2",
                args![run_id, alliance],
                |row| self.col(row, 0),
            )?;
            let queue = self.map_rows(
                "SELECT url, depth FROM frontier f WHERE run_id = ?1 AND alliance_id = ?2
                 AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.run_id = f.run_id
                                 AND p.alliance_id = f.alliance_id AND p.url = f.url)
                 ORDER BY depth, rowid",
                args![run_id, alliance],
                |row| Ok((self.col(row, 0)?, self.col(row, 1)?)),
            )?;
            let requested = self
                .map_row(
                    "SELECT count(*) FROM pages WHERE run_id = ?1 AND alliance_id = ?2
                     AND outcome NOT IN ('blocked_by_robots', 'skipped_trap')
                     AND NOT (outcome = 'out_of_scope' AND status IS NULL)",
                    args![run_id, alliance],
                    |row| self.col(row, 0),
                )?
                .unwrap_or(0);
            let site = ResumeSite {
                seen,
                queue,
                requested,
            };
            resume.sites.insert(alliance.clone(), site);
        }
        Ok(resume)
    }

    /// A stored run's identity.
    pub fn run(&self, run_id: &str) -> Result<StoredRun, StoreError> {
        let stored = self
            .map_row(
                "SELECT id, started_at, finished_at, status, pid, tool_version, config_hash, topics,
                     options, settings
                 FROM runs WHERE id = ?1",
                args![run_id],
                |row| {
                    let status: String = self.col(row, 3)?;
                    let pid: Option<i64> = self.col(row, 4)?;
                    let topics: String = self.col(row, 7)?;
                    let options: String = self.col(row, 8)?;
                    let settings: Option<String> = self.col(row, 9)?;
                    let run_id: String = self.col(row, 0)?;
                    Ok(StoredRun {
                        info: RunInfo {
                            alliance_names: self.alliance_names(&run_id)?,
                            run_id,
                            started_at: self.col(row, 1)?,
                            tool_version: self.col(row, 5)?,
                            config_hash: self.col(row, 6)?,
                            topics: serde_json::from_str(&topics).map_err(|e| self.corrupt(e))?,
                            options: serde_json::from_str(&options)
                                .map_err(|e| self.corrupt(e))?,
                        },
                        finished_at: self.col(row, 2)?,
                        status: effective_status(self.status(&status)?, pid, settings.is_some()),
                    })
                },
            )?
            .ok_or_else(|| StoreError::NotFound(format!("no run \"{run_id}\"")))?;
        Ok(stored)
    }

    /// A stored status word as a [`RunStatus`].
    fn status(&self, text: &str) -> Result<RunStatus, StoreError> {
        RunStatus::parse(text).ok_or_else(|| self.corrupt(format!("unknown run status {text:?}")))
    }

    fn alliance_names(&self, run_id: &str) -> Result<BTreeMap<String, String>, StoreError> {
        self.per_alliance(
            "SELECT alliance_id, name FROM run_alliances WHERE run_id = ?1",
            run_id,
        )
    }

    /// Each alliance of a run and its first start URL.
    pub fn start_urls(&self, run_id: &str) -> Result<BTreeMap<String, Option<String>>, StoreError> {
        self.per_alliance(
            "SELECT alliance_id, start_url FROM run_alliances WHERE run_id = ?1",
            run_id,
        )
    }

    /// One value per alliance of a run: `sql` selects (alliance_id, value) for `?1`.
    fn per_alliance<T: FromValue>(
        &self,
        sql: &str,
        run_id: &str,
    ) -> Result<BTreeMap<String, T>, StoreError> {
        Ok(self
            .map_rows(sql, args![run_id], |row| {
                Ok((self.col(row, 0)?, self.col(row, 1)?))
            })?
            .into_iter()
            .collect())
    }
}
