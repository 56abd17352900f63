use super::*;

/// The definition the byte-level builder must keep: split at every
/// `char::is_whitespace`, a separator between non-empty words.
fn reference(pieces: &[&str]) -> String {
    let mut out = String::new();
    let mut pending = false;
    for piece in pieces {
        for (i, word) in piece.split(char::is_whitespace).enumerate() {
            pending |= i > 0;
            if word.is_empty() {
                continue;
            }
            if pending && !out.is_empty() {
                out.push(' ');
            }
            pending = false;
            out.push_str(word);
        }
    }
    out
}

fn built(pieces: &[&str]) -> String {
    let mut b = TextBuilder::default();
    for p in pieces.iter() {
        b.push_text(p);
    }
    b.finish()
}

#[test]
fn collapses_whitespace_across_pieces() {
    let mut b = TextBuilder::default();
    b.push_text("  Lib");
    b.push_text("rary\n\t of ");
    b.boundary();
    b.push_text("\u{a0}Things ");
    assert_eq!(b.finish(), "Library of Things");
}

#[test]
fn same_words_as_splitting_at_char_whitespace() {
    let cases: &[&[&str]] = &[
        // NBSP, em space, ideographic space, NEL, line separator, narrow NBSP
        &["a\u{a0}b\u{2003}c\u{3000}d\u{85}e\u{2028}f\u{202f}g"],
        // vertical tab and form feed are whitespace to `char`, not to `u8`
        &["one\u{b}two\u{c}three\r\nfour"],
        // non-space non-ASCII stays inside words: ß, soft hyphen, zero width,
        // combining marks, CJK, emoji
        &["Straße Bib\u{ad}lio\u{200b}thek Bibliothe\u{300}que 图书馆 📚x"],
        &["  \u{a0} ", "Lib", "rary", "\u{2009}", "\u{a0}network\t"],
        &["", " ", "\u{a0}", "x"],
        &["é", "\u{a0}", "ü "],
        &["trailing\u{a0}", "\u{a0}"],
    ];
    for pieces in cases {
        assert_eq!(built(pieces), reference(pieces), "{pieces:?}");
    }
    assert_eq!(built(&["a\u{b}b"]), "a b");
    assert_eq!(built(&["x\u{a0}\u{a0}y"]), "x y");
}

#[test]
fn same_words_as_splitting_at_char_whitespace_on_any_text() {
    use proptest::prelude::*;
    // Mostly the characters where a byte-level test could go wrong.
    let piece =
        "[a-zA-Z \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{ad}\u{2003}\u{3000}ßé\u{300}图]{0,12}|.{0,8}";
    proptest!(ProptestConfig::with_cases(512), |(pieces in proptest::collection::vec(piece, 0..5))| {
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        prop_assert_eq!(built(&pieces), reference(&pieces));
    });
}

fn words_of(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[test]
fn counts_words_as_split_whitespace_does_on_the_result() {
    let cases: &[&[&str]] = &[
        &["one two  three"],
        &["a | b – c"],
        // a word split over two text nodes counts once; a separator-only piece
        // gains a letter from the next one
        &["Lib", "rary of", " things"],
        &["–", "x"],
        &["Straße\u{a0}über\u{2003}图书馆 ١٢٣ \u{300}"],
        &["x\u{b}y\u{85}z", "\u{a0}"],
    ];
    for pieces in cases {
        let mut b = TextBuilder::default();
        for p in pieces.iter() {
            b.push_text(p);
        }
        let words = b.words();
        assert_eq!(words, words_of(&b.finish()), "{pieces:?}");
    }
    let mut b = TextBuilder::default();
    b.push_text("a | b – c");
    b.push_text("d");
    b.line_break();
    b.push_text("e");
    assert_eq!(b.words(), 4);
}

#[test]
fn counts_words_on_any_text_and_boundaries() {
    use proptest::prelude::*;
    let piece = "[a-z1 \t\n\u{b}\u{a0}\u{2003}|–ß\u{300}图١]{0,12}|.{0,8}";
    let step = (piece, 0..3u8);
    proptest!(ProptestConfig::with_cases(512), |(steps in proptest::collection::vec(step, 0..6))| {
        let mut b = TextBuilder::default();
        for (piece, boundary) in &steps {
            b.push_text(piece);
            match boundary {
                1 => b.boundary(),
                2 => b.line_break(),
                _ => {}
            }
        }
        let words = b.words();
        prop_assert_eq!(words, words_of(&b.finish()));
    });
}

#[test]
fn line_breaks_win_over_spaces_and_never_lead() {
    let mut b = TextBuilder::default();
    b.line_break();
    b.push_text(" First ");
    b.line_break();
    b.push_text(" second\u{a0}");
    b.boundary();
    b.push_text("third");
    assert_eq!(b.finish(), "First\nsecond third");
}

#[test]
fn trim_cuts_what_str_trim_cuts() {
    use proptest::prelude::*;
    for text in ["", " ", "a", " a", "a\u{a0}", "\u{3000}x", "/about/", "x y"] {
        assert_eq!(trim(text), text.trim(), "{text:?}");
    }
    proptest!(|(text in "[ a\t\u{a0}\u{2003}é#/]{0,6}")| {
        prop_assert_eq!(trim(&text), text.trim());
    });
}

#[test]
fn invisible_characters_are_dropped() {
    assert_eq!(
        without_invisible("Bib\u{ad}lio\u{200b}thek".into()),
        "Bibliothek"
    );
    assert_eq!(without_invisible("plain".into()), "plain");
    assert_eq!(without_invisible("café".into()), "café");
}
