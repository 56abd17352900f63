//! Scope: which URLs belong to an alliance's crawl at all, and how deep and how many.
//!
//! Only the alliance's allowed hosts are crawled (any scheme or port on them). Links
//! to other hosts are simply not followed and not recorded (a site links to hundreds
//! of them); a redirect that leaves the allowed hosts is recorded as `out_of_scope`,
//! since the page we asked for ended there.

use url::Url;

/// One alliance's bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Lowercase host names (or IP literals), compared exactly.
    allowed_hosts: Vec<String>,
    /// Pages fetched at most (robots-blocked and skipped URLs do not count).
    pub max_pages: usize,
    /// Link distance from a start URL; deeper links are not followed.
    pub max_depth: usize,
}

impl Scope {
    pub fn new(
        allowed_hosts: impl IntoIterator<Item = String>,
        max_pages: usize,
        max_depth: usize,
    ) -> Self {
        let allowed_hosts = allowed_hosts
            .into_iter()
            .map(|host| normalize_host(&host))
            .collect();
        Scope {
            allowed_hosts,
            max_pages,
            max_depth,
        }
    }

    pub fn allows_host(&self, host: &str) -> bool {
        let host = normalize_host(host);
        self.allowed_hosts.contains(&host)
    }

    /// True when `url` is on an allowed host.
    pub fn allows(&self, url: &Url) -> bool {
        url.host_str().is_some_and(|host| self.allows_host(host))
    }

    pub fn allows_depth(&self, depth: usize) -> bool {
        depth <= self.max_depth
    }
}

/// Lowercase, without a trailing root dot, IPv6 without brackets.
fn normalize_host(host: &str) -> String {
    host.trim()
        .trim_end_matches('.')
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn allowed_hosts_only() {
        let scope = Scope::new(["Example.org".to_string(), "www.example.org".into()], 10, 2);
        assert!(scope.allows(&url("https://example.org/a")));
        assert!(scope.allows(&url("http://WWW.example.org:8080/b")));
        assert!(scope.allows(&url("https://example.org./a")));
        assert!(!scope.allows(&url("https://cdn.example.org/a")));
        assert!(!scope.allows(&url("https://example.org.evil.net/")));
        assert!(!scope.allows(&url("mailto:someone@example.org")));
    }

    #[test]
    fn ip_hosts() {
        let scope = Scope::new(["127.0.0.1".to_string(), "[::1]".into()], 10, 2);
        assert!(scope.allows(&url("http://127.0.0.1:4000/")));
        assert!(scope.allows(&url("http://[::1]:4000/")));
        assert!(!scope.allows(&url("http://127.0.0.2:4000/")));
        assert!(!scope.allows(&url("http://localhost:4000/")));
    }

    #[test]
    fn depth_bound() {
        let scope = Scope::new(Vec::<String>::new(), 10, 2);
        assert!(scope.allows_depth(2));
        assert!(!scope.allows_depth(3));
    }
}
