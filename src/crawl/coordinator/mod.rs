//! The coordinator of one alliance's crawl: the single owner of its frontier.
//!
//! It fetches in **batches**: up to [`BATCH_SIZE`] URLs taken best first from the
//! frontier (stopping early at a URL worth much less than the batch's best, which
//! the better pages may outrank once read), visited by a bounded `JoinSet` of tasks,
//! and settled in the order they were taken (records sent, links offered), each as
//! soon as it and those before it are back. Once all are settled, the next batch is
//! taken. What a batch learns therefore reaches the frontier in the
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
//!   redirect target or its `rel=canonical` URL was already seen, or its content
//!   (title, description, headings, words, links) is one already read (`/a/` and
//!   `/a/index.html` are both fetched, as they may differ, and counted once when they
//!   do not). The content is judged on what is stored of a page, not its bytes, so a
//!   page reused from an earlier run (a 304) is judged as when it was downloaded and
//!   two runs count the same duplicates. A canonical URL not seen
//!   yet is marked seen instead: the page stands for it, and it is not fetched.
//! - Meta robots `noindex`: recorded `ok` without a detection (we audit what the site
//!   publishes; a noindex page is one it does not). `nofollow`: its links are not
//!   followed (they are skipped with reason `nofollow` unless found elsewhere).

use std::sync::Arc;

use hashbrown::{HashMap, HashSet};
use tokio::sync::{mpsc, watch};
use tokio::task::{Id, JoinError, JoinSet};
use url::Url;

mod settle;

use super::clock::timestamp;
use super::discovery::Discovery;
use super::frontier::Entry;
use super::normalize::normalize;
use super::plan::{AllianceStats, Shared, SitePlan};
use super::politeness::Politeness;
use super::scope::Scope;
use super::seeds::{sitemap_seeds, Seed, MAX_SITEMAP_URLS};
use super::site::{RobotsCache, Site};
use super::visit::{visit, Visit};
use super::CrawlError;
use crate::record::{CrawlEvent, ResumeSite, SkipReason};

/// URLs taken from the frontier at a time (see the module docs); fixed, so the pages
/// read do not depend on the concurrency. The crawl waits for a batch's slowest page,
/// so a batch must be long enough to keep the parsers busy meanwhile: 16 left cores
/// idle (about 620 pages/s on the benchmark site against 750–820 with 32; 64 gained
/// nothing more), while a shorter batch learns sooner what to read next.
pub const BATCH_SIZE: usize = 32;

/// A batch stops at a URL worth this much less than its best: what the better pages
/// link to may outrank it, so it waits for the next batch.
const BATCH_SPREAD: i32 = 30;

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
    /// Slots at the head of `batch` already settled.
    settled: usize,
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
        parsers: shared.parsers.clone(),
    });
    send(
        &site.events,
        CrawlEvent::AllianceStarted {
            alliance_id: plan.alliance_id.clone(),
            started_at: timestamp(),
        },
    )
    .await?;
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    let mut coordinator = Coordinator {
        site: site.clone(),
        discovery: Discovery::new(&plan.alliance_id, scope, shared.detector.clone(), this_year),
        tasks: JoinSet::new(),
        batch: Vec::new(),
        settled: 0,
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
                Some(joined) = self.tasks.join_next_with_id() => {
                    self.handle(joined);
                    self.settle_ready().await?;
                }
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
}
