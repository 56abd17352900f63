//! Documents linked from a site (PDF, DOCX, ODT): their text and title, as evidence like
//! a page's body text and title. Reading is pure and synchronous ([`read`]); the crawl
//! reads through [`DocumentReader`], which runs the reader where a panic or a runaway
//! document cannot take the crawl down.
//!
//! # What is read
//!
//! - PDF, with lopdf 0.47 (parsing with cross-reference repair, object streams,
//!   FlateDecode and the other filters, fonts mapped to Unicode, decryption of files
//!   whose user password is empty, which any viewer opens without asking). A file that
//!   wants a password is [`Unreadable::Encrypted`]; pages without any text (scans) are
//!   [`Unreadable::NoText`]. The title is the Info `/Title`, else XMP `dc:title`.
//! - DOCX and ODT, with zip and quick-xml: the body's paragraphs, and the title of the
//!   document properties.
//!
//! Bounds: [`MAX_INPUT_BYTES`] in, [`MAX_TEXT_BYTES`] of text out, [`MAX_PAGES_READ`]
//! pages, [`MAX_DECOMPRESSED_BYTES`] inflated per PDF page or stream (lopdf's own
//! nesting-depth bound holds for objects and content).
//!
//! # Why a child process
//!
//! Parsers of these formats meet hostile and broken files: cycles in object graphs,
//! deflate bombs, nesting thousands deep, fonts that lie. The bounds above cover what
//! we know of, but a parser bug can still panic, loop or allocate without end. A thread
//! cannot be killed and a failed allocation aborts the whole process, so the crawl
//! reads each document in a child process: our own binary's hidden `read-document`
//! subcommand (bytes on stdin, one JSON object on stdout), with a wall-clock timeout
//! after which it is killed, and an address-space, CPU-time and core-file rlimit set
//! in the child before it starts. Whatever goes wrong becomes an [`Unreadable`] with
//! its reason, recorded like any other outcome. A child costs a few milliseconds to
//! start; bound how many run at once in the crawl (each may use up to its memory
//! limit).
//!
//! # Which program is run
//!
//! The program is `alliance-audit` itself, but "itself" is not always
//! [`std::env::current_exe`]: an integration test that calls the crawl in-process runs
//! inside the test harness, which has no `read-document` subcommand. So
//! [`DocumentReader`] holds an explicit [`Isolation`]:
//!
//! - [`DocumentReader::with_program`] names the binary: integration tests pass
//!   `env!("CARGO_BIN_EXE_alliance-audit")`.
//! - [`DocumentReader::default`] uses `current_exe()` when this process is the
//!   `alliance-audit` binary (its command line calls [`mark_binary_can_read_documents`]
//!   at start), and otherwise falls back to [`Isolation::Thread`]: the reader runs
//!   in-process on its own thread with `catch_unwind` and the same timeout. That
//!   catches panics and stops waiting for a runaway, but the runaway thread goes on
//!   until it ends and no memory limit applies: good enough for tests, not for crawling
//!   the web, which is why the binary never uses it.

mod isolation;
mod office;
mod pdf;
mod text;

use serde::{Deserialize, Serialize};

pub use isolation::{mark_binary_can_read_documents, serve_as_reader, DocumentReader, Isolation};

/// The largest document [`read`] accepts (the crawl's own fetch cap should be lower).
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;
/// The most text kept from one document; the rest is cut at a character boundary.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// The most pages read from one document (all are counted).
pub const MAX_PAGES_READ: usize = 2_000;
/// The most bytes lopdf may inflate for one page's content or one stream (fonts, forms,
/// metadata).
pub const MAX_DECOMPRESSED_BYTES: usize = 16 * 1024 * 1024;

/// A document's text, as evidence: `text` is read like a page's body text, `title`
/// like a page's title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentText {
    /// The document's own title (PDF Info `/Title`, else XMP `dc:title`), if it has one.
    pub title: Option<String>,
    /// The text of its pages in reading order as written, pages separated by a blank
    /// line, at most [`MAX_TEXT_BYTES`].
    pub text: String,
    /// How many pages the document has (not only those read).
    pub pages: usize,
}

/// The kinds of document we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    Pdf,
    /// Office Open XML word processing (Word 2007 and later).
    Docx,
    /// OpenDocument text (LibreOffice, OpenOffice).
    Odt,
}

impl DocumentKind {
    /// The name used on the `read-document` command line.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Docx => "docx",
            DocumentKind::Odt => "odt",
        }
    }
}

/// Why a document could not be read. Its `Display` is the reason recorded with the
/// outcome `unreadable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum Unreadable {
    /// Encrypted with a password we do not have. (A file whose user password is empty,
    /// which any viewer opens, is decrypted and read.)
    #[error("encrypted")]
    Encrypted,
    /// Pages with no text at all: scanned or image-only.
    #[error("no text layer (scanned or image-only)")]
    NoText,
    /// Larger than we read.
    #[error("too large: {bytes} bytes (limit {limit})")]
    TooLarge { bytes: usize, limit: usize },
    /// Not a document of the kind it claimed, or broken.
    #[error("malformed: {0}")]
    Malformed(String),
    /// The reader ran past its wall-clock time and was stopped.
    #[error("timed out after {seconds} s")]
    TimedOut { seconds: u64 },
    /// The reader panicked, ran out of memory or CPU, or died.
    #[error("crashed: {0}")]
    Crashed(String),
}

/// What a document is, from its Content-Type, else its first bytes, else the URL path's
/// extension. `None`: not a document we read.
pub fn kind_of(content_type: Option<&str>, url_path: &str, head: &[u8]) -> Option<DocumentKind> {
    if let Some(content_type) = content_type {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/pdf" | "application/x-pdf" | "application/acrobat" => {
                return Some(DocumentKind::Pdf)
            }
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                return Some(DocumentKind::Docx)
            }
            "application/vnd.oasis.opendocument.text" => return Some(DocumentKind::Odt),
            // Servers label documents as generic bytes or zip: the bytes and the name decide.
            ""
            | "application/octet-stream"
            | "binary/octet-stream"
            | "application/download"
            | "application/force-download"
            | "application/x-download"
            | "application/zip"
            | "application/x-zip-compressed" => {}
            _ => return None,
        }
    }
    // The header may follow a little junk (the PDF spec lets readers look in the first
    // kilobyte).
    let window = &head[..head.len().min(1024)];
    if window.windows(5).any(|w| w == b"%PDF-") {
        return Some(DocumentKind::Pdf);
    }
    // An ODT's first entry is its uncompressed `mimetype`; a DOCX names `word/` parts.
    if head.starts_with(b"PK\x03\x04") {
        if head.get(30..).is_some_and(|rest| {
            rest.starts_with(b"mimetypeapplication/vnd.oasis.opendocument.text")
        }) {
            return Some(DocumentKind::Odt);
        }
        if window.windows(5).any(|w| w == b"word/") {
            return Some(DocumentKind::Docx);
        }
    }
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    [
        (".pdf", DocumentKind::Pdf),
        (".docx", DocumentKind::Docx),
        (".odt", DocumentKind::Odt),
    ]
    .into_iter()
    .find_map(|(extension, kind)| last.ends_with(extension).then_some(kind))
}

/// Reads a document's title and text. Pure, but a parser bug may panic or run long on
/// hostile input: the crawl calls this only through [`DocumentReader`]; tests may call
/// it directly.
pub fn read(kind: DocumentKind, bytes: &[u8]) -> Result<DocumentText, Unreadable> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Unreadable::TooLarge {
            bytes: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    match kind {
        DocumentKind::Pdf => pdf::read(bytes),
        DocumentKind::Docx => office::read(office::Format::Docx, bytes),
        DocumentKind::Odt => office::read(office::Format::Odt, bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_comes_from_content_type_then_magic_then_extension() {
        let pdf = Some(DocumentKind::Pdf);
        assert_eq!(kind_of(Some("application/pdf"), "/a", b""), pdf);
        assert_eq!(kind_of(Some("Application/PDF; qs=1"), "/a", b""), pdf);
        assert_eq!(kind_of(Some("text/html"), "/a.pdf", b"%PDF-1.7"), None);
        assert_eq!(
            kind_of(Some("application/octet-stream"), "/a", b"%PDF-1.4\n"),
            pdf
        );
        assert_eq!(kind_of(None, "/a", b"\r\n%PDF-1.4\n"), pdf);
        assert_eq!(kind_of(None, "/Annual-Report.PDF?download=1", b"??"), pdf);
        assert_eq!(kind_of(None, "/report.pdf/view", b"<html>"), None);
        assert_eq!(kind_of(None, "/a.html", b"<html>"), None);
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(kind_of(Some(docx), "/a", b""), Some(DocumentKind::Docx));
        assert_eq!(
            kind_of(Some("application/vnd.oasis.opendocument.text"), "/a", b""),
            Some(DocumentKind::Odt)
        );
        assert_eq!(kind_of(None, "/Plan.DOCX", b""), Some(DocumentKind::Docx));
        assert_eq!(kind_of(None, "/plan.odt", b""), Some(DocumentKind::Odt));
        let mut odt = b"PK\x03\x04".to_vec();
        odt.resize(30, 0);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(
            kind_of(Some("application/zip"), "/x", &odt),
            Some(DocumentKind::Odt)
        );
        assert_eq!(
            kind_of(None, "/x", b"PK\x03\x04..word/document.xml"),
            Some(DocumentKind::Docx)
        );
        assert_eq!(kind_of(None, "/x.zip", b"PK\x03\x04..data/"), None);
    }

    #[test]
    fn too_large_input_is_refused_before_parsing() {
        let bytes = vec![b' '; MAX_INPUT_BYTES + 1];
        assert_eq!(
            read(DocumentKind::Pdf, &bytes),
            Err(Unreadable::TooLarge {
                bytes: MAX_INPUT_BYTES + 1,
                limit: MAX_INPUT_BYTES
            })
        );
    }

    #[test]
    fn reasons_read_as_documented() {
        assert_eq!(Unreadable::Encrypted.to_string(), "encrypted");
        assert_eq!(
            Unreadable::NoText.to_string(),
            "no text layer (scanned or image-only)"
        );
        assert_eq!(
            Unreadable::TimedOut { seconds: 10 }.to_string(),
            "timed out after 10 s"
        );
    }
}
