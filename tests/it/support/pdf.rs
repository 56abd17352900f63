//! PDFs written at test time: well-formed ones through lopdf's writer ([`Pdf`]), and
//! hostile ones byte by byte ([`raw_pdf`]). Nothing is checked in.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use lopdf::content::{Content, Operation};
use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
use lopdf::{dictionary, Document, Object, Stream};

/// A PDF with Helvetica text pages (one `Tj` per line), optionally compressed,
/// titled or encrypted.
#[derive(Default)]
pub struct Pdf {
    pages: Vec<Vec<Operation>>,
    title: Option<String>,
    xmp_title: Option<String>,
    compressed: bool,
    user_password: Option<String>,
}

impl Pdf {
    pub fn new() -> Self {
        Pdf::default()
    }

    /// A page showing each line with `Tj`, one line below the other.
    pub fn page(mut self, lines: &[&str]) -> Self {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 720.into()]),
        ];
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                operations.push(Operation::new("Td", vec![0.into(), (-14).into()]));
            }
            operations.push(Operation::new("Tj", vec![win_ansi(line)]));
        }
        operations.push(Operation::new("ET", vec![]));
        self.pages.push(operations);
        self
    }

    /// A page of the given operations (font `F1` is Helvetica; image `Im1` a gray pixel).
    pub fn page_operations(mut self, operations: Vec<Operation>) -> Self {
        self.pages.push(operations);
        self
    }

    /// A page that only draws an image, as a scan does.
    pub fn image_page(self) -> Self {
        self.page_operations(vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![
                    500.into(),
                    0.into(),
                    0.into(),
                    700.into(),
                    50.into(),
                    50.into(),
                ],
            ),
            Operation::new("Do", vec!["Im1".into()]),
            Operation::new("Q", vec![]),
        ])
    }

    pub fn title(mut self, title: &str) -> Self {
        self.title = Some(title.into());
        self
    }

    pub fn xmp_title(mut self, title: &str) -> Self {
        self.xmp_title = Some(title.into());
        self
    }

    /// Content streams FlateDecode-compressed (else written as plain text).
    pub fn compressed(mut self) -> Self {
        self.compressed = true;
        self
    }

    /// Encrypted (RC4, 128 bits) with this user password; "" opens without asking.
    pub fn encrypted(mut self, user_password: &str) -> Self {
        self.user_password = Some(user_password.into());
        self
    }

    pub fn build(self) -> Vec<u8> {
        let mut document = Document::with_version("1.5");
        let pages_id = document.new_object_id();
        let font_id = document.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let image_id = document.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            vec![0x80],
        ));
        let resources_id = document.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
            "XObject" => dictionary! { "Im1" => image_id },
        });
        let mut kids = Vec::new();
        for operations in &self.pages {
            let content = Content {
                operations: operations.clone(),
            };
            let mut data = content.encode().unwrap();
            let mut dict = dictionary! {};
            if self.compressed {
                // Always, even where deflating does not pay (lopdf's `compress` then skips).
                let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
                encoder.write_all(&data).unwrap();
                data = encoder.finish().unwrap();
                dict.set("Filter", "FlateDecode");
            }
            let stream = Stream::new(dict, data);
            let content_id = document.add_object(stream);
            let page_id = document.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            });
            kids.push(page_id.into());
        }
        let count = kids.len() as i64;
        document.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources_id,
            }),
        );
        let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
        if let Some(title) = &self.xmp_title {
            let xmp = format!(
                r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
            );
            let metadata = document.add_object(Stream::new(
                dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
                xmp.into_bytes(),
            ));
            catalog.set("Metadata", metadata);
        }
        let catalog_id = document.add_object(catalog);
        document.trailer.set("Root", catalog_id);
        if let Some(title) = &self.title {
            let info_id = document.add_object(dictionary! { "Title" => lopdf::text_string(title) });
            document.trailer.set("Info", info_id);
        }
        if let Some(user_password) = &self.user_password {
            document.trailer.set(
                "ID",
                vec![
                    Object::string_literal("0123456789abcdef"),
                    Object::string_literal("0123456789abcdef"),
                ],
            );
            let state = EncryptionState::try_from(EncryptionVersion::V2 {
                document: &document,
                owner_password: "owner secret",
                user_password,
                key_length: 128,
                permissions: Permissions::all(),
            })
            .unwrap();
            document.encrypt(&state).unwrap();
        }
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).unwrap();
        bytes
    }
}

/// A string in the font's WinAnsiEncoding (Latin-1 for the letters the tests use).
pub fn win_ansi(text: &str) -> Object {
    let bytes: Vec<u8> = text
        .chars()
        .map(|character| u8::try_from(u32::from(character)).unwrap_or(b'?'))
        .collect();
    Object::string_literal(bytes)
}

/// A PDF written byte by byte from numbered object bodies (object 1 first) and a trailer
/// dictionary's entries, with a correct cross-reference table: for files no writer
/// would produce.
pub fn raw_pdf(objects: &[Vec<u8>], trailer: &str) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(bytes.len());
        bytes.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        bytes.extend_from_slice(body);
        bytes.extend_from_slice(b"\nendobj\n");
    }
    let xref = bytes.len();
    bytes.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        bytes.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    bytes.extend_from_slice(
        format!(
            "trailer\n<< /Size {} {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    bytes
}

/// A stream object's body: `dictionary` entries, then `/Length` and the data.
pub fn stream_object(dictionary: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!("<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    body
}
