//! What a response's head decides: a redirect, a status to retry, a body to skip, or
//! a body to read and up to how many bytes.

use std::time::SystemTime;

use reqwest::header::{HeaderMap, CONTENT_TYPE, ETAG, LAST_MODIFIED, LOCATION, RETRY_AFTER};

use crate::crawl::content::{declared, Declared};
use crate::crawl::retry::{is_retryable_status, parse_retry_after};
use crate::record::Validators;

use super::{Answer, Body, Try, Wanted};

/// What a response's head decides.
pub(super) enum Head {
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
pub(super) struct Limits {
    pub body: usize,
    pub document: usize,
}

pub(super) fn classify(
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
pub(super) fn validators_of(headers: &HeaderMap) -> Validators {
    Validators {
        etag: header_text(headers, ETAG),
        last_modified: header_text(headers, LAST_MODIFIED),
    }
}

pub(super) fn header_text(
    headers: &HeaderMap,
    name: reqwest::header::HeaderName,
) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}
