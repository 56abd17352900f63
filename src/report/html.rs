//! `report.html`: the run as one self-contained page a person can read, with no script,
//! no external style sheet and no request to anywhere.
//!
//! Every string from the web (labels, snippets, URLs, titles) is HTML-escaped, and only
//! `http`/`https` URLs become links: a menu item's `javascript:` href stays text.
//! The page holds what fits in memory for any crawl size: the summary rows, each
//! alliance's top-level primary menu, and a few evidence rows per alliance and topic
//! (the strongest, one per distinct snippet). Everything else is in the CSV files.

mod matrix;
mod timeline;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::rows::{NavRow, SummaryRow};
use super::run::{RunInfo, RunTotals};
use crate::detect::{AllianceSummary, Evidence, Level};
use crate::extract::MenuKind;

pub use timeline::{TimelinePoint, TIMELINE_RUNS};

/// Evidence rows kept per alliance and topic.
const SAMPLES: usize = 5;

/// Primary menu items kept per alliance (three levels deep at most).
const MENU_ITEMS: usize = 150;
const MENU_DEPTH: usize = 2;

/// One item of an alliance's primary menu, as `navigation.csv` has it.
#[derive(Debug, Clone)]
struct MenuItem {
    path: String,
    label: String,
    href: Option<String>,
    seen: usize,
}

/// `text` with `& < > " '` escaped, safe in element content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link when `url` is http(s), else the escaped text.
fn link(url: &str, text: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        format!("<a href=\"{}\">{}</a>", escape(url), escape(text))
    } else {
        escape(text)
    }
}

#[derive(Debug, Clone)]
struct Sample {
    level: Level,
    location: &'static str,
    term: String,
    snippet: String,
    url: String,
}

/// What `report.html` shows beyond the summary, gathered while the run streams by.
#[derive(Debug, Default)]
pub(crate) struct HtmlNotes {
    /// alliance → its primary menu's items, in order of first appearance.
    menus: BTreeMap<String, Vec<MenuItem>>,
    /// alliance → topic → the strongest evidence rows, distinct by snippet.
    samples: BTreeMap<String, BTreeMap<String, Vec<Sample>>>,
    /// alliance → the run compared with, and what changed since (plain text lines).
    changes: BTreeMap<String, (String, Vec<String>)>,
    /// alliance → what was read of it, and the best unread URLs naming a topic.
    reading: BTreeMap<String, Reading>,
    /// (alliance, topic) of each `absent` that unread relevant URLs could overturn.
    uncertain: BTreeSet<(String, String)>,
    /// alliance → its verdicts over its runs (from the run database; `None` without one).
    history: Option<BTreeMap<String, Vec<TimelinePoint>>>,
}

/// How much of an alliance's site was read.
#[derive(Debug, Clone, Default)]
struct Reading {
    read: usize,
    known: usize,
    unread_relevant: usize,
    top_unread: Vec<String>,
}

impl HtmlNotes {
    pub(crate) fn navigation(&mut self, row: &NavRow) {
        if row.menu_kind == MenuKind::Primary && row.depth <= MENU_DEPTH {
            let items = self.menus.entry(row.alliance_id.clone()).or_default();
            if items.len() < MENU_ITEMS {
                items.push(MenuItem {
                    path: row.path.clone(),
                    label: row.label.clone(),
                    href: row.href.clone(),
                    seen: row.pages_seen,
                });
            }
        }
    }

    pub(crate) fn summary(&mut self, summary: &AllianceSummary) {
        self.reading.insert(
            summary.alliance_id.clone(),
            Reading {
                read: summary.urls_read,
                known: summary.urls_known,
                unread_relevant: summary.unread_relevant,
                top_unread: summary.top_unread_relevant.clone(),
            },
        );
        if summary.uncertain_absence() {
            self.uncertain
                .insert((summary.alliance_id.clone(), summary.topic.clone()));
        }
    }

    pub(crate) fn changes(&mut self, alliance_id: &str, since: &str, lines: Vec<String>) {
        self.changes
            .insert(alliance_id.to_string(), (since.to_string(), lines));
    }

    pub(crate) fn history(&mut self, alliance_id: &str, points: Vec<TimelinePoint>) {
        self.history
            .get_or_insert_with(BTreeMap::new)
            .insert(alliance_id.to_string(), points);
    }

    pub(crate) fn evidence(&mut self, alliance_id: &str, url: &str, e: &Evidence) {
        let kept = self
            .samples
            .entry(alliance_id.to_string())
            .or_default()
            .entry(e.topic.clone())
            .or_default();
        if kept.iter().any(|s| s.snippet == e.snippet) {
            return;
        }
        let sample = Sample {
            level: e.level,
            location: e.location.as_str(),
            term: e.term.clone(),
            snippet: e.snippet.clone(),
            url: url.to_string(),
        };
        if kept.len() < SAMPLES {
            kept.push(sample);
        } else if let Some(weakest) = kept
            .iter_mut()
            .filter(|s| s.level < e.level)
            .min_by_key(|s| s.level)
        {
            *weakest = sample;
        }
    }

    /// The whole page.
    pub(crate) fn render(&self, run: &RunInfo, finished_at: &str, totals: &RunTotals) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>alliance-audit run {id}</title>\n<style>{STYLE}{matrix_style}{timeline_style}</style>\n\
             </head>\n<body>\n\
             <h1>alliance-audit run {id}</h1>\n<p>Started {start}, finished {end}. \
             alliance-audit {version}, configuration {hash}. {pages} page records.</p>\n",
            id = escape(&run.run_id),
            start = escape(&run.started_at),
            end = escape(finished_at),
            version = escape(&run.tool_version),
            hash = escape(&run.config_hash),
            pages = totals.pages,
            matrix_style = matrix::STYLE,
            timeline_style = timeline::STYLE,
        );
        let warc = archive_name(run);
        if let Some(warc) = &warc {
            let _ = writeln!(
                out,
                "<p>Every request and response of this run is archived in <code>{}</code> \
                 (WARC): <code>alliance-audit replay</code> rebuilds the run from it.</p>",
                escape(warc)
            );
        }
        if totals.interrupted {
            out.push_str(
                "<p class=\"warn\">This run was interrupted: some alliances were not \
                 crawled to the end (their finish time is empty).</p>\n",
            );
        }
        matrix::render(&mut out, &run.topics, &totals.summary, &self.uncertain);
        let names = alliances(totals);
        timeline::render(
            &mut out,
            &run.run_id,
            &names,
            &run.topics,
            self.history.as_ref(),
        );
        out.push_str(
            "<h2>Summary</h2>\n<table>\n<tr><th>Alliance</th><th>Topic</th><th>Verdict</th>\
             <th>Score</th><th>Coverage (read of known)</th><th>Pages ok</th><th>Failed</th><th>Blocked</th>\
             <th>Evidence</th><th>First evidence</th></tr>\n",
        );
        for row in &totals.summary {
            self.summary_row(&mut out, row);
        }
        out.push_str(
            "</table>\n<p>Verdicts: <b>leading</b> (primary menu, or h1/h2 of a page at depth \
             ≤ 1), <b>present</b> (other heading, title, menu, URL), <b>mentioned</b> (body \
             text only), <b>absent</b>, <b>unknown</b> (no page could be read). Coverage \
             below 50% is marked: an absence there speaks for less than half the site. \
             Coverage is URLs read against URLs known (links and sitemap entries); an \
             <b>absent?</b> had unread URLs whose address or link names the topic, so it \
             is not a confident absence.</p>\n",
        );
        for (alliance_id, name) in names {
            let _ = writeln!(out, "<h2>{}</h2>", escape(name));
            if let Some(reading) = self.reading.get(alliance_id) {
                reading_notes(&mut out, reading);
            }
            if let Some(menu) = self.menus.get(alliance_id) {
                out.push_str("<p>Primary menu:</p>\n");
                menu_tree(&mut out, menu, "", 0);
            }
            let topics = self.samples.get(alliance_id).into_iter().flatten();
            for (topic, samples) in topics {
                let mut samples = samples.clone();
                samples.sort_by_key(|s| std::cmp::Reverse(s.level));
                let _ = writeln!(
                    out,
                    "<h3>Evidence: {}</h3>\n<table>\n<tr><th>Level</th><th>Where</th>\
                     <th>Term</th><th>Snippet</th><th>Page</th></tr>",
                    escape(topic)
                );
                for s in &samples {
                    let archived = match &warc {
                        Some(warc) => format!(
                            " <small class=\"warc\">archived in {}</small>",
                            escape(warc)
                        ),
                        None => String::new(),
                    };
                    let _ = writeln!(
                        out,
                        "<tr class=\"evidence\"><td class=\"{level}\">{level}</td><td>{loc}</td><td>{term}</td>\
                         <td>{snippet}</td><td>{page}{archived}</td></tr>",
                        level = s.level.as_str(),
                        loc = s.location,
                        term = escape(&s.term),
                        snippet = escape(&s.snippet),
                        page = link(&s.url, &s.url),
                    );
                }
                out.push_str("</table>\n");
            }
            if let Some((since, lines)) = self.changes.get(alliance_id) {
                let _ = writeln!(out, "<h3>Changes since run {}</h3>", escape(since));
                if lines.is_empty() {
                    out.push_str("<p>No changes.</p>\n");
                } else {
                    out.push_str("<ul>\n");
                    for line in lines {
                        let _ = writeln!(out, "<li>{}</li>", escape(line));
                    }
                    out.push_str("</ul>\n");
                }
            }
        }
        out.push_str(
            "<p><small>Every row is in the CSV and JSON Lines files beside this page; \
             docs/reports.md describes their columns.</small></p>\n</body>\n</html>\n",
        );
        out
    }

    fn summary_row(&self, out: &mut String, row: &SummaryRow) {
        let low = if row.coverage < crate::detect::LOW_COVERAGE {
            " class=\"warn\""
        } else {
            ""
        };
        let uncertain = self
            .uncertain
            .contains(&(row.alliance_id.clone(), row.topic.clone()));
        let (verdict_class, verdict_text) = if uncertain {
            ("warn", "absent?")
        } else {
            (row.verdict.as_str(), row.verdict.as_str())
        };
        let first = row
            .first_evidence_url
            .as_deref()
            .map(|url| link(url, url))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{name}</td><td>{topic}</td><td class=\"{verdict_class}\">{verdict_text}</td>\
             <td>{score}</td><td{low}>{coverage:.0}% <small>({ok} of {known})</small></td>\
             <td>{ok}</td><td>{failed}</td><td>{blocked}</td><td>{evidence}</td>\
             <td>{first}</td></tr>",
            name = escape(&row.alliance_name),
            topic = escape(&row.topic),
            known = row.urls_known,
            score = row.score,
            coverage = row.coverage * 100.0,
            ok = row.pages_ok,
            failed = row.pages_failed,
            blocked = row.pages_blocked,
            evidence = row.evidence_count,
        );
    }
}

/// The file name of the run's WARC archive, when it was archived (`crawl --warc`
/// records the path in the run's options).
fn archive_name(run: &RunInfo) -> Option<String> {
    let path = run.options.get("warc")?.as_str()?;
    let name = std::path::Path::new(path).file_name()?.to_string_lossy();
    Some(name.into_owned())
}

/// "Read N of M known URLs", and the unread ones that name a topic.
fn reading_notes(out: &mut String, reading: &Reading) {
    let _ = writeln!(
        out,
        "<p>Read {} of {} known URLs (pages linked or listed in sitemaps; skipped.csv says \
         why each other one was not read).</p>",
        reading.read, reading.known
    );
    if reading.unread_relevant > 0 {
        let _ = writeln!(
            out,
            "<p class=\"warn\">{} unread URLs name a topic; the best of them:</p>\n<ul>",
            reading.unread_relevant
        );
        for url in &reading.top_unread {
            let _ = writeln!(out, "<li>{}</li>", link(url, url));
        }
        out.push_str("</ul>\n");
    }
}

/// The items under `parent` (a path, `""` for the top level) as a nested list.
fn menu_tree(out: &mut String, items: &[MenuItem], parent: &str, depth: usize) {
    let children: Vec<&MenuItem> = items.iter().filter(|i| i.path == parent).collect();
    if children.is_empty() || depth > MENU_DEPTH {
        return;
    }
    out.push_str("<ul class=\"menu\">\n");
    for item in children {
        let label = match &item.href {
            Some(href) => link(href, &item.label),
            None => escape(&item.label),
        };
        let _ = write!(out, "<li>{label} <small>({} pages)</small>", item.seen);
        let path = if parent.is_empty() {
            item.label.clone()
        } else {
            format!("{parent} > {}", item.label)
        };
        menu_tree(out, items, &path, depth + 1);
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// Each alliance once, in summary order, with its name.
fn alliances(totals: &RunTotals) -> Vec<(&str, &str)> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for row in &totals.summary {
        if seen.last().map(|(id, _)| *id) != Some(row.alliance_id.as_str()) {
            seen.push((&row.alliance_id, &row.alliance_name));
        }
    }
    seen
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;max-width:75em}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;\
text-align:left;vertical-align:top}th{background:#f3f3f3}.leading{background:#c8e6c9}\
.present{background:#e6f2c8}.mentioned{background:#fff3c4}.absent{background:#eee}\
.unknown,.warn{background:#ffd6d6}small{color:#666}ul.menu{margin:.2em 0;padding-left:1.4em}";

#[cfg(test)]
mod tests;
