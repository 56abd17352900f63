//! The async crawler: frontier, robots.txt, per-host politeness and fetching.

mod record;

pub use record::{CrawlEvent, Outcome, PageRecord, RobotsRecord};
