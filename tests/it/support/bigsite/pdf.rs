//! A tiny PDF writer: text pages in the standard Helvetica font, each page's content
//! stream plain or Flate-compressed, an Info dictionary with a title, and a correct
//! cross-reference table. Enough for a text extractor to read; nothing more.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;

/// How page content streams are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streams {
    Plain,
    /// `/Filter /FlateDecode`.
    Flate,
}

/// A PDF of `pages` (each a list of text lines, ASCII), titled `title`.
pub fn write_pdf(title: &str, pages: &[Vec<String>], streams: Streams) -> Vec<u8> {
    // Objects: 1 catalog, 2 pages tree, 3 font, 4 info, then per page: page, content.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let page_ids: Vec<usize> = (0..pages.len()).map(|i| 5 + 2 * i).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(
        format!(
            "<< /Title ({}) /Producer (alliance-audit test support) /CreationDate (D:20250301120000Z) >>",
            pdf_string(title)
        )
        .into_bytes(),
    );
    for (i, lines) in pages.iter().enumerate() {
        let content_id = page_ids[i] + 1;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
            )
            .into_bytes(),
        );
        let mut content = String::from("BT\n/F1 11 Tf\n14 TL\n56 780 Td\n");
        for line in lines {
            content.push_str(&format!("({}) Tj T*\n", pdf_string(line)));
        }
        content.push_str("ET\n");
        let (data, filter) = match streams {
            Streams::Plain => (content.into_bytes(), ""),
            Streams::Flate => {
                let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
                encoder.write_all(content.as_bytes()).expect("deflate");
                (encoder.finish().expect("deflate"), " /Filter /FlateDecode")
            }
        };
        let mut object = format!("<< /Length {}{filter} >>\nstream\n", data.len()).into_bytes();
        object.extend_from_slice(&data);
        object.extend_from_slice(b"\nendstream");
        objects.push(object);
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n", objects.len() + 1).as_bytes());
    out.extend_from_slice(b"0000000000 65535 f \n");
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A PDF literal string's inside: `(`, `)` and `\` escaped, non-ASCII replaced.
fn pdf_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_in_the_xref_point_at_objects() {
        for streams in [Streams::Plain, Streams::Flate] {
            let pdf = write_pdf("T", &[vec!["a (b)".into()], vec!["c".into()]], streams);
            let xref = pdf.windows(5).rposition(|w| w == b"xref\n").unwrap();
            let table = String::from_utf8(pdf[xref..].to_vec()).unwrap();
            for (i, line) in table.lines().skip(3).take(8).enumerate() {
                let offset: usize = line[..10].parse().unwrap();
                assert!(pdf[offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()));
            }
        }
    }
}
