//! `alliance-audit demo`: the whole pipeline with no network. The bundled fixture sites
//! (`fixtures/sites/`, written to resemble real alliance sites) are served on loopback,
//! one port per site, and crawled exactly as `crawl` would crawl the real ones.

pub mod serve;

use std::path::{Path, PathBuf};

use url::Url;

use super::crawl::{run_crawl, CrawlArgs};
use super::{load_topics, CliError};
use crate::config::Config;
use serve::StaticServer;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The fixtures folder holding `sites.toml` and `sites/<alliance-id>/`.
    #[arg(long, value_name = "DIR", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))]
    fixtures: PathBuf,
    /// The topics file (default: the bundled config/topics.toml).
    #[arg(long, value_name = "PATH")]
    topics: Option<PathBuf>,
    #[command(flatten)]
    crawl: CrawlArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let sites_toml = args.fixtures.join("sites.toml");
    let mut config = Config::load(&sites_toml)?;
    let topics = load_topics(args.topics.as_ref())?;
    // The servers run on the runtime's workers while the crawl is driven on it.
    let runtime = super::runtime()?;
    let _servers = runtime.block_on(serve_sites(&mut config, &args.fixtures.join("sites")))?;
    run_crawl(&runtime, &config, topics, &args.crawl)
}

/// Starts one loopback server per alliance site and points the alliance at it.
async fn serve_sites(config: &mut Config, sites: &Path) -> Result<Vec<StaticServer>, CliError> {
    let mut servers = Vec::new();
    for alliance in config.alliances.iter_mut() {
        let root = sites.join(&alliance.id);
        if !root.is_dir() {
            return Err(CliError::failure(format!(
                "no fixture site at {} for alliance \"{}\"",
                root.display(),
                alliance.id
            )));
        }
        let server = StaticServer::start(root)
            .await
            .map_err(|e| CliError::failure(format!("cannot start the demo server: {e}")))?;
        let url = Url::parse(&server.url()).expect("a loopback URL");
        alliance.start_urls = vec![url];
        alliance.allowed_hosts = vec!["127.0.0.1".to_string()];
        servers.push(server);
    }
    Ok(servers)
}
