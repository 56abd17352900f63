//! Runs queued in PostgreSQL and crawled by workers (issue 12): the same results as a
//! local crawl, a worker killed half-way taken over with nothing lost or stored twice,
//! a SIGTERM'd worker releasing its job, and never two workers on one host at once.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::history::{alliance_audit, ok, slow_site, sorted_rows, SLOW_PAGES};
use crate::support::{postgres, TestServer};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child` to exit 0.
fn succeeds(child: Child, what: &str) {
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{what}: {:?} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

fn wait_for(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed().as_secs() < secs,
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `crawl --enqueue`: its only line of output is the run id.
/// Starts `count` workers on `url` at once and waits until each has exited 0 after
/// the queue went idle.
fn run_workers_until_idle(dir: &Path, url: &str, count: usize) {
    let args = [
        "worker",
        "--db",
        url,
        "--exit-when-idle",
        "--lease-secs",
        "5",
        "-q",
    ];
    let workers: Vec<Child> = (0..count).map(|_| spawn(dir, &args)).collect();
    for worker in workers {
        succeeds(worker, "worker");
    }
}

fn enqueue(dir: &Path, url: &str) -> String {
    let out = ok(
        dir,
        &[
            "crawl",
            "--config",
            "alliances.toml",
            "--db",
            url,
            "--enqueue",
            "--concurrency",
            "2",
        ],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].starts_with("20"), "{out}");
    lines[0].to_string()
}

fn config(dir: &Path, alliances: &[(&str, String)]) {
    let mut text = "[defaults]\nmax_pages = 100\nmax_depth = 10\nper_host_delay_ms = 0\nconcurrency_per_host = 1\n".to_string();
    for (id, start) in alliances {
        text.push_str(&format!(
            "\n[[alliance]]\nid = \"{id}\"\nname = \"{id}\"\nstart_urls = [\"{start}\"]\n"
        ));
    }
    std::fs::write(dir.join("alliances.toml"), text).unwrap();
}

fn compare_runs(a: &Path, b: &Path) {
    compare_moved(a, b, ("", ""));
}

/// [`compare_runs`] for a site served at another address in `b` (`moved`: from, to).
fn compare_moved(a: &Path, b: &Path, moved: (&str, &str)) {
    for name in [
        "pages.csv",
        "summary.csv",
        "navigation.csv",
        "headings.csv",
        "evidence.csv",
    ] {
        let mut b_rows: Vec<Vec<String>> = sorted_rows(&b.join(name))
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|c| {
                        if moved.0.is_empty() {
                            c
                        } else {
                            c.replace(moved.0, moved.1)
                        }
                    })
                    .collect()
            })
            .collect();
        b_rows.sort();
        assert_eq!(sorted_rows(&a.join(name)), b_rows, "{name}");
    }
}

#[test]
fn two_workers_give_the_results_of_a_local_crawl() {
    let Some(url) = postgres::database("two_workers") else {
        return;
    };
    let runtime = runtime();
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let sites = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites");
    let ids = ["liber", "wun", "leru", "coimbra-group"];
    let servers: Vec<_> = ids
        .iter()
        .map(|id| {
            runtime
                .block_on(alliance_audit::cli::demo::serve::StaticServer::start(
                    sites.join(id),
                ))
                .unwrap()
        })
        .collect();
    config(
        dir,
        &ids.iter()
            .zip(&servers)
            .map(|(id, s)| (*id, s.url()))
            .collect::<Vec<_>>(),
    );
    ok(
        dir,
        &[
            "crawl",
            "--config",
            "alliances.toml",
            "--db",
            "local.db",
            "--out",
            "local",
            "-q",
        ],
    );

    let run = enqueue(dir, &url);
    let history = ok(dir, &["history", "--db", &url]);
    assert!(
        history.contains(&run) && history.contains("running"),
        "{history}"
    );
    run_workers_until_idle(dir, &url, 2);
    let history = ok(dir, &["history", "--db", &url]);
    let line = history.lines().find(|l| l.starts_with(&run)).unwrap();
    assert!(line.contains("complete"), "{history}");
    ok(
        dir,
        &[
            "report", &run, "--db", &url, "--out", "queued", "--format", "csv",
        ],
    );
    compare_runs(&dir.join("local"), &dir.join("queued"));
    // Both workers had work: four jobs, two claimants.
    let mut client = postgres::client(&url);
    let jobs: i64 = client
        .query_one(
            "SELECT count(*) FROM jobs WHERE run_id = $1 AND state = 'done'",
            &[&run],
        )
        .unwrap()
        .get(0);
    assert_eq!(jobs, 4);

    // `crawl --db URL` without --enqueue queues and works itself, with the local files.
    ok(
        dir,
        &[
            "crawl",
            "--config",
            "alliances.toml",
            "--db",
            &url,
            "--out",
            "direct",
            "-q",
        ],
    );
    compare_runs(&dir.join("local"), &dir.join("direct"));
    assert!(dir.join("direct/report.html").is_file());
}

fn stored_urls(url: &str) -> Vec<String> {
    let Ok(mut client) = ::postgres::Client::connect(url, ::postgres::NoTls) else {
        return Vec::new();
    };
    client
        .query("SELECT url FROM pages", &[])
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default()
}

fn job_state(url: &str) -> String {
    postgres::client(url)
        .query_one("SELECT state FROM jobs", &[])
        .unwrap()
        .get(0)
}

#[test]
fn a_stopped_and_a_killed_worker_are_taken_over_with_nothing_lost_or_twice() {
    let Some(url) = postgres::database("takeover") else {
        return;
    };
    let runtime = runtime();
    let reference = runtime.block_on(TestServer::start(slow_site()));
    let server = runtime.block_on(TestServer::start(slow_site()));
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    config(dir, &[("slow", reference.url("/p/0").to_string())]);
    ok(
        dir,
        &[
            "crawl",
            "--config",
            "alliances.toml",
            "--db",
            "local.db",
            "--out",
            "local",
            "-q",
            "--concurrency",
            "2",
        ],
    );
    config(dir, &[("slow", server.url("/p/0").to_string())]);
    let run = enqueue(dir, &url);
    let worker = || spawn(dir, &["worker", "--db", &url, "--lease-secs", "2", "-q"]);

    // SIGTERM: the page in flight finishes, the job goes back to the queue, exit 0.
    let first = worker();
    wait_for("pages from the first worker", 30, || {
        stored_urls(&url).len() >= 5
    });
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(first.id() as i32, libc::SIGTERM) };
    succeeds(first, "the SIGTERM'd worker");
    assert_eq!(job_state(&url), "queued");
    let after_first = stored_urls(&url).len();

    // SIGKILL: no chance to release; the job is taken over once its lease runs out.
    let mut second = worker();
    wait_for("pages from the second worker", 30, || {
        stored_urls(&url).len() >= after_first + 5
    });
    second.kill().unwrap();
    second.wait().unwrap();
    let stored_before = stored_urls(&url);
    assert!(
        stored_before.len() < SLOW_PAGES,
        "killed too late: {}",
        stored_before.len()
    );
    assert_eq!(
        job_state(&url),
        "running",
        "the killed worker's lease is still on"
    );
    let hits_before = server.log().len();

    succeeds(
        spawn(
            dir,
            &[
                "worker",
                "--db",
                &url,
                "--lease-secs",
                "2",
                "--exit-when-idle",
                "-q",
            ],
        ),
        "the third worker",
    );
    let history = ok(dir, &["history", "--db", &url]);
    assert!(
        history
            .lines()
            .any(|l| l.starts_with(&run) && l.contains("complete")),
        "{history}"
    );
    ok(
        dir,
        &[
            "report", &run, "--db", &url, "--out", "queued", "--format", "csv",
        ],
    );
    let (from, to) = (server.addr.to_string(), reference.addr.to_string());
    compare_moved(&dir.join("local"), &dir.join("queued"), (&from, &to));
    // No page stored twice, none fetched again once stored.
    let all = stored_urls(&url);
    let distinct: BTreeSet<&String> = all.iter().collect();
    assert_eq!(all.len(), distinct.len(), "a page stored twice");
    let after: Vec<String> = server.log()[hits_before..]
        .iter()
        .map(|h| h.target.clone())
        .collect();
    for stored in &stored_before {
        let path = url::Url::parse(stored).unwrap().path().to_string();
        assert!(
            !after.contains(&path),
            "{path} fetched again after the takeover"
        );
    }
    let attempts: i64 = postgres::client(&url)
        .query_one("SELECT attempts FROM jobs", &[])
        .unwrap()
        .get(0);
    assert_eq!(attempts, 3);
}

/// Two sections of one host, each a small site of its own.
fn shared_host() -> axum::Router {
    use axum::extract::Path as UrlPath;
    use axum::response::Html;
    use axum::routing::get;
    async fn page(UrlPath((section, n)): UrlPath<(String, usize)>) -> Html<String> {
        tokio::time::sleep(Duration::from_millis(30)).await;
        let links: String = (n + 1..(n + 3).min(12))
            .map(|c| format!("<a href=\"/{section}/{c}\">Page {c}</a> "))
            .collect();
        Html(format!(
            "<!DOCTYPE html><html><head><title>{section} {n}</title></head><body><main><h1>{section} {n}</h1><p>{links}</p></main></body></html>"
        ))
    }
    axum::Router::new().route("/{section}/{n}", get(page))
}

#[test]
fn two_workers_never_crawl_one_host_at_once() {
    let Some(url) = postgres::database("one_host") else {
        return;
    };
    let runtime = runtime();
    let server = runtime.block_on(TestServer::start(shared_host()));
    let other = runtime.block_on(TestServer::start(shared_host()));
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    config(
        dir,
        &[
            ("a", server.url("/a/0").to_string()),
            ("b", server.url("/b/0").to_string()),
            ("c", other.url("/c/0").to_string()),
        ],
    );
    enqueue(dir, &url);
    run_workers_until_idle(dir, &url, 2);
    // Requests of alliance a and of alliance b (same host) never interleave.
    let log = server.log();
    let span = |prefix: &str| {
        let times: Vec<_> = log
            .iter()
            .filter(|h| h.target.starts_with(prefix))
            .map(|h| h.at)
            .collect();
        assert!(times.len() >= 10, "{prefix}: {} requests", times.len());
        (*times.iter().min().unwrap(), *times.iter().max().unwrap())
    };
    let (a, b) = (span("/a/"), span("/b/"));
    assert!(
        a.1 < b.0 || b.1 < a.0,
        "alliances a and b crawled one host at once"
    );
    assert!(
        other
            .log()
            .iter()
            .filter(|h| h.target.starts_with("/c/"))
            .count()
            >= 10
    );
}

#[test]
fn the_queue_needs_postgresql() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    for args in [
        vec!["crawl", "--db", "local.db", "--enqueue"],
        vec!["worker", "--db", "local.db"],
    ] {
        let output = alliance_audit(dir, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("postgres://"),
            "{args:?}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        0,
        "something was written"
    );
}
