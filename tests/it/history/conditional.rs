//! A second crawl: conditional requests reuse what a 304 leaves unchanged; menus stored once.

use super::*;

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
