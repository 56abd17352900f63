//! What `crawl` (and `replay`) print when done: a table of the verdicts, and one line
//! when nothing could be reached at all.

use std::fmt::Write as _;
use std::path::Path;

use crate::record::Outcome;
use crate::report::RunTotals;

/// The verdict table printed at the end of a crawl.
pub(super) fn summary_table(totals: &RunTotals, dir: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<24} {:<22} {:<10} {:>8} {:>9} {:>7} {:>9} {:>13}",
        "alliance", "topic", "verdict", "pages ok", "failed", "blocked", "evidence", "read/known"
    );
    for row in &totals.summary {
        let _ = writeln!(
            out,
            "{:<24} {:<22} {:<10} {:>8} {:>9} {:>7} {:>9} {:>13}",
            row.alliance_id,
            row.topic,
            row.verdict,
            row.pages_ok,
            row.pages_failed,
            row.pages_blocked,
            row.evidence_count,
            format!("{}/{}", row.urls_read, row.urls_known),
        );
    }
    let _ = write!(out, "reports: {}", dir.display());
    out
}

/// One line when no alliance could be reached at all: the machine is offline, or a
/// proxy is needed, rather than every site blocking us.
pub(super) fn nothing_reached(totals: &RunTotals) -> Option<String> {
    let count = |outcome| totals.outcomes.get(&outcome).copied().unwrap_or(0);
    let unreachable = count(Outcome::Unreachable);
    (unreachable > 0 && count(Outcome::Ok) == 0).then(|| {
        let proxy = if crate::crawl::proxies_from_env().is_empty() {
            "no proxy is set (HTTPS_PROXY / HTTP_PROXY, with NO_PROXY, are honoured)"
        } else {
            "the proxy in HTTPS_PROXY / HTTP_PROXY was used"
        };
        format!(
            "no alliance could be reached ({unreachable} URLs unreachable: DNS, connection or TLS \
             failures, see errors.csv): is this machine online? {proxy}"
        )
    })
}
