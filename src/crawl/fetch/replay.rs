//! A hop answered from an archive (`replay`), classified exactly as a network answer
//! is, with no waiting.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH};
use url::Url;

use super::head::{classify, header_text, validators_of, Head, Limits};
use super::{Answer, Body, Failure, Try, Wanted};
use crate::record::ExchangeSource;

/// One hop answered from an archive, classified exactly as a network answer is.
pub(super) async fn replay_once(
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
