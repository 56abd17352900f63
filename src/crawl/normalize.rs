//! URL normalisation: one spelling per page, so the frontier fetches it once.
//!
//! The `url` crate already does the WHATWG part (scheme and host lowercased, default
//! port dropped, dot segments resolved, percent-encoding made uniform). On top of that
//! we drop the fragment, tracking parameters (`utm_*`, `fbclid`, ...) and session ids
//! (`PHPSESSID`, `;jsessionid=` path parameters, ...), which otherwise make one page
//! look like thousands. Parameter order is kept (some sites give it meaning) and a
//! trailing `index.html` is kept: `/a/` and `/a/index.html` can differ.

use url::Url;

/// Query parameters that only track a visitor, never select content (compared
/// lowercased; any `utm_` prefix also matches).
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl", "yclid",
];

/// Query parameters that carry a session id.
const SESSION_PARAMS: &[&str] = &[
    "phpsessid",
    "jsessionid",
    "sid",
    "sessionid",
    "session_id",
    "cfid",
    "cftoken",
    "aspsessionid",
];

/// The normalised form of `url`, or `None` when it is not an `http(s)` URL with a host
/// (mailto:, javascript:, data: and the like are not crawlable).
pub fn normalize(url: &Url) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let mut url = url.clone();
    url.set_fragment(None);
    // Credentials never belong in a crawl key (nor in a request we make).
    let _ = url.set_username("");
    let _ = url.set_password(None);
    strip_path_session(&mut url);
    strip_query_params(&mut url);
    Some(url)
}

/// Parses `href` (already absolute, as `extract` gives links) and normalises it.
pub fn normalize_str(href: &str) -> Option<Url> {
    Url::parse(href.trim()).ok().as_ref().and_then(normalize)
}

fn is_dropped_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || TRACKING_PARAMS.contains(&name.as_str())
        || SESSION_PARAMS.contains(&name.as_str())
}

/// Removes `;jsessionid=...` (Java servlet containers put the session in the path).
fn strip_path_session(url: &mut Url) {
    let path = url.path();
    let lower = path.to_ascii_lowercase();
    if let Some(start) = lower.find(";jsessionid=") {
        // The parameter runs to the next `/` (or the end of the path).
        let end = path[start + 1..]
            .find('/')
            .map_or(path.len(), |offset| start + 1 + offset);
        let cleaned = format!("{}{}", &path[..start], &path[end..]);
        url.set_path(&cleaned);
    }
}

/// Drops tracking and session parameters, keeping the others in their order and
/// spelling; an empty query (`?` alone) is removed.
fn strip_query_params(url: &mut Url) {
    let Some(query) = url.query() else { return };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !is_dropped_param(name)
        })
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        let joined = kept.join("&");
        url.set_query(Some(&joined));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(input: &str) -> String {
        normalize_str(input).map(String::from).unwrap_or_default()
    }

    #[test]
    fn drops_fragment_default_port_and_case() {
        assert_eq!(
            norm("HTTP://Example.ORG:80/a/./b/../c#top"),
            "http://example.org/a/c"
        );
        assert_eq!(norm("https://example.org:443/"), "https://example.org/");
        assert_eq!(
            norm("https://example.org:8443/x"),
            "https://example.org:8443/x"
        );
    }

    #[test]
    fn drops_tracking_parameters_keeping_order_of_the_rest() {
        assert_eq!(
            norm("https://e.org/p?b=2&utm_source=x&a=1&UTM_Medium=y&fbclid=z&gclid=1"),
            "https://e.org/p?b=2&a=1"
        );
        assert_eq!(
            norm("https://e.org/p?msclkid=1&mc_cid=2&mc_eid=3&_ga=4"),
            "https://e.org/p"
        );
    }

    #[test]
    fn drops_session_ids_in_query_and_path() {
        assert_eq!(
            norm("https://e.org/p?PHPSESSID=abc&page=2&sid=9"),
            "https://e.org/p?page=2"
        );
        assert_eq!(
            norm("https://e.org/shop;jsessionid=ABC123?x=1"),
            "https://e.org/shop?x=1"
        );
        assert_eq!(
            norm("https://e.org/a;jsessionid=ABC/b"),
            "https://e.org/a/b"
        );
        assert_eq!(
            norm("https://e.org/p?CFID=1&CFTOKEN=2&sessionid=3&session_id=4"),
            "https://e.org/p"
        );
    }

    #[test]
    fn drops_empty_query_and_empty_pairs() {
        assert_eq!(norm("https://e.org/p?"), "https://e.org/p");
        assert_eq!(norm("https://e.org/p?&&a=1&"), "https://e.org/p?a=1");
    }

    #[test]
    fn keeps_index_html_and_trailing_slash_distinct() {
        assert_eq!(
            norm("https://e.org/a/index.html"),
            "https://e.org/a/index.html"
        );
        assert_ne!(norm("https://e.org/a/"), norm("https://e.org/a"));
    }

    #[test]
    fn refuses_non_http_schemes() {
        assert!(normalize_str("mailto:a@b.org").is_none());
        assert!(normalize_str("javascript:void(0)").is_none());
        assert!(normalize_str("ftp://e.org/file").is_none());
        assert!(normalize_str("not a url").is_none());
    }

    #[test]
    fn drops_credentials() {
        assert_eq!(norm("https://user:pw@e.org/x"), "https://e.org/x");
    }

    #[test]
    fn similar_names_are_kept() {
        // `side` and `page_sid` are not session ids.
        assert_eq!(
            norm("https://e.org/p?side=left&page_sid=1"),
            "https://e.org/p?side=left&page_sid=1"
        );
    }
}
