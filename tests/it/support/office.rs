//! DOCX and ODT archives written at test time with the zip crate. Nothing is checked in.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A zip archive of (name, contents), deflated except `mimetype`, which ODT wants
/// first and stored.
pub fn archive(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, contents) in parts {
        let method = if *name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(contents).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A DOCX whose body is `body` (the XML inside `w:body`).
pub fn docx(body: &str, title: Option<&str>, pages: Option<usize>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">{}<dc:creator>Someone</dc:creator></cp:coreProperties>"#,
        title
            .map(|title| format!("<dc:title>{title}</dc:title>"))
            .unwrap_or_default()
    );
    let app = format!(
        "<Properties>{}</Properties>",
        pages
            .map(|pages| format!("<Pages>{pages}</Pages>"))
            .unwrap_or_default()
    );
    archive(&[
        ("[Content_Types].xml", b"<Types/>".as_slice()),
        ("word/document.xml", document.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
        ("docProps/app.xml", app.as_bytes()),
    ])
}

/// A DOCX paragraph of one run.
pub fn w_p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// An ODT whose body is `text` (the XML inside `office:text`).
pub fn odt(text: &str, title: Option<&str>, pages: Option<usize>, manifest_extra: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:font-face-decls>Liberation Serif</office:font-face-decls><office:body><office:text>{text}</office:text></office:body></office:document-content>"#
    );
    let meta = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>{}{}</office:meta></office:document-meta>"#,
        title
            .map(|title| format!("<dc:title>{title}</dc:title>"))
            .unwrap_or_default(),
        pages
            .map(|pages| format!(r#"<meta:document-statistic meta:page-count="{pages}"/>"#))
            .unwrap_or_default()
    );
    let manifest = format!(
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">{manifest_extra}</manifest:file-entry></manifest:manifest>"#
    );
    archive(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.text".as_slice(),
        ),
        ("content.xml", content.as_bytes()),
        ("meta.xml", meta.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}
