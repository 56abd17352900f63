//! HTTP exchanges as records: every request the crawl makes (pages, redirect hops,
//! retries, robots.txt, sitemaps) can be handed to an archive ([`ExchangeSink`], how
//! `crawl --warc` writes WARC) or answered from one instead of the network
//! ([`ExchangeSource`], how `replay` works).
//!
//! Both are seams at the level of one HTTP hop, below robots.txt, scope, redirects and
//! retries, so a replayed crawl runs every decision of a live one unchanged. They live
//! here, not in `crawl`, so the WARC side ([`crate::warc`]) implements them without
//! knowing the crawler, and the crawler writes to them without knowing WARC.

use url::Url;

/// One HTTP request as sent and the response as received.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: Url,
    /// RFC 3339 UTC, when the request was sent.
    pub date: String,
    /// `HTTP/1.1` or `HTTP/2`.
    pub version: &'static str,
    /// The request's header lines, in the order sent (`Host` first).
    pub request_headers: Vec<(String, String)>,
    /// The address the response came from, when known.
    pub ip: Option<String>,
    pub response: RecordedResponse,
}

/// A response as the fetcher saw it.
///
/// The body is the content as the HTTP client handed it over: `Content-Encoding`
/// (gzip, brotli, deflate) and `Transfer-Encoding` already undone, and those headers
/// (and a `Content-Length` that applied to the encoded body) removed by the client.
/// `truncated` is set when the fetcher read less than the whole body: a redirect, an
/// error status or a type it does not want (nothing read), or a body over the size
/// limit (read up to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedResponse {
    pub status: u16,
    /// Header lines in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub truncated: bool,
}

impl RecordedResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Receives a copy of every exchange. Called from fetch tasks: it must not block for
/// long (hand the work to a thread of its own).
pub trait ExchangeSink: Send + Sync {
    fn record(&self, exchange: Exchange);
}

/// Answers requests from a recording instead of the network.
pub trait ExchangeSource: Send + Sync {
    /// The next recorded response for `url` (a URL asked for several times, as when
    /// a request was retried, gets its responses in the order recorded, then the last
    /// one again); `None` when the recording has none.
    fn answer(&self, url: &Url) -> Option<RecordedAnswer>;
}

/// A recorded response and its place in the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAnswer {
    pub response: RecordedResponse,
    /// Its place among all the recording's responses, so a replay can hand answers
    /// out in the order they were recorded; `None` for an answer given again.
    pub order: Option<usize>,
}
