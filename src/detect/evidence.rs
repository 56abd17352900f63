//! What detection produces: evidence rows and the verdicts they explain.

use serde::{Deserialize, Serialize};

use crate::extract::MenuKind;

/// Where on a page a term was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Nav,
    Title,
    Heading,
    Url,
    Body,
    /// The text of a linked document (a PDF): read like body text.
    Document,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Nav => "nav",
            Location::Title => "title",
            Location::Heading => "heading",
            Location::Url => "url",
            Location::Body => "body",
            Location::Document => "document",
        }
    }
}

/// How prominently a topic appears, weakest first so `max()` picks the strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing could be read, so absence is not known (alliances only).
    Unknown,
    Absent,
    Mentioned,
    Present,
    Leading,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::Absent => "absent",
            Level::Mentioned => "mentioned",
            Level::Present => "present",
            Level::Leading => "leading",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One match of a topic term, with enough context for a person to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub topic: String,
    /// The lexicon term that matched.
    pub term: String,
    pub location: Location,
    /// The page URL, when known.
    pub url: Option<String>,
    /// The nav label (with its path), heading, title, URL path or sentence that matched.
    pub snippet: String,
    /// A collaboration-context word is in the same label, heading or sentence.
    pub collaboration: bool,
    /// For `nav`: the kind of menu.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub menu_kind: Option<MenuKind>,
    /// For `heading`: its level (1-6).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub heading_level: Option<u8>,
    /// The verdict this row alone supports; the page verdict is the strongest of them.
    pub level: Level,
    /// This row's share of the score.
    pub weight: u32,
}

impl Evidence {
    /// Found in a menu every page repeats (primary, secondary, footer): evidence of the
    /// site, not of the page it was read on. Breadcrumbs and "other" menus belong to
    /// the page itself.
    pub fn in_site_wide_menu(&self) -> bool {
        matches!(
            self.menu_kind,
            Some(MenuKind::Primary | MenuKind::Secondary | MenuKind::Footer)
        )
    }
}

/// A page's (or alliance's) verdict for one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub topic: String,
    pub level: Level,
    pub score: u32,
}

/// The result of running detection on one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    pub evidence: Vec<Evidence>,
    pub verdicts: Vec<Verdict>,
}
