//! Per-host politeness: how many requests may be open to one origin at once, and how
//! long to wait between the starts of two requests to it.
//!
//! Each origin (scheme, host, port: the unit robots.txt speaks for) has a semaphore of
//! `concurrency_per_host` slots and the time of its last request start. A request
//! takes a slot, waits until one delay after the last start (and after any
//! `Retry-After`), then takes a permit of the crawl-wide limit, and only then records
//! its start: a request waiting out a host's delay never holds a global permit, and
//! waiting for one never shortens the gap. The delay starts as the configured one and
//! only ever grows (robots.txt `Crawl-delay`). Our own map rather than `governor`,
//! whose keyed limiter has one quota for all keys and never forgets a key.
//!
//! Requests to one origin (robots.txt, sitemaps, pages, retries, redirect hops) all
//! pass through here, so no path around the delay exists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, SemaphorePermit};
use tokio::time::Instant;

/// The politeness state of every origin one alliance's crawl touches.
#[derive(Debug)]
pub struct Politeness {
    base_delay: Duration,
    concurrency_per_host: usize,
    origins: Mutex<HashMap<String, Arc<OriginGate>>>,
}

#[derive(Debug)]
struct OriginGate {
    slots: Arc<Semaphore>,
    schedule: Mutex<Schedule>,
}

#[derive(Debug)]
struct Schedule {
    last_start: Option<Instant>,
    /// Set by Retry-After.
    not_before: Option<Instant>,
    delay: Duration,
}

impl Schedule {
    fn next_start(&self) -> Option<Instant> {
        let after_last = self.last_start.map(|last| last + self.delay);
        after_last.max(self.not_before)
    }
}

impl OriginGate {
    /// When the next start is still ahead, its time.
    fn wait_until(&self) -> Option<Instant> {
        let schedule = self.schedule.lock().expect("schedule poisoned");
        schedule
            .next_start()
            .filter(|next_start| *next_start > Instant::now())
    }

    /// Records a start now if one is allowed now.
    fn try_record_start(&self) -> bool {
        let mut schedule = self.schedule.lock().expect("schedule poisoned");
        let now = Instant::now();
        let allowed = schedule
            .next_start()
            .is_none_or(|next_start| next_start <= now);
        if allowed {
            schedule.last_start = Some(now);
        }
        allowed
    }
}

/// Held for the length of one request; dropping it frees the origin's slot.
#[derive(Debug)]
pub struct OriginPermit {
    _slot: OwnedSemaphorePermit,
}

impl Politeness {
    pub fn new(base_delay: Duration, concurrency_per_host: usize) -> Self {
        Politeness {
            base_delay,
            concurrency_per_host: concurrency_per_host.max(1),
            origins: Mutex::new(HashMap::new()),
        }
    }

    fn gate(&self, origin: &str) -> Arc<OriginGate> {
        let mut origins = self.origins.lock().expect("politeness map poisoned");
        origins
            .entry(origin.to_string())
            .or_insert_with(|| {
                Arc::new(OriginGate {
                    slots: Arc::new(Semaphore::new(self.concurrency_per_host)),
                    schedule: Mutex::new(Schedule {
                        last_start: None,
                        not_before: None,
                        delay: self.base_delay,
                    }),
                })
            })
            .clone()
    }

    /// Starts a request to `origin`: waits for a free slot on it, for its next allowed
    /// start (one delay after the last start, and not before a Retry-After), and for
    /// a permit of `global`, the crawl-wide limit, taken last so that requests
    /// waiting out a host's delay do not hold it. The start is recorded only once
    /// all three are held, so waiting for `global` cannot shorten the gap.
    pub async fn start<'g>(
        &self,
        origin: &str,
        global: &'g Semaphore,
    ) -> (OriginPermit, SemaphorePermit<'g>) {
        let gate = self.gate(origin);
        let slot = gate
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("politeness semaphore is never closed");
        loop {
            if let Some(wait_until) = gate.wait_until() {
                // Another request may move the time again (Retry-After) meanwhile.
                tokio::time::sleep_until(wait_until).await;
                continue;
            }
            let global_permit = global.acquire().await.expect("never closed");
            if gate.try_record_start() {
                return (OriginPermit { _slot: slot }, global_permit);
            }
        }
    }

    /// [`Politeness::start`] without a global limit.
    #[cfg(test)]
    pub async fn acquire(&self, origin: &str) -> OriginPermit {
        let unlimited = Semaphore::new(Semaphore::MAX_PERMITS);
        let (permit, _) = self.start(origin, &unlimited).await;
        permit
    }

    /// Raises the delay of `origin` to at least `delay` (robots.txt Crawl-delay).
    pub fn raise_delay(&self, origin: &str, delay: Duration) {
        let gate = self.gate(origin);
        let mut schedule = gate.schedule.lock().expect("schedule poisoned");
        schedule.delay = schedule.delay.max(delay);
    }

    /// No request to `origin` starts before `until` (Retry-After).
    pub fn defer_until(&self, origin: &str, until: Instant) {
        let gate = self.gate(origin);
        let mut schedule = gate.schedule.lock().expect("schedule poisoned");
        schedule.not_before = schedule.not_before.max(Some(until));
    }

    /// The delay currently kept between requests to `origin`.
    #[cfg(test)]
    pub fn delay(&self, origin: &str) -> Duration {
        let gate = self.gate(origin);
        let schedule = gate.schedule.lock().expect("schedule poisoned");
        schedule.delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "http://a.example";
    const B: &str = "http://b.example";

    /// Acquires `count` permits one after another (each released at once) and
    /// returns their start times relative to `origin`.
    async fn starts(politeness: &Politeness, origin: &str, count: usize) -> Vec<Duration> {
        let begin = Instant::now();
        let mut times = Vec::new();
        for _ in 0..count {
            let _permit = politeness.acquire(origin).await;
            times.push(begin.elapsed());
        }
        times
    }

    #[tokio::test(start_paused = true)]
    async fn spaces_request_starts_by_the_delay() {
        let politeness = Politeness::new(Duration::from_millis(1000), 1);
        let times = starts(&politeness, A, 3).await;
        assert_eq!(times, [0, 1000, 2000].map(Duration::from_millis).to_vec());
    }

    #[tokio::test(start_paused = true)]
    async fn origins_do_not_wait_for_each_other() {
        let politeness = Politeness::new(Duration::from_millis(1000), 1);
        let _a = politeness.acquire(A).await;
        let begin = Instant::now();
        let _b = politeness.acquire(B).await;
        assert_eq!(begin.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn crawl_delay_only_raises_the_delay() {
        let politeness = Politeness::new(Duration::from_millis(500), 1);
        politeness.raise_delay(A, Duration::from_millis(2000));
        politeness.raise_delay(A, Duration::from_millis(100));
        assert_eq!(politeness.delay(A), Duration::from_millis(2000));
        let times = starts(&politeness, A, 2).await;
        assert_eq!(times, [0, 2000].map(Duration::from_millis).to_vec());
    }

    #[tokio::test(start_paused = true)]
    async fn raising_the_delay_moves_the_booked_start() {
        let politeness = Politeness::new(Duration::from_millis(100), 1);
        drop(politeness.acquire(A).await);
        politeness.raise_delay(A, Duration::from_millis(3000));
        let begin = Instant::now();
        drop(politeness.acquire(A).await);
        assert_eq!(begin.elapsed(), Duration::from_millis(3000));
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_defers_the_origin() {
        let politeness = Politeness::new(Duration::from_millis(100), 1);
        let begin = Instant::now();
        politeness.defer_until(A, begin + Duration::from_secs(5));
        drop(politeness.acquire(A).await);
        assert_eq!(begin.elapsed(), Duration::from_secs(5));
        // Deferring to an earlier time changes nothing.
        politeness.defer_until(A, begin);
        drop(politeness.acquire(A).await);
        assert_eq!(begin.elapsed(), Duration::from_millis(5100));
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_for_the_global_limit_does_not_shorten_the_gap() {
        let politeness = Arc::new(Politeness::new(Duration::from_millis(1000), 2));
        let global = Arc::new(Semaphore::new(1));
        let begin = Instant::now();
        // The only global permit is busy for 900 ms when the first request is ready.
        let busy = global.clone().acquire_owned().await.unwrap();
        let first = {
            let (politeness, global) = (politeness.clone(), global.clone());
            tokio::spawn(async move {
                let _permits = politeness.start(A, &global).await;
                let started = begin.elapsed();
                tokio::time::sleep(Duration::from_millis(10)).await;
                started
            })
        };
        tokio::time::sleep(Duration::from_millis(900)).await;
        drop(busy);
        let first_started = first.await.unwrap();
        let _second = politeness.start(A, &global).await;
        assert_eq!(first_started, Duration::from_millis(900));
        assert_eq!(begin.elapsed(), Duration::from_millis(1900));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrency_per_host_bounds_open_requests() {
        let politeness = Arc::new(Politeness::new(Duration::ZERO, 2));
        let first = politeness.acquire(A).await;
        let _second = politeness.acquire(A).await;
        let waiting = {
            let politeness = politeness.clone();
            tokio::spawn(async move {
                let _third = politeness.acquire(A).await;
                Instant::now()
            })
        };
        tokio::time::sleep(Duration::from_secs(10)).await;
        assert!(!waiting.is_finished(), "a third slot was handed out");
        let released_at = Instant::now();
        drop(first);
        assert_eq!(waiting.await.unwrap(), released_at);
    }
}
