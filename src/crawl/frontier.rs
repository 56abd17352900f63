//! The frontier of one alliance's crawl: URLs waiting to be fetched, best first, and
//! every URL ever seen, so none is queued twice.
//!
//! Owned by the coordinator alone (no lock). Two orders share the queued URLs:
//! - the **breadth share**: start URLs, then the targets of primary and secondary
//!   menus, shallowest first, until a quarter of the budget has gone to them, so the
//!   site's navigation is read whatever else competes;
//! - **best first** by [`priority`](super::priority) for everything else (and any
//!   menu target the share did not reach).
//!
//! A URL offered again with a better score or from a shallower page moves up; ties
//! go to the URL offered first. The coordinator offers URLs in a fixed order (see
//! its batches), so two crawls of one site pop the same URLs in the same order.
//! "Seen" keeps a 64-bit hash per normalised URL rather than the URL.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hash::BuildHasher;
use std::sync::Arc;

// foldhash, not SipHash: a URL's id and the maps keyed by it are hashed on every link.
use hashbrown::{DefaultHashBuilder, HashMap, HashSet};
use url::Url;

use crate::record::FoundBy;

/// A URL in the frontier, with what it was found by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub url: Url,
    pub depth: usize,
    pub priority: i32,
    /// Start URL or menu target: eligible for the breadth share.
    pub breadth: bool,
    pub found_by: FoundBy,
    /// The page or sitemap file it was found on.
    pub found_on: Option<Arc<str>>,
    pub relevant: bool,
}

/// What offering a URL did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offered {
    /// Queued for the first time.
    Queued,
    /// Already queued; it moved up (better score or shallower).
    Raised,
    /// Already queued, as good or better; or seen and no longer queued.
    Known,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    /// Compared first: for the breadth order (shallow, then score), for best-first
    /// (score, then shallow); then the earlier offer.
    key: (i64, i64, Reverse<u64>),
    id: u64,
    version: u32,
}

#[derive(Debug)]
struct Queued {
    entry: Entry,
    order: u64,
    version: u32,
}

#[derive(Debug)]
pub struct Frontier {
    best: BinaryHeap<Slot>,
    breadth: BinaryHeap<Slot>,
    queued: HashMap<u64, Queued>,
    seen: HashSet<u64>,
    hasher: DefaultHashBuilder,
    next_order: u64,
    breadth_quota: usize,
    breadth_taken: usize,
}

impl Frontier {
    /// A frontier whose breadth share is `breadth_quota` pops.
    pub fn new(breadth_quota: usize) -> Self {
        Frontier {
            best: BinaryHeap::new(),
            breadth: BinaryHeap::new(),
            queued: HashMap::new(),
            seen: HashSet::new(),
            hasher: DefaultHashBuilder::default(),
            next_order: 0,
            breadth_quota,
            breadth_taken: 0,
        }
    }

    fn id(&self, url: &Url) -> u64 {
        self.hasher.hash_one(url.as_str())
    }

    /// Marks `url` as seen without queueing it; true when it had not been.
    pub fn mark_seen(&mut self, url: &Url) -> bool {
        let id = self.id(url);
        self.seen.insert(id)
    }

    pub fn is_seen(&self, url: &Url) -> bool {
        self.seen.contains(&self.id(url))
    }

    /// Whether `url` was taken from the queue (or marked seen without being queued):
    /// nothing learnt about it later changes what the crawl does with it.
    pub fn is_read(&self, url: &Url) -> bool {
        let id = self.id(url);
        self.seen.contains(&id) && !self.queued.contains_key(&id)
    }

    /// Offers `entry`: queued when never seen, raised when queued and now better.
    pub fn offer(&mut self, entry: Entry) -> Offered {
        let id = self.id(&entry.url);
        if self.seen.insert(id) {
            let order = self.next_order;
            self.next_order += 1;
            self.push_slots(id, &entry, order, 0);
            self.queued.insert(
                id,
                Queued {
                    entry,
                    order,
                    version: 0,
                },
            );
            return Offered::Queued;
        }
        let Some(queued) = self.queued.get_mut(&id) else {
            return Offered::Known;
        };
        let old = &queued.entry;
        let better = entry.priority > old.priority
            || entry.depth < old.depth
            || (entry.breadth && !old.breadth)
            || (entry.relevant && !old.relevant);
        if !better {
            return Offered::Known;
        }
        let mut raised = queued.entry.clone();
        if entry.priority > raised.priority {
            raised.priority = entry.priority;
            raised.found_by = entry.found_by;
            raised.found_on = entry.found_on;
        }
        raised.depth = raised.depth.min(entry.depth);
        raised.breadth |= entry.breadth;
        raised.relevant |= entry.relevant;
        queued.version += 1;
        let (order, version) = (queued.order, queued.version);
        queued.entry = raised.clone();
        self.push_slots(id, &raised, order, version);
        Offered::Raised
    }

    fn push_slots(&mut self, id: u64, entry: &Entry, order: u64, version: u32) {
        let (priority, depth) = (i64::from(entry.priority), entry.depth as i64);
        self.best.push(Slot {
            key: (priority, -depth, Reverse(order)),
            id,
            version,
        });
        if entry.breadth {
            self.breadth.push(Slot {
                key: (-depth, priority, Reverse(order)),
                id,
                version,
            });
        }
    }

    /// Puts back a URL of an interrupted run (seen, queued, at `depth`).
    pub fn restore(&mut self, url: Url, depth: usize) {
        self.offer(Entry {
            url,
            depth,
            priority: -10 * depth as i32,
            breadth: depth == 0,
            found_by: FoundBy::Link,
            found_on: None,
            relevant: false,
        });
    }

    /// The next URL: from the breadth share while it lasts, then best first.
    #[cfg(test)]
    pub fn pop(&mut self) -> Option<Entry> {
        self.pop_if(|_| true)
    }

    /// [`Frontier::pop`], but only when the next URL passes `wanted`.
    pub fn pop_if(&mut self, wanted: impl Fn(&Entry) -> bool) -> Option<Entry> {
        if self.breadth_taken < self.breadth_quota {
            if let Some(id) = Self::next_current(&mut self.breadth, &self.queued) {
                if !wanted(&self.queued[&id].entry) {
                    return None;
                }
                self.breadth.pop();
                self.breadth_taken += 1;
                return self.queued.remove(&id).map(|q| q.entry);
            }
        }
        let id = Self::next_current(&mut self.best, &self.queued)?;
        if !wanted(&self.queued[&id].entry) {
            return None;
        }
        self.best.pop();
        self.queued.remove(&id).map(|q| q.entry)
    }

    /// The id of the heap's top slot once stale slots (taken, or raised since) are
    /// dropped.
    fn next_current(heap: &mut BinaryHeap<Slot>, queued: &HashMap<u64, Queued>) -> Option<u64> {
        while let Some(slot) = heap.peek() {
            let current = queued
                .get(&slot.id)
                .is_some_and(|q| q.version == slot.version);
            if current {
                return Some(slot.id);
            }
            heap.pop();
        }
        None
    }

    fn take(heap: &mut BinaryHeap<Slot>, queued: &mut HashMap<u64, Queued>) -> Option<Entry> {
        let id = Self::next_current(heap, queued)?;
        heap.pop();
        queued.remove(&id).map(|q| q.entry)
    }

    /// Empties the queue, best first: what was never fetched.
    pub fn drain(&mut self) -> Vec<Entry> {
        let mut left = Vec::with_capacity(self.queued.len());
        while let Some(entry) = Self::take(&mut self.best, &mut self.queued) {
            left.push(entry);
        }
        self.breadth.clear();
        left
    }

    /// URLs queued and not yet taken.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.queued.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.queued.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, depth: usize, priority: i32, breadth: bool) -> Entry {
        Entry {
            url: Url::parse("https://e.org/").unwrap().join(path).unwrap(),
            depth,
            priority,
            breadth,
            found_by: FoundBy::Link,
            found_on: None,
            relevant: false,
        }
    }

    fn order(frontier: &mut Frontier) -> Vec<String> {
        std::iter::from_fn(|| frontier.pop())
            .map(|e| e.url.path().to_string())
            .collect()
    }

    #[test]
    fn best_first_then_first_offered() {
        let mut frontier = Frontier::new(0);
        frontier.offer(entry("/a", 1, 10, false));
        frontier.offer(entry("/b", 1, 30, false));
        frontier.offer(entry("/c", 1, 10, false));
        frontier.offer(entry("/d", 2, 20, false));
        assert_eq!(frontier.len(), 4);
        assert_eq!(order(&mut frontier), ["/b", "/d", "/a", "/c"]);
        assert!(frontier.is_empty());
    }

    #[test]
    fn breadth_share_goes_first_shallowest_first_until_spent() {
        let mut frontier = Frontier::new(2);
        frontier.offer(entry("/topic", 1, 90, false));
        frontier.offer(entry("/menu-deep", 2, 20, true));
        frontier.offer(entry("/menu-a", 1, 20, true));
        frontier.offer(entry("/menu-b", 1, 25, true));
        assert_eq!(
            order(&mut frontier),
            ["/menu-b", "/menu-a", "/topic", "/menu-deep"]
        );
    }

    #[test]
    fn a_better_offer_raises_a_queued_url_once() {
        let mut frontier = Frontier::new(0);
        assert_eq!(frontier.offer(entry("/x", 3, 0, false)), Offered::Queued);
        frontier.offer(entry("/y", 1, 10, false));
        assert_eq!(frontier.offer(entry("/x", 2, 50, false)), Offered::Raised);
        assert_eq!(frontier.offer(entry("/x", 4, 5, false)), Offered::Known);
        let first = frontier.pop().unwrap();
        assert_eq!(
            (first.url.path(), first.depth, first.priority),
            ("/x", 2, 50)
        );
        assert_eq!(order(&mut frontier), ["/y"]);
        // Taken: offering it again does nothing.
        assert_eq!(frontier.offer(entry("/x", 0, 99, true)), Offered::Known);
        assert!(frontier.is_empty());
    }

    #[test]
    fn drain_returns_the_rest_best_first() {
        let mut frontier = Frontier::new(5);
        frontier.offer(entry("/low", 1, -50, false));
        frontier.offer(entry("/high", 1, 40, true));
        let left = frontier.drain();
        let paths: Vec<&str> = left.iter().map(|e| e.url.path()).collect();
        assert_eq!(paths, ["/high", "/low"]);
        assert_eq!(frontier.pop(), None);
    }

    #[test]
    fn seen_once() {
        let mut frontier = Frontier::new(0);
        let url = Url::parse("https://e.org/x").unwrap();
        assert!(frontier.mark_seen(&url));
        assert!(!frontier.mark_seen(&url));
        assert_eq!(frontier.offer(entry("/x", 1, 0, false)), Offered::Known);
    }
}
