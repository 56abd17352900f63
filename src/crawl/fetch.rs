//! One HTTP hop: a GET through politeness and the global limit, retried on transient
//! failures, with its body read as a stream up to a size limit.
//!
//! Redirects are not followed here (the client's policy is `none`): each hop comes
//! back to the caller, which checks its target against scope, robots.txt and the SSRF
//! rule before asking for it. A failure is an [`Answer`], not an `Err`: the caller
//! turns it into a page outcome.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use super::content::{declared, Declared};
use super::options::CrawlOptions;
use super::politeness::Politeness;
use super::retry::{backoff, is_retryable_status, parse_retry_after};
use super::safety::{find_refused, AddressGuard, GuardedResolver, Refused};

const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";
const ACCEPT_ANY: &str = "*/*";

/// What to read of a response's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// A page: read only successful responses that are (or may be) HTML.
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
    retry_after_cap: Duration,
    retry_backoff: Duration,
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
    /// timeouts, no redirects, no proxies (a proxy would resolve names where the SSRF
    /// guard cannot see them), and the guarded resolver.
    pub fn new(options: &CrawlOptions, guard: AddressGuard) -> Result<Self, reqwest::Error> {
        // Fails only when a provider is already installed, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(options.user_agent.clone())
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver::new(guard.clone())))
            .build()?;
        Ok(Fetcher {
            client,
            guard,
            global: Arc::new(Semaphore::new(options.concurrency.max(1))),
            max_tries: options.max_retries.max(1),
            retry_after_cap: options.retry_after_cap,
            retry_backoff: options.retry_backoff,
        })
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
        if let Err(refused) = self.guard.check_url(url) {
            return Answer::Failed(Failure::Refused(refused));
        }
        let origin = url.origin().ascii_serialization();
        let mut tries = 0;
        loop {
            tries += 1;
            let outcome = {
                let _permits = politeness.start(&origin, &self.global).await;
                self.try_once(url, wanted, max_bytes).await
            };
            match outcome {
                Try::Final(answer) => return answer,
                Try::Again { last, .. } if tries >= self.max_tries => return last,
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

    async fn try_once(&self, url: &Url, wanted: Wanted, max_bytes: usize) -> Try {
        let sent = self
            .client
            .get(url.clone())
            .header(
                ACCEPT,
                match wanted {
                    Wanted::Html => ACCEPT_HTML,
                    Wanted::Any => ACCEPT_ANY,
                },
            )
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => return failure(&error),
        };
        let status = response.status().as_u16();
        let headers = response.headers();
        let content_type = header_text(headers, CONTENT_TYPE);
        if (300..400).contains(&status) && status != 304 {
            return Try::Final(Answer::Redirect {
                status,
                location: header_text(headers, LOCATION),
            });
        }
        if is_retryable_status(status) {
            let retry_after = header_text(headers, RETRY_AFTER)
                .and_then(|value| parse_retry_after(&value, SystemTime::now()));
            return Try::Again {
                retry_after,
                last: Answer::Response {
                    status,
                    content_type,
                    body: Body::Skipped,
                },
            };
        }
        let wants_body = response.status().is_success()
            && (wanted == Wanted::Any || declared(content_type.as_deref()) != Declared::NotHtml);
        if !wants_body {
            return Try::Final(Answer::Response {
                status,
                content_type,
                body: Body::Skipped,
            });
        }
        if response
            .content_length()
            .is_some_and(|length| length > max_bytes as u64)
        {
            return Try::Final(Answer::Response {
                status,
                content_type,
                body: Body::TooLarge(Vec::new()),
            });
        }
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = max_bytes - bytes.len();
                    if chunk.len() > room {
                        bytes.extend_from_slice(&chunk[..room]);
                        return Try::Final(Answer::Response {
                            status,
                            content_type,
                            body: Body::TooLarge(bytes),
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => return failure(&error),
            }
        }
        Try::Final(Answer::Response {
            status,
            content_type,
            body: Body::Complete(bytes),
        })
    }
}

fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// Sorts a client error: refused (final), timeout or connect error (again), other
/// (final).
fn failure(error: &reqwest::Error) -> Try {
    if let Some(refused) = find_refused(error) {
        return Try::Final(Answer::Failed(Failure::Refused(refused)));
    }
    let message = describe(error);
    if error.is_timeout() {
        Try::Again {
            retry_after: None,
            last: Answer::Failed(Failure::Timeout(message)),
        }
    } else if error.is_connect() {
        Try::Again {
            retry_after: None,
            last: Answer::Failed(Failure::Other(message)),
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
