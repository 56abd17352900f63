//! DOCX and ODT bodies, and office files that cannot be read.

use super::*;

#[test]
fn kind_of_a_pdf_served_as_bytes() {
    let bytes = Pdf::new().page(&["x"]).build();
    assert_eq!(
        kind_of(Some("application/octet-stream"), "/download", &bytes[..64]),
        Some(DocumentKind::Pdf)
    );
}

#[test]
fn a_docx_body_is_read_with_its_title_and_page_count() {
    let body = [
        w_p("Library collaboration &amp; open science"),
        // Runs join without a space; a tab is one.
        "<w:p><w:r><w:t>Libr</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>arians</w:t></w:r><w:r><w:tab/><w:t>meet</w:t></w:r></w:p>".into(),
        "<w:p><w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t></w:r></w:p>".into(),
        "<w:p><w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del></w:p>".into(),
        "<w:tbl><w:tr><w:tc>".to_string() + &w_p("cell") + "</w:tc></w:tr></w:tbl>",
    ]
    .concat();
    let bytes = office::docx(&body, Some(" Strategy   2030 "), Some(7));
    let document = read(DocumentKind::Docx, &bytes).unwrap();
    assert_eq!(
        document.text,
        "Library collaboration & open science\nLibrarians meet\nLine one\nline two\ncell"
    );
    assert_eq!(document.title.as_deref(), Some("Strategy 2030"));
    assert_eq!(document.pages, 7);
    assert_eq!(kind_of(None, "/x", &bytes[..200]), Some(DocumentKind::Docx));
}

#[test]
fn an_odt_body_is_read_with_its_title_and_page_count() {
    let text = r#"<text:h text:outline-level="1">Library network</text:h><text:p>The <text:span>librarians</text:span><text:s/>of<text:tab/>ten universities<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>A note.</text:p></text:note-body></text:note>.</text:p><text:p/><text:p>Next<text:line-break/>line</text:p>"#;
    let bytes = office::odt(text, Some("Bibliothèques"), Some(3), "");
    let document = read(DocumentKind::Odt, &bytes).unwrap();
    assert_eq!(
        document.text,
        "Library network\nThe librarians of ten universities\nA note.\n.\nNext\nline"
    );
    assert_eq!(document.title.as_deref(), Some("Bibliothèques"));
    assert_eq!(document.pages, 3);
    assert_eq!(
        kind_of(None, "/download", &bytes[..100]),
        Some(DocumentKind::Odt)
    );
}

#[test]
fn unreadable_office_files_say_why() {
    let encrypted = office::odt(
        "<text:p>x</text:p>",
        None,
        None,
        r#"<manifest:encryption-data manifest:checksum-type="SHA1"/>"#,
    );
    assert_eq!(
        read(DocumentKind::Odt, &encrypted),
        Err(Unreadable::Encrypted)
    );
    let empty = office::docx("<w:p/>", Some("Only a title"), None);
    assert_eq!(read(DocumentKind::Docx, &empty), Err(Unreadable::NoText));
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    match read(DocumentKind::Docx, &ole) {
        Err(Unreadable::Malformed(reason)) => assert!(reason.contains("OLE"), "{reason}"),
        other => panic!("{other:?}"),
    }
    let no_body = office::archive(&[("word/styles.xml", b"<w:styles/>".as_slice())]);
    assert!(matches!(
        read(DocumentKind::Docx, &no_body),
        Err(Unreadable::Malformed(_))
    ));
    for garbage in [b"".as_slice(), b"PK\x03\x04 truncated", &[0x55; 2048]] {
        assert!(matches!(
            read(DocumentKind::Odt, garbage),
            Err(Unreadable::Malformed(_))
        ));
    }
    let broken_xml = office::docx("<w:p><w:t>unclosed</w:p>", None, None);
    assert!(matches!(
        read(DocumentKind::Docx, &broken_xml),
        Err(Unreadable::Malformed(_))
    ));
}

/// 40 MB of spaces deflated to a few kilobytes, as the document body.
#[test]
fn an_office_zip_bomb_is_refused_not_inflated() {
    let body = vec![b' '; 40 * 1024 * 1024];
    let bytes = office::archive(&[("word/document.xml", body.as_slice())]);
    assert!(bytes.len() < 200_000);
    match read(DocumentKind::Docx, &bytes) {
        Err(Unreadable::Malformed(reason)) => assert!(reason.contains("inflates past"), "{reason}"),
        other => panic!("{other:?}"),
    }
}
