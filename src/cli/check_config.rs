//! `alliance-audit check-config`: validate configuration files without crawling.

use std::path::PathBuf;

use super::{load_config, load_topics, CliError};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The alliances file (default: the bundled config/alliances.toml).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// The topics file (default: the bundled config/topics.toml).
    #[arg(long, value_name = "PATH")]
    topics: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let config = load_config(args.config.as_ref())?;
    let topics = load_topics(args.topics.as_ref())?;
    let enabled = config.enabled().count();
    println!(
        "{}: {} alliances ({} enabled, {} disabled)",
        config.source,
        config.alliances.len(),
        enabled,
        config.alliances.len() - enabled
    );
    let ids: Vec<&str> = topics.topics.iter().map(|t| t.id.as_str()).collect();
    println!("topics: {} ({})", ids.len(), ids.join(", "));
    println!("configuration is valid");
    Ok(())
}
