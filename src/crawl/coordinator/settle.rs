//! Settling a batch: each visit's record, in the order the batch was taken, with what
//! it teaches the frontier (its links, its canonical, its duplicates), then the
//! sitemaps' URLs.

use std::sync::Arc;

use url::Url;

use super::Coordinator;
use crate::crawl::bulk::bulk_kind;
use crate::crawl::discovery::Source;
use crate::crawl::frontier::Entry;
use crate::crawl::normalize::normalize_str;
use crate::crawl::visit::Visit;
use crate::crawl::CrawlError;
use crate::detect::Detection;
use crate::record::{CrawlEvent, FoundBy, Outcome, PageRecord, SkipReason};

impl Coordinator {
    /// Settles the visits that are back, in the order the batch was taken, up to the
    /// first one still out. The frontier learns the same in the same order as when the
    /// whole batch is settled at its end, but the parsers need not wait meanwhile.
    pub(super) async fn settle_ready(&mut self) -> Result<(), CrawlError> {
        while let Some(slot) = self.batch.get_mut(self.settled) {
            let Some(visit) = slot.visit.take() else {
                break;
            };
            let entry = slot.entry.clone();
            self.settled += 1;
            self.visited(entry, visit);
            self.flush().await?;
        }
        Ok(())
    }

    /// Settles the rest of the batch in hand in the order it was taken, then the
    /// sitemaps.
    pub(super) async fn settle(&mut self) -> Result<(), CrawlError> {
        let settled = std::mem::take(&mut self.settled);
        for slot in std::mem::take(&mut self.batch).into_iter().skip(settled) {
            match slot.visit {
                Some(visit) => self.visited(slot.entry, visit),
                None => {
                    self.stats.cut_off += 1;
                    let record = self
                        .discovery
                        .entry_record(&slot.entry, SkipReason::Stopped);
                    self.discovery.skipped(record);
                }
            }
            self.flush().await?;
        }
        if let Some(seeds) = self.seeds.take() {
            for seed in &seeds {
                self.discovery.seed(seed);
            }
            self.flush().await?;
        }
        Ok(())
    }

    fn visited(&mut self, entry: Entry, visit: Visit) {
        if visit.requested {
            self.requested += 1;
        }
        let mut record = visit.record;
        let mut follow_links = record.outcome == Outcome::Ok;
        if record.final_url != record.url {
            let landed = Url::parse(&record.final_url).ok();
            let frontier = self.discovery.frontier();
            let is_duplicate = landed.is_some_and(|landed| !frontier.mark_seen(&landed));
            if is_duplicate && record.outcome == Outcome::Ok {
                let reason = format!(
                    "not counted: redirects to {}, already seen",
                    record.final_url
                );
                uncount(&mut record, reason);
                follow_links = false;
            }
        }
        let is_repeat = visit
            .content_hash
            .is_some_and(|hash| !self.contents.insert(hash));
        if is_repeat && record.detection.is_some() {
            uncount(
                &mut record,
                "not counted: same content as a page already read".into(),
            );
            follow_links = false;
        }
        let mut nofollow = false;
        if let Some(page) = record.page.as_ref() {
            let canonical = page.canonical.as_deref().and_then(normalize_str);
            nofollow = page.robots.nofollow;
            if page.robots.noindex {
                uncount(&mut record, "not counted: meta robots noindex".into());
            } else if let Some(canonical) = canonical {
                let elsewhere = canonical.as_str() != record.final_url;
                if elsewhere
                    && self.site.scope.allows(&canonical)
                    && !self.discovery.canonical(&canonical, &record.final_url)
                {
                    uncount(
                        &mut record,
                        format!("not counted: duplicate of canonical {canonical}"),
                    );
                }
            }
        }
        if let Some(reason) = SkipReason::of_outcome(record.outcome) {
            let skipped = self.discovery.entry_record(&entry, reason);
            self.discovery.skipped(skipped);
        }
        let source = Source {
            found_by: FoundBy::Link,
            found_on: Some(Arc::from(record.final_url.as_str())),
            relevant_page: record.detection.as_ref().is_some_and(has_content_evidence),
            bulk_page: bulk_kind(&entry.url).is_some(),
        };
        let depth = record.depth + 1;
        let links = record.page.as_ref().map_or(&[][..], |page| &page.links);
        if follow_links && !nofollow {
            for link in links {
                self.discovery.link(link, depth, &source);
            }
        } else if follow_links {
            for link in links {
                self.discovery.not_followed(link, depth, &source);
            }
        }
        // After what it led to: a run killed once the page is stored has its links
        // queued too, so a resume misses none.
        self.discovery.emit(CrawlEvent::Page(Box::new(record)));
    }
}

/// True when a page has evidence of its own, not only in the site-wide menus every
/// page repeats: its links are worth following sooner.
fn has_content_evidence(detection: &Detection) -> bool {
    detection
        .evidence
        .iter()
        .any(|evidence| !evidence.in_site_wide_menu())
}

/// Keeps an `ok` page's record but drops its detection, saying why.
fn uncount(record: &mut PageRecord, reason: String) {
    record.detection = None;
    record.error = Some(reason);
}
