//! WARC (ISO 28500, WARC/1.1) archives of a crawl: `crawl --warc` writes one, `replay`
//! rebuilds a run from one with no network, and `extract --url` reads one page of it.
//!
//! Records are written here, not by the `warc` crate, whose writer gzips a whole file
//! as one stream and orders fields at random: each record is its own gzip member (the
//! `.warc.gz` layout every archive tool expects), fields in a fixed order, digests SHA-1
//! in base32. The crawl hands over exchanges through [`crate::record::ExchangeSink`]
//! ([`WarcFile`]) and takes them back through [`crate::record::ExchangeSource`]
//! ([`Archive`]); the first `warcinfo` record carries the crawl's plan (alliances,
//! start URLs, limits) as the `alliance-audit-run` field, so a replay needs nothing
//! but the file.
//!
//! - `record`: one record's fields and bytes, record ids, dates, digests.
//! - `writer`: [`WarcWriter`] (records to gzip members) and [`WarcFile`] (a thread
//!   owning the file).
//! - `reader`: [`Archive`] (responses by URL, for replay) and [`read_records`].

mod reader;
mod record;
mod writer;

use serde::{Deserialize, Serialize};

pub use reader::{read_records, Archive, WarcError, WarcRecord};
pub use record::{base32, record_id, sha1_digest, Record};
pub use writer::{WarcFile, WarcTotals, WarcWriter};

/// What a replay needs to know of the crawl that wrote an archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedRun {
    pub tool_version: String,
    pub user_agent: String,
    pub config_hash: String,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    pub max_retries: u32,
    pub alliances: Vec<ArchivedAlliance>,
}

/// One alliance as it was crawled (its plan, after the command line's overrides).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedAlliance {
    pub id: String,
    pub name: String,
    pub start_urls: Vec<String>,
    pub allowed_hosts: Vec<String>,
    pub max_pages: usize,
    pub max_depth: usize,
    pub delay_ms: u64,
    pub concurrency_per_host: usize,
}
