//! Bulk: the URL spaces a CMS generates by the hundred (pagination, date archives,
//! tag, category and author listings, calendars, search results, print and share
//! variants, feeds). They are real pages, but each repeats what the site's own
//! sections say, so the frontier fetches them after everything else, not never.
//!
//! Judged on the URL alone, by path segments and query parameter names in the
//! conventions of WordPress, Drupal, Joomla and the calendar plugins they carry.

use url::Url;

/// What kind of bulk a URL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// `/page/3/`, `?page=3`, `?start=20`.
    Pagination,
    /// `/2019/`, `/2019/03/`, `/archive/`.
    DateArchive,
    /// `/tag/x/`, `/category/x/`, `/author/x/`.
    Listing,
    /// `/calendar/`, `?month=2024-05`, `.ics`.
    Calendar,
    /// `/search`, `?s=`, `?q=`.
    Search,
    /// `?print=1`, `/share/`, `/feed/`, `/amp/`, `?replytocom=`.
    Variant,
}

/// Path segments that open a listing of other pages.
const LISTING_SEGMENTS: &[&str] = &[
    "tag",
    "tags",
    "category",
    "categories",
    "author",
    "authors",
    "keyword",
    "keywords",
    "label",
    "labels",
    "taxonomy",
    "archive",
    "archives",
];
const CALENDAR_SEGMENTS: &[&str] = &[
    "calendar",
    "kalender",
    "calendrier",
    "agenda",
    "ical",
    "icalendar",
];
const SEARCH_SEGMENTS: &[&str] = &["search", "suche", "recherche", "zoeken", "buscar"];
const VARIANT_SEGMENTS: &[&str] = &[
    "print",
    "share",
    "feed",
    "rss",
    "atom",
    "amp",
    "embed",
    "trackback",
    "comments",
    "wp-json",
    "login",
    "wp-login.php",
];
// Not `p`: WordPress's `?p=123` is a post.
const PAGINATION_PARAMS: &[&str] = &["page", "paged", "pg", "start", "offset", "limitstart"];
const CALENDAR_PARAMS: &[&str] = &[
    "month",
    "year",
    "week",
    "day",
    "date",
    "cal",
    "calendar",
    "ical",
    "tribe-bar-date",
    "eventdisplay",
];
const SEARCH_PARAMS: &[&str] = &["s", "q", "query", "search", "keys", "keyword", "searchword"];
const VARIANT_PARAMS: &[&str] = &[
    "print",
    "share",
    "replytocom",
    "format",
    "output",
    "sort",
    "order",
    "orderby",
    "filter",
    "view",
    "display",
    "tmpl",
    "amp",
    "feed",
];

/// The kind of bulk `url` is, if any.
pub fn bulk_kind(url: &Url) -> Option<Bulk> {
    let segments: Vec<String> = url
        .path_segments()
        .map(|segments| {
            segments
                .filter(|s| !s.is_empty())
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default();
    if let Some(kind) = by_query(url) {
        return Some(kind);
    }
    if segments.last().is_some_and(|s| s.ends_with(".ics")) {
        return Some(Bulk::Calendar);
    }
    for (i, segment) in segments.iter().enumerate() {
        let next_is_number = segments
            .get(i + 1)
            .is_some_and(|next| next.bytes().all(|b| b.is_ascii_digit()));
        if matches!(segment.as_str(), "page" | "seite" | "pagina") && next_is_number {
            return Some(Bulk::Pagination);
        }
        if LISTING_SEGMENTS.contains(&segment.as_str()) {
            return Some(Bulk::Listing);
        }
        if CALENDAR_SEGMENTS.contains(&segment.as_str()) {
            return Some(Bulk::Calendar);
        }
        if SEARCH_SEGMENTS.contains(&segment.as_str()) {
            return Some(Bulk::Search);
        }
        if VARIANT_SEGMENTS.contains(&segment.as_str()) {
            return Some(Bulk::Variant);
        }
    }
    is_date_archive(&segments).then_some(Bulk::DateArchive)
}

fn by_query(url: &Url) -> Option<Bulk> {
    for (name, value) in url.query_pairs() {
        let name = name.to_ascii_lowercase();
        let name = name.as_str();
        if PAGINATION_PARAMS.contains(&name) && value.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Bulk::Pagination);
        }
        if CALENDAR_PARAMS.contains(&name) {
            return Some(Bulk::Calendar);
        }
        if SEARCH_PARAMS.contains(&name) {
            return Some(Bulk::Search);
        }
        if VARIANT_PARAMS.contains(&name) {
            return Some(Bulk::Variant);
        }
        if name == "tag" || name == "category" || name == "cat" || name == "author" {
            return Some(Bulk::Listing);
        }
    }
    None
}

/// A path that ends in a year, a year and month, or a full date: the archive of
/// that period (`/news/2019/03/`), not a post inside it (`/2019/03/our-new-group/`).
fn is_date_archive(segments: &[String]) -> bool {
    let numeric = |s: &String| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let trailing = segments.iter().rev().take_while(|s| numeric(s)).count();
    let Some(first) = segments.len().checked_sub(trailing).map(|i| &segments[i..]) else {
        return false;
    };
    match first.first() {
        Some(year) if year.len() == 4 => year
            .parse::<u32>()
            .is_ok_and(|year| (1990..=2100).contains(&year)),
        _ => false,
    }
}

/// File types the audit does not read, recognised by extension so they are
/// fetched last: each costs a request and yields nothing.
pub fn is_unread_type(url: &Url) -> bool {
    const EXTENSIONS: &[&str] = &[
        "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "mp3", "mp4",
        "m4a", "mov", "avi", "wmv", "webm", "ogg", "wav", "zip", "gz", "tgz", "rar", "7z", "exe",
        "dmg", "iso", "css", "js", "json", "xml", "woff", "woff2", "ttf", "eot", "xls", "xlsx",
        "ppt", "pptx", "csv",
    ];
    extension(url).is_some_and(|ext| EXTENSIONS.contains(&ext.as_str()))
}

/// Documents the crawl reads for their text, as their URL names them.
pub fn is_document(url: &Url) -> bool {
    crate::document::kind_of(None, url.path(), &[]).is_some()
}

fn extension(url: &Url) -> Option<String> {
    let last = url.path_segments()?.next_back()?;
    let (_, ext) = last.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(url: &str) -> Option<Bulk> {
        bulk_kind(&Url::parse(url).unwrap())
    }

    #[test]
    fn cms_bulk_is_recognised() {
        assert_eq!(kind("https://e.org/news/page/7/"), Some(Bulk::Pagination));
        assert_eq!(kind("https://e.org/news/?page=3"), Some(Bulk::Pagination));
        assert_eq!(kind("https://e.org/news?start=20"), Some(Bulk::Pagination));
        assert_eq!(kind("https://e.org/2019/03/"), Some(Bulk::DateArchive));
        assert_eq!(kind("https://e.org/news/2019/"), Some(Bulk::DateArchive));
        assert_eq!(kind("https://e.org/tag/open-access/"), Some(Bulk::Listing));
        assert_eq!(kind("https://e.org/category/news/"), Some(Bulk::Listing));
        assert_eq!(kind("https://e.org/author/jane/"), Some(Bulk::Listing));
        assert_eq!(
            kind("https://e.org/events/?month=2024-05"),
            Some(Bulk::Calendar)
        );
        assert_eq!(kind("https://e.org/events/calendar/"), Some(Bulk::Calendar));
        assert_eq!(kind("https://e.org/events/x.ics"), Some(Bulk::Calendar));
        assert_eq!(kind("https://e.org/?s=library"), Some(Bulk::Search));
        assert_eq!(kind("https://e.org/search/library"), Some(Bulk::Search));
        assert_eq!(kind("https://e.org/news/x/?print=1"), Some(Bulk::Variant));
        assert_eq!(kind("https://e.org/feed/"), Some(Bulk::Variant));
    }

    #[test]
    fn content_pages_are_not_bulk() {
        for url in [
            "https://e.org/",
            "https://e.org/about/working-groups/library-network/",
            "https://e.org/2019/03/our-new-group/",
            "https://e.org/news/library-directors-meet/",
            "https://e.org/page/about-us/",
            "https://e.org/item/309-library-group",
            "https://e.org/members/?id=12",
            "https://e.org/publications/annual-report-2023.pdf",
            "https://e.org/2030-agenda/",
        ] {
            assert_eq!(kind(url), None, "{url}");
        }
    }

    #[test]
    fn types_by_extension() {
        let url = |u: &str| Url::parse(u).unwrap();
        assert!(is_document(&url("https://e.org/a/Report.PDF")));
        assert!(!is_document(&url("https://e.org/a/report/")));
        assert!(is_unread_type(&url("https://e.org/img/logo.png")));
        assert!(!is_unread_type(&url("https://e.org/about.html")));
    }
}
