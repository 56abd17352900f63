//! Sitemap files (`urlset` and `sitemapindex`, plain or gzipped): the `<loc>` URLs
//! they list. Pure: fetching them is `seeds`' job.
//!
//! quick-xml (0.38 and later) splits text at entity references, so `a?x=1&amp;y=2`
//! arrives as Text, GeneralRef, Text: the reader joins Text, CData and GeneralRef
//! events inside one `<loc>`. Gzip is recognised by its magic bytes, not the file
//! name or Content-Type, which servers get wrong both ways; it is inflated as the
//! XML is read, never whole. Both the inflated size and the number of URLs are
//! bounded by the protocol's own limits (50 MB and 50,000 per file).

use std::io::{BufRead, BufReader, Read};

use flate2::read::MultiGzDecoder;
use quick_xml::events::Event;
use quick_xml::Reader;

/// The largest sitemap we read, before and after inflating (the protocol's limit).
pub const MAX_SITEMAP_BYTES: usize = 50 * 1024 * 1024;
/// The most `<loc>` entries we take from one file.
pub const MAX_LOCS_PER_FILE: usize = 50_000;

/// One `<url>` of a `<urlset>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub loc: String,
    /// The year of `<lastmod>` (W3C datetime: `2024`, `2024-05-01`, ...).
    pub lastmod_year: Option<i32>,
}

/// What a sitemap file lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// `<urlset>`: page URLs.
    Pages(Vec<SitemapEntry>),
    /// `<sitemapindex>`: more sitemap files.
    Index(Vec<String>),
}

/// Parses a sitemap body (gzipped or not). Unknown roots and broken XML give what was
/// read before the problem: a sitemap is a hint, never a reason to fail.
pub fn parse(body: &[u8]) -> Sitemap {
    let limit = MAX_SITEMAP_BYTES as u64;
    if body.starts_with(&[0x1f, 0x8b]) {
        read_locs(BufReader::new(MultiGzDecoder::new(body).take(limit)))
    } else {
        read_locs(body.take(limit))
    }
}

/// What is being read inside the current `<url>` or `<sitemap>`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Loc,
    Lastmod,
}

fn read_locs(xml: impl BufRead) -> Sitemap {
    let mut reader = Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut is_index = false;
    let mut seen_root = false;
    let mut field: Option<Field> = None;
    let mut text = String::new();
    let mut entry: Option<SitemapEntry> = None;
    let mut locs: Vec<SitemapEntry> = Vec::new();
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
                field = match name.as_ref() {
                    "loc" => Some(Field::Loc),
                    "lastmod" => Some(Field::Lastmod),
                    _ => None,
                };
                text.clear();
            }
            Event::Text(content) if field.is_some() => text.push_str(&content.xml10_content()),
            Event::CData(cdata) if field.is_some() => text.push_str(&cdata.xml10_content()),
            Event::GeneralRef(reference) if field.is_some() => {
                push_reference(&mut text, &reference)
            }
            Event::End(end) => {
                match (field.take(), end.local_name().as_ref()) {
                    (Some(Field::Loc), "loc") => {
                        let loc = text.trim();
                        if !loc.is_empty() {
                            // A second <loc> in one entry starts another entry.
                            locs.extend(entry.take());
                            entry = Some(SitemapEntry {
                                loc: loc.to_string(),
                                lastmod_year: None,
                            });
                        }
                    }
                    (Some(Field::Lastmod), "lastmod") => {
                        if let Some(entry) = entry.as_mut() {
                            entry.lastmod_year = year_of(text.trim());
                        }
                    }
                    (_, "url" | "sitemap") => locs.extend(entry.take()),
                    _ => {}
                }
                if locs.len() >= MAX_LOCS_PER_FILE {
                    break;
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    locs.extend(entry.take());
    locs.truncate(MAX_LOCS_PER_FILE);
    if is_index {
        Sitemap::Index(locs.into_iter().map(|entry| entry.loc).collect())
    } else {
        Sitemap::Pages(locs)
    }
}

/// The year a W3C datetime starts with.
fn year_of(lastmod: &str) -> Option<i32> {
    let year = lastmod.get(..4)?;
    year.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| year.parse().ok())
        .flatten()
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

    fn pages(locs: &[(&str, Option<i32>)]) -> Sitemap {
        Sitemap::Pages(
            locs.iter()
                .map(|(loc, lastmod_year)| SitemapEntry {
                    loc: loc.to_string(),
                    lastmod_year: *lastmod_year,
                })
                .collect(),
        )
    }

    #[test]
    fn reads_urlset_joining_entities_and_cdata() {
        assert_eq!(
            parse(URLSET.as_bytes()),
            pages(&[
                ("https://e.org/a", Some(2024)),
                ("https://e.org/b?x=1&y=2&z=3", None),
                ("https://e.org/c?q=<1>", None),
            ])
        );
    }

    #[test]
    fn reads_the_protocols_fifty_thousand_urls_streamed_from_gzip() {
        let mut xml = String::from("<urlset>");
        for n in 0..MAX_LOCS_PER_FILE + 10 {
            xml.push_str(&format!(
                "<url><loc>https://e.org/p{n}</loc><lastmod>2019-01-0{}</lastmod></url>",
                n % 9 + 1
            ));
        }
        xml.push_str("</urlset>");
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(xml.as_bytes()).unwrap();
        let Sitemap::Pages(entries) = parse(&encoder.finish().unwrap()) else {
            panic!("a urlset");
        };
        assert_eq!(entries.len(), MAX_LOCS_PER_FILE);
        assert_eq!(entries[49_999].loc, "https://e.org/p49999");
        assert_eq!(entries[49_999].lastmod_year, Some(2019));
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
        assert_eq!(parse(xml.as_bytes()), pages(&[("https://e.org/p", None)]));
    }

    #[test]
    fn broken_or_foreign_input_gives_what_was_read() {
        let xml = "<urlset><url><loc>https://e.org/ok</loc></url><url><loc>https://e.org/x</lo";
        assert_eq!(parse(xml.as_bytes()), pages(&[("https://e.org/ok", None)]));
        assert_eq!(parse(b"<html><body>Not found</body></html>"), pages(&[]));
        assert_eq!(parse(b"\x1f\x8bgarbage"), pages(&[]));
    }
}
