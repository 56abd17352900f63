//! Detection: a page's evidence and verdict for each topic. Pure: no network, no I/O.
//!
//! Every match becomes an evidence row that says where it was found, so the verdict and
//! the score can be recomputed from the rows alone:
//!
//! | where                                   | level       | weight |
//! |-----------------------------------------|-------------|--------|
//! | primary navigation label                | `leading`   | 10     |
//! | h1/h2 of a page at depth ≤ 1            | `leading`   | 8      |
//! | other heading, page title               | `present`   | 5      |
//! | other navigation label                  | `present`   | 4      |
//! | URL path                                | `present`   | 3      |
//! | body text, a linked document's text     | `mentioned` | 1      |
//!
//! A match with a collaboration-context word in the same label, heading or sentence
//! counts double. The page verdict is the strongest row's level (`absent` with no rows)
//! and the score is the sum of the weights.

mod alliance;
mod evidence;
mod fold;
mod lexicon;
mod summary;
mod units;

pub use alliance::{AllianceSummary, AllianceTally, LOW_COVERAGE};
pub use evidence::{Detection, Evidence, Level, Location, Verdict};
pub use units::path_words;

use crate::config::{Topic, Topics};
use crate::extract::{MenuKind, Page};
use fold::Folded;
use lexicon::{Hits, Kind, Lexicon};
use units::Unit;

/// Pages at this link depth or less are the site's front: their h1/h2 lead.
const FRONT_DEPTH: usize = 1;

/// Snippets are cut to about this many characters around the match.
const SNIPPET_CHARS: usize = 240;

/// Runs detection for every topic on one page at link depth `depth` (0 for a start
/// page; `extract` counts its page as depth 0). Builds the lexicons each call; to
/// check many pages, build a [`Detector`] once.
pub fn detect(page: &Page, depth: usize, topics: &Topics) -> Detection {
    Detector::new(topics).detect(page, depth)
}

/// Compiled lexicons of every topic, built once per crawl.
pub struct Detector {
    /// Topic ids, in configuration order; lexicon hits are indexed the same way.
    topics: Vec<String>,
    lexicon: Lexicon,
}

impl Detector {
    pub fn new(topics: &Topics) -> Self {
        let groups: Vec<(usize, Kind, &[String])> = topics
            .topics
            .iter()
            .enumerate()
            .flat_map(|(i, topic): (usize, &Topic)| {
                [
                    (i, Kind::Term, topic.terms.as_slice()),
                    (i, Kind::Negative, topic.negative.as_slice()),
                    (i, Kind::Collaboration, topic.collaboration.as_slice()),
                ]
            })
            .collect();
        Detector {
            topics: topics.ids(),
            lexicon: Lexicon::new(&groups),
        }
    }

    pub fn detect(&self, page: &Page, depth: usize) -> Detection {
        self.detect_units(&units::of_page(page), page, depth)
    }

    /// Detection on a document (a PDF) read into a [`Page`]: its text is evidence at
    /// location `document`, its title a title.
    pub fn detect_document(&self, page: &Page, depth: usize) -> Detection {
        self.detect_units(&units::of_document(page), page, depth)
    }

    /// Whether `text` (a link's words, a URL path) names any topic, not cancelled by a
    /// negative context, and whether a collaboration word stands beside it: what
    /// steers the crawl towards the evidence.
    pub fn relevance(&self, text: &str) -> Relevance {
        let folded = Folded::new(text);
        let mut relevance = Relevance::default();
        for hits in self.lexicon.find(folded.text()) {
            let genuine = hits.terms.iter().any(|hit| {
                !hits
                    .negatives
                    .iter()
                    .any(|n| n.start <= hit.start && hit.end <= n.end)
            });
            if genuine {
                relevance.topic = true;
                relevance.collaboration |= !hits.collaboration.is_empty();
            }
        }
        relevance
    }

    fn detect_units(&self, units: &[Unit], page: &Page, depth: usize) -> Detection {
        let mut by_topic: Vec<Vec<Evidence>> = vec![Vec::new(); self.topics.len()];
        let mut found = Vec::new();
        let mut buffer = String::new();
        for unit in units {
            let folded = Folded::in_buffer(&unit.text, buffer);
            self.lexicon.find_into(folded.text(), &mut found);
            for (topic, hits) in found.iter().enumerate() {
                if hits.terms.is_empty() {
                    continue;
                }
                let found = Found {
                    topic: &self.topics[topic],
                    hits,
                    lexicon: &self.lexicon,
                };
                found.evidence(unit, &folded, page, depth, &mut by_topic[topic]);
            }
            buffer = folded.into_buffer();
        }
        let mut detection = Detection::default();
        for (topic, rows) in self.topics.iter().zip(by_topic) {
            detection.verdicts.push(Verdict {
                topic: topic.clone(),
                level: rows.iter().map(|e| e.level).max().unwrap_or(Level::Absent),
                score: rows.iter().map(|e| e.weight).sum(),
            });
            detection.evidence.extend(rows);
        }
        detection
    }
}

/// What a short text says about the topics, for the crawl's priorities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relevance {
    /// A topic term, outside any negative context.
    pub topic: bool,
    /// ... with a collaboration word in the same text.
    pub collaboration: bool,
}

/// One topic's matches in one unit.
struct Found<'a> {
    topic: &'a str,
    hits: &'a Hits,
    lexicon: &'a Lexicon,
}

impl Found<'_> {
    fn evidence(
        &self,
        unit: &Unit,
        folded: &Folded,
        page: &Page,
        depth: usize,
        out: &mut Vec<Evidence>,
    ) {
        let hits = self.hits;
        for hit in &hits.terms {
            // A negative context cancels only the occurrence it contains.
            if hits
                .negatives
                .iter()
                .any(|n| n.start <= hit.start && hit.end <= n.end)
            {
                continue;
            }
            // Body text is one unit; "near" there means in the same sentence.
            let is_text = matches!(unit.location, Location::Body | Location::Document);
            let (span_start, span_end) = if is_text {
                units::sentence_around(folded.text(), hit.start, hit.end)
            } else {
                (0, folded.text().len())
            };
            let collaboration = hits
                .collaboration
                .iter()
                .any(|c| c.start >= span_start && c.end <= span_end);
            let (level, base_weight) = strength(unit, depth);
            let (start, end) = folded.original_range(hit.start, hit.end);
            let (span_start, span_end) = folded.original_range(span_start, span_end);
            out.push(Evidence {
                topic: self.topic.to_string(),
                term: self.lexicon.entry(hit.entry).to_string(),
                location: unit.location,
                url: page.url.clone(),
                snippet: snippet(unit, span_start, span_end, start, end),
                collaboration,
                menu_kind: unit.menu_kind,
                heading_level: unit.heading_level,
                level,
                weight: if collaboration {
                    base_weight * 2
                } else {
                    base_weight
                },
            });
        }
    }
}

/// The level and weight one match earns where it stands (see the module table).
fn strength(unit: &Unit, depth: usize) -> (Level, u32) {
    match unit.location {
        Location::Nav if unit.menu_kind == Some(MenuKind::Primary) => (Level::Leading, 10),
        Location::Nav => (Level::Present, 4),
        Location::Heading if depth <= FRONT_DEPTH && matches!(unit.heading_level, Some(1 | 2)) => {
            (Level::Leading, 8)
        }
        Location::Heading | Location::Title => (Level::Present, 5),
        Location::Url => (Level::Present, 3),
        Location::Body | Location::Document => (Level::Mentioned, 1),
    }
}

/// The text a person checks: the label, heading or sentence holding the match (the
/// original bytes `span_start..span_end`), cut to a window around the match
/// (`start..end`) when long, after a nav item's parent labels.
fn snippet(unit: &Unit, span_start: usize, span_end: usize, start: usize, end: usize) -> String {
    let text = unit.text[span_start..span_end].trim();
    let offset = span_start
        + (unit.text[span_start..span_end].len()
            - unit.text[span_start..span_end].trim_start().len());
    let (start, end) = (
        start.saturating_sub(offset),
        end.saturating_sub(offset).min(text.len()),
    );
    let body = if text.chars().count() <= SNIPPET_CHARS {
        text.to_string()
    } else {
        let half = SNIPPET_CHARS / 2;
        let from = floor_char(text, start.saturating_sub(half));
        let to = floor_char(text, (end + half).min(text.len()));
        let mut cut = String::new();
        if from > 0 {
            cut.push('…');
        }
        cut.push_str(text[from..to].trim());
        if to < text.len() {
            cut.push('…');
        }
        cut
    };
    if unit.context.is_empty() {
        return body;
    }
    let mut out = unit.context.join(" > ");
    out.push_str(" > ");
    out.push_str(&body);
    out
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
