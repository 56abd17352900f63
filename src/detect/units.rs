//! The pieces of a page that detection reads one at a time: each navigation label,
//! the title, each heading, the URL path and each sentence of body text. "Near a
//! collaboration word" means in the same piece.

use percent_encoding::percent_decode_str;
use url::Url;

use super::Location;
use crate::extract::{MenuKind, Page};

pub struct Unit {
    pub location: Location,
    pub text: String,
    /// Shown before the text in a snippet (a nav item's parent labels).
    pub context: Option<String>,
    pub menu_kind: Option<MenuKind>,
    pub heading_level: Option<u8>,
}

impl Unit {
    fn new(location: Location, text: String) -> Self {
        Unit {
            location,
            text,
            context: None,
            menu_kind: None,
            heading_level: None,
        }
    }
}

pub fn of_page(page: &Page) -> Vec<Unit> {
    let mut units = Vec::new();
    for menu in &page.navigation {
        for item in &menu.items {
            units.push(Unit {
                context: (!item.path.is_empty()).then(|| item.path.join(" > ")),
                menu_kind: Some(menu.kind),
                ..Unit::new(Location::Nav, item.label.clone())
            });
        }
    }
    if let Some(title) = &page.title {
        units.push(Unit::new(Location::Title, title.clone()));
    }
    for heading in &page.headings {
        units.push(Unit {
            heading_level: Some(heading.level),
            ..Unit::new(Location::Heading, heading.text.clone())
        });
    }
    if let Some(path) = page.url.as_deref().and_then(url_path_words) {
        units.push(Unit::new(Location::Url, path));
    }
    units.extend(
        sentences(&page.body_text).map(|sentence| Unit::new(Location::Body, sentence.to_string())),
    );
    units
}

/// The page's own URL path as words: `/networks/library-group/` reads "networks
/// library group". Query and host are not the page's path.
fn url_path_words(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let decoded = percent_decode_str(url.path()).decode_utf8_lossy();
    let words: Vec<&str> = decoded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Sentences of body text: each line (a block) split after `.`, `!`, `?` or `;`
/// followed by a space.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .flat_map(split_sentences)
        .filter(|s| !s.is_empty())
}

fn split_sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | ';' | '。')
            && chars.peek().is_none_or(|&(_, next)| next == ' ')
        {
            let end = i + c.len_utf8();
            out.push(line[start..end].trim());
            start = end;
        }
    }
    out.push(line[start..].trim());
    out
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
    fn sentences_split_at_stops_and_lines() {
        let got: Vec<&str> = sentences("One. Two! Three? 3.5 stays\nFour; five").collect();
        assert_eq!(
            got,
            ["One.", "Two!", "Three?", "3.5 stays", "Four;", "five"]
        );
    }
}
