//! Documents read (issue 10, item 3): a PDF's text and title, and unreadable files
//! (encrypted, image-only, malformed, hostile) answered with a reason, never a panic or
//! a hang, in-process and through the `read-document` child the crawl runs.

mod isolation;
mod office_files;
mod pdf_text;

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

// --- Isolation: the child process the crawl runs -------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
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
