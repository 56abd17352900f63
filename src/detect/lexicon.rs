//! A topic's terms compiled for matching: whole words, case- and accent-insensitive.
//!
//! Text and patterns are both folded (see `fold`), because aho-corasick's own case
//! folding is ASCII-only and "bibliothèques" must match "Bibliotheques"; ASCII case
//! is left to the automaton, so ASCII text is matched without a lowercased copy.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

use super::fold::fold_into;

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
    automaton: Option<DFA>,
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
            // A DFA, scanned by `find_into`'s own loop: every unit of every page goes
            // through it once for all topics. No prefilter: with hundreds of patterns
            // it would seldom skip anything.
            DFA::builder()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .prefilter(false)
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

    /// Whole-word matches in `text` (folded but for ASCII case: `Folded::text`), in order,
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
        self.each_match(text, |index, start, end| {
            self.record(index, start, end, text, by_topic);
        });
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

    /// Calls `found(entry, start, end)` for every match, overlapping ones included, as
    /// aho-corasick's `find_overlapping_iter` reports them. A loop of our own
    /// ([`to_special_state`]) keeps its state in registers, which makes the scan
    /// several times cheaper than the library's search calls.
    fn each_match(&self, text: &str, mut found: impl FnMut(usize, usize, usize)) {
        let Some(dfa) = &self.automaton else {
            return;
        };
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            return;
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(end) = to_special_state(dfa, bytes, at, &mut state) {
            at = end;
            if dfa.is_dead(state) {
                break;
            }
            if !dfa.is_match(state) {
                continue;
            }
            for index in 0..dfa.match_len(state) {
                let pattern = dfa.match_pattern(state, index);
                found(pattern.as_usize(), end - dfa.pattern_len(pattern), end);
            }
        }
    }

    /// Keeps a match of entry `index` at `start..end` when it stands on word edges
    /// (widened to the whole word for a `*` entry).
    fn record(&self, index: usize, start: usize, end: usize, text: &str, by_topic: &mut [Hits]) {
        let pattern = &self.patterns[index];
        let (mut start, mut end) = (start, end);
        if pattern.open_start {
            start = word_start(text, start);
        } else if !is_word_edge_before(text, start) {
            return;
        }
        if pattern.open_end {
            end = word_end(text, end);
        } else if !is_word_edge_after(text, end) {
            return;
        }
        let hit = Hit {
            entry: index,
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
}

/// Runs `dfa` over `bytes` from `at` until it enters a special state (a match or the
/// dead state), and returns where that byte ends; `None` at the end of the text.
/// Kept out of line: in a loop that also handles matches the compiler kept the
/// state and the offsets on the stack, which cost half the instructions of the scan.
#[inline(never)]
fn to_special_state(dfa: &DFA, bytes: &[u8], mut at: usize, state: &mut StateID) -> Option<usize> {
    let mut current = *state;
    while let Some(&byte) = bytes.get(at) {
        current = dfa.next_state(Anchored::No, current, byte);
        at += 1;
        if dfa.is_special(current) {
            *state = current;
            return Some(at);
        }
    }
    *state = current;
    None
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
    use super::super::fold::Folded;
    use super::*;

    fn lexicon(entries: &[&str]) -> Lexicon {
        let entries: Vec<String> = entries.iter().map(|s| s.to_string()).collect();
        Lexicon::new(&[(0, Kind::Term, &entries)])
    }

    fn words(lex: &Lexicon, text: &str) -> Vec<String> {
        let folded = Folded::new(text);
        lex.find(folded.text())[0]
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
        let text = folded
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let hits = lex.find(&text).swap_remove(0).terms;
        assert_eq!(hits.len(), 1);
        assert_eq!(lex.entry(hits[0].entry), "library network");
    }

    #[test]
    fn own_scan_reports_what_find_overlapping_iter_does() {
        use aho_corasick::AhoCorasick;
        let entries: Vec<String> = [
            "library",
            "libraries",
            "library network",
            "network",
            "work",
            "net",
            "rete",
            "reti",
            "r library",
            "open access",
            "access",
            "bibliothèque",
            "ss",
            "a",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let lex = Lexicon::new(&[(0, Kind::Term, &entries)]);
        let folded: Vec<String> = entries
            .iter()
            .map(|e| {
                let mut f = String::new();
                fold_into(e, &mut f);
                f
            })
            .collect();
        let reference = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&folded)
            .unwrap();
        for text in [
            "the library network of libraries: networks, interrete reti",
            "open access accessed; r library a a a",
            "The LIBRARY Network of Libraries, OPEN Access",
            "strasse bibliotheque bibliothèque ssss",
            "",
        ] {
            let mut ours = Vec::new();
            lex.each_match(text, |i, s, e| ours.push((i, s, e)));
            let theirs: Vec<_> = reference
                .find_overlapping_iter(text)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            assert!(!theirs.is_empty() || text.is_empty());
            assert_eq!(ours, theirs, "{text:?}");
        }
    }
}
