//! Where an interrupted crawl left off, per alliance: the URLs it had seen, those it
//! had queued but not decided, and how many requests it had spent. Built from the run
//! store; the coordinator starts from it instead of from the start URLs.

use std::collections::HashMap;

/// The state of an interrupted run, for the alliances still to crawl.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resume {
    pub sites: HashMap<String, ResumeSite>,
}

/// One alliance's frontier when the run stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumeSite {
    /// Every URL queued or decided (as queued, and where redirects landed): never
    /// queued again.
    pub seen: Vec<String>,
    /// URLs queued and not decided yet, with their depth, in queue order.
    pub queue: Vec<(String, usize)>,
    /// Requests already spent against `max_pages`.
    pub requested: usize,
}
