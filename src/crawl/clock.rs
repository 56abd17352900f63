//! The crawl's clock: when a record happened, as every record's time is written.

/// Now, RFC 3339 UTC.
pub fn timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
