//! The database schema, as a list of migrations applied in order.
//!
//! Migration `i` (counting from 1) moves the database from version `i - 1` to `i`, in
//! one transaction with the version bump. The version is SQLite's `user_version`, or
//! in PostgreSQL the one row of `schema_version`; there the migrations run under an
//! advisory lock, so workers starting together migrate once. The same text serves
//! both: it is SQLite's, and [`dialect::migration`] makes it PostgreSQL's.
//! A database made by an older alliance-audit opens in a newer one (the missing
//! migrations run on open); a database made by a *newer* one is refused rather than
//! misread. Migrations are append-only: never edit one that has shipped.

use super::db::{args, dialect, Db, DbError};

/// Every migration, oldest first. `MIGRATIONS.len()` is the current schema version.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: runs, their alliances and verdicts, page records with their extraction,
    // navigation items, headings, evidence, robots.txt, the frontier, the HTTP cache.
    r#"
CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    -- running, complete, interrupted (a run killed outright stays 'running')
    status        TEXT NOT NULL,
    tool_version  TEXT NOT NULL,
    config_hash   TEXT NOT NULL,
    topics        TEXT NOT NULL,  -- JSON array of topic ids, configuration order
    options       TEXT NOT NULL,  -- JSON object: the effective crawl options
    pid           INTEGER         -- the process writing it, while running
);

CREATE TABLE run_alliances (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    alliance_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    start_url     TEXT,           -- the first start URL, to line up runs of a moved site
    started_at    TEXT,
    started_seq   INTEGER,
    finished_at   TEXT,
    finished_seq  INTEGER,
    cut_off       INTEGER NOT NULL DEFAULT 0,
    stopped       INTEGER NOT NULL DEFAULT 0,  -- finished because the run was stopped
    PRIMARY KEY (run_id, alliance_id)
);

CREATE TABLE alliance_verdicts (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    alliance_id   TEXT NOT NULL,
    topic         TEXT NOT NULL,
    verdict       TEXT NOT NULL,
    score         INTEGER NOT NULL,
    coverage      REAL NOT NULL,
    pages_ok      INTEGER NOT NULL,
    pages_failed  INTEGER NOT NULL,
    pages_blocked INTEGER NOT NULL,
    pages_cut_off INTEGER NOT NULL,
    pages_skipped INTEGER NOT NULL,
    evidence_count INTEGER NOT NULL,
    first_evidence_url TEXT,
    PRIMARY KEY (run_id, alliance_id, topic)
);

CREATE TABLE pages (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,  -- arrival order of the run's events
    alliance_id   TEXT NOT NULL,
    url           TEXT NOT NULL,
    final_url     TEXT NOT NULL,
    depth         INTEGER NOT NULL,
    outcome       TEXT NOT NULL,
    status        INTEGER,
    content_type  TEXT,
    title         TEXT,
    lang          TEXT,
    words         INTEGER,
    verdict       TEXT,              -- for the run's first topic
    error         TEXT,
    fetched_at    TEXT NOT NULL,
    extraction    TEXT,              -- JSON: the page as extracted (ok pages)
    detection     TEXT,              -- JSON: evidence and verdicts (counted ok pages)
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX pages_by_url ON pages (run_id, alliance_id, url);

CREATE VIEW errors AS
    SELECT run_id, seq, alliance_id, url, outcome, status, error FROM pages WHERE outcome <> 'ok';

CREATE TABLE nav_items (
    run_id        TEXT NOT NULL,
    page_seq      INTEGER NOT NULL,
    menu          INTEGER NOT NULL,  -- the menu's position on its page
    menu_kind     TEXT NOT NULL,
    menu_label    TEXT NOT NULL,
    position      INTEGER NOT NULL,
    depth         INTEGER NOT NULL,
    path          TEXT NOT NULL,     -- ancestor labels joined with ' > '
    label         TEXT NOT NULL,
    href          TEXT,
    PRIMARY KEY (run_id, page_seq, menu, position),
    FOREIGN KEY (run_id, page_seq) REFERENCES pages(run_id, seq) ON DELETE CASCADE
);

CREATE TABLE headings (
    run_id        TEXT NOT NULL,
    page_seq      INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    level         INTEGER NOT NULL,
    text          TEXT NOT NULL,
    PRIMARY KEY (run_id, page_seq, position),
    FOREIGN KEY (run_id, page_seq) REFERENCES pages(run_id, seq) ON DELETE CASCADE
);

CREATE TABLE evidence (
    run_id        TEXT NOT NULL,
    page_seq      INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    topic         TEXT NOT NULL,
    term          TEXT NOT NULL,
    location      TEXT NOT NULL,
    snippet       TEXT NOT NULL,
    collaboration INTEGER NOT NULL,
    level         TEXT NOT NULL,
    weight        INTEGER NOT NULL,
    menu_kind     TEXT,
    heading_level INTEGER,
    PRIMARY KEY (run_id, page_seq, position),
    FOREIGN KEY (run_id, page_seq) REFERENCES pages(run_id, seq) ON DELETE CASCADE
);

CREATE TABLE robots (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    alliance_id   TEXT NOT NULL,
    host          TEXT NOT NULL,
    status        INTEGER,
    body          TEXT NOT NULL,
    fetched_at    TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- URLs queued for fetching, as the crawl queued them: with the pages already
-- recorded, what a resumed run starts from.
CREATE TABLE frontier (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    alliance_id   TEXT NOT NULL,
    url           TEXT NOT NULL,
    depth         INTEGER NOT NULL,
    PRIMARY KEY (run_id, alliance_id, url)
);

-- Validators of the last 2xx HTML response per URL, for conditional requests.
CREATE TABLE http_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    run_id        TEXT NOT NULL,
    fetched_at    TEXT NOT NULL
);
"#,
    // 2: a page's outgoing links (what a 304 reuses to crawl on), and pages by URL
    // (to find the page an HTTP cache entry stands for).
    r#"
ALTER TABLE pages ADD COLUMN links TEXT;  -- JSON array, ok pages
CREATE INDEX pages_by_page_url ON pages (url);
"#,
    // 3: every URL known and not read, with why (skipped.csv), and the counts that
    // make coverage "read of known".
    r#"
CREATE TABLE skipped (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,  -- arrival order, shared with pages
    alliance_id   TEXT NOT NULL,
    url           TEXT NOT NULL,
    reason        TEXT NOT NULL,
    found_by      TEXT NOT NULL,
    found_on      TEXT,
    depth         INTEGER NOT NULL,
    priority      INTEGER NOT NULL,
    relevant      INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
);
ALTER TABLE alliance_verdicts ADD COLUMN urls_known INTEGER;
ALTER TABLE alliance_verdicts ADD COLUMN urls_skipped INTEGER;
ALTER TABLE alliance_verdicts ADD COLUMN unread_relevant INTEGER;
"#,
    // 4: runs queued in PostgreSQL for workers (issue 12): what a worker needs to
    // crawl a run with no configuration file of its own, and the queue, one job per
    // alliance, each with the hosts it crawls (no two running jobs share one).
    r#"
ALTER TABLE runs ADD COLUMN settings TEXT;  -- JSON: configuration, topics, crawl settings
ALTER TABLE runs ADD COLUMN next_seq INTEGER;  -- event numbers reserved by workers so far
CREATE TABLE jobs (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    alliance_id   TEXT NOT NULL,
    state         TEXT NOT NULL,     -- queued, running, done
    worker        TEXT,              -- who holds it (host:pid:n), while running
    lease_until   INTEGER,           -- ms since the epoch, by the database's clock
    attempts      INTEGER NOT NULL DEFAULT 0,
    finished_at   TEXT,
    PRIMARY KEY (run_id, alliance_id)
);
CREATE INDEX jobs_by_state ON jobs (state);
CREATE TABLE job_hosts (
    run_id        TEXT NOT NULL,
    alliance_id   TEXT NOT NULL,
    host          TEXT NOT NULL,     -- host:port
    PRIMARY KEY (run_id, alliance_id, host),
    FOREIGN KEY (run_id, alliance_id) REFERENCES jobs(run_id, alliance_id) ON DELETE CASCADE
);
CREATE INDEX job_hosts_by_host ON job_hosts (host);
"#,
    // 5: a menu repeated on every page stored once per alliance (issue 13), by a hash
    // of its content, with the number of pages it was read on, not once per page. A
    // page written from this version lists its menus in `pages.menus` (their hashes in
    // page order) and keeps neither navigation nor headings in `extraction`: they are
    // read back from `menus` and `headings`. It has no `nav_items` rows (older runs
    // keep theirs, and their pages' `menus` is NULL).
    r#"
CREATE TABLE menus (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    alliance_id   TEXT NOT NULL,
    hash          TEXT NOT NULL,     -- 16 hex digits (FNV-1a 64) of kind, label and items
    kind          TEXT NOT NULL,
    label         TEXT NOT NULL,
    items         TEXT NOT NULL,     -- JSON array: each item's label, href, depth, path
    pages         INTEGER NOT NULL,  -- pages it was read on
    PRIMARY KEY (run_id, alliance_id, hash)
);
ALTER TABLE pages ADD COLUMN menus TEXT;  -- the page's menus: hashes, space-separated
"#,
];

/// Any number: the advisory lock migrations take in PostgreSQL.
const MIGRATION_LOCK: i64 = 0x616c_6c69_616e_6365;

/// The schema version of `db` (0 for a new database).
pub(super) fn version(db: &Db) -> Result<i64, DbError> {
    if db.is_postgres() {
        let exists: bool = db
            .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
            .get(0)?;
        if !exists {
            return Ok(0);
        }
        let row = db.query_opt("SELECT version FROM schema_version", &[])?;
        return row.map_or(Ok(0), |row| row.get(0));
    }
    db.query_one("PRAGMA user_version", &[])?.get(0)
}

/// Applies the migrations `db` lacks; returns the version found (newer than known is
/// left alone, for the caller to refuse).
pub(super) fn migrate(db: &Db) -> Result<i64, DbError> {
    let known = MIGRATIONS.len() as i64;
    if db.is_postgres() {
        return db.transaction(|db| {
            db.execute("SELECT pg_advisory_xact_lock(?1)", args![MIGRATION_LOCK])?;
            db.batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
            let found = version(db)?;
            for (i, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
                db.batch(&dialect::migration(migration))?;
                tracing::debug!(version = i + 1, "database migrated");
            }
            if found < known {
                db.execute("DELETE FROM schema_version", &[])?;
                db.execute(
                    "INSERT INTO schema_version (version) VALUES (?1)",
                    args![known],
                )?;
            }
            Ok(found)
        });
    }
    let found = version(db)?;
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        db.transaction(|db| {
            db.batch(migration)?;
            db.batch(&format!("PRAGMA user_version = {version}"))
        })?;
        tracing::debug!(version, "database migrated");
    }
    Ok(found)
}
