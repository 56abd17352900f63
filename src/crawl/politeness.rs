//! Per-host politeness: how many requests may be open to one origin at once, and how
//! long to wait between the starts of two requests to it.
//!
//! Each origin (scheme, host, port: the unit robots.txt speaks for) has a semaphore of
//! `concurrency_per_host` slots and a "next allowed start" time. A request takes a
//! slot, waits until that time, and moves it one delay further; a `Retry-After`
//! pushes it later still. The delay starts as the configured one and only ever grows
//! (robots.txt `Crawl-delay`). Our own map rather than `governor`, whose keyed
//! limiter has one quota for all keys and never forgets a key.
//!
//! Requests to one origin (robots.txt, sitemaps, pages, retries, redirect hops) all
//! pass through here, so no path around the delay exists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
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

    /// Waits for a free slot on `origin` and for its next allowed start (one delay
    /// after the last start, and not before a Retry-After), then records this start.
    pub async fn acquire(&self, origin: &str) -> OriginPermit {
        let gate = self.gate(origin);
        let slot = gate
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("politeness semaphore is never closed");
        loop {
            let wait_until = {
                let mut schedule = gate.schedule.lock().expect("schedule poisoned");
                let now = Instant::now();
                match schedule.next_start() {
                    Some(next_start) if next_start > now => next_start,
                    _ => {
                        schedule.last_start = Some(now);
                        break;
                    }
                }
            };
            // Another request may push the time again (Retry-After) while we sleep.
            tokio::time::sleep_until(wait_until).await;
        }
        OriginPermit { _slot: slot }
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
