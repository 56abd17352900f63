//! The rows of each report, in column order. These structs *are* the column contract:
//! a CSV file's header is its row's `HEADER`, checked against the serde field names in
//! the tests below, and its JSON Lines file carries the same fields (plus, where noted,
//! a few that the CSV leaves out to stay narrow).

use serde::Serialize;

use super::cell::{neutralise_mut, neutralise_opt};
use super::file::CsvRow;
use crate::crawl::{FoundBy, Outcome, SkipReason};
use crate::detect::{Level, Location};
use crate::extract::MenuKind;

/// `summary.csv`: one row per alliance per topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryRow {
    pub alliance_id: String,
    pub alliance_name: String,
    pub topic: String,
    pub verdict: Level,
    pub score: u32,
    /// Rounded to 3 decimals.
    pub coverage: f64,
    pub pages_ok: usize,
    pub pages_failed: usize,
    pub pages_blocked: usize,
    pub evidence_count: usize,
    pub first_evidence_url: Option<String>,
    /// Empty when the alliance never started (the run was stopped first).
    pub started_at: Option<String>,
    /// Empty when the alliance did not finish (the run was stopped first).
    pub finished_at: Option<String>,
    /// URLs of the site known to the crawl (pages read plus `skipped.csv` rows).
    pub urls_known: usize,
    pub urls_read: usize,
    pub urls_skipped: usize,
    /// Skipped URLs whose URL or link words name a topic.
    pub unread_relevant: usize,
}

impl CsvRow for SummaryRow {
    const HEADER: &'static [&'static str] = &[
        "alliance_id",
        "alliance_name",
        "topic",
        "verdict",
        "score",
        "coverage",
        "pages_ok",
        "pages_failed",
        "pages_blocked",
        "evidence_count",
        "first_evidence_url",
        "started_at",
        "finished_at",
        "urls_known",
        "urls_read",
        "urls_skipped",
        "unread_relevant",
    ];
    fn neutralise(&mut self) {
        neutralise_mut(&mut self.alliance_id);
        neutralise_mut(&mut self.alliance_name);
        neutralise_mut(&mut self.topic);
        neutralise_opt(&mut self.first_evidence_url);
    }
}

/// `summary.jsonl` only: what explains `coverage` beyond the CSV columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryExtra {
    pub pages_cut_off: usize,
    pub pages_skipped: usize,
    pub low_coverage: bool,
    /// `absent` while unread URLs name the topic.
    pub uncertain_absence: bool,
    /// The best unread relevant URLs, by priority.
    pub top_unread_relevant: Vec<String>,
}

/// `skipped.csv`: one row per URL of the site known and not read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedRow {
    pub alliance_id: String,
    pub url: String,
    pub reason: SkipReason,
    /// `start`, `link`, `sitemap` or `canonical`.
    pub found_by: FoundBy,
    /// The page or sitemap file it was found on.
    pub found_on: Option<String>,
    pub depth: usize,
    pub priority: i32,
    /// Its URL or link words name a topic.
    pub relevant: bool,
}

impl CsvRow for SkippedRow {
    const HEADER: &'static [&'static str] = &[
        "alliance_id",
        "url",
        "reason",
        "found_by",
        "found_on",
        "depth",
        "priority",
        "relevant",
    ];
    fn neutralise(&mut self) {
        neutralise_mut(&mut self.alliance_id);
        neutralise_mut(&mut self.url);
        neutralise_opt(&mut self.found_on);
    }
}

/// `pages.csv`: one row per URL the crawl decided about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageRow {
    pub alliance_id: String,
    pub url: String,
    pub final_url: String,
    pub depth: usize,
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub content_type: Option<String>,
    pub title: Option<String>,
    pub lang: Option<String>,
    /// Empty unless the page was read (`ok`), as are `headings`, `nav_items`, `verdict`.
    pub words: Option<usize>,
    pub headings: Option<usize>,
    pub nav_items: Option<usize>,
    /// The page's verdict for the run's first topic.
    pub verdict: Option<Level>,
    pub error: Option<String>,
}

impl CsvRow for PageRow {
    const HEADER: &'static [&'static str] = &[
        "alliance_id",
        "url",
        "final_url",
        "depth",
        "outcome",
        "status",
        "content_type",
        "title",
        "lang",
        "words",
        "headings",
        "nav_items",
        "verdict",
        "error",
    ];
    fn neutralise(&mut self) {
        neutralise_mut(&mut self.alliance_id);
        neutralise_mut(&mut self.url);
        neutralise_mut(&mut self.final_url);
        neutralise_opt(&mut self.content_type);
        neutralise_opt(&mut self.title);
        neutralise_opt(&mut self.lang);
        neutralise_opt(&mut self.error);
    }
}

/// `navigation.csv`: one row per distinct menu item per alliance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NavRow {
    pub alliance_id: String,
    pub menu_kind: MenuKind,
    /// 0 for a top-level item.
    pub depth: usize,
    /// The labels of the item's ancestors joined with `" > "`; empty at top level.
    pub path: String,
    pub label: String,
    pub href: Option<String>,
    /// How many pages showed this item (in a menu of this kind, under this path).
    pub pages_seen: usize,
}

impl CsvRow for NavRow {
    const HEADER: &'static [&'static str] = &[
        "alliance_id",
        "menu_kind",
        "depth",
        "path",
        "label",
        "href",
        "pages_seen",
    ];
    fn neutralise(&mut self) {
        neutralise_mut(&mut self.alliance_id);
        neutralise_mut(&mut self.path);
        neutralise_mut(&mut self.label);
        neutralise_opt(&mut self.href);
    }
}

/// `headings.csv`: every heading of every page read, in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeadingRow {
    pub alliance_id: String,
    /// The page's `final_url`.
    pub url: String,
    /// 1 for the page's first heading.
    pub position: usize,
    pub level: u8,
    pub text: String,
}

impl CsvRow for HeadingRow {
    const HEADER: &'static [&'static str] = &["alliance_id", "url", "position", "level", "text"];
    fn neutralise(&mut self) {
        neutralise_mut(&mut self.alliance_id);
        neutralise_mut(&mut self.url);
        neutralise_mut(&mut self.text);
    }
}

/// `evidence.csv`: every topic match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRow {
    pub alliance_id: String,
    pub topic: String,
    /// The page's `final_url`.
    pub url: String,
    pub location: Location,
    pub term: String,
    pub collaboration: bool,
    pub snippet: String,
}

impl CsvRow for EvidenceRow {
    const HEADER: &'static [&'static str] = &[
        "alliance_id",
        "topic",
        "url",
        "location",
        "term",
        "collaboration",
        "snippet",
    ];
    fn neutralise(&mut self) {
        neutralise_mut(&mut self.alliance_id);
        neutralise_mut(&mut self.topic);
        neutralise_mut(&mut self.url);
        neutralise_mut(&mut self.term);
        neutralise_mut(&mut self.snippet);
    }
}

/// `evidence.jsonl` only: what makes the verdict and score explainable row by row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceExtra {
    pub level: Level,
    pub weight: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub menu_kind: Option<MenuKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading_level: Option<u8>,
}

/// `errors.csv`: every page whose outcome is not `ok`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorRow {
    pub alliance_id: String,
    /// The URL as queued (the `url` of `pages.csv`).
    pub url: String,
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl CsvRow for ErrorRow {
    const HEADER: &'static [&'static str] = &["alliance_id", "url", "outcome", "status", "error"];
    fn neutralise(&mut self) {
        neutralise_mut(&mut self.alliance_id);
        neutralise_mut(&mut self.url);
        neutralise_opt(&mut self.error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header the csv crate derives from the serde field names, in order.
    fn fields<R: Serialize>(row: &R) -> Vec<String> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.serialize(row).unwrap();
        let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
        let header = text.lines().next().unwrap();
        header.split(',').map(str::to_string).collect()
    }

    fn s(text: &str) -> String {
        text.to_string()
    }

    #[test]
    fn headers_match_the_serialised_fields() {
        let summary = SummaryRow {
            alliance_id: s("a"),
            alliance_name: s("A"),
            topic: s("t"),
            verdict: Level::Absent,
            score: 0,
            coverage: 1.0,
            pages_ok: 1,
            pages_failed: 0,
            pages_blocked: 0,
            evidence_count: 0,
            first_evidence_url: None,
            started_at: None,
            finished_at: None,
            urls_known: 1,
            urls_read: 1,
            urls_skipped: 0,
            unread_relevant: 0,
        };
        assert_eq!(fields(&summary), SummaryRow::HEADER);
        let skipped = SkippedRow {
            alliance_id: s("a"),
            url: s("u"),
            reason: SkipReason::MaxPages,
            found_by: FoundBy::Sitemap,
            found_on: None,
            depth: 2,
            priority: -10,
            relevant: false,
        };
        assert_eq!(fields(&skipped), SkippedRow::HEADER);
        let page = PageRow {
            alliance_id: s("a"),
            url: s("u"),
            final_url: s("u"),
            depth: 0,
            outcome: Outcome::Ok,
            status: None,
            content_type: None,
            title: None,
            lang: None,
            words: None,
            headings: None,
            nav_items: None,
            verdict: None,
            error: None,
        };
        assert_eq!(fields(&page), PageRow::HEADER);
        let nav = NavRow {
            alliance_id: s("a"),
            menu_kind: MenuKind::Primary,
            depth: 0,
            path: s(""),
            label: s("l"),
            href: None,
            pages_seen: 1,
        };
        assert_eq!(fields(&nav), NavRow::HEADER);
        let heading = HeadingRow {
            alliance_id: s("a"),
            url: s("u"),
            position: 1,
            level: 1,
            text: s("t"),
        };
        assert_eq!(fields(&heading), HeadingRow::HEADER);
        let evidence = EvidenceRow {
            alliance_id: s("a"),
            topic: s("t"),
            url: s("u"),
            location: Location::Body,
            term: s("t"),
            collaboration: false,
            snippet: s("s"),
        };
        assert_eq!(fields(&evidence), EvidenceRow::HEADER);
        let error = ErrorRow {
            alliance_id: s("a"),
            url: s("u"),
            outcome: Outcome::Timeout,
            status: None,
            error: None,
        };
        assert_eq!(fields(&error), ErrorRow::HEADER);
    }
}
