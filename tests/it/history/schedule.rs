//! `schedule`: cron, one scheduler per database, SIGTERM.

use super::*;

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
