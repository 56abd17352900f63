//! A hop answered from an archive (`replay`), classified exactly as a network answer
//! is, with no waiting but for its turn.
//!
//! Answers are handed out in the order the responses were recorded. A crawl's
//! decisions depend on the order results arrive in (a page found by a sitemap at depth
//! 1 or by a link at depth 2 is whichever came first), and an archive answers every
//! request at once, so without this a replay would race differently from the crawl.
//! A request whose earlier responses nobody asks for within [`TURN_WAIT`] goes ahead
//! (the replay took another path), so a replay never waits long.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH};
use tokio::sync::Notify;
use url::Url;

use super::head::{classify, header_text, validators_of, Head, Limits};
use super::{Answer, Body, Failure, Try, Wanted};
use crate::record::ExchangeSource;

/// How long an answer waits for the responses recorded before it to be asked for.
pub const TURN_WAIT: Duration = Duration::from_millis(50);

/// The order a replay hands answers out in: every answer recorded before one has been
/// handed out (or waited [`TURN_WAIT`] for) before it is.
#[derive(Debug, Default)]
pub(super) struct ReplayOrder {
    handed: Mutex<Handed>,
    released: Notify,
}

/// Which responses have been handed out: all below `next`, and those in `ahead`.
#[derive(Debug, Default)]
struct Handed {
    next: usize,
    ahead: BTreeSet<usize>,
}

impl Handed {
    fn hand_out(&mut self, order: usize) {
        self.ahead.insert(order);
        while self.ahead.remove(&self.next) {
            self.next += 1;
        }
    }
}

impl ReplayOrder {
    /// Waits until every response recorded before `order` has been handed out (or
    /// [`TURN_WAIT`] passes without one), then marks `order` handed out.
    async fn wait_turn(&self, order: usize) {
        loop {
            let released = self.released.notified();
            if self.handed.lock().expect("replay order").next >= order {
                break;
            }
            if tokio::time::timeout(TURN_WAIT, released).await.is_err() {
                let mut handed = self.handed.lock().expect("replay order");
                if handed.next < order {
                    tracing::debug!(order, next = handed.next, "replay order skipped ahead");
                    handed.next = order;
                    handed.ahead = handed.ahead.split_off(&order);
                }
                break;
            }
        }
        self.handed.lock().expect("replay order").hand_out(order);
        self.released.notify_waiters();
    }
}

/// One hop answered from an archive, classified exactly as a network answer is.
pub(super) async fn replay_once(
    source: &dyn ExchangeSource,
    order: &ReplayOrder,
    url: &Url,
    wanted: Wanted,
    limits: Limits,
) -> Try {
    let Some(answer) = source.answer(url) else {
        return Try::Final(Answer::Failed(Failure::Other(format!(
            "not in the archive: {url}"
        ))));
    };
    if let Some(turn) = answer.order {
        order.wait_turn(turn).await;
    }
    let recorded = answer.response;
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
