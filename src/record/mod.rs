//! Records: the plain data the pipeline's stages hand each other, on the ground floor
//! so that no stage needs another's machinery to describe what it reads or writes.
//!
//! - [`page`](PageRecord): how fetching one URL ended ([`Outcome`]) and what was read.
//! - [`event`](CrawlEvent): the stream a crawl sends its writer (pages, robots.txt,
//!   URLs queued and skipped, alliances started and finished).
//! - [`cache`](HttpCache): validators and pages of earlier runs, for conditional
//!   requests; [`resume`](Resume): where an interrupted run left off.
//! - [`exchange`](Exchange): one HTTP exchange, and the seams an archive plugs into.
//! - [`run`](RunStatus): where a stored run stands.
//!
//! `crawl` produces these records; `detect`, `report`, `store`, `warc` and `diff` read
//! them without importing the crawler.

mod cache;
mod event;
mod exchange;
mod page;
mod resume;
mod run;

pub use cache::{CacheHandle, CachedPage, HttpCache, Validators};
pub use event::{CrawlEvent, FoundBy, RobotsRecord, SkipReason, SkippedRecord};
pub use exchange::{Exchange, ExchangeSink, ExchangeSource, RecordedAnswer, RecordedResponse};
pub use page::{Outcome, PageRecord};
pub use resume::{Resume, ResumeSite};
pub use run::RunStatus;
