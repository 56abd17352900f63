//! Text folded for matching: lowercase, compatibility decomposition, combining marks
//! dropped, `ß` to `ss`, invisible characters gone. A map from folded bytes back to the
//! original keeps snippets in the page's own spelling.

use std::cell::OnceCell;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Text folded for matching, with a way back to the original.
pub struct Folded<'a> {
    pub original: &'a str,
    /// `original` is ASCII: it is matched as it stands (see [`Folded::text`]).
    ascii: bool,
    /// The folded text of non-ASCII `original`; empty for ASCII.
    folded: String,
    /// For each byte of `folded`, the offset in `original` of the char it came from;
    /// built on the first match in non-ASCII text (ASCII keeps its offsets).
    origin: OnceCell<Vec<usize>>,
}

impl<'a> Folded<'a> {
    pub fn new(original: &'a str) -> Self {
        Folded::in_buffer(original, String::new())
    }

    /// [`Folded::new`] into `buffer`, kept from an earlier one ([`Folded::into_buffer`]):
    /// a page's units are folded one after another.
    pub fn in_buffer(original: &'a str, mut buffer: String) -> Self {
        let ascii = original.is_ascii();
        buffer.clear();
        if !ascii {
            buffer.reserve(original.len());
            fold_into(original, &mut buffer);
        }
        Folded {
            original,
            ascii,
            folded: buffer,
            origin: OnceCell::new(),
        }
    }

    /// The text to match: folded, except that ASCII letters may keep their case, which
    /// the lexicon ignores. So ASCII text, most of any page, is matched where it
    /// stands instead of being copied in lower case.
    pub fn text(&self) -> &str {
        if self.ascii {
            self.original
        } else {
            &self.folded
        }
    }

    /// The buffer, for the next unit's [`Folded::in_buffer`].
    pub fn into_buffer(self) -> String {
        self.folded
    }

    /// The original byte range of a folded byte range.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        if self.ascii {
            return (start, end);
        }
        let origin = self.origin.get_or_init(|| {
            let mut origin = Vec::with_capacity(self.folded.len());
            let mut buf = String::new();
            let mut rest = self.original;
            while !rest.is_empty() {
                // An ASCII run folds byte for byte: its offsets in one go.
                let offset = self.original.len() - rest.len();
                let ascii = ascii_prefix_len(rest.as_bytes());
                origin.extend(offset..offset + ascii);
                rest = &rest[ascii..];
                let mut chars = rest.chars();
                if let Some(c) = chars.next() {
                    buf.clear();
                    fold_char(c, &mut buf);
                    origin.resize(origin.len() + buf.len(), offset + ascii);
                    rest = chars.as_str();
                }
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
        let ascii = ascii_prefix_len(rest.as_bytes());
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

/// How many bytes `bytes` starts with that are ASCII: tested 16 at a time (the
/// standard library's `is_ascii` reads a word at once), then byte by byte.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut len = 0;
    for chunk in bytes.chunks(16) {
        if !chunk.is_ascii() {
            return len + chunk.iter().position(|b| !b.is_ascii()).unwrap_or(0);
        }
        len += chunk.len();
    }
    len
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_maps_back_to_the_original() {
        let folded = Folded::new("Straße der Bibliothèque");
        assert_eq!(folded.text(), "strasse der bibliotheque");
        let start = folded.text().find("bibliotheque").unwrap();
        let (s, e) = folded.original_range(start, folded.text().len());
        assert_eq!(&folded.original[s..e], "Bibliothèque");
    }

    #[test]
    fn ascii_runs_fold_as_char_by_char() {
        for text in [
            "Straße der Bibliothèque",
            "ABC\u{ad}DEF\u{200b}ghi",
            "Ｆｕｌｌ width ＬＩＢＲＡＲＹ and ℂ",
            "e\u{301}cole É\u{300} ǅ İstanbul",
            "l’Université 'x' – KIRJASTO",
            "A long ASCII run of more than sixteen BYTES, then é, then more ASCII TEXT é",
            "",
        ] {
            let mut bulk = String::new();
            fold_into(text, &mut bulk);
            let mut each = String::new();
            for c in text.chars() {
                fold_char(c, &mut each);
            }
            assert_eq!(bulk, each, "{text:?}");
            assert_eq!(Folded::new(text).text(), each);
            // Each folded byte maps back to the char it came from, as a char-by-char
            // walk over the original places it.
            let folded = Folded::new(text);
            let mut expected = Vec::new();
            for (offset, c) in text.char_indices() {
                let mut one = String::new();
                fold_char(c, &mut one);
                expected.resize(expected.len() + one.len(), offset);
            }
            let mapped: Vec<usize> = (0..each.len())
                .map(|i| folded.original_range(i, i).0)
                .collect();
            assert_eq!(mapped, expected, "{text:?}");
        }
    }
}
