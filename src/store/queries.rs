//! Reading the store back: run listings, run references (`last`, `previous`), a run
//! replayed as the event stream it was written from, and the per-alliance sets that
//! `diff` compares.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::{Store, StoreError};
use crate::crawl::{
    CachedPage, CrawlEvent, HttpCache, Outcome, PageRecord, Resume, ResumeSite, RobotsRecord,
    SkippedRecord, Validators,
};
use crate::detect::{Evidence, Level};
use crate::extract::MenuKind;
use crate::report::RunInfo;

/// A stored run's identity and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    pub info: RunInfo,
    pub finished_at: Option<String>,
    /// `complete`, `interrupted`, or `running` (a process is writing it now).
    pub status: String,
}

/// One line of `history`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunListing {
    pub run_id: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: String,
    pub alliances: usize,
    pub pages: usize,
    pub pages_ok: usize,
    /// Alliance id → verdict of the run's first topic.
    pub verdicts: BTreeMap<String, String>,
}

/// One distinct navigation item of an alliance in one run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NavEntry {
    pub menu_kind: MenuKind,
    pub path: String,
    pub label: String,
    pub href: Option<String>,
}

/// One page record, as `diff` needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageEntry {
    pub url: String,
    pub final_url: String,
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub error: Option<String>,
    /// False for an `ok` page not counted (a duplicate, noindex).
    pub counted: bool,
}

/// An alliance's verdict for one topic in one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictEntry {
    pub topic: String,
    pub verdict: Level,
    pub score: u32,
    pub coverage: f64,
}

/// An alliance's verdict for one topic in one of its runs, for the report's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub run_id: String,
    pub started_at: String,
    pub topic: String,
    pub verdict: Level,
    pub coverage: f64,
    /// Skipped URLs naming a topic (0 for runs stored before it was counted).
    pub unread_relevant: u64,
}

/// One evidence row with its page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EvidenceEntry {
    pub url: String,
    pub location: String,
    pub term: String,
    pub snippet: String,
    pub level: Level,
}

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
fn effective_status(status: String, pid: Option<i64>) -> String {
    if status == "running" && !pid.is_some_and(alive) {
        "interrupted".to_string()
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
                status: effective_status(status, pid),
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
            status: effective_status(status, pid),
        })
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

    /// Sends a stored run's events to `sink` in the order they were recorded. With
    /// `open_only`, an alliance that was stopped gets no `AllianceFinished` (a resumed
    /// run sends its own).
    pub fn replay<E>(
        &self,
        run_id: &str,
        open_only: bool,
        mut sink: impl FnMut(CrawlEvent) -> Result<(), E>,
    ) -> Result<Result<(), E>, StoreError> {
        let sql = |e| self.sqlite(e);
        // The few non-page events, by sequence number; pages stream in between.
        let mut others: BTreeMap<i64, CrawlEvent> = BTreeMap::new();
        let mut query = self
            .conn
            .prepare(
                "SELECT alliance_id, started_at, started_seq, finished_at, finished_seq, cut_off, stopped
                 FROM run_alliances WHERE run_id = ?1",
            )
            .map_err(sql)?;
        let rows = query
            .query_map([run_id], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, bool>(6)?,
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (alliance_id, started_at, started_seq, finished_at, finished_seq, cut_off, stopped) =
                row.map_err(sql)?;
            if let (Some(started_at), Some(seq)) = (started_at, started_seq) {
                others.insert(
                    seq,
                    CrawlEvent::AllianceStarted {
                        alliance_id: alliance_id.clone(),
                        started_at,
                    },
                );
            }
            if let (Some(finished_at), Some(seq)) = (finished_at, finished_seq) {
                if !(open_only && stopped) {
                    others.insert(
                        seq,
                        CrawlEvent::AllianceFinished {
                            alliance_id,
                            finished_at,
                            cut_off: cut_off as usize,
                        },
                    );
                }
            }
        }
        let mut query = self
            .conn
            .prepare(
                "SELECT seq, alliance_id, host, status, body, fetched_at FROM robots WHERE run_id = ?1",
            )
            .map_err(sql)?;
        let rows = query
            .query_map([run_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    RobotsRecord {
                        alliance_id: row.get(1)?,
                        host: row.get(2)?,
                        status: row.get(3)?,
                        body: row.get(4)?,
                        fetched_at: row.get(5)?,
                    },
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (seq, robots) = row.map_err(sql)?;
            others.insert(seq, CrawlEvent::Robots(robots));
        }

        let mut query = self
            .conn
            .prepare(
                "SELECT seq, alliance_id, url, final_url, depth, outcome, status, content_type, error,
                     fetched_at, extraction, detection
                 FROM pages WHERE run_id = ?1 ORDER BY seq",
            )
            .map_err(sql)?;
        let mut rows = query.query([run_id]).map_err(sql)?;
        // Skipped URLs can be many: streamed beside the pages, merged by sequence.
        let mut skipped_query = self
            .conn
            .prepare(
                "SELECT seq, alliance_id, url, reason, found_by, found_on, depth, priority, relevant
                 FROM skipped WHERE run_id = ?1 ORDER BY seq",
            )
            .map_err(sql)?;
        let mut skipped_rows = skipped_query.query([run_id]).map_err(sql)?;
        let mut next_skipped = self.skipped_record(skipped_rows.next().map_err(sql)?)?;
        let mut pages_left = true;
        loop {
            let page = if pages_left {
                match rows.next().map_err(sql)? {
                    Some(row) => Some(self.page_record(run_id, row)?),
                    None => None,
                }
            } else {
                None
            };
            pages_left = page.is_some();
            let until = page.as_ref().map_or(i64::MAX, |(seq, _)| *seq);
            loop {
                let other_seq = others.first_key_value().map_or(i64::MAX, |(seq, _)| *seq);
                let skipped_seq = next_skipped.as_ref().map_or(i64::MAX, |(seq, _)| *seq);
                if other_seq.min(skipped_seq) > until
                    || (other_seq == i64::MAX && skipped_seq == i64::MAX)
                {
                    break;
                }
                let event = if other_seq <= skipped_seq {
                    others.pop_first().map(|(_, event)| event)
                } else {
                    let (_, record) = next_skipped.take().expect("a skipped row is next");
                    next_skipped = self.skipped_record(skipped_rows.next().map_err(sql)?)?;
                    Some(CrawlEvent::Skipped(Box::new(record)))
                };
                if let Some(Err(e)) = event.map(&mut sink) {
                    return Ok(Err(e));
                }
            }
            let Some((_, record)) = page else {
                break;
            };
            if let Err(e) = sink(CrawlEvent::Page(Box::new(record))) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    fn skipped_record(
        &self,
        row: Option<&Row<'_>>,
    ) -> Result<Option<(i64, SkippedRecord)>, StoreError> {
        let Some(row) = row else {
            return Ok(None);
        };
        let sql = |e| self.sqlite(e);
        let reason: String = row.get(3).map_err(sql)?;
        let found_by: String = row.get(4).map_err(sql)?;
        let record = SkippedRecord {
            alliance_id: row.get(1).map_err(sql)?,
            url: row.get(2).map_err(sql)?,
            reason: parse_enum(&reason)
                .ok_or_else(|| self.corrupt(format!("unknown skip reason {reason:?}")))?,
            found_by: parse_enum(&found_by)
                .ok_or_else(|| self.corrupt(format!("unknown found_by {found_by:?}")))?,
            found_on: row.get(5).map_err(sql)?,
            depth: row.get::<_, i64>(6).map_err(sql)? as usize,
            priority: row.get(7).map_err(sql)?,
            relevant: row.get(8).map_err(sql)?,
        };
        Ok(Some((row.get(0).map_err(sql)?, record)))
    }

    fn page_record(&self, run_id: &str, row: &Row<'_>) -> Result<(i64, PageRecord), StoreError> {
        let sql = |e| self.sqlite(e);
        let outcome: String = row.get(5).map_err(sql)?;
        let extraction: Option<String> = row.get(10).map_err(sql)?;
        let detection: Option<String> = row.get(11).map_err(sql)?;
        let seq: i64 = row.get(0).map_err(sql)?;
        let mut record = PageRecord {
            validators: None,
            alliance_id: row.get(1).map_err(sql)?,
            url: row.get(2).map_err(sql)?,
            final_url: row.get(3).map_err(sql)?,
            depth: row.get::<_, i64>(4).map_err(sql)? as usize,
            outcome: parse_enum(&outcome)
                .ok_or_else(|| self.corrupt(format!("unknown outcome {outcome:?}")))?,
            status: row.get(6).map_err(sql)?,
            content_type: row.get(7).map_err(sql)?,
            error: row.get(8).map_err(sql)?,
            fetched_at: row.get(9).map_err(sql)?,
            page: extraction
                .map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|e| self.corrupt(e))?,
            detection: detection
                .map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|e| self.corrupt(e))?,
        };
        if let Some(detection) = record.detection.as_mut() {
            if detection.evidence.is_empty() {
                let url = record.page.as_ref().and_then(|p| p.url.clone());
                detection.evidence = self.evidence_of(run_id, seq, url)?;
            }
        }
        Ok((seq, record))
    }

    /// The evidence rows of one page record, in detection order.
    fn evidence_of(
        &self,
        run_id: &str,
        seq: i64,
        url: Option<String>,
    ) -> Result<Vec<Evidence>, StoreError> {
        let sql = |e| self.sqlite(e);
        let mut query = self
            .conn
            .prepare_cached(
                "SELECT topic, term, location, snippet, collaboration, level, weight, menu_kind, heading_level
                 FROM evidence WHERE run_id = ?1 AND page_seq = ?2 ORDER BY position",
            )
            .map_err(sql)?;
        let rows = query
            .query_map(params![run_id, seq], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, bool>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, u32>(6)?,
                    row.get::<_, Option<String>>(7)?,
                    row.get::<_, Option<u8>>(8)?,
                ))
            })
            .map_err(sql)?;
        let mut out = Vec::new();
        for row in rows {
            let (
                topic,
                term,
                location,
                snippet,
                collaboration,
                level,
                weight,
                menu_kind,
                heading_level,
            ) = row.map_err(sql)?;
            let bad = |what: &str, text: &str| self.corrupt(format!("unknown {what} {text:?}"));
            out.push(Evidence {
                topic,
                term,
                location: parse_enum(&location).ok_or_else(|| bad("location", &location))?,
                url: url.clone(),
                snippet,
                collaboration,
                menu_kind: match menu_kind {
                    Some(kind) => Some(parse_enum(&kind).ok_or_else(|| bad("menu kind", &kind))?),
                    None => None,
                },
                heading_level,
                level: parse_enum(&level).ok_or_else(|| bad("level", &level))?,
                weight,
            });
        }
        Ok(out)
    }

    /// The distinct navigation items of an alliance in a run (breadcrumbs left out: they
    /// name pages, not the site's structure).
    pub fn nav_entries(
        &self,
        run_id: &str,
        alliance: &str,
    ) -> Result<BTreeSet<NavEntry>, StoreError> {
        let sql = |e| self.sqlite(e);
        let mut query = self
            .conn
            .prepare(
                "SELECT DISTINCT n.menu_kind, n.path, n.label, n.href FROM nav_items n
                 JOIN pages p ON p.run_id = n.run_id AND p.seq = n.page_seq
                 WHERE n.run_id = ?1 AND p.alliance_id = ?2 AND n.menu_kind <> 'breadcrumb'",
            )
            .map_err(sql)?;
        let rows = query
            .query_map(params![run_id, alliance], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                ))
            })
            .map_err(sql)?;
        let mut out = BTreeSet::new();
        for row in rows {
            let (kind, path, label, href) = row.map_err(sql)?;
            out.insert(NavEntry {
                menu_kind: parse_enum(&kind)
                    .ok_or_else(|| self.corrupt(format!("unknown menu kind {kind:?}")))?,
                path,
                label,
                href,
            });
        }
        Ok(out)
    }

    /// An alliance's page records in a run, in crawl order.
    pub fn page_entries(&self, run_id: &str, alliance: &str) -> Result<Vec<PageEntry>, StoreError> {
        let sql = |e| self.sqlite(e);
        let mut query = self
            .conn
            .prepare(
                "SELECT url, final_url, outcome, status, error, detection IS NOT NULL FROM pages
                 WHERE run_id = ?1 AND alliance_id = ?2 ORDER BY seq",
            )
            .map_err(sql)?;
        let rows = query
            .query_map(params![run_id, alliance], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<u16>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, bool>(5)?,
                ))
            })
            .map_err(sql)?;
        let mut out = Vec::new();
        for row in rows {
            let (url, final_url, outcome, status, error, counted) = row.map_err(sql)?;
            out.push(PageEntry {
                url,
                final_url,
                outcome: parse_enum(&outcome)
                    .ok_or_else(|| self.corrupt(format!("unknown outcome {outcome:?}")))?,
                status,
                error,
                counted,
            });
        }
        Ok(out)
    }

    /// The headings (level, text) of each page read, by final URL.
    pub fn headings_by_page(
        &self,
        run_id: &str,
        alliance: &str,
    ) -> Result<BTreeMap<String, Vec<(u8, String)>>, StoreError> {
        let sql = |e| self.sqlite(e);
        let mut query = self
            .conn
            .prepare(
                "SELECT p.final_url, h.level, h.text FROM headings h
                 JOIN pages p ON p.run_id = h.run_id AND p.seq = h.page_seq
                 WHERE h.run_id = ?1 AND p.alliance_id = ?2 ORDER BY h.page_seq, h.position",
            )
            .map_err(sql)?;
        let rows = query
            .query_map(params![run_id, alliance], |row| {
                Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
            })
            .map_err(sql)?;
        let mut out: BTreeMap<String, Vec<(u8, String)>> = BTreeMap::new();
        for row in rows {
            let (url, level, text) = row.map_err(sql)?;
            out.entry(url).or_default().push((level, text));
        }
        Ok(out)
    }

    /// An alliance's verdicts in a run, one per topic, in topic order.
    pub fn verdicts(&self, run_id: &str, alliance: &str) -> Result<Vec<VerdictEntry>, StoreError> {
        let sql = |e| self.sqlite(e);
        let mut query = self
            .conn
            .prepare(
                "SELECT topic, verdict, score, coverage FROM alliance_verdicts
                 WHERE run_id = ?1 AND alliance_id = ?2 ORDER BY rowid",
            )
            .map_err(sql)?;
        let rows = query
            .query_map(params![run_id, alliance], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, u32>(2)?,
                    row.get::<_, f64>(3)?,
                ))
            })
            .map_err(sql)?;
        let mut out = Vec::new();
        for row in rows {
            let (topic, verdict, score, coverage) = row.map_err(sql)?;
            out.push(VerdictEntry {
                topic,
                verdict: parse_enum(&verdict)
                    .ok_or_else(|| self.corrupt(format!("unknown verdict {verdict:?}")))?,
                score,
                coverage,
            });
        }
        Ok(out)
    }

    /// `alliance`'s verdicts in run `run_id` and in the runs before it that finished it
    /// (not stopped), at most `limit` runs, the newest: oldest first, topics in order.
    pub fn verdict_history(
        &self,
        alliance: &str,
        run_id: &str,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let sql = |e| self.sqlite(e);
        let mut query = self
            .conn
            .prepare(
                "SELECT v.run_id, r.started_at, v.topic, v.verdict, v.coverage,
                        COALESCE(v.unread_relevant, 0)
                 FROM alliance_verdicts v JOIN runs r ON r.id = v.run_id
                 WHERE v.alliance_id = ?1 AND v.run_id IN (
                     SELECT run_id FROM run_alliances
                     WHERE alliance_id = ?1 AND (run_id = ?2
                         OR (run_id < ?2 AND finished_at IS NOT NULL AND stopped = 0))
                     ORDER BY run_id DESC LIMIT ?3)
                 ORDER BY v.run_id, v.rowid",
            )
            .map_err(sql)?;
        let rows = query
            .query_map(params![alliance, run_id, limit as i64], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, f64>(4)?,
                    row.get::<_, i64>(5)?,
                ))
            })
            .map_err(sql)?;
        let mut out = Vec::new();
        for row in rows {
            let (run_id, started_at, topic, verdict, coverage, unread) = row.map_err(sql)?;
            out.push(HistoryEntry {
                run_id,
                started_at,
                topic,
                verdict: parse_enum(&verdict)
                    .ok_or_else(|| self.corrupt(format!("unknown verdict {verdict:?}")))?,
                coverage,
                unread_relevant: unread.max(0) as u64,
            });
        }
        Ok(out)
    }

    /// The distinct evidence of an alliance for a topic at exactly `level`.
    pub fn evidence_at(
        &self,
        run_id: &str,
        alliance: &str,
        topic: &str,
        level: Level,
    ) -> Result<BTreeSet<EvidenceEntry>, StoreError> {
        let sql = |e| self.sqlite(e);
        let mut query = self
            .conn
            .prepare(
                "SELECT DISTINCT p.final_url, e.location, e.term, e.snippet FROM evidence e
                 JOIN pages p ON p.run_id = e.run_id AND p.seq = e.page_seq
                 WHERE e.run_id = ?1 AND p.alliance_id = ?2 AND e.topic = ?3 AND e.level = ?4",
            )
            .map_err(sql)?;
        let rows = query
            .query_map(params![run_id, alliance, topic, level.as_str()], |row| {
                Ok(EvidenceEntry {
                    url: row.get(0)?,
                    location: row.get(1)?,
                    term: row.get(2)?,
                    snippet: row.get(3)?,
                    level,
                })
            })
            .map_err(sql)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sql)
    }
}

impl Store {
    /// The page an HTTP cache entry stands for: the validators of `url` and the last
    /// counted `ok` record of it in the run that stored them, if its detection holds
    /// at link depth `depth` (only whether the depth is ≤ 1 changes a detection).
    pub fn cached_page(&self, url: &str, depth: usize) -> Result<Option<CachedPage>, StoreError> {
        let sql = |e| self.sqlite(e);
        let entry: Option<(Option<String>, Option<String>, String)> = self
            .conn
            .prepare_cached("SELECT etag, last_modified, run_id FROM http_cache WHERE url = ?1")
            .map_err(sql)?
            .query_row([url], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .optional()
            .map_err(sql)?;
        let Some((etag, last_modified, run_id)) = entry else {
            return Ok(None);
        };
        let found: Option<CachedRow> = self
            .conn
            .prepare_cached(
                "SELECT seq, depth, content_type, extraction, detection, links FROM pages
                 WHERE url = ?1 AND run_id = ?2 AND outcome = 'ok'
                 AND extraction IS NOT NULL AND detection IS NOT NULL
                 ORDER BY seq DESC LIMIT 1",
            )
            .map_err(sql)?
            .query_row(params![url, run_id], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            })
            .optional()
            .map_err(sql)?;
        let Some((seq, stored_depth, content_type, extraction, detection, links)) = found else {
            return Ok(None);
        };
        if (stored_depth <= 1) != (depth <= 1) {
            return Ok(None);
        }
        let page: crate::extract::Page =
            serde_json::from_str(&extraction).map_err(|e| self.corrupt(e))?;
        let mut detection: crate::detect::Detection =
            serde_json::from_str(&detection).map_err(|e| self.corrupt(e))?;
        if detection.evidence.is_empty() {
            detection.evidence = self.evidence_of(&run_id, seq, page.url.clone())?;
        }
        let links = match links {
            Some(json) => serde_json::from_str(&json).map_err(|e| self.corrupt(e))?,
            None => Vec::new(),
        };
        Ok(Some(CachedPage {
            validators: Validators {
                etag,
                last_modified,
            },
            content_type,
            page,
            detection,
            links,
        }))
    }
}

/// seq, depth, content type, extraction, detection and links of a cached page's record.
type CachedRow = (i64, i64, Option<String>, String, String, Option<String>);

/// The run store as the crawl's [`HttpCache`]: its own connection, shared by the
/// fetch tasks behind a lock (a lookup is one indexed query).
pub struct StoreCache {
    store: std::sync::Mutex<Store>,
}

impl StoreCache {
    pub fn open(path: &std::path::Path) -> Result<StoreCache, StoreError> {
        Ok(StoreCache {
            store: std::sync::Mutex::new(Store::open(path)?),
        })
    }
}

impl HttpCache for StoreCache {
    fn lookup(&self, url: &str, depth: usize) -> Option<CachedPage> {
        let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        match store.cached_page(url, depth) {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%url, %error, "HTTP cache lookup failed; fetching in full");
                None
            }
        }
    }
}
