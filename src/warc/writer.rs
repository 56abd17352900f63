//! Writing a `.warc.gz`: one gzip member per record, each written whole and flushed
//! before the next, by a thread that alone owns the file.
//!
//! Fetch tasks hand exchanges over a channel and never wait on the disk. A crawl
//! killed half way leaves every record written so far complete and readable; at worst
//! the last member is cut short, and readers stop before it. The channel is unbounded
//! because the crawl is polite: a second between requests to a host is far slower
//! than compressing and appending a page, so the queue stays short.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::JoinHandle;

use flate2::write::GzEncoder;
use flate2::Compression;
use url::Position;

use super::record::{record_id, sha1_digest, warc_date, Record};
use super::ArchivedRun;
use crate::record::{Exchange, ExchangeSink};

/// Writes WARC records to any `Write`, each as its own gzip member.
pub struct WarcWriter<W: Write> {
    out: W,
    records: u64,
    bytes: u64,
}

impl<W: Write> WarcWriter<W> {
    pub fn new(out: W) -> Self {
        WarcWriter {
            out,
            records: 0,
            bytes: 0,
        }
    }

    /// Compresses `record` into one gzip member, writes it in one piece and flushes.
    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(&record.to_bytes())?;
        let member = encoder.finish()?;
        self.out.write_all(&member)?;
        self.out.flush()?;
        self.records += 1;
        self.bytes += member.len() as u64;
        Ok(())
    }

    /// Records and compressed bytes written so far.
    pub fn totals(&self) -> WarcTotals {
        WarcTotals {
            records: self.records,
            bytes: self.bytes,
        }
    }

    /// Writes the `warcinfo` record that opens a file, returning its id.
    pub fn write_warcinfo(&mut self, filename: &str, run: &ArchivedRun) -> io::Result<String> {
        let id = record_id();
        let mut fields = String::new();
        let mut line = |name: &str, value: &str| {
            fields.push_str(name);
            fields.push_str(": ");
            fields.push_str(value);
            fields.push_str("\r\n");
        };
        line("software", &format!("alliance-audit/{}", run.tool_version));
        line("format", "WARC File Format 1.1");
        line(
            "conformsTo",
            "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        );
        line("http-header-user-agent", &run.user_agent);
        line("robots", "classic");
        line(
            "description",
            "Response bodies are as the HTTP client delivered them: Content-Encoding \
             and Transfer-Encoding undone, and the headers naming them removed. \
             WARC-Truncated marks a body not read in full (redirects, error statuses, \
             unwanted types, bodies over the size limit).",
        );
        let plan = serde_json::to_string(run).map_err(io::Error::other)?;
        line("alliance-audit-run", &plan);
        let mut record = Record::new("warcinfo", &id, &warc_date(None))
            .field("WARC-Filename", filename)
            .field("WARC-Block-Digest", sha1_digest(fields.as_bytes()))
            .field("Content-Type", "application/warc-fields");
        record.block = fields.into_bytes();
        self.write(&record)?;
        Ok(id)
    }

    /// Writes the `request` and `response` records of one exchange.
    pub fn write_exchange(&mut self, exchange: &Exchange, warcinfo_id: &str) -> io::Result<()> {
        let date = warc_date(Some(&exchange.date));
        let request_id = record_id();
        let response_id = record_id();
        let target = exchange.url.as_str();

        let mut head = format!(
            "GET {} {}\r\n",
            &exchange.url[Position::BeforePath..Position::AfterQuery],
            exchange.version
        );
        for (name, value) in &exchange.request_headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut request = Record::new("request", &request_id, &date)
            .field("WARC-Target-URI", target)
            .field("WARC-Warcinfo-ID", warcinfo_id)
            .field("WARC-Concurrent-To", &response_id)
            .field("WARC-Block-Digest", sha1_digest(head.as_bytes()))
            .field("WARC-Payload-Digest", sha1_digest(b""))
            .field("Content-Type", "application/http;msgtype=request");
        request.block = head.into_bytes();

        let response = &exchange.response;
        let reason = reqwest::StatusCode::from_u16(response.status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("");
        let mut block = format!("{} {} {reason}\r\n", exchange.version, response.status);
        for (name, value) in &response.headers {
            // The body is no longer chunked: a reader must not try to undo it again.
            if name.eq_ignore_ascii_case("transfer-encoding") {
                continue;
            }
            block.push_str(&format!("{name}: {value}\r\n"));
        }
        block.push_str("\r\n");
        let mut block = block.into_bytes();
        block.extend_from_slice(&response.body);
        let mut record = Record::new("response", &response_id, &date)
            .field("WARC-Target-URI", target)
            .field("WARC-Warcinfo-ID", warcinfo_id)
            .field("WARC-Concurrent-To", &request_id);
        if let Some(ip) = &exchange.ip {
            record = record.field("WARC-IP-Address", ip);
        }
        if response.truncated {
            record = record.field("WARC-Truncated", "length");
        }
        record = record
            .field("WARC-Block-Digest", sha1_digest(&block))
            .field("WARC-Payload-Digest", sha1_digest(&response.body))
            .field("Content-Type", "application/http;msgtype=response");
        record.block = block;
        self.write(&request)?;
        self.write(&record)
    }
}

/// What a finished archive holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WarcTotals {
    pub records: u64,
    /// Compressed bytes.
    pub bytes: u64,
}

enum Message {
    Exchange(Box<Exchange>),
    Finish,
}

/// A `.warc.gz` being written by its own thread: the [`ExchangeSink`] a crawl archives
/// into. Call [`WarcFile::finish`] when the crawl is over.
pub struct WarcFile {
    path: PathBuf,
    sender: mpsc::Sender<Message>,
    thread: Mutex<Option<JoinHandle<io::Result<WarcTotals>>>>,
}

impl WarcFile {
    /// Creates (or truncates) `path`, writes its `warcinfo` record, and starts the
    /// writing thread.
    pub fn create(path: &Path, run: &ArchivedRun) -> io::Result<WarcFile> {
        let file = File::create(path)?;
        let mut writer = WarcWriter::new(file);
        let filename = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let warcinfo_id = writer.write_warcinfo(&filename, run)?;
        let (sender, receiver) = mpsc::channel::<Message>();
        let thread = std::thread::Builder::new()
            .name("warc-writer".into())
            .spawn(move || {
                let mut failed = None;
                while let Ok(message) = receiver.recv() {
                    match message {
                        Message::Exchange(exchange) if failed.is_none() => {
                            if let Err(error) = writer.write_exchange(&exchange, &warcinfo_id) {
                                tracing::error!(%error, "the WARC file cannot be written");
                                failed = Some(error);
                            }
                        }
                        Message::Exchange(_) => {}
                        Message::Finish => break,
                    }
                }
                match failed {
                    Some(error) => Err(error),
                    None => Ok(writer.totals()),
                }
            })?;
        Ok(WarcFile {
            path: path.to_path_buf(),
            sender,
            thread: Mutex::new(Some(thread)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes what is queued, closes the file, and says what it holds. Exchanges
    /// recorded after this are dropped.
    pub fn finish(&self) -> io::Result<WarcTotals> {
        let _ = self.sender.send(Message::Finish);
        let thread = self.thread.lock().expect("warc thread handle").take();
        match thread {
            Some(thread) => thread
                .join()
                .map_err(|_| io::Error::other("the WARC writer thread panicked"))?,
            None => Err(io::Error::other("the WARC file was already finished")),
        }
    }
}

impl ExchangeSink for WarcFile {
    fn record(&self, exchange: Exchange) {
        let _ = self.sender.send(Message::Exchange(Box::new(exchange)));
    }
}
