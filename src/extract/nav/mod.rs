//! Navigation menus: finding them, reading their items as a tree, and telling the
//! site's main menu from utility bars, sidebars, footers and breadcrumbs.
//!
//! Real sites mark menus in many ways (`<nav>`, `role="navigation"`, WordPress
//! `menu-item`, Drupal `menu--main`, Bootstrap `navbar`, bare `<ul>`s in a `<header>`),
//! and older ones not at all: a `<table>` row of links, `<div>`s or `<span>`s separated
//! by `|`. So a menu is found by any of those signs, or, unmarked, as a *link row*
//! (siblings holding one short link each); it is read by one walker that treats list
//! items, dropdown toggles and mega-menu column titles as the nodes of a tree; and the
//! primary menu is the block of links that scores best as a person would judge it
//! (see `classify`).
//!
//! - `find`: which elements start a menu or a link row (asked by the page walk);
//! - `items`: one menu's items, with depth and path;
//! - `classify`: each menu's kind, and the choice of the one primary menu;
//! - `words`: the lexicons those decisions use, in the alliances' languages.

mod classify;
mod find;
mod item_shape;
mod items;
mod label;
mod markers;
mod primary;
mod words;

use ego_tree::NodeRef;
use scraper::node::Node;
use url::Url;

pub use find::{is_link_row, is_menu_root};

use super::page::Menu;

/// Where a menu root sits in the page, gathered by the page walk on the way down.
#[derive(Debug, Clone, Copy, Default)]
pub struct Placement {
    pub in_header: bool,
    pub in_footer: bool,
    pub in_aside: bool,
    pub in_main: bool,
}

/// A menu root found by the page walk, before it is read.
pub struct Candidate<'a> {
    pub root: NodeRef<'a, Node>,
    pub placement: Placement,
    /// Found as an unmarked link row, not by menu markup: kept only if it turns out to
    /// be the primary menu.
    pub inferred: bool,
    /// The page's content had started (its first `h1`, or `main`/`article`) before
    /// this menu: site menus come first, in-content link lists after.
    pub after_content: bool,
}

/// Reads every candidate into menus, drops duplicates (a mobile copy of the main
/// menu), and names exactly one menu `primary` when any qualifies. `site` is the
/// page's own host, when known (from its URL or canonical link).
pub fn read_menus(
    candidates: &[Candidate<'_>],
    base: Option<&Url>,
    site: Option<&str>,
) -> Vec<Menu> {
    let mut found: Vec<classify::FoundMenu> = candidates
        .iter()
        .filter_map(|candidate| classify::read_menu(candidate, base))
        .collect();
    classify::drop_duplicates(&mut found);
    primary::choose_primary(&mut found, site)
}

/// An href as the menu shows it: absolute when a base is known; `None` for the
/// placeholders dropdown toggles use (`#`, `javascript:`).
pub fn resolve_href(href: &str, base: Option<&Url>) -> Option<String> {
    let href = super::dom::trim(href);
    if href.is_empty() || href == "#" || starts_with_ci(href, "javascript:") {
        return None;
    }
    match base {
        Some(base) => super::href::join(base, href),
        None => Some(href.to_string()),
    }
}

/// Whether `text` starts with `prefix` (lowercase ASCII), ignoring ASCII case; with
/// no lowercased copy, as it runs on every link.
pub fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}
