//! Verdicts across runs: one small strip chart per alliance (small multiples), drawn
//! as inline SVG by us, so the page stays one file that reads without script. A
//! column per run (oldest left, this run outlined), a row per topic, each square
//! coloured by the verdict, hatched when under half the site was read, marked `?` for
//! an absence that unread URLs could overturn; its `<title>` says the rest.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape;
use crate::detect::{Level, LOW_COVERAGE};

/// One alliance's verdict on one topic in one run, as the run database has it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePoint {
    pub run_id: String,
    /// RFC 3339, of the run.
    pub started_at: String,
    pub topic: String,
    pub verdict: Level,
    pub coverage: f64,
    /// `absent` with unread URLs naming the topic.
    pub uncertain: bool,
}

/// Runs shown per alliance, the newest.
pub const TIMELINE_RUNS: usize = 24;

const CELL: usize = 16;
const GAP: usize = 3;
const LABEL: usize = 150;

pub(super) fn fill(level: Level, uncertain: bool) -> &'static str {
    match (level, uncertain) {
        (_, true) => "#ffcc80",
        (Level::Leading, _) => "#66bb6a",
        (Level::Present, _) => "#aed581",
        (Level::Mentioned, _) => "#ffe082",
        (Level::Absent, _) => "#e0e0e0",
        (Level::Unknown, _) => "#ef9a9a",
    }
}

/// The timeline section, for `alliances` (id, name) in page order. `history` holds each
/// alliance's points over its runs up to `run_id`; `None` when there is no database.
pub(super) fn render(
    out: &mut String,
    run_id: &str,
    alliances: &[(&str, &str)],
    topics: &[String],
    history: Option<&BTreeMap<String, Vec<TimelinePoint>>>,
) {
    out.push_str("<section id=\"timeline\">\n<h2>Verdicts over runs</h2>\n");
    let Some(history) = history else {
        out.push_str(
            "<p>No run database: the verdicts of earlier runs are not known.</p>\n</section>\n",
        );
        return;
    };
    let most_runs = alliances
        .iter()
        .map(|(id, _)| runs_of(history.get(*id).map(Vec::as_slice).unwrap_or_default()).len())
        .max()
        .unwrap_or(0);
    if most_runs < 2 {
        out.push_str(
            "<p>This is the first run of these alliances in the database: the timeline \
             appears from the second run on.</p>\n</section>\n",
        );
        return;
    }
    let _ = writeln!(
        out,
        "<p>Each alliance's verdict in each of its last {TIMELINE_RUNS} runs at most (oldest \
         left; this run outlined). Hatched: coverage under {:.0}%; ?: absent, but unread URLs \
         name the topic. Hover a square for the run, the verdict and the coverage.</p>\n\
         <div class=\"multiples\">",
        LOW_COVERAGE * 100.0
    );
    for (index, (alliance_id, name)) in alliances.iter().enumerate() {
        let points = history
            .get(*alliance_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let _ = write!(
            out,
            "<figure class=\"strip\" data-alliance=\"{}\"><figcaption>{}</figcaption>",
            escape(alliance_id),
            escape(name)
        );
        chart(out, index, run_id, topics, points);
        let runs = runs_of(points);
        if let (Some(first), Some(last)) = (runs.first(), runs.last()) {
            let day = |started: &str| escape(started.get(..10).unwrap_or(started));
            let _ = write!(
                out,
                "<small class=\"span\">{} run{}, {} → {}</small>",
                runs.len(),
                if runs.len() == 1 { "" } else { "s" },
                day(first.1),
                day(last.1)
            );
        }
        out.push_str("</figure>\n");
    }
    out.push_str("</div>\n</section>\n");
}

/// Run ids of `points`, oldest first, with their start times.
fn runs_of(points: &[TimelinePoint]) -> Vec<(&str, &str)> {
    let mut runs: Vec<(&str, &str)> = Vec::new();
    for point in points {
        if !runs.iter().any(|(id, _)| *id == point.run_id) {
            runs.push((&point.run_id, &point.started_at));
        }
    }
    runs.sort();
    runs
}

fn chart(
    out: &mut String,
    index: usize,
    run_id: &str,
    topics: &[String],
    points: &[TimelinePoint],
) {
    let runs = runs_of(points);
    let mut rows: Vec<&str> = topics.iter().map(String::as_str).collect();
    for point in points {
        if !rows.contains(&point.topic.as_str()) {
            rows.push(&point.topic);
        }
    }
    let label = if rows.len() > 1 { LABEL } else { 0 };
    let width = label + runs.len().max(1) * (CELL + GAP) + GAP;
    let height = rows.len() * (CELL + GAP) + GAP;
    let hatch = format!("hatch{index}");
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"verdicts over {} runs\">\
         <defs><pattern id=\"{hatch}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"5\" fill=\"#0003\"/></pattern></defs>",
        runs.len()
    );
    for (row, topic) in rows.iter().enumerate() {
        let y = GAP + row * (CELL + GAP);
        if label > 0 {
            let _ = write!(
                out,
                "<text x=\"0\" y=\"{}\" font-size=\"11\">{}</text>",
                y + CELL - 4,
                escape(&shorten(topic, 24))
            );
        }
        for (column, (run, started)) in runs.iter().enumerate() {
            let x = label + GAP + column * (CELL + GAP);
            let Some(point) = points
                .iter()
                .find(|p| p.run_id == *run && p.topic == *topic)
            else {
                let _ = write!(
                    out,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"none\" \
                     stroke=\"#ccc\" stroke-dasharray=\"2\"><title>{}: not crawled</title></rect>",
                    escape(run)
                );
                continue;
            };
            let shown = if point.uncertain {
                "absent?"
            } else {
                point.verdict.as_str()
            };
            let current = if *run == run_id {
                " stroke=\"#000\" stroke-width=\"2\""
            } else {
                " stroke=\"#fff\""
            };
            let _ = write!(
                out,
                "<g class=\"point {shown}\"><title>{}: run {} ({}), {shown}, coverage {:.0}%</title>\
                 <rect x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"{}\"{current}/>",
                escape(topic),
                escape(run),
                escape(started.get(..10).unwrap_or(started)),
                point.coverage * 100.0,
                fill(point.verdict, point.uncertain),
            );
            if point.coverage < LOW_COVERAGE {
                let _ = write!(
                    out,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"url(#{hatch})\"/>"
                );
            }
            if point.uncertain {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">?</text>",
                    x + CELL / 2,
                    y + CELL - 4
                );
            }
            out.push_str("</g>");
        }
    }
    out.push_str("</svg>");
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

/// The timeline's own styles.
pub(super) const STYLE: &str = ".multiples{display:flex;flex-wrap:wrap;gap:.8em}\
figure.strip{margin:0;padding:.4em;border:1px solid #ddd}\
figure.strip figcaption{font-size:.85em;margin-bottom:.2em}\
figure.strip svg,figure.strip small.span{display:block}";

#[cfg(test)]
mod tests {
    use super::*;

    fn point(run: &str, topic: &str, verdict: Level, coverage: f64) -> TimelinePoint {
        TimelinePoint {
            run_id: run.into(),
            started_at: format!("2026-0{}-01T00:00:00Z", &run[1..]),
            topic: topic.into(),
            verdict,
            coverage,
            uncertain: false,
        }
    }

    #[test]
    fn one_strip_per_alliance_with_a_square_per_run() {
        let history: BTreeMap<String, Vec<TimelinePoint>> = [(
            "wun".to_string(),
            vec![
                point("r2", "lib", Level::Leading, 0.9),
                point("r1", "lib", Level::Absent, 0.3),
            ],
        )]
        .into();
        let topics = vec!["lib".to_string()];
        let mut out = String::new();
        render(&mut out, "r2", &[("wun", "<WUN>")], &topics, Some(&history));
        assert_eq!(out.matches("<svg").count(), 1);
        assert_eq!(out.matches("class=\"point ").count(), 2);
        // Oldest first; the low-coverage run hatched; this run outlined.
        let absent = out.find("point absent").unwrap();
        let leading = out.find("point leading").unwrap();
        assert!(absent < leading, "{out}");
        assert_eq!(out.matches("url(#hatch0)").count(), 1);
        assert!(out.contains("stroke=\"#000\""));
        assert!(out.contains("&lt;WUN&gt;"));
    }

    #[test]
    fn a_single_run_says_the_timeline_comes_later() {
        let history: BTreeMap<String, Vec<TimelinePoint>> = [(
            "wun".to_string(),
            vec![point("r1", "lib", Level::Absent, 1.0)],
        )]
        .into();
        let mut out = String::new();
        render(
            &mut out,
            "r1",
            &[("wun", "WUN")],
            &["lib".into()],
            Some(&history),
        );
        assert!(out.contains("first run"));
        assert!(!out.contains("<svg"));
    }
}
