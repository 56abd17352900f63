//! Sitemap files (`urlset` and `sitemapindex`, plain or gzipped): the `<loc>` URLs
//! they list. Pure: fetching them is `seeds`' job.
//!
//! quick-xml (0.38 and later) splits text at entity references, so `a?x=1&amp;y=2`
//! arrives as Text, GeneralRef, Text: the reader joins Text, CData and GeneralRef
//! events inside one `<loc>`. Gzip is recognised by its magic bytes, not the file
//! name or Content-Type, which servers get wrong both ways. Both the inflated size and
//! the number of URLs are bounded (the protocol's own limits are 50 MB and 50,000).

use std::io::Read;

use flate2::read::MultiGzDecoder;
use quick_xml::events::Event;
use quick_xml::Reader;

/// The largest inflated sitemap we read.
pub const MAX_SITEMAP_BYTES: usize = 20 * 1024 * 1024;
/// The most `<loc>` entries we take from one file.
pub const MAX_LOCS_PER_FILE: usize = 50_000;

/// What a sitemap file lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// `<urlset>`: page URLs.
    Pages(Vec<String>),
    /// `<sitemapindex>`: more sitemap files.
    Index(Vec<String>),
}

/// Parses a sitemap body (gzipped or not). Unknown roots and broken XML give what was
/// read before the problem: a sitemap is a hint, never a reason to fail.
pub fn parse(body: &[u8]) -> Sitemap {
    let inflated;
    let xml = if body.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(body);
        inflated.as_slice()
    } else {
        body
    };
    read_locs(xml)
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let limit = MAX_SITEMAP_BYTES as u64;
    if let Err(error) = MultiGzDecoder::new(body).take(limit).read_to_end(&mut out) {
        tracing::debug!(%error, "gzipped sitemap cut short");
    }
    out
}

fn read_locs(xml: &[u8]) -> Sitemap {
    let mut reader = Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut is_index = false;
    let mut seen_root = false;
    let mut current: Option<String> = None;
    let mut locs = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(event) => event,
            Err(error) => {
                tracing::debug!(%error, "sitemap XML error; keeping what was read");
                break;
            }
        };
        match event {
            Event::Start(start) => {
                let name = start.local_name();
                if !seen_root {
                    seen_root = true;
                    is_index = name.as_ref() == "sitemapindex";
                }
                if name.as_ref() == "loc" {
                    current = Some(String::new());
                }
            }
            Event::Text(text) => {
                if let Some(loc) = current.as_mut() {
                    loc.push_str(&text.xml10_content());
                }
            }
            Event::CData(cdata) => {
                if let Some(loc) = current.as_mut() {
                    loc.push_str(&cdata.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(loc) = current.as_mut() {
                    push_reference(loc, &reference);
                }
            }
            Event::End(end) if end.local_name().as_ref() == "loc" => {
                if let Some(loc) = current.take() {
                    let loc = loc.trim();
                    if !loc.is_empty() {
                        locs.push(loc.to_string());
                    }
                    if locs.len() >= MAX_LOCS_PER_FILE {
                        break;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if is_index {
        Sitemap::Index(locs)
    } else {
        Sitemap::Pages(locs)
    }
}

/// Appends the text of `&name;` or `&#N;` (unknown entities are kept as written).
fn push_reference(out: &mut String, reference: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(character)) = reference.resolve_char_ref() {
        out.push(character);
    } else if let Some(text) = quick_xml::escape::resolve_predefined_entity(reference) {
        out.push_str(text);
    } else {
        out.push('&');
        out.push_str(reference);
        out.push(';');
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::Compression;

    use super::*;

    const URLSET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://e.org/a</loc><lastmod>2024-01-01</lastmod></url>
  <url><loc>
     https://e.org/b?x=1&amp;y=2&#38;z=3
  </loc></url>
  <url><loc><![CDATA[https://e.org/c?q=<1>]]></loc></url>
</urlset>"#;

    #[test]
    fn reads_urlset_joining_entities_and_cdata() {
        assert_eq!(
            parse(URLSET.as_bytes()),
            Sitemap::Pages(vec![
                "https://e.org/a".into(),
                "https://e.org/b?x=1&y=2&z=3".into(),
                "https://e.org/c?q=<1>".into(),
            ])
        );
    }

    #[test]
    fn reads_sitemap_index() {
        let xml = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://e.org/s1.xml</loc></sitemap>
            <sitemap><loc>https://e.org/s2.xml.gz</loc></sitemap>
        </sitemapindex>"#;
        assert_eq!(
            parse(xml.as_bytes()),
            Sitemap::Index(vec![
                "https://e.org/s1.xml".into(),
                "https://e.org/s2.xml.gz".into()
            ])
        );
    }

    #[test]
    fn reads_gzip_by_magic_bytes() {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(URLSET.as_bytes()).unwrap();
        let gzipped = encoder.finish().unwrap();
        assert_eq!(parse(&gzipped), parse(URLSET.as_bytes()));
    }

    #[test]
    fn namespace_prefixes_are_ignored() {
        let xml = r#"<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sm:url><sm:loc>https://e.org/p</sm:loc></sm:url></sm:urlset>"#;
        assert_eq!(
            parse(xml.as_bytes()),
            Sitemap::Pages(vec!["https://e.org/p".into()])
        );
    }

    #[test]
    fn broken_or_foreign_input_gives_what_was_read() {
        let xml = "<urlset><url><loc>https://e.org/ok</loc></url><url><loc>https://e.org/x</lo";
        assert_eq!(
            parse(xml.as_bytes()),
            Sitemap::Pages(vec!["https://e.org/ok".into()])
        );
        assert_eq!(
            parse(b"<html><body>Not found</body></html>"),
            Sitemap::Pages(vec![])
        );
        assert_eq!(parse(b"\x1f\x8bgarbage"), Sitemap::Pages(vec![]));
    }
}
