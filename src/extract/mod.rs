//! Extraction: one HTML page to its navigation, headings, body text and links. Pure.

mod page;

pub use page::{Heading, Menu, MenuKind, MetaRobots, NavItem, Page};
