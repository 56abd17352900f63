//! A topic's terms compiled for matching: whole words, case- and accent-insensitive.
//!
//! Text and patterns are both folded (lowercase, compatibility decomposition, combining
//! marks dropped, `ß` to `ss`), because aho-corasick's own case folding is ASCII-only and
//! "bibliothèques" must match "Bibliotheques". A map from folded bytes back to the
//! original keeps snippets in the page's own spelling.

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Text folded for matching, with a way back to the original.
pub struct Folded<'a> {
    pub original: &'a str,
    pub text: String,
    /// For every byte of `text`, the byte offset in `original` of the char it came from.
    origin: Vec<usize>,
}

impl<'a> Folded<'a> {
    pub fn new(original: &'a str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (offset, c) in original.char_indices() {
            let before = text.len();
            fold_char(c, &mut text);
            origin.resize(origin.len() + (text.len() - before), offset);
        }
        Folded {
            original,
            text,
            origin,
        }
    }

    /// The original byte range of a folded byte range.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let start = self
            .origin
            .get(start)
            .copied()
            .unwrap_or(self.original.len());
        let end = self.origin.get(end).copied().unwrap_or(self.original.len());
        (start, end)
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

/// One folded pattern and what a match of it may extend to.
struct Pattern {
    /// The entry as written in the configuration, reported as the evidence term.
    entry: String,
    /// `*` at the start: the word may begin before the match ("*bibliothek").
    open_start: bool,
    /// `*` at the end: the word may go on after the match ("bibliotek*").
    open_end: bool,
}

/// A set of entries (terms, negative phrases or context words) compiled together.
pub struct Lexicon {
    patterns: Vec<Pattern>,
    automaton: Option<AhoCorasick>,
}

/// A match, in folded byte offsets, widened to whole words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub start: usize,
    pub end: usize,
}

impl Lexicon {
    pub fn new(entries: &[String]) -> Self {
        let mut patterns = Vec::new();
        let mut folded = Vec::new();
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
                word.chars().for_each(|c| fold_char(c, &mut text));
            }
            if text.is_empty() {
                continue;
            }
            patterns.push(Pattern {
                entry: trimmed.to_string(),
                open_start,
                open_end,
            });
            folded.push(text);
        }
        let automaton = (!folded.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&folded)
                .expect("lexicon patterns are plain strings")
        });
        Lexicon {
            patterns,
            automaton,
        }
    }

    pub fn entry(&self, index: usize) -> &str {
        &self.patterns[index].entry
    }

    /// Whole-word matches in `text` (already folded, whitespace collapsed), the longest
    /// one where matches overlap, in order.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut hits: Vec<Hit> = automaton
            .find_overlapping_iter(text)
            .filter_map(|m| {
                let pattern = &self.patterns[m.pattern().as_usize()];
                let (mut start, mut end) = (m.start(), m.end());
                if pattern.open_start {
                    start = word_start(text, start);
                } else if !is_word_edge_before(text, start) {
                    return None;
                }
                if pattern.open_end {
                    end = word_end(text, end);
                } else if !is_word_edge_after(text, end) {
                    return None;
                }
                Some(Hit {
                    entry: m.pattern().as_usize(),
                    start,
                    end,
                })
            })
            .collect();
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        for hit in hits {
            if kept.last().is_none_or(|last| hit.start >= last.end) {
                kept.push(hit);
            }
        }
        kept
    }

    pub fn is_match(&self, text: &str) -> bool {
        !self.find(text).is_empty()
    }
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
        Lexicon::new(&entries.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn words(lex: &Lexicon, text: &str) -> Vec<String> {
        let folded = Folded::new(text);
        lex.find(&folded.text)
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
        let hits = lex.find(&text);
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
