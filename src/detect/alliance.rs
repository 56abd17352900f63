//! Per-alliance verdicts: the page verdicts of one site folded into one row per topic.
//!
//! The fold is incremental ([`AllianceTally::add`] per page record, then
//! [`AllianceTally::finish`]) so the single report writer can aggregate a crawl of any
//! size while holding only counters and a set of page URLs with evidence.
//!
//! "Not found" must never read as "not checked", so every verdict carries the
//! **coverage** of the site it was drawn from. Pages count as follows:
//!
//! | outcome | counted as |
//! |---|---|
//! | `ok` (an HTML page or a document read) | read |
//! | `http_error`, `timeout`, `too_large`, `redirect_loop`, `error`, `unreachable` | failed |
//! | `blocked_by_robots` | blocked |
//! | found in scope but never fetched because `max_pages` was reached | cut off |
//! | `not_html`, `unreadable`, `out_of_scope`, `skipped_trap` | skipped |
//!
//! Beside the pages, the crawl reports every URL of the site it knew of and did not
//! read, with a reason ([`SkippedRecord`]): sitemap entries, links beyond `max_depth`
//! or the budget, traps, robots-blocked and failed URLs alike. So
//! `urls_known = urls_read + urls_skipped`, and
//! `coverage = urls_read / urls_known`: the share of the site the verdict speaks for,
//! as far as the site made itself known. A run recorded before skipped URLs were kept
//! has none; its coverage is then `read / (read + failed + blocked + cut off)`, which
//! the new definition equals whenever nothing beyond those was skipped.
//!
//! The alliance verdict for a topic is the strongest page verdict (detection already
//! makes an h1/h2 on a page at depth ≤ 1 `leading`), except that it is `unknown` when no
//! page was read. An `absent` drawn from coverage below [`LOW_COVERAGE`] stays `absent`:
//! the coverage column beside it is what tells the reader how much of the site that
//! absence speaks for ([`AllianceSummary::low_coverage`]).

use std::collections::HashSet;

pub use super::summary::{AllianceSummary, LOW_COVERAGE, TOP_UNREAD};
use super::Level;
use crate::record::{Outcome, PageRecord, SkippedRecord};

/// Incremental aggregation of one alliance's page records.
#[derive(Debug, Clone)]
pub struct AllianceTally {
    alliance_id: String,
    pages_ok: usize,
    pages_failed: usize,
    pages_blocked: usize,
    pages_skipped: usize,
    urls_skipped: usize,
    unread_relevant: usize,
    /// The best unread relevant URLs so far: (priority, URL), best first.
    top_unread: Vec<(i32, String)>,
    topics: Vec<TopicTally>,
}

#[derive(Debug, Clone)]
struct TopicTally {
    topic: String,
    level: Level,
    best_score: u32,
    evidence_count: usize,
    /// Final URLs of pages with evidence outside menus (bounded by `max_pages`).
    content_pages: HashSet<String>,
    first_evidence_url: Option<String>,
}

impl TopicTally {
    fn new(topic: &str) -> Self {
        TopicTally {
            topic: topic.to_string(),
            level: Level::Absent,
            best_score: 0,
            evidence_count: 0,
            content_pages: HashSet::new(),
            first_evidence_url: None,
        }
    }
}

impl AllianceTally {
    /// A tally for `topics`, in the order their rows should appear. A topic seen only in
    /// page detections is added when first seen.
    pub fn new(alliance_id: &str, topics: &[String]) -> Self {
        AllianceTally {
            alliance_id: alliance_id.to_string(),
            pages_ok: 0,
            pages_failed: 0,
            pages_blocked: 0,
            pages_skipped: 0,
            urls_skipped: 0,
            unread_relevant: 0,
            top_unread: Vec::new(),
            topics: topics.iter().map(|t| TopicTally::new(t)).collect(),
        }
    }

    pub fn alliance_id(&self) -> &str {
        &self.alliance_id
    }

    /// Fold in one page record.
    pub fn add(&mut self, record: &PageRecord) {
        match record.outcome {
            Outcome::Ok => self.pages_ok += 1,
            Outcome::BlockedByRobots => self.pages_blocked += 1,
            Outcome::HttpError
            | Outcome::Timeout
            | Outcome::TooLarge
            | Outcome::RedirectLoop
            | Outcome::Error
            | Outcome::Unreachable => self.pages_failed += 1,
            Outcome::NotHtml | Outcome::Unreadable | Outcome::OutOfScope | Outcome::SkippedTrap => {
                self.pages_skipped += 1
            }
        }
        let Some(detection) = record.detection.as_ref() else {
            return;
        };
        let url = record.final_url.as_str();
        for verdict in &detection.verdicts {
            let tally = self.topic_mut(&verdict.topic);
            if verdict.level > tally.level {
                tally.level = verdict.level;
                tally.first_evidence_url = Some(url.to_string());
            }
            tally.best_score = tally.best_score.max(verdict.score);
        }
        for evidence in &detection.evidence {
            let tally = self.topic_mut(&evidence.topic);
            tally.evidence_count += 1;
            if !evidence.in_site_wide_menu() && !tally.content_pages.contains(url) {
                tally.content_pages.insert(url.to_string());
            }
        }
    }

    /// Fold in one URL known and not read.
    pub fn skip(&mut self, record: &SkippedRecord) {
        self.urls_skipped += 1;
        if !record.relevant {
            return;
        }
        self.unread_relevant += 1;
        let entry = (record.priority, record.url.clone());
        let at = self.top_unread.partition_point(|(p, url)| {
            (*p, std::cmp::Reverse(url)) > (entry.0, std::cmp::Reverse(&entry.1))
        });
        if at < TOP_UNREAD {
            self.top_unread.insert(at, entry);
            self.top_unread.truncate(TOP_UNREAD);
        }
    }

    /// One summary per topic. `cut_off` is how many in-scope URLs `max_pages` left unfetched.
    pub fn finish(self, cut_off: usize) -> Vec<AllianceSummary> {
        let legacy = self.pages_ok + self.pages_failed + self.pages_blocked + cut_off;
        let known = (self.pages_ok + self.urls_skipped).max(legacy);
        let coverage = if known == 0 {
            0.0
        } else {
            self.pages_ok as f64 / known as f64
        };
        let top_unread: Vec<String> = self.top_unread.iter().map(|(_, url)| url.clone()).collect();
        self.topics
            .into_iter()
            .map(|t| {
                let read = self.pages_ok > 0;
                AllianceSummary {
                    alliance_id: self.alliance_id.clone(),
                    level: if read { t.level } else { Level::Unknown },
                    score: if read {
                        t.best_score + t.content_pages.len() as u32
                    } else {
                        0
                    },
                    coverage,
                    pages_ok: self.pages_ok,
                    pages_failed: self.pages_failed,
                    pages_blocked: self.pages_blocked,
                    pages_cut_off: cut_off,
                    pages_skipped: self.pages_skipped,
                    urls_known: known,
                    urls_read: self.pages_ok,
                    urls_skipped: known - self.pages_ok,
                    unread_relevant: self.unread_relevant,
                    top_unread_relevant: top_unread.clone(),
                    evidence_count: t.evidence_count,
                    first_evidence_url: t.first_evidence_url,
                    topic: t.topic,
                }
            })
            .collect()
    }

    fn topic_mut(&mut self, topic: &str) -> &mut TopicTally {
        let index = match self.topics.iter().position(|t| t.topic == topic) {
            Some(index) => index,
            None => {
                self.topics.push(TopicTally::new(topic));
                self.topics.len() - 1
            }
        };
        &mut self.topics[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Detection, Evidence, Location, Verdict};
    use crate::extract::MenuKind;

    const TOPIC: &str = "library-collaboration";

    fn record(url: &str, outcome: Outcome, detection: Option<Detection>) -> PageRecord {
        PageRecord {
            validators: None,
            alliance_id: "leru".into(),
            url: url.into(),
            final_url: url.into(),
            depth: 1,
            outcome,
            status: Some(200),
            content_type: None,
            error: None,
            fetched_at: "2026-01-01T00:00:00Z".into(),
            page: None,
            detection,
        }
    }

    fn evidence(location: Location, menu_kind: Option<MenuKind>, level: Level) -> Evidence {
        Evidence {
            topic: TOPIC.into(),
            term: "libraries".into(),
            location,
            url: None,
            snippet: "Libraries".into(),
            collaboration: false,
            menu_kind,
            heading_level: None,
            level,
            weight: 1,
        }
    }

    fn detection(level: Level, score: u32, evidence: Vec<Evidence>) -> Option<Detection> {
        Some(Detection {
            evidence,
            verdicts: vec![Verdict {
                topic: TOPIC.into(),
                level,
                score,
            }],
        })
    }

    fn tally() -> AllianceTally {
        AllianceTally::new("leru", &[TOPIC.to_string()])
    }

    #[test]
    fn verdict_is_the_strongest_page_and_points_at_its_first_page() {
        let mut t = tally();
        t.add(&record(
            "http://a/",
            Outcome::Ok,
            detection(Level::Absent, 0, vec![]),
        ));
        let body = evidence(Location::Body, None, Level::Mentioned);
        t.add(&record(
            "http://a/news/",
            Outcome::Ok,
            detection(Level::Mentioned, 1, vec![body]),
        ));
        let head = evidence(Location::Heading, None, Level::Present);
        t.add(&record(
            "http://a/groups/",
            Outcome::Ok,
            detection(Level::Present, 3, vec![head.clone()]),
        ));
        t.add(&record(
            "http://a/groups/x/",
            Outcome::Ok,
            detection(Level::Present, 3, vec![head]),
        ));
        let [s] = t.finish(0).try_into().unwrap();
        assert_eq!(s.level, Level::Present);
        assert_eq!(s.first_evidence_url.as_deref(), Some("http://a/groups/"));
        assert_eq!(s.evidence_count, 3);
        // best page (3) + three distinct pages with their own evidence
        assert_eq!(s.score, 6);
        assert_eq!(s.coverage, 1.0);
    }

    #[test]
    fn a_repeated_primary_menu_item_is_counted_once() {
        let mut t = tally();
        for i in 0..30 {
            let nav = evidence(Location::Nav, Some(MenuKind::Primary), Level::Leading);
            t.add(&record(
                &format!("http://a/{i}/"),
                Outcome::Ok,
                detection(Level::Leading, 5, vec![nav]),
            ));
        }
        let [s] = t.finish(0).try_into().unwrap();
        assert_eq!(s.level, Level::Leading);
        assert_eq!(s.score, 5);
        assert_eq!(s.evidence_count, 30);
        assert_eq!(s.first_evidence_url.as_deref(), Some("http://a/0/"));
    }

    #[test]
    fn coverage_counts_failed_blocked_and_cut_off_but_not_skips() {
        let mut t = tally();
        t.add(&record(
            "http://a/",
            Outcome::Ok,
            detection(Level::Absent, 0, vec![]),
        ));
        t.add(&record("http://a/x", Outcome::HttpError, None));
        t.add(&record("http://a/y", Outcome::BlockedByRobots, None));
        t.add(&record("http://a/z.pdf", Outcome::NotHtml, None));
        t.add(&record("http://b/", Outcome::OutOfScope, None));
        t.add(&record("http://a/cal?m=1", Outcome::SkippedTrap, None));
        let [s] = t.finish(1).try_into().unwrap();
        assert_eq!(s.level, Level::Absent);
        assert_eq!(
            (s.pages_ok, s.pages_failed, s.pages_blocked, s.pages_cut_off),
            (1, 1, 1, 1)
        );
        assert_eq!(s.pages_skipped, 3);
        assert_eq!(s.coverage, 0.25);
        assert!(s.low_coverage());
        assert_eq!(s.first_evidence_url, None);
    }

    #[test]
    fn nothing_read_is_unknown_not_absent() {
        let mut t = tally();
        t.add(&record("http://a/", Outcome::Timeout, None));
        let [s] = t.finish(0).try_into().unwrap();
        assert_eq!(s.level, Level::Unknown);
        assert_eq!(s.coverage, 0.0);

        let [s] = tally().finish(0).try_into().unwrap();
        assert_eq!(s.level, Level::Unknown);
        assert_eq!((s.pages_ok, s.coverage), (0, 0.0));
    }

    #[test]
    fn topics_seen_only_in_pages_are_added_after_configured_ones() {
        let mut t = tally();
        let mut d = detection(Level::Absent, 0, vec![]).unwrap();
        d.verdicts.push(Verdict {
            topic: "museums".into(),
            level: Level::Mentioned,
            score: 1,
        });
        t.add(&record("http://a/", Outcome::Ok, Some(d)));
        let rows = t.finish(0);
        let topics: Vec<_> = rows.iter().map(|r| r.topic.as_str()).collect();
        assert_eq!(topics, [TOPIC, "museums"]);
        assert_eq!(rows[1].level, Level::Mentioned);
    }
}
