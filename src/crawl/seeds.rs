//! Extra seeds from sitemaps: the `Sitemap:` lines of each start origin's robots.txt,
//! plus its `/sitemap.xml`, following sitemap indexes two levels down.
//!
//! Sitemap files are fetched like pages (politeness, robots.txt, SSRF rule, scope) but
//! are not pages: they are not recorded and do not count against `max_pages`.
//! They are read in full, up to [`MAX_SITEMAP_FILES`] files and
//! [`MAX_SITEMAP_URLS`] URLs per alliance (far above any page budget: a URL listed
//! late is known, and scored, like one listed first). The URLs are returned as they
//! are; the coordinator normalises them, keeps those in scope and scores them like
//! links, at no privileged depth.

use std::collections::HashSet;
use std::sync::Arc;

use url::Url;

use super::fetch::{Answer, Body, Wanted};
use super::normalize::normalize;
use super::site::Site;
use super::sitemap::{parse, Sitemap, MAX_SITEMAP_BYTES};

/// Sitemap files fetched per alliance, at most.
pub const MAX_SITEMAP_FILES: usize = 200;
/// Sitemap URLs taken per alliance, at most.
pub const MAX_SITEMAP_URLS: usize = 250_000;
/// Index levels followed below the first file.
const MAX_INDEX_DEPTH: usize = 2;

/// One URL a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// Absolute, not yet normalised.
    pub url: String,
    pub lastmod_year: Option<i32>,
    /// The sitemap file that lists it.
    pub sitemap: Arc<str>,
}

/// The page URLs the start origins' sitemaps list, in the order they list them, at
/// most `max_urls`.
pub async fn sitemap_seeds(site: &Site, start_urls: &[Url], max_urls: usize) -> Vec<Seed> {
    let mut queue: Vec<(Url, usize)> = Vec::new();
    let mut origins = HashSet::new();
    for start in start_urls {
        if !origins.insert(start.origin().ascii_serialization()) {
            continue;
        }
        let robots = site.robots_for(start).await;
        for listed in robots.policy.sitemaps() {
            if let Some(url) = start.join(listed).ok().as_ref().and_then(normalize) {
                queue.push((url, 0));
            }
        }
        if let Ok(default) = start.join("/sitemap.xml") {
            queue.push((default, 0));
        }
    }
    let mut fetched = HashSet::new();
    let mut seeds = Vec::new();
    // Depth-first through indexes; a plain stack is enough at these sizes.
    queue.reverse();
    while let Some((url, level)) = queue.pop() {
        if seeds.len() >= max_urls || fetched.len() >= MAX_SITEMAP_FILES {
            break;
        }
        if !fetched.insert(url.clone()) || !site.scope.allows(&url) {
            continue;
        }
        let Some(body) = fetch_sitemap(site, &url).await else {
            continue;
        };
        match parse(&body) {
            Sitemap::Pages(entries) => {
                // The protocol wants absolute URLs; relative ones are read kindly.
                let room = max_urls - seeds.len();
                let file: Arc<str> = Arc::from(url.as_str());
                let absolute = entries.into_iter().filter_map(|entry| {
                    Some(Seed {
                        url: url.join(&entry.loc).ok()?.into(),
                        lastmod_year: entry.lastmod_year,
                        sitemap: file.clone(),
                    })
                });
                seeds.extend(absolute.take(room));
            }
            Sitemap::Index(children) if level < MAX_INDEX_DEPTH => {
                let mut children: Vec<(Url, usize)> = children
                    .iter()
                    .filter_map(|child| url.join(child).ok())
                    .filter_map(|child| normalize(&child))
                    .map(|child| (child, level + 1))
                    .collect();
                children.reverse();
                queue.extend(children);
            }
            Sitemap::Index(_) => {
                tracing::debug!(%url, "sitemap index nested too deep; skipped");
            }
        }
    }
    seeds
}

/// Redirects followed for one sitemap (`/sitemap.xml` often moves to an index).
const MAX_SITEMAP_REDIRECTS: usize = 5;

/// The body of one sitemap file, when it answers 2xx; every hop must be in scope,
/// on a public (or trusted) address and allowed by robots.txt.
async fn fetch_sitemap(site: &Site, url: &Url) -> Option<Vec<u8>> {
    let mut current = url.clone();
    for _ in 0..=MAX_SITEMAP_REDIRECTS {
        if !site.scope.allows(&current) || site.fetcher.guard().check_url(&current).is_err() {
            return None;
        }
        let robots = site.robots_for(&current).await;
        if robots.refused.is_some() || !robots.policy.allows(&current) {
            return None;
        }
        let answer = site
            .fetcher
            .get(&current, &site.politeness, Wanted::Any, MAX_SITEMAP_BYTES)
            .await;
        match answer {
            Answer::Response {
                status: 200..=299,
                body: Body::Complete(bytes) | Body::TooLarge(bytes),
                ..
            } => return Some(bytes),
            Answer::Redirect {
                location: Some(location),
                ..
            } => current = normalize(&current.join(&location).ok()?)?,
            other => {
                tracing::debug!(%url, ?other, "no sitemap");
                return None;
            }
        }
    }
    None
}
