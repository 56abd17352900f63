//! Reports: the CSV, JSON Lines and JSON files of a run directory, written atomically by
//! one writer that consumes the crawl's event stream.
//!
//! ```no_run
//! # use alliance_audit::report::{RunWriter, RunInfo, new_run_id, utc_now};
//! # use alliance_audit::config::config_hash;
//! # fn demo(events: Vec<alliance_audit::crawl::CrawlEvent>) -> std::io::Result<()> {
//! let run = RunInfo {
//!     run_id: new_run_id(),
//!     started_at: utc_now(),
//!     tool_version: env!("CARGO_PKG_VERSION").to_string(),
//!     config_hash: config_hash(&["alliances.toml text", "topics.toml text"]),
//!     alliance_names: [("leru".to_string(), "LERU".to_string())].into(),
//!     topics: vec!["library-collaboration".to_string()],
//!     options: serde_json::json!({ "max_pages": 500 }),
//! };
//! let mut writer = RunWriter::create(std::path::Path::new("runs/x"), run)?;
//! for event in &events {
//!     writer.handle(event)?;
//! }
//! let totals = writer.finish(&utc_now(), false)?;
//! # Ok(()) }
//! ```
//!
//! # Files
//!
//! Every CSV file has its header row, even with no rows. Column names are stable; new
//! columns, if ever, are added at the end. Each CSV has a JSON Lines twin (`NAME.jsonl`,
//! one object per line, same field names; empty CSV cells are `null`).
//!
//! - `summary.csv`, one row per alliance per topic: `alliance_id, alliance_name, topic,
//!   verdict, score, coverage, pages_ok, pages_failed, pages_blocked, evidence_count,
//!   first_evidence_url, started_at, finished_at, urls_known, urls_read, urls_skipped,
//!   unread_relevant`. Verdict, score and coverage are defined in
//!   [`crate::detect::AllianceSummary`]: `unknown` when no page was read;
//!   coverage = urls_read / urls_known (pages read and documents read, against those
//!   plus every row of `skipped.csv`), 3 decimals; `unread_relevant` counts skipped URLs
//!   whose URL or link words name a topic;
//!   `first_evidence_url` is the first page whose verdict equals the alliance's.
//!   `started_at`/`finished_at` are empty for an alliance a stopped run never
//!   started/finished. `summary.jsonl` adds `pages_cut_off`, `pages_skipped`
//!   (`not_html`, `unreadable`, `out_of_scope`, `skipped_trap`), `low_coverage`
//!   (coverage < 0.5), `uncertain_absence` (`absent` with unread relevant URLs) and
//!   `top_unread_relevant` (the best five of those, by priority).
//! - `skipped.csv`, one row per URL of the site known and not read: `alliance_id, url,
//!   reason, found_by, found_on, depth, priority, relevant`. `reason` is one of
//!   `max_pages` (the budget was spent), `max_depth`, `robots`, `out_of_scope`
//!   (redirected off the allowed hosts, or a refused address), `nofollow` (only linked
//!   from `nofollow` pages), `trap`, `duplicate` (a page read under another URL names
//!   it canonical), `unreadable` (a document whose text could not be read),
//!   `not_html` (fetched, a type not read), `failed` (fetched and failed: see
//!   `errors.csv`), `unreachable`, `stopped` (the run was stopped first). `found_by` is
//!   `start`, `link`, `sitemap` or `canonical`; `found_on` the page or sitemap file;
//!   `priority` the frontier's score (higher was to be read sooner); `relevant` true
//!   when its URL or link words name a topic. Links to other hosts are not part of
//!   the site and are not listed.
//! - `pages.csv`, one row per URL decided: `alliance_id, url, final_url, depth, outcome,
//!   status, content_type, title, lang, words, headings, nav_items, verdict, error`.
//!   `url` is the normalised URL as queued, `final_url` where redirects ended; `words`,
//!   `headings` (count), `nav_items` (count over all menus) and `verdict` (for the run's
//!   first topic) are empty unless `outcome` is `ok`.
//! - `navigation.csv`, one row per distinct menu item per alliance: `alliance_id,
//!   menu_kind, depth, path, label, href, pages_seen`. `path` is the ancestors' labels
//!   joined with `" > "`; `pages_seen` counts the pages that showed the item.
//! - `headings.csv`: `alliance_id, url, position, level, text`; `url` is the page's
//!   `final_url`, `position` counts from 1 in document order.
//! - `evidence.csv`: `alliance_id, topic, url, location, term, collaboration, snippet`;
//!   `url` is the page's `final_url`. `evidence.jsonl` adds `level`, `weight`, and
//!   `menu_kind`/`heading_level` where they apply.
//! - `errors.csv`, every page whose outcome is not `ok`: `alliance_id, url, outcome,
//!   status, error`.
//! - `report.html`: for a person to look at: a matrix of alliances × topics coloured by
//!   verdict with the coverage of each cell, each alliance's verdicts over its runs
//!   (inline SVG, from the run database), then the summary, each alliance's primary
//!   menu and its strongest evidence rows (linked, and said to be archived when the run
//!   has a WARC); self-contained, no script, every web string escaped.
//! - `run.json`: run id, tool version, config hash, started/finished, `interrupted`,
//!   topics, alliance names, options, totals, and each host's robots.txt as fetched.
//!   Written last: its presence means the directory is complete.
//!
//! # Safety of the files
//!
//! Rows go to hidden temp files (`.pages.csv.tmp`) renamed into place at
//! [`RunWriter::finish`], so a reader never sees half a file. CSV string cells that a
//! spreadsheet would run as a formula are prefixed with `'` ([`neutralise`]); numbers,
//! flags and enumerations are written by us and are left as they are.

mod cell;
mod file;
mod html;
mod navigation;
mod rows;
mod run;
mod writer;

pub use cell::neutralise;
pub use html::{escape, TimelinePoint, TIMELINE_RUNS};
pub use rows::{
    ErrorRow, EvidenceExtra, EvidenceRow, HeadingRow, NavRow, PageRow, SkippedRow, SummaryExtra,
    SummaryRow,
};
pub use run::{new_run_id, utc_now, RunInfo, RunTotals};
pub use writer::RunWriter;
