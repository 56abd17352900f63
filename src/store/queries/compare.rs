//! The per-alliance sets `diff` compares and the report's verdict history: each one
//! query read through [`Store::map_rows`].

use std::collections::{BTreeMap, BTreeSet};

use super::*;

impl Store {
    /// The distinct navigation items of an alliance in a run (breadcrumbs left out: they
    /// name pages, not the site's structure).
    pub fn nav_entries(
        &self,
        run_id: &str,
        alliance: &str,
    ) -> Result<BTreeSet<NavEntry>, StoreError> {
        let rows = self.map_rows(
            "SELECT DISTINCT n.menu_kind, n.path, n.label, n.href FROM nav_items n
             JOIN pages p ON p.run_id = n.run_id AND p.seq = n.page_seq
             WHERE n.run_id = ?1 AND p.alliance_id = ?2 AND n.menu_kind <> 'breadcrumb'",
            args![run_id, alliance],
            |row| {
                Ok(NavEntry {
                    menu_kind: self.word(row, 0, "menu kind")?,
                    path: self.col(row, 1)?,
                    label: self.col(row, 2)?,
                    href: self.col(row, 3)?,
                })
            },
        )?;
        let mut entries: BTreeSet<NavEntry> = rows.into_iter().collect();
        // Runs stored from schema version 5 on keep each menu once per alliance.
        let menus = self.map_rows(
            "SELECT kind, items FROM menus
             WHERE run_id = ?1 AND alliance_id = ?2 AND kind <> 'breadcrumb'",
            args![run_id, alliance],
            |row| {
                let items: String = self.col(row, 1)?;
                let items: Vec<crate::extract::NavItem> =
                    serde_json::from_str(&items).map_err(|e| self.corrupt(e))?;
                Ok((self.word(row, 0, "menu kind")?, items))
            },
        )?;
        for (menu_kind, items) in menus {
            entries.extend(items.into_iter().map(|item| NavEntry {
                menu_kind,
                path: item.path.join(" > "),
                label: item.label,
                href: item.href,
            }));
        }
        Ok(entries)
    }

    /// An alliance's page records in a run, in crawl order.
    pub fn page_entries(&self, run_id: &str, alliance: &str) -> Result<Vec<PageEntry>, StoreError> {
        self.map_rows(
            "SELECT url, final_url, outcome, status, error, detection IS NOT NULL FROM pages
             WHERE run_id = ?1 AND alliance_id = ?2 ORDER BY seq",
            args![run_id, alliance],
            |row| {
                Ok(PageEntry {
                    url: self.col(row, 0)?,
                    final_url: self.col(row, 1)?,
                    outcome: self.word(row, 2, "outcome")?,
                    status: self.col(row, 3)?,
                    error: self.col(row, 4)?,
                    counted: self.col(row, 5)?,
                })
            },
        )
    }

    /// The headings (level, text) of each page read, by final URL.
    pub fn headings_by_page(
        &self,
        run_id: &str,
        alliance: &str,
    ) -> Result<BTreeMap<String, Vec<(u8, String)>>, StoreError> {
        let rows = self.map_rows(
            "SELECT p.final_url, h.level, h.text FROM headings h
             JOIN pages p ON p.run_id = h.run_id AND p.seq = h.page_seq
             WHERE h.run_id = ?1 AND p.alliance_id = ?2 ORDER BY h.page_seq, h.position",
            args![run_id, alliance],
            |row| {
                Ok((
                    self.col::<String>(row, 0)?,
                    self.col::<u8>(row, 1)?,
                    self.col::<String>(row, 2)?,
                ))
            },
        )?;
        let mut out: BTreeMap<String, Vec<(u8, String)>> = BTreeMap::new();
        for (url, level, text) in rows {
            out.entry(url).or_default().push((level, text));
        }
        Ok(out)
    }

    /// An alliance's verdicts in a run, one per topic, in topic order.
    pub fn verdicts(&self, run_id: &str, alliance: &str) -> Result<Vec<VerdictEntry>, StoreError> {
        self.map_rows(
            "SELECT topic, verdict, score, coverage FROM alliance_verdicts
             WHERE run_id = ?1 AND alliance_id = ?2 ORDER BY rowid",
            args![run_id, alliance],
            |row| {
                Ok(VerdictEntry {
                    topic: self.col(row, 0)?,
                    verdict: self.word(row, 1, "verdict")?,
                    score: self.col(row, 2)?,
                    coverage: self.col(row, 3)?,
                })
            },
        )
    }

    /// `alliance`'s verdicts in run `run_id` and in the runs before it that finished it
    /// (not stopped), at most `limit` runs, the newest: oldest first, topics in order.
    pub fn verdict_history(
        &self,
        alliance: &str,
        run_id: &str,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.map_rows(
            "SELECT v.run_id, r.started_at, v.topic, v.verdict, v.coverage,
                    COALESCE(v.unread_relevant, 0)
             FROM alliance_verdicts v JOIN runs r ON r.id = v.run_id
             WHERE v.alliance_id = ?1 AND v.run_id IN (
                 SELECT run_id FROM run_alliances
                 WHERE alliance_id = ?1 AND (run_id = ?2
                     OR (run_id < ?2 AND finished_at IS NOT NULL AND stopped = 0))
                 ORDER BY run_id DESC LIMIT ?3)
             ORDER BY v.run_id, v.rowid",
            args![alliance, run_id, limit as i64],
            |row| {
                Ok(HistoryEntry {
                    run_id: self.col(row, 0)?,
                    started_at: self.col(row, 1)?,
                    topic: self.col(row, 2)?,
                    verdict: self.word(row, 3, "verdict")?,
                    coverage: self.col(row, 4)?,
                    unread_relevant: self.col::<i64>(row, 5)?.max(0) as u64,
                })
            },
        )
    }

    /// The distinct evidence of an alliance for a topic at exactly `level`.
    pub fn evidence_at(
        &self,
        run_id: &str,
        alliance: &str,
        topic: &str,
        level: Level,
    ) -> Result<BTreeSet<EvidenceEntry>, StoreError> {
        let rows = self.map_rows(
            "SELECT DISTINCT p.final_url, e.location, e.term, e.snippet FROM evidence e
             JOIN pages p ON p.run_id = e.run_id AND p.seq = e.page_seq
             WHERE e.run_id = ?1 AND p.alliance_id = ?2 AND e.topic = ?3 AND e.level = ?4",
            args![run_id, alliance, topic, level.as_str()],
            |row| {
                Ok(EvidenceEntry {
                    url: self.col(row, 0)?,
                    location: self.col(row, 1)?,
                    term: self.col(row, 2)?,
                    snippet: self.col(row, 3)?,
                    level,
                })
            },
        )?;
        Ok(rows.into_iter().collect())
    }
}
