//! What the queries return: runs as listed and stored, and the per-alliance rows
//! `diff` and the report compare.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::detect::Level;
use crate::extract::MenuKind;
use crate::record::{Outcome, RunStatus};
use crate::report::RunInfo;

/// A stored run's identity and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    pub info: RunInfo,
    pub finished_at: Option<String>,
    pub status: RunStatus,
}

/// One line of `history`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunListing {
    pub run_id: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: RunStatus,
    pub alliances: usize,
    pub pages: usize,
    pub pages_ok: usize,
    /// Alliance id → verdict of the run's first topic.
    pub verdicts: BTreeMap<String, String>,
}

/// One distinct navigation item of an alliance in one run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NavEntry {
    pub menu_kind: MenuKind,
    pub path: String,
    pub label: String,
    pub href: Option<String>,
}

/// One page record, as `diff` needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageEntry {
    pub url: String,
    pub final_url: String,
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub error: Option<String>,
    /// False for an `ok` page not counted (a duplicate, noindex).
    pub counted: bool,
}

/// An alliance's verdict for one topic in one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictEntry {
    pub topic: String,
    pub verdict: Level,
    pub score: u32,
    pub coverage: f64,
}

/// An alliance's verdict for one topic in one of its runs, for the report's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub run_id: String,
    pub started_at: String,
    pub topic: String,
    pub verdict: Level,
    pub coverage: f64,
    /// Skipped URLs naming a topic (0 for runs stored before it was counted).
    pub unread_relevant: u64,
}

/// One evidence row with its page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EvidenceEntry {
    pub url: String,
    pub location: String,
    pub term: String,
    pub snippet: String,
    pub level: Level,
}
