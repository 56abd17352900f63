//! Reading the store back: run listings, run references (`last`, `previous`), a run
//! replayed as the event stream it was written from, and the per-alliance sets that
//! `diff` compares.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};

mod cache;
pub use cache::StoreCache;
pub use entries::{
    EvidenceEntry, HistoryEntry, NavEntry, PageEntry, RunListing, StoredRun, VerdictEntry,
};
mod compare;
mod entries;
mod replay;

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
fn effective_status(status: RunStatus, pid: Option<i64>) -> RunStatus {
    if status == RunStatus::Running && !pid.is_some_and(alive) {
        RunStatus::Interrupted
    } else {
        status
    }
}

impl Store {
    fn corrupt(&self, message: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt {
            path: self.path.display().to_string(),
            message: message.to_string(),
        }
    }

    /// Runs newest first, at most `limit`; with `alliance`, only runs that crawled it.
    pub fn runs(
        &self,
        alliance: Option<&str>,
        limit: usize,
    ) -> Result<Vec<RunListing>, StoreError> {
        let run = |e| self.sqlite(e);
        let mut query = self
            .conn
            .prepare(
                "SELECT id, started_at, finished_at, status, pid, topics FROM runs r
                 WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM run_alliances a WHERE a.run_id = r.id AND a.alliance_id = ?1)
                 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(run)?;
        let rows = query
            .query_map(params![alliance, limit as i64], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                    row.get::<_, String>(5)?,
                ))
            })
            .map_err(run)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(run)?;
        let mut listings = Vec::new();
        for (run_id, started_at, finished_at, status, pid, topics) in rows {
            let topics: Vec<String> = serde_json::from_str(&topics).map_err(|e| self.corrupt(e))?;
            let (pages, pages_ok): (i64, i64) = self
                .conn
                .query_row(
                    "SELECT count(*), count(*) FILTER (WHERE outcome = 'ok') FROM pages
                     WHERE run_id = ?1 AND (?2 IS NULL OR alliance_id = ?2)",
                    params![run_id, alliance],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .map_err(run)?;
            let mut verdicts = BTreeMap::new();
            let mut alliances = 0;
            {
                let mut q = self
                    .conn
                    .prepare_cached(
                        "SELECT a.alliance_id, v.verdict FROM run_alliances a
                         LEFT JOIN alliance_verdicts v ON v.run_id = a.run_id AND v.alliance_id = a.alliance_id AND v.topic = ?2
                         WHERE a.run_id = ?1 AND (?3 IS NULL OR a.alliance_id = ?3) ORDER BY a.alliance_id",
                    )
                    .map_err(run)?;
                let rows = q
                    .query_map(params![run_id, topics.first(), alliance], |row| {
                        Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
                    })
                    .map_err(run)?;
                for row in rows {
                    let (id, verdict) = row.map_err(run)?;
                    alliances += 1;
                    verdicts.insert(id, verdict.unwrap_or_else(|| "-".to_string()));
                }
            }
            listings.push(RunListing {
                run_id,
                started_at,
                finished_at,
                status: effective_status(self.status(&status)?, pid),
                alliances,
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
            let found: Option<String> = self
                .conn
                .query_row("SELECT id FROM runs WHERE id = ?1", [reference], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(|e| self.sqlite(e))?;
            return found.ok_or_else(|| {
                StoreError::NotFound(format!(
                    "no run \"{reference}\" in {} (see `alliance-audit history`)",
                    self.path.display()
                ))
            });
        };
        let found: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM runs r
                 WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM run_alliances a WHERE a.run_id = r.id AND a.alliance_id = ?1)
                 ORDER BY id DESC LIMIT 1 OFFSET ?2",
                params![alliance, nth],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        found.ok_or_else(|| {
            let what = if nth == 0 {
                "no run"
            } else {
                "no previous run"
            };
            let of = alliance.map(|a| format!(" of {a}")).unwrap_or_default();
            StoreError::NotFound(format!("{what}{of} in {}", self.path.display()))
        })
    }

    /// The newest run before `run_id` that crawled `alliance` and finished it.
    pub fn previous_run_of(
        &self,
        alliance: &str,
        run_id: &str,
    ) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT run_id FROM run_alliances WHERE alliance_id = ?1 AND run_id < ?2
                 AND finished_at IS NOT NULL AND stopped = 0 ORDER BY run_id DESC LIMIT 1",
                params![alliance, run_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))
    }

    /// The highest event sequence number of a run (-1 when it has none).
    pub(crate) fn max_seq(&self, run_id: &str) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT max(m) FROM (
                     SELECT max(seq) AS m FROM pages WHERE run_id = ?1
                     UNION ALL SELECT max(seq) FROM robots WHERE run_id = ?1
                     UNION ALL SELECT max(started_seq) FROM run_alliances WHERE run_id = ?1
                     UNION ALL SELECT max(finished_seq) FROM run_alliances WHERE run_id = ?1)",
                [run_id],
                |row| row.get::<_, Option<i64>>(0),
            )
            .map(|m| m.unwrap_or(-1))
            .map_err(|e| self.sqlite(e))
    }

    /// The alliances of a run that it did not finish: never finished, or finished
    /// because the run was stopped.
    pub fn open_alliances(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        let mut query = self
            .conn
            .prepare(
                "SELECT alliance_id FROM run_alliances
                 WHERE run_id = ?1 AND (finished_at IS NULL OR stopped = 1) ORDER BY alliance_id",
            )
            .map_err(|e| self.sqlite(e))?;
        let rows = query
            .query_map([run_id], |row| row.get(0))
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.sqlite(e))
    }

    /// Where run `run_id` left off for each of `alliances`: seen URLs, the queue,
    /// requests spent. Requests are counted from the records: every URL decided except
    /// those robots.txt or a safety or trap rule stopped before any request.
    pub fn resume_state(&self, run_id: &str, alliances: &[String]) -> Result<Resume, StoreError> {
        let sql = |e| self.sqlite(e);
        let mut resume = Resume::default();
        for alliance in alliances {
            let mut site = ResumeSite::default();
            let mut query = self
                .conn
                .prepare(
                    "SELECT url FROM frontier WHERE run_id = ?1 AND alliance_id = ?2
                     UNION SELECT url FROM pages WHERE run_id = ?1 AND alliance_id = ?2
                     UNION SELECT final_url FROM pages WHERE run_id = ?1 AND alliance_id = ?2",
                )
                .map_err(sql)?;
            site.seen = query
                .query_map(params![run_id, alliance], |row| row.get(0))
                .map_err(sql)?
                .collect::<rusqlite::Result<_>>()
                .map_err(sql)?;
            let mut query = self
                .conn
                .prepare(
                    "SELECT url, depth FROM frontier f WHERE run_id = ?1 AND alliance_id = ?2
                     AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.run_id = f.run_id
                                     AND p.alliance_id = f.alliance_id AND p.url = f.url)
                     ORDER BY depth, rowid",
                )
                .map_err(sql)?;
            site.queue = query
                .query_map(params![run_id, alliance], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as usize))
                })
                .map_err(sql)?
                .collect::<rusqlite::Result<_>>()
                .map_err(sql)?;
            let requested: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM pages WHERE run_id = ?1 AND alliance_id = ?2
                     AND outcome NOT IN ('blocked_by_robots', 'skipped_trap')
                     AND NOT (outcome = 'out_of_scope' AND status IS NULL)",
                    params![run_id, alliance],
                    |row| row.get(0),
                )
                .map_err(sql)?;
            site.requested = requested as usize;
            resume.sites.insert(alliance.clone(), site);
        }
        Ok(resume)
    }

    /// A stored run's identity.
    pub fn run(&self, run_id: &str) -> Result<StoredRun, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, started_at, finished_at, status, pid, tool_version, config_hash, topics, options
                 FROM runs WHERE id = ?1",
                [run_id],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, Option<i64>>(4)?,
                        row.get::<_, String>(5)?,
                        row.get::<_, String>(6)?,
                        row.get::<_, String>(7)?,
                        row.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sqlite(e))?
            .ok_or_else(|| StoreError::NotFound(format!("no run \"{run_id}\"")))?;
        let (
            run_id,
            started_at,
            finished_at,
            status,
            pid,
            tool_version,
            config_hash,
            topics,
            options,
        ) = row;
        let alliance_names = self.alliance_names(&run_id)?;
        Ok(StoredRun {
            info: RunInfo {
                run_id,
                started_at,
                tool_version,
                config_hash,
                alliance_names,
                topics: serde_json::from_str(&topics).map_err(|e| self.corrupt(e))?,
                options: serde_json::from_str(&options).map_err(|e| self.corrupt(e))?,
            },
            finished_at,
            status: effective_status(self.status(&status)?, pid),
        })
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
    fn per_alliance<T: rusqlite::types::FromSql>(
        &self,
        sql: &str,
        run_id: &str,
    ) -> Result<BTreeMap<String, T>, StoreError> {
        let mut query = self.conn.prepare(sql).map_err(|e| self.sqlite(e))?;
        let rows = query
            .query_map([run_id], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.sqlite(e))
    }
}
