//! alliance-audit: crawl the websites of university alliances, extract their navigation
//! and headings, and report whether and how prominently library collaboration appears.
//!
//! Data flows one way, one module per stage, over plain records:
//!
//! - [`record`]: the data the stages hand each other (page records, crawl events,
//!   skipped URLs, robots.txt, HTTP exchanges); imports no stage's machinery.
//! - [`config`]: the alliances and topic lexicons, validated before any request.
//! - [`crawl`]: the async crawler (frontier, robots.txt, politeness, fetching).
//! - [`decode`]: bytes to text (BOM, HTTP header, `<meta charset>`, detection).
//! - [`extract`]: one HTML page to its navigation, headings, text and links. Pure.
//! - [`detect`]: a page's evidence and verdict for each topic. Pure.
//! - [`document`]: a linked PDF's (DOCX's, ODT's) text and title, read in a child process
//!   that a panic or a runaway file cannot take the crawl down with.
//! - [`report`]: CSV, JSON Lines and run files, written atomically.
//! - [`store`]: every run in an SQLite database: history, replay, resume, HTTP cache.
//! - [`diff`]: what changed between two stored runs of an alliance.
//! - [`warc`]: WARC archives of a crawl (`crawl --warc`) and replay from them.
//! - [`allocator`]: the binary's allocator (jemalloc), shared with the extraction
//!   benchmarks so that they time what a crawl runs.
//! - [`cli`]: the command line; `demo` serves the fixture sites on loopback
//!   ([`cli::demo::serve`]).

// Not in the unit tests, which also see the dev-dependencies.
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

pub mod allocator;
pub mod cli;
pub mod config;
pub mod crawl;
pub mod decode;
pub mod detect;
pub mod diff;
pub mod document;
pub mod extract;
pub mod record;
pub mod report;
pub mod store;
pub mod warc;
