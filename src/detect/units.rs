//! The pieces of a page that detection reads one at a time: each navigation label,
//! the title, each heading, the URL path and each sentence of body text. "Near a
//! collaboration word" means in the same piece.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use url::Url;

use super::Location;
use crate::extract::{MenuKind, Page};

pub struct Unit<'p> {
    pub location: Location,
    pub text: Cow<'p, str>,
    /// Shown before the text in a snippet, joined by " > " (a nav item's parent
    /// labels); joined only for a match, as most labels have none.
    pub context: &'p [String],
    pub menu_kind: Option<MenuKind>,
    pub heading_level: Option<u8>,
}

impl<'p> Unit<'p> {
    fn new(location: Location, text: impl Into<Cow<'p, str>>) -> Self {
        Unit {
            location,
            text: text.into(),
            context: &[],
            menu_kind: None,
            heading_level: None,
        }
    }
}

/// The units of a page. Body text is one unit: matches in it are placed in their
/// sentence afterwards ([`sentence_around`]), which is cheaper than a unit a sentence.
pub fn of_page(page: &Page) -> Vec<Unit<'_>> {
    of(page, Location::Body)
}

/// The units of a document (a PDF read as a page without menus or headings): its
/// text is `document` text, not body text.
pub fn of_document(page: &Page) -> Vec<Unit<'_>> {
    of(page, Location::Document)
}

fn of(page: &Page, text_location: Location) -> Vec<Unit<'_>> {
    let items: usize = page.navigation.iter().map(|m| m.items.len()).sum();
    let mut units = Vec::with_capacity(items + page.headings.len() + 3);
    for menu in &page.navigation {
        for item in &menu.items {
            units.push(Unit {
                context: &item.path,
                menu_kind: Some(menu.kind),
                ..Unit::new(Location::Nav, item.label.as_str())
            });
        }
    }
    if let Some(title) = &page.title {
        units.push(Unit::new(Location::Title, title.as_str()));
    }
    for heading in &page.headings {
        units.push(Unit {
            heading_level: Some(heading.level),
            ..Unit::new(Location::Heading, heading.text.as_str())
        });
    }
    if let Some(path) = page.url.as_deref().and_then(url_path_words) {
        units.push(Unit::new(Location::Url, path));
    }
    if !page.body_text.is_empty() {
        units.push(Unit::new(text_location, page.body_text.as_str()));
    }
    units
}

/// The page's own URL path as words: `/networks/library-group/` reads "networks
/// library group". Query and host are not the page's path.
fn url_path_words(url: &str) -> Option<String> {
    let words = path_words(Url::parse(url).ok()?.path());
    (!words.is_empty()).then_some(words)
}

/// A URL path as words: `/networks/library-group/` reads "networks library group"
/// (percent-decoded, split at every character that is not a letter or digit).
pub fn path_words(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    decoded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The sentence around `start..end` in body text: it runs from the previous sentence end
/// (`.`, `!`, `?`, `;` before a space) or line break to the next one.
pub fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let is_stop = |i: usize| matches!(bytes[i], b'.' | b'!' | b'?' | b';');
    let mut from = start;
    while from > 0 {
        let prev = from - 1;
        if bytes[prev] == b'\n' || (bytes[prev] == b' ' && prev > 0 && is_stop(prev - 1)) {
            break;
        }
        from -= 1;
    }
    let mut to = end;
    while to < bytes.len() {
        if bytes[to] == b'\n' {
            break;
        }
        if is_stop(to) && (to + 1 == bytes.len() || bytes[to + 1] == b' ' || bytes[to + 1] == b'\n')
        {
            to += 1;
            break;
        }
        to += 1;
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_become_words() {
        assert_eq!(
            url_path_words("https://x.org/networks/library-group/?page=2").as_deref(),
            Some("networks library group")
        );
        assert_eq!(
            url_path_words("https://x.org/biblioth%C3%A8que").as_deref(),
            Some("bibliothèque")
        );
        assert_eq!(url_path_words("https://x.org/"), None);
    }

    #[test]
    fn sentences_end_at_stops_and_lines() {
        let text = "One. Two! Three 3.5 stays? Next\nFour; five";
        let around = |word: &str| {
            let start = text.find(word).unwrap();
            let (s, e) = sentence_around(text, start, start + word.len());
            &text[s..e]
        };
        assert_eq!(around("One"), "One.");
        assert_eq!(around("Two"), "Two!");
        assert_eq!(around("stays"), "Three 3.5 stays?");
        assert_eq!(around("Next"), "Next");
        assert_eq!(around("Four"), "Four;");
        assert_eq!(around("five"), "five");
    }
}
