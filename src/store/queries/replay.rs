//! A stored run replayed as the event stream it was written from: pages, skipped
//! URLs, robots.txt and alliance events merged back in their order.

use std::collections::BTreeMap;

use rusqlite::{params, Row};

use super::*;

impl Store {
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
    pub(super) fn evidence_of(
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
}
