//! What identifies a run, so an audit can be repeated: its id, the tool version, a hash
//! of the configuration, the options, and what the run totalled.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use super::rows::SummaryRow;
use crate::record::Outcome;

/// What the caller knows about a run before it starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// See [`new_run_id`].
    pub run_id: String,
    /// RFC 3339 UTC.
    pub started_at: String,
    /// `env!("CARGO_PKG_VERSION")` of the binary that ran.
    pub tool_version: String,
    /// See [`crate::config::run_config_hash`].
    pub config_hash: String,
    /// Every alliance the run was asked to crawl, id → name. An alliance that never
    /// started (the run was stopped first) still gets its `unknown` summary rows.
    pub alliance_names: BTreeMap<String, String>,
    /// Topic ids in configuration order; the first one is the `verdict` of `pages.csv`.
    pub topics: Vec<String>,
    /// The effective crawl options (limits, delays, user agent), as given.
    pub options: serde_json::Value,
}

/// What a run did, returned by `RunWriter::finish` and written to `run.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunTotals {
    pub alliances: usize,
    /// Page records of every outcome.
    pub pages: usize,
    pub outcomes: BTreeMap<Outcome, usize>,
    pub pages_cut_off: usize,
    pub headings: usize,
    pub navigation_items: usize,
    pub evidence: usize,
    pub errors: usize,
    /// Rows of `skipped.csv`: URLs known and not read.
    pub urls_skipped: usize,
    pub interrupted: bool,
    /// The rows of `summary.csv`, for the table the CLI prints.
    #[serde(skip)]
    pub summary: Vec<SummaryRow>,
}

/// A sortable UTC run id such as `20261127T031500Z`. A second id made in the same second
/// by this process gets a suffix (`20261127T031500Z-2`), which still sorts after the
/// first and before the next second's.
pub fn new_run_id() -> String {
    static LAST: Mutex<(String, u32)> = Mutex::new((String::new(), 0));
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if last.0 == stamp {
        last.1 += 1;
        format!("{stamp}-{}", last.1)
    } else {
        *last = (stamp.clone(), 1);
        stamp
    }
}

/// The current time as RFC 3339 UTC, whole seconds (`2026-11-27T03:15:00Z`).
pub fn utc_now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_sort_and_do_not_repeat() {
        let a = new_run_id();
        let b = new_run_id();
        assert_ne!(a, b);
        assert!(a < b, "{a} < {b}");
        assert_eq!(a.len(), "20261127T031500Z".len());
        assert!(a.ends_with('Z') && a.as_bytes()[8] == b'T');
    }

    #[test]
    fn utc_now_is_rfc3339_seconds() {
        let now = utc_now();
        assert_eq!(now.len(), "2026-11-27T03:15:00Z".len(), "{now}");
        assert!(now.ends_with('Z'));
    }
}
