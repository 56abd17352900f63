//! One job: one alliance of a queued run, crawled by the same pipeline as `crawl`, its
//! events stored through a worker's [`StoreWriter`] (lease renewed, writes fenced).
//! A job taken over from a worker that died continues as `--resume` does: the pages
//! stored are not fetched again, the stored frontier goes on.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::settings::RunSettings;
use crate::cli::recording::store_error;
use crate::cli::CliError;
use crate::crawl::{crawl, CacheHandle, CrawlContext, CrawlEvent};
use crate::report::utc_now;
use crate::store::{DbTarget, Job, JobStart, Store, StoreCache, StoreWriter};

/// Crawls `job` until its alliance is finished (the job is then done) or `stop`
/// (the job is released). A job lost to another worker (this one stalled past its
/// lease) is left to that worker.
pub(super) async fn crawl_job(
    db: &DbTarget,
    store: Store,
    job: Job,
    lease: Duration,
    stop: watch::Receiver<bool>,
) -> Result<(), CliError> {
    let settings = store
        .run_settings(&job.run_id)
        .map_err(store_error)?
        .ok_or_else(|| CliError::failure(format!("run {} has no stored settings", job.run_id)))?;
    let settings: RunSettings = serde_json::from_str(&settings).map_err(|e| {
        CliError::failure(format!(
            "run {}: its stored settings cannot be read: {e}",
            job.run_id
        ))
    })?;
    let (mut writer, start) =
        StoreWriter::for_job(store, job.clone(), lease).map_err(store_error)?;
    if start == JobStart::Done {
        writer.finish_job(&utc_now(), false).map_err(store_error)?;
        return Ok(());
    }
    let alliance = settings.alliance(&job.alliance_id)?;
    let topics = settings.topics()?;
    let crawl_settings = settings.crawl_settings(&alliance, topics);
    let http_cache = Some(CacheHandle(Arc::new(
        StoreCache::open(db).map_err(store_error)?,
    )));
    let mut resume = None;
    if start == JobStart::Resume {
        let state = writer
            .store()
            .resume_state(&job.run_id, std::slice::from_ref(&job.alliance_id))
            .map_err(store_error)?;
        let site = state.sites.get(&job.alliance_id);
        // Started but nothing queued or read yet: as good as fresh.
        if site.is_some_and(|s| !s.queue.is_empty() || s.requested > 0) {
            tracing::info!(
                alliance = %job.alliance_id,
                queued = site.map_or(0, |s| s.queue.len()),
                "continuing from what was stored"
            );
            resume = Some(Arc::new(state));
        }
    }

    let (events_tx, mut events) = mpsc::channel::<CrawlEvent>(256);
    let (crawl_stop_tx, crawl_stop) = watch::channel(false);
    let context = CrawlContext {
        resume,
        http_cache,
        ..CrawlContext::new(events_tx, crawl_stop)
    };
    let crawler = tokio::spawn(crawl(crawl_settings, context));
    let mut stop = stop;
    let mut stopping = *stop.borrow();
    if stopping {
        writer.stopping();
        let _ = crawl_stop_tx.send(true);
    }
    let mut failed = None;
    let mut tick = tokio::time::interval(crate::store::BATCH_INTERVAL.min(lease / 4));
    loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break };
                if failed.is_some() || writer.is_repeat(&event) {
                    continue;
                }
                if let Err(e) = writer.handle(&event) {
                    failed = Some(e);
                    let _ = crawl_stop_tx.send(true);
                }
            }
            _ = tick.tick() => {
                if failed.is_none() {
                    if let Err(e) = writer.tick() {
                        failed = Some(e);
                        let _ = crawl_stop_tx.send(true);
                    }
                }
            }
            changed = stop.changed(), if !stopping => {
                if changed.is_err() || *stop.borrow() {
                    stopping = true;
                    writer.stopping();
                    let _ = crawl_stop_tx.send(true);
                }
            }
        }
    }
    let crawled = crawler
        .await
        .map_err(|e| CliError::failure(format!("the crawl task failed: {e}")))?;
    if let Some(error) = failed {
        // Most likely the lease was lost: the job is another worker's now.
        tracing::warn!(alliance = %job.alliance_id, %error, "job given up");
        return Ok(());
    }
    if let Err(e) = crawled {
        tracing::error!(alliance = %job.alliance_id, "crawl stopped: {e}");
    }
    match writer.finish_job(&utc_now(), stopping) {
        Ok(_) => {
            tracing::info!(run = %job.run_id, alliance = %job.alliance_id, released = stopping, "job ended");
            Ok(())
        }
        Err(error) => {
            tracing::warn!(alliance = %job.alliance_id, %error, "job given up");
            Ok(())
        }
    }
}
