//! A topic's terms compiled for matching: whole words, case- and accent-insensitive.
//!
//! Text and patterns are both folded (lowercase, compatibility decomposition, combining
//! marks dropped, `ß` to `ss`), because aho-corasick's own case folding is ASCII-only and
//! "bibliothèques" must match "Bibliotheques". A map from folded bytes back to the
//! original keeps snippets in the page's own spelling.

use std::cell::OnceCell;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Text folded for matching, with a way back to the original.
pub struct Folded<'a> {
    pub original: &'a str,
    pub text: String,
    /// For each byte of `text`, the offset in `original` of the char it came from;
    /// built on the first match in non-ASCII text (ASCII keeps its offsets).
    origin: OnceCell<Vec<usize>>,
}

impl<'a> Folded<'a> {
    pub fn new(original: &'a str) -> Self {
        let text = if original.is_ascii() {
            original.to_ascii_lowercase()
        } else {
            let mut text = String::with_capacity(original.len());
            fold_into(original, &mut text);
            text
        };
        Folded {
            original,
            text,
            origin: OnceCell::new(),
        }
    }

    /// The original byte range of a folded byte range.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        if self.original.len() == self.text.len() && self.original.is_ascii() {
            return (start, end);
        }
        let origin = self.origin.get_or_init(|| {
            let mut origin = Vec::with_capacity(self.text.len());
            let mut buf = String::new();
            for (offset, c) in self.original.char_indices() {
                buf.clear();
                fold_char(c, &mut buf);
                origin.resize(origin.len() + buf.len(), offset);
            }
            origin
        });
        let at = |i: usize| origin.get(i).copied().unwrap_or(self.original.len());
        (at(start), at(end))
    }
}

/// Appends `text` folded to `out`. ASCII runs, most of any page even in languages with
/// accents, are copied and lowercased in bulk; only other characters go one by one
/// through [`fold_char`].
pub fn fold_into(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        if ascii > 0 {
            let start = out.len();
            out.push_str(&rest[..ascii]);
            out[start..].make_ascii_lowercase();
            rest = &rest[ascii..];
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            fold_char(c, out);
            rest = chars.as_str();
        }
    }
}

fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match c {
        // Invisible: soft hyphens and zero-width characters split words in the markup only.
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => return,
        'ß' | 'ẞ' => return out.push_str("ss"),
        '\u{2019}' | '\u{2018}' => return out.push('\''),
        _ => {}
    }
    for lower in c.to_lowercase() {
        decompose_compatible(lower, |d| {
            if !is_combining_mark(d) {
                out.push(d);
            }
        });
    }
}

/// What an entry of a topic's lexicon does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Term,
    Negative,
    Collaboration,
}

/// One folded pattern and what a match of it may extend to.
struct Pattern {
    /// The entry as written in the configuration, reported as the evidence term.
    entry: String,
    /// Which topic the entry belongs to: all topics share one automaton.
    topic: usize,
    kind: Kind,
    /// `*` at the start: the word may begin before the match ("*bibliothek").
    open_start: bool,
    /// `*` at the end: the word may go on after the match ("bibliotek*").
    open_end: bool,
}

/// Every topic's terms, negative contexts and collaboration words in one automaton, so
/// a text is scanned once for all of them.
pub struct Lexicon {
    patterns: Vec<Pattern>,
    topics: usize,
    automaton: Option<AhoCorasick>,
}

/// A match, in folded byte offsets, widened to whole words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub start: usize,
    pub end: usize,
}

/// The matches of one text, by kind; within a kind, the longest where they overlap.
#[derive(Debug, Default)]
pub struct Hits {
    pub terms: Vec<Hit>,
    pub negatives: Vec<Hit>,
    pub collaboration: Vec<Hit>,
}

impl Lexicon {
    /// `groups`: (topic index, kind, entries).
    pub fn new(groups: &[(usize, Kind, &[String])]) -> Self {
        let mut patterns = Vec::new();
        let mut folded = Vec::new();
        let topics = groups.iter().map(|g| g.0 + 1).max().unwrap_or(0);
        for &(topic, kind, entries) in groups {
            for entry in entries {
                let trimmed = entry.trim();
                let open_start = trimmed.starts_with('*');
                let open_end = trimmed.ends_with('*') && trimmed.len() > 1;
                let core = trimmed.trim_matches('*');
                let mut text = String::new();
                for word in core.split_whitespace() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    fold_into(word, &mut text);
                }
                if text.is_empty() {
                    continue;
                }
                patterns.push(Pattern {
                    entry: trimmed.to_string(),
                    topic,
                    kind,
                    open_start,
                    open_end,
                });
                folded.push(text);
            }
        }
        let automaton = (!folded.is_empty()).then(|| {
            // A DFA: a topic's few hundred patterns make a small one, and it is the
            // fastest to scan with; every page is scanned once per topic.
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&folded)
                .expect("lexicon patterns are plain strings")
        });
        Lexicon {
            patterns,
            topics,
            automaton,
        }
    }

    pub fn entry(&self, index: usize) -> &str {
        &self.patterns[index].entry
    }

    /// Whole-word matches in `text` (already folded, whitespace collapsed), in order,
    /// one `Hits` per topic.
    pub fn find(&self, text: &str) -> Vec<Hits> {
        let mut by_topic = Vec::new();
        self.find_into(text, &mut by_topic);
        by_topic
    }

    /// [`Lexicon::find`] into `by_topic`, whose lists are cleared and reused: a page
    /// has a hundred units, most of them without a match.
    pub fn find_into(&self, text: &str, by_topic: &mut Vec<Hits>) {
        by_topic.resize_with(self.topics, Hits::default);
        for hits in by_topic.iter_mut() {
            hits.terms.clear();
            hits.negatives.clear();
            hits.collaboration.clear();
        }
        let Some(automaton) = &self.automaton else {
            return;
        };
        for m in automaton.find_overlapping_iter(text) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            let (mut start, mut end) = (m.start(), m.end());
            if pattern.open_start {
                start = word_start(text, start);
            } else if !is_word_edge_before(text, start) {
                continue;
            }
            if pattern.open_end {
                end = word_end(text, end);
            } else if !is_word_edge_after(text, end) {
                continue;
            }
            let hit = Hit {
                entry: m.pattern().as_usize(),
                start,
                end,
            };
            let hits = &mut by_topic[pattern.topic];
            match pattern.kind {
                Kind::Term => hits.terms.push(hit),
                Kind::Negative => hits.negatives.push(hit),
                Kind::Collaboration => hits.collaboration.push(hit),
            }
        }
        for hits in by_topic.iter_mut() {
            for list in [
                &mut hits.terms,
                &mut hits.negatives,
                &mut hits.collaboration,
            ] {
                longest_first(list);
            }
        }
    }
}

/// Keeps, among overlapping matches, the one starting first and then the longest.
fn longest_first(hits: &mut Vec<Hit>) {
    if hits.len() < 2 {
        return;
    }
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut last_end = 0;
    hits.retain(|hit| {
        let keep = hit.start >= last_end;
        if keep {
            last_end = hit.end;
        }
        keep
    });
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_word_edge_before(text: &str, at: usize) -> bool {
    !text[..at].chars().next_back().is_some_and(is_word_char)
}

fn is_word_edge_after(text: &str, at: usize) -> bool {
    !text[at..].chars().next().is_some_and(is_word_char)
}

fn word_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(at, |(i, _)| i)
}

fn word_end(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(entries: &[&str]) -> Lexicon {
        let entries: Vec<String> = entries.iter().map(|s| s.to_string()).collect();
        Lexicon::new(&[(0, Kind::Term, &entries)])
    }

    fn words(lex: &Lexicon, text: &str) -> Vec<String> {
        let folded = Folded::new(text);
        lex.find(&folded.text)[0]
            .terms
            .iter()
            .map(|h| {
                let (s, e) = folded.original_range(h.start, h.end);
                text[s..e].to_string()
            })
            .collect()
    }

    #[test]
    fn whole_words_case_and_accent_insensitive() {
        let lex = lexicon(&["library", "libraries", "bibliothèques", "Bibliothek"]);
        assert_eq!(
            words(
                &lex,
                "LIBRARY, eLibrary, Libraries; Bibliotheques et BIBLIOTHÈQUES"
            ),
            ["LIBRARY", "Libraries", "Bibliotheques", "BIBLIOTHÈQUES"]
        );
        assert!(words(&lex, "Bibliotheken").is_empty());
    }

    #[test]
    fn wildcards_extend_to_the_whole_word() {
        let lex = lexicon(&["bibliotek*", "*bibliothek"]);
        assert_eq!(
            words(
                &lex,
                "Biblioteki i bibliotekarze; die Universitätsbibliothek"
            ),
            ["Biblioteki", "bibliotekarze", "Universitätsbibliothek"]
        );
    }

    #[test]
    fn longest_of_overlapping_matches_wins() {
        let lex = lexicon(&["library", "library network"]);
        let folded = Folded::new("the Library  Network");
        let text = folded.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let hits = lex.find(&text).swap_remove(0).terms;
        assert_eq!(hits.len(), 1);
        assert_eq!(lex.entry(hits[0].entry), "library network");
    }

    #[test]
    fn folding_maps_back_to_the_original() {
        let folded = Folded::new("Straße der Bibliothèque");
        assert_eq!(folded.text, "strasse der bibliotheque");
        let start = folded.text.find("bibliotheque").unwrap();
        let (s, e) = folded.original_range(start, folded.text.len());
        assert_eq!(&folded.original[s..e], "Bibliothèque");
    }
}
