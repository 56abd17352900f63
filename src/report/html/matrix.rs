//! The matrix that opens `report.html`: one row per alliance, one column per topic,
//! each cell coloured by its verdict with the coverage behind it as a bar (hatched
//! under [`LOW_COVERAGE`]), so thirty alliances compare at a glance.
//!
//! No script sorts it: rows are grouped by their verdict on the first topic (the
//! configuration's default, strongest group first) and, within a group, by score and
//! name, which is the order a reader would sort by anyway.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::escape;
use crate::detect::{Level, LOW_COVERAGE};
use crate::report::rows::SummaryRow;

/// What one cell shows.
pub(super) struct Cell<'a> {
    row: &'a SummaryRow,
    uncertain: bool,
}

impl Cell<'_> {
    /// The verdict as shown: `absent?` for an absence unread URLs could overturn.
    fn label(&self) -> &'static str {
        if self.uncertain {
            "absent?"
        } else {
            self.row.verdict.as_str()
        }
    }

    fn class(&self) -> &'static str {
        if self.uncertain {
            "uncertain"
        } else {
            self.row.verdict.as_str()
        }
    }
}

/// The matrix section: `topics` in configuration order, the summary rows, and the
/// (alliance, topic) pairs whose absence is uncertain.
pub(super) fn render(
    out: &mut String,
    topics: &[String],
    summary: &[SummaryRow],
    uncertain: &BTreeSet<(String, String)>,
) {
    // alliance → (name, topic → cell)
    let mut rows: BTreeMap<&str, (&str, BTreeMap<&str, Cell>)> = BTreeMap::new();
    for row in summary {
        let cell = Cell {
            row,
            uncertain: uncertain.contains(&(row.alliance_id.clone(), row.topic.clone())),
        };
        rows.entry(&row.alliance_id)
            .or_insert_with(|| (&row.alliance_name, BTreeMap::new()))
            .1
            .insert(&row.topic, cell);
    }
    // Topics of the configuration first, then any other the rows name.
    let mut columns: Vec<&str> = topics.iter().map(String::as_str).collect();
    for row in summary {
        if !columns.contains(&row.topic.as_str()) {
            columns.push(&row.topic);
        }
    }
    let Some(&first) = columns.first() else {
        return;
    };
    let key = |cells: &BTreeMap<&str, Cell>| {
        cells
            .get(first)
            .map(|cell| (group_rank(cell), cell.row.score))
            .unwrap_or((0, 0))
    };
    let mut ordered: Vec<(&str, &str, &BTreeMap<&str, Cell>)> = rows
        .iter()
        .map(|(id, (name, cells))| (*id, *name, cells))
        .collect();
    ordered.sort_by(|a, b| {
        key(b.2)
            .cmp(&key(a.2))
            .then_with(|| a.1.to_lowercase().cmp(&b.1.to_lowercase()))
    });

    let _ = writeln!(
        out,
        "<section id=\"matrix\">\n<h2>Alliances × topics</h2>\n<p>Each cell: the verdict, \
         its score, and a bar for the coverage behind it (URLs read of URLs known; hatched \
         below {:.0}%). Rows are grouped by the verdict on <b>{}</b>.</p>",
        LOW_COVERAGE * 100.0,
        escape(first)
    );
    out.push_str("<table class=\"matrix\">\n<thead><tr><th>Alliance</th>");
    for topic in &columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(topic));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let mut group = None;
    for (alliance_id, name, cells) in &ordered {
        let label = cells.get(first).map(Cell::label).unwrap_or("not crawled");
        if group != Some(label) {
            let count = ordered
                .iter()
                .filter(|(_, _, c)| c.get(first).map(Cell::label).unwrap_or("not crawled") == label)
                .count();
            let _ = writeln!(
                out,
                "<tr class=\"group\"><th colspan=\"{}\">{label} <small>({count} alliance{})</small></th></tr>",
                columns.len() + 1,
                if count == 1 { "" } else { "s" }
            );
            group = Some(label);
        }
        let _ = write!(
            out,
            "<tr data-alliance=\"{}\"><th scope=\"row\">{}</th>",
            escape(alliance_id),
            escape(name)
        );
        for topic in &columns {
            match cells.get(topic) {
                Some(cell) => render_cell(out, cell),
                None => out.push_str("<td class=\"cell none\">–</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    legend(out);
    out.push_str("</section>\n");
}

/// Strongest group first; an uncertain absence ranks above a confident one.
fn group_rank(cell: &Cell) -> u8 {
    match (cell.row.verdict, cell.uncertain) {
        (Level::Leading, _) => 6,
        (Level::Present, _) => 5,
        (Level::Mentioned, _) => 4,
        (Level::Absent, true) => 3,
        (Level::Absent, false) => 2,
        (Level::Unknown, _) => 1,
    }
}

fn render_cell(out: &mut String, cell: &Cell) {
    let row = cell.row;
    let coverage = row.coverage.clamp(0.0, 1.0);
    let low = if row.coverage < LOW_COVERAGE {
        " low"
    } else {
        ""
    };
    let mut title = format!(
        "{}: {}, score {}, read {} of {} known URLs",
        row.topic,
        cell.label(),
        row.score,
        row.urls_read,
        row.urls_known
    );
    if row.unread_relevant > 0 {
        let _ = write!(
            title,
            ", {} unread URLs name the topic",
            row.unread_relevant
        );
    }
    let _ = write!(
        out,
        "<td class=\"cell {class}{low}\" title=\"{title}\"><span class=\"verdict\">{label}</span> \
         <small>{score}</small><span class=\"bar\"><span style=\"width:{width:.0}%\"></span></span>\
         <small class=\"cov\">{width:.0}% of {known}</small></td>",
        class = cell.class(),
        title = escape(&title),
        label = cell.label(),
        score = row.score,
        width = coverage * 100.0,
        known = row.urls_known,
    );
}

fn legend(out: &mut String) {
    out.push_str("<p class=\"legend\">");
    for (class, text) in [
        (
            "leading",
            "leading: primary menu, or h1/h2 near the front page",
        ),
        ("present", "present: heading, title, other menu, URL"),
        ("mentioned", "mentioned: body text only"),
        ("absent", "absent"),
        ("uncertain", "absent?: unread URLs name the topic"),
        ("unknown", "unknown: nothing could be read"),
    ] {
        let _ = write!(out, "<span class=\"key {class}\">{text}</span> ");
    }
    out.push_str("<span class=\"key low\">hatched: coverage below 50%</span></p>\n");
}

/// The matrix's own styles (verdict colours are the page's).
/// Verdict colours match the timeline's ([`super::timeline::fill`]).
pub(super) const STYLE: &str = "table.matrix td.cell{min-width:9em;white-space:nowrap}\
td.cell.leading,.key.leading{background-color:#66bb6a}td.cell.present,.key.present{background-color:#aed581}\
td.cell.mentioned,.key.mentioned{background-color:#ffe082}td.cell.absent,.key.absent{background-color:#e0e0e0}\
td.cell.uncertain,.key.uncertain{background-color:#ffcc80}td.cell.unknown,.key.unknown{background-color:#ef9a9a}\
table.matrix tr.group th{background:#fafafa;font-weight:normal;font-style:italic}\
.none{color:#999}\
.bar{display:block;height:.35em;background:#0001;margin-top:.2em}\
.bar span{display:block;height:100%;background:#555}\
.low{background-image:repeating-linear-gradient(45deg,#0000 0 4px,#0002 4px 6px)}\
.cov{display:block}.key{display:inline-block;padding:.1em .4em;margin:0 .3em .3em 0;border:1px solid #ccc}";

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        alliance: &str,
        name: &str,
        topic: &str,
        verdict: Level,
        score: u32,
        coverage: f64,
    ) -> SummaryRow {
        SummaryRow {
            alliance_id: alliance.into(),
            alliance_name: name.into(),
            topic: topic.into(),
            verdict,
            score,
            coverage,
            pages_ok: 1,
            pages_failed: 0,
            pages_blocked: 0,
            evidence_count: 0,
            first_evidence_url: None,
            started_at: None,
            finished_at: None,
            urls_known: 10,
            urls_read: (coverage * 10.0) as usize,
            urls_skipped: 0,
            unread_relevant: 0,
        }
    }

    #[test]
    fn rows_are_grouped_by_the_first_topics_verdict_strongest_first() {
        let topics = vec!["lib".to_string(), "museums".to_string()];
        let summary = vec![
            row("a", "Alpha", "lib", Level::Absent, 0, 0.3),
            row("a", "Alpha", "museums", Level::Present, 5, 0.3),
            row("b", "<Beta>", "lib", Level::Leading, 20, 1.0),
            row("b", "<Beta>", "museums", Level::Absent, 0, 1.0),
            row("c", "Gamma", "lib", Level::Absent, 0, 0.9),
            row("c", "Gamma", "museums", Level::Absent, 0, 0.9),
        ];
        let uncertain = [("c".to_string(), "lib".to_string())].into();
        let mut out = String::new();
        render(&mut out, &topics, &summary, &uncertain);
        let order: Vec<&str> = out
            .match_indices("data-alliance=\"")
            .map(|(i, m)| &out[i + m.len()..i + m.len() + 1])
            .collect();
        assert_eq!(order, ["b", "c", "a"], "{out}");
        let groups: Vec<&str> = out
            .split("<tr class=\"group\"><th colspan=\"3\">")
            .skip(1)
            .map(|s| s.split(' ').next().unwrap())
            .collect();
        assert_eq!(groups, ["leading", "absent?", "absent"]);
        assert!(out.contains("&lt;Beta&gt;") && !out.contains("<Beta>"));
        // Alpha's coverage is under half: both its cells are hatched.
        assert_eq!(out.matches("cell absent low").count(), 1, "{out}");
        assert_eq!(out.matches("cell present low").count(), 1, "{out}");
        assert!(out.contains("width:30%"));
    }
}
