//! Bytes to text, in the order browsers use: a byte-order mark, the HTTP
//! `Content-Type` charset, a `<meta>` prescan of the page's start, then detection.
//!
//! reqwest's `text()` only knows the HTTP header, and many alliance sites are old CMS
//! pages declared in `<meta>` as windows-1252 or ISO-8859-1, so we decode ourselves.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into the document we look for `<meta charset>`. The HTML standard says
/// 1024 bytes; real pages put long `<script>`s first, so we look further.
const PRESCAN_BYTES: usize = 4096;

/// Where the chosen encoding came from, for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bom,
    Header,
    Meta,
    Detected,
}

/// Decodes a page to text. Malformed sequences become U+FFFD; never fails.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding, Source) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), encoding, Source::Bom);
    }
    let declared = content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .map(|enc| (enc, Source::Header))
        .or_else(|| meta_charset(bytes).map(|enc| (enc, Source::Meta)));
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    let (encoding, source) = match declared {
        // A page that claims UTF-8 in <meta> but is not (an old page pasted into a new
        // template) reads better through detection than as a field of U+FFFD.
        Some((enc, Source::Meta)) if enc == UTF_8 && !valid_utf8 => {
            (detect(bytes), Source::Detected)
        }
        // A page re-saved as UTF-8 that kept its old legacy declaration: non-ASCII text
        // that is valid UTF-8 is, in practice, never a legacy encoding by accident.
        Some((enc, _)) if enc != UTF_8 && valid_utf8 && !bytes.is_ascii() => {
            (UTF_8, Source::Detected)
        }
        Some(found) => found,
        None => (detect(bytes), Source::Detected),
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), encoding, source)
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // A UTF-16 guess can only come from a BOM, which we handled.
    if guess == encoding_rs::UTF_16LE || guess == encoding_rs::UTF_16BE {
        WINDOWS_1252
    } else {
        guess
    }
}

/// The `charset` parameter of a `Content-Type` value.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// The encoding declared by `<meta charset>` or `<meta http-equiv="Content-Type">`
/// near the start of the page. A declared UTF-16 means UTF-8, as the HTML standard says:
/// the bytes we are reading are ASCII-compatible.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut pos = 0;
    while let Some(start) = find(&lower[pos..], b"<meta").map(|i| i + pos) {
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |i| start + i);
        let tag = String::from_utf8_lossy(&lower[start + 5..end]);
        if let Some(label) = charset_in_meta(&tag) {
            if let Some(enc) = Encoding::for_label(label.as_bytes()) {
                return Some(
                    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        UTF_8
                    } else {
                        enc
                    },
                );
            }
        }
        pos = end;
    }
    None
}

/// The charset of one lowercased `<meta ...>` tag body, if it declares one.
fn charset_in_meta(tag: &str) -> Option<String> {
    if let Some(i) = tag.find("charset") {
        let rest = tag[i + "charset".len()..].trim_start();
        if let Some(rest) = rest.strip_prefix('=') {
            let rest = rest.trim_start().trim_start_matches(['"', '\'']);
            let label: String = rest
                .chars()
                .take_while(|c| {
                    !matches!(c, '"' | '\'' | ';' | ' ' | '/' | '>') && !c.is_whitespace()
                })
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_meta() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=windows-1252><p>é</p>".as_bytes());
        let (text, enc, source) = decode(&bytes, None);
        assert_eq!((enc, source), (UTF_8, Source::Bom));
        assert!(text.contains("<p>é</p>"));
    }

    #[test]
    fn header_wins_over_meta() {
        let bytes = b"<meta charset=utf-8><p>\xe9</p>";
        let (text, enc, _) = decode(bytes, Some("text/html; charset=ISO-8859-1"));
        assert_eq!(enc, WINDOWS_1252);
        assert!(text.contains("<p>é</p>"));
    }

    #[test]
    fn meta_charset_and_http_equiv() {
        let (text, enc, source) = decode(b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 \x93quoted\x94 \x80</title>", None);
        assert_eq!((enc, source), (WINDOWS_1252, Source::Meta));
        assert!(text.contains("Café “quoted” €"));
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>M\xfcnchen</p>";
        let (text, enc, source) = decode(page, None);
        assert_eq!((enc, source), (WINDOWS_1252, Source::Meta));
        assert!(text.contains("München"));
    }

    #[test]
    fn undeclared_legacy_bytes_are_detected() {
        let page =
            "<p>Les bibliothèques européennes coopèrent étroitement, à Genève comme à Zürich.</p>";
        let (bytes, _, _) = WINDOWS_1252.encode(page);
        let (text, _, source) = decode(&bytes, None);
        assert_eq!(source, Source::Detected);
        assert!(text.contains("bibliothèques"), "{text}");
    }

    #[test]
    fn utf8_bytes_under_a_stale_legacy_declaration_stay_utf8() {
        let page = "<meta charset=gbk><h1>新华网 Bibliothèque</h1>";
        let (text, enc, _) = decode(page.as_bytes(), None);
        assert_eq!(enc, UTF_8);
        assert!(text.contains("新华网 Bibliothèque"));
    }

    #[test]
    fn false_utf8_claim_falls_back_to_detection() {
        let page = "<meta charset=utf-8><p>Université de Genève, bibliothèque numérique</p>";
        let (bytes, _, _) = WINDOWS_1252.encode(page);
        let (text, _, source) = decode(&bytes, None);
        assert_eq!(source, Source::Detected);
        assert!(text.contains("Genève"), "{text}");
    }
}
