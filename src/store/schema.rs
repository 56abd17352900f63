//! The database schema, as a list of migrations applied in order.
//!
//! The schema version is SQLite's `user_version`: migration `i` (counting from 1) moves
//! the database from version `i - 1` to `i`, in one transaction with the version bump.
//! A database made by an older alliance-audit opens in a newer one (the missing
//! migrations run on open); a database made by a *newer* one is refused rather than
//! misread. Migrations are append-only: never edit one that has shipped.

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
];
