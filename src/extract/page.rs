//! The owned result of extracting one HTML page: what every later stage reads.

use serde::{Deserialize, Serialize};

/// Everything `extract` learns from one page. Owned data only, so it can cross
/// `.await` points and threads (scraper's `Html` cannot).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The page's own URL, when known.
    pub url: Option<String>,
    pub title: Option<String>,
    pub lang: Option<String>,
    pub description: Option<String>,
    /// `<link rel="canonical">`, resolved against the page URL.
    pub canonical: Option<String>,
    pub navigation: Vec<Menu>,
    pub headings: Vec<Heading>,
    /// Visible text outside menus and headings, one block per line.
    #[serde(skip)]
    pub body_text: String,
    /// Words in `body_text`.
    pub words: usize,
    /// Distinct outgoing links (absolute when the page URL is known), in document
    /// order, with what a reader sees of each.
    #[serde(skip)]
    pub links: Vec<Link>,
    /// `<meta name="robots">` directives. Stored with the page, so a page reused from an
    /// earlier run (a 304) keeps its `nofollow`.
    #[serde(default, skip_serializing_if = "MetaRobots::is_none")]
    pub robots: MetaRobots,
}

/// An outgoing link and what a reader sees of it: the crawler ranks its frontier
/// by these words (a link labelled "Library network" under "Working groups" is worth
/// following before "Page 7").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredLink")]
pub struct Link {
    pub href: String,
    /// The anchor text (or its image's `alt`, its `aria-label` or `title`), then the
    /// labels of the menu items above it or the heading it sits under; bounded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// The strongest kind of menu that holds the link (`Primary` strongest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu: Option<MenuKind>,
}

impl Link {
    pub fn new(href: impl Into<String>) -> Self {
        Link {
            href: href.into(),
            ..Link::default()
        }
    }
}

/// A link as stored: run databases before link hints kept bare URLs.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredLink {
    Href(String),
    Full {
        href: String,
        #[serde(default)]
        hint: String,
        #[serde(default)]
        menu: Option<MenuKind>,
    },
}

impl From<StoredLink> for Link {
    fn from(stored: StoredLink) -> Self {
        match stored {
            StoredLink::Href(href) => Link::new(href),
            StoredLink::Full { href, hint, menu } => Link { href, hint, menu },
        }
    }
}

/// Meta robots directives that change what a crawler may do with a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaRobots {
    pub noindex: bool,
    pub nofollow: bool,
}

impl MetaRobots {
    /// Neither directive.
    pub fn is_none(&self) -> bool {
        !self.noindex && !self.nofollow
    }
}

/// The role a menu plays on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MenuKind {
    Primary,
    Secondary,
    Footer,
    Breadcrumb,
    Other,
}

impl MenuKind {
    /// Every kind, in declaration order: `kind as usize` is its place here.
    pub const ALL: [MenuKind; 5] = [
        MenuKind::Primary,
        MenuKind::Secondary,
        MenuKind::Footer,
        MenuKind::Breadcrumb,
        MenuKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MenuKind::Primary => "primary",
            MenuKind::Secondary => "secondary",
            MenuKind::Footer => "footer",
            MenuKind::Breadcrumb => "breadcrumb",
            MenuKind::Other => "other",
        }
    }
}

impl std::fmt::Display for MenuKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One navigation menu; its items are flattened in document order, the tree
/// kept through `depth` and `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Menu {
    pub kind: MenuKind,
    /// The menu's accessible name (`aria-label`, `aria-labelledby`, or its title), may be empty.
    pub label: String,
    pub items: Vec<NavItem>,
}

impl Menu {
    /// Labels of the top-level items, in order.
    pub fn top_level_labels(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter(|item| item.depth == 0)
            .map(|item| item.label.as_str())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavItem {
    pub label: String,
    /// Absolute when the page URL (or an absolute `<base href>`) is known; `None` for
    /// items that are only a label (a dropdown toggle, a mega-menu column title).
    pub href: Option<String>,
    /// 0 for top-level items.
    pub depth: usize,
    /// Labels of the item's ancestors, outermost first.
    pub path: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
}
