//! The single writer of a run directory: consumes the crawl's event stream, streams
//! per-page rows to temp files, folds per-alliance state, and commits everything at
//! [`RunWriter::finish`].
//!
//! Memory is bounded by what is in flight, not by the size of the crawl: page, heading,
//! evidence and error rows go straight to disk; an alliance's navigation table and tally
//! are kept only until its `AllianceFinished` event, when its navigation rows are written
//! and its summary rows (a few per alliance) are kept for `summary.csv`, which is written
//! at the end in alliance id order.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::file::{write_json, PendingFile, Table};
use super::html::HtmlNotes;
use super::navigation::NavTable;
use super::rows::{
    ErrorRow, EvidenceExtra, EvidenceRow, HeadingRow, NavRow, PageRow, SkippedRow, SummaryExtra,
    SummaryRow,
};
use super::run::{RunInfo, RunTotals};
use crate::detect::{AllianceSummary, AllianceTally, Level};
use crate::record::{CrawlEvent, Outcome, PageRecord, RobotsRecord, SkippedRecord};

/// Writes one run directory. Call [`RunWriter::finish`] also when the crawl was
/// interrupted: it is what makes the files appear.
pub struct RunWriter {
    dir: PathBuf,
    run: RunInfo,
    summary: Table,
    pages: Table,
    navigation: Table,
    headings: Table,
    evidence: Table,
    errors: Table,
    skipped: Table,
    open: HashMap<String, OpenAlliance>,
    done: BTreeMap<String, DoneAlliance>,
    robots: Vec<RobotsRecord>,
    html: HtmlNotes,
    totals: RunTotals,
}

/// An alliance whose pages are still arriving.
struct OpenAlliance {
    started_at: Option<String>,
    tally: AllianceTally,
    navigation: NavTable,
}

/// An alliance whose summary is known.
struct DoneAlliance {
    started_at: Option<String>,
    finished_at: Option<String>,
    summaries: Vec<AllianceSummary>,
}

impl RunWriter {
    /// Create `dir` (and its parents) and the temp files of every report.
    pub fn create(dir: &Path, run: RunInfo) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(RunWriter {
            dir: dir.to_path_buf(),
            summary: Table::create::<SummaryRow>(dir, "summary")?,
            pages: Table::create::<PageRow>(dir, "pages")?,
            navigation: Table::create::<NavRow>(dir, "navigation")?,
            headings: Table::create::<HeadingRow>(dir, "headings")?,
            evidence: Table::create::<EvidenceRow>(dir, "evidence")?,
            errors: Table::create::<ErrorRow>(dir, "errors")?,
            skipped: Table::create::<SkippedRow>(dir, "skipped")?,
            run,
            open: HashMap::new(),
            done: BTreeMap::new(),
            robots: Vec::new(),
            html: HtmlNotes::default(),
            totals: RunTotals::default(),
        })
    }

    /// The run directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What changed for `alliance_id` since run `since`, one line of plain text per
    /// change, for `report.html` (escaped there). Call before [`RunWriter::finish`].
    pub fn changes(&mut self, alliance_id: &str, since: &str, lines: Vec<String>) {
        self.html.changes(alliance_id, since, lines);
    }

    /// `alliance_id`'s verdicts over its runs (this one included), for the timeline of
    /// `report.html`. Call before [`RunWriter::finish`]; without it, the page says
    /// there is no run database.
    pub fn history(&mut self, alliance_id: &str, points: Vec<super::TimelinePoint>) {
        self.html.history(alliance_id, points);
    }

    /// Record one event. An `Err` is an I/O failure of the run directory, which ends the run.
    pub fn handle(&mut self, event: &CrawlEvent) -> io::Result<()> {
        match event {
            CrawlEvent::AllianceStarted {
                alliance_id,
                started_at,
            } => {
                self.alliance(alliance_id).started_at = Some(started_at.clone());
                Ok(())
            }
            CrawlEvent::Page(record) => self.page(record),
            CrawlEvent::Robots(robots) => {
                self.robots.push(robots.clone());
                Ok(())
            }
            CrawlEvent::Skipped(record) => self.skip(record),
            CrawlEvent::Queued { .. } => Ok(()),
            CrawlEvent::AllianceFinished {
                alliance_id,
                finished_at,
                cut_off,
            } => {
                self.totals.pages_cut_off += cut_off;
                self.close(alliance_id, Some(finished_at.clone()), *cut_off)
            }
        }
    }

    /// Close alliances still open (an interrupted crawl), write `summary.csv`,
    /// `report.html` and `run.json`, and rename every file into place.
    pub fn finish(mut self, finished_at: &str, interrupted: bool) -> io::Result<RunTotals> {
        self.close_all()?;
        self.totals.alliances = self.done.len();
        self.totals.interrupted = interrupted;
        self.write_summary()?;
        for table in [
            self.summary,
            self.pages,
            self.navigation,
            self.headings,
            self.evidence,
            self.errors,
            self.skipped,
        ] {
            table.commit()?;
        }
        let mut html = PendingFile::create(&self.dir, "report.html")?;
        html.write_all(
            self.html
                .render(&self.run, finished_at, &self.totals)
                .as_bytes(),
        )?;
        html.commit()?;
        write_json(
            &self.dir,
            "run.json",
            &RunJson {
                run: &self.run,
                finished_at,
                interrupted,
                totals: &self.totals,
                robots: &self.robots,
            },
        )?;
        Ok(self.totals)
    }

    /// Close the alliances still open (their finish time stays empty), and give every
    /// configured alliance that sent nothing its `unknown` rows.
    fn close_all(&mut self) -> io::Result<()> {
        let mut open: Vec<String> = self.open.keys().cloned().collect();
        open.sort();
        for alliance_id in open {
            self.close(&alliance_id, None, 0)?;
        }
        for alliance_id in self.run.alliance_names.keys() {
            if !self.done.contains_key(alliance_id) {
                let tally = AllianceTally::new(alliance_id, &self.run.topics);
                let done = DoneAlliance {
                    started_at: None,
                    finished_at: None,
                    summaries: tally.finish(0),
                };
                self.done.insert(alliance_id.clone(), done);
            }
        }
        Ok(())
    }

    /// One `summary.csv` row per alliance (in id order) and topic.
    fn write_summary(&mut self) -> io::Result<()> {
        for (alliance_id, done) in std::mem::take(&mut self.done) {
            let name = self.run.alliance_names.get(&alliance_id);
            for s in done.summaries {
                self.html.summary(&s);
                let extra = SummaryExtra {
                    pages_cut_off: s.pages_cut_off,
                    pages_skipped: s.pages_skipped,
                    low_coverage: s.low_coverage(),
                    uncertain_absence: s.uncertain_absence(),
                    top_unread_relevant: s.top_unread_relevant.clone(),
                };
                let row = SummaryRow {
                    alliance_name: name.cloned().unwrap_or_else(|| alliance_id.clone()),
                    alliance_id: s.alliance_id,
                    topic: s.topic,
                    verdict: s.level,
                    score: s.score,
                    coverage: (s.coverage * 1000.0).round() / 1000.0,
                    pages_ok: s.pages_ok,
                    pages_failed: s.pages_failed,
                    pages_blocked: s.pages_blocked,
                    evidence_count: s.evidence_count,
                    first_evidence_url: s.first_evidence_url,
                    started_at: done.started_at.clone(),
                    finished_at: done.finished_at.clone(),
                    urls_known: s.urls_known,
                    urls_read: s.urls_read,
                    urls_skipped: s.urls_skipped,
                    unread_relevant: s.unread_relevant,
                };
                self.totals.summary.push(row.clone());
                self.summary.write_with(row, &extra)?;
            }
        }
        Ok(())
    }

    fn alliance(&mut self, alliance_id: &str) -> &mut OpenAlliance {
        let topics = &self.run.topics;
        self.open
            .entry(alliance_id.to_string())
            .or_insert_with(|| OpenAlliance {
                started_at: None,
                tally: AllianceTally::new(alliance_id, topics),
                navigation: NavTable::default(),
            })
    }

    fn close(
        &mut self,
        alliance_id: &str,
        finished_at: Option<String>,
        cut_off: usize,
    ) -> io::Result<()> {
        let open = match self.open.remove(alliance_id) {
            Some(open) => open,
            // A second `AllianceFinished`: the first one already wrote everything.
            None if self.done.contains_key(alliance_id) => return Ok(()),
            None => OpenAlliance {
                started_at: None,
                tally: AllianceTally::new(alliance_id, &self.run.topics),
                navigation: NavTable::default(),
            },
        };
        for row in open.navigation.into_rows(alliance_id) {
            self.totals.navigation_items += 1;
            self.html.navigation(&row);
            self.navigation.write(row)?;
        }
        self.done.insert(
            alliance_id.to_string(),
            DoneAlliance {
                started_at: open.started_at,
                finished_at,
                summaries: open.tally.finish(cut_off),
            },
        );
        Ok(())
    }

    fn skip(&mut self, record: &SkippedRecord) -> io::Result<()> {
        self.alliance(&record.alliance_id).tally.skip(record);
        self.totals.urls_skipped += 1;
        self.skipped.write(SkippedRow {
            alliance_id: record.alliance_id.clone(),
            url: record.url.clone(),
            reason: record.reason,
            found_by: record.found_by,
            found_on: record.found_on.clone(),
            depth: record.depth,
            priority: record.priority,
            relevant: record.relevant,
        })
    }

    fn page(&mut self, record: &PageRecord) -> io::Result<()> {
        let primary_topic = self.run.topics.first().cloned();
        let open = self.alliance(&record.alliance_id);
        open.tally.add(record);
        if let Some(page) = &record.page {
            open.navigation.add_page(page);
        }
        *self.totals.outcomes.entry(record.outcome).or_default() += 1;
        self.totals.pages += 1;

        let alliance_id = &record.alliance_id;
        let page = record.page.as_ref();
        let verdict = record.detection.as_ref().map(|d| {
            let chosen = match &primary_topic {
                Some(topic) => d.verdicts.iter().find(|v| &v.topic == topic),
                None => d.verdicts.first(),
            };
            chosen.map_or(Level::Absent, |v| v.level)
        });
        self.pages.write(PageRow {
            alliance_id: alliance_id.clone(),
            url: record.url.clone(),
            final_url: record.final_url.clone(),
            depth: record.depth,
            outcome: record.outcome,
            status: record.status,
            content_type: record.content_type.clone(),
            title: page.and_then(|p| p.title.clone()),
            lang: page.and_then(|p| p.lang.clone()),
            words: page.map(|p| p.words),
            headings: page.map(|p| p.headings.len()),
            nav_items: page.map(|p| p.navigation.iter().map(|m| m.items.len()).sum()),
            verdict,
            error: record.error.clone(),
        })?;
        for (i, heading) in page.map_or(&[][..], |p| &p.headings).iter().enumerate() {
            self.totals.headings += 1;
            self.headings.write(HeadingRow {
                alliance_id: alliance_id.clone(),
                url: record.final_url.clone(),
                position: i + 1,
                level: heading.level,
                text: heading.text.clone(),
            })?;
        }
        for e in record.detection.iter().flat_map(|d| &d.evidence) {
            self.totals.evidence += 1;
            self.html.evidence(alliance_id, &record.final_url, e);
            let extra = EvidenceExtra {
                level: e.level,
                weight: e.weight,
                menu_kind: e.menu_kind,
                heading_level: e.heading_level,
            };
            let row = EvidenceRow {
                alliance_id: alliance_id.clone(),
                topic: e.topic.clone(),
                url: record.final_url.clone(),
                location: e.location,
                term: e.term.clone(),
                collaboration: e.collaboration,
                snippet: e.snippet.clone(),
            };
            self.evidence.write_with(row, &extra)?;
        }
        if record.outcome != Outcome::Ok {
            self.totals.errors += 1;
            self.errors.write(ErrorRow {
                alliance_id: alliance_id.clone(),
                url: record.url.clone(),
                outcome: record.outcome,
                status: record.status,
                error: record.error.clone(),
            })?;
        }
        Ok(())
    }
}

/// The layout of `run.json`.
#[derive(Serialize)]
struct RunJson<'a> {
    #[serde(flatten)]
    run: &'a RunInfo,
    finished_at: &'a str,
    interrupted: bool,
    totals: &'a RunTotals,
    /// Each host's robots.txt as fetched.
    robots: &'a [RobotsRecord],
}
