//! An href resolved against its page's URL, as `Url::join` resolves it, but without
//! parsing a URL when the answer is plain to see.
//!
//! A page holds a hundred links or more, menu items included, and most are plain
//! paths on the page's own site (`/about/`, `https://same.site/news/`). `Url::join`
//! costs about 2,000 instructions each: a twentieth of a crawl's CPU on the benchmark
//! site (`benches/crawl/crawl.sh`). A plain href is one whose resolution is the site's
//! origin and the href's own text, unchanged: bytes the URL parser leaves as they are,
//! no dot segment to remove, no percent sign that could spell one. Anything else is
//! left to `Url::join`.

use url::{Position, Url};

/// `href` resolved against `base`, as `base.join(href)` would write it.
pub fn join(base: &Url, href: &str) -> Option<String> {
    plain_join(base, href).or_else(|| base.join(href).ok().map(String::from))
}

/// The resolution of a plain href, or `None` to ask `Url::join`.
fn plain_join(base: &Url, href: &str) -> Option<String> {
    if !matches!(base.scheme(), "http" | "https") || !base.has_host() {
        return None;
    }
    let origin = &base[..Position::BeforePath];
    // Path-absolute (joined to the base's scheme and authority), or absolute on exactly
    // the base's origin as the base writes it (no default port, no capitals in the
    // host, which the parser would change).
    let path_absolute = href.starts_with('/');
    let path = if path_absolute {
        href
    } else {
        href.strip_prefix(origin)?
    };
    if !path.starts_with('/') || path.starts_with("//") || !is_plain_reference(path) {
        return None;
    }
    Some(if path_absolute {
        format!("{origin}{href}")
    } else {
        href.to_string()
    })
}

/// A path (with its query and fragment) that the URL parser keeps byte for byte.
/// (Byte loops: `str::find` and `contains` cost more to set up than to run here.)
fn is_plain_reference(reference: &str) -> bool {
    let bytes = reference.as_bytes();
    let path_end = bytes
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .unwrap_or(bytes.len());
    let (path, rest) = bytes.split_at(path_end);
    path.iter().all(|&b| is_plain_byte(b))
        && path
            .split(|&b| b == b'/')
            .all(|segment| segment != b"." && segment != b"..")
        && rest
            .iter()
            .skip(1)
            .all(|&b| is_plain_byte(b) || b == b'=' || b == b'&')
}

/// Bytes kept as they are in a path, query and fragment: ASCII letters and digits and
/// `-._~/`. (`%`, `\`, spaces, quotes and all non-ASCII are not.)
fn is_plain_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BASES: &[&str] = &[
        "http://127.0.0.1:48229/",
        "https://www.u21.org/about/members.html?page=2#top",
        "https://user:pw@leru.org/en/",
        "http://example.org:8080/a/b/c",
        "https://idealeague.org",
    ];

    fn url_join(base: &str, href: &str) -> Option<String> {
        Url::parse(base).unwrap().join(href).ok().map(String::from)
    }

    #[test]
    fn plain_hrefs_take_the_short_way_and_agree_with_url_join() {
        let base = Url::parse("http://127.0.0.1:48229/news/item/").unwrap();
        for href in [
            "/who-we-are/",
            "/a/b.html",
            "/",
            "/search?q=library&lang=en",
            "/page#content",
            "/a//b",
            "http://127.0.0.1:48229/members/",
        ] {
            assert_eq!(
                plain_join(&base, href),
                url_join(base.as_str(), href),
                "{href}"
            );
            assert!(plain_join(&base, href).is_some(), "{href} is plain");
        }
    }

    #[test]
    fn hrefs_the_parser_would_change_go_to_url_join() {
        let base = Url::parse("http://127.0.0.1:48229/news/item/").unwrap();
        for href in [
            "relative/page",
            "../up",
            "/a/../b",
            "/a/./b",
            "/a/%2e%2e/b",
            "/with space",
            "/caf\u{e9}",
            "//other.host/x",
            "/back\\slash",
            "HTTP://127.0.0.1:48229/x",
            "http://127.0.0.1:48229",
            "http://127.0.0.1:482290/x",
            "?q=1",
            "#top",
            "mailto:office@example.org",
        ] {
            assert_eq!(plain_join(&base, href), None, "{href} is not plain");
            assert_eq!(join(&base, href), url_join(base.as_str(), href), "{href}");
        }
    }

    proptest! {
        #[test]
        fn join_is_url_join(
            base in prop::sample::select(BASES),
            same_origin in any::<bool>(),
            lead in prop::sample::select(&["", "/", "//", "/a/", "../", "?"][..]),
            // Mostly plain bytes, so that both ways are taken often.
            tail in prop_oneof![
                (
                    prop::collection::vec(
                        prop::sample::select(&["a", "b.html", ".", "..", "", "%2e", "x~y_z"][..]),
                        0..5,
                    ),
                    "([?#][a-z=&]{0,6})?",
                )
                    .prop_map(|(segments, end)| segments.join("/") + &end),
                "[a-zA-Z0-9/.?#=&%:@ \\\\~_é-]{0,24}",
            ],
        ) {
            let parsed = Url::parse(base).unwrap();
            let origin = if same_origin { &parsed[..Position::BeforePath] } else { "" };
            let href = format!("{origin}{lead}{tail}");
            prop_assert_eq!(join(&parsed, &href), url_join(base, &href));
        }
    }
}
