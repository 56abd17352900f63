//! Is a response HTML? By its Content-Type first; when that is missing or says
//! nothing (`application/octet-stream`, `*/*`), by sniffing the first bytes as the
//! WHATWG MIME sniffing standard does for HTML. Only HTML is parsed; everything else is
//! recorded as `not_html` with its type. And when two pages are the same content.

use std::hash::{Hash, Hasher};

use crate::extract::Page;

/// What a Content-Type header says about HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    Html,
    NotHtml,
    /// Missing or uninformative: sniff the body.
    Unknown,
}

/// Judges a Content-Type header value (`None` when absent).
pub fn declared(content_type: Option<&str>) -> Declared {
    let Some(content_type) = content_type else {
        return Declared::Unknown;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/html" | "application/xhtml+xml" => Declared::Html,
        "" | "application/octet-stream" | "unknown/unknown" | "application/unknown" | "*/*" => {
            Declared::Unknown
        }
        _ => Declared::NotHtml,
    }
}

/// Tags whose appearance first (after whitespace) marks a body as HTML.
const HTML_OPENINGS: &[&[u8]] = &[
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
];

/// True when `body` starts (after a BOM and whitespace) like an HTML document.
pub fn sniff_html(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C'))
        .unwrap_or(body.len());
    let head: Vec<u8> = body[start..]
        .iter()
        .take(16)
        .map(u8::to_ascii_lowercase)
        .collect();
    HTML_OPENINGS.iter().any(|opening| {
        head.starts_with(opening)
            && match head.get(opening.len()) {
                // The tag name must end here (`<a ` or `<a>`, not `<abbr`).
                Some(next) => {
                    opening == b"<!--" || matches!(next, b' ' | b'>' | b'\t' | b'\n' | b'\r')
                }
                None => false,
            }
    })
}

/// What makes two pages the same page: title, description, canonical URL, headings,
/// word count and links. Computed from what is stored of a page, so a page read again from an earlier
/// run (a 304) is recognised as the same as when it was downloaded, and two crawls of
/// one site treat the same pages as duplicates.
pub fn fingerprint(page: &Page) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    page.title.hash(&mut hasher);
    page.description.hash(&mut hasher);
    page.canonical.hash(&mut hasher);
    for heading in &page.headings {
        (heading.level, &heading.text).hash(&mut hasher);
    }
    page.words.hash(&mut hasher);
    for link in &page.links {
        link.href.hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_content_has_the_same_fingerprint_whatever_else() {
        let page = |title: &str, canonical: Option<&str>| Page {
            title: Some(title.into()),
            canonical: canonical.map(str::to_string),
            words: 12,
            links: vec![crate::extract::Link::new("https://e.org/a")],
            body_text: "dropped before the record is stored".into(),
            ..Page::default()
        };
        let mut reused = page("About", None);
        reused.body_text = String::new();
        assert_eq!(fingerprint(&page("About", None)), fingerprint(&reused));
        assert_ne!(
            fingerprint(&page("About", None)),
            fingerprint(&page("News", None))
        );
        assert_ne!(
            fingerprint(&page("About", None)),
            fingerprint(&page("About", Some("https://e.org/about/")))
        );
    }

    #[test]
    fn declared_types() {
        assert_eq!(declared(Some("text/html; charset=utf-8")), Declared::Html);
        assert_eq!(declared(Some("TEXT/HTML")), Declared::Html);
        assert_eq!(declared(Some("application/xhtml+xml")), Declared::Html);
        assert_eq!(declared(Some("application/pdf")), Declared::NotHtml);
        assert_eq!(declared(Some("text/plain")), Declared::NotHtml);
        assert_eq!(declared(Some("image/png")), Declared::NotHtml);
        assert_eq!(
            declared(Some("application/octet-stream")),
            Declared::Unknown
        );
        assert_eq!(declared(Some("")), Declared::Unknown);
        assert_eq!(declared(None), Declared::Unknown);
    }

    #[test]
    fn sniffs_html_openings() {
        assert!(sniff_html(b"<!DOCTYPE html><html>"));
        assert!(sniff_html(b"\xEF\xBB\xBF\n  <HTML lang=en>"));
        assert!(sniff_html(b"<!-- comment -->"));
        assert!(sniff_html(b"<p>Hello</p>"));
        assert!(!sniff_html(b"%PDF-1.7"));
        assert!(!sniff_html(b"<?xml version=\"1.0\"?><urlset>"));
        assert!(!sniff_html(b"<abbr>"));
        assert!(!sniff_html(b"plain text"));
        assert!(!sniff_html(b""));
    }
}
