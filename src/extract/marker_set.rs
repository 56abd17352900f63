//! Whether a text contains any of a list of words, ignoring ASCII case, in one pass:
//! the class names and labels of every menu are asked about twenty words at once,
//! which one search per word made one of the larger costs of reading menus.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::Anchored;

/// Words (lowercase) compiled into one DFA, walked by our own loop: on texts as short
/// as class names the set-up of a library search call costs more than the scan.
pub struct MarkerSet(DFA);

impl MarkerSet {
    pub fn new(words: &[&str]) -> Self {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .prefilter(false)
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
