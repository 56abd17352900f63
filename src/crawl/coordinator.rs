//! The coordinator of one alliance's crawl: the single owner of its frontier.
//!
//! It hands URLs, shallowest first, to a bounded `JoinSet` of visit tasks and reads
//! their results back; only it queues links, dedupes, and counts, so none of that
//! needs a lock. Every result becomes a record on the event channel, whose bound is
//! the crawl's backpressure: a slow writer slows the crawl, it never grows memory.
//!
//! Decisions worth knowing:
//! - `max_pages` counts URLs we sent a request for (redirect hops and retries count
//!   once); robots-blocked, refused and trap URLs do not use it up. URLs still queued
//!   when it is spent, found later, or still in flight when a stop arrives, are
//!   counted in `AllianceFinished::cut_off`.
//! - A page that is a duplicate is still recorded `ok` (its menus and headings are
//!   real) but without a detection, so its evidence is not counted twice: when its
//!   redirect target or its `rel=canonical` URL was already seen, or its body is
//!   byte for byte one already read (`/a/` and `/a/index.html` are both fetched, as
//!   they may differ, and counted once when they do not). A canonical URL not seen
//!   yet is marked seen instead: the page stands for it, and it is not fetched.
//! - Meta robots `noindex`: recorded `ok` without a detection (we audit what the site
//!   publishes; a noindex page is one it does not). `nofollow`: its links are not
//!   followed.
//! - `skipped_trap` records are capped per alliance; beyond the cap they are only
//!   counted, so a trap cannot flood the reports.
//! - Level by level: no URL of depth `d` starts while a visit of a lower depth is in
//!   flight, nor one of depth ≥ 1 while the sitemaps are still being read. A page's
//!   depth is then its link distance from the start, whatever order fetches finish
//!   in, so two crawls of one site (and a crawl and its `replay`) agree. Politeness
//!   keeps a host busy one request at a time anyway, so the pause at each level's end
//!   costs little.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::{Id, JoinError, JoinSet};
use url::Url;

use super::cache::CacheHandle;
use super::fetch::Fetcher;
use super::frontier::Frontier;
use super::normalize::{normalize, normalize_str};
use super::politeness::Politeness;
use super::record::{CrawlEvent, Outcome, PageRecord};
use super::resume::{Resume, ResumeSite};
use super::scope::Scope;
use super::seeds::sitemap_seeds;
use super::site::{timestamp, RobotsCache, Site};
use super::trap::{Trap, TrapGuard};
use super::visit::{visit, Visit};
use super::CrawlError;
use crate::detect::Detector;

/// `skipped_trap` records written per alliance, at most.
const MAX_TRAP_RECORDS: usize = 200;
/// Sitemap URLs taken per alliance, at most.
const MAX_SITEMAP_SEEDS: usize = 50_000;

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
    /// `http_error`, `timeout`, `too_large`, `redirect_loop`, `error`.
    pub pages_failed: usize,
    pub pages_blocked: usize,
    /// `not_html`, `out_of_scope`, `skipped_trap` (recorded or not).
    pub pages_skipped: usize,
    pub cut_off: usize,
}

impl AllianceStats {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Ok => self.pages_ok += 1,
            Outcome::BlockedByRobots => self.pages_blocked += 1,
            Outcome::NotHtml | Outcome::OutOfScope | Outcome::SkippedTrap => {
                self.pages_skipped += 1
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
}

enum TaskOutput {
    Visited(Box<Visit>),
    Seeds(Vec<String>),
}

struct Coordinator {
    site: Arc<Site>,
    frontier: Frontier,
    traps: TrapGuard,
    tasks: JoinSet<TaskOutput>,
    /// Visit tasks in flight, to record a URL whose task panicked.
    visiting: HashMap<Id, (Url, usize)>,
    /// The sitemap task is still running (its URLs will be depth 1).
    seeding: bool,
    task_limit: usize,
    requested: usize,
    trap_records: usize,
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
    let site = Arc::new(Site {
        http_cache: shared.http_cache.clone(),
        alliance_id: plan.alliance_id.clone(),
        scope: Scope::new(plan.allowed_hosts.clone(), plan.max_pages, plan.max_depth),
        fetcher: shared.fetcher.clone(),
        politeness: Politeness::new(plan.delay, plan.concurrency_per_host),
        robots: RobotsCache::default(),
        detector: shared.detector.clone(),
        events: shared.events.clone(),
        max_body_bytes: shared.max_body_bytes,
        max_redirects: shared.max_redirects,
    });
    send(
        &site.events,
        CrawlEvent::AllianceStarted {
            alliance_id: plan.alliance_id.clone(),
            started_at: timestamp(),
        },
    )
    .await?;
    let mut coordinator = Coordinator {
        site: site.clone(),
        frontier: Frontier::new(),
        traps: TrapGuard::for_today(),
        tasks: JoinSet::new(),
        visiting: HashMap::new(),
        seeding: false,
        task_limit: shared.task_limit.max(1),
        requested: 0,
        trap_records: 0,
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
        // Start URLs are the user's choice: no scope or trap check.
        if coordinator.frontier.mark_seen(&start) {
            coordinator.queue(start, 0).await?;
        }
    }
    if plan.max_depth >= 1 && plan.max_pages > 0 {
        let seeding_site = site.clone();
        let starts = plan.start_urls.clone();
        let max_seeds = MAX_SITEMAP_SEEDS.min(plan.max_pages.saturating_mul(4).max(1000));
        coordinator.tasks.spawn(async move {
            TaskOutput::Seeds(sitemap_seeds(&seeding_site, &starts, max_seeds).await)
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
        for url in resumed.seen.iter().filter_map(|u| Url::parse(u).ok()) {
            self.frontier.mark_seen(&url);
        }
        for (url, depth) in &resumed.queue {
            if let Ok(url) = Url::parse(url) {
                self.frontier.mark_seen(&url);
                self.frontier.push(url, *depth);
            }
        }
        self.requested = resumed.requested;
    }

    /// Queues `url` (marked seen by the caller) and tells the writer, so a resumed
    /// run knows it.
    async fn queue(&mut self, url: Url, depth: usize) -> Result<(), CrawlError> {
        let event = CrawlEvent::Queued {
            alliance_id: self.site.alliance_id.clone(),
            url: url.to_string(),
            depth,
        };
        self.frontier.push(url, depth);
        send(&self.site.events, event).await
    }

    async fn run(&mut self, stop: &mut watch::Receiver<bool>) -> Result<(), CrawlError> {
        let mut stopping = *stop.borrow();
        if stopping {
            self.tasks.abort_all();
        }
        loop {
            if !stopping {
                self.dispatch();
            }
            if self.tasks.is_empty() {
                break;
            }
            tokio::select! {
                biased;
                () = stopped(stop), if !stopping => {
                    tracing::info!(alliance = %self.site.alliance_id, "stopping");
                    stopping = true;
                    self.tasks.abort_all();
                }
                Some(joined) = self.tasks.join_next_with_id() => self.handle(joined).await?,
            }
        }
        self.stats.cut_off += self.frontier.len();
        Ok(())
    }

    /// Starts visits while the budget and the task limit allow.
    fn dispatch(&mut self) {
        while self.visiting.len() < self.task_limit
            && self.requested + self.visiting.len() < self.site.scope.max_pages
        {
            let Some(next_depth) = self.frontier.next_depth() else {
                return;
            };
            let lower_in_flight = self.visiting.values().any(|(_, depth)| *depth < next_depth);
            if lower_in_flight || (self.seeding && next_depth >= 1) {
                return;
            }
            let Some((url, depth)) = self.frontier.pop() else {
                return;
            };
            let site = self.site.clone();
            let task_url = url.clone();
            let handle = self.tasks.spawn(async move {
                TaskOutput::Visited(Box::new(visit(site, task_url, depth).await))
            });
            self.visiting.insert(handle.id(), (url, depth));
        }
    }

    async fn handle(
        &mut self,
        joined: Result<(Id, TaskOutput), JoinError>,
    ) -> Result<(), CrawlError> {
        match joined {
            Ok((id, TaskOutput::Visited(visit))) => {
                self.visiting.remove(&id);
                self.visited(*visit).await
            }
            Ok((_, TaskOutput::Seeds(seeds))) => {
                self.seeding = false;
                for seed in seeds {
                    self.offer(&seed, 1).await?;
                }
                Ok(())
            }
            Err(error) if error.is_cancelled() => {
                // Stopped mid-visit: not fetched, so cut off.
                if self.visiting.remove(&error.id()).is_some() {
                    self.stats.cut_off += 1;
                }
                Ok(())
            }
            Err(error) => {
                let Some((url, depth)) = self.visiting.remove(&error.id()) else {
                    self.seeding = false;
                    tracing::error!(%error, "sitemap task failed");
                    return Ok(());
                };
                tracing::error!(%url, %error, "visit task failed");
                let record = self.skipped(
                    url,
                    depth,
                    Outcome::Error,
                    format!("internal error: {error}"),
                );
                self.emit(record).await
            }
        }
    }

    async fn visited(&mut self, visit: Visit) -> Result<(), CrawlError> {
        if visit.requested {
            self.requested += 1;
        }
        let mut record = visit.record;
        let mut follow_links = record.outcome == Outcome::Ok;
        if record.final_url != record.url {
            let landed = Url::parse(&record.final_url).ok();
            let is_duplicate = landed.is_some_and(|landed| !self.frontier.mark_seen(&landed));
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
        if let Some(page) = record.page.as_ref() {
            let (noindex, nofollow) = (page.robots.noindex, page.robots.nofollow);
            let canonical = page.canonical.as_deref().and_then(normalize_str);
            if nofollow {
                follow_links = false;
            }
            if noindex {
                uncount(&mut record, "not counted: meta robots noindex".into());
            } else if let Some(canonical) = canonical {
                let elsewhere = canonical.as_str() != record.final_url;
                if elsewhere
                    && self.site.scope.allows(&canonical)
                    && !self.frontier.mark_seen(&canonical)
                {
                    uncount(
                        &mut record,
                        format!("not counted: duplicate of canonical {canonical}"),
                    );
                }
            }
        }
        if follow_links {
            let depth = record.depth + 1;
            for link in &visit.links {
                self.offer(link, depth).await?;
            }
        }
        self.emit(record).await
    }

    /// Considers a link found at `depth`: queued, recorded as a trap, cut off, or
    /// (off-site, too deep, seen) dropped.
    async fn offer(&mut self, href: &str, depth: usize) -> Result<(), CrawlError> {
        let Some(url) = normalize_str(href) else {
            return Ok(());
        };
        let scope = &self.site.scope;
        if !scope.allows(&url) || !scope.allows_depth(depth) || !self.frontier.mark_seen(&url) {
            return Ok(());
        }
        if let Err(trap) = self.traps.check(&url) {
            return self.trapped(url, depth, trap).await;
        }
        if self.requested >= scope.max_pages {
            self.stats.cut_off += 1;
            return Ok(());
        }
        self.queue(url, depth).await
    }

    async fn trapped(&mut self, url: Url, depth: usize, trap: Trap) -> Result<(), CrawlError> {
        if self.trap_records >= MAX_TRAP_RECORDS {
            self.stats.count(Outcome::SkippedTrap);
            tracing::debug!(%url, %trap, "trap (not recorded: cap reached)");
            return Ok(());
        }
        self.trap_records += 1;
        let record = self.skipped(url, depth, Outcome::SkippedTrap, trap.to_string());
        self.emit(record).await
    }

    fn skipped(&self, url: Url, depth: usize, outcome: Outcome, error: String) -> PageRecord {
        PageRecord {
            alliance_id: self.site.alliance_id.clone(),
            url: url.to_string(),
            final_url: url.to_string(),
            depth,
            outcome,
            status: None,
            content_type: None,
            error: Some(error),
            fetched_at: timestamp(),
            page: None,
            detection: None,
            validators: None,
        }
    }

    async fn emit(&mut self, record: PageRecord) -> Result<(), CrawlError> {
        self.stats.count(record.outcome);
        send(&self.site.events, CrawlEvent::Page(Box::new(record))).await
    }
}

/// Keeps an `ok` page's record but drops its detection, saying why.
fn uncount(record: &mut PageRecord, reason: String) {
    record.detection = None;
    record.error = Some(reason);
}
