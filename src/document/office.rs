//! Word-processing documents: DOCX (Office Open XML) and ODT (OpenDocument), both zip
//! archives of XML. The text is that of the body's paragraphs (`w:p`/`w:t`;
//! `text:p`/`text:h`), one per line; the title is the Dublin Core title of the
//! document's properties (`docProps/core.xml`, `meta.xml`).
//!
//! Bounds: at most [`MAX_ENTRIES`] entries in the archive and [`MAX_XML_BYTES`]
//! inflated from any one part, so a zip bomb is refused rather than inflated. An ODT
//! whose manifest names encryption data is encrypted; an encrypted DOCX is not a zip
//! at all but an OLE compound file, as is a legacy `.doc`, and is answered as such.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use zip::ZipArchive;

use super::text::{collapse, dc_title, TextSink};
use super::{DocumentText, Unreadable};

/// The most entries an archive may list.
const MAX_ENTRIES: usize = 10_000;
/// The most bytes inflated from one part of the archive.
const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;
/// The signature of an OLE compound file (legacy Office, or encrypted OOXML).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Which word-processing format.
#[derive(Clone, Copy)]
pub(super) enum Format {
    Docx,
    Odt,
}

pub(super) fn read(format: Format, bytes: &[u8]) -> Result<DocumentText, Unreadable> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(Unreadable::Malformed(
            "an OLE compound file, not a zip: a legacy .doc or an encrypted document".into(),
        ));
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| Unreadable::Malformed(format!("not a zip archive: {error}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(Unreadable::Malformed(format!(
            "{} entries in the archive (limit {MAX_ENTRIES})",
            archive.len()
        )));
    }
    let (body, properties) = match format {
        Format::Docx => ("word/document.xml", "docProps/core.xml"),
        Format::Odt => {
            if part(&mut archive, "META-INF/manifest.xml")?
                .is_some_and(|manifest| contains(&manifest, b"encryption-data"))
            {
                return Err(Unreadable::Encrypted);
            }
            ("content.xml", "meta.xml")
        }
    };
    let xml = part(&mut archive, body)?
        .ok_or_else(|| Unreadable::Malformed(format!("no {body} in the archive")))?;
    let text = match format {
        Format::Docx => body_text(&xml, &DOCX),
        Format::Odt => body_text(&xml, &ODT),
    }?;
    if !text.chars().any(char::is_alphanumeric) {
        return Err(Unreadable::NoText);
    }
    let metadata = part(&mut archive, properties)?;
    let title = metadata
        .as_deref()
        .and_then(dc_title)
        .map(|title| collapse(&title))
        .filter(|title| !title.is_empty());
    let pages = match format {
        Format::Docx => part(&mut archive, "docProps/app.xml")?
            .as_deref()
            .and_then(docx_pages),
        Format::Odt => metadata.as_deref().and_then(odt_pages),
    };
    Ok(DocumentText {
        title,
        text,
        pages: pages.unwrap_or(1),
    })
}

/// One part of the archive, inflated, or `None` if the archive has no such part.
fn part(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<Vec<u8>>, Unreadable> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(reason)) if reason.contains("ncrypt") => {
            return Err(Unreadable::Encrypted)
        }
        Err(error) => return Err(Unreadable::Malformed(format!("{name}: {error}"))),
    };
    let mut bytes = Vec::new();
    file.take(MAX_XML_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| Unreadable::Malformed(format!("{name}: {error}")))?;
    if bytes.len() as u64 > MAX_XML_BYTES {
        return Err(Unreadable::Malformed(format!(
            "{name} inflates past {MAX_XML_BYTES} bytes"
        )));
    }
    Ok(Some(bytes))
}

/// The element names that shape a format's body text.
struct Vocabulary {
    /// Elements whose text is the document's text (`None`: all text in the body).
    text: Option<&'static str>,
    /// Where the body starts (text before it is metadata, styles, declarations).
    body: &'static str,
    /// Paragraph-like elements: a line break after each.
    paragraphs: &'static [&'static str],
    /// Empty elements that stand for a line break.
    breaks: &'static [&'static str],
    /// Empty elements that stand for a space (tabs, runs of spaces).
    spaces: &'static [&'static str],
    /// Elements whose text is not the body's (notes' citations, deleted text...).
    skipped: &'static [&'static str],
}

const DOCX: Vocabulary = Vocabulary {
    text: Some("w:t"),
    body: "w:body",
    paragraphs: &["w:p", "w:tr"],
    breaks: &["w:br", "w:cr"],
    spaces: &["w:tab"],
    skipped: &[],
};

const ODT: Vocabulary = Vocabulary {
    text: None,
    body: "office:body",
    paragraphs: &["text:p", "text:h", "table:table-row"],
    breaks: &["text:line-break"],
    spaces: &["text:s", "text:tab"],
    skipped: &[
        "text:note-citation",
        "text:tracked-changes",
        "office:annotation",
        "text:sequence-decls",
    ],
};

fn body_text(xml: &[u8], words: &Vocabulary) -> Result<String, Unreadable> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut text = TextSink::default();
    let mut in_body = false;
    let mut in_text = 0usize;
    let mut skipping = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| Unreadable::Malformed(format!("XML: {error}")))?;
        match event {
            Event::Start(start) => {
                let name = start.name();
                let name = name.as_ref();
                if name == words.body {
                    in_body = true;
                } else if words.skipped.contains(&name) {
                    skipping += 1;
                } else if words.text == Some(name) {
                    in_text += 1;
                } else if words.spaces.contains(&name) {
                    text.space();
                } else if words.paragraphs.contains(&name) {
                    // A paragraph inside another (a note's) starts its own line.
                    text.line_break();
                }
            }
            Event::Empty(empty) => {
                let name = empty.name();
                let name = name.as_ref();
                if words.breaks.contains(&name) {
                    text.line_break();
                } else if words.spaces.contains(&name) {
                    text.space();
                } else if words.paragraphs.contains(&name) {
                    text.line_break();
                }
            }
            Event::End(end) => {
                let name = end.name();
                let name = name.as_ref();
                if words.skipped.contains(&name) {
                    skipping = skipping.saturating_sub(1);
                } else if words.text == Some(name) {
                    in_text = in_text.saturating_sub(1);
                } else if words.paragraphs.contains(&name) {
                    text.line_break();
                } else if name == words.body {
                    in_body = false;
                }
            }
            Event::Text(chunk)
                if in_body && skipping == 0 && (words.text.is_none() || in_text > 0) =>
            {
                text.push(&chunk.xml10_content());
            }
            Event::CData(chunk)
                if in_body && skipping == 0 && (words.text.is_none() || in_text > 0) =>
            {
                text.push(&chunk.xml10_content());
            }
            Event::GeneralRef(reference)
                if in_body && skipping == 0 && (words.text.is_none() || in_text > 0) =>
            {
                if let Ok(Some(character)) = reference.resolve_char_ref() {
                    text.push(character.encode_utf8(&mut [0; 4]));
                } else if let Some(resolved) =
                    quick_xml::escape::resolve_predefined_entity(&reference)
                {
                    text.push(resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if text.full() {
            break;
        }
        buffer.clear();
    }
    Ok(text.finish())
}

/// `<Pages>` of a DOCX's `docProps/app.xml` (as last saved).
fn docx_pages(xml: &[u8]) -> Option<usize> {
    let xml = std::str::from_utf8(xml).ok()?;
    let start = xml.find("<Pages>")? + "<Pages>".len();
    let end = start + xml[start..].find("</Pages>")?;
    xml[start..end]
        .trim()
        .parse()
        .ok()
        .filter(|&pages| pages > 0)
}

/// `meta:page-count` of an ODT's `meta.xml` statistics.
fn odt_pages(xml: &[u8]) -> Option<usize> {
    let xml = std::str::from_utf8(xml).ok()?;
    let start = xml.find("meta:page-count=\"")? + "meta:page-count=\"".len();
    let end = start + xml[start..].find('"')?;
    xml[start..end].parse().ok().filter(|&pages| pages > 0)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
