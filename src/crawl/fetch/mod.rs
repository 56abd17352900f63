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

mod head;
mod network;
mod replay;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use super::politeness::Politeness;
use super::retry::backoff;
use super::safety::{AddressGuard, GuardedResolver, Refused};
use super::settings::CrawlSettings;
use super::transport::Transport;
use crate::record::Validators;
use head::Limits;
pub use network::proxies_from_env;
use replay::{replay_once, ReplayOrder};

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
    /// The order a replay hands answers out in (one for all clones).
    replay_order: Arc<ReplayOrder>,
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
        settings: &CrawlSettings,
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
            .user_agent(settings.user_agent.clone())
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(GuardedResolver::new(guard.clone())))
            .build()?;
        Ok(Fetcher {
            client,
            guard,
            global: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            max_tries: settings.max_retries.max(1),
            max_document_bytes: settings.max_document_bytes,
            retry_after_cap: settings.retry_after_cap,
            retry_backoff: settings.retry_backoff,
            user_agent: settings.user_agent.clone(),
            transport,
            replay_order: Arc::default(),
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
                let limits = self.limits(max_bytes);
                replay_once(source.as_ref(), &self.replay_order, url, wanted, limits).await
            }
        }
    }
}
