//! When to try a request again, and how long to wait first.
//!
//! Transient failures (connect errors, timeouts, 429, 5xx) get up to `max_retries`
//! tries in all, spaced by exponential backoff with jitter so that many crawlers (or
//! many tasks of one crawl) do not retry in step. A `Retry-After` header (seconds or
//! an HTTP date) is honoured up to a cap: a server asking for an hour does not stall a
//! crawl for an hour.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// HTTP statuses worth another try.
pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// The wait before try number `next_try` (2 for the first retry): `base` doubled
/// for each further try, times a random factor in `[0.5, 1.0]`.
pub fn backoff(base: Duration, next_try: u32, rng: &mut impl Rng) -> Duration {
    let doublings = next_try.saturating_sub(2).min(16);
    let full = base.saturating_mul(1 << doublings);
    full.mul_f64(rng.random_range(0.5..=1.0))
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP date (relative to `now`).
/// A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn retryable_statuses() {
        for status in [429, 500, 502, 503, 504, 599] {
            assert!(is_retryable_status(status));
        }
        for status in [200, 301, 400, 403, 404, 410] {
            assert!(!is_retryable_status(status));
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_within_bounds() {
        let mut rng = StdRng::seed_from_u64(7);
        let base = Duration::from_millis(400);
        for _ in 0..100 {
            let first = backoff(base, 2, &mut rng);
            assert!(
                (Duration::from_millis(200)..=base).contains(&first),
                "{first:?}"
            );
            let second = backoff(base, 3, &mut rng);
            assert!(
                (Duration::from_millis(400)..=Duration::from_millis(800)).contains(&second),
                "{second:?}"
            );
        }
    }

    #[test]
    fn backoff_is_jittered() {
        let mut rng = StdRng::seed_from_u64(1);
        let waits: std::collections::HashSet<Duration> = (0..20)
            .map(|_| backoff(Duration::from_secs(1), 2, &mut rng))
            .collect();
        assert!(waits.len() > 1);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
