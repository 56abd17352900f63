//! The rules one robots.txt sets for one user agent, and which rule decides a URL.
//!
//! Lines are read by the `robotstxt` crate's parser, a port of Google's reference
//! parser (line endings CR, LF and CRLF, lines cut at 16,663 bytes,
//! `key value` without the colon, typos such as `disalow`, patterns percent-encoded
//! with their escapes upper-cased), which calls us back line by line with the line
//! number. The groups, the choice of group and the matching are ours, written after
//! Google's `robots.cc`, because the crate's matcher cannot say which line decided, parses
//! the whole file again for every URL, and predates Google's fix that a `Sitemap:` or
//! an unknown line does not end a group. We also skip a byte-order mark ourselves (the
//! crate misses it) and hand it bytes that are not UTF-8 as `%XX`, as Google encodes
//! them. Parsed once per file, asked once per URL.

use robotstxt::RobotsParseHandler;

/// One `Allow` or `Disallow` line that applies to the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// 1-based line number in the file (CR, LF and CRLF each end a line).
    pub line: u32,
    pub allow: bool,
    /// The pattern as matched: percent-encoded, `*` and a final `$` special.
    pub pattern: String,
    /// For Google's "index.html is its directory" rule: the pattern as written
    /// (`/dir/index.html`) when `pattern` is the directory it stands for (`/dir/$`).
    pub written: Option<String>,
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = if self.allow { "Allow" } else { "Disallow" };
        match &self.written {
            Some(written) => write!(
                f,
                "line {}: {key}: {written} (as {})",
                self.line, self.pattern
            ),
            None => write!(f, "line {}: {key}: {}", self.line, self.pattern),
        }
    }
}

/// What one robots.txt says to one agent.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// The rules of the groups naming the agent, or else of the `*` groups.
    rules: Vec<Rule>,
    /// `Crawl-delay` of those groups, in seconds (the first one given).
    crawl_delay: Option<f64>,
    /// `Sitemap:` lines, for every agent.
    sitemaps: Vec<String>,
}

/// Why a URL may or may not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The longest matching rule (an `Allow` on a tie).
    Rule(Rule),
    /// No rule with a non-empty pattern matched: allowed.
    Default,
    /// `/robots.txt` itself, which RFC 9309 always allows.
    RobotsTxt,
}

impl Rules {
    /// Reads `body` (raw bytes, at most the caller's cap) for `agent`.
    pub fn parse(body: &[u8], agent: &str) -> Self {
        // Google skips a byte-order mark, or what there is of one; the crate's parser
        // compares characters with its bytes and so never does.
        let bom = body
            .iter()
            .zip(b"\xEF\xBB\xBF")
            .take_while(|(a, b)| a == b)
            .count();
        let text = percent_encode_invalid_utf8(&body[bom..]);
        let mut reader = GroupReader::new(agent);
        robotstxt::parse_robotstxt(&text, &mut reader);
        reader.finish()
    }

    /// Decides `url` (as sent on the wire: percent-encoded). Only its path, params and
    /// query count, read as Google reads them; the URL is not encoded again.
    pub fn decide(&self, url: &str) -> (bool, Verdict) {
        let path = robotstxt::get_path_params_query(url);
        if path == "/robots.txt" {
            return (true, Verdict::RobotsTxt);
        }
        let mut allow: Option<(usize, &Rule)> = None;
        let mut disallow: Option<(usize, &Rule)> = None;
        for rule in &self.rules {
            if !matches(path.as_bytes(), rule.pattern.as_bytes()) {
                continue;
            }
            let best = if rule.allow {
                &mut allow
            } else {
                &mut disallow
            };
            let priority = rule.pattern.len();
            // Strictly longer replaces: of equal patterns the first one stays.
            if best.is_none_or(|(longest, _)| priority > longest) {
                *best = Some((priority, rule));
            }
        }
        let allow_priority = allow.map(|(p, _)| p);
        let disallow_priority = disallow.map(|(p, _)| p);
        // An empty pattern matches everything at priority 0 and decides nothing.
        if allow_priority.unwrap_or(0) == 0 && disallow_priority.unwrap_or(0) == 0 {
            return (true, Verdict::Default);
        }
        match (allow, disallow) {
            (_, Some((d, rule))) if allow_priority.is_none_or(|a| d > a) => {
                (false, Verdict::Rule(rule.clone()))
            }
            (Some((_, rule)), _) => (true, Verdict::Rule(rule.clone())),
            // Unreachable: a disallow that does not win implies a longer-or-equal allow.
            (None, _) => (true, Verdict::Default),
        }
    }

    pub fn crawl_delay(&self) -> Option<f64> {
        self.crawl_delay
    }

    pub fn sitemaps(&self) -> &[String] {
        &self.sitemaps
    }
}

/// Google's pattern match: anchored at the start of `path`, `*` any run of bytes,
/// `$` the end of the path when it ends the pattern (a literal `$` elsewhere). Keeps
/// the set of path offsets the pattern so far can end at: O(path × pattern) at worst.
pub fn matches(path: &[u8], pattern: &[u8]) -> bool {
    let mut ends: Vec<usize> = vec![0];
    let mut next: Vec<usize> = Vec::new();
    for (index, &byte) in pattern.iter().enumerate() {
        if byte == b'$' && index + 1 == pattern.len() {
            return ends.last() == Some(&path.len());
        }
        if byte == b'*' {
            let first = ends[0];
            ends.clear();
            ends.extend(first..=path.len());
            continue;
        }
        next.clear();
        next.extend(
            ends.iter()
                .filter(|&&end| end < path.len() && path[end] == byte)
                .map(|end| end + 1),
        );
        if next.is_empty() {
            return false;
        }
        std::mem::swap(&mut ends, &mut next);
    }
    true
}

/// The body as text for the parser, each byte that is not UTF-8 written as `%XX`:
/// Google's parser encodes such bytes so in patterns, and a lossy conversion would
/// make them `%EF%BF%BD` instead.
fn percent_encode_invalid_utf8(body: &[u8]) -> String {
    let mut text = String::with_capacity(body.len());
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    text
}

/// Follows the parser's callbacks as Google's `RobotsMatcher` does: a run of
/// `User-agent` lines opens a group, which lasts until a `User-agent` line follows an
/// `Allow` or `Disallow`; rules outside any group are ignored; groups naming our
/// agent are merged, and so are the `*` groups.
struct GroupReader<'a> {
    agent: &'a str,
    in_global: bool,
    in_specific: bool,
    ever_specific: bool,
    /// An Allow/Disallow was seen since the last User-agent line.
    seen_rule: bool,
    global: Vec<Rule>,
    specific: Vec<Rule>,
    global_delay: Option<f64>,
    specific_delay: Option<f64>,
    sitemaps: Vec<String>,
}

impl<'a> GroupReader<'a> {
    fn new(agent: &'a str) -> Self {
        GroupReader {
            agent,
            in_global: false,
            in_specific: false,
            ever_specific: false,
            seen_rule: false,
            global: Vec::new(),
            specific: Vec::new(),
            global_delay: None,
            specific_delay: None,
            sitemaps: Vec::new(),
        }
    }

    fn finish(self) -> Rules {
        let (rules, crawl_delay) = if self.ever_specific {
            (self.specific, self.specific_delay)
        } else {
            (self.global, self.global_delay)
        };
        Rules {
            rules,
            crawl_delay,
            sitemaps: self.sitemaps,
        }
    }

    fn add(&mut self, line: u32, allow: bool, pattern: &str, written: Option<String>) {
        let rule = Rule {
            line,
            allow,
            pattern: pattern.to_string(),
            written,
        };
        if self.in_specific {
            self.specific.push(rule);
        } else {
            self.global.push(rule);
        }
    }

    fn rule(&mut self, line: u32, allow: bool, value: &str) {
        if !(self.in_global || self.in_specific) {
            return;
        }
        self.seen_rule = true;
        self.add(line, allow, value, None);
        // Google: an allowed `…/index.htm(l)` allows its directory too (exactly).
        if allow {
            if let Some(slash) = value.rfind('/') {
                if value[slash..].starts_with("/index.htm") {
                    let directory = format!("{}$", &value[..=slash]);
                    self.add(line, true, &directory, Some(value.to_string()));
                }
            }
        }
    }
}

/// The product token of a `User-agent` value: its leading letters, `-` and `_`
/// (`FooBot/2.1` and `FooBot Images` are `FooBot`).
fn product_token(value: &str) -> &str {
    let end = value
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
        .unwrap_or(value.len());
    &value[..end]
}

impl RobotsParseHandler for GroupReader<'_> {
    fn handle_robots_start(&mut self) {}

    fn handle_robots_end(&mut self) {}

    fn handle_user_agent(&mut self, _line: u32, value: &str) {
        if self.seen_rule {
            self.in_global = false;
            self.in_specific = false;
            self.seen_rule = false;
        }
        // `*`, alone or followed by a space and anything, is the global group.
        let mut chars = value.chars();
        if chars.next() == Some('*') && chars.next().is_none_or(char::is_whitespace) {
            self.in_global = true;
        } else if product_token(value).eq_ignore_ascii_case(self.agent) {
            self.in_specific = true;
            self.ever_specific = true;
        }
    }

    fn handle_allow(&mut self, line: u32, value: &str) {
        self.rule(line, true, value);
    }

    fn handle_disallow(&mut self, line: u32, value: &str) {
        self.rule(line, false, value);
    }

    fn handle_sitemap(&mut self, _line: u32, value: &str) {
        if !value.is_empty() {
            self.sitemaps.push(value.to_string());
        }
    }

    fn handle_unknown_action(&mut self, _line: u32, action: &str, value: &str) {
        let action = action.to_ascii_lowercase();
        if !matches!(
            action.as_str(),
            "crawl-delay" | "crawl delay" | "crawldelay"
        ) {
            return;
        }
        let Ok(seconds) = value.trim().parse::<f64>() else {
            return;
        };
        let slot = if self.in_specific {
            &mut self.specific_delay
        } else if self.in_global {
            &mut self.global_delay
        } else {
            return;
        };
        slot.get_or_insert(seconds);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_matching_follows_google() {
        assert!(matches(b"/", b"/"));
        assert!(matches(b"/abc", b"/"));
        assert!(!matches(b"/", b"/abc"));
        assert!(matches(b"/a/b/tree/master", b"/*/*/tree/master"));
        assert!(matches(b"/a/b/tree/master/x", b"/*/*/tree/master"));
        assert!(matches(b"/a/b/tree/master", b"/*/*/tree/master$"));
        assert!(!matches(b"/a/b/tree/master/x", b"/*/*/tree/master$"));
        assert!(matches(b"/a$b", b"/a$b"));
        assert!(matches(b"/anything", b""));
        assert!(matches(b"/x", b"*"));
    }

    #[test]
    fn the_deciding_rule_names_its_line() {
        let rules = Rules::parse(
            b"# comment\nUser-agent: *\nDisallow: /private\nAllow: /private/open\n",
            "bot",
        );
        let (allowed, verdict) = rules.decide("http://e.org/private/x");
        assert!(!allowed);
        assert_eq!(
            verdict.clone(),
            Verdict::Rule(Rule {
                line: 3,
                allow: false,
                pattern: "/private".into(),
                written: None
            })
        );
        let Verdict::Rule(rule) = verdict else {
            unreachable!()
        };
        assert_eq!(rule.to_string(), "line 3: Disallow: /private");
        let (allowed, verdict) = rules.decide("http://e.org/private/open/y");
        assert!(allowed);
        assert!(matches!(
            verdict,
            Verdict::Rule(Rule {
                line: 4,
                allow: true,
                ..
            })
        ));
        assert_eq!(
            rules.decide("http://e.org/public"),
            (true, Verdict::Default)
        );
    }

    #[test]
    fn index_html_rule_is_shown_as_written() {
        let rules = Rules::parse(b"User-agent: *\nAllow: /d/index.html\nDisallow: /\n", "x");
        let (allowed, Verdict::Rule(rule)) = rules.decide("http://e.org/d/") else {
            panic!("no rule decided")
        };
        assert!(allowed);
        assert_eq!(rule.to_string(), "line 2: Allow: /d/index.html (as /d/$)");
    }

    #[test]
    fn sitemap_and_unknown_lines_do_not_end_a_group() {
        let body = b"User-agent: BarBot\nSitemap: https://e.org/s.xml\nCrawl-delay: 3\nUser-agent: *\nDisallow: /\n";
        let rules = Rules::parse(body, "BarBot");
        assert!(!rules.decide("http://e.org/").0);
        assert_eq!(rules.sitemaps(), ["https://e.org/s.xml"]);
        assert_eq!(rules.crawl_delay(), Some(3.0));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_percent_encoded_like_google() {
        let rules = Rules::parse(b"User-agent: *\nDisallow: /caf\xE9\n", "x");
        assert!(!rules.decide("http://e.org/caf%E9").0);
        assert!(rules.decide("http://e.org/caf%C3%A9").0);
    }
}
