//! A diff as text for a terminal, or as CSV rows for a spreadsheet or a script.

use std::fmt::Write as _;

use super::{AllianceDiff, RunDiff};
use crate::report::neutralise;
use crate::store::NavEntry;

/// The CSV header of [`to_csv`].
pub const CSV_HEADER: [&str; 6] = ["alliance_id", "change", "kind", "url", "old", "new"];

fn item_name(entry: &NavEntry) -> String {
    if entry.path.is_empty() {
        entry.label.clone()
    } else {
        format!("{} > {}", entry.path, entry.label)
    }
}

/// Reads well in a terminal: one block per alliance, `+` added, `-` removed, `~` changed.
pub fn to_text(diff: &RunDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "changes from run {} to run {}", diff.older, diff.newer);
    for a in &diff.alliances {
        let _ = writeln!(out);
        alliance_text(&mut out, a, diff);
    }
    out
}

fn alliance_text(out: &mut String, a: &AllianceDiff, diff: &RunDiff) {
    if !a.in_older {
        let _ = writeln!(out, "{}: not in run {}", a.alliance_id, diff.older);
        return;
    }
    if !a.in_newer {
        let _ = writeln!(out, "{}: not in run {}", a.alliance_id, diff.newer);
        return;
    }
    if a.is_empty() {
        let _ = writeln!(out, "{}: no changes", a.alliance_id);
        return;
    }
    let _ = writeln!(out, "{}", a.alliance_id);
    for v in &a.verdicts {
        let _ = writeln!(
            out,
            "  verdict {}: {} -> {} (score {} -> {}); evidence {}:",
            v.topic, v.from, v.to, v.score_from, v.score_to, v.evidence_is
        );
        for e in &v.evidence {
            let _ = writeln!(out, "      [{}] {:?} on {}", e.location, e.snippet, e.url);
        }
    }
    if !(a.nav_added.is_empty() && a.nav_removed.is_empty() && a.nav_renamed.is_empty()) {
        let _ = writeln!(out, "  navigation:");
        for r in &a.nav_renamed {
            let place = if r.path.is_empty() {
                String::new()
            } else {
                format!("{} > ", r.path)
            };
            if r.change() == "moved" {
                let _ = writeln!(
                    out,
                    "    ~ {:<10} {place}{:?} moved: {} -> {}",
                    r.menu_kind,
                    r.new_label,
                    r.old_href.as_deref().unwrap_or("-"),
                    r.new_href.as_deref().unwrap_or("-")
                );
            } else {
                let _ = writeln!(
                    out,
                    "    ~ {:<10} {place}{:?} renamed {:?} ({})",
                    r.menu_kind,
                    r.old_label,
                    r.new_label,
                    r.new_href.as_deref().unwrap_or("-")
                );
            }
        }
        for (sign, items) in [("+", &a.nav_added), ("-", &a.nav_removed)] {
            for item in items {
                let _ = writeln!(
                    out,
                    "    {sign} {:<10} {:?} ({})",
                    item.menu_kind,
                    item_name(item),
                    item.href.as_deref().unwrap_or("-")
                );
            }
        }
    }
    if !(a.pages_new.is_empty()
        && a.pages_gone.is_empty()
        && a.pages_failing.is_empty()
        && a.pages_recovered.is_empty())
    {
        let _ = writeln!(out, "  pages:");
        for url in &a.pages_new {
            let _ = writeln!(out, "    + new       {url}");
        }
        for url in &a.pages_gone {
            let _ = writeln!(out, "    - gone      {url}");
        }
        for f in &a.pages_failing {
            let status = f.status.map(|s| format!(" {s}")).unwrap_or_default();
            let _ = writeln!(out, "    ! failing   {} ({}{status})", f.url, f.outcome);
        }
        for url in &a.pages_recovered {
            let _ = writeln!(out, "    ~ recovered {url}");
        }
    }
    if !a.headings.is_empty() {
        let _ = writeln!(out, "  headings:");
        for page in &a.headings {
            let _ = writeln!(out, "    {}", page.url);
            for h in &page.added {
                let _ = writeln!(out, "      + h{} {:?}", h.level, h.text);
            }
            for h in &page.removed {
                let _ = writeln!(out, "      - h{} {:?}", h.level, h.text);
            }
        }
    }
}

/// One row per change: `alliance_id, change, kind, url, old, new`. `change` is one of
/// `verdict`, `verdict_evidence`, `nav_added`, `nav_removed`, `nav_renamed`,
/// `nav_moved`, `page_new`, `page_gone`, `page_failing`, `page_recovered`,
/// `heading_added`, `heading_removed`, `alliance_added`, `alliance_removed`. String
/// cells a spreadsheet would run as a formula are neutralised.
pub fn to_csv(diff: &RunDiff) -> String {
    let mut rows: Vec<[String; 6]> = Vec::new();
    let s = |t: &str| t.to_string();
    for a in &diff.alliances {
        let id = a.alliance_id.clone();
        if !a.in_older {
            rows.push([id.clone(), s("alliance_added"), s(""), s(""), s(""), s("")]);
            continue;
        }
        if !a.in_newer {
            rows.push([
                id.clone(),
                s("alliance_removed"),
                s(""),
                s(""),
                s(""),
                s(""),
            ]);
            continue;
        }
        for v in &a.verdicts {
            rows.push([
                id.clone(),
                s("verdict"),
                v.topic.clone(),
                s(""),
                format!("{} ({})", v.from, v.score_from),
                format!("{} ({})", v.to, v.score_to),
            ]);
            for e in &v.evidence {
                let (old, new) = if v.evidence_is == "lost" {
                    (e.snippet.clone(), String::new())
                } else {
                    (String::new(), e.snippet.clone())
                };
                rows.push([
                    id.clone(),
                    s("verdict_evidence"),
                    format!("{}:{}", v.topic, e.location),
                    e.url.clone(),
                    old,
                    new,
                ]);
            }
        }
        for r in &a.nav_renamed {
            let (change, old, new) = if r.change() == "moved" {
                (
                    "nav_moved",
                    r.old_href.clone().unwrap_or_default(),
                    r.new_href.clone().unwrap_or_default(),
                )
            } else {
                ("nav_renamed", r.old_label.clone(), r.new_label.clone())
            };
            rows.push([
                id.clone(),
                s(change),
                s(r.menu_kind.as_str()),
                r.new_href.clone().unwrap_or_default(),
                old,
                new,
            ]);
        }
        for (change, items) in [("nav_added", &a.nav_added), ("nav_removed", &a.nav_removed)] {
            for item in items {
                let name = item_name(item);
                let (old, new) = if change == "nav_added" {
                    (String::new(), name)
                } else {
                    (name, String::new())
                };
                rows.push([
                    id.clone(),
                    s(change),
                    s(item.menu_kind.as_str()),
                    item.href.clone().unwrap_or_default(),
                    old,
                    new,
                ]);
            }
        }
        for url in &a.pages_new {
            rows.push([id.clone(), s("page_new"), s(""), url.clone(), s(""), s("")]);
        }
        for url in &a.pages_gone {
            rows.push([id.clone(), s("page_gone"), s(""), url.clone(), s(""), s("")]);
        }
        for f in &a.pages_failing {
            let new = match f.status {
                Some(status) => format!("{} {status}", f.outcome),
                None => f.outcome.to_string(),
            };
            rows.push([
                id.clone(),
                s("page_failing"),
                s(""),
                f.url.clone(),
                s("ok"),
                new,
            ]);
        }
        for url in &a.pages_recovered {
            rows.push([
                id.clone(),
                s("page_recovered"),
                s(""),
                url.clone(),
                s(""),
                s("ok"),
            ]);
        }
        for page in &a.headings {
            for h in &page.added {
                rows.push([
                    id.clone(),
                    s("heading_added"),
                    format!("h{}", h.level),
                    page.url.clone(),
                    s(""),
                    h.text.clone(),
                ]);
            }
            for h in &page.removed {
                rows.push([
                    id.clone(),
                    s("heading_removed"),
                    format!("h{}", h.level),
                    page.url.clone(),
                    h.text.clone(),
                    s(""),
                ]);
            }
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_HEADER).expect("writing to memory");
    for mut row in rows {
        // `change` and `kind` are ours; the rest may come from the web.
        for cell in [0, 3, 4, 5] {
            row[cell] = neutralise(&row[cell]).into_owned();
        }
        out.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}

/// Lines of each kind listed in [`summary_lines`] before "and N more".
const SUMMARY_LINES_PER_KIND: usize = 10;

/// One alliance's changes as short plain-text lines, for `report.html`.
pub fn summary_lines(a: &AllianceDiff) -> Vec<String> {
    let mut out = Vec::new();
    for v in &a.verdicts {
        out.push(format!(
            "verdict {}: {} → {} (score {} → {})",
            v.topic, v.from, v.to, v.score_from, v.score_to
        ));
        for e in v.evidence.iter().take(3) {
            out.push(format!(
                "  evidence {}: [{}] \"{}\" on {}",
                v.evidence_is, e.location, e.snippet, e.url
            ));
        }
    }
    let mut kind = |lines: Vec<String>| {
        let more = lines.len().saturating_sub(SUMMARY_LINES_PER_KIND);
        out.extend(lines.into_iter().take(SUMMARY_LINES_PER_KIND));
        if more > 0 {
            out.push(format!("  … and {more} more"));
        }
    };
    kind(
        a.nav_renamed
            .iter()
            .map(|r| {
                if r.change() == "moved" {
                    format!(
                        "{} menu item \"{}\" now links to {}",
                        r.menu_kind,
                        r.new_label,
                        r.new_href.as_deref().unwrap_or("nothing")
                    )
                } else {
                    format!(
                        "{} menu item renamed: \"{}\" → \"{}\"",
                        r.menu_kind, r.old_label, r.new_label
                    )
                }
            })
            .collect(),
    );
    kind(
        a.nav_added
            .iter()
            .map(|i| format!("{} menu item added: \"{}\"", i.menu_kind, item_name(i)))
            .collect(),
    );
    kind(
        a.nav_removed
            .iter()
            .map(|i| format!("{} menu item removed: \"{}\"", i.menu_kind, item_name(i)))
            .collect(),
    );
    kind(
        a.pages_new
            .iter()
            .map(|u| format!("new page: {u}"))
            .collect(),
    );
    kind(
        a.pages_gone
            .iter()
            .map(|u| format!("page gone: {u}"))
            .collect(),
    );
    kind(
        a.pages_failing
            .iter()
            .map(|f| match f.status {
                Some(status) => format!("page now failing: {} ({} {status})", f.url, f.outcome),
                None => format!("page now failing: {} ({})", f.url, f.outcome),
            })
            .collect(),
    );
    kind(
        a.pages_recovered
            .iter()
            .map(|u| format!("page read again: {u}"))
            .collect(),
    );
    kind(
        a.headings
            .iter()
            .map(|h| {
                format!(
                    "headings on {}: {} added, {} removed",
                    h.url,
                    h.added.len(),
                    h.removed.len()
                )
            })
            .collect(),
    );
    out
}
