//! What changed between two stored runs, per alliance: navigation items added, removed
//! and renamed, headings added and removed per page, pages new, gone, now failing (or
//! recovered), and verdict changes with the evidence that caused them.
//!
//! Pure over what the store returns: [`diff`] reads both runs and compares sets.
//!
//! Decisions worth knowing:
//! - Pages are matched by their URL as queued; headings by the page's final URL.
//! - When an alliance's start URL moved to another origin between the runs (a site
//!   that went from `http` to `https`, or the demo's fixture servers, which get a new
//!   port each run), the older run's URLs on the old origin are read as on the new one,
//!   so a move alone is not every page gone and every page new.
//! - A navigation item is (menu kind, parent path, label, href). Breadcrumbs are left
//!   out: they name pages, and page changes are reported as such. An item removed and
//!   another added in the same menu kind and path are a **rename** when they share the
//!   href (new label) or the label (new href, reported as `moved`).
//! - A verdict change lists the evidence behind the new verdict when it rose, and the
//!   evidence that disappeared when it fell.
//! - Pages skipped by design (`not_html`, `out_of_scope`, `skipped_trap`) are not
//!   reported as new or gone.

mod menus;
mod rebase;
mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use render::{summary_lines, to_csv, to_text};

use crate::detect::Level;
use crate::extract::MenuKind;
use crate::record::Outcome;
use crate::store::{EvidenceEntry, NavEntry, PageEntry, Store, StoreError};
use menus::{follow_parent_renames, pair_renames};
use rebase::Rebase;

/// Evidence rows listed per verdict change, at most.
const EVIDENCE_SHOWN: usize = 5;

/// The changes from run `older` to run `newer`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDiff {
    pub older: String,
    pub newer: String,
    pub alliances: Vec<AllianceDiff>,
}

/// The changes of one alliance.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AllianceDiff {
    pub alliance_id: String,
    pub in_older: bool,
    pub in_newer: bool,
    pub verdicts: Vec<VerdictChange>,
    pub nav_added: Vec<NavEntry>,
    pub nav_removed: Vec<NavEntry>,
    pub nav_renamed: Vec<NavRename>,
    pub pages_new: Vec<String>,
    pub pages_gone: Vec<String>,
    pub pages_failing: Vec<PageFailure>,
    pub pages_recovered: Vec<String>,
    pub headings: Vec<HeadingChanges>,
}

impl AllianceDiff {
    /// True when nothing changed (and the alliance is in both runs).
    pub fn is_empty(&self) -> bool {
        self.in_older
            && self.in_newer
            && self.verdicts.is_empty()
            && self.nav_added.is_empty()
            && self.nav_removed.is_empty()
            && self.nav_renamed.is_empty()
            && self.pages_new.is_empty()
            && self.pages_gone.is_empty()
            && self.pages_failing.is_empty()
            && self.pages_recovered.is_empty()
            && self.headings.is_empty()
    }
}

/// An alliance verdict that changed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictChange {
    pub topic: String,
    pub from: Level,
    pub to: Level,
    pub score_from: u32,
    pub score_to: u32,
    /// `gained` (the rows behind the new, stronger verdict) or `lost` (the rows behind
    /// the old verdict that are gone).
    pub evidence_is: &'static str,
    pub evidence: Vec<EvidenceEntry>,
}

/// A navigation item that kept its place but changed its label or its href.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NavRename {
    pub menu_kind: MenuKind,
    pub path: String,
    pub old_label: String,
    pub new_label: String,
    pub old_href: Option<String>,
    pub new_href: Option<String>,
}

impl NavRename {
    /// `renamed` (same href, new label) or `moved` (same label, new href).
    pub fn change(&self) -> &'static str {
        if self.old_label == self.new_label {
            "moved"
        } else {
            "renamed"
        }
    }
}

/// A page read in the older run that fails (or is blocked) in the newer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageFailure {
    pub url: String,
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// Headings added and removed on one page read in both runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeadingChanges {
    pub url: String,
    pub added: Vec<HeadingText>,
    pub removed: Vec<HeadingText>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct HeadingText {
    pub level: u8,
    pub text: String,
}

/// Compares run `older` with run `newer` (ids), for every alliance in either, or only
/// `alliance`.
pub fn diff(
    store: &Store,
    older: &str,
    newer: &str,
    alliance: Option<&str>,
) -> Result<RunDiff, StoreError> {
    let old_starts = store.start_urls(older)?;
    let new_starts = store.start_urls(newer)?;
    let ids: BTreeSet<&String> = old_starts
        .keys()
        .chain(new_starts.keys())
        .filter(|id| alliance.is_none_or(|a| a == id.as_str()))
        .collect();
    if let Some(alliance) = alliance {
        if ids.is_empty() {
            return Err(StoreError::NotFound(format!(
                "alliance \"{alliance}\" is in neither run {older} nor {newer}"
            )));
        }
    }
    let mut alliances = Vec::new();
    for id in ids {
        let mut out = AllianceDiff {
            alliance_id: id.clone(),
            in_older: old_starts.contains_key(id),
            in_newer: new_starts.contains_key(id),
            ..AllianceDiff::default()
        };
        if out.in_older && out.in_newer {
            let rebase = Rebase::new(
                old_starts.get(id).cloned().flatten().as_deref(),
                new_starts.get(id).cloned().flatten().as_deref(),
            );
            compare(store, older, newer, id, &rebase, &mut out)?;
        }
        alliances.push(out);
    }
    Ok(RunDiff {
        older: older.to_string(),
        newer: newer.to_string(),
        alliances,
    })
}

fn compare(
    store: &Store,
    older: &str,
    newer: &str,
    alliance: &str,
    rebase: &Rebase,
    out: &mut AllianceDiff,
) -> Result<(), StoreError> {
    // Verdicts, with the evidence behind a change.
    let old_verdicts = store.verdicts(older, alliance)?;
    for new in store.verdicts(newer, alliance)? {
        let Some(old) = old_verdicts.iter().find(|v| v.topic == new.topic) else {
            continue;
        };
        if old.verdict == new.verdict {
            continue;
        }
        let (evidence_is, evidence) = if new.verdict > old.verdict {
            let rows = store.evidence_at(newer, alliance, &new.topic, new.verdict)?;
            ("gained", rows.into_iter().collect::<Vec<_>>())
        } else {
            let now: BTreeSet<EvidenceEntry> = store
                .evidence_at(newer, alliance, &new.topic, old.verdict)?
                .into_iter()
                .collect();
            let rows = store
                .evidence_at(older, alliance, &new.topic, old.verdict)?
                .into_iter()
                .map(|e| rebase.evidence(e))
                .filter(|e| !now.contains(e))
                .collect();
            ("lost", rows)
        };
        out.verdicts.push(VerdictChange {
            topic: new.topic.clone(),
            from: old.verdict,
            to: new.verdict,
            score_from: old.score,
            score_to: new.score,
            evidence_is,
            evidence: distinct_snippets(evidence),
        });
    }

    // Navigation.
    let old_nav: BTreeSet<NavEntry> = store
        .nav_entries(older, alliance)?
        .into_iter()
        .map(|e| rebase.nav(e))
        .collect();
    let new_nav = store.nav_entries(newer, alliance)?;
    let mut removed: Vec<NavEntry> = old_nav.difference(&new_nav).cloned().collect();
    let mut added: Vec<NavEntry> = new_nav.difference(&old_nav).cloned().collect();
    out.nav_renamed = pair_renames(&mut removed, &mut added);
    follow_parent_renames(&out.nav_renamed, &mut removed, &mut added);
    out.nav_added = added;
    out.nav_removed = removed;

    // Pages.
    let old_pages: BTreeMap<String, PageEntry> = store
        .page_entries(older, alliance)?
        .into_iter()
        .map(|p| (rebase.url(&p.url), p))
        .collect();
    let new_pages = store.page_entries(newer, alliance)?;
    let new_urls: BTreeSet<&str> = new_pages.iter().map(|p| p.url.as_str()).collect();
    for page in &new_pages {
        if !is_page(page.outcome) {
            continue;
        }
        match old_pages.get(&page.url) {
            None => out.pages_new.push(page.url.clone()),
            Some(old) if old.outcome == Outcome::Ok && is_failure(page.outcome) => {
                out.pages_failing.push(PageFailure {
                    url: page.url.clone(),
                    outcome: page.outcome,
                    status: page.status,
                    error: page.error.clone(),
                })
            }
            Some(old) if is_failure(old.outcome) && page.outcome == Outcome::Ok => {
                out.pages_recovered.push(page.url.clone())
            }
            Some(_) => {}
        }
    }
    for (url, page) in &old_pages {
        if is_page(page.outcome) && !new_urls.contains(url.as_str()) {
            out.pages_gone.push(url.clone());
        }
    }

    // Headings of pages read in both runs.
    let old_headings: BTreeMap<String, Vec<(u8, String)>> = store
        .headings_by_page(older, alliance)?
        .into_iter()
        .map(|(url, h)| (rebase.url(&url), h))
        .collect();
    let new_headings = store.headings_by_page(newer, alliance)?;
    let read_in_both: BTreeSet<String> = new_pages
        .iter()
        .filter(|p| p.outcome == Outcome::Ok)
        .filter(|p| {
            old_pages
                .values()
                .any(|o| o.outcome == Outcome::Ok && rebase.url(&o.final_url) == p.final_url)
        })
        .map(|p| p.final_url.clone())
        .collect();
    for url in read_in_both {
        let empty = Vec::new();
        let old = old_headings.get(&url).unwrap_or(&empty);
        let new = new_headings.get(&url).unwrap_or(&empty);
        let added = multiset_minus(new, old);
        let removed = multiset_minus(old, new);
        if !added.is_empty() || !removed.is_empty() {
            out.headings.push(HeadingChanges {
                url,
                added,
                removed,
            });
        }
    }
    Ok(())
}

/// Pages a person would call pages: read, failed or blocked (not skipped by design).
fn is_page(outcome: Outcome) -> bool {
    !matches!(
        outcome,
        Outcome::NotHtml | Outcome::OutOfScope | Outcome::SkippedTrap
    )
}

fn is_failure(outcome: Outcome) -> bool {
    is_page(outcome) && outcome != Outcome::Ok
}

/// The items of `a` left after taking out one of each item of `b`.
fn multiset_minus(a: &[(u8, String)], b: &[(u8, String)]) -> Vec<HeadingText> {
    let mut left: Vec<&(u8, String)> = b.iter().collect();
    let mut out = Vec::new();
    for item in a {
        match left.iter().position(|x| *x == item) {
            Some(i) => {
                left.swap_remove(i);
            }
            None => out.push(HeadingText {
                level: item.0,
                text: item.1.clone(),
            }),
        }
    }
    out
}

/// One row per distinct snippet, at most [`EVIDENCE_SHOWN`].
fn distinct_snippets(rows: Vec<EvidenceEntry>) -> Vec<EvidenceEntry> {
    let mut seen = BTreeSet::new();
    rows.into_iter()
        .filter(|e| seen.insert((e.location.clone(), e.snippet.clone())))
        .take(EVIDENCE_SHOWN)
        .collect()
}

#[cfg(test)]
mod tests;
