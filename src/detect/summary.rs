//! One alliance's verdict for one topic, with the counts that qualify it: what
//! [`AllianceTally`](super::AllianceTally) folds a crawl into.

use serde::Serialize;

use super::Level;

/// Below this coverage a verdict, `absent` in particular, speaks for less than half the site.
pub const LOW_COVERAGE: f64 = 0.5;

/// Unread relevant URLs named per alliance (the report's "look here next").
pub const TOP_UNREAD: usize = 5;

/// The verdict of one alliance for one topic, and the counts that qualify it.
///
/// The score is **the best page score plus the number of distinct pages with evidence
/// outside navigation menus**. Summing page scores would reward a site for repeating
/// its menus: a "Libraries" item in the primary menu shows on every page, and would
/// otherwise add its weight once per page crawled. The best page counts that item once;
/// each further page that itself talks about the topic (in its title, headings, URL or
/// body) adds one. Both parts can be recomputed from `evidence.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllianceSummary {
    pub alliance_id: String,
    pub topic: String,
    pub level: Level,
    pub score: u32,
    /// `pages_ok / (pages_ok + pages_failed + pages_blocked + pages_cut_off)`, in 0..=1.
    pub coverage: f64,
    pub pages_ok: usize,
    pub pages_failed: usize,
    pub pages_blocked: usize,
    pub pages_cut_off: usize,
    /// `not_html`, `unreadable`, `out_of_scope` and `skipped_trap` records.
    pub pages_skipped: usize,
    /// URLs of the site the crawl knew of: read and skipped.
    pub urls_known: usize,
    /// URLs read (`ok` pages and documents).
    pub urls_read: usize,
    /// URLs known and not read (rows of `skipped.csv`).
    pub urls_skipped: usize,
    /// Skipped URLs whose URL or link words name a topic.
    pub unread_relevant: usize,
    /// The best of those, by priority: where a reader should look next.
    pub top_unread_relevant: Vec<String>,
    /// Evidence rows for this topic over all pages (menu items repeat per page).
    pub evidence_count: usize,
    /// The first page, in crawl order, whose own verdict equals the alliance verdict:
    /// where a person should look first to check it. `None` when absent or unknown.
    pub first_evidence_url: Option<String>,
}

impl AllianceSummary {
    /// True when the verdict was drawn from less than [`LOW_COVERAGE`] of the site.
    pub fn low_coverage(&self) -> bool {
        self.coverage < LOW_COVERAGE
    }

    /// An `absent` that unread URLs naming the topic could overturn: not a
    /// confident absence.
    pub fn uncertain_absence(&self) -> bool {
        self.level == Level::Absent && self.unread_relevant > 0
    }
}
