//! Conditional requests: the validators (ETag, Last-Modified) a page was last served
//! with, and what was read from it then, so an unchanged page (304 Not Modified) is
//! neither downloaded nor parsed again.
//!
//! The crawl only asks; the run store answers (it implements [`HttpCache`]), so the
//! crawler does not depend on the store.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::detect::Detection;
use crate::extract::{Link, Page};

/// What makes a request conditional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A page as read the last time it was fetched: what a 304 answer reuses.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedPage {
    pub validators: Validators,
    pub content_type: Option<String>,
    pub page: Page,
    pub detection: Detection,
    /// Its outgoing links, to crawl on from it.
    pub links: Vec<Link>,
}

/// Where validators and cached pages come from.
pub trait HttpCache: Send + Sync {
    /// The cached page for `url`, when one was stored whose detection is valid at
    /// link depth `depth`.
    fn lookup(&self, url: &str, depth: usize) -> Option<CachedPage>;
}

/// A shared [`HttpCache`] in the crawl options.
#[derive(Clone)]
pub struct CacheHandle(pub Arc<dyn HttpCache>);

impl std::fmt::Debug for CacheHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheHandle")
    }
}

impl PartialEq for CacheHandle {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for CacheHandle {}
