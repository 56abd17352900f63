//! `crawl --resume` after a kill.

use super::*;

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
