//! A hop over the network: the request (conditional when validators are known), the
//! body read as a stream up to its limit, a copy to an archive, and client errors
//! sorted into answers.

use reqwest::header::ACCEPT;
use url::Url;

use super::head::{classify, validators_of, Head};
use super::{
    Answer, Body, Failure, Fetcher, Try, Wanted, ACCEPT_ANY, ACCEPT_ENCODING, ACCEPT_HTML,
};
use crate::crawl::safety::find_refused;
use crate::record::{Exchange, ExchangeSink, RecordedResponse, Validators};

/// The most room reserved for a body before it arrives, whatever its announced length.
const BODY_HINT_MAX: usize = 512 * 1024;

impl Fetcher {
    pub(super) async fn network_once(
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
        let date = crate::crawl::clock::timestamp();
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
        // (The body is copied only when there is an archive to copy it to.)
        let archive = |body: &[u8], truncated: bool, response: &reqwest::Response| {
            if let Some(sink) = sink {
                let mut exchange = self.exchange(
                    url,
                    date.clone(),
                    accept,
                    response,
                    body.to_vec(),
                    truncated,
                );
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
                archive(&[], true, &response);
                return done;
            }
            Head::ReadBody {
                content_type,
                limit,
            } => (content_type, limit),
        };
        // Room for the whole body when its length is announced, so that it is not
        // copied as it grows; only a hint, bounded, since the server may not keep it.
        let announced = response.content_length().unwrap_or(0);
        let mut bytes =
            Vec::with_capacity(announced.min(max_bytes.min(BODY_HINT_MAX) as u64) as usize);
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = max_bytes - bytes.len();
                    if chunk.len() > room {
                        bytes.extend_from_slice(&chunk[..room]);
                        archive(&bytes, true, &response);
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
        archive(&bytes, false, &response);
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
