//! Detection: a page's evidence and verdict for each topic. Pure: no network, no I/O.

mod evidence;

pub use evidence::{Detection, Evidence, Level, Location, Verdict};
