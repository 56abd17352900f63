//! PDF text: streams, titles, pages, and files that are hostile or broken.

use super::*;

#[test]
fn an_uncompressed_content_stream_is_read() {
    let bytes = Pdf::new()
        .page(&[
            "The Library Network met in Leiden.",
            "Librarians of ten universities.",
        ])
        .build();
    assert!(
        contains(&bytes, b"(The Library Network met in Leiden.) Tj"),
        "written as plain text"
    );
    assert!(!contains(&bytes, b"FlateDecode"));
    let document = read_pdf(&bytes).unwrap();
    assert_eq!(
        document.text,
        "The Library Network met in Leiden.\nLibrarians of ten universities."
    );
    assert_eq!(document.pages, 1);
    assert_eq!(document.title, None);
}

#[test]
fn a_flate_compressed_content_stream_is_read() {
    let bytes = Pdf::new()
        .page(&["Strategy 2030: library collaboration across the alliance."])
        .compressed()
        .build();
    assert!(contains(&bytes, b"/FlateDecode"));
    assert!(
        !contains(&bytes, b"library collaboration"),
        "the text is compressed"
    );
    let document = read_pdf(&bytes).unwrap();
    assert_eq!(
        document.text,
        "Strategy 2030: library collaboration across the alliance."
    );
}

#[test]
fn the_info_title_is_the_document_title() {
    let bytes = Pdf::new()
        .page(&["Body"])
        .title("  Annual Report 2024 \u{2014} Bibliothèques  ")
        .build();
    assert_eq!(
        read_pdf(&bytes).unwrap().title.as_deref(),
        Some("Annual Report 2024 \u{2014} Bibliothèques")
    );
}

#[test]
fn the_xmp_title_counts_when_info_has_none_and_info_wins_over_it() {
    let xmp_only = Pdf::new()
        .page(&["Body"])
        .xmp_title("Libraries &amp; Archives")
        .build();
    assert_eq!(
        read_pdf(&xmp_only).unwrap().title.as_deref(),
        Some("Libraries & Archives")
    );
    let both = Pdf::new()
        .page(&["Body"])
        .title("Info title")
        .xmp_title("XMP title")
        .build();
    assert_eq!(
        read_pdf(&both).unwrap().title.as_deref(),
        Some("Info title")
    );
    let blank = Pdf::new().page(&["Body"]).title("   ").build();
    assert_eq!(read_pdf(&blank).unwrap().title, None);
}

#[test]
fn pages_are_read_in_order_and_counted() {
    let bytes = Pdf::new()
        .page(&["First page."])
        .page(&["Second page: the library working group."])
        .page(&["Third page."])
        .compressed()
        .build();
    let document = read_pdf(&bytes).unwrap();
    assert_eq!(document.pages, 3);
    assert_eq!(
        document.text,
        "First page.\n\nSecond page: the library working group.\n\nThird page."
    );
}

#[test]
fn words_placed_by_moves_and_tj_gaps_stay_apart() {
    let ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("Tj", vec![Object::string_literal("University")]),
        Operation::new("Td", vec![62.into(), 0.into()]),
        Operation::new("Tj", vec![Object::string_literal("libraries")]),
        Operation::new("Td", vec![(-62).into(), (-14).into()]),
        Operation::new(
            "TJ",
            vec![Object::Array(vec![
                Object::string_literal("Library"),
                (-250).into(),
                Object::string_literal("network"),
                (-250).into(),
                Object::string_literal("coll"),
                (-15).into(),
                Object::string_literal("aboration"),
            ])],
        ),
        Operation::new("ET", vec![]),
    ];
    let bytes = Pdf::new().page_operations(ops).build();
    assert_eq!(
        read_pdf(&bytes).unwrap().text,
        "University libraries\nLibrary network collaboration"
    );
}

#[test]
fn a_file_that_wants_a_password_is_encrypted() {
    let bytes = Pdf::new()
        .page(&["Confidential library agreement."])
        .encrypted("secret")
        .build();
    assert!(contains(&bytes, b"/Encrypt"));
    assert!(!contains(&bytes, b"library agreement"));
    assert_eq!(read_pdf(&bytes), Err(Unreadable::Encrypted));
}

#[test]
fn a_file_encrypted_with_an_empty_user_password_is_read_as_any_viewer_would() {
    let bytes = Pdf::new()
        .page(&["Open library agreement."])
        .encrypted("")
        .build();
    assert!(contains(&bytes, b"/Encrypt"));
    assert!(!contains(&bytes, b"library agreement"));
    assert_eq!(read_pdf(&bytes).unwrap().text, "Open library agreement.");
}

#[test]
fn an_image_only_file_has_no_text_layer() {
    let bytes = Pdf::new().image_page().image_page().compressed().build();
    assert_eq!(read_pdf(&bytes), Err(Unreadable::NoText));
    assert_eq!(
        read_pdf(&bytes).unwrap_err().to_string(),
        "no text layer (scanned or image-only)"
    );
}

#[test]
fn garbage_and_non_pdfs_are_malformed() {
    for bytes in [
        b"".as_slice(),
        b"<html><body>Not found</body></html>",
        b"%PDF-1.7\n\x00\xff garbage \x01\x02",
        &[0xAB; 4096],
    ] {
        assert!(
            matches!(read_pdf(bytes), Err(Unreadable::Malformed(_))),
            "{:?}",
            read_pdf(bytes)
        );
    }
}

#[test]
fn a_truncated_file_never_panics() {
    let bytes = Pdf::new()
        .page(&["One library page."])
        .page(&["Another library page."])
        .title("Truncated")
        .compressed()
        .build();
    for eighth in 1..8 {
        let cut = &bytes[..bytes.len() * eighth / 8];
        match read_pdf(cut) {
            Ok(document) => assert!(document.text.contains("library page")),
            Err(Unreadable::Malformed(_) | Unreadable::NoText) => {}
            Err(other) => panic!("cut at {eighth}/8: {other:?}"),
        }
    }
}

/// Text drawn by a Form XObject (as some generators place every paragraph), and a form
/// that draws itself, which must not recurse without end.
#[test]
fn text_in_forms_is_read_and_a_form_drawing_itself_ends() {
    let bytes = raw_pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /Fm1 5 0 R /Im1 7 0 R >> >> >>".to_vec(),
            stream_object("", b"/Im1 Do /Fm1 Do"),
            stream_object(
                "/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 6 0 R >> /XObject << /Fm1 5 0 R >> >>",
                b"BT /F1 12 Tf (Library in a form) Tj ET /Fm1 Do",
            ),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
            stream_object("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", &[0]),
        ],
        "/Root 1 0 R",
    );
    assert_eq!(read_pdf(&bytes).unwrap().text, "Library in a form");
}

/// One page whose `/Count` claims two billion pages.
#[test]
fn a_lying_page_count_is_not_believed() {
    let content = stream_object("", b"BT /F1 12 Tf 72 720 Td (Library) Tj ET");
    let bytes = raw_pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
            content,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ],
        "/Root 1 0 R",
    );
    let document = read_pdf(&bytes).unwrap();
    assert_eq!((document.pages, document.text.as_str()), (1, "Library"));
}

#[test]
fn a_page_tree_that_loops_ends() {
    let bytes = raw_pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>".to_vec(),
        ],
        "/Root 1 0 R",
    );
    assert!(matches!(read_pdf(&bytes), Err(Unreadable::Malformed(_))));
}

/// Nesting 100,000 deep, in an object and in a content stream, on a test thread's
/// small stack: a recursive parser without a depth bound would overflow it.
#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let content = stream_object(
        "",
        format!("BT /F1 12 Tf (Library) Tj {nested} TJ ET").as_bytes(),
    );
    let bytes = raw_pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!("<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Deep {nested} /Resources << /Font << /F1 5 0 R >> >> >>").into_bytes(),
            content,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ],
        "/Root 1 0 R",
    );
    // Either answer will do; the point is that there is one.
    let _ = read_pdf(&bytes);
}

/// 20 MB of spaces deflated to a few kilobytes: more than a page may inflate to.
#[test]
fn a_deflate_bomb_is_refused_not_inflated() {
    let ops = vec![Operation::new("BT", vec![]), Operation::new("ET", vec![])];
    let mut content = lopdf::content::Content { operations: ops }
        .encode()
        .unwrap();
    content.resize(20 * 1024 * 1024, b' ');
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&content).unwrap();
    let deflated = encoder.finish().unwrap();
    assert!(deflated.len() < 200_000);
    let bytes = raw_pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_vec(),
            stream_object("/Filter /FlateDecode", &deflated),
        ],
        "/Root 1 0 R",
    );
    match read_pdf(&bytes) {
        Err(Unreadable::Malformed(reason)) => assert!(reason.contains("limit"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_is_cut_at_the_cap_on_a_character_boundary() {
    let line = "Bibliothèques universitaires en réseau. ".repeat(50);
    let lines: Vec<&str> = std::iter::repeat_n(line.as_str(), 40).collect();
    let mut pdf = Pdf::new().compressed();
    for _ in 0..15 {
        pdf = pdf.page(&lines);
    }
    // Helvetica's WinAnsi bytes: è and é are one byte each in the file, two in UTF-8.
    let document = read_pdf(&pdf.build()).unwrap();
    assert_eq!(document.pages, 15);
    assert!(document.text.len() <= MAX_TEXT_BYTES);
    assert!(document.text.len() > MAX_TEXT_BYTES - 100);
    assert!(document.text.starts_with("Bibliothèques universitaires"));
}
