//! Whether a text contains any of a list of words, ignoring ASCII case, in one pass:
//! the class names and labels of every menu are asked about twenty words at once,
//! which one search per word made one of the larger costs of reading menus.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, StartKind};

/// Words (lowercase) compiled into one DFA, walked by our own loop: on texts as short
/// as class names the set-up of a library search call costs more than the scan.
pub struct MarkerSet(DFA);

impl MarkerSet {
    pub fn new(words: &[&str]) -> Self {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .start_kind(StartKind::Both)
            .build(words)
            .expect("plain marker strings");
        MarkerSet(dfa)
    }

    /// Whether `text` contains one of the words, ASCII letters of any case.
    pub fn found_in(&self, text: &str) -> bool {
        let dfa = &self.0;
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            return false;
        };
        for &byte in text.as_bytes() {
            state = dfa.next_state(Anchored::No, state, byte);
            if dfa.is_special(state) && dfa.is_match(state) {
                return true;
            }
        }
        false
    }

    /// Whether `text` starts with one of the words, ASCII letters of any case: most
    /// texts are told apart by their first byte or two.
    pub fn starts(&self, text: &str) -> bool {
        let dfa = &self.0;
        let Ok(mut state) = dfa.start_state(Anchored::Yes) else {
            return false;
        };
        for &byte in text.as_bytes() {
            state = dfa.next_state(Anchored::Yes, state, byte);
            // Without a prefilter a special state is a match or the dead end.
            if dfa.is_special(state) {
                return dfa.is_match(state);
            }
        }
        false
    }

    /// Calls `found` with the index of every word `text` contains, as often as it
    /// occurs, overlapping ones included.
    pub fn each_found(&self, text: &str, mut found: impl FnMut(usize)) {
        let dfa = &self.0;
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            return;
        };
        for &byte in text.as_bytes() {
            state = dfa.next_state(Anchored::No, state, byte);
            if dfa.is_special(state) && dfa.is_match(state) {
                for index in 0..dfa.match_len(state) {
                    found(dfa.match_pattern(state, index).as_usize());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_contains_finds_on_lowercased_text() {
        let words = ["main", "primary", "päävalik", "log in", "a"];
        let set = MarkerSet::new(&words[..4]);
        for text in [
            "",
            "MAIN-nav",
            "nav--Primary",
            "PÄÄVALIK",
            "päävalik",
            "Log In",
            "login",
            "mai",
            "xprimar y",
            "ma in",
        ] {
            let lower = text.to_ascii_lowercase();
            let expected = words[..4].iter().any(|w| lower.contains(w));
            assert_eq!(set.found_in(text), expected, "{text}");
        }
        assert!(MarkerSet::new(&words[4..]).found_in("xAx"));
    }

    #[test]
    fn starts_as_a_prefix_test_does() {
        let words = ["skip to", "jump to", "aller à la navigation", "zum "];
        let set = MarkerSet::new(&words);
        for text in [
            "",
            "Skip to content",
            "skip",
            "SKIP TO",
            "Jump",
            "aller à la navigation principale",
            "zum Inhalt",
            "zum",
            "Please skip to",
            "About",
        ] {
            let expected = words.iter().any(|w| {
                text.len() >= w.len()
                    && text.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes())
            });
            assert_eq!(set.starts(text), expected, "{text}");
        }
    }

    #[test]
    fn reports_every_word_found_as_overlapping_search_does() {
        use aho_corasick::AhoCorasick;
        let words = ["nav", "navbar", "bar", "sidebar", "side", "a"];
        let set = MarkerSet::new(&words);
        let reference = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .unwrap();
        for text in ["", "SideBar navbar-nav", "x", "main-NAV bar"] {
            let mut ours = Vec::new();
            set.each_found(text, |i| ours.push(i));
            let theirs: Vec<usize> = reference
                .find_overlapping_iter(text)
                .map(|m| m.pattern().as_usize())
                .collect();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
