//! Configuration: the alliances to crawl and the topic lexicons to detect.
//!
//! Loading is two-stage (as ripgrep does for flags): `Raw*` serde structs that mirror the
//! TOML and refuse unknown keys, then validated types. Every error names the file, the
//! line and what is wrong, before any request is made. Values are read as
//! [`serde_spanned::Spanned`] so that a refusal points at the value itself.
//!
//! - [`Config`] (`config/alliances.toml`): alliances with start URLs, hosts and limits.
//! - [`Topics`] (`config/topics.toml`): lexicons of terms, negative contexts and
//!   collaboration words.
//! - [`ConfigError`]: `file:line:column: problem`.
//! - [`config_hash`]: each file keeps the hash of its bytes; a run records both.

mod alliances;
mod digest;
mod error;
mod fields;
mod limits;
mod topics;

pub use alliances::{Alliance, AllianceKind, Config};
pub use digest::{config_hash, run_config_hash};
pub use error::ConfigError;
pub use limits::Limits;
pub use topics::{Topic, Topics};
