//! Crawl limits: the `[defaults]` table and the per-alliance overrides merged onto it.

use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

use super::error::ConfigError;
use super::fields::Source;

/// How much of a site one crawl reads, and how gently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Pages fetched at most per alliance (at least 1).
    pub max_pages: usize,
    /// Link distance from a start URL; 0 reads the start pages only.
    pub max_depth: usize,
    /// Pause between two requests to the same host, in milliseconds (0: none).
    pub per_host_delay_ms: u64,
    /// Requests in flight to one host at a time (at least 1).
    pub concurrency_per_host: usize,
}

impl Default for Limits {
    /// The polite defaults of `config/alliances.toml`: 500 pages, depth 5, one request
    /// at a time per host with a second between them.
    fn default() -> Self {
        Limits {
            max_pages: 500,
            max_depth: 5,
            per_host_delay_ms: 1000,
            concurrency_per_host: 1,
        }
    }
}

/// The limit keys as written, each optional. Signed, so that a negative number gets our
/// own message naming the key rather than serde's "expected usize".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLimits {
    pub max_pages: Option<Spanned<i64>>,
    pub max_depth: Option<Spanned<i64>>,
    pub per_host_delay_ms: Option<Spanned<i64>>,
    pub concurrency_per_host: Option<Spanned<i64>>,
}

impl RawLimits {
    /// `base` with every key given here replacing its value.
    pub fn merge_onto(self, base: &Limits, src: &Source) -> Result<Limits, ConfigError> {
        Ok(Limits {
            max_pages: count(src, "max_pages", self.max_pages, 1)?.unwrap_or(base.max_pages),
            max_depth: count(src, "max_depth", self.max_depth, 0)?.unwrap_or(base.max_depth),
            per_host_delay_ms: count(src, "per_host_delay_ms", self.per_host_delay_ms, 0)?
                .map_or(base.per_host_delay_ms, |ms| ms as u64),
            concurrency_per_host: count(src, "concurrency_per_host", self.concurrency_per_host, 1)?
                .unwrap_or(base.concurrency_per_host),
        })
    }
}

/// A limit value checked against its `min`: 0 pages or 0 concurrent requests would
/// crawl nothing, and a negative count means nothing at all.
fn count(
    src: &Source,
    key: &str,
    value: Option<Spanned<i64>>,
    min: i64,
) -> Result<Option<usize>, ConfigError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let n = *value.get_ref();
    if n < min {
        let why = if min == 0 {
            "must not be negative".to_string()
        } else {
            format!("must be at least {min}")
        };
        return Err(src.error(&value, format!("{key} {why} (got {n})")));
    }
    usize::try_from(n)
        .map(Some)
        .map_err(|_| src.error(&value, format!("{key} is too large (got {n})")))
}
