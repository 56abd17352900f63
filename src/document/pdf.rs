//! PDF: the text of the pages and the document's title, with lopdf.
//!
//! lopdf parses the file (cross-reference repair, object streams, filters such as
//! FlateDecode, decryption of files whose user password is empty) and maps each font's
//! bytes to Unicode (`/ToUnicode` CMaps, standard and differences encodings). Its own
//! `extract_text` ignores text positioning, so words that a PDF places with `Td`/`Tm`
//! rather than a space run together ("Universitylibraries"), which would hide terms
//! from detection; this module walks the content stream itself and turns moves into a
//! space or a line break, and large `TJ` gaps into a space. Text in Form XObjects
//! (`Do`) is read too, with a depth bound and each form read at most once per page.

use std::collections::{BTreeMap, HashSet};

use super::text::{collapse, dc_title, TextSink};
use super::{DocumentText, Unreadable, MAX_DECOMPRESSED_BYTES, MAX_PAGES_READ};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object, ObjectId};

/// How deep Form XObjects may nest inside one another.
const MAX_FORM_DEPTH: usize = 8;
/// A `TJ` adjustment (thousandths of a text-space unit) at least this far left is a
/// word gap: a space is about 250 units in most fonts, kerning tens.
const TJ_WORD_GAP: f32 = 180.0;

pub(super) fn read(bytes: &[u8]) -> Result<DocumentText, Unreadable> {
    if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(Unreadable::Malformed("no %PDF- header".into()));
    }
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED_BYTES),
        ..LoadOptions::default()
    };
    let document = Document::load_mem_with_options(bytes, options).map_err(|error| {
        if is_encryption_error(&error) {
            Unreadable::Encrypted
        } else {
            Unreadable::Malformed(describe(&error))
        }
    })?;
    // lopdf decrypts a file whose user password is empty (any viewer opens it without
    // asking) and then drops `/Encrypt` from the trailer; one still encrypted wants a
    // password we do not have.
    if document.is_encrypted() {
        return Err(Unreadable::Encrypted);
    }
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(Unreadable::Malformed("no pages".into()));
    }
    let mut text = TextSink::default();
    let mut errors = Vec::new();
    for &page_id in pages.values().take(MAX_PAGES_READ) {
        if text.full() {
            break;
        }
        if let Err(error) = read_page(&document, page_id, &mut text) {
            errors.push(error);
        }
        text.page_break();
    }
    let text = text.finish();
    if !text.chars().any(char::is_alphanumeric) {
        // Pages that could not be decoded are not proof of a missing text layer.
        return Err(match errors.into_iter().next() {
            Some(error) => Unreadable::Malformed(describe(&error)),
            None => Unreadable::NoText,
        });
    }
    Ok(DocumentText {
        title: title(&document),
        text,
        pages: pages.len(),
    })
}

/// lopdf's error with its causes ("couldn't decompress stream: ... limit ...").
fn describe(error: &lopdf::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn is_encryption_error(error: &lopdf::Error) -> bool {
    matches!(
        error,
        lopdf::Error::Decryption(_)
            | lopdf::Error::InvalidPassword
            | lopdf::Error::AlreadyEncrypted
    )
}

/// The page's content stream, with its fonts, and the forms it draws.
fn read_page(document: &Document, page_id: ObjectId, text: &mut TextSink) -> lopdf::Result<()> {
    let fonts = encodings(document, document.get_page_fonts(page_id)?);
    let (direct, referenced) = document.get_page_resources(page_id)?;
    let mut resources: Vec<&Dictionary> = direct.into_iter().collect();
    resources.extend(
        referenced
            .into_iter()
            .filter_map(|id| document.get_dictionary(id).ok()),
    );
    let content = document.get_page_content_with_limit(page_id, MAX_DECOMPRESSED_BYTES)?;
    let mut seen_forms = HashSet::new();
    walk(
        document,
        &content,
        &fonts,
        &resources,
        0,
        &mut seen_forms,
        text,
    )
}

type Fonts<'a> = BTreeMap<Vec<u8>, Encoding<'a>>;

/// Each font's encoding; a font whose encoding cannot be had is left out (its text is
/// then skipped, not guessed).
fn encodings<'a>(document: &'a Document, fonts: BTreeMap<Vec<u8>, &'a Dictionary>) -> Fonts<'a> {
    fonts
        .into_iter()
        .filter_map(|(name, font)| {
            font.get_font_encoding_with_limit(document, MAX_DECOMPRESSED_BYTES)
                .ok()
                .map(|encoding| (name, encoding))
        })
        .collect()
}

/// The fonts of a form's own `/Resources`.
fn form_fonts<'a>(document: &'a Document, resources: &'a Dictionary) -> Fonts<'a> {
    let mut fonts = BTreeMap::new();
    if let Ok(Object::Dictionary(font_dict)) = resources.get_deref(b"Font", document) {
        for (name, value) in font_dict.iter() {
            if let Ok((_, Object::Dictionary(font))) = document.dereference(value) {
                fonts.insert(name.clone(), font);
            }
        }
    }
    encodings(document, fonts)
}

/// Interprets one content stream's text operators.
fn walk(
    document: &Document,
    content: &[u8],
    fonts: &Fonts<'_>,
    resources: &[&Dictionary],
    depth: usize,
    seen_forms: &mut HashSet<ObjectId>,
    text: &mut TextSink,
) -> lopdf::Result<()> {
    let mut encoding: Option<&Encoding<'_>> = None;
    let mut line_y: Option<f32> = None;
    for operation in Content::decode_iter(content) {
        if text.full() {
            break;
        }
        let Operation { operator, operands } = operation?;
        match operator.as_str() {
            "Tf" => {
                encoding = operands
                    .first()
                    .and_then(|name| name.as_name().ok())
                    .and_then(|name| fonts.get(name));
            }
            "Tj" | "'" | "\"" => {
                if operator != "Tj" {
                    text.line_break();
                }
                if let Some(Object::String(bytes, _)) = operands.last() {
                    show(encoding, bytes, text);
                }
            }
            "TJ" => {
                for element in operands
                    .first()
                    .and_then(|a| a.as_array().ok())
                    .into_iter()
                    .flatten()
                {
                    match element {
                        Object::String(bytes, _) => show(encoding, bytes, text),
                        number => {
                            if number.as_float().is_ok_and(|gap| -gap >= TJ_WORD_GAP) {
                                text.space();
                            }
                        }
                    }
                }
            }
            "Td" | "TD" => {
                let dy = operands
                    .get(1)
                    .and_then(|y| y.as_float().ok())
                    .unwrap_or(0.0);
                if dy.abs() > f32::EPSILON {
                    text.line_break();
                } else {
                    text.space();
                }
            }
            "Tm" => {
                let y = operands.get(5).and_then(|y| y.as_float().ok());
                if y.is_some() && line_y.is_some() && y != line_y {
                    text.line_break();
                } else {
                    text.space();
                }
                line_y = y;
            }
            "T*" | "ET" => text.line_break(),
            "Do" if depth < MAX_FORM_DEPTH => {
                if let Some(name) = operands.first().and_then(|n| n.as_name().ok()) {
                    form(document, name, resources, depth, seen_forms, text);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The text of the Form XObject `name` (images and unknown names are skipped).
fn form(
    document: &Document,
    name: &[u8],
    resources: &[&Dictionary],
    depth: usize,
    seen_forms: &mut HashSet<ObjectId>,
    text: &mut TextSink,
) {
    let Some(id) = resources.iter().find_map(|resources| {
        resources
            .get_deref(b"XObject", document)
            .and_then(Object::as_dict)
            .and_then(|xobjects| xobjects.get(name))
            .and_then(Object::as_reference)
            .ok()
    }) else {
        return;
    };
    if !seen_forms.insert(id) {
        return;
    }
    let Ok(stream) = document.get_object(id).and_then(Object::as_stream) else {
        return;
    };
    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
        return;
    }
    let Ok(content) = stream.decompressed_content_with_limit(MAX_DECOMPRESSED_BYTES) else {
        return;
    };
    // A form without `/Resources` uses its page's (allowed in old files).
    let own = stream
        .dict
        .get_deref(b"Resources", document)
        .and_then(Object::as_dict)
        .ok();
    let fonts = own.map(|own| form_fonts(document, own)).unwrap_or_default();
    let inner: Vec<&Dictionary> = own.into_iter().chain(resources.iter().copied()).collect();
    let _ = walk(
        document,
        &content,
        &fonts,
        &inner,
        depth + 1,
        seen_forms,
        text,
    );
    text.line_break();
}

fn show(encoding: Option<&Encoding<'_>>, bytes: &[u8], text: &mut TextSink) {
    if let Some(Ok(string)) = encoding.map(|encoding| encoding.bytes_to_string(bytes)) {
        text.push(&string);
    }
}

/// The Info dictionary's `/Title`, else the XMP `dc:title`; blank titles are none.
fn title(document: &Document) -> Option<String> {
    info_title(document)
        .or_else(|| xmp_title(document))
        .map(|title| collapse(&title))
        .filter(|title| !title.is_empty())
}

fn info_title(document: &Document) -> Option<String> {
    let (_, info) = document
        .dereference(document.trailer.get(b"Info").ok()?)
        .ok()?;
    let title = info.as_dict().ok()?.get_deref(b"Title", document).ok()?;
    lopdf::decode_text_string(title)
        .ok()
        .filter(|title| !title.trim().is_empty())
}

fn xmp_title(document: &Document) -> Option<String> {
    let metadata = document
        .catalog()
        .ok()?
        .get_deref(b"Metadata", document)
        .and_then(Object::as_stream)
        .ok()?;
    let xml = metadata
        .decompressed_content_with_limit(MAX_DECOMPRESSED_BYTES)
        .unwrap_or_else(|_| metadata.content.clone());
    dc_title(&xml)
}
