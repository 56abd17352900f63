//! Character references (`&amp;`, `&#233;`, `&#x2014;`), as the HTML standard's
//! tokenizer reads them: the longest named reference that matches, numeric ones mapped
//! the way browsers map them.

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tendril::StrTendril;

/// The longest name in the table of named references (`&CounterClockwiseContourIntegral;`).
const LONGEST_NAME: usize = 32;

const REPLACEMENT: char = '\u{fffd}';

/// What one reference stands for: one or two characters.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(super) struct Decoded {
    pub first: char,
    pub second: Option<char>,
    /// Where the text after the reference starts.
    pub end: usize,
}

impl Decoded {
    /// Appends the characters the reference stands for to `text`.
    pub fn push_onto(&self, text: &mut StrTendril) {
        text.push_char(self.first);
        if let Some(second) = self.second {
            text.push_char(second);
        }
    }
}

/// Decodes the reference whose `&` is at `at` in `text`, which ends where the reference
/// must end (an attribute value's end, say). `None`: the `&` is an ordinary character.
/// In an attribute, a named reference without its `;` that runs into a letter, digit or
/// `=` is left as written (`?a=1&copy=2` keeps its `&copy`).
pub(super) fn decode(text: &str, at: usize, in_attribute: bool) -> Option<Decoded> {
    let rest = &text.as_bytes()[at + 1..];
    match rest.first()? {
        b'#' => numeric(text, at + 2),
        byte if byte.is_ascii_alphanumeric() => named(text, at + 1, in_attribute),
        _ => None,
    }
}

fn named(text: &str, start: usize, in_attribute: bool) -> Option<Decoded> {
    let bytes = &text.as_bytes()[start..];
    let run = bytes
        .iter()
        .take_while(|byte| byte.is_ascii_alphanumeric())
        .count();
    // Names are letters and digits, some with a closing `;`: the candidates are the run
    // with its `;`, then the run's prefixes, longest first.
    let with_semicolon = (bytes.get(run) == Some(&b';') && run < LONGEST_NAME).then_some(run + 1);
    let prefixes = (1..=run.min(LONGEST_NAME)).rev();
    for len in with_semicolon.into_iter().chain(prefixes) {
        // The run is ASCII, so every prefix is a whole str.
        let name = &text[start..start + len];
        let Some(&(first, second)) = NAMED_ENTITIES.get(name) else {
            continue;
        };
        if first == 0 {
            // A prefix of a longer name, not a name.
            continue;
        }
        if !name.ends_with(';') && in_attribute {
            let next = bytes.get(len).copied();
            if next.is_some_and(|byte| byte == b'=' || byte.is_ascii_alphanumeric()) {
                return None;
            }
        }
        return Some(Decoded {
            first: char::from_u32(first)?,
            second: char::from_u32(second).filter(|&c| c != '\0'),
            end: start + len,
        });
    }
    None
}

/// The highest code point there is.
const MAX_CODE_POINT: u32 = 0x0010_FFFF;

fn numeric(text: &str, start: usize) -> Option<Decoded> {
    let bytes = &text.as_bytes()[start..];
    let (radix, digits_start) = match bytes.first() {
        Some(b'x' | b'X') => (16, 1),
        _ => (10, 0),
    };
    let digits = bytes[digits_start..]
        .iter()
        .take_while(|byte| (**byte as char).is_digit(radix))
        .count();
    if digits == 0 {
        // `&#` or `&#x` without digits is written as is.
        return None;
    }
    let mut value: u32 = 0;
    for &byte in &bytes[digits_start..digits_start + digits] {
        let digit = (byte as char).to_digit(radix)?;
        value = value
            .saturating_mul(radix)
            .saturating_add(digit)
            .min(MAX_CODE_POINT + 1);
    }
    let mut end = start + digits_start + digits;
    if text.as_bytes().get(end) == Some(&b';') {
        end += 1;
    }
    let first = match value {
        0 | 0xD800..=0xDFFF => REPLACEMENT,
        value if value > MAX_CODE_POINT => REPLACEMENT,
        0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(value).unwrap_or(REPLACEMENT)),
        value => char::from_u32(value).unwrap_or(REPLACEMENT),
    };
    Some(Decoded {
        first,
        second: None,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str, in_attribute: bool) -> Option<(String, usize)> {
        decode(text, 0, in_attribute).map(|d| {
            let mut chars = d.first.to_string();
            chars.extend(d.second);
            (chars, d.end)
        })
    }

    #[test]
    fn named_references_take_the_longest_name() {
        assert_eq!(decoded("&amp;x", false), Some(("&".into(), 5)));
        assert_eq!(decoded("&notin;", false), Some(("∉".into(), 7)));
        // `&not` is a name without `;`; `&noti` is not one.
        assert_eq!(decoded("&notit;", false), Some(("¬".into(), 4)));
        assert_eq!(decoded("&copy 2026", false), Some(("©".into(), 5)));
        assert_eq!(
            decoded("&NotEqualTilde;", false),
            Some(("≂\u{338}".into(), 15))
        );
        assert_eq!(decoded("&nosuchname;", false), None);
        assert_eq!(decoded("& x", false), None);
        assert_eq!(decoded("&", false), None);
    }

    #[test]
    fn attributes_keep_names_that_run_into_letters_digits_or_equals() {
        assert_eq!(decoded("&copy=2", true), None);
        assert_eq!(decoded("&copyx", true), None);
        assert_eq!(decoded("&copy;=2", true), Some(("©".into(), 6)));
        assert_eq!(decoded("&copy 2", true), Some(("©".into(), 5)));
        assert_eq!(decoded("&copyx", false), Some(("©".into(), 5)));
    }

    #[test]
    fn numeric_references_map_as_browsers_do() {
        assert_eq!(decoded("&#233;", false), Some(("é".into(), 6)));
        assert_eq!(decoded("&#x2014;", false), Some(("—".into(), 8)));
        assert_eq!(decoded("&#X41", false), Some(("A".into(), 5)));
        assert_eq!(decoded("&#0;", false), Some(("\u{fffd}".into(), 4)));
        assert_eq!(decoded("&#xD800;", false), Some(("\u{fffd}".into(), 8)));
        assert_eq!(
            decoded("&#99999999999;", false),
            Some(("\u{fffd}".into(), 14))
        );
        // Windows-1252's C1 characters.
        assert_eq!(decoded("&#150;", false), Some(("–".into(), 6)));
        assert_eq!(decoded("&#x81;", false), Some(("\u{81}".into(), 6)));
        assert_eq!(decoded("&#;", false), None);
        assert_eq!(decoded("&#x;", false), None);
    }
}
