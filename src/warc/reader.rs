//! Reading a WARC file back: gzip members (or a plain `.warc`), the records in them,
//! and an index of `response` records by target URI that answers a replayed crawl.
//!
//! The archive is held in memory as it is on disk (compressed), with each response's
//! place; a record is inflated and parsed when asked for, so replaying a crawl costs
//! about the archive's size in memory, not its inflated size.
//!
//! Synchronous: each answer carries its place in the order the responses were
//! recorded, and the crawl's replay transport (`crawl::fetch::replay`) hands answers
//! out in that order, so a replay races as the crawl did.

use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::Mutex;

use flate2::bufread::GzDecoder;
use url::Url;

use super::ArchivedRun;
use crate::record::{ExchangeSource, RecordedAnswer, RecordedResponse};

/// What makes a file unreadable as WARC.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("not a WARC file: {0}")]
    Format(String),
}

/// One record as read: its named fields and its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    pub fields: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// The first value of field `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn record_type(&self) -> &str {
        self.get("WARC-Type").unwrap_or_default()
    }

    /// The HTTP response in a `response` record's block.
    pub fn http_response(&self) -> Option<RecordedResponse> {
        let (head, body) = split_head(&self.block)?;
        let head = String::from_utf8_lossy(head);
        let mut lines = head.lines();
        let status_line = lines.next()?;
        let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
        let headers = lines
            .filter_map(|line| {
                let (name, value) = line.split_once(':')?;
                Some((name.trim().to_string(), value.trim().to_string()))
            })
            .collect();
        Some(RecordedResponse {
            status,
            headers,
            body: body.to_vec(),
            truncated: self.get("WARC-Truncated").is_some(),
        })
    }
}

/// The head (up to the blank line) and the rest.
fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
        return Some((&bytes[..at], &bytes[at + 4..]));
    }
    let at = bytes.windows(2).position(|w| w == b"\n\n")?;
    Some((&bytes[..at], &bytes[at + 2..]))
}

/// Parses the record starting at `at` in inflated WARC bytes; returns it and where
/// the next one starts.
fn parse_record(bytes: &[u8], at: usize) -> Result<(WarcRecord, usize), WarcError> {
    let rest = &bytes[at..];
    let (head, _) =
        split_head(rest).ok_or_else(|| WarcError::Format("a record without a header".into()))?;
    let head_len = head.len()
        + if rest[head.len()..].starts_with(b"\r\n\r\n") {
            4
        } else {
            2
        };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let version = lines.next().unwrap_or_default();
    if !version.starts_with("WARC/") {
        return Err(WarcError::Format(format!(
            "a record starts with {version:?}, not WARC/1.x"
        )));
    }
    let fields: Vec<(String, String)> = lines
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_string(), value.trim().to_string()))
        })
        .collect();
    let length: usize = fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, value)| value.parse().ok())
        .ok_or_else(|| WarcError::Format("a record without Content-Length".into()))?;
    let start = at + head_len;
    let end = start
        .checked_add(length)
        .filter(|end| *end <= bytes.len())
        .ok_or_else(|| WarcError::Format("a record cut short".into()))?;
    let mut next = end;
    while next < bytes.len() && matches!(bytes[next], b'\r' | b'\n') {
        next += 1;
    }
    let record = WarcRecord {
        fields,
        block: bytes[start..end].to_vec(),
    };
    Ok((record, next))
}

/// Every record of inflated WARC bytes, with where each starts.
fn parse_all(bytes: &[u8]) -> Result<Vec<(usize, WarcRecord)>, WarcError> {
    let mut records = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (record, next) = parse_record(bytes, at)?;
        records.push((at, record));
        at = next;
    }
    Ok(records)
}

/// Inflates the gzip member starting at `at`: its bytes and where it ends.
fn inflate_member(data: &[u8], at: usize) -> Result<(Vec<u8>, usize), WarcError> {
    let mut decoder = GzDecoder::new(&data[at..]);
    let mut out = Vec::new();
    decoder
        .read_to_end(&mut out)
        .map_err(|e| WarcError::Format(format!("gzip member at byte {at}: {e}")))?;
    let left = decoder.into_inner().len();
    Ok((out, data.len() - left))
}

/// Where a record lives in the file.
#[derive(Debug, Clone)]
struct Place {
    /// The response's rank among the archive's responses.
    sequence: usize,
    /// The gzip member holding it (or, in a plain `.warc`, the record's own bytes).
    bytes: Range<usize>,
    gzipped: bool,
    /// Where the record starts in the inflated member.
    offset: usize,
}

/// A WARC file indexed for replay: its run description and its responses by URL.
pub struct Archive {
    data: Vec<u8>,
    run: Option<ArchivedRun>,
    responses: HashMap<String, Vec<Place>>,
    /// How many answers each URL has had (retries get the next recorded response).
    asked: Mutex<HashMap<String, usize>>,
    records: usize,
}

impl Archive {
    /// Reads and indexes `path` (`.warc.gz`, one record per member as written by
    /// `crawl --warc` and most tools, several per member also read; or plain `.warc`).
    /// A last member cut short (a crawl killed mid-write) is ignored.
    pub fn open(path: &Path) -> Result<Archive, WarcError> {
        let data = std::fs::read(path).map_err(|source| WarcError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Archive::from_bytes(data)
    }

    pub fn from_bytes(data: Vec<u8>) -> Result<Archive, WarcError> {
        let mut archive = Archive {
            data: Vec::new(),
            run: None,
            responses: HashMap::new(),
            asked: Mutex::new(HashMap::new()),
            records: 0,
        };
        let mut places = Vec::new();
        if data.starts_with(&[0x1f, 0x8b]) {
            let mut at = 0;
            while at < data.len() {
                let (inflated, end) = match inflate_member(&data, at) {
                    Ok(member) => member,
                    Err(error) if places.is_empty() => return Err(error),
                    Err(error) => {
                        tracing::warn!(%error, "WARC file cut short; reading up to there");
                        break;
                    }
                };
                for (offset, record) in parse_all(&inflated)? {
                    let place = Place {
                        sequence: 0,
                        bytes: at..end,
                        gzipped: true,
                        offset,
                    };
                    places.push((place, record));
                }
                at = end;
            }
        } else {
            for (offset, record) in parse_all(&data)? {
                let place = Place {
                    sequence: 0,
                    bytes: 0..data.len(),
                    gzipped: false,
                    offset,
                };
                places.push((place, record));
            }
        }
        let mut responses = 0;
        for (mut place, record) in places {
            archive.records += 1;
            match record.record_type() {
                "warcinfo" if archive.run.is_none() => archive.run = run_of(&record),
                "response" => {
                    if let Some(uri) = record.get("WARC-Target-URI") {
                        place.sequence = responses;
                        responses += 1;
                        let uri = uri.trim_start_matches('<').trim_end_matches('>');
                        archive
                            .responses
                            .entry(uri.to_string())
                            .or_default()
                            .push(place);
                    }
                }
                _ => {}
            }
        }
        archive.data = data;
        Ok(archive)
    }

    /// The crawl this archive was written by, when it was `crawl --warc`.
    pub fn run(&self) -> Option<&ArchivedRun> {
        self.run.as_ref()
    }

    /// Records in the file (all types).
    pub fn records(&self) -> usize {
        self.records
    }

    /// URLs with at least one response.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.responses.keys().map(String::as_str)
    }

    /// The last response recorded for `url` (the final one of any retries).
    pub fn last_response(&self, url: &str) -> Option<RecordedResponse> {
        self.read(self.responses.get(url)?.last()?)
    }

    fn read(&self, place: &Place) -> Option<RecordedResponse> {
        let bytes = &self.data[place.bytes.clone()];
        let inflated;
        let member = if place.gzipped {
            inflated = inflate_member(bytes, 0).ok()?.0;
            &inflated[..]
        } else {
            bytes
        };
        let (record, _) = parse_record(member, place.offset).ok()?;
        record.http_response()
    }
}

impl ExchangeSource for Archive {
    fn answer(&self, url: &Url) -> Option<RecordedAnswer> {
        let places = self.responses.get(url.as_str())?;
        let turn = {
            let mut asked = self.asked.lock().expect("replay cursor");
            let turn = asked.entry(url.as_str().to_string()).or_default();
            *turn += 1;
            *turn - 1
        };
        let place = places.get(turn).or(places.last())?;
        Some(RecordedAnswer {
            response: self.read(place)?,
            // Asked again after its last response: answered at once.
            order: (turn < places.len()).then_some(place.sequence),
        })
    }
}

/// The `alliance-audit-run` field of a `warcinfo` record.
fn run_of(record: &WarcRecord) -> Option<ArchivedRun> {
    let text = String::from_utf8_lossy(&record.block);
    let json = text
        .lines()
        .find_map(|line| line.strip_prefix("alliance-audit-run:"))?;
    match serde_json::from_str(json.trim()) {
        Ok(run) => Some(run),
        Err(error) => {
            tracing::warn!(%error, "the archive's run description is unreadable");
            None
        }
    }
}

/// Every record of a WARC file, in order (for tools and tests).
pub fn read_records(path: &Path) -> Result<Vec<WarcRecord>, WarcError> {
    let data = std::fs::read(path).map_err(|source| WarcError::Io {
        path: path.display().to_string(),
        source,
    })?;
    if !data.starts_with(&[0x1f, 0x8b]) {
        return Ok(parse_all(&data)?.into_iter().map(|(_, r)| r).collect());
    }
    let mut records = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let (inflated, end) = inflate_member(&data, at)?;
        records.extend(parse_all(&inflated)?.into_iter().map(|(_, r)| r));
        at = end;
    }
    Ok(records)
}
