//! The integration tests, one module per area, built as one binary so the suite links
//! once (as ripgrep and cargo arrange theirs). Shared helpers are in `support`: the
//! loopback test server, PDF and office-document writers, the big-site generator.
//!
//! Run one area with `cargo test --test it AREA::` (e.g. `cargo test --test it
//! big_sites:: -- --nocapture`).

mod support;

mod architecture;
mod big_sites;
mod cli;
mod completions;
mod config;
mod crawl;
mod documents;
mod extract;
mod fixture_pages;
mod frontier;
mod history;
mod menus_labelled;
mod postgres;
mod real_pages;
mod report;
mod robots;
mod sites;
mod warc;
mod workers;
