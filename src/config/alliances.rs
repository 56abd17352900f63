//! The alliances to crawl (`config/alliances.toml`): a `[defaults]` table of limits and
//! one `[[alliance]]` table per alliance.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;
use url::{Host, Url};

use super::error::{self, ConfigError};
use super::fields::{FirstSeen, Source};
use super::limits::{Limits, RawLimits};

/// The bundled alliances file, as shown in errors.
const BUNDLED_NAME: &str = "config/alliances.toml";
const BUNDLED_TEXT: &str = include_str!("../../config/alliances.toml");

/// A validated alliances file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Every alliance in file order, disabled ones included.
    pub alliances: Vec<Alliance>,
    /// The `[defaults]` table (or [`Limits::default`] without one).
    pub defaults: Limits,
    /// The file name shown in errors and reports.
    pub source: String,
    /// The hash of the bytes parsed ([`config_hash`](super::config_hash)).
    pub hash: String,
}

/// What an alliance is: a university alliance (the audit's subject) or a library
/// alliance, kept as a control where library collaboration is the whole point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AllianceKind {
    #[default]
    University,
    Library,
}

impl AllianceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AllianceKind::University => "university",
            AllianceKind::Library => "library",
        }
    }
}

/// One alliance, validated: an id, where to start, which hosts belong to it, its limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alliance {
    /// Kebab-case, unique in the file.
    pub id: String,
    pub name: String,
    pub kind: AllianceKind,
    /// http(s) URLs; empty only for a disabled alliance.
    pub start_urls: Vec<Url>,
    /// Lowercase host names (IPv6 without brackets), compared exactly. Default: each
    /// start URL's host, with and without `www.`.
    pub allowed_hosts: Vec<String>,
    /// `[defaults]` with this alliance's overrides applied.
    pub limits: Limits,
    /// A disabled alliance stays in the file (and in reports' knowledge) but is not crawled.
    pub enabled: bool,
    pub disabled_reason: Option<String>,
}

impl Alliance {
    /// True when `host` is one of the alliance's hosts (case and a trailing root dot
    /// ignored). Subdomains are not implied: list them.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host
            .trim()
            .trim_end_matches('.')
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        self.allowed_hosts.contains(&host)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    defaults: RawLimits,
    #[serde(default)]
    alliance: Vec<Spanned<RawAlliance>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlliance {
    id: Spanned<String>,
    name: Spanned<String>,
    kind: Option<AllianceKind>,
    start_urls: Option<Spanned<Vec<Spanned<String>>>>,
    allowed_hosts: Option<Spanned<Vec<Spanned<String>>>>,
    max_pages: Option<Spanned<i64>>,
    max_depth: Option<Spanned<i64>>,
    per_host_delay_ms: Option<Spanned<i64>>,
    concurrency_per_host: Option<Spanned<i64>>,
    enabled: Option<bool>,
    disabled_reason: Option<Spanned<String>>,
}

impl Config {
    /// Reads and validates an alliances file; errors name `path` as given.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::whole_file(&name, format!("cannot read the file: {e}")))?;
        Config::parse(&text, &name)
    }

    /// Validates the text of an alliances file; `source` is the name shown in errors.
    pub fn parse(text: &str, source: &str) -> Result<Config, ConfigError> {
        let src = Source { name: source, text };
        let raw: RawConfig = error::deserialize(source, text)?;
        let defaults = raw.defaults.merge_onto(&Limits::default(), &src)?;
        if raw.alliance.is_empty() {
            return Err(ConfigError::whole_file(
                source,
                "no alliances: add at least one [[alliance]] table",
            ));
        }
        let mut ids = FirstSeen::new();
        let mut alliances = Vec::with_capacity(raw.alliance.len());
        for raw in raw.alliance {
            let alliance = alliance(&src, raw, &defaults, &mut ids)?;
            alliances.push(alliance);
        }
        Ok(Config {
            alliances,
            defaults,
            source: source.to_string(),
            hash: super::config_hash(&[text]),
        })
    }

    /// The alliances shipped with the tool (`config/alliances.toml`, compiled in).
    ///
    /// # Panics
    /// Only if the bundled file is invalid, which a test rules out.
    pub fn bundled() -> Config {
        Config::parse(BUNDLED_TEXT, BUNDLED_NAME).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The alliances to crawl, in file order.
    pub fn enabled(&self) -> impl Iterator<Item = &Alliance> + '_ {
        self.alliances.iter().filter(|a| a.enabled)
    }

    /// The alliance with this id, enabled or not.
    pub fn get(&self, id: &str) -> Option<&Alliance> {
        self.alliances.iter().find(|a| a.id == id)
    }
}

fn alliance(
    src: &Source,
    raw: Spanned<RawAlliance>,
    defaults: &Limits,
    ids: &mut FirstSeen,
) -> Result<Alliance, ConfigError> {
    let table_span = raw.span();
    let raw = raw.into_inner();
    let id = src.kebab_id("alliance", &raw.id)?;
    if let Some(first) = ids.insert(id.clone(), src.line_of(&raw.id)) {
        return Err(src.error(
            &raw.id,
            format!("duplicate alliance id \"{id}\" (first defined on line {first})"),
        ));
    }
    let name = src.non_blank("name", &raw.name)?;
    let enabled = raw.enabled.unwrap_or(true);
    let disabled_reason = match &raw.disabled_reason {
        Some(reason) => Some(src.non_blank("disabled_reason", reason)?),
        None => None,
    };

    let start_urls = match &raw.start_urls {
        Some(list) => {
            if list.get_ref().is_empty() && enabled {
                return Err(src.error(
                    list,
                    format!(
                        "start_urls of alliance \"{id}\" is empty: give at least one \
                         http(s) URL, or set enabled = false"
                    ),
                ));
            }
            start_urls(src, list)?
        }
        None if enabled => {
            return Err(ConfigError::at(
                src.name,
                src.text,
                table_span,
                format!("alliance \"{id}\" has no start_urls (required unless enabled = false)"),
            ));
        }
        None => Vec::new(),
    };

    let allowed_hosts = match &raw.allowed_hosts {
        Some(list) => explicit_hosts(src, list, &start_urls, &raw.start_urls)?,
        None => default_hosts(&start_urls),
    };

    let overrides = RawLimits {
        max_pages: raw.max_pages,
        max_depth: raw.max_depth,
        per_host_delay_ms: raw.per_host_delay_ms,
        concurrency_per_host: raw.concurrency_per_host,
    };
    let limits = overrides.merge_onto(defaults, src)?;

    Ok(Alliance {
        id,
        name,
        kind: raw.kind.unwrap_or_default(),
        start_urls,
        allowed_hosts,
        limits,
        enabled,
        disabled_reason,
    })
}

/// Each entry must be an absolute http(s) URL, listed once.
fn start_urls(src: &Source, list: &Spanned<Vec<Spanned<String>>>) -> Result<Vec<Url>, ConfigError> {
    let mut urls: Vec<Url> = Vec::with_capacity(list.get_ref().len());
    for entry in list.get_ref() {
        let text = entry.get_ref().trim();
        let url = Url::parse(text).map_err(|e| {
            src.error(
                entry,
                format!("start_urls: \"{text}\" is not a valid URL ({e})"),
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(src.error(
                entry,
                format!(
                    "start_urls: \"{text}\" is not an http(s) URL (scheme \"{}\")",
                    url.scheme()
                ),
            ));
        }
        if urls.contains(&url) {
            return Err(src.error(entry, format!("start_urls: \"{text}\" is listed twice")));
        }
        urls.push(url);
    }
    Ok(urls)
}

/// A URL host as the crawler compares it: lowercase, IPv6 without brackets.
fn host_key(host: &Host<&str>) -> String {
    match host {
        Host::Domain(domain) => domain.trim_end_matches('.').to_ascii_lowercase(),
        Host::Ipv4(ip) => ip.to_string(),
        Host::Ipv6(ip) => ip.to_string(),
    }
}

/// The start URLs' hosts, each with and without `www.` (IP addresses as they are).
fn default_hosts(start_urls: &[Url]) -> Vec<String> {
    let mut hosts = Vec::new();
    let mut add = |host: String| {
        if !host.is_empty() && !hosts.contains(&host) {
            hosts.push(host);
        }
    };
    for url in start_urls {
        let Some(host) = url.host() else { continue };
        let key = host_key(&host);
        if let Host::Domain(_) = host {
            match key.strip_prefix("www.") {
                Some(bare) => {
                    add(key.clone());
                    add(bare.to_string());
                }
                None => {
                    add(key.clone());
                    add(format!("www.{key}"));
                }
            }
        } else {
            add(key);
        }
    }
    hosts
}

/// `allowed_hosts` as written: host names only, and every start URL's host among them
/// (a start page outside the allowed hosts could never be crawled).
fn explicit_hosts(
    src: &Source,
    list: &Spanned<Vec<Spanned<String>>>,
    start_urls: &[Url],
    raw_start_urls: &Option<Spanned<Vec<Spanned<String>>>>,
) -> Result<Vec<String>, ConfigError> {
    if list.get_ref().is_empty() {
        return Err(src.error(
            list,
            "allowed_hosts is empty: leave it out to allow the start URLs' hosts",
        ));
    }
    let mut hosts: Vec<String> = Vec::new();
    for entry in list.get_ref() {
        let text = entry.get_ref().trim();
        let not_a_host = || {
            src.error(
                entry,
                format!(
                    "allowed_hosts: \"{text}\" is not a host name (write it without scheme, \
                     port or path, like \"www.example.org\")"
                ),
            )
        };
        if text.is_empty() || text.contains(['/', ' ']) {
            return Err(not_a_host());
        }
        let host = Host::parse(text.trim_end_matches('.')).map_err(|_| not_a_host())?;
        let key = match &host {
            Host::Domain(d) => host_key(&Host::Domain(d.as_str())),
            Host::Ipv4(ip) => ip.to_string(),
            Host::Ipv6(ip) => ip.to_string(),
        };
        if !hosts.contains(&key) {
            hosts.push(key);
        }
    }
    for (i, url) in start_urls.iter().enumerate() {
        let Some(host) = url.host() else { continue };
        let key = host_key(&host);
        if !hosts.contains(&key) {
            let entry = raw_start_urls
                .as_ref()
                .and_then(|list| list.get_ref().get(i))
                .map_or(list.span(), |e| e.span());
            return Err(ConfigError::at(
                src.name,
                src.text,
                entry,
                format!("start_urls: host \"{key}\" of \"{url}\" is not in allowed_hosts"),
            ));
        }
    }
    Ok(hosts)
}
