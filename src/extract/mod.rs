//! Extraction: one HTML page to its navigation, headings, body text and links.
//!
//! Pure and synchronous: it never touches the network, and it returns owned data, since
//! scraper's `Html` is `!Send` and must not live across an `.await`.

mod case;
mod dom;
mod href;
mod marker_set;
mod nav;
mod page;
mod region;
mod text;
mod tokenize;
mod walk;

pub use page::{Heading, Link, Menu, MenuKind, MetaRobots, NavItem, Page};

use ego_tree::Tree;
use hashbrown::HashMap;
use html5ever::tendril::TendrilSink;
use html5ever::ParseOpts;
use scraper::{Html, HtmlTreeSink};
use url::Url;

use crate::decode::decode;

/// Extracts one page from its raw bytes. `url` is the page's own address (relative
/// links resolve against it); `content_type` is the HTTP header, when there was one.
pub fn extract(bytes: &[u8], url: Option<&Url>, content_type: Option<&str>) -> Page {
    let (text, _, _) = decode(bytes, content_type);
    extract_text(&text, url)
}

/// Extracts one page that is already text.
pub fn extract_text(html: &str, url: Option<&Url>) -> Page {
    let document = parse(html);
    let mut walk = walk::Walk::new(url.cloned(), html.len());
    walk.run(document.tree.root());
    // The site's host: from the page URL, else from its canonical link (a saved page).
    let site = walk
        .base
        .as_ref()
        .and_then(|b| b.host_str().map(str::to_string))
        .or_else(|| {
            walk.canonical
                .as_deref()
                .and_then(|c| Url::parse(c).ok())
                .and_then(|c| c.host_str().map(str::to_string))
        });
    let navigation = nav::read_menus(&walk.menus, walk.base.as_ref(), site.as_deref());
    let lang = document
        .root_element()
        .attr("lang")
        .map(str::trim)
        .filter(|lang| !lang.is_empty())
        .map(str::to_string);
    let words = walk.body.words();
    let body_text = walk.body.finish();
    let links = links_in_menus(walk.links, &navigation);
    Page {
        url: url.map(Url::to_string),
        title: walk.title.filter(|t| !t.is_empty()),
        lang,
        description: walk.description,
        canonical: walk.canonical,
        navigation,
        headings: walk.headings,
        body_text,
        words,
        links,
        robots: walk.robots,
    }
}

/// Nodes of a page's tree per `<` in its HTML, at most, about: each tag opens at most
/// one element and one text node after it (1.3 on most pages, never over 1.7 on the
/// fixtures and the saved real pages, small ones included: hence the slack).
const NODES_PER_TAG: (usize, usize) = (3, 2);
const NODES_SLACK: usize = 16;

/// The most nodes room is made for before parsing.
const NODES_RESERVED_MAX: usize = 1 << 16;

/// Parses a page into scraper's tree: with our tokenizer (`tokenize`), which reads
/// plain markup in less than half the instructions, and with html5ever's for the pages
/// it leaves; the tree builder is html5ever's either way. Public for the benchmarks.
pub fn parse(html: &str) -> Html {
    tokenize::parse(html, empty_document(html)).unwrap_or_else(|_| parse_with_html5ever(html))
}

/// The same tree from html5ever's own tokenizer: the fallback, and what the tests and
/// benchmarks compare ours with.
pub fn parse_with_html5ever(html: &str) -> Html {
    html5ever::driver::parse_document(
        HtmlTreeSink::new(empty_document(html)),
        ParseOpts::default(),
    )
    .one(html)
}

/// An empty document with room for the nodes of `html` made up front: grown from empty,
/// the tree copied all its nodes at every doubling (1% of a crawl's instructions,
/// `benches/crawl/crawl.sh`), and a room guessed from the page's length was too small
/// for one page in seven. Counting the `<` is a memchr search.
fn empty_document(html: &str) -> Html {
    let mut document = Html::new_document();
    let tags = memchr::memchr_iter(b'<', html.as_bytes()).count();
    let (times, per) = NODES_PER_TAG;
    let nodes = (tags * times / per + NODES_SLACK).min(NODES_RESERVED_MAX);
    document.tree = Tree::with_capacity(scraper::Node::Document, nodes);
    document
}

/// Marks the links that menus hold and gives them the menu's words: the labels above
/// the item and its own (a "Library group" item under "Networks" reads "Networks
/// Library group").
fn links_in_menus(mut links: Vec<Link>, navigation: &[Menu]) -> Vec<Link> {
    let items = navigation.iter().map(|menu| menu.items.len()).sum();
    let mut in_menus: HashMap<&str, (MenuKind, &NavItem)> = HashMap::with_capacity(items);
    for menu in navigation {
        for item in &menu.items {
            let Some(href) = item.href.as_deref() else {
                continue;
            };
            let strongest = in_menus.get(href).is_none_or(|(kind, _)| menu.kind < *kind);
            if strongest {
                in_menus.insert(href, (menu.kind, item));
            }
        }
    }
    if in_menus.is_empty() {
        return links;
    }
    for link in &mut links {
        if let Some((kind, item)) = in_menus.get(link.href.as_str()) {
            link.menu = Some(*kind);
            let labels: usize = item.path.iter().map(|l| l.len() + 1).sum();
            let mut words = String::with_capacity(labels + item.label.len() + 1 + link.hint.len());
            for label in item.path.iter().chain([&item.label]) {
                words.push_str(label);
                words.push(' ');
            }
            words.push_str(&link.hint);
            walk::bound_hint(&mut words);
            link.hint = words;
        }
    }
    links
}
