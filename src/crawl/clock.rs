//! The crawl's clock: when a record happened, as every record's time is written.

/// Now, RFC 3339 UTC.
pub fn timestamp() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
