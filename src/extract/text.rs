//! Text as PRODUCT.md defines it: text nodes concatenated as they stand, whitespace
//! collapsed to one space (or one line break between blocks of body text), trimmed.
//!
//! Every text node of every page passes through [`TextBuilder::push_text`], so it
//! works on bytes: ASCII is tested byte by byte and a run of words is copied at once;
//! only non-ASCII characters are decoded, to ask `char::is_whitespace` (NBSP, U+2003
//! and the like separate words too). It counts the words as it goes, which costs a
//! test per word rather than another pass over the page's text.

/// Builds collapsed text from pieces (text nodes) and boundaries (blocks, `<br>`).
#[derive(Default)]
pub struct TextBuilder {
    out: String,
    pending: Separator,
    /// Words of `out` holding a letter or digit (see [`TextBuilder::words`]).
    words: usize,
    /// The last word of `out` is counted already (it may go on in the next piece).
    counted: bool,
}

#[derive(Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Separator {
    #[default]
    None,
    Space,
    Line,
}

impl TextBuilder {
    pub fn with_capacity(bytes: usize) -> Self {
        TextBuilder {
            out: String::with_capacity(bytes),
            ..TextBuilder::default()
        }
    }

    /// Appends `text`, each run of whitespace in it a separator.
    pub fn push_text(&mut self, text: &str) {
        let mut at = 0;
        loop {
            let word = skip_space(text, at);
            if word > at {
                self.pending = self.pending.max(Separator::Space);
            }
            if word == text.len() {
                return;
            }
            // The first word goes on the last one of `out` when no separator is due.
            if self.pending != Separator::None || self.out.is_empty() {
                self.counted = false;
            }
            let first_end = word_end(text, word);
            self.count(&text[word..first_end]);
            let end = self.run_end(text, first_end);
            self.push_word(&text[word..end]);
            at = end;
        }
    }

    /// Where the run of words that `end` (the end of its first word) is in ends: words
    /// each after one ASCII space, as most prose is, are collapsed already and copied at
    /// once. Counts the run's later words on the way, with a test of one byte for a
    /// word that starts with a letter or digit.
    fn run_end(&mut self, text: &str, mut end: usize) -> usize {
        let bytes = text.as_bytes();
        let (mut words, mut counted) = (0, self.counted);
        loop {
            // `end` is on the first byte after a word: a separator or a non-ASCII char.
            match bytes.get(end) {
                Some(b' ') => match bytes.get(end + 1).map(|&byte| CLASS[usize::from(byte)]) {
                    Some(ALNUM) => {
                        words += 1;
                        counted = true;
                        end += 2;
                    }
                    Some(PUNCT | OTHER) if starts_word(text, end + 1) => {
                        let next = end + 1;
                        end = word_end(text, next);
                        counted = has_alphanumeric(&text[next..end]);
                        words += usize::from(counted);
                        continue;
                    }
                    _ => break,
                },
                Some(&byte) if byte >= 0x80 => match text[end..].chars().next() {
                    Some(c) if !c.is_whitespace() => end += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
            // The rest of the word's ASCII bytes.
            while bytes.get(end).copied().is_some_and(is_word_byte) {
                end += 1;
            }
        }
        self.words += words;
        self.counted = counted;
        end
    }

    fn count(&mut self, word: &str) {
        if !self.counted && has_alphanumeric(word) {
            self.words += 1;
            self.counted = true;
        }
    }

    fn push_word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            match self.pending {
                Separator::None => {}
                Separator::Space => self.out.push(' '),
                Separator::Line => self.out.push('\n'),
            }
        }
        self.pending = Separator::None;
        self.out.push_str(word);
    }

    /// A space at inline-breaking boundaries (`<br>`, blocks inside a heading).
    pub fn boundary(&mut self) {
        self.pending = self.pending.max(Separator::Space);
    }

    /// A line break between blocks of body text.
    pub fn line_break(&mut self) {
        self.pending = Separator::Line;
    }

    /// Words so far: runs of non-whitespace holding at least one letter or digit,
    /// so separators such as `|` or `–` do not count.
    pub fn words(&self) -> usize {
        self.words
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// The class of each byte: an ASCII letter or digit, other ASCII that is no space,
/// ASCII whitespace, or the start (or rest) of a non-ASCII char, which must be decoded.
const ALNUM: u8 = 0;
const PUNCT: u8 = 1;
const SPACE: u8 = 2;
const OTHER: u8 = 3;
const CLASS: [u8; 256] = {
    let mut class = [PUNCT; 256];
    let mut byte = 0;
    while byte < 256 {
        if byte >= 0x80 {
            class[byte] = OTHER;
        } else if is_ascii_space(byte as u8) {
            class[byte] = SPACE;
        } else if (byte as u8).is_ascii_alphanumeric() {
            class[byte] = ALNUM;
        }
        byte += 1;
    }
    class
};

/// An ASCII byte of a word: a letter, digit or other ASCII that is no space.
fn is_word_byte(byte: u8) -> bool {
    CLASS[usize::from(byte)] <= PUNCT
}

/// Where the whitespace starting at `at` (a char boundary) ends.
fn skip_space(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&byte) = bytes.get(at) {
        match CLASS[usize::from(byte)] {
            SPACE => at += 1,
            ALNUM | PUNCT => break,
            _ => match text[at..].chars().next() {
                Some(c) if c.is_whitespace() => at += c.len_utf8(),
                _ => break,
            },
        }
    }
    at
}

/// Whether a word starts at `at` (a char boundary): not whitespace, not the end.
fn starts_word(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        Some(&byte) if is_word_byte(byte) => true,
        Some(_) => skip_space(text, at) == at && at < text.len(),
    }
}

/// Where the word starting at `at` (a char boundary) ends: its first whitespace.
fn word_end(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // ASCII word bytes first, in a tight loop: most of any text.
        at += bytes[at..]
            .iter()
            .position(|&byte| !is_word_byte(byte))
            .unwrap_or(bytes.len() - at);
        let Some(&byte) = bytes.get(at) else {
            return at;
        };
        if CLASS[usize::from(byte)] == SPACE {
            return at;
        }
        match text[at..].chars().next() {
            Some(c) if !c.is_whitespace() => at += c.len_utf8(),
            _ => return at,
        }
    }
}

fn has_alphanumeric(word: &str) -> bool {
    word.as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric)
        || word.chars().any(char::is_alphanumeric)
}

/// The ASCII characters `char::is_whitespace` accepts: tab, line feed, vertical tab,
/// form feed, carriage return, space. (`u8::is_ascii_whitespace` leaves out the
/// vertical tab.)
const fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// `text` without the whitespace it starts or ends with, as `str::trim` cuts it; with
/// no Unicode test when it starts and ends with visible ASCII, as hrefs and labels do.
pub fn trim(text: &str) -> &str {
    let visible = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_graphic);
    if visible(text.as_bytes().first()) && visible(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

/// `text` with its whitespace collapsed and trimmed, as every extracted string is.
pub fn collapse_whitespace(text: &str) -> String {
    let mut builder = TextBuilder::default();
    builder.push_text(text);
    builder.finish()
}

/// Drops soft hyphens and zero-width characters, which CMSs insert to help line
/// breaking; a menu label reads the same without them.
pub fn without_invisible(text: String) -> String {
    const INVISIBLE: &[char] = &[
        '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
    ];
    // All of them are non-ASCII: ASCII text (most labels) needs no search.
    if !text.is_ascii() && text.contains(INVISIBLE) {
        text.replace(INVISIBLE, "")
    } else {
        text
    }
}

#[cfg(test)]
mod tests;
