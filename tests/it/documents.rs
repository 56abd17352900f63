//! Documents read (issue 10, item 3): a PDF's text and title, and unreadable files
//! (encrypted, image-only, malformed, hostile) answered with a reason, never a panic or
//! a hang, in-process and through the `read-document` child the crawl runs.

use crate::support::office;
use crate::support::pdf;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use alliance_audit::document::{
    kind_of, read, DocumentKind, DocumentReader, Isolation, Unreadable, MAX_TEXT_BYTES,
};
use lopdf::content::Operation;
use lopdf::Object;
use office::w_p;
use pdf::{raw_pdf, stream_object, Pdf};

const BIN: &str = env!("CARGO_BIN_EXE_alliance-audit");

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn read_pdf(bytes: &[u8]) -> Result<alliance_audit::document::DocumentText, Unreadable> {
    read(DocumentKind::Pdf, bytes)
}

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

#[test]
fn kind_of_a_pdf_served_as_bytes() {
    let bytes = Pdf::new().page(&["x"]).build();
    assert_eq!(
        kind_of(Some("application/octet-stream"), "/download", &bytes[..64]),
        Some(DocumentKind::Pdf)
    );
}

// --- DOCX and ODT -------------------------------------------------------------------

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

// --- Isolation: the child process the crawl runs -------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_child_reads_what_the_library_reads() {
    let reader = DocumentReader::with_program(BIN);
    for bytes in [
        Pdf::new()
            .page(&["Library collaboration."])
            .title("Report")
            .compressed()
            .build(),
        Pdf::new().page(&["Secret."]).encrypted("pw").build(),
        Pdf::new().image_page().build(),
        b"not a pdf".to_vec(),
    ] {
        let expected = read_pdf(&bytes);
        let got = runtime().block_on(reader.read(DocumentKind::Pdf, bytes));
        assert_eq!(got, expected);
    }
    let docx = office::docx(&w_p("Library."), Some("T"), None);
    let odt = office::odt("<text:p>Library.</text:p>", None, None, "");
    for (kind, bytes) in [(DocumentKind::Docx, docx), (DocumentKind::Odt, odt)] {
        let expected = read(kind, &bytes);
        assert!(expected.is_ok());
        assert_eq!(runtime().block_on(reader.read(kind, bytes)), expected);
    }
}

#[test]
fn the_child_out_of_memory_is_a_crash_not_ours() {
    // 24 MB of uncompressed text on one page: the child holds the file, lopdf's copy of
    // the stream and the decoded content, well over a 64 MiB address space, which
    // still lets the (debug, 35 MB of code) binary start and read a small file.
    let line = "library ".repeat(1000);
    let lines: Vec<&str> = std::iter::repeat_n(line.as_str(), 3000).collect();
    let bytes = Pdf::new().page(&lines).build();
    assert!(bytes.len() > 20_000_000);
    let reader = DocumentReader {
        memory_limit: 64 * 1024 * 1024,
        ..DocumentReader::with_program(BIN)
    };
    match runtime().block_on(reader.read(DocumentKind::Pdf, bytes)) {
        Err(Unreadable::Crashed(reason)) => assert!(reason.contains("out of memory"), "{reason}"),
        other => panic!("{other:?}"),
    }
    // The same limit reads an ordinary document: the cap is not what failed above.
    let small = Pdf::new().page(&["Library."]).compressed().build();
    let document = runtime()
        .block_on(reader.read(DocumentKind::Pdf, small))
        .unwrap();
    assert_eq!(document.text, "Library.");
}

/// A stand-in for the binary: a shell script, to make the child misbehave in ways a
/// real PDF cannot be relied on to.
fn fake_reader(dir: &std::path::Path, script: &str) -> DocumentReader {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("fake-reader");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    DocumentReader::with_program(path)
}

#[test]
fn a_child_that_hangs_is_killed_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let reader = DocumentReader {
        timeout: Duration::from_millis(500),
        ..fake_reader(
            dir.path(),
            &format!("echo $$ > {}\nexec sleep 60", pid_file.display()),
        )
    };
    let started = Instant::now();
    let result = runtime().block_on(reader.read(DocumentKind::Pdf, b"%PDF-1.4".to_vec()));
    assert_eq!(result, Err(Unreadable::TimedOut { seconds: 1 }));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "did not wait for the sleep"
    );
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let alive = std::path::Path::new(&format!("/proc/{}", pid.trim())).exists();
    assert!(!alive, "the child was killed and reaped");
}

#[test]
fn a_child_that_panics_or_dies_gives_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "cat >/dev/null\necho \"thread 'main' panicked at src/document/pdf.rs:1:1:\" >&2\necho 'attempt to subtract with overflow' >&2\nexit 101",
            "panic: attempt to subtract with overflow",
        ),
        ("cat >/dev/null\nkill -SEGV $$", "segmentation fault (SIGSEGV)"),
        ("cat >/dev/null\necho '{\"half\": ' \nexit 0", "exit status 0, no answer"),
        ("exit 3", "exit status 3, no answer"),
    ];
    for (script, reason) in cases {
        let reader = fake_reader(dir.path(), script);
        let result = runtime().block_on(reader.read(DocumentKind::Pdf, vec![b'x'; 1 << 20]));
        assert_eq!(result, Err(Unreadable::Crashed(reason.into())), "{script}");
    }
}

#[test]
fn a_missing_program_is_a_reason_too() {
    let reader = DocumentReader::with_program("/nonexistent/alliance-audit");
    match runtime().block_on(reader.read(DocumentKind::Pdf, b"%PDF-".to_vec())) {
        Err(Unreadable::Crashed(reason)) => {
            assert!(reason.starts_with("could not start"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn in_a_test_harness_the_default_reads_on_a_thread() {
    let reader = DocumentReader::default();
    assert_eq!(reader.isolation, Isolation::Thread);
    let bytes = Pdf::new().page(&["Library."]).build();
    let document = runtime()
        .block_on(reader.read(DocumentKind::Pdf, bytes))
        .unwrap();
    assert_eq!(document.text, "Library.");
}

// --- The hidden subcommand -------------------------------------------------------------

fn read_document_cli(bytes: &[u8]) -> (Option<i32>, serde_json::Value) {
    let mut child = Command::new(BIN)
        .arg("read-document")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        serde_json::from_slice(&output.stdout).unwrap(),
    )
}

#[test]
fn read_document_prints_title_text_and_pages() {
    let bytes = Pdf::new()
        .page(&["Library network."])
        .page(&["Two."])
        .title("Plan")
        .build();
    let (code, json) = read_document_cli(&bytes);
    assert_eq!(code, Some(0));
    assert_eq!(
        json,
        serde_json::json!({"title": "Plan", "text": "Library network.\n\nTwo.", "pages": 2})
    );
    let (code, json) = read_document_cli(b"%PDF-1.4 nothing");
    assert_eq!(code, Some(1));
    assert_eq!(json["unreadable"]["kind"], "malformed");
}

#[test]
fn read_document_is_hidden_from_help() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("extract"));
    assert!(!help.contains("read-document"));
}
