//! The coordinator of one alliance's crawl: the single owner of its frontier.
//!
//! It fetches in **batches**: up to [`BATCH_SIZE`] URLs taken best first from the
//! frontier (stopping early at a URL worth much less than the batch's best, which
//! the better pages may outrank once read), visited by a bounded `JoinSet` of tasks, and, once all of them are back,
//! settled in the order they were taken (records sent, links offered). Only then is
//! the next batch taken. What a batch learns therefore reaches the frontier in the
//! same order whatever order the fetches finished in, so two crawls of one site (and
//! a crawl and its `replay`) read the same pages, at any concurrency. Politeness keeps
//! a host busy one request at a time anyway, so the pause at a batch's end costs
//! little. The sitemaps are read beside the first batch (the start URLs) and offered
//! after it, before the second batch is taken.
//!
//! Every result becomes a record on the event channel, whose bound is the crawl's
//! backpressure: a slow writer slows the crawl, it never grows memory.
//!
//! Decisions worth knowing:
//! - `max_pages` counts URLs we sent a request for (redirect hops and retries count
//!   once); robots-blocked, refused and trap URLs do not use it up. URLs still queued
//!   when it is spent are skipped with reason `max_pages` (`stopped` when the crawl
//!   was stopped) and counted in `AllianceFinished::cut_off`.
//! - A page that is a duplicate is still recorded `ok` (its menus and headings are
//!   real) but without a detection, so its evidence is not counted twice: when its
//!   redirect target or its `rel=canonical` URL was already seen, or its body is
//!   byte for byte one already read (`/a/` and `/a/index.html` are both fetched, as
//!   they may differ, and counted once when they do not). A canonical URL not seen
//!   yet is marked seen instead: the page stands for it, and it is not fetched.
//! - Meta robots `noindex`: recorded `ok` without a detection (we audit what the site
//!   publishes; a noindex page is one it does not). `nofollow`: its links are not
//!   followed (they are skipped with reason `nofollow` unless found elsewhere).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::{Id, JoinError, JoinSet};
use url::Url;

use super::bulk::bulk_kind;
use super::cache::CacheHandle;
use super::discovery::{Discovery, Source};
use super::fetch::Fetcher;
use super::frontier::Entry;
use super::normalize::{normalize, normalize_str};
use super::politeness::Politeness;
use super::record::{CrawlEvent, FoundBy, Outcome, PageRecord, SkipReason};
use super::resume::{Resume, ResumeSite};
use super::scope::Scope;
use super::seeds::{sitemap_seeds, Seed, MAX_SITEMAP_URLS};
use super::site::{timestamp, Documents, RobotsCache, Site};
use super::visit::{visit, Visit};
use super::CrawlError;
use crate::detect::{Detection, Detector, Location};
use crate::extract::MenuKind;

/// URLs taken from the frontier at a time (see the module docs); fixed, so the pages
/// read do not depend on the concurrency.
pub const BATCH_SIZE: usize = 16;

/// A batch stops at a URL worth this much less than its best: what the better pages
/// link to may outrank it, so it waits for the next batch.
const BATCH_SPREAD: i32 = 30;

/// One alliance, resolved from its config and the crawl's overrides.
#[derive(Debug, Clone)]
pub struct SitePlan {
    pub alliance_id: String,
    pub start_urls: Vec<Url>,
    pub allowed_hosts: Vec<String>,
    pub max_pages: usize,
    pub max_depth: usize,
    pub delay: Duration,
    pub concurrency_per_host: usize,
}

/// Counts for one alliance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllianceStats {
    pub pages_ok: usize,
    /// `http_error`, `timeout`, `too_large`, `redirect_loop`, `error`, `unreachable`.
    pub pages_failed: usize,
    pub pages_blocked: usize,
    /// `not_html`, `unreadable`, `out_of_scope`, `skipped_trap` (recorded ones).
    pub pages_skipped: usize,
    pub cut_off: usize,
    /// Pages whose host could not be reached.
    pub pages_unreachable: usize,
}

impl AllianceStats {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Ok => self.pages_ok += 1,
            Outcome::BlockedByRobots => self.pages_blocked += 1,
            Outcome::NotHtml | Outcome::Unreadable | Outcome::OutOfScope | Outcome::SkippedTrap => {
                self.pages_skipped += 1
            }
            Outcome::Unreachable => {
                self.pages_unreachable += 1;
                self.pages_failed += 1;
            }
            Outcome::HttpError
            | Outcome::Timeout
            | Outcome::TooLarge
            | Outcome::RedirectLoop
            | Outcome::Error => self.pages_failed += 1,
        }
    }
}

/// What the shared parts of a crawl give each alliance.
pub struct Shared {
    pub fetcher: Fetcher,
    pub detector: Arc<Detector>,
    pub events: mpsc::Sender<CrawlEvent>,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    /// Visit tasks open at once for this alliance.
    pub task_limit: usize,
    /// Where an interrupted run left off.
    pub resume: Option<Arc<Resume>>,
    pub http_cache: Option<CacheHandle>,
    pub documents: Documents,
}

enum TaskOutput {
    Visited(Box<Visit>),
    Seeds(Vec<Seed>),
}

/// One URL of the batch in hand, and its visit once back.
struct Slot {
    entry: Entry,
    visit: Option<Visit>,
    started: bool,
}

struct Coordinator {
    site: Arc<Site>,
    discovery: Discovery,
    tasks: JoinSet<TaskOutput>,
    batch: Vec<Slot>,
    /// Visit tasks in flight: their slot in the batch.
    visiting: HashMap<Id, usize>,
    /// The sitemap task is running.
    seeding: bool,
    /// Sitemap URLs read, to offer when the batch in hand is settled.
    seeds: Option<Vec<Seed>>,
    task_limit: usize,
    requested: usize,
    /// Body hashes of the `ok` pages read so far.
    contents: HashSet<u64>,
    stats: AllianceStats,
}

/// Crawls one alliance to the end (or until `stop`), sending its events.
pub async fn crawl_site(
    plan: SitePlan,
    shared: &Shared,
    mut stop: watch::Receiver<bool>,
) -> Result<AllianceStats, CrawlError> {
    let scope = Scope::new(plan.allowed_hosts.clone(), plan.max_pages, plan.max_depth);
    let site = Arc::new(Site {
        http_cache: shared.http_cache.clone(),
        alliance_id: plan.alliance_id.clone(),
        scope: scope.clone(),
        fetcher: shared.fetcher.clone(),
        politeness: Politeness::new(plan.delay, plan.concurrency_per_host),
        robots: RobotsCache::default(),
        detector: shared.detector.clone(),
        events: shared.events.clone(),
        max_body_bytes: shared.max_body_bytes,
        max_redirects: shared.max_redirects,
        documents: shared.documents.clone(),
    });
    send(
        &site.events,
        CrawlEvent::AllianceStarted {
            alliance_id: plan.alliance_id.clone(),
            started_at: timestamp(),
        },
    )
    .await?;
    let this_year = time::OffsetDateTime::now_utc().year();
    let mut coordinator = Coordinator {
        site: site.clone(),
        discovery: Discovery::new(&plan.alliance_id, scope, shared.detector.clone(), this_year),
        tasks: JoinSet::new(),
        batch: Vec::new(),
        visiting: HashMap::new(),
        seeding: false,
        seeds: None,
        task_limit: shared.task_limit.max(1),
        requested: 0,
        contents: HashSet::new(),
        stats: AllianceStats::default(),
    };
    let resumed = shared
        .resume
        .as_ref()
        .and_then(|resume| resume.sites.get(&plan.alliance_id));
    if let Some(resumed) = resumed {
        coordinator.resume_from(resumed);
    }
    for start in plan.start_urls.iter().filter_map(normalize) {
        coordinator.discovery.start(start);
    }
    coordinator.flush().await?;
    if plan.max_depth >= 1 && plan.max_pages > 0 && resumed.is_none() {
        let seeding_site = site.clone();
        let starts = plan.start_urls.clone();
        coordinator.tasks.spawn(async move {
            TaskOutput::Seeds(sitemap_seeds(&seeding_site, &starts, MAX_SITEMAP_URLS).await)
        });
        coordinator.seeding = true;
    }
    coordinator.run(&mut stop).await?;
    let stats = coordinator.stats;
    send(
        &site.events,
        CrawlEvent::AllianceFinished {
            alliance_id: plan.alliance_id,
            finished_at: timestamp(),
            cut_off: stats.cut_off,
        },
    )
    .await?;
    Ok(stats)
}

async fn send(events: &mpsc::Sender<CrawlEvent>, event: CrawlEvent) -> Result<(), CrawlError> {
    events
        .send(event)
        .await
        .map_err(|_| CrawlError::EventsClosed)
}

/// Resolves when `stop` holds `true`; never when its sender is gone.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    loop {
        if *stop.borrow_and_update() {
            return;
        }
        if stop.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl Coordinator {
    /// Starts from where an interrupted run left off: what it saw is not queued
    /// again, what it queued and did not decide is queued first.
    fn resume_from(&mut self, resumed: &ResumeSite) {
        let frontier = self.discovery.frontier();
        for (url, depth) in &resumed.queue {
            if let Ok(url) = Url::parse(url) {
                frontier.restore(url, *depth);
            }
        }
        for url in resumed.seen.iter().filter_map(|u| Url::parse(u).ok()) {
            frontier.mark_seen(&url);
        }
        self.requested = resumed.requested;
    }

    /// Sends what discovery produced, counting page records.
    async fn flush(&mut self) -> Result<(), CrawlError> {
        for event in self.discovery.take_events() {
            if let CrawlEvent::Page(record) = &event {
                self.stats.count(record.outcome);
            }
            send(&self.site.events, event).await?;
        }
        Ok(())
    }

    async fn run(&mut self, stop: &mut watch::Receiver<bool>) -> Result<(), CrawlError> {
        let mut stopping = *stop.borrow();
        if !stopping {
            self.take_batch();
        }
        loop {
            if !stopping {
                self.start_visits();
            }
            if self.tasks.is_empty() {
                if stopping {
                    break;
                }
                self.settle().await?;
                if !self.take_batch() {
                    break;
                }
                continue;
            }
            tokio::select! {
                biased;
                () = stopped(stop), if !stopping => {
                    tracing::info!(alliance = %self.site.alliance_id, "stopping");
                    stopping = true;
                    self.tasks.abort_all();
                }
                Some(joined) = self.tasks.join_next_with_id() => self.handle(joined),
            }
        }
        // What came back before a stop is still recorded; the rest is cut off.
        self.settle().await?;
        let reason = if stopping {
            SkipReason::Stopped
        } else {
            SkipReason::MaxPages
        };
        self.stats.cut_off += self.discovery.finish(reason);
        self.flush().await
    }

    /// Takes the next batch from the frontier, within the budget; false when there is
    /// nothing left to take.
    fn take_batch(&mut self) -> bool {
        let max_pages = self.site.scope.max_pages;
        let mut best = i32::MIN;
        while self.batch.len() < BATCH_SIZE && self.requested + self.batch.len() < max_pages {
            let floor = best.saturating_sub(BATCH_SPREAD);
            let Some(entry) = self.discovery.pop_if(|entry| entry.priority >= floor) else {
                break;
            };
            best = best.max(entry.priority);
            self.batch.push(Slot {
                entry,
                visit: None,
                started: false,
            });
        }
        !self.batch.is_empty()
    }

    /// Starts visits of the batch while the task limit allows.
    fn start_visits(&mut self) {
        for (index, slot) in self.batch.iter_mut().enumerate() {
            if self.visiting.len() >= self.task_limit {
                return;
            }
            if slot.started {
                continue;
            }
            slot.started = true;
            let site = self.site.clone();
            let (url, depth) = (slot.entry.url.clone(), slot.entry.depth);
            let handle = self
                .tasks
                .spawn(async move { TaskOutput::Visited(Box::new(visit(site, url, depth).await)) });
            self.visiting.insert(handle.id(), index);
        }
    }

    fn handle(&mut self, joined: Result<(Id, TaskOutput), JoinError>) {
        match joined {
            Ok((id, TaskOutput::Visited(visit))) => {
                if let Some(index) = self.visiting.remove(&id) {
                    self.batch[index].visit = Some(*visit);
                }
            }
            Ok((_, TaskOutput::Seeds(seeds))) => {
                self.seeding = false;
                self.seeds = Some(seeds);
            }
            Err(error) if error.is_cancelled() => {
                // Stopped mid-visit: not fetched; settled as cut off.
                if self.visiting.remove(&error.id()).is_none() {
                    self.seeding = false;
                }
            }
            Err(error) => {
                let Some(index) = self.visiting.remove(&error.id()) else {
                    self.seeding = false;
                    tracing::error!(%error, "sitemap task failed");
                    return;
                };
                let slot = &mut self.batch[index];
                tracing::error!(url = %slot.entry.url, %error, "visit task failed");
                slot.visit = Some(Visit::failed(
                    &self.site.alliance_id,
                    &slot.entry.url,
                    slot.entry.depth,
                    format!("internal error: {error}"),
                ));
            }
        }
    }

    /// Settles the batch in hand in the order it was taken, then the sitemaps.
    async fn settle(&mut self) -> Result<(), CrawlError> {
        for slot in std::mem::take(&mut self.batch) {
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
        if follow_links && !nofollow {
            for link in &visit.links {
                self.discovery.link(link, depth, &source);
            }
        } else if follow_links {
            for link in &visit.links {
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
    detection.evidence.iter().any(|evidence| {
        evidence.location != Location::Nav
            || !matches!(
                evidence.menu_kind,
                Some(MenuKind::Primary | MenuKind::Secondary | MenuKind::Footer)
            )
    })
}

/// Keeps an `ok` page's record but drops its detection, saying why.
fn uncount(record: &mut PageRecord, reason: String) {
    record.detection = None;
    record.error = Some(reason);
}
