//! The run store: every crawl kept in one embedded SQLite database, so past runs can be
//! listed (`history`), compared (`diff`), re-exported (`report`) and resumed.
//!
//! One file (default `alliance-audit.db` in the working directory), WAL mode so readers
//! (`history` while a crawl runs) never block the writer. The schema is versioned
//! ([`schema`]): an older database is migrated on open.
//!
//! What it holds, per run: the run's identity (tool version, configuration hash,
//! options), each alliance with its verdict rows, every page record (the extraction and
//! detection as JSON, so a run can be replayed through the report writer exactly, and
//! headings and evidence as rows, so they can be queried; each distinct menu once per
//! alliance, with the pages that showed it: see [`menus`]), robots.txt
//! as fetched, and the frontier. Across runs: the HTTP validators (ETag, Last-Modified)
//! of each URL.
//!
//! The same store lives in PostgreSQL when `--db` is a `postgres://` URL ([`db`]):
//! one schema and one set of queries, written once, for both.
//!
//! The writer ([`StoreWriter`]) consumes the same event stream as the report writer and
//! commits in batches (every [`BATCH_EVENTS`] events or [`BATCH_INTERVAL`]), so a run
//! killed outright loses at most the last batch.

mod checkpoint;
pub(crate) mod db;
mod menus;
mod queries;
mod queue;
mod rows;
mod schema;
mod writer;

use std::time::Duration;

pub use checkpoint::{Checkpointer, CHECKPOINT_EVERY};
pub use db::DbTarget;
use db::{args, Db, DbError};
pub use queries::{
    EvidenceEntry, HistoryEntry, NavEntry, PageEntry, RunListing, StoreCache, StoredRun,
    VerdictEntry,
};
pub use queue::{Job, JobSpec};
pub use writer::{JobStart, StoreWriter};

/// The database file used when `--db` is not given.
pub const DEFAULT_DB: &str = "alliance-audit.db";

/// The environment variable `--db` is read from when not given.
pub const DB_ENV: &str = "ALLIANCE_AUDIT_DB";

/// A batch is committed after this many events...
pub const BATCH_EVENTS: usize = 100;
/// ...or when its first event is this old.
pub const BATCH_INTERVAL: Duration = Duration::from_secs(1);

/// What goes wrong with the store: all of it ends the command.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {db}: {message}")]
    Database { db: String, message: String },
    /// The database cannot be reached or its URL is wrong: nothing was done.
    #[error("database {db}: cannot connect: {message}")]
    Connect { db: String, message: String },
    #[error("database {db} has schema version {found}, newer than this alliance-audit knows ({known}): upgrade alliance-audit")]
    TooNew { db: String, found: i64, known: i64 },
    #[error("{0}")]
    NotFound(String),
    #[error("database {db}: stored data cannot be read: {message}")]
    Corrupt { db: String, message: String },
}

/// An open run store.
pub struct Store {
    db: Db,
    target: DbTarget,
}

impl Store {
    /// Opens (creating if missing) the SQLite database at `path` and brings its schema
    /// up to date.
    pub fn open(path: &std::path::Path) -> Result<Store, StoreError> {
        Store::connect(&DbTarget::Sqlite(path.to_path_buf()))
    }

    /// Opens the database `target` names (a SQLite file is created if missing) and
    /// brings its schema up to date.
    pub fn connect(target: &DbTarget) -> Result<Store, StoreError> {
        let db = match target {
            DbTarget::Sqlite(path) => Db::sqlite(path).map_err(|e| StoreError::Database {
                db: target.to_string(),
                message: e.0,
            })?,
            DbTarget::Postgres(url) => Db::postgres(url).map_err(|e| StoreError::Connect {
                db: target.to_string(),
                message: e.0,
            })?,
        };
        let mut store = Store {
            db,
            target: target.clone(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The database, as named (a password hidden).
    pub fn target(&self) -> &DbTarget {
        &self.target
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        schema::version(&self.db).map_err(|e| self.failed(e))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let known = schema::MIGRATIONS.len() as i64;
        let found = schema::migrate(&self.db).map_err(|e| self.failed(e))?;
        if found > known {
            return Err(StoreError::TooNew {
                db: self.target.to_string(),
                found,
                known,
            });
        }
        Ok(())
    }

    /// A database error as a store error naming the database.
    fn failed(&self, error: DbError) -> StoreError {
        StoreError::Database {
            db: self.target.to_string(),
            message: error.0,
        }
    }

    /// Takes the PostgreSQL advisory lock named `name` for as long as this store's
    /// connection lives; false when another connection holds it. (SQLite: always true,
    /// its callers lock a file instead.)
    pub fn try_advisory_lock(&self, name: &str) -> Result<bool, StoreError> {
        if !self.db.is_postgres() {
            return Ok(true);
        }
        self.db
            .query_one("SELECT pg_try_advisory_lock(hashtext(?1))", args![name])
            .and_then(|row| row.get(0))
            .map_err(|e| self.failed(e))
    }

    /// `candidate`, or `candidate-2`, `-3`, ... when a run with that id is stored already
    /// (two processes started in the same second).
    pub fn unique_run_id(&self, candidate: &str) -> Result<String, StoreError> {
        let mut id = candidate.to_string();
        let mut n = 1;
        loop {
            let taken = self
                .db
                .query_opt("SELECT 1 FROM runs WHERE id = ?1", args![&id])
                .map_err(|e| self.failed(e))?;
            if taken.is_none() {
                return Ok(id);
            }
            n += 1;
            id = format!("{candidate}-{n}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_gets_the_current_schema_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            schema::MIGRATIONS.len() as i64
        );
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            schema::MIGRATIONS.len() as i64
        );
        let mode: String = store
            .db
            .query_one("PRAGMA journal_mode", &[])
            .unwrap()
            .get(0)
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn an_older_database_is_migrated_and_a_newer_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        // Version 0: an empty file made before the store existed.
        let path = dir.path().join("old.db");
        rusqlite::Connection::open(&path).unwrap();
        let store = Store::open(&path).unwrap();
        assert!(store.schema_version().unwrap() >= 1);
        drop(store);

        let path = dir.path().join("new.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        drop(conn);
        match Store::open(&path) {
            Err(StoreError::TooNew { found: 999, .. }) => {}
            other => panic!("expected TooNew, got {:?}", other.err()),
        }
    }
}
