//! robots.txt: what our user agent may fetch on one origin, how slowly, and which
//! sitemaps it names.
//!
//! Reading and matching follow Google's reference parser (`rules`): longest match
//! wins, an `Allow` wins a tie, `*` and a final `$`, only a `User-agent` value's product
//! token counts (`FOO BAR` is `foo`), an allowed `/dir/index.html` allows `/dir/`, lines
//! cut at 16,663 bytes, Crawl-delay and Sitemap read on the side. The crawl and the
//! `robots` command both decide through [`RobotsPolicy::decide`], so what the command
//! explains is what the crawl did; `tests/data/google_robots_cases.json` holds every URL
//! check of Google's own test file and `tests/it/robots.rs` runs them through it.
//!
//! What the HTTP status means follows RFC 9309: 2xx rules apply; other 4xx (the
//! file is not there) allow everything; 5xx, 429 and network errors make the host
//! unreachable (the caller retries first), so nothing on it is fetched.

mod rules;

use std::time::Duration;

use url::Url;

use rules::Rules;
pub use rules::{Rule, Verdict};

/// The token we look for in `User-agent` lines.
pub const ROBOTS_TOKEN: &str = "alliance-audit";

/// RFC 9309 asks parsers to read at least 500 KiB; we read no more.
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// The rules one robots.txt sets for us.
#[derive(Debug)]
pub struct RobotsPolicy {
    access: Access,
}

#[derive(Debug)]
enum Access {
    /// No usable robots.txt (4xx): everything is allowed.
    All,
    /// robots.txt could not be read (5xx, network error): nothing is fetched.
    Nothing,
    Rules(Box<Rules>),
}

/// Why a URL is allowed or not, as the `robots` command prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The file's rules decided (a rule, or none matched).
    Rules(Verdict),
    /// No robots.txt (a 4xx answer): everything allowed.
    NoFile,
    /// robots.txt could not be read (5xx, 429, no answer): nothing allowed.
    Unreachable,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Rules(Verdict::Rule(rule)) => rule.fmt(f),
            Reason::Rules(Verdict::Default) => f.write_str("default"),
            Reason::Rules(Verdict::RobotsTxt) => f.write_str("robots.txt itself is always allowed"),
            Reason::NoFile => f.write_str("no robots.txt (4xx): all allowed"),
            Reason::Unreachable => {
                f.write_str("robots.txt unreachable (5xx, 429 or no answer): all disallowed")
            }
        }
    }
}

impl RobotsPolicy {
    /// The policy for a robots.txt answer: its HTTP status (`None` when no response
    /// came, after retries) and body.
    pub fn from_response(status: Option<u16>, body: &[u8]) -> Self {
        Self::from_response_for(status, body, ROBOTS_TOKEN)
    }

    /// [`RobotsPolicy::from_response`] for another agent (the `robots` command).
    pub fn from_response_for(status: Option<u16>, body: &[u8], agent: &str) -> Self {
        match status {
            Some(200..=299) => Self::parse_for(body, agent),
            Some(429) | Some(500..=599) | None => Self::unreachable(),
            // 3xx left over after following redirects, and other 4xx: no rules.
            Some(_) => Self::allow_all(),
        }
    }

    pub fn allow_all() -> Self {
        RobotsPolicy {
            access: Access::All,
        }
    }

    pub fn unreachable() -> Self {
        RobotsPolicy {
            access: Access::Nothing,
        }
    }

    /// Parses a robots.txt body for [`ROBOTS_TOKEN`].
    pub fn parse(body: &[u8]) -> Self {
        Self::parse_for(body, ROBOTS_TOKEN)
    }

    /// Parses a robots.txt body (its first [`MAX_ROBOTS_BYTES`]) for `agent`.
    pub fn parse_for(body: &[u8], agent: &str) -> Self {
        let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
        RobotsPolicy {
            access: Access::Rules(Box::new(Rules::parse(body, agent))),
        }
    }

    /// May `url` be fetched, and why. `url` is matched as written (the crawl's URLs
    /// are already percent-encoded); its origin is assumed to be this file's.
    pub fn decide(&self, url: &str) -> (bool, Reason) {
        match &self.access {
            Access::All => (true, Reason::NoFile),
            Access::Nothing => (false, Reason::Unreachable),
            Access::Rules(rules) => {
                let (allowed, verdict) = rules.decide(url);
                (allowed, Reason::Rules(verdict))
            }
        }
    }

    /// May we fetch `url`?
    pub fn allows(&self, url: &Url) -> bool {
        self.decide(url.as_str()).0
    }

    /// True when robots.txt could not be read, so the whole host is off limits.
    pub fn is_unreachable(&self) -> bool {
        matches!(self.access, Access::Nothing)
    }

    /// `Crawl-delay` for our group (or the `*` group when none names us), if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match &self.access {
            Access::Rules(rules) => rules
                .crawl_delay()
                .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
                .map(|seconds| Duration::from_secs_f64(seconds.min(86_400.0))),
            _ => None,
        }
    }

    /// `Sitemap:` URLs as written (they apply to every user agent).
    pub fn sitemaps(&self) -> &[String] {
        match &self.access {
            Access::Rules(rules) => rules.sitemaps(),
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(robots: &str, path: &str) -> bool {
        let url = Url::parse("http://example.org")
            .unwrap()
            .join(path)
            .unwrap();
        RobotsPolicy::parse(robots.as_bytes()).allows(&url)
    }

    #[test]
    fn allow_disallow_longest_match_wins() {
        let robots = "User-agent: *\nDisallow: /private/\nAllow: /private/open\n";
        assert!(allowed(robots, "/"));
        assert!(!allowed(robots, "/private/x"));
        assert!(allowed(robots, "/private/open/page"));
    }

    #[test]
    fn wildcards_and_end_anchor() {
        let robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\n";
        assert!(!allowed(robots, "/files/report.pdf"));
        assert!(allowed(robots, "/files/report.pdf?download=1"));
        assert!(!allowed(robots, "/search?lang=en&q=library"));
        assert!(allowed(robots, "/searching"));
    }

    #[test]
    fn our_group_beats_the_star_group() {
        let robots = "User-agent: *\nDisallow: /\n\nUser-agent: alliance-audit\nDisallow: /admin\n";
        assert!(allowed(robots, "/news"));
        assert!(!allowed(robots, "/admin"));
    }

    #[test]
    fn other_agents_groups_do_not_apply() {
        let robots = "User-agent: Googlebot\nDisallow: /\n";
        assert!(allowed(robots, "/anything"));
    }

    #[test]
    fn user_agent_value_is_its_product_token_case_insensitively() {
        // Google's reference cases: "FOO BAR" applies to "foo"; a version suffix is ignored.
        let robots = "User-Agent: ALLIANCE-AUDIT Extra words\nDisallow: /x\n";
        assert!(!allowed(robots, "/x"));
        let robots = "user-agent: alliance-audit/0.1 (+https://example.org)\nDisallow: /y\n";
        assert!(!allowed(robots, "/y"));
        // A longer token is a different agent.
        let robots = "User-agent: alliance-auditor\nDisallow: /\n";
        assert!(allowed(robots, "/z"));
    }

    #[test]
    fn allowed_index_html_allows_its_directory() {
        let robots = "User-agent: *\nDisallow: /\nAllow: /open/index.html\n";
        assert!(allowed(robots, "/open/index.html"));
        assert!(allowed(robots, "/open/"));
        assert!(!allowed(robots, "/open/other"));
        assert!(!allowed(robots, "/closed/"));
    }

    #[test]
    fn over_long_lines_are_cut_and_still_match_by_prefix() {
        let long = format!("/x/{}", "a".repeat(20_000));
        let robots = format!("User-agent: *\nDisallow: {long}/qux\n");
        assert!(allowed(&robots, "/fux"));
        assert!(!allowed(&robots, &format!("{long}/fux")));
    }

    #[test]
    fn crawl_delay_and_sitemaps() {
        let robots = "Sitemap: http://example.org/s1.xml\nUser-agent: *\nCrawl-delay: 2.5\nDisallow:\n\nsitemap: http://example.org/s2.xml.gz\n";
        let policy = RobotsPolicy::parse(robots.as_bytes());
        assert_eq!(policy.crawl_delay(), Some(Duration::from_millis(2500)));
        assert_eq!(
            policy.sitemaps(),
            ["http://example.org/s1.xml", "http://example.org/s2.xml.gz"]
        );
        assert!(policy.allows(&Url::parse("http://example.org/any").unwrap()));
    }

    #[test]
    fn bom_and_crlf_are_tolerated() {
        let robots = "\u{FEFF}User-agent: *\r\nDisallow: /a\r\n";
        assert!(!allowed(robots, "/a"));
        assert!(allowed(robots, "/b"));
    }

    #[test]
    fn status_decides_before_the_body() {
        let url = Url::parse("http://example.org/page").unwrap();
        let disallow_all = b"User-agent: *\nDisallow: /\n";
        assert!(!RobotsPolicy::from_response(Some(200), disallow_all).allows(&url));
        assert!(RobotsPolicy::from_response(Some(404), disallow_all).allows(&url));
        assert!(RobotsPolicy::from_response(Some(410), b"").allows(&url));
        assert!(RobotsPolicy::from_response(Some(403), b"").allows(&url));
        for unreachable in [Some(500), Some(503), Some(429), None] {
            let policy = RobotsPolicy::from_response(unreachable, b"");
            assert!(!policy.allows(&url));
            assert!(policy.is_unreachable());
        }
    }

    #[test]
    fn robots_txt_itself_is_always_allowed() {
        assert!(allowed("User-agent: *\nDisallow: /\n", "/robots.txt"));
    }
}

#[cfg(test)]
mod google_reference_cases {
    //! A selection of Google's robots.txt reference cases (robots_test.cc), beyond the
    //! three gaps the module docs name.
    use super::*;

    fn allowed(robots: &str, url: &str) -> bool {
        RobotsPolicy::parse(robots.as_bytes()).allows(&Url::parse(url).unwrap())
    }

    #[test]
    fn directive_names_are_case_insensitive() {
        let robots = "USER-AGENT: alliance-audit\nDISALLOW: /x/\nallow: /x/y\n";
        assert!(!allowed(robots, "http://e.org/x/z"));
        assert!(allowed(robots, "http://e.org/x/y"));
    }

    #[test]
    fn paths_are_case_sensitive() {
        let robots = "User-agent: *\nDisallow: /X/\n";
        assert!(!allowed(robots, "http://e.org/X/a"));
        assert!(allowed(robots, "http://e.org/x/a"));
    }

    #[test]
    fn non_ascii_rules_match_percent_encoded_urls() {
        let robots = "User-agent: *\nDisallow: /foo/bar/ツ\n";
        assert!(!allowed(robots, "http://e.org/foo/bar/%E3%83%84"));
        assert!(!allowed(robots, "http://e.org/foo/bar/ツ"));
        let robots = "User-agent: *\nDisallow: /foo/bar/%E3%83%84\n";
        assert!(!allowed(robots, "http://e.org/foo/bar/ツ"));
    }

    #[test]
    fn groups_for_the_same_agent_are_merged() {
        let robots = "User-agent: alliance-audit\nDisallow: /a\n\nUser-agent: other\nDisallow: /b\n\nUser-agent: alliance-audit\nDisallow: /c\n";
        assert!(!allowed(robots, "http://e.org/a"));
        assert!(allowed(robots, "http://e.org/b"));
        assert!(!allowed(robots, "http://e.org/c"));
    }

    #[test]
    fn several_agents_share_one_group() {
        let robots = "User-agent: other\nUser-agent: alliance-audit\nDisallow: /shared\n";
        assert!(!allowed(robots, "http://e.org/shared"));
    }

    #[test]
    fn longest_match_and_equal_length_allow() {
        let robots = "User-agent: *\nDisallow: /page\nAllow: /page\n";
        assert!(allowed(robots, "http://e.org/page"));
        let robots = "User-agent: *\nAllow: /page\nDisallow: /*.html\n";
        assert!(!allowed(robots, "http://e.org/page.html"));
        assert!(allowed(robots, "http://e.org/page"));
        let robots = "User-agent: *\nAllow: /x/page.html\nDisallow: /*.html\n";
        assert!(allowed(robots, "http://e.org/x/page.html"));
        assert!(!allowed(robots, "http://e.org/x/y.html"));
    }

    #[test]
    fn empty_disallow_allows_all() {
        let robots = "User-agent: *\nDisallow:\n";
        assert!(allowed(robots, "http://e.org/anything"));
    }

    #[test]
    fn queries_are_part_of_the_match() {
        let robots = "User-agent: *\nDisallow: /*?sort=\n";
        assert!(!allowed(robots, "http://e.org/list?sort=asc"));
        assert!(allowed(robots, "http://e.org/list?page=2"));
    }
}
