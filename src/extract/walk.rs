//! One pass over the parsed document that gathers everything but the menus' items:
//! metadata, headings, body text, links, and the roots of the menus.

use std::hash::BuildHasher;

use ego_tree::NodeRef;
use hashbrown::{DefaultHashBuilder, HashTable};
use scraper::node::{Element, Node};
use url::Url;

use super::dom::{self, atom, is_one_of, TextBuilder, TextRule};
use super::nav::{self, Candidate, Placement};
use super::page::{Heading, Link, MetaRobots};
use super::region;

/// Characters of a link's hint kept: enough for a label and its heading.
const MAX_HINT_CHARS: usize = 160;

/// Bytes of HTML per link, about, for sizing the link lists before the walk.
const BYTES_PER_LINK: usize = 256;

/// The body text's buffer is made a quarter of the page's length up front (its text
/// was a fifth of it on the fixtures, less on pages heavy with markup): grown from
/// empty, it was copied at every doubling.
const BYTES_PER_BODY_BYTE: usize = 4;

/// Headings and menu candidates room is made for before the walk: most pages have
/// fewer, and growing from empty copied them at 4 and 8.
const HEADINGS_RESERVED: usize = 16;
const MENUS_RESERVED: usize = 8;

/// The most links room is made for before the walk.
const MAX_LINKS_RESERVED: usize = 4096;

#[derive(Default)]
pub struct Walk<'a> {
    /// Where relative links resolve: the page URL, moved by `<base href>`.
    pub base: Option<Url>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub canonical: Option<String>,
    pub robots: MetaRobots,
    pub headings: Vec<Heading>,
    pub body: TextBuilder,
    pub links: Vec<Link>,
    /// Index in `links` of each target, to add a later anchor's words; found by the
    /// link's own `href`, which is not copied for it.
    seen_links: HashTable<usize>,
    hasher: DefaultHashBuilder,
    pub menus: Vec<Candidate<'a>>,
    /// The page's content has started: its first `h1`, or `main`/`article`, is behind.
    content_started: bool,
}

#[derive(Clone, Copy, Default)]
struct Context {
    placement: Placement,
    in_menu: bool,
    /// Inside something that shows no text (`svg`, `select`, the `head`).
    no_text: bool,
    /// Inside SVG or MathML, whose `<title>` is no page title.
    foreign: bool,
    /// Inside hidden content: only links are still gathered, for the crawler.
    hidden: bool,
    /// Inside a heading: its text is not body text (a heading nested in a heading by
    /// malformed markup is still a heading of its own).
    in_heading: bool,
    /// Inside a link row found by its shape (see `nav::is_link_row`): its text stays
    /// body text, but no second row is looked for within it.
    in_row: bool,
}

impl<'a> Walk<'a> {
    /// A walk of a page of `html_len` bytes: its link lists are sized for it up front,
    /// since links are a page's most numerous records (one every 300 bytes of HTML,
    /// about, on the fixtures).
    pub fn new(base: Option<Url>, html_len: usize) -> Self {
        let links = (html_len / BYTES_PER_LINK).min(MAX_LINKS_RESERVED);
        Walk {
            base,
            body: TextBuilder::with_capacity(html_len / BYTES_PER_BODY_BYTE),
            links: Vec::with_capacity(links),
            headings: Vec::with_capacity(HEADINGS_RESERVED),
            menus: Vec::with_capacity(MENUS_RESERVED),
            seen_links: HashTable::with_capacity(links),
            ..Walk::default()
        }
    }

    pub fn run(&mut self, root: NodeRef<'a, Node>) {
        self.visit_children(root, Context::default());
    }

    fn visit_children(&mut self, node: NodeRef<'a, Node>, ctx: Context) {
        for child in dom::children(node) {
            match child.value() {
                Node::Text(text)
                    if !ctx.hidden && !ctx.no_text && !ctx.in_menu && !ctx.in_heading =>
                {
                    self.body.push_text(text)
                }
                Node::Element(el) => self.visit_element(child, el, ctx),
                _ => {}
            }
        }
    }

    fn visit_element(&mut self, node: NodeRef<'a, Node>, el: &'a Element, mut ctx: Context) {
        let name = &el.name.local;
        if el.name.ns != html5ever::ns!(html) {
            // SVG and MathML: no page text, but an SVG `<a>` still links.
            ctx.no_text = true;
            ctx.foreign = true;
        }
        if *name == *atom!("title") && self.title.is_none() && !ctx.foreign {
            let text = dom::visible_text(node, TextRule::Outline);
            self.title = Some(text);
            return;
        } else if *name == *atom!("meta") {
            return self.meta(el);
        } else if *name == *atom!("link") {
            return self.link_element(el);
        } else if *name == *atom!("base") {
            return self.base_element(el);
        } else if is_one_of!(name, "a" | "area") {
            self.link(node, el, ctx);
        }
        if dom::is_hidden(el) {
            ctx.hidden = true;
        }
        if dom::is_non_text(el) {
            ctx.no_text = true;
        }
        if ctx.hidden || ctx.no_text {
            return self.visit_children(node, ctx);
        }
        if let Some(level) = dom::heading_level(name) {
            self.content_started |= level == 1;
            let text = dom::visible_text(node, TextRule::Outline);
            if !text.is_empty() {
                self.headings.push(Heading { level, text });
            }
            self.body.line_break();
            ctx.in_heading = true;
            return self.visit_children(node, ctx);
        }
        region::place(&mut ctx.placement, el);
        if !ctx.in_menu {
            if nav::is_menu_root(node, el, ctx.placement) {
                self.menus.push(Candidate {
                    root: node,
                    placement: ctx.placement,
                    inferred: false,
                    after_content: self.content_started,
                });
                ctx.in_menu = true;
            } else if !ctx.in_row
                // A link row inside or after the main content is content (and could not
                // outscore a menu: see `nav::primary`); not looking there saves most of
                // the cost.
                && !ctx.placement.in_main
                && !self.content_started
                && nav::is_link_row(node, el, ctx.placement)
            {
                self.menus.push(Candidate {
                    root: node,
                    placement: ctx.placement,
                    inferred: true,
                    after_content: self.content_started,
                });
                ctx.in_row = true;
            }
        }
        self.content_started |= ctx.placement.in_main;
        let block = dom::is_block(name);
        if block {
            self.body.line_break();
        }
        self.visit_children(node, ctx);
        if block {
            self.body.line_break();
        }
    }

    fn link(&mut self, node: NodeRef<'a, Node>, el: &Element, ctx: Context) {
        let Some(href) = dom::attr(el, atom!("href")) else {
            return;
        };
        let Some(url) = nav::resolve_href(href, self.base.as_ref()) else {
            return;
        };
        let followable = if self.base.is_some() {
            nav::starts_with_ci(&url, "http://") || nav::starts_with_ci(&url, "https://")
        } else {
            !["mailto:", "tel:", "data:", "#"]
                .iter()
                .any(|p| nav::starts_with_ci(&url, p))
        };
        if !followable {
            return;
        }
        let hash = self.hasher.hash_one(url.as_str());
        if let Some(&index) = self.seen_links.find(hash, |&i| self.links[i].href == url) {
            let link = &mut self.links[index];
            // A second anchor to the same target ("Read more" after a title) may
            // say what the first did not. (A menu's links get their words from the
            // menu's items.)
            if !ctx.in_menu && link.hint.len() < MAX_HINT_CHARS / 2 {
                let more = dom::visible_text(node, TextRule::Outline);
                if !more.is_empty() && !link.hint.contains(&more) {
                    link.hint.push(' ');
                    link.hint.push_str(&more);
                    bound_hint(&mut link.hint);
                }
            }
            return;
        }
        let hint = self.link_hint(node, el, ctx);
        let links = &self.links;
        let hasher = &self.hasher;
        self.seen_links.insert_unique(hash, links.len(), |&i| {
            hasher.hash_one(links[i].href.as_str())
        });
        self.links.push(Link {
            href: url,
            hint,
            menu: None,
        });
    }

    /// What a reader sees of a link: its text, else its image's `alt`, its
    /// `aria-label` or `title`; then the heading it sits under. Empty inside a menu:
    /// the menu's items give those links their words (`extract::links_in_menus`),
    /// without reading the same text twice.
    fn link_hint(&self, node: NodeRef<'a, Node>, el: &Element, ctx: Context) -> String {
        if ctx.in_menu {
            return String::new();
        }
        let mut hint = if ctx.hidden {
            String::new()
        } else {
            dom::visible_text(node, TextRule::Outline)
        };
        if hint.is_empty() {
            let image_alt = dom::descendants(node).find_map(|d| match d.value() {
                Node::Element(img) if img.name.local == *atom!("img") => {
                    dom::attr(img, atom!("alt"))
                }
                _ => None,
            });
            hint = [
                dom::attr(el, atom!("aria-label")),
                dom::attr(el, atom!("title")),
                image_alt,
            ]
            .into_iter()
            .flatten()
            .map(dom::collapse_whitespace)
            .find(|label| !label.is_empty())
            .unwrap_or_default();
        }
        if let Some(heading) = self.headings.last() {
            hint.push(' ');
            hint.push_str(&heading.text);
        }
        bound_hint(&mut hint);
        hint
    }

    fn meta(&mut self, el: &Element) {
        let Some(name) = dom::attr(el, atom!("name")).or_else(|| dom::attr(el, atom!("property")))
        else {
            return;
        };
        let content = dom::attr(el, atom!("content"))
            .map(str::trim)
            .unwrap_or_default();
        let is = |value: &str| name.eq_ignore_ascii_case(value);
        if is("description") || is("og:description") {
            if self.description.is_none() && !content.is_empty() {
                self.description = Some(dom::collapse_whitespace(content));
            }
        } else if is("robots") || is("alliance-audit") {
            for directive in content.split(',').map(str::trim) {
                let is = |value: &str| directive.eq_ignore_ascii_case(value);
                if is("noindex") || is("none") {
                    self.robots.noindex = true;
                }
                if is("nofollow") || is("none") {
                    self.robots.nofollow = true;
                }
            }
        }
    }

    fn link_element(&mut self, el: &Element) {
        let is_canonical = dom::attr(el, atom!("rel")).is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("canonical"))
        });
        if is_canonical && self.canonical.is_none() {
            self.canonical = dom::attr(el, atom!("href"))
                .and_then(|href| nav::resolve_href(href, self.base.as_ref()));
        }
    }

    /// The first `<base href>` moves the base for every later link, as in browsers.
    fn base_element(&mut self, el: &Element) {
        let Some(href) = dom::attr(el, atom!("href")).map(str::trim) else {
            return;
        };
        let resolved = match &self.base {
            Some(base) => base.join(href).ok(),
            None => Url::parse(href).ok(),
        };
        if let Some(url) = resolved.filter(|u| matches!(u.scheme(), "http" | "https")) {
            self.base = Some(url);
        }
    }
}

/// Cuts `hint` to [`MAX_HINT_CHARS`] characters, in place.
pub fn bound_hint(hint: &mut String) {
    if hint.len() > MAX_HINT_CHARS {
        if let Some((cut, _)) = hint.char_indices().nth(MAX_HINT_CHARS) {
            hint.truncate(cut);
        }
    }
    let trimmed = hint.trim_end().len();
    hint.truncate(trimmed);
}
