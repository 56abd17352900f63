//! The run database as a user meets it (issue 4): crawl, change the site, crawl again,
//! then `history`, `diff last previous` and `report`. Each test copies fixture sites
//! into its own temp directory, changes them there, and runs the binary in it.

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

#[test]
fn a_changed_site_diffs_as_changed_and_a_stored_run_reexports_identically() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let fixtures = fixture_sites(dir);
    // The first run uses the default database in the working directory.
    demo(dir, &fixtures, "run1", None);
    assert!(dir.join("alliance-audit.db").is_file());
    change_wun(&fixtures);
    demo(dir, &fixtures, "run2", Some("alliance-audit.db"));

    let history = ok(dir, &["history"]);
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 3, "{history}");
    assert!(
        lines[1].contains("complete") && lines[2].contains("complete"),
        "{history}"
    );
    assert!(lines[1].contains("2 leading"), "{history}");
    assert!(lines[2].contains("1 leading, 1 absent"), "{history}");
    let wun_only = ok(dir, &["history", "--alliance", "wun", "--limit", "1"]);
    assert!(wun_only.contains("wun: leading"), "{wun_only}");
    assert_eq!(wun_only.lines().count(), 2, "{wun_only}");

    let json: Value =
        serde_json::from_str(&ok(dir, &["diff", "last", "previous", "--format", "json"])).unwrap();
    let alliances = json["alliances"].as_array().unwrap();
    let liber = alliances
        .iter()
        .find(|a| a["alliance_id"] == "liber")
        .unwrap();
    let wun = alliances
        .iter()
        .find(|a| a["alliance_id"] == "wun")
        .unwrap();
    // Nothing changed on LIBER's site; its new port is not a change.
    for list in [
        "verdicts",
        "nav_added",
        "nav_removed",
        "nav_renamed",
        "pages_new",
        "pages_gone",
        "headings",
    ] {
        assert_eq!(liber[list], serde_json::json!([]), "liber {list}");
    }

    let verdicts = wun["verdicts"].as_array().unwrap();
    let library = verdicts
        .iter()
        .find(|v| v["topic"] == "library-collaboration")
        .expect("the library verdict changed");
    assert_eq!(
        (library["from"].as_str(), library["to"].as_str()),
        (Some("absent"), Some("leading"))
    );
    assert_eq!(library["evidence_is"], "gained");
    let evidence = &library["evidence"];
    assert!(
        evidence
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["location"] == "nav" && e["snippet"] == "Libraries"),
        "{evidence}"
    );

    let renamed = wun["nav_renamed"].as_array().unwrap();
    assert_eq!(renamed.len(), 1, "{renamed:?}");
    assert_eq!(renamed[0]["old_label"], "Global Challenges");
    assert_eq!(renamed[0]["new_label"], "Global Grand Challenges");
    assert_eq!(renamed[0]["menu_kind"], "primary");
    // The renamed dropdown's children are not changes of their own.
    let added: Vec<String> = wun["nav_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(added, ["Libraries"]);
    assert_eq!(url_paths(&wun["pages_new"]), ["/libraries/"]);
    assert_eq!(url_paths(&wun["pages_gone"]), Vec::<String>::new());
    let failing = wun["pages_failing"].as_array().unwrap();
    assert_eq!(failing.len(), 1, "{failing:?}");
    assert_eq!(
        path_of(failing[0]["url"].as_str().unwrap()),
        "/about/members/"
    );
    assert_eq!(failing[0]["outcome"], "http_error");
    assert_eq!(failing[0]["status"], 404);
    let home = wun["headings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| path_of(h["url"].as_str().unwrap()) == "/")
        .expect("the home page's headings changed");
    assert_eq!(home["added"][0]["text"], "Global Grand Challenges");
    assert_eq!(home["removed"][0]["text"], "Global Challenges");

    // The order of A and B does not matter: the older run is the base.
    let forward = ok(dir, &["diff", "previous", "last", "--format", "json"]);
    assert_eq!(serde_json::from_str::<Value>(&forward).unwrap(), json);

    // Text for a person, CSV for a spreadsheet.
    let text = ok(dir, &["diff", "last", "previous", "--alliance", "wun"]);
    assert!(
        text.contains("verdict library-collaboration: absent -> leading"),
        "{text}"
    );
    assert!(
        text.contains("renamed \"Global Grand Challenges\""),
        "{text}"
    );
    assert!(!text.contains("liber"), "{text}");
    let csv = ok(dir, &["diff", "last", "previous", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["alliance_id", "change", "kind", "url", "old", "new"]
    );
    let changes: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    for change in [
        "verdict",
        "verdict_evidence",
        "nav_renamed",
        "nav_added",
        "page_new",
        "page_failing",
        "heading_added",
        "heading_removed",
    ] {
        assert!(
            changes.iter().any(|c| c == change),
            "{change} missing: {changes:?}"
        );
    }

    // report.html says what changed since each alliance's previous run.
    let html = std::fs::read_to_string(dir.join("run2/report.html")).unwrap();
    let first_id = json["older"].as_str().unwrap();
    assert!(
        html.contains(&format!("<h3>Changes since run {first_id}</h3>")),
        "{html}"
    );
    assert!(
        html.contains("verdict library-collaboration: absent → leading"),
        "{html}"
    );
    assert!(
        html.contains("primary menu item renamed: &quot;Global Challenges&quot; → &quot;Global Grand Challenges&quot;"),
        "{html}"
    );
    assert!(
        html.contains("<p>No changes.</p>"),
        "LIBER did not change: {html}"
    );
    let first = std::fs::read_to_string(dir.join("run1/report.html")).unwrap();
    assert!(
        !first.contains("Changes since"),
        "nothing to compare the first run with"
    );

    // The page opens with the matrix, then each alliance's verdicts over its runs
    // (issue 14): WUN's strip shows absent in run 1, then leading in run 2 (outlined).
    let matrix = html.find("<table class=\"matrix\">").expect("the matrix");
    let timeline = html
        .find("<section id=\"timeline\">")
        .expect("the timeline");
    assert!(matrix < timeline && timeline < html.find("<h2>Summary</h2>").unwrap());
    let wun = html
        .split("<figure class=\"strip\" data-alliance=\"wun\">")
        .nth(1)
        .and_then(|rest| rest.split("</figure>").next())
        .expect("WUN's strip");
    let library = |verdict: &str| {
        wun.find(&format!(
            "<g class=\"point {verdict}\"><title>library-collaboration: run"
        ))
        .unwrap_or_else(|| panic!("no {verdict} square: {wun}"))
    };
    assert!(library("absent") < library("leading"), "{wun}");
    assert!(wun.contains("2 runs,"), "{wun}");
    assert!(
        first.contains("first run of these alliances in the database"),
        "one run: no timeline yet"
    );

    // `report` replays the stored run through the report writer: the same files.
    ok(dir, &["report", "last", "--out", "again"]);
    for name in [
        "summary.csv",
        "pages.csv",
        "navigation.csv",
        "headings.csv",
        "evidence.csv",
        "errors.csv",
        "skipped.csv",
        "summary.jsonl",
        "pages.jsonl",
        "navigation.jsonl",
        "headings.jsonl",
        "evidence.jsonl",
        "errors.jsonl",
        "skipped.jsonl",
        "report.html",
        "run.json",
    ] {
        let original = std::fs::read(dir.join("run2").join(name)).unwrap();
        let again = std::fs::read(dir.join("again").join(name)).unwrap();
        assert!(original == again, "{name} differs after report");
    }
    ok(
        dir,
        &["report", "previous", "--out", "csv-only", "--format", "csv"],
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.join("csv-only"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "errors.csv",
            "evidence.csv",
            "headings.csv",
            "navigation.csv",
            "pages.csv",
            "run.json",
            "skipped.csv",
            "summary.csv"
        ]
    );
}

#[test]
fn reading_commands_need_an_existing_database_and_a_known_run() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let output = alliance_audit(dir, &["history"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no run database"));
    assert!(
        !dir.join("alliance-audit.db").exists(),
        "history must not create a database"
    );

    let fixtures = fixture_sites(dir);
    demo(dir, &fixtures, "run1", Some("runs.db"));
    let output = alliance_audit(dir, &["diff", "last", "previous", "--db", "runs.db"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no previous run"));
    let output = alliance_audit(dir, &["report", "19990101T000000Z", "--db", "runs.db"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no run \"19990101T000000Z\""));
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

#[test]
fn a_killed_crawl_resumes_to_the_result_of_an_uninterrupted_one() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(crate::support::TestServer::start(slow_site()));
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    std::fs::write(
        dir.join("alliances.toml"),
        format!(
            "[defaults]\nmax_pages = 100\nmax_depth = 10\nper_host_delay_ms = 0\nconcurrency_per_host = 2\n\n\
             [[alliance]]\nid = \"slow\"\nname = \"Slow Alliance\"\nstart_urls = [\"{}\"]\n",
            server.url("/p/0")
        ),
    )
    .unwrap();
    let crawl = |db: &str, out: &str| -> Vec<String> {
        [
            "crawl",
            "--config",
            "alliances.toml",
            "--concurrency",
            "2",
            "-q",
            "--db",
            db,
            "--out",
            out,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };

    // The reference: the same crawl, never interrupted.
    let args = crawl("whole.db", "whole");
    ok(dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let reference_hits = server.total_hits();

    // Killed outright (SIGKILL: no chance to clean up) once some pages are stored.
    let args = crawl("killed.db", "killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(&args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while pages_stored(&dir.join("killed.db")) < 10 {
        assert!(started.elapsed().as_secs() < 30, "the crawl stored nothing");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let stored = pages_stored(&dir.join("killed.db"));
    assert!(
        stored < SLOW_PAGES,
        "killed too late to show anything: {stored} pages"
    );
    assert!(
        !dir.join("killed/run.json").exists(),
        "a killed run has no run.json"
    );
    let history = ok(dir, &["history", "--db", "killed.db"]);
    assert!(history.contains("interrupted"), "{history}");
    let hits_before = server.log().len();
    let stored_urls: Vec<String> = {
        let conn = rusqlite::Connection::open(dir.join("killed.db")).unwrap();
        let mut query = conn.prepare("SELECT url FROM pages").unwrap();
        let urls = query.query_map([], |row| row.get(0)).unwrap();
        urls.map(Result::unwrap).collect()
    };

    // Resumed: the same reports as the uninterrupted crawl.
    let mut args = crawl("killed.db", "killed");
    args.extend(["--resume".to_string(), "last".to_string()]);
    ok(dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    for name in [
        "pages.csv",
        "summary.csv",
        "navigation.csv",
        "headings.csv",
        "evidence.csv",
        "errors.csv",
    ] {
        assert_eq!(
            sorted_rows(&dir.join("killed").join(name)),
            sorted_rows(&dir.join("whole").join(name)),
            "{name}"
        );
    }
    let run: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("killed/run.json")).unwrap())
            .unwrap();
    assert_eq!(run["interrupted"], false);
    let history = ok(dir, &["history", "--db", "killed.db"]);
    assert!(
        history.contains("complete") && !history.contains("interrupted"),
        "{history}"
    );

    // Pages stored before the kill were not fetched again.
    let after: Vec<String> = server.log()[hits_before..]
        .iter()
        .map(|hit| hit.target.clone())
        .collect();
    for url in &stored_urls {
        let path = url::Url::parse(url).unwrap().path().to_string();
        assert!(
            !after.contains(&path),
            "{path} fetched again after the resume"
        );
    }
    assert!(
        after.len() < reference_hits,
        "the resume did not start over"
    );

    // A complete run is not resumed.
    let output = alliance_audit(dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing to resume"));
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

#[test]
fn schedule_runs_on_its_cron_alone_per_database_and_stops_on_sigterm() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(crate::support::TestServer::start(slow_site()));
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    std::fs::write(
        dir.join("small.toml"),
        format!(
            "[defaults]\nmax_pages = 3\nmax_depth = 2\nper_host_delay_ms = 0\nconcurrency_per_host = 2\n\n\
             [[alliance]]\nid = \"slow\"\nname = \"Slow Alliance\"\nstart_urls = [\"{}\"]\n",
            server.url("/p/0")
        ),
    )
    .unwrap();
    let schedule = |db: &str, extra: &[&str]| {
        let mut args = vec![
            "schedule",
            "--cron",
            "* * * * * *",
            "--config",
            "small.toml",
            "--db",
            db,
            "-q",
        ];
        args.extend(extra);
        Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
            .args(&args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };

    // Every second, two runs, and meanwhile a second scheduler on the database refuses.
    let first = schedule("s.db", &["--max-runs", "2"]);
    wait_for("the first scheduled run", || {
        runs_with_status(&dir.join("s.db"), "running")
            + runs_with_status(&dir.join("s.db"), "complete")
            > 0
    });
    let second = schedule("s.db", &["--max-runs", "1"])
        .wait_with_output()
        .unwrap();
    assert!(!second.status.success());
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(
        message.contains("another scheduler is running"),
        "{message}"
    );
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(runs_with_status(&dir.join("s.db"), "complete"), 2);
    // Each run has its own run directory.
    let run_dirs = std::fs::read_dir(dir.join("runs")).unwrap().count();
    assert_eq!(run_dirs, 2);
    // A bad expression is a usage error.
    let bad = alliance_audit(
        dir,
        &["schedule", "--cron", "61 * * * *", "--config", "small.toml"],
    );
    assert_eq!(bad.status.code(), Some(2));

    // No --max-runs: it runs until SIGTERM, then stops cleanly.
    let mut endless = schedule("t.db", &[]);
    wait_for("a scheduled run", || {
        runs_with_status(&dir.join("t.db"), "complete") > 0
    });
    let killed = Command::new("kill")
        .args(["-TERM", &endless.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut status = None;
    wait_for("the scheduler to stop", || {
        status = endless.try_wait().unwrap();
        status.is_some()
    });
    assert!(status.unwrap().success());
    assert_eq!(runs_with_status(&dir.join("t.db"), "running"), 0);
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

#[test]
fn a_second_crawl_asks_conditionally_and_reuses_what_a_304_leaves_unchanged() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let version = Arc::new(AtomicUsize::new(1));
    let server = runtime.block_on(crate::support::TestServer::start(etag_site(
        version.clone(),
    )));
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    std::fs::write(
        dir.join("alliances.toml"),
        format!(
            "[defaults]\nmax_pages = 20\nmax_depth = 5\nper_host_delay_ms = 0\nconcurrency_per_host = 2\n\n\
             [[alliance]]\nid = \"etag\"\nname = \"ETag Alliance\"\nstart_urls = [\"{}\"]\n",
            server.url("/p/0")
        ),
    )
    .unwrap();
    let crawl = |out: &str| {
        ok(
            dir,
            &[
                "crawl",
                "--config",
                "alliances.toml",
                "-q",
                "--db",
                "c.db",
                "--out",
                out,
            ],
        )
    };
    let statuses = |out: &str| -> Vec<String> {
        let mut reader = csv::Reader::from_path(dir.join(out).join("pages.csv")).unwrap();
        let mut statuses: Vec<String> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                format!("{} {}", path_of(&r[1]), &r[5])
            })
            .collect();
        statuses.sort();
        statuses
    };

    crawl("first");
    let first_hits = server.total_hits();
    assert!(
        statuses("first").iter().all(|s| s.ends_with(" 200")),
        "{:?}",
        statuses("first")
    );

    crawl("second");
    let second: Vec<String> = statuses("second");
    assert_eq!(second.len(), 7, "{second:?}");
    assert!(second.iter().all(|s| s.ends_with(" 304")), "{second:?}");
    assert_eq!(
        server.total_hits() - first_hits,
        first_hits,
        "one request per URL again"
    );
    // What a 304 reuses is what was read: the same rows.
    for name in [
        "summary.csv",
        "navigation.csv",
        "headings.csv",
        "evidence.csv",
    ] {
        assert_eq!(
            sorted_rows(&dir.join("second").join(name)),
            sorted_rows(&dir.join("first").join(name)),
            "{name}"
        );
    }

    // Page 3 changes: it is read again, the others are still not modified.
    version.store(2, Ordering::SeqCst);
    crawl("third");
    let third = statuses("third");
    assert!(third.contains(&"/p/3 200".to_string()), "{third:?}");
    assert_eq!(
        third.iter().filter(|s| s.ends_with(" 304")).count(),
        6,
        "{third:?}"
    );
    let diff: Value = serde_json::from_str(&ok(
        dir,
        &[
            "diff", "last", "previous", "--db", "c.db", "--format", "json",
        ],
    ))
    .unwrap();
    let headings = &diff["alliances"][0]["headings"];
    assert_eq!(headings.as_array().unwrap().len(), 1, "{headings}");
    assert_eq!(path_of(headings[0]["url"].as_str().unwrap()), "/p/3");
    assert_eq!(headings[0]["added"][0]["text"], "Version 2");
}

/// A menu the site repeats on every page is stored once per alliance with the count of
/// pages that showed it (issue 13), not once per page; the reports re-exported from
/// the database are still the crawl's own (checked above), and so are the page counts.
#[test]
fn a_menu_on_every_page_is_stored_once_per_alliance_with_its_page_count() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let fixtures = fixture_sites(dir);
    demo(dir, &fixtures, "run", Some("a.db"));
    let conn = rusqlite::Connection::open(dir.join("a.db")).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM nav_items"), 0);
    // LIBER's primary menu: one row, on every page read (18 ok, see fixtures/sites).
    let (rows, pages, items): (i64, i64, String) = conn
        .query_row(
            "SELECT count(*), max(pages), max(items) FROM menus
             WHERE alliance_id = 'liber' AND kind = 'primary'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    let liber_pages = count(
        "SELECT count(*) FROM pages WHERE alliance_id = 'liber' AND outcome = 'ok'
         AND menus LIKE '%' || (SELECT hash FROM menus WHERE alliance_id = 'liber' AND kind = 'primary') || '%'",
    );
    assert_eq!(rows, 1);
    assert_eq!(pages, liber_pages);
    assert!(pages >= 10, "{pages}");
    assert!(items.contains("Member Libraries"), "{items}");
    // Every page's menus are stored, and the counts add up to the pages' lists.
    let listed: i64 = {
        let mut query = conn
            .prepare("SELECT menus FROM pages WHERE menus IS NOT NULL")
            .unwrap();
        let rows = query.query_map([], |row| row.get::<_, String>(0)).unwrap();
        rows.map(|r| r.unwrap().split_whitespace().count() as i64)
            .sum()
    };
    assert_eq!(count("SELECT sum(pages) FROM menus"), listed);
    let distinct = count("SELECT count(*) FROM menus");
    assert!(
        distinct * 2 < listed,
        "{distinct} menus for {listed} listed"
    );
    // The navigation report counts pages as before.
    let navigation = std::fs::read_to_string(dir.join("run/navigation.csv")).unwrap();
    assert!(
        navigation
            .lines()
            .any(|l| l.starts_with("liber,primary,0,,About,") && l.ends_with(&format!(",{pages}"))),
        "{navigation}"
    );
}
