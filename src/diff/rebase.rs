//! A site that moved origin between two runs (http to https, or the demo's new ports):
//! the older run's URLs read as on the newer origin.

use crate::store::{EvidenceEntry, NavEntry};

/// Reads URLs of the older run on the newer run's origin, when the site moved.
#[derive(Debug, Default)]
pub(super) struct Rebase {
    moved: Option<(String, String)>,
}

impl Rebase {
    pub(super) fn new(old_start: Option<&str>, new_start: Option<&str>) -> Rebase {
        let origin = |u: &str| {
            url::Url::parse(u)
                .ok()
                .map(|u| u.origin().ascii_serialization())
        };
        match (old_start.and_then(origin), new_start.and_then(origin)) {
            (Some(old), Some(new)) if old != new => Rebase {
                moved: Some((old, new)),
            },
            _ => Rebase::default(),
        }
    }

    pub(super) fn url(&self, url: &str) -> String {
        if let Some((old, new)) = &self.moved {
            if let Some(rest) = url.strip_prefix(old.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    return format!("{new}{rest}");
                }
            }
        }
        url.to_string()
    }

    pub(super) fn text(&self, text: &str) -> String {
        match &self.moved {
            Some((old, new)) => text.replace(old.as_str(), new),
            None => text.to_string(),
        }
    }

    pub(super) fn nav(&self, entry: NavEntry) -> NavEntry {
        NavEntry {
            href: entry.href.as_deref().map(|h| self.url(h)),
            ..entry
        }
    }

    pub(super) fn evidence(&self, e: EvidenceEntry) -> EvidenceEntry {
        EvidenceEntry {
            url: self.url(&e.url),
            snippet: self.text(&e.snippet),
            ..e
        }
    }
}
