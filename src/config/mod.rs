//! Configuration: the alliances to crawl and the topic lexicons to detect.
//!
//! Loading is two-stage (as ripgrep does for flags): `Raw*` serde structs that mirror the
//! TOML and refuse unknown keys, then validated types. Every error names the file, the
//! line and what is wrong, before any request is made.

mod topics;

pub use topics::{Topic, Topics};
