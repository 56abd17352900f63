//! Reading in a child process: timeouts, crashes, and the `read-document` command.

use super::*;

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
