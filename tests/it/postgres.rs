//! The run store in PostgreSQL (issue 12): the same schema and queries as SQLite, a
//! run read back identically from either, and a database that cannot be reached
//! refused before any work. The cluster is started by `support::postgres`.

use std::collections::BTreeMap;
use std::path::Path;

use alliance_audit::store::{DbTarget, Store, StoreWriter};

use crate::history::{alliance_audit, demo, fixture_sites, ok};
use crate::support::postgres;

/// Every file under `dir`, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().into_string().unwrap(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// Copies run `run_id` from one store to another through the writer, as a crawl
/// would have written it there.
fn copy_run(from: &Store, to: Store, run_id: &str) {
    let stored = from.run(run_id).unwrap();
    let start_urls: BTreeMap<String, String> = from
        .start_urls(run_id)
        .unwrap()
        .into_iter()
        .filter_map(|(id, url)| Some((id, url?)))
        .collect();
    let mut writer = StoreWriter::begin(to, &stored.info, &start_urls).unwrap();
    from.replay(run_id, false, |event| writer.handle(&event))
        .unwrap()
        .unwrap();
    writer
        .finish(stored.finished_at.as_deref().unwrap(), false)
        .unwrap();
}

#[test]
fn migrations_make_the_schema_once_and_a_second_open_changes_nothing() {
    let Some(url) = postgres::database("migrations") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let first = ok(dir.path(), &["history", "--db", &url]);
    assert_eq!(first.lines().nth(1), Some("(no runs)"), "{first}");
    let mut client = postgres::client(&url);
    let version: i64 = client
        .query_one("SELECT version FROM schema_version", &[])
        .unwrap()
        .get(0);
    let sqlite = Store::open(&dir.path().join("a.db")).unwrap();
    assert_eq!(version, sqlite.schema_version().unwrap());
    // Both have the same tables.
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_name <> 'schema_version' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let conn = rusqlite::Connection::open(dir.path().join("a.db")).unwrap();
    let mut query = conn
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY 1")
        .unwrap();
    let sqlite_tables: Vec<String> = query
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(tables, sqlite_tables);
    // Opened again (and by two at once): still one version row, nothing re-applied.
    let target = DbTarget::parse(&url);
    let a = std::thread::spawn({
        let target = target.clone();
        move || Store::connect(&target).map(|_| ())
    });
    Store::connect(&target).unwrap();
    a.join().unwrap().unwrap();
    let rows: i64 = client
        .query_one("SELECT count(*) FROM schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
}

#[test]
fn a_run_reads_back_identically_from_either_backend() {
    let Some(url) = postgres::database("identical") else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let fixtures = fixture_sites(dir);
    demo(dir, &fixtures, "run1", Some("a.db"));
    let sqlite = Store::open(&dir.join("a.db")).unwrap();
    let run_id = sqlite.resolve("last", None).unwrap();
    copy_run(
        &sqlite,
        Store::connect(&DbTarget::parse(&url)).unwrap(),
        &run_id,
    );

    ok(
        dir,
        &["report", &run_id, "--db", "a.db", "--out", "from-sqlite"],
    );
    ok(
        dir,
        &["report", &run_id, "--db", &url, "--out", "from-postgres"],
    );
    let (a, b) = (
        files(&dir.join("from-sqlite")),
        files(&dir.join("from-postgres")),
    );
    assert!(
        a.contains_key("pages.csv") && a.contains_key("report.html"),
        "{:?}",
        a.keys()
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between the backends");
    }
    // The reports are the crawl's own.
    assert_eq!(files(&dir.join("run1"))["pages.csv"], a["pages.csv"]);

    let history = |db: &str| ok(dir, &["history", "--db", db]);
    assert_eq!(history("a.db"), history(&url));
    let diff = |db: &str| {
        ok(
            dir,
            &["diff", &run_id, &run_id, "--db", db, "--format", "json"],
        )
    };
    assert_eq!(diff("a.db"), diff(&url));
    // The URL can come from the environment.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(["history"])
        .env("ALLIANCE_AUDIT_DB", &url)
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), history("a.db"));
}

#[test]
fn an_unreachable_database_or_a_bad_url_is_a_usage_error_before_any_work() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = format!("postgres://audit:s3cret@127.0.0.1:{port}/audit");
    for (db, why) in [
        (unreachable.as_str(), "cannot connect"),
        (
            "postgres://audit@127.0.0.1:notaport/audit",
            "not a PostgreSQL URL",
        ),
    ] {
        for args in [
            vec!["history", "--db", db],
            vec!["report", "last", "--db", db],
            vec!["diff", "last", "previous", "--db", db],
            // The bundled configuration: real sites, never reached.
            vec!["crawl", "--db", db, "-q"],
            vec!["crawl", "--db", db, "--enqueue"],
            vec!["worker", "--db", db, "--exit-when-idle"],
        ] {
            let output = alliance_audit(dir, &args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(stderr.contains(why), "{args:?}: {stderr}");
            assert!(!stderr.contains("s3cret"), "the password leaked: {stderr}");
        }
    }
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        0,
        "something was written"
    );
}
