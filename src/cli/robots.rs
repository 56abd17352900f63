//! `alliance-audit robots`: says for each URL whether an agent may fetch it and which
//! rule of robots.txt decided, through the very policy the crawl consults
//! (`crawl::robots::RobotsPolicy::decide`), so "why was this page not crawled?" has
//! the crawl's own answer.

use std::io::Write;
use std::path::PathBuf;

use url::Url;

use super::{CliError, Exit};
use crate::crawl::robots::{RobotsPolicy, MAX_ROBOTS_BYTES, ROBOTS_TOKEN};
use crate::crawl::{fetch_robots, CrawlSettings, RobotsFetch};

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["file", "url"])))]
pub struct Args {
    /// Read the robots.txt body from this file (raw bytes, as a server would send it).
    #[arg(long, value_name = "ROBOTS_TXT")]
    file: Option<PathBuf>,
    /// Fetch the live robots.txt of this site (a site URL, or the robots.txt URL) with
    /// the crawl's client and rules: timeouts, retries, up to 5 redirects; a 4xx allows
    /// everything; a 5xx, 429 or no answer disallows everything.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The user agent whose group applies (its product token, as in User-agent lines).
    #[arg(long, value_name = "AGENT", default_value = ROBOTS_TOKEN)]
    agent: String,
    /// The URLs to decide, percent-encoded as they would be requested. Only their path
    /// and query are matched. Printed one line each, in this order:
    /// `allow|disallow<TAB>URL<TAB>rule`, the rule being `line N: Allow|Disallow:
    /// PATTERN` or `default` when no rule matched.
    #[arg(value_name = "URL", required = true)]
    urls: Vec<String>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    // Set when the host itself could not be reached: the crawl then records its pages
    // as `unreachable`, not as blocked by robots.txt.
    let mut unreachable_host = None;
    let policy = match (&args.file, &args.url) {
        (Some(path), _) => {
            let body = std::fs::read(path).map_err(|error| CliError {
                exit: Exit::Usage,
                message: format!("cannot read {}: {error}", path.display()),
            })?;
            if body.len() > MAX_ROBOTS_BYTES {
                eprintln!(
                    "note: {} is {} bytes; like the crawl, only the first {MAX_ROBOTS_BYTES} are read",
                    path.display(),
                    body.len()
                );
            }
            RobotsPolicy::parse_for(&body, &args.agent)
        }
        (None, Some(url)) => {
            let (policy, unreachable) = live_policy(url, &args.agent)?;
            unreachable_host = unreachable;
            policy
        }
        (None, None) => unreachable!("clap requires --file or --url"),
    };
    if !is_product_token(&args.agent) {
        eprintln!(
            "note: {:?} is not a product token (letters, '-' and '_'): no User-agent line \
             can name it, so only the * groups apply to it",
            args.agent
        );
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for url in &args.urls {
        let (allowed, reason) = policy.decide(url);
        let verdict = if allowed { "allow" } else { "disallow" };
        let reason = match &unreachable_host {
            Some(cause) => {
                format!("host unreachable ({cause}): not fetched, recorded as unreachable")
            }
            None => reason.to_string(),
        };
        writeln!(out, "{verdict}\t{url}\t{reason}").map_err(CliError::failure)?;
    }
    Ok(())
}

/// What a `User-agent` line can name: `[a-zA-Z_-]+` (RFC 9309).
fn is_product_token(agent: &str) -> bool {
    !agent.is_empty()
        && agent
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
}

/// The robots.txt URL for `--url`: as given when it names `/robots.txt`, else the
/// site's.
fn robots_url(given: &str) -> Result<Url, CliError> {
    let url = Url::parse(given)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or_else(|| CliError {
            exit: Exit::Usage,
            message: format!("--url {given:?} is not an http(s) URL"),
        })?;
    if url.path() == "/robots.txt" {
        return Ok(url);
    }
    url.join("/robots.txt").map_err(|error| CliError {
        exit: Exit::Usage,
        message: format!("--url {given:?}: {error}"),
    })
}

/// The policy of the live robots.txt, and the cause when its host was unreachable.
fn live_policy(given: &str, agent: &str) -> Result<(RobotsPolicy, Option<String>), CliError> {
    let robots_url = robots_url(given)?;
    let fetched = super::runtime()?
        .block_on(fetch_robots(&robots_url, &CrawlSettings::default()))
        .map_err(CliError::failure)?;
    eprintln!("{}", describe(&robots_url, &fetched));
    if let Some(refused) = &fetched.refused {
        return Err(CliError::failure(format!(
            "{} resolves to {}, a private or loopback address: the crawl fetches nothing there",
            refused.host, refused.address
        )));
    }
    let policy = RobotsPolicy::from_response_for(fetched.status, &fetched.body, agent);
    Ok((policy, fetched.unreachable))
}

/// One line for stderr: what was fetched and which case of RFC 9309 applies.
fn describe(asked: &Url, fetched: &RobotsFetch) -> String {
    let mut line = format!("robots.txt: {asked}");
    if fetched.redirects > 0 {
        line.push_str(&format!(
            " -> {} ({} redirect{})",
            fetched.url,
            fetched.redirects,
            if fetched.redirects == 1 { "" } else { "s" }
        ));
    }
    let case = match fetched.status {
        Some(status @ 200..=299) => format!(
            "HTTP {status}, {} bytes: its rules apply",
            fetched.body.len()
        ),
        Some(status @ (429 | 500..=599)) => {
            format!("HTTP {status}: unreachable, so everything is disallowed")
        }
        Some(status @ 300..=399) => format!(
            "HTTP {status} after {} redirects: no robots.txt, everything is allowed",
            fetched.redirects
        ),
        Some(status) => format!("HTTP {status}: no robots.txt, everything is allowed"),
        None => {
            if let Some(cause) = &fetched.unreachable {
                format!("host unreachable ({cause}): nothing is fetched there")
            } else {
                let cause = fetched.failure.as_deref().unwrap_or("no answer");
                format!("no answer ({cause}): unreachable, so everything is disallowed")
            }
        }
    };
    line.push_str(": ");
    line.push_str(&case);
    line
}
