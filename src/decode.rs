//! Bytes to text, in the order browsers use: a byte-order mark, the HTTP
//! `Content-Type` charset, a `<meta>` prescan of the page's start, then detection.
//!
//! reqwest's `text()` only knows the HTTP header, and many alliance sites are old CMS
//! pages declared in `<meta>` as windows-1252 or ISO-8859-1, so we decode ourselves.
//!
//! A declared encoding is used as browsers use it (the WHATWG "decode"): a page
//! declared UTF-8 that holds a few invalid bytes is UTF-8 with U+FFFD at those bytes,
//! never re-guessed as a legacy encoding, which would turn every other non-ASCII
//! letter of a Polish or German page into mojibake (issue 9). One exception is kept:
//! a page declaring a legacy encoding whose bytes are valid UTF-8 with non-ASCII text
//! was re-saved as UTF-8 and kept its old `<meta>`; such bytes are, in practice,
//! never a legacy encoding by accident.

use std::borrow::Cow;

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

/// Decodes a page to text. Malformed sequences become U+FFFD; never fails. Text that
/// is already valid UTF-8 is borrowed, not copied.
pub fn decode<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding, Source) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, encoding, Source::Bom);
    }
    let declared = content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .map(|enc| (enc, Source::Header))
        .or_else(|| meta_charset(bytes).map(|enc| (enc, Source::Meta)));
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    let (encoding, source) = match declared {
        // A page re-saved as UTF-8 that kept its old legacy declaration: non-ASCII text
        // that is valid UTF-8 is, in practice, never a legacy encoding by accident.
        Some((enc, _)) if enc != UTF_8 && valid_utf8 && !bytes.is_ascii() => {
            (UTF_8, Source::Detected)
        }
        Some(found) => found,
        None => (detect(bytes), Source::Detected),
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text, encoding, source)
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
/// near the start of the page. A declared UTF-16 means UTF-8, and `x-user-defined`
/// means windows-1252, as the HTML standard says: the bytes we are reading are
/// ASCII-compatible.
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
                    } else if enc == encoding_rs::X_USER_DEFINED {
                        WINDOWS_1252
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

    /// Issue 9: a Polish page declared UTF-8 with two stray bytes (a windows-1250 "ł"
    /// pasted in) stays UTF-8; only those bytes become U+FFFD.
    #[test]
    fn declared_utf8_with_stray_bytes_stays_utf8() {
        let mut page =
            "<html><head><meta charset=\"utf-8\"><title>Współpraca bibliotek</title></head>\
            <body><h1>Biblioteki uniwersyteckie – Kraków, Łódź, Gdańsk</h1><p>Za"
                .as_bytes()
                .to_vec();
        page.push(0xB3); // "ł" in windows-1250, invalid in UTF-8
        page.extend_from_slice("ączniki i źródła</p><p>Stra".as_bytes());
        page.push(0xDF); // a lone lead byte
        page.extend_from_slice(b"e</p></body></html>");
        let (text, enc, source) = decode(&page, None);
        assert_eq!((enc, source), (UTF_8, Source::Meta));
        assert!(
            text.contains("<title>Współpraca bibliotek</title>"),
            "{text}"
        );
        assert!(text.contains("Kraków, Łódź, Gdańsk"));
        assert!(text.contains("Za\u{FFFD}ączniki i źródła"));
        assert!(text.contains("Stra\u{FFFD}e"));
        assert_eq!(text.matches('\u{FFFD}').count(), 2);
    }

    /// The same with the declaration in the HTTP header: a German page.
    #[test]
    fn header_declared_utf8_with_a_stray_byte_stays_utf8() {
        let mut page = "<h1>Universitätsbibliothek München – Öffnungszeiten</h1><p>Gr"
            .as_bytes()
            .to_vec();
        page.push(0xFC); // "ü" in windows-1252
        page.extend_from_slice("ße aus Köln</p>".as_bytes());
        let (text, enc, source) = decode(&page, Some("text/html; charset=UTF-8"));
        assert_eq!((enc, source), (UTF_8, Source::Header));
        assert!(text.contains("Universitätsbibliothek München – Öffnungszeiten"));
        assert!(text.contains("Gr\u{FFFD}ße aus Köln"));
    }

    #[test]
    fn utf16_with_a_bom_in_either_order() {
        let html = "<html><head><meta charset=utf-8><title>Bibliothèque Ελληνικά 图书馆</title>";
        for (bom, big_endian) in [(&[0xFF, 0xFE][..], false), (&[0xFE, 0xFF][..], true)] {
            let mut bytes = bom.to_vec();
            for unit in html.encode_utf16() {
                let pair = if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            let (text, enc, source) = decode(&bytes, Some("text/html; charset=iso-8859-1"));
            assert_eq!(source, Source::Bom);
            assert_eq!(
                enc,
                if big_endian {
                    encoding_rs::UTF_16BE
                } else {
                    encoding_rs::UTF_16LE
                }
            );
            assert!(text.contains("Bibliothèque Ελληνικά 图书馆"), "{text}");
        }
    }

    #[test]
    fn utf16_in_a_meta_means_utf8_and_x_user_defined_windows_1252() {
        let (text, enc, _) = decode("<meta charset=utf-16><p>Genève</p>".as_bytes(), None);
        assert_eq!(enc, UTF_8);
        assert!(text.contains("Genève"));
        let (text, enc, _) = decode(b"<meta charset=x-user-defined><p>Gen\xe8ve</p>", None);
        assert_eq!(enc, WINDOWS_1252);
        assert!(text.contains("Genève"));
    }

    /// Legacy CJK encodings declared in `<meta>`: Shift_JIS, EUC-KR, GBK, Big5.
    #[test]
    fn legacy_cjk_encodings_declared_in_meta() {
        let cases = [
            (
                "shift_jis",
                encoding_rs::SHIFT_JIS,
                "図書館の協力と大学連合",
            ),
            ("euc-kr", encoding_rs::EUC_KR, "도서관 협력 네트워크"),
            ("gbk", encoding_rs::GBK, "大学图书馆合作联盟"),
            ("big5", encoding_rs::BIG5, "大學圖書館合作聯盟"),
        ];
        for (label, encoding, heading) in cases {
            let page = format!("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={label}\"></head><body><h1>{heading}</h1>");
            let (bytes, _, unmappable) = encoding.encode(&page);
            assert!(!unmappable);
            let (text, enc, source) = decode(&bytes, None);
            assert_eq!((enc, source), (encoding, Source::Meta), "{label}");
            assert!(text.contains(heading), "{label}: {text}");
        }
    }

    /// Undeclared Shift_JIS and GBK are recognised by detection.
    #[test]
    fn undeclared_legacy_cjk_is_detected() {
        let cases = [
            (encoding_rs::SHIFT_JIS, "<html><body><h1>図書館の協力</h1><p>大学図書館は、資料の共有と相互貸借を通じて、研究と教育を支えています。国際的な大学連合でも、図書館の協力は重要な課題です。</p>"),
            (encoding_rs::GBK, "<html><body><h1>图书馆合作</h1><p>大学图书馆通过资源共享和馆际互借支持研究与教学。在国际大学联盟中，图书馆合作是一个重要的议题。</p>"),
        ];
        for (encoding, page) in cases {
            let (bytes, _, _) = encoding.encode(page);
            let (text, enc, source) = decode(&bytes, None);
            assert_eq!(source, Source::Detected);
            assert_eq!(enc, encoding);
            assert!(text.contains(
                page.split("<h1>")
                    .nth(1)
                    .unwrap()
                    .split("</h1>")
                    .next()
                    .unwrap()
            ));
        }
    }

    /// The prescan looks past a long `<script>` at the start (the standard's 1024
    /// bytes are too few for real pages), but not through the whole page.
    #[test]
    fn prescan_length() {
        let script = format!("<script>{}</script>", "var x = 1; ".repeat(200));
        assert!(script.len() > 1024 && script.len() < PRESCAN_BYTES - 100);
        let page =
            format!("<html><head>{script}<meta charset=windows-1252><title>Caf\u{e9}</title>");
        let (bytes, _, _) = WINDOWS_1252.encode(&page);
        let (text, enc, source) = decode(&bytes, None);
        assert_eq!((enc, source), (WINDOWS_1252, Source::Meta));
        assert!(text.contains("Café"));
        let late = format!(
            "<html><head>{}<meta charset=koi8-r><title>x</title>",
            " ".repeat(PRESCAN_BYTES)
        );
        let (_, enc, source) = decode(late.as_bytes(), None);
        assert_eq!((enc, source), (UTF_8, Source::Detected));
    }
}
