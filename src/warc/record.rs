//! One WARC record: its named fields in a fixed order, its block, and the pieces every
//! record needs (a `urn:uuid` record id, a WARC date, SHA-1 digests in base32).

use sha1::{Digest, Sha1};

/// A record ready to be written: `WARC-Type` and the other named fields (the writer
/// adds `Content-Length`), then the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Named fields in the order written, `WARC-Type` first.
    pub fields: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Record {
    pub fn new(record_type: &str, id: &str, date: &str) -> Self {
        Record {
            fields: vec![
                ("WARC-Type".into(), record_type.into()),
                ("WARC-Record-ID".into(), id.into()),
                ("WARC-Date".into(), date.into()),
            ],
            block: Vec::new(),
        }
    }

    pub fn field(mut self, name: &str, value: impl Into<String>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// The first value of field `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The record as WARC/1.1 bytes: version line, fields, `Content-Length`, a blank
    /// line, the block, and the two CRLFs that end a record.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.block.len() + 512);
        out.extend_from_slice(b"WARC/1.1\r\n");
        for (name, value) in &self.fields {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", self.block.len()).as_bytes());
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }
}

/// A fresh record id, `<urn:uuid:…>` with a random (version 4) UUID.
pub fn record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

/// A WARC date (UTC, to the second) from an RFC 3339 UTC timestamp, or now.
pub fn warc_date(rfc3339: Option<&str>) -> String {
    let now;
    let text = match rfc3339 {
        Some(text) => text,
        None => {
            now = crate::report::utc_now();
            &now
        }
    };
    // 2024-05-01T10:20:30.123456Z -> 2024-05-01T10:20:30Z
    match (text.get(..19), text.ends_with('Z')) {
        (Some(seconds), true) => format!("{seconds}Z"),
        _ => text.to_string(),
    }
}

/// `sha1:` and the base32 of the SHA-1 of `bytes`, as WARC digests are written.
pub fn sha1_digest(bytes: &[u8]) -> String {
    format!("sha1:{}", base32(&Sha1::digest(bytes)))
}

/// RFC 4648 base32 (upper case, `=` padding), as WARC digests are written.
pub fn base32(bytes: &[u8]) -> String {
    data_encoding::BASE32.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ];
        for (input, want) in cases {
            assert_eq!(base32(input.as_bytes()), want, "{input:?}");
        }
    }

    #[test]
    fn sha1_digest_of_empty_is_the_well_known_one() {
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn record_ids_are_v4_uuids() {
        let id = record_id();
        assert_eq!(id.len(), "<urn:uuid:>".len() + 36);
        assert!(id.starts_with("<urn:uuid:") && id.ends_with('>'));
        assert_eq!(&id[24..25], "4");
        assert!("89ab".contains(&id[29..30]), "{id}");
        assert_ne!(id, record_id());
    }

    #[test]
    fn warc_dates_are_to_the_second() {
        assert_eq!(
            warc_date(Some("2024-05-01T10:20:30.123456Z")),
            "2024-05-01T10:20:30Z"
        );
        assert_eq!(
            warc_date(Some("2024-05-01T10:20:30Z")),
            "2024-05-01T10:20:30Z"
        );
    }
}
