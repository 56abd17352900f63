//! The frontier of one alliance's crawl: URLs waiting to be fetched, shallowest first,
//! and every URL ever seen, so none is queued twice.
//!
//! Owned by the coordinator alone (no lock). Breadth-first by depth even though
//! fetches finish out of order: a `max_pages` budget is then spent on the pages
//! nearest the start, which carry the navigation. "Seen" keeps a 64-bit hash per
//! normalised URL rather than the URL, to keep large crawls small in memory.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::hash::BuildHasher;

use url::Url;

#[derive(Debug, Default)]
pub struct Frontier {
    queued: BTreeMap<usize, VecDeque<Url>>,
    queued_count: usize,
    seen: HashSet<u64>,
    hasher: RandomState,
}

impl Frontier {
    pub fn new() -> Self {
        Self::default()
    }

    fn key(&self, url: &Url) -> u64 {
        self.hasher.hash_one(url.as_str())
    }

    /// Marks `url` as seen; true when it had not been.
    pub fn mark_seen(&mut self, url: &Url) -> bool {
        let key = self.key(url);
        self.seen.insert(key)
    }

    /// Queues `url` at `depth` (the caller has marked it seen).
    pub fn push(&mut self, url: Url, depth: usize) {
        self.queued.entry(depth).or_default().push_back(url);
        self.queued_count += 1;
    }

    /// The next URL: the shallowest, first come first served within a depth.
    pub fn pop(&mut self) -> Option<(Url, usize)> {
        let mut entry = self.queued.first_entry()?;
        let depth = *entry.key();
        let url = entry.get_mut().pop_front();
        if entry.get().is_empty() {
            entry.remove();
        }
        self.queued_count -= 1;
        url.map(|url| (url, depth))
    }

    /// The depth of the URL [`Frontier::pop`] would take next.
    pub fn next_depth(&self) -> Option<usize> {
        self.queued.keys().next().copied()
    }

    /// URLs queued and not yet taken.
    pub fn len(&self) -> usize {
        self.queued_count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str) -> Url {
        Url::parse("https://e.org/").unwrap().join(path).unwrap()
    }

    #[test]
    fn shallowest_first_then_fifo() {
        let mut frontier = Frontier::new();
        frontier.push(url("/deep"), 2);
        frontier.push(url("/a"), 1);
        frontier.push(url("/b"), 1);
        frontier.push(url("/"), 0);
        assert_eq!(frontier.len(), 4);
        let order: Vec<String> = std::iter::from_fn(|| frontier.pop())
            .map(|(url, depth)| format!("{}@{depth}", url.path()))
            .collect();
        assert_eq!(order, ["/@0", "/a@1", "/b@1", "/deep@2"]);
        assert_eq!(frontier.len(), 0);
    }

    #[test]
    fn seen_once() {
        let mut frontier = Frontier::new();
        assert!(frontier.mark_seen(&url("/x")));
        assert!(!frontier.mark_seen(&url("/x")));
        assert!(frontier.mark_seen(&url("/y")));
    }
}
