//! The run database as a user meets it (issue 4): crawl, change the site, crawl again,
//! then `history`, `diff last previous` and `report`. Each test copies fixture sites
//! into its own temp directory, changes them there, and runs the binary in it.

mod conditional;
mod diff;
mod resume;
mod schedule;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub(crate) fn alliance_audit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

pub(crate) fn ok(dir: &Path, args: &[&str]) -> String {
    let output = alliance_audit(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fixtures folder holding the LIBER and WUN sites, for `demo --fixtures`.
pub(crate) fn fixture_sites(dir: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites");
    let fixtures = dir.join("fixtures");
    for site in ["liber", "wun"] {
        copy_dir(&source.join(site), &fixtures.join("sites").join(site));
    }
    std::fs::write(
        fixtures.join("sites.toml"),
        r#"
[defaults]
max_pages = 100
max_depth = 5
per_host_delay_ms = 0
concurrency_per_host = 4

[[alliance]]
id = "liber"
name = "LIBER"
start_urls = ["http://127.0.0.1:0/"]

[[alliance]]
id = "wun"
name = "Worldwide Universities Network"
start_urls = ["http://127.0.0.1:0/"]
"#,
    )
    .unwrap();
    fixtures
}

/// Replaces `from` by `to` in every HTML file under `dir`.
fn replace_in_site(dir: &Path, from: &str, to: &str) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            replace_in_site(&path, from, to);
        } else if path.extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replace(from, to)).unwrap();
        }
    }
}

/// The WUN site a month later: "Global Challenges" renamed, a library page added to
/// the main menu, the members page gone (404 now).
fn change_wun(fixtures: &Path) {
    let wun = fixtures.join("sites/wun");
    replace_in_site(&wun, ">Global Challenges<", ">Global Grand Challenges<");
    let home = wun.join("index.html");
    let text = std::fs::read_to_string(&home).unwrap();
    let menu_item = r#"<li><a href="/about/">About</a>"#;
    assert!(text.contains(menu_item), "the fixture's menu changed");
    std::fs::write(
        &home,
        text.replacen(
            menu_item,
            &format!("<li><a href=\"/libraries/\">Libraries</a></li>\n{menu_item}"),
            1,
        ),
    )
    .unwrap();
    std::fs::create_dir_all(wun.join("libraries")).unwrap();
    std::fs::write(
        wun.join("libraries/index.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><title>Libraries | WUN</title></head>\
         <body><main><h1>Library collaboration</h1><p>Our librarians work together.</p>\
         </main></body></html>",
    )
    .unwrap();
    std::fs::remove_dir_all(wun.join("about/members")).unwrap();
}

pub(crate) fn demo(dir: &Path, fixtures: &Path, out: &str, db: Option<&str>) {
    let fixtures = fixtures.to_str().unwrap();
    let mut args = vec!["demo", "--fixtures", fixtures, "--out", out, "-q"];
    if let Some(db) = db {
        args.extend(["--db", db]);
    }
    ok(dir, &args);
}

/// The path of a URL (`http://127.0.0.1:PORT/a/` → `/a/`): the demo's ports change per run.
fn path_of(url: &str) -> String {
    url::Url::parse(url).unwrap().path().to_string()
}

fn url_paths(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| path_of(u.as_str().unwrap()))
        .collect()
}

/// A site of `SLOW_PAGES` pages in a binary tree (`/p/0` links to `/p/1` and `/p/2`,
/// ...), each answered after a pause, so a crawl of it can be killed half way.
pub(crate) const SLOW_PAGES: usize = 40;

pub(crate) fn slow_site() -> axum::Router {
    use axum::extract::Path as UrlPath;
    use axum::response::Html;
    use axum::routing::get;
    async fn page(UrlPath(n): UrlPath<usize>) -> Html<String> {
        tokio::time::sleep(std::time::Duration::from_millis(120)).await;
        let links: String = [2 * n + 1, 2 * n + 2]
            .iter()
            .filter(|&&c| c < SLOW_PAGES)
            .map(|c| format!("<li><a href=\"/p/{c}\">Page {c}</a></li>"))
            .collect();
        let heading = if n % 7 == 3 {
            "Library network".to_string()
        } else {
            format!("Section {n}")
        };
        Html(format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Page {n}</title></head><body>\
             <header><nav aria-label=\"Main\"><ul><li><a href=\"/p/0\">Home</a></li>\
             <li><a href=\"/p/1\">About</a></li></ul></nav></header>\
             <main><h1>Page {n}</h1><h2>{heading}</h2><p>Text of page {n}.</p><ul>{links}</ul></main>\
             </body></html>"
        ))
    }
    axum::Router::new().route("/p/{n}", get(page)).route(
        "/",
        get(|| async { axum::response::Redirect::permanent("/p/0") }),
    )
}

fn pages_stored(db: &Path) -> usize {
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    conn.query_row("SELECT count(*) FROM pages", [], |row| row.get::<_, i64>(0))
        .map(|n| n as usize)
        .unwrap_or(0)
}

/// The rows of a CSV file, sorted, without the columns that differ between any two
/// runs (timestamps).
pub(crate) fn sorted_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .zip(&header)
                .filter(|(_, name)| !name.ends_with("_at"))
                .map(|(cell, _)| cell.to_string())
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

fn runs_with_status(db: &Path, status: &str) -> usize {
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    conn.query_row(
        "SELECT count(*) FROM runs WHERE status = ?1",
        [status],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n as usize)
    .unwrap_or(0)
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done() {
        assert!(
            started.elapsed().as_secs() < 60,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A small site that answers conditional requests: each page has an ETag, and
/// `If-None-Match` with it gets a 304. Page 3 changes when `version` does.
fn etag_site(version: Arc<AtomicUsize>) -> axum::Router {
    use axum::extract::{Path as UrlPath, State};
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    async fn page(
        State(version): State<Arc<AtomicUsize>>,
        UrlPath(n): UrlPath<usize>,
        request: HeaderMap,
    ) -> Response {
        let v = if n == 3 {
            version.load(Ordering::SeqCst)
        } else {
            1
        };
        let etag = format!("\"p{n}-v{v}\"");
        let asked = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok());
        if asked == Some(etag.as_str()) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
        }
        let links: String = [2 * n + 1, 2 * n + 2]
            .iter()
            .filter(|&&c| c < 7)
            .map(|c| format!("<li><a href=\"/p/{c}\">Page {c}</a></li>"))
            .collect();
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Page {n}</title></head><body>\
             <header><nav aria-label=\"Main\"><ul><li><a href=\"/p/0\">Home</a></li>\
             <li><a href=\"/p/1\">Library network</a></li></ul></nav></header>\
             <main><h1>Page {n}</h1><h2>Version {v}</h2><ul>{links}</ul></main></body></html>"
        );
        (
            [
                (header::ETAG, etag),
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            ],
            body,
        )
            .into_response()
    }
    axum::Router::new()
        .route("/p/{n}", get(page))
        .with_state(version)
}
