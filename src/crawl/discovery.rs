//! Discovery: every URL one alliance's crawl learns of, from start URLs, links,
//! sitemaps and canonical tags, and what becomes of it: scored and queued in the
//! frontier, or set aside with a [`SkipReason`]. Synchronous and owned by the
//! coordinator; it returns the events to send rather than sending them.
//!
//! The accounting rule: a URL on the alliance's hosts that the crawl knew of is
//! either read (an `ok` page record) or gets exactly one [`SkippedRecord`]. Links to
//! other hosts are not part of the site and are not counted.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::sync::Arc;

use url::Url;

use super::clock::timestamp;
use super::frontier::{Entry, Frontier, Offered};
use super::normalize::normalize_str;
use super::priority::{Candidate, Scorer};
use super::scope::Scope;
use super::seeds::Seed;
use super::trap::TrapGuard;
use crate::detect::Detector;
use crate::extract::Link;
use crate::record::{CrawlEvent, FoundBy, Outcome, PageRecord, SkipReason, SkippedRecord};

/// `skipped_trap` page records written per alliance, at most (every trap URL still
/// gets its skipped row).
const MAX_TRAP_RECORDS: usize = 200;

/// How a link was found, for the records of what it became.
#[derive(Debug, Clone)]
pub struct Source {
    pub found_by: FoundBy,
    pub found_on: Option<Arc<str>>,
    /// The page it was found on had evidence of a topic.
    pub relevant_page: bool,
    /// The page it was found on is bulk (an archive page, a tag list).
    pub bulk_page: bool,
}

pub struct Discovery {
    alliance_id: String,
    scope: Scope,
    detector: Arc<Detector>,
    frontier: Frontier,
    scorer: Scorer,
    traps: TrapGuard,
    trap_records: usize,
    /// Known but not followed (too deep, or only on `nofollow` pages): recorded at
    /// the end unless a followable link queued them meanwhile.
    set_aside: Vec<SkippedRecord>,
    set_aside_urls: HashSet<String>,
    events: Vec<CrawlEvent>,
    /// Hashes of links whose fate is settled for good: off the site, or read (seen
    /// and no longer queued). A site's menus link the same pages from every page, and
    /// these links are passed over without being parsed and normalised again. Like
    /// the frontier's seen set, a 64-bit hash stands for the text.
    settled_links: hashbrown::HashSet<u64>,
    link_hasher: hashbrown::DefaultHashBuilder,
}

impl Discovery {
    pub fn new(alliance_id: &str, scope: Scope, detector: Arc<Detector>, this_year: i32) -> Self {
        // A quarter of the budget for the start pages and the menus' targets.
        let breadth_quota = (scope.max_pages / 4).max(1);
        Discovery {
            alliance_id: alliance_id.to_string(),
            scope,
            detector,
            frontier: Frontier::new(breadth_quota),
            scorer: Scorer::new(this_year),
            traps: TrapGuard::new(this_year),
            trap_records: 0,
            set_aside: Vec::new(),
            set_aside_urls: HashSet::new(),
            events: Vec::new(),
            settled_links: hashbrown::HashSet::new(),
            link_hasher: hashbrown::DefaultHashBuilder::default(),
        }
    }

    /// The events produced since the last call, in order.
    pub fn take_events(&mut self) -> Vec<CrawlEvent> {
        std::mem::take(&mut self.events)
    }

    pub fn frontier(&mut self) -> &mut Frontier {
        &mut self.frontier
    }

    /// A start URL: the user's choice, so no scope or trap check.
    pub fn start(&mut self, url: Url) {
        let entry = Entry {
            url,
            depth: 0,
            priority: 1000,
            breadth: true,
            found_by: FoundBy::Start,
            found_on: None,
            relevant: false,
        };
        self.queue(entry);
    }

    /// A link found on a page at `depth - 1`.
    pub fn link(&mut self, link: &Link, depth: usize, source: &Source) {
        let link_id = self.link_hasher.hash_one(link.href.as_str());
        if self.settled_links.contains(&link_id) {
            return;
        }
        let Some(url) = self.in_scope(&link.href) else {
            self.settled_links.insert(link_id);
            return;
        };
        // Read already: nothing a link to it says changes anything (a record set aside
        // for its depth would be dropped at the end, as it was read).
        if self.frontier.is_read(&url) {
            self.settled_links.insert(link_id);
            return;
        }
        let candidate = Candidate {
            url: &url,
            hint: &link.hint,
            menu: link.menu,
            depth,
            found_by: source.found_by,
            from_relevant_page: source.relevant_page,
            from_bulk_page: source.bulk_page,
            lastmod_year: None,
        };
        if !self.scope.allows_depth(depth) {
            let scored = self.scorer.score(&self.detector, &candidate, false);
            let record = self.record(
                &url,
                SkipReason::MaxDepth,
                depth,
                source,
                scored.priority,
                scored.relevant,
            );
            self.set_aside(record);
            return;
        }
        self.consider(&url, &candidate, source);
    }

    /// A link on a page whose meta robots say `nofollow`: known, not followed.
    pub fn not_followed(&mut self, link: &Link, depth: usize, source: &Source) {
        let Some(url) = self.in_scope(&link.href) else {
            return;
        };
        let relevant = self.detector.relevance(&link.hint).topic;
        let record = self.record(&url, SkipReason::Nofollow, depth, source, 0, relevant);
        self.set_aside(record);
    }

    /// A URL a sitemap lists. It has no link distance of its own: it is placed at
    /// its path's depth (at least 2, the start page's links being 1), so sitemaps
    /// never outrank what the pages link to.
    pub fn seed(&mut self, seed: &Seed) {
        if self.scope.max_depth == 0 {
            return;
        }
        let Some(url) = self.in_scope(&seed.url) else {
            return;
        };
        let segments = url
            .path_segments()
            .map_or(0, |s| s.filter(|s| !s.is_empty()).count());
        let depth = segments
            .clamp(2, self.scope.max_depth.max(2))
            .min(self.scope.max_depth);
        let source = Source {
            found_by: FoundBy::Sitemap,
            found_on: Some(seed.sitemap.clone()),
            relevant_page: false,
            bulk_page: false,
        };
        let candidate = Candidate {
            url: &url,
            hint: "",
            menu: None,
            depth,
            found_by: FoundBy::Sitemap,
            from_relevant_page: false,
            from_bulk_page: false,
            lastmod_year: seed.lastmod_year,
        };
        self.consider(&url, &candidate, &source);
    }

    /// A page's `rel=canonical` URL: when not seen yet, the page stands for it and it
    /// is not fetched. False when it was seen (queued or read) already.
    pub fn canonical(&mut self, url: &Url, found_on: &str) -> bool {
        if !self.frontier.mark_seen(url) {
            return false;
        }
        let source = Source {
            found_by: FoundBy::Canonical,
            found_on: Some(Arc::from(found_on)),
            relevant_page: false,
            bulk_page: false,
        };
        let record = self.record(url, SkipReason::Duplicate, 0, &source, 0, false);
        self.skipped(record);
        true
    }

    /// The next URL to fetch, when it passes `wanted`.
    pub fn pop_if(&mut self, wanted: impl Fn(&Entry) -> bool) -> Option<Entry> {
        self.frontier.pop_if(wanted)
    }

    /// Ends discovery: every URL still queued is skipped for `reason` (`max_pages`,
    /// or `stopped`), best first, then what was set aside and never queued. Returns
    /// how many were still queued.
    pub fn finish(&mut self, reason: SkipReason) -> usize {
        let left = self.frontier.drain();
        let count = left.len();
        for entry in left {
            let record = self.entry_record(&entry, reason);
            self.skipped(record);
        }
        for record in std::mem::take(&mut self.set_aside) {
            let url = Url::parse(&record.url).ok();
            if url.is_some_and(|url| !self.frontier.is_seen(&url)) {
                self.skipped(record);
            }
        }
        count
    }

    /// The skipped row of a URL taken from the frontier and not read.
    pub fn entry_record(&self, entry: &Entry, reason: SkipReason) -> SkippedRecord {
        SkippedRecord {
            alliance_id: self.alliance_id.clone(),
            url: entry.url.to_string(),
            reason,
            found_by: entry.found_by,
            found_on: entry.found_on.as_deref().map(str::to_string),
            depth: entry.depth,
            priority: entry.priority,
            relevant: entry.relevant,
        }
    }

    /// Adds an event of the caller's (a page record) in its place in the stream.
    pub fn emit(&mut self, event: CrawlEvent) {
        self.events.push(event);
    }

    /// Records `record` as skipped now.
    pub fn skipped(&mut self, record: SkippedRecord) {
        self.events.push(CrawlEvent::Skipped(Box::new(record)));
    }

    fn in_scope(&self, href: &str) -> Option<Url> {
        normalize_str(href).filter(|url| self.scope.allows(url))
    }

    /// Queues a URL, raises it, or (first seen, a trap) skips it.
    fn consider(&mut self, url: &Url, candidate: &Candidate, source: &Source) {
        if self.frontier.is_read(url) {
            return;
        }
        let first = !self.frontier.is_seen(url);
        let scored = self.scorer.score(&self.detector, candidate, first);
        if first {
            if let Err(trap) = self.traps.check(url) {
                self.frontier.mark_seen(url);
                let record = self.record(
                    url,
                    SkipReason::Trap,
                    candidate.depth,
                    source,
                    scored.priority,
                    scored.relevant,
                );
                self.trapped(record, trap.to_string());
                return;
            }
        }
        self.queue(Entry {
            url: url.clone(),
            depth: candidate.depth,
            priority: scored.priority,
            breadth: scored.menu_target,
            found_by: source.found_by,
            found_on: source.found_on.clone(),
            relevant: scored.relevant,
        });
    }

    fn queue(&mut self, entry: Entry) {
        let event = CrawlEvent::Queued {
            alliance_id: self.alliance_id.clone(),
            url: entry.url.to_string(),
            depth: entry.depth,
        };
        if self.frontier.offer(entry) != Offered::Known {
            self.events.push(event);
        }
    }

    fn trapped(&mut self, record: SkippedRecord, trap: String) {
        if self.trap_records < MAX_TRAP_RECORDS {
            self.trap_records += 1;
            self.events.push(CrawlEvent::Page(Box::new(PageRecord {
                alliance_id: self.alliance_id.clone(),
                url: record.url.clone(),
                final_url: record.url.clone(),
                depth: record.depth,
                outcome: Outcome::SkippedTrap,
                status: None,
                content_type: None,
                error: Some(trap),
                fetched_at: timestamp(),
                page: None,
                detection: None,
                validators: None,
            })));
        }
        self.skipped(record);
    }

    fn set_aside(&mut self, record: SkippedRecord) {
        let seen = Url::parse(&record.url).is_ok_and(|url| self.frontier.is_seen(&url));
        if !seen && self.set_aside_urls.insert(record.url.clone()) {
            self.set_aside.push(record);
        }
    }

    fn record(
        &self,
        url: &Url,
        reason: SkipReason,
        depth: usize,
        source: &Source,
        priority: i32,
        relevant: bool,
    ) -> SkippedRecord {
        SkippedRecord {
            alliance_id: self.alliance_id.clone(),
            url: url.to_string(),
            reason,
            found_by: source.found_by,
            found_on: source.found_on.as_deref().map(str::to_string),
            depth,
            priority,
            relevant,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Topics;

    fn source() -> Source {
        Source {
            found_by: FoundBy::Link,
            found_on: Some(Arc::from("https://e.org/")),
            relevant_page: false,
            bulk_page: false,
        }
    }

    /// Links to a page already read, or off the site, are passed over from then on
    /// (no record, no event, not even for a link too deep to follow).
    #[test]
    fn links_whose_fate_is_settled_are_passed_over() {
        let scope = Scope::new(["e.org".to_string()], 100, 5);
        let detector = Arc::new(Detector::new(&Topics::bundled()));
        let mut discovery = Discovery::new("x", scope, detector, 2026);
        discovery.link(&Link::new("https://e.org/a"), 1, &source());
        assert!(matches!(
            discovery.take_events()[..],
            [CrawlEvent::Queued { .. }]
        ));
        let read = discovery.pop_if(|_| true).expect("the link was queued");
        assert_eq!(read.url.as_str(), "https://e.org/a");

        discovery.link(&Link::new("https://e.org/a"), 1, &source());
        discovery.link(&Link::new("https://e.org/a"), 9, &source());
        discovery.link(&Link::new("https://other.org/b"), 1, &source());
        assert!(discovery.take_events().is_empty());
        assert_eq!(discovery.settled_links.len(), 2);
        assert_eq!(discovery.finish(SkipReason::MaxPages), 0);
        assert!(discovery.take_events().is_empty());
    }
}
