//! WARC archives (issue 5): `crawl --warc` writes every exchange as WARC/1.1, an
//! independent reader (Python `warcio`) accepts the file, `replay` rebuilds the same
//! reports from it with no network, and `extract --url` reads one page of it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use alliance_audit::warc::{read_records, sha1_digest, Archive};

/// The report files a replay must reproduce.
const REPORTS: [&str; 6] = [
    "pages.csv",
    "navigation.csv",
    "headings.csv",
    "evidence.csv",
    "summary.csv",
    "errors.csv",
];
/// Columns that differ between a crawl and its replay: times, and the summary's
/// `first_evidence_url`, which is the first such page *to arrive*, so differs between
/// two live crawls of one site too (it is checked apart, below).
const VARYING: [&str; 3] = ["started_at", "finished_at", "first_evidence_url"];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
}

/// Runs the binary in `dir` (so any default output lands there), asserting success.
fn run(dir: &Path, args: &[&str]) -> String {
    let output = bin().current_dir(dir).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "alliance-audit {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The fixture sites crawled by `demo --warc` (loopback servers that are gone once it
/// exits): the temp dir, the archive, the run directory.
fn archived_demo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc.gz");
    let out = dir.path().join("crawl");
    let stdout = run(
        dir.path(),
        &[
            "demo",
            "-q",
            "--warc",
            warc.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(stdout.contains("archive: "), "{stdout}");
    (dir, warc, out)
}

/// A CSV file's rows, sorted (rows of concurrent fetches may come in another order).
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut rows = all_rows(path);
    for row in &mut rows {
        row.retain(|key, _| !VARYING.contains(&key.as_str()));
    }
    rows.sort();
    rows
}

fn all_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut rows = crate::support::csv_records(path);
    rows.sort();
    rows
}

#[test]
fn replay_rebuilds_the_same_reports_with_no_network() {
    let (dir, warc, crawled) = archived_demo();
    let replayed = dir.path().join("replay");
    run(
        dir.path(),
        &[
            "replay",
            "-q",
            warc.to_str().unwrap(),
            "--out",
            replayed.to_str().unwrap(),
        ],
    );
    for name in REPORTS {
        let (before, after) = (rows(&crawled.join(name)), rows(&replayed.join(name)));
        assert!(!before.is_empty(), "{name} has rows");
        assert_eq!(before, after, "{name} differs after replay");
    }
    // The replay's first evidence URL is a page with evidence of that topic.
    let evidence = all_rows(&replayed.join("evidence.csv"));
    for row in all_rows(&replayed.join("summary.csv")) {
        let first = &row["first_evidence_url"];
        assert_eq!(first.is_empty(), row["evidence_count"] == "0", "{row:?}");
        if !first.is_empty() {
            assert!(
                evidence
                    .iter()
                    .any(|e| e["alliance_id"] == row["alliance_id"]
                        && e["topic"] == row["topic"]
                        && &e["url"] == first),
                "{row:?}"
            );
        }
    }
    let run_json = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap()
    };
    let (before, after) = (run_json(&crawled), run_json(&replayed));
    assert_eq!(before["config_hash"], after["config_hash"]);
    assert_eq!(before["totals"], after["totals"]);
}

#[test]
fn the_archive_is_warc_1_1_with_linked_and_digested_records() {
    let (_dir, warc, crawled) = archived_demo();
    let records = read_records(&warc).unwrap();
    assert_eq!(records[0].record_type(), "warcinfo");
    assert_eq!(
        records[0].get("Content-Type"),
        Some("application/warc-fields")
    );
    let info = String::from_utf8_lossy(&records[0].block).into_owned();
    assert!(info.contains("format: WARC File Format 1.1"), "{info}");
    assert!(info.contains("alliance-audit-run: {"), "{info}");
    let warcinfo_id = records[0].get("WARC-Record-ID").unwrap();

    let exchanges = &records[1..];
    assert_eq!(
        exchanges.len() % 2,
        0,
        "request and response records in pairs"
    );
    let mut ids = std::collections::HashSet::new();
    for pair in exchanges.chunks(2) {
        let (request, response) = (&pair[0], &pair[1]);
        assert_eq!(
            (request.record_type(), response.record_type()),
            ("request", "response")
        );
        assert_eq!(
            request.get("Content-Type"),
            Some("application/http;msgtype=request")
        );
        assert_eq!(
            response.get("Content-Type"),
            Some("application/http;msgtype=response")
        );
        for record in pair {
            let id = record.get("WARC-Record-ID").unwrap();
            assert!(id.starts_with("<urn:uuid:") && id.len() == 47, "{id}");
            assert!(ids.insert(id.to_string()), "ids are unique");
            let date = record.get("WARC-Date").unwrap();
            assert!(date.len() == 20 && date.ends_with('Z'), "{date}");
            assert_eq!(record.get("WARC-Warcinfo-ID"), Some(warcinfo_id));
            assert_eq!(
                record.get("Content-Length").unwrap(),
                record.block.len().to_string()
            );
            assert_eq!(
                record.get("WARC-Block-Digest").unwrap(),
                sha1_digest(&record.block)
            );
        }
        assert_eq!(
            request.get("WARC-Target-URI"),
            response.get("WARC-Target-URI")
        );
        assert_eq!(
            request.get("WARC-Concurrent-To"),
            response.get("WARC-Record-ID")
        );
        assert_eq!(
            response.get("WARC-Concurrent-To"),
            request.get("WARC-Record-ID")
        );
        let head = String::from_utf8_lossy(&request.block).into_owned();
        assert!(head.starts_with("GET /"), "{head}");
        assert!(head.contains("\r\nUser-Agent: alliance-audit/"), "{head}");
        let http = response.http_response().unwrap();
        assert_eq!(
            response.get("WARC-Payload-Digest").unwrap(),
            sha1_digest(&http.body)
        );
    }
    // Every exchange, not only pages: robots.txt and sitemaps too.
    let targets: Vec<&str> = exchanges
        .iter()
        .filter_map(|r| r.get("WARC-Target-URI"))
        .collect();
    assert!(targets.iter().any(|t| t.ends_with("/robots.txt")));
    assert!(targets.iter().any(|t| t.ends_with("/sitemap.xml")));
    // Each fetched page has its response.
    let archive = Archive::open(&warc).unwrap();
    for page in rows(&crawled.join("pages.csv")) {
        if page["status"].is_empty() {
            continue;
        }
        let response = archive.last_response(&page["final_url"]).unwrap();
        assert_eq!(response.status.to_string(), page["status"], "{page:?}");
    }
}

#[test]
fn an_independent_reader_accepts_the_archive() {
    let (_dir, warc, _) = archived_demo();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/warcio_check.sh");
    let output = Command::new("bash")
        .arg(&script)
        .arg(&warc)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => {}
        Some(3) => panic!(
            "warcio could not be installed, so the archive was not checked by an \
             independent reader (PyPI is needed once; see tests/warcio_check.sh):\n{stderr}"
        ),
        _ => panic!("warcio rejected the archive:\n{stdout}\n{stderr}"),
    }
    assert!(!stdout.contains("digest failed"), "{stdout}");
    let indexed = stdout.lines().filter(|l| l.starts_with('{')).count();
    let ours = read_records(&warc).unwrap().len();
    assert_eq!(indexed, ours, "warcio index lists every record");
}

#[test]
fn a_crawl_killed_half_way_leaves_the_records_before_the_cut() {
    let (_dir, warc, _) = archived_demo();
    let bytes = std::fs::read(&warc).unwrap();
    let whole = Archive::from_bytes(bytes.clone()).unwrap().records();
    // A cut mid-member, as a kill during a write leaves it.
    let half = Archive::from_bytes(bytes[..bytes.len() / 2 + 7].to_vec()).unwrap();
    assert!(half.records() > 1 && half.records() < whole);
    assert!(half.run().is_some(), "the warcinfo record is still there");
}

#[test]
fn extract_reads_one_response_of_an_archive() {
    let (dir, warc, crawled) = archived_demo();
    let pages = rows(&crawled.join("pages.csv"));
    let page = pages
        .iter()
        .find(|p| p["alliance_id"] == "leru" && p["depth"] == "0")
        .unwrap();
    let stdout = run(
        dir.path(),
        &["extract", warc.to_str().unwrap(), "--url", &page["url"]],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["title"], page["title"].as_str());
    assert_eq!(json["url"], page["url"].as_str());

    let missing = bin()
        .current_dir(dir.path())
        .args([
            "extract",
            warc.to_str().unwrap(),
            "--url",
            "http://127.0.0.1:1/nowhere",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no response for"));
}
