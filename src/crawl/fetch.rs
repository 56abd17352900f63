//! One HTTP hop: a GET through politeness and the global limit, retried on transient
//! failures, with its body read as a stream up to a size limit.
//!
//! Redirects are not followed here (the client's policy is `none`): each hop comes
//! back to the caller, which checks its target against scope, robots.txt and the SSRF
//! rule before asking for it. A failure is an [`Answer`], not an `Err`: the caller
//! turns it into a page outcome.
//!
//! The [`Transport`] decides where a hop goes: the network, the network with a copy
//! of each exchange to an archive (`crawl --warc`), or an archive alone (`replay`,
//! where the same classification runs on the recorded status, headers and body, and
//! retries do not wait).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, ETAG, LAST_MODIFIED,
    LOCATION, RETRY_AFTER,
};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use super::cache::Validators;
use super::content::{declared, Declared};
use super::exchange::{Exchange, ExchangeSink, ExchangeSource, RecordedResponse, Transport};
use super::options::CrawlOptions;
use super::politeness::Politeness;
use super::retry::{backoff, is_retryable_status, parse_retry_after};
use super::safety::{find_refused, AddressGuard, GuardedResolver, Refused};

const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";
const ACCEPT_ANY: &str = "*/*";
/// What the client adds to every request for the decoders it has (gzip, brotli,
/// deflate), as its decompression layer writes it.
const ACCEPT_ENCODING: &str = "gzip,deflate,br";

/// What to read of a response's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// A page: read only successful responses that are (or may be) HTML, or a
    /// document we read (PDF, DOCX, ODT) up to its own size limit.
    Html,
    /// robots.txt or a sitemap: read any successful body.
    Any,
}

/// How one hop ended, after retries.
#[derive(Debug)]
pub enum Answer {
    /// A 3xx with its `Location` (unresolved), if any.
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// A final response.
    Response {
        status: u16,
        content_type: Option<String>,
        body: Body,
        /// Its ETag and Last-Modified, for a later conditional request.
        validators: Validators,
    },
    Failed(Failure),
}

#[derive(Debug)]
pub enum Body {
    Complete(Vec<u8>),
    /// Longer than the limit; holds what was read up to it (possibly nothing, when
    /// Content-Length already said so).
    TooLarge(Vec<u8>),
    /// Not read: an error status, or a type that is not HTML when HTML was wanted.
    Skipped,
}

#[derive(Debug)]
pub enum Failure {
    Timeout(String),
    /// No connection: DNS, refused, TLS, or the connect timeout.
    Unreachable(String),
    Refused(Refused),
    Other(String),
}

/// The HTTP client and what every request shares: the SSRF guard, the global
/// concurrency limit and the retry settings.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    guard: AddressGuard,
    global: Arc<Semaphore>,
    max_tries: u32,
    max_document_bytes: usize,
    retry_after_cap: Duration,
    retry_backoff: Duration,
    user_agent: String,
    transport: Transport,
}

/// What one try produced: final, or worth another try.
enum Try {
    Final(Answer),
    Again {
        retry_after: Option<Duration>,
        last: Answer,
    },
}

impl Fetcher {
    /// Builds the client: our user agent, gzip/brotli/deflate, connect and total
    /// timeouts, no redirects, the guarded resolver, and the proxies of the
    /// environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, with `NO_PROXY`) when
    /// there are any. Through a proxy, target names are resolved by the proxy, where
    /// the SSRF guard cannot see them: it then judges literal addresses only, and the
    /// proxy the user chose is trusted to keep to the public web.
    pub fn new(
        options: &CrawlOptions,
        guard: AddressGuard,
        transport: Transport,
    ) -> Result<Self, reqwest::Error> {
        // Fails only when a provider is already installed, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder();
        if proxies_from_env().is_empty() {
            builder = builder.no_proxy();
        }
        let client = builder
            .user_agent(options.user_agent.clone())
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(GuardedResolver::new(guard.clone())))
            .build()?;
        Ok(Fetcher {
            client,
            guard,
            global: Arc::new(Semaphore::new(options.concurrency.max(1))),
            max_tries: options.max_retries.max(1),
            max_document_bytes: options.max_document_bytes,
            retry_after_cap: options.retry_after_cap,
            retry_backoff: options.retry_backoff,
            user_agent: options.user_agent.clone(),
            transport,
        })
    }

    fn limits(&self, body: usize) -> Limits {
        Limits {
            body,
            document: self.max_document_bytes.max(body),
        }
    }

    /// True when answers come from an archive: nothing to be polite to, nothing to
    /// wait for.
    pub fn is_replay(&self) -> bool {
        matches!(self.transport, Transport::Replay(_))
    }

    pub fn guard(&self) -> &AddressGuard {
        &self.guard
    }

    /// GETs `url` (one hop), waiting for `politeness` before every try.
    pub async fn get(
        &self,
        url: &Url,
        politeness: &Politeness,
        wanted: Wanted,
        max_bytes: usize,
    ) -> Answer {
        self.get_conditional(url, politeness, wanted, max_bytes, None)
            .await
    }

    /// [`Fetcher::get`], conditional on `validators` (If-None-Match,
    /// If-Modified-Since) when given: an unchanged page answers 304 with no body.
    pub async fn get_conditional(
        &self,
        url: &Url,
        politeness: &Politeness,
        wanted: Wanted,
        max_bytes: usize,
        validators: Option<&Validators>,
    ) -> Answer {
        if let Err(refused) = self.guard.check_url(url) {
            return Answer::Failed(Failure::Refused(refused));
        }
        let origin = url.origin().ascii_serialization();
        let mut tries = 0;
        loop {
            tries += 1;
            let outcome = if self.is_replay() {
                // No host to spare, and answers come in the recorded order: holding a
                // host's slot while waiting for that order could stall the replay.
                self.try_once(url, wanted, max_bytes, validators).await
            } else {
                let _permits = politeness.start(&origin, &self.global).await;
                self.try_once(url, wanted, max_bytes, validators).await
            };
            match outcome {
                Try::Final(answer) => return answer,
                Try::Again { last, .. } if tries >= self.max_tries => return last,
                Try::Again { .. } if self.is_replay() => {}
                Try::Again { retry_after, .. } => {
                    let retry_after = retry_after.map(|wait| wait.min(self.retry_after_cap));
                    if let Some(wait) = retry_after {
                        politeness.defer_until(&origin, Instant::now() + wait);
                    }
                    let pause = backoff(self.retry_backoff, tries + 1, &mut rand::rng());
                    tracing::debug!(%url, tries, ?pause, ?retry_after, "retrying");
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }

    async fn try_once(
        &self,
        url: &Url,
        wanted: Wanted,
        max_bytes: usize,
        validators: Option<&Validators>,
    ) -> Try {
        match &self.transport {
            Transport::Network => {
                self.network_once(url, wanted, max_bytes, None, validators)
                    .await
            }
            Transport::Archived(sink) => {
                self.network_once(url, wanted, max_bytes, Some(sink.as_ref()), validators)
                    .await
            }
            Transport::Replay(source) => {
                replay_once(source.as_ref(), url, wanted, self.limits(max_bytes)).await
            }
        }
    }

    async fn network_once(
        &self,
        url: &Url,
        wanted: Wanted,
        max_bytes: usize,
        sink: Option<&dyn ExchangeSink>,
        validators: Option<&Validators>,
    ) -> Try {
        let accept = match wanted {
            Wanted::Html => ACCEPT_HTML,
            Wanted::Any => ACCEPT_ANY,
        };
        let date = super::site::timestamp();
        let mut request = self.client.get(url.clone()).header(ACCEPT, accept);
        let mut conditional = Vec::new();
        if let Some(validators) = validators {
            if let Some(etag) = &validators.etag {
                conditional.push(("If-None-Match", etag.clone()));
            }
            if let Some(date) = &validators.last_modified {
                conditional.push(("If-Modified-Since", date.clone()));
            }
        }
        for (name, value) in &conditional {
            request = request.header(*name, value.as_str());
        }
        let sent = request.send().await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => return failure(&error),
        };
        let status = response.status().as_u16();
        // What the exchange will be archived as, once the body is known.
        let archive = |body: Vec<u8>, truncated: bool, response: &reqwest::Response| {
            if let Some(sink) = sink {
                let mut exchange =
                    self.exchange(url, date.clone(), accept, response, body, truncated);
                for (name, value) in &conditional {
                    exchange
                        .request_headers
                        .push((name.to_string(), value.clone()));
                }
                sink.record(exchange);
            }
        };
        let head = classify(
            status,
            response.headers(),
            response.content_length(),
            wanted,
            self.limits(max_bytes),
        );
        let (content_type, max_bytes) = match head {
            Head::Done(done) => {
                archive(Vec::new(), true, &response);
                return done;
            }
            Head::ReadBody {
                content_type,
                limit,
            } => (content_type, limit),
        };
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = max_bytes - bytes.len();
                    if chunk.len() > room {
                        bytes.extend_from_slice(&chunk[..room]);
                        archive(bytes.clone(), true, &response);
                        return Try::Final(Answer::Response {
                            status,
                            content_type,
                            body: Body::TooLarge(bytes),
                            validators: validators_of(response.headers()),
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                // Cut off mid-body: no complete response to archive.
                Err(error) => return failure(&error),
            }
        }
        archive(bytes.clone(), false, &response);
        Try::Final(Answer::Response {
            status,
            content_type,
            body: Body::Complete(bytes),
            validators: validators_of(response.headers()),
        })
    }

    /// The exchange as it went over the wire: the request headers the client sends
    /// (ours, then the ones it adds itself), the response's status and headers.
    fn exchange(
        &self,
        url: &Url,
        date: String,
        accept: &str,
        response: &reqwest::Response,
        body: Vec<u8>,
        truncated: bool,
    ) -> Exchange {
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let version = match response.version() {
            reqwest::Version::HTTP_2 => "HTTP/2",
            reqwest::Version::HTTP_10 => "HTTP/1.0",
            _ => "HTTP/1.1",
        };
        Exchange {
            url: url.clone(),
            date,
            version,
            request_headers: vec![
                ("Host".into(), host),
                ("User-Agent".into(), self.user_agent.clone()),
                ("Accept".into(), accept.into()),
                ("Accept-Encoding".into(), ACCEPT_ENCODING.into()),
            ],
            ip: response.remote_addr().map(|addr| addr.ip().to_string()),
            response: RecordedResponse {
                status: response.status().as_u16(),
                headers: response
                    .headers()
                    .iter()
                    .map(|(name, value)| {
                        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                        (name.as_str().to_string(), value)
                    })
                    .collect(),
                body,
                truncated,
            },
        }
    }
}

/// One hop answered from an archive, classified exactly as a network answer is.
async fn replay_once(
    source: &dyn ExchangeSource,
    url: &Url,
    wanted: Wanted,
    limits: Limits,
) -> Try {
    let Some(recorded) = source.answer(url).await else {
        return Try::Final(Answer::Failed(Failure::Other(format!(
            "not in the archive: {url}"
        ))));
    };
    let mut headers = HeaderMap::new();
    for (name, value) in &recorded.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    let content_length = header_text(&headers, CONTENT_LENGTH).and_then(|v| v.trim().parse().ok());
    let (content_type, max_bytes) =
        match classify(recorded.status, &headers, content_length, wanted, limits) {
            Head::Done(done) => return done,
            Head::ReadBody {
                content_type,
                limit,
            } => (content_type, limit),
        };
    let mut bytes = recorded.body;
    let body = if recorded.truncated || bytes.len() > max_bytes {
        bytes.truncate(max_bytes);
        Body::TooLarge(bytes)
    } else {
        Body::Complete(bytes)
    };
    Try::Final(Answer::Response {
        status: recorded.status,
        content_type,
        body,
        validators: validators_of(&headers),
    })
}

/// What a response's head decides.
enum Head {
    /// Nothing more to read: a redirect, a status to retry, an unwanted body, or one
    /// that says it is too large.
    Done(Try),
    ReadBody {
        content_type: Option<String>,
        /// The most bytes to read: a page's limit, or a document's.
        limit: usize,
    },
}

/// Body size limits: the one asked for, and a document's.
#[derive(Debug, Clone, Copy)]
struct Limits {
    body: usize,
    document: usize,
}

fn classify(
    status: u16,
    headers: &HeaderMap,
    content_length: Option<u64>,
    wanted: Wanted,
    limits: Limits,
) -> Head {
    let content_type = header_text(headers, CONTENT_TYPE);
    if (300..400).contains(&status) && status != 304 {
        return Head::Done(Try::Final(Answer::Redirect {
            status,
            location: header_text(headers, LOCATION),
        }));
    }
    if is_retryable_status(status) {
        let retry_after = header_text(headers, RETRY_AFTER)
            .and_then(|value| parse_retry_after(&value, SystemTime::now()));
        return Head::Done(Try::Again {
            retry_after,
            last: Answer::Response {
                status,
                content_type,
                body: Body::Skipped,
                validators: validators_of(headers),
            },
        });
    }
    let is_document = wanted == Wanted::Html
        && declared(content_type.as_deref()) == Declared::NotHtml
        && crate::document::kind_of(content_type.as_deref(), "", &[]).is_some();
    let max_bytes = if is_document {
        limits.document
    } else {
        limits.body
    };
    let wants_body = (200..300).contains(&status)
        && (wanted == Wanted::Any
            || is_document
            || declared(content_type.as_deref()) != Declared::NotHtml);
    if !wants_body {
        return Head::Done(Try::Final(Answer::Response {
            status,
            content_type,
            body: Body::Skipped,
            validators: validators_of(headers),
        }));
    }
    if content_length.is_some_and(|length| length > max_bytes as u64) {
        return Head::Done(Try::Final(Answer::Response {
            status,
            content_type,
            body: Body::TooLarge(Vec::new()),
            validators: validators_of(headers),
        }));
    }
    Head::ReadBody {
        content_type,
        limit: max_bytes,
    }
}

/// A response's ETag and Last-Modified.
fn validators_of(headers: &HeaderMap) -> Validators {
    Validators {
        etag: header_text(headers, ETAG),
        last_modified: header_text(headers, LAST_MODIFIED),
    }
}

fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// The proxies the environment names, as reqwest reads them (upper or lower case).
pub fn proxies_from_env() -> Vec<Url> {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .filter_map(|name| std::env::var(name).ok())
    .filter(|value| !value.trim().is_empty())
    .filter_map(|value| {
        let value = value.trim();
        Url::parse(value)
            .or_else(|_| Url::parse(&format!("http://{value}")))
            .ok()
    })
    .collect()
}

/// Sorts a client error: refused (final), connect error or timeout (again), other
/// (final).
fn failure(error: &reqwest::Error) -> Try {
    if let Some(refused) = find_refused(error) {
        return Try::Final(Answer::Failed(Failure::Refused(refused)));
    }
    let message = describe(error);
    if error.is_connect() {
        Try::Again {
            retry_after: None,
            last: Answer::Failed(Failure::Unreachable(message)),
        }
    } else if error.is_timeout() {
        Try::Again {
            retry_after: None,
            last: Answer::Failed(Failure::Timeout(message)),
        }
    } else {
        Try::Final(Answer::Failed(Failure::Other(message)))
    }
}

/// The error with its chain of causes, which reqwest keeps out of `Display`.
fn describe(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
