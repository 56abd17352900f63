//! Detection: a page's evidence and verdict for each topic. Pure: no network, no I/O.

mod alliance;
mod evidence;

pub use alliance::*;
pub use evidence::{Detection, Evidence, Level, Location, Verdict};
