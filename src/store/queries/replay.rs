//! A stored run replayed as the event stream it was written from: pages, skipped
//! URLs, robots.txt and alliance events merged back in their order.

use std::collections::{BTreeMap, VecDeque};

use super::*;
use crate::extract::{Heading, Menu, Page};

/// Pages and skipped URLs are read this many at a time (a run can hold more than
/// fits in memory at once).
const PAGE_ROWS: i64 = 200;

impl Store {
    /// Sends a stored run's events to `sink` in the order they were recorded. With
    /// `open_only`, an alliance that was stopped gets no `AllianceFinished` (a resumed
    /// run sends its own).
    pub fn replay<E>(
        &self,
        run_id: &str,
        open_only: bool,
        sink: impl FnMut(CrawlEvent) -> Result<(), E>,
    ) -> Result<Result<(), E>, StoreError> {
        self.replay_of(run_id, None, open_only, sink)
    }

    /// [`Store::replay`], of one alliance's events only when `alliance` is given (a
    /// worker taking over that alliance's job).
    pub fn replay_of<E>(
        &self,
        run_id: &str,
        alliance: Option<&str>,
        open_only: bool,
        mut sink: impl FnMut(CrawlEvent) -> Result<(), E>,
    ) -> Result<Result<(), E>, StoreError> {
        // The few non-page events, by sequence number; pages stream in between.
        let mut others: BTreeMap<i64, CrawlEvent> = BTreeMap::new();
        let alliances = self.map_rows(
            "SELECT alliance_id, started_at, started_seq, finished_at, finished_seq, cut_off, stopped
             FROM run_alliances WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR alliance_id = ?2)",
            args![run_id, alliance],
            |row| {
                Ok((
                    self.col::<String>(row, 0)?,
                    self.col::<Option<String>>(row, 1)?,
                    self.col::<Option<i64>>(row, 2)?,
                    self.col::<Option<String>>(row, 3)?,
                    self.col::<Option<i64>>(row, 4)?,
                    self.col::<i64>(row, 5)?,
                    self.col::<bool>(row, 6)?,
                ))
            },
        )?;
        for (alliance_id, started_at, started_seq, finished_at, finished_seq, cut_off, stopped) in
            alliances
        {
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
        let robots = self.map_rows(
            "SELECT seq, alliance_id, host, status, body, fetched_at FROM robots
             WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR alliance_id = ?2)",
            args![run_id, alliance],
            |row| {
                Ok((
                    self.col::<i64>(row, 0)?,
                    RobotsRecord {
                        alliance_id: self.col(row, 1)?,
                        host: self.col(row, 2)?,
                        status: self.col(row, 3)?,
                        body: self.col(row, 4)?,
                        fetched_at: self.col(row, 5)?,
                    },
                ))
            },
        )?;
        for (seq, robots) in robots {
            others.insert(seq, CrawlEvent::Robots(robots));
        }

        // Pages and skipped URLs, each read in chunks by sequence, merged with the rest.
        let mut pages = Chunks::new();
        let mut skipped = Chunks::new();
        loop {
            let next_page = pages.peek(|after| self.pages_after(run_id, alliance, after))?;
            let next_skipped = skipped.peek(|after| self.skipped_after(run_id, alliance, after))?;
            let next_other = others.first_key_value().map(|(seq, _)| *seq);
            let Some(lowest) = [next_page, next_skipped, next_other]
                .into_iter()
                .flatten()
                .min()
            else {
                break;
            };
            let event = if Some(lowest) == next_other {
                others.pop_first().map(|(_, event)| event)
            } else if Some(lowest) == next_skipped {
                skipped.pop()
            } else {
                pages.pop()
            };
            if let Some(Err(e)) = event.map(&mut sink) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    fn pages_after(
        &self,
        run_id: &str,
        alliance: Option<&str>,
        after: i64,
    ) -> Result<Vec<(i64, CrawlEvent)>, StoreError> {
        self.map_rows(
            "SELECT seq, alliance_id, url, final_url, depth, outcome, status, content_type, error,
                 fetched_at, extraction, detection, menus
             FROM pages WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR alliance_id = ?2) AND seq > ?3
             ORDER BY seq LIMIT ?4",
            args![run_id, alliance, after, PAGE_ROWS],
            |row| {
                let (seq, record) = self.page_record(run_id, row)?;
                Ok((seq, CrawlEvent::Page(Box::new(record))))
            },
        )
    }

    fn skipped_after(
        &self,
        run_id: &str,
        alliance: Option<&str>,
        after: i64,
    ) -> Result<Vec<(i64, CrawlEvent)>, StoreError> {
        self.map_rows(
            "SELECT seq, alliance_id, url, reason, found_by, found_on, depth, priority, relevant
             FROM skipped WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR alliance_id = ?2) AND seq > ?3
             ORDER BY seq LIMIT ?4",
            args![run_id, alliance, after, PAGE_ROWS],
            |row| {
                let record = SkippedRecord {
                    alliance_id: self.col(row, 1)?,
                    url: self.col(row, 2)?,
                    reason: self.word(row, 3, "skip reason")?,
                    found_by: self.word(row, 4, "found_by")?,
                    found_on: self.col(row, 5)?,
                    depth: self.col(row, 6)?,
                    priority: self.col(row, 7)?,
                    relevant: self.col(row, 8)?,
                };
                Ok((self.col(row, 0)?, CrawlEvent::Skipped(Box::new(record))))
            },
        )
    }

    fn page_record(&self, run_id: &str, row: &Row) -> Result<(i64, PageRecord), StoreError> {
        let extraction: Option<String> = self.col(row, 10)?;
        let detection: Option<String> = self.col(row, 11)?;
        let menus: Option<String> = self.col(row, 12)?;
        let seq: i64 = self.col(row, 0)?;
        let mut record = PageRecord {
            validators: None,
            alliance_id: self.col(row, 1)?,
            url: self.col(row, 2)?,
            final_url: self.col(row, 3)?,
            depth: self.col(row, 4)?,
            outcome: self.word(row, 5, "outcome")?,
            status: self.col(row, 6)?,
            content_type: self.col(row, 7)?,
            error: self.col(row, 8)?,
            fetched_at: self.col(row, 9)?,
            page: extraction
                .map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|e| self.corrupt(e))?,
            detection: detection
                .map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|e| self.corrupt(e))?,
        };
        if let (Some(page), Some(hashes)) = (record.page.as_mut(), menus) {
            self.complete_page(run_id, &record.alliance_id, seq, &hashes, page)?;
        }
        if let Some(detection) = record.detection.as_mut() {
            if detection.evidence.is_empty() {
                let url = record.page.as_ref().and_then(|p| p.url.clone());
                detection.evidence = self.evidence_of(run_id, seq, url)?;
            }
        }
        Ok((seq, record))
    }

    /// A page stored from schema version 5 on (see `schema.rs`): its navigation from
    /// the alliance's `menus` (`hashes` as in `pages.menus`), its headings from their rows.
    pub(super) fn complete_page(
        &self,
        run_id: &str,
        alliance_id: &str,
        seq: i64,
        hashes: &str,
        page: &mut Page,
    ) -> Result<(), StoreError> {
        page.navigation = Vec::new();
        for hash in hashes.split_ascii_whitespace() {
            let menu = self.map_row(
                "SELECT kind, label, items FROM menus
                 WHERE run_id = ?1 AND alliance_id = ?2 AND hash = ?3",
                args![run_id, alliance_id, hash],
                |row| {
                    let items: String = self.col(row, 2)?;
                    Ok(Menu {
                        kind: self.word(row, 0, "menu kind")?,
                        label: self.col(row, 1)?,
                        items: serde_json::from_str(&items).map_err(|e| self.corrupt(e))?,
                    })
                },
            )?;
            let menu = menu.ok_or_else(|| {
                self.corrupt(format!(
                    "a page lists menu {hash} of {alliance_id}, not stored"
                ))
            })?;
            page.navigation.push(menu);
        }
        page.headings = self.map_rows(
            "SELECT level, text FROM headings WHERE run_id = ?1 AND page_seq = ?2 ORDER BY position",
            args![run_id, seq],
            |row| {
                Ok(Heading {
                    level: self.col(row, 0)?,
                    text: self.col(row, 1)?,
                })
            },
        )?;
        Ok(())
    }

    /// The evidence rows of one page record, in detection order.
    pub(super) fn evidence_of(
        &self,
        run_id: &str,
        seq: i64,
        url: Option<String>,
    ) -> Result<Vec<Evidence>, StoreError> {
        self.map_rows(
            "SELECT topic, term, location, snippet, collaboration, level, weight, menu_kind, heading_level
             FROM evidence WHERE run_id = ?1 AND page_seq = ?2 ORDER BY position",
            args![run_id, seq],
            |row| {
                let menu_kind: Option<String> = self.col(row, 7)?;
                Ok(Evidence {
                    topic: self.col(row, 0)?,
                    term: self.col(row, 1)?,
                    location: self.word(row, 2, "location")?,
                    url: url.clone(),
                    snippet: self.col(row, 3)?,
                    collaboration: self.col(row, 4)?,
                    menu_kind: match menu_kind {
                        Some(_) => Some(self.word(row, 7, "menu kind")?),
                        None => None,
                    },
                    heading_level: self.col(row, 8)?,
                    level: self.word(row, 5, "level")?,
                    weight: self.col(row, 6)?,
                })
            },
        )
    }
}

/// Rows of one table read in chunks by sequence number, the lowest first.
struct Chunks {
    rows: VecDeque<(i64, CrawlEvent)>,
    /// The last sequence number read; `None` once the table is exhausted.
    after: Option<i64>,
}

impl Chunks {
    fn new() -> Chunks {
        Chunks {
            rows: VecDeque::new(),
            after: Some(-1),
        }
    }

    /// The next row's sequence number, reading the next chunk with `read` when needed.
    fn peek(
        &mut self,
        read: impl FnOnce(i64) -> Result<Vec<(i64, CrawlEvent)>, StoreError>,
    ) -> Result<Option<i64>, StoreError> {
        if self.rows.is_empty() {
            if let Some(after) = self.after {
                let chunk = read(after)?;
                self.after = if (chunk.len() as i64) < PAGE_ROWS {
                    None
                } else {
                    chunk.last().map(|(seq, _)| *seq)
                };
                self.rows.extend(chunk);
            }
        }
        Ok(self.rows.front().map(|(seq, _)| *seq))
    }

    fn pop(&mut self) -> Option<CrawlEvent> {
        self.rows.pop_front().map(|(_, event)| event)
    }
}
