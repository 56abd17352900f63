//! The per-alliance sets `diff` compares and the report's verdict history.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::params;

use super::*;

impl Store {
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
