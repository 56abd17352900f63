//! Visiting one URL: robots.txt, then the request, following redirects one checked hop
//! at a time, then extraction and detection of an HTML body. Always ends in a
//! [`PageRecord`] with an outcome; nothing here is an `Err`.
//!
//! Each redirect target is normalised and checked before it is requested: a target
//! seen earlier in the chain is a loop (`redirect_loop`, as is a chain over the hop
//! limit), a host outside the alliance is `out_of_scope`, a non-public address is
//! refused (`out_of_scope`, with the reason), and robots.txt of the target's origin
//! applies (`blocked_by_robots`).

use std::sync::Arc;

use url::Url;

use super::clock::timestamp;
use super::content::{declared, fingerprint, sniff_html, Declared};
use super::fetch::{Answer, Body, Failure, Wanted};
use super::normalize::normalize;
use super::site::Site;
use crate::document::{self, DocumentKind};
use crate::extract::{extract, Page};
use crate::record::{CachedPage, Validators};
use crate::record::{Outcome, PageRecord};

/// What visiting one URL produced.
#[derive(Debug)]
pub struct Visit {
    /// An `ok` page's outgoing links are its page's `links` (absolute, not yet
    /// normalised): the run store keeps them for a later 304, and the crawl follows them.
    pub record: PageRecord,
    /// A request was made (counts against `max_pages`); false when robots.txt or the
    /// SSRF rule stopped the URL before any request.
    pub requested: bool,
    /// A fingerprint of an `ok` page's content ([`fingerprint`]), to recognise the
    /// same page under two URLs.
    pub content_hash: Option<u64>,
}

impl Visit {
    /// A visit that ended in an internal error (its task panicked).
    pub fn failed(alliance_id: &str, url: &Url, depth: usize, message: String) -> Visit {
        let chain = Chain {
            url: url.clone(),
            depth,
            current: url.clone(),
            hops: Vec::new(),
            requested: true,
        };
        let mut visit = chain.end(Outcome::Error, None, Some(message));
        visit.record.alliance_id = alliance_id.to_string();
        visit
    }
}

/// The visit in progress: the URL asked for, and where the chain has got to.
struct Chain {
    url: Url,
    depth: usize,
    current: Url,
    hops: Vec<Url>,
    requested: bool,
}

impl Chain {
    fn end(self, outcome: Outcome, status: Option<u16>, error: Option<String>) -> Visit {
        self.end_with(outcome, status, None, error)
    }

    fn end_with(
        self,
        outcome: Outcome,
        status: Option<u16>,
        content_type: Option<String>,
        error: Option<String>,
    ) -> Visit {
        Visit {
            record: PageRecord {
                alliance_id: String::new(),
                url: self.url.to_string(),
                final_url: self.current.to_string(),
                depth: self.depth,
                outcome,
                status,
                content_type,
                error,
                fetched_at: timestamp(),
                page: None,
                detection: None,
                validators: None,
            },
            requested: self.requested,
            content_hash: None,
        }
    }
}

/// Visits `url` (normalised, in scope) found at `depth`.
pub async fn visit(site: Arc<Site>, url: Url, depth: usize) -> Visit {
    // What an earlier run read at this URL: its validators make the request
    // conditional, and a 304 reuses it.
    let mut cached = site
        .http_cache
        .as_ref()
        .and_then(|cache| cache.0.lookup(url.as_str(), depth));
    let mut chain = Chain {
        current: url.clone(),
        hops: vec![url.clone()],
        url,
        depth,
        requested: false,
    };
    let mut visit = loop {
        if let Err(refused) = site.fetcher.guard().check_url(&chain.current) {
            break chain.end(Outcome::OutOfScope, None, Some(refused.to_string()));
        }
        let robots = site.robots_for(&chain.current).await;
        if let Some(refused) = &robots.refused {
            break chain.end(Outcome::OutOfScope, None, Some(refused.to_string()));
        }
        if let Some(cause) = &robots.unreachable {
            let message = format!("host unreachable: {cause}");
            break chain.end(Outcome::Unreachable, None, Some(message));
        }
        if !robots.policy.allows(&chain.current) {
            let reason = if robots.policy.is_unreachable() {
                "robots.txt unreachable: host treated as disallowed"
            } else {
                "disallowed by robots.txt"
            };
            break chain.end(Outcome::BlockedByRobots, None, Some(reason.into()));
        }
        chain.requested = true;
        // Only the URL itself is asked conditionally, not a redirect's target.
        let conditional = cached
            .as_ref()
            .filter(|_| chain.hops.len() == 1)
            .map(|c| &c.validators);
        let was_conditional = conditional.is_some();
        let answer = site
            .fetcher
            .get_conditional(
                &chain.current,
                &site.politeness,
                Wanted::Html,
                site.max_body_bytes,
                conditional,
            )
            .await;
        match answer {
            Answer::Response {
                status: 304,
                validators,
                ..
            } if was_conditional => {
                let cached = cached
                    .take()
                    .expect("a conditional request had a cached page");
                break reuse(chain, cached, validators);
            }
            Answer::Redirect { status, location } => {
                chain = match follow(&site, chain, status, location) {
                    Ok(chain) => chain,
                    Err(ended) => break *ended,
                };
            }
            Answer::Response {
                status,
                content_type,
                body,
                validators,
            } => {
                let mut visit = read(&site, chain, status, content_type, body).await;
                if visit.record.outcome == Outcome::Ok && !validators.is_empty() {
                    visit.record.validators = Some(validators);
                }
                break visit;
            }
            Answer::Failed(Failure::Timeout(message)) => {
                break chain.end(Outcome::Timeout, None, Some(message))
            }
            Answer::Failed(Failure::Refused(refused)) => {
                break chain.end(Outcome::OutOfScope, None, Some(refused.to_string()))
            }
            Answer::Failed(Failure::Unreachable(message)) => {
                let message = format!("host unreachable: {message}");
                break chain.end(Outcome::Unreachable, None, Some(message));
            }
            Answer::Failed(Failure::Other(message)) => {
                break chain.end(Outcome::Error, None, Some(message))
            }
        }
    };
    visit.record.alliance_id = site.alliance_id.clone();
    visit
}

/// A 304 Not Modified: the page is what an earlier run read, reused without a
/// download or a parse. Its status stays 304 in the record, so the reports say so.
fn reuse(chain: Chain, cached: CachedPage, now: Validators) -> Visit {
    let mut visit = chain.end_with(Outcome::Ok, Some(304), cached.content_type, None);
    let mut page = cached.page;
    page.links = cached.links;
    visit.record.page = Some(page);
    visit.record.detection = Some(cached.detection);
    visit.record.validators = Some(if now.is_empty() {
        cached.validators
    } else {
        now
    });
    visit.content_hash = visit.record.page.as_ref().map(fingerprint);
    visit
}

/// Moves the chain on to a redirect's target, or ends the visit there.
fn follow(
    site: &Site,
    mut chain: Chain,
    status: u16,
    location: Option<String>,
) -> Result<Chain, Box<Visit>> {
    let target = location
        .as_deref()
        .and_then(|location| chain.current.join(location.trim()).ok())
        .and_then(|target| normalize(&target));
    let Some(target) = target else {
        let message = format!("redirect ({status}) without a usable Location: {location:?}");
        return Err(Box::new(chain.end(
            Outcome::Error,
            Some(status),
            Some(message),
        )));
    };
    let is_loop = chain.hops.contains(&target);
    chain.current = target;
    if is_loop {
        let message = format!("redirect loop back to {}", chain.current);
        return Err(Box::new(chain.end(
            Outcome::RedirectLoop,
            Some(status),
            Some(message),
        )));
    }
    if chain.hops.len() > site.max_redirects {
        let message = format!("more than {} redirects", site.max_redirects);
        return Err(Box::new(chain.end(
            Outcome::RedirectLoop,
            Some(status),
            Some(message),
        )));
    }
    chain.hops.push(chain.current.clone());
    if !site.scope.allows(&chain.current) {
        let message = format!("redirected off the allowed hosts to {}", chain.current);
        return Err(Box::new(chain.end(
            Outcome::OutOfScope,
            Some(status),
            Some(message),
        )));
    }
    Ok(chain)
}

/// Reads a document's text (in the isolated reader, a few at a time) and detects in
/// it: `ok` with its text as `document` evidence, or `unreadable` with the reason.
async fn read_document(
    site: &Site,
    chain: Chain,
    status: u16,
    content_type: Option<String>,
    kind: DocumentKind,
    bytes: Vec<u8>,
) -> Visit {
    let read = {
        let _slot = site.documents.slots.acquire().await;
        site.documents.reader.read(kind, bytes).await
    };
    let text = match read {
        Ok(text) => text,
        Err(unreadable) => {
            let message = format!("{}: {unreadable}", kind.as_str());
            return chain.end_with(
                Outcome::Unreadable,
                Some(status),
                content_type,
                Some(message),
            );
        }
    };
    let mut page = Page {
        url: Some(chain.current.to_string()),
        title: text.title,
        words: text.text.split_whitespace().count(),
        body_text: text.text,
        ..Page::default()
    };
    let detection = site.detector.detect_document(&page, chain.depth);
    page.body_text = String::new();
    let mut visit = chain.end_with(Outcome::Ok, Some(status), content_type, None);
    visit.content_hash = Some(fingerprint(&page));
    visit.record.page = Some(page);
    visit.record.detection = Some(detection);
    visit
}

/// Classifies a final response and, for HTML, extracts and detects.
async fn read(
    site: &Site,
    chain: Chain,
    status: u16,
    content_type: Option<String>,
    body: Body,
) -> Visit {
    if !(200..300).contains(&status) {
        let message = format!("HTTP {status}");
        return chain.end_with(
            Outcome::HttpError,
            Some(status),
            content_type,
            Some(message),
        );
    }
    let declared_type = declared(content_type.as_deref());
    let bytes = match body {
        Body::Complete(bytes) => bytes,
        Body::TooLarge(_) => {
            let limit = if declared_type == Declared::NotHtml {
                site.documents.max_bytes
            } else {
                site.max_body_bytes
            };
            let message = format!("body larger than {limit} bytes");
            return chain.end_with(Outcome::TooLarge, Some(status), content_type, Some(message));
        }
        Body::Skipped => {
            let message = format!("not HTML: {}", content_type.as_deref().unwrap_or("no type"));
            return chain.end_with(Outcome::NotHtml, Some(status), content_type, Some(message));
        }
    };
    let is_html = match declared_type {
        Declared::Html => true,
        Declared::NotHtml => false,
        Declared::Unknown => sniff_html(&bytes),
    };
    let head = &bytes[..bytes.len().min(1024)];
    let document = (!is_html)
        .then(|| document::kind_of(content_type.as_deref(), chain.current.path(), head))
        .flatten();
    if let Some(kind) = document {
        return read_document(site, chain, status, content_type, kind, bytes).await;
    }
    if !is_html {
        let message = format!(
            "not HTML: {}",
            content_type
                .as_deref()
                .unwrap_or("no type, content not HTML")
        );
        return chain.end_with(Outcome::NotHtml, Some(status), content_type, Some(message));
    }
    let page_url = chain.current.clone();
    let depth = chain.depth;
    let detector = site.detector.clone();
    let header = content_type.clone();
    // Parsing is CPU-bound and scraper's tree is !Send: it lives and dies in here, on
    // one of a few threads per core (enough to keep the cores busy while some of them
    // wait; more would only hold more trees in memory at once), while the network side
    // keeps fetching.
    let _parser = site.parsers.acquire().await;
    let extracted = tokio::task::spawn_blocking(move || {
        let mut page = extract(&bytes, Some(&page_url), header.as_deref());
        let detection = detector.detect(&page, depth);
        page.body_text = String::new();
        (page, detection)
    })
    .await;
    match extracted {
        Ok((page, detection)) => {
            let mut visit = chain.end_with(Outcome::Ok, Some(status), content_type, None);
            visit.content_hash = Some(fingerprint(&page));
            visit.record.page = Some(page);
            visit.record.detection = Some(detection);
            visit
        }
        Err(error) => {
            tracing::error!(url = %chain.current, %error, "extraction failed");
            let message = format!("extraction failed: {error}");
            chain.end_with(Outcome::Error, Some(status), content_type, Some(message))
        }
    }
}
