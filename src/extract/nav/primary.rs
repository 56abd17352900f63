//! The choice of the page's one primary menu, made as a person makes it.
//!
//! A menu is split into *blocks*, its top-level items grouped by the list (or table
//! row) that holds them: a `<nav>` often holds the main list and, beside it, a
//! utility list (log in, language, search). Every block of every candidate menu is
//! scored on the signals a person uses:
//! - markup: a class, id or name saying main/primary (+10), a menu named just
//!   "Navigation" (+5), a `<nav>`/`role` (+2);
//! - position: in the header (+5), before the content starts (+2) or after it (−2),
//!   inside the main content (−6);
//! - its items: three or more (+2, +1 from four), short labels (a mean of more than
//!   four words, as in news headlines, −6), links to distinct sections of the site
//!   (distinct first path segments, +2), links mostly to other hosts (−5), more than
//!   thirty items (a tag cloud or a link farm, −4);
//! - utility labels (log in, subscribe, search, languages, social networks) lower
//!   the score in proportion, service labels (press, contact, imprint) half as much; a
//!   block of half or more utility labels is never primary, and one of 60 % or more
//!   utility and service labels together loses 8 more (a service bar).
//!
//! The best block scoring at least 4 is primary; a sidebar menu (blogs, wikis whose
//! only site menu is a column beside the content) only when no other block qualifies,
//! and then with items scoring at least 4 and a total of at least 0. Its menu keeps that block (and
//! blocks of the same tag and class, columns of one menu); the other blocks become a
//! `secondary` menu beside it. Utility items at either end of the primary block move
//! there too.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use ego_tree::NodeId;

use super::super::page::{Menu, MenuKind, NavItem};
use super::classify::FoundMenu;
use super::markers::PRIMARY_MARKERS;
use super::words::{self, Role};

/// The primary-menu markers as written (case counts in a list's tag and class), all
/// in one search.
static MARKED: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(PRIMARY_MARKERS).expect("plain marker strings"));

/// Room made for a block's item indexes: most blocks hold fewer.
const INDEXES_RESERVED: usize = 32;

/// Below this, no menu is primary.
const THRESHOLD: i32 = 4;

/// Names at most one menu `primary` (splitting off what does not belong to it) and
/// returns the page's menus in document order; link rows found only by their shape
/// are kept only when primary.
pub(crate) fn choose_primary(menus: &mut Vec<FoundMenu>, site: Option<&str>) -> Vec<Menu> {
    let mut best: Option<(i32, usize, usize)> = None;
    let mut best_side: Option<(i32, usize, usize)> = None;
    let mut items = Vec::with_capacity(INDEXES_RESERVED);
    for (index, menu) in menus.iter().enumerate() {
        let Some(base) = menu.base_score else {
            continue;
        };
        for (block, (_, signature)) in menu.blocks.iter().enumerate() {
            // Columns of one menu (same tag and class) are scored once, as one block.
            let column = |(_, (_, s)): &(usize, &(_, String))| !s.is_empty() && s == signature;
            if menu
                .blocks
                .iter()
                .enumerate()
                .take(block)
                .any(|b| column(&b))
            {
                continue;
            }
            block_items(menu, block, &mut items);
            let got = block_score(menu, &items, site);
            if let Some(score) = got {
                let total = base + score;
                let slot = if menu.side { &mut best_side } else { &mut best };
                if (!menu.side || score >= 3) && slot.is_none_or(|(s, _, _)| total > s) {
                    *slot = Some((total, index, block));
                }
            }
        }
    }
    let chosen = best
        .filter(|&(score, _, _)| score >= THRESHOLD)
        .or(best_side.filter(|&(score, _, _)| score >= 0));
    let mut out = Vec::with_capacity(menus.len());
    for (index, found) in menus.drain(..).enumerate() {
        match chosen {
            Some((_, i, block)) if i == index => {
                let (primary, rest) = split(found, block);
                out.push(primary);
                out.extend(rest);
            }
            _ if found.inferred => {}
            _ => out.push(found.menu),
        }
    }
    out
}

/// Indexes of the top-level items of one block, with the blocks of the same tag and
/// class (columns of one menu), into `out`.
fn block_items(menu: &FoundMenu, block: usize, out: &mut Vec<usize>) {
    let (_, signature) = &menu.blocks[block];
    // Block ids are distinct (see `classify::read_menu`).
    let in_block = |id: Option<NodeId>| {
        menu.blocks.iter().enumerate().any(|(i, (other, s))| {
            *other == id && (i == block || (!s.is_empty() && s == signature))
        })
    };
    out.clear();
    out.extend(
        menu.menu
            .items
            .iter()
            .zip(&menu.meta)
            .enumerate()
            .filter(|(_, (item, meta))| item.depth == 0 && in_block(meta.block))
            .map(|(i, _)| i),
    );
}

/// The block's own points (the menu's are added by the caller); `None` when the
/// block cannot be the main menu at all.
fn block_score(menu: &FoundMenu, top: &[usize], site: Option<&str>) -> Option<i32> {
    let items = || top.iter().map(|&i| &menu.menu.items[i]);
    let n = top.len();
    if n < 2 || (menu.inferred && n < 3) {
        return None;
    }
    let (mut utility, mut service, mut numbers) = (0, 0, 0);
    for item in items() {
        match words::label_role(&item.label) {
            Role::Utility => utility += 1,
            Role::Service => service += 1,
            Role::Section => {}
        }
        numbers += usize::from(!has_letter(&item.label));
    }
    if utility * 2 >= n || numbers * 3 >= n {
        return None;
    }
    let n_i32 = n as i32;
    let mut score = 0;
    if n == 2 {
        score -= 4;
    }
    if n >= 3 {
        score += 2;
    }
    if n >= 4 {
        score += 1;
    }
    if n > 30 {
        score -= 4;
    }
    score -= (utility * 2 + service) as i32 * 4 / n_i32;
    // A block of mostly these is a service bar ("Press | Contact | Imprint | RSS").
    if (utility + service) * 10 >= n * 6 {
        score -= 8;
    }
    // A menu whose items open submenus is a site's sections, seldom a utility bar.
    let parents = top
        .iter()
        .filter(|&&i| {
            menu.menu
                .items
                .get(i + 1)
                .is_some_and(|next| next.depth > 0)
        })
        .count();
    if parents >= 2 {
        score += 2;
    }
    let words: usize = items().map(|i| label_words(&i.label)).sum();
    if words > 4 * n {
        score -= 6;
    }
    let hrefs = items().filter_map(|i| i.href.as_deref());
    let mut links = 0;
    let mut sections: Vec<&str> = Vec::with_capacity(n);
    for href in hrefs {
        links += 1;
        if !is_external(href, site) {
            sections.push(first_segment(href));
        }
    }
    let external = links - sections.len();
    if external * 2 > links.max(1) {
        score -= 5;
    }
    sections.sort_unstable();
    sections.dedup();
    if sections.len() >= 3 && sections.len() * 10 >= links * 6 {
        score += 2;
    }
    Some(score)
}

/// A link to another host than the page's: absolute, and neither on `site` nor on one
/// of its subdomains (with or without `www.`). Unknown when the page's own host is (a
/// saved page read with no URL and no canonical link): then no link counts as
/// external. Sister hosts (`tech.gmw.cn` beside `www.gmw.cn`) count as external: a
/// bar of links to a parent organisation's hosts is seldom the site's own menu.
fn is_external(href: &str, site: Option<&str>) -> bool {
    let Some(rest) = href
        .strip_prefix("https://")
        .or_else(|| href.strip_prefix("http://"))
        .or_else(|| href.strip_prefix("//"))
    else {
        return false;
    };
    let Some(site) = site else {
        return false;
    };
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let site = site.strip_prefix("www.").unwrap_or(site);
    !(host.eq_ignore_ascii_case(site)
        || (host.len() > site.len()
            && host.as_bytes()[host.len() - site.len() - 1] == b'.'
            && host[host.len() - site.len()..].eq_ignore_ascii_case(site)))
}

/// The first segment of a link's path: the site section it leads to.
fn first_segment(href: &str) -> &str {
    let path = match href.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => href,
    };
    path.trim_start_matches('/')
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
}

/// The top-level items the primary menu keeps: the chosen block and its columns; and
/// when that block is not itself the list marked as the main one, the links directly
/// in the menu beside it (or, when it is those links, the lists beside them) unless
/// mostly utility links or a copy of the chosen block: `<nav><a>Home</a><ul>..</ul>`
/// is one menu.
fn kept_items(found: &FoundMenu, block: usize) -> Vec<bool> {
    let labels = &found.menu.items;
    let mut chosen = Vec::with_capacity(INDEXES_RESERVED);
    block_items(found, block, &mut chosen);
    let mut keep = vec![false; labels.len()];
    for &i in &chosen {
        keep[i] = true;
    }
    let signature = &found.blocks[block].1;
    if MARKED.is_match(signature.as_str()) {
        return keep;
    }
    let chosen_is_root = found.blocks[block].0.is_none();
    let mut items = Vec::with_capacity(INDEXES_RESERVED);
    for other in 0..found.blocks.len() {
        block_items(found, other, &mut items);
        if items.iter().any(|&i| keep[i]) || !(chosen_is_root || found.blocks[other].0.is_none()) {
            continue;
        }
        let utility = items
            .iter()
            .filter(|&&i| words::is_utility_label(&labels[i].label))
            .count();
        let copied = items
            .iter()
            .filter(|&&i| {
                chosen
                    .iter()
                    .any(|&c| same_label(&labels[c].label, &labels[i].label))
            })
            .count();
        if utility * 2 < items.len() && copied * 10 < items.len() * 6 {
            for &i in &items {
                keep[i] = true;
            }
        }
    }
    keep
}

/// Whether two labels are the same but for case.
fn same_label(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// The chosen menu as the primary one (its chosen block, trimmed of utility items at
/// either end) and, when anything was left out, a secondary menu of the rest.
fn split(found: FoundMenu, block: usize) -> (Menu, Option<Menu>) {
    let keep_top = kept_items(&found, block);
    let FoundMenu { menu, .. } = found;
    // Each top-level item goes with the items under it, kept or not: a segment, named
    // by whether it is kept and by its first item.
    let mut segments: Vec<(bool, usize)> = Vec::new();
    for (i, item) in menu.items.iter().enumerate() {
        if item.depth == 0 || segments.is_empty() {
            segments.push((keep_top[i], i));
        }
    }
    trim_utility_ends(&mut segments, &menu.items);
    let (mut kept, mut rest) = (Vec::with_capacity(menu.items.len()), Vec::new());
    let mut segment = 0;
    for (i, item) in menu.items.into_iter().enumerate() {
        if segments
            .get(segment + 1)
            .is_some_and(|&(_, first)| first == i)
        {
            segment += 1;
        }
        let target = if segments[segment].0 {
            &mut kept
        } else {
            &mut rest
        };
        target.push(item);
    }
    let primary = Menu {
        kind: MenuKind::Primary,
        label: menu.label,
        items: kept,
    };
    let rest = (!rest.is_empty()).then(|| Menu {
        kind: MenuKind::Secondary,
        label: String::new(),
        items: rest,
    });
    (primary, rest)
}

/// Drops utility items (log in, a language, search) from both ends of the kept
/// segments, leaving at least two.
fn trim_utility_ends(segments: &mut [(bool, usize)], items: &[NavItem]) {
    // A language named in full ("Español") at the end of the main list is, by the
    // fixtures' reading, one of its items; a bare code ("EN") is a switch.
    let is_utility = |&(_, first): &(bool, usize)| {
        let label = &items[first].label;
        words::is_utility_label(label)
            && (!words::is_language_label(label) || label.chars().count() <= 3)
    };
    let kept: Vec<usize> = (0..segments.len()).filter(|&i| segments[i].0).collect();
    let mut remaining = kept.len();
    for &i in &kept {
        if remaining <= 2 || !is_utility(&segments[i]) {
            break;
        }
        segments[i].0 = false;
        remaining -= 1;
    }
    for &i in kept.iter().rev() {
        if remaining <= 2 || !segments[i].0 || !is_utility(&segments[i]) {
            break;
        }
        segments[i].0 = false;
        remaining -= 1;
    }
}

/// A label's length in words; in scripts written without spaces (Chinese, Japanese),
/// two characters count as a word.
fn label_words(label: &str) -> usize {
    let wide = if label.is_ascii() {
        0
    } else {
        label.chars().filter(|c| is_wide(*c)).count()
    };
    label.split_whitespace().count().max(1) + wide / 2
}

/// Whether a label holds a letter (not only digits or signs, as a pager's "1 2 3").
fn has_letter(label: &str) -> bool {
    if label.is_ascii() {
        label.bytes().any(|b| b.is_ascii_alphabetic())
    } else {
        label.chars().any(char::is_alphabetic)
    }
}

fn is_wide(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
}

#[cfg(test)]
mod tests;
