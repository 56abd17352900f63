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
//! navigation items, headings and evidence as rows, so they can be queried), robots.txt
//! as fetched, and the frontier. Across runs: the HTTP validators (ETag, Last-Modified)
//! of each URL.
//!
//! The writer ([`StoreWriter`]) consumes the same event stream as the report writer and
//! commits in batches (every [`BATCH_EVENTS`] events or [`BATCH_INTERVAL`]), so a run
//! killed outright loses at most the last batch.

mod queries;
mod rows;
mod schema;
mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

pub use queries::{
    EvidenceEntry, HistoryEntry, NavEntry, PageEntry, RunListing, StoreCache, StoredRun,
    VerdictEntry,
};
pub use writer::StoreWriter;

/// The database file used when `--db` is not given.
pub const DEFAULT_DB: &str = "alliance-audit.db";

/// A batch is committed after this many events...
pub const BATCH_EVENTS: usize = 100;
/// ...or when its first event is this old.
pub const BATCH_INTERVAL: Duration = Duration::from_secs(1);

/// What goes wrong with the store: all of it ends the command.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this alliance-audit knows ({known}): upgrade alliance-audit")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("database {path}: stored data cannot be read: {message}")]
    Corrupt { path: String, message: String },
}

/// An open run store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if missing) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let err = |source| StoreError::Sqlite {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        // A crawl appends tens of megabytes; checkpointing the WAL every 1,000 pages
        // (SQLite's default) cost 6% of a crawl's CPU. Every 16,000 (64 MB) is enough.
        conn.pragma_update(None, "wal_autocheckpoint", 16_000)
            .map_err(err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| self.sqlite(e))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let known = schema::MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > known {
            return Err(StoreError::TooNew {
                path: self.path.display().to_string(),
                found,
                known,
            });
        }
        for (i, migration) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            let version = i as i64 + 1;
            let tx = self.conn.transaction().map_err(|e| sqlite(&self.path, e))?;
            tx.execute_batch(migration)
                .and_then(|()| tx.pragma_update(None, "user_version", version))
                .and_then(|()| tx.commit())
                .map_err(|e| sqlite(&self.path, e))?;
            tracing::debug!(version, "database migrated");
        }
        Ok(())
    }

    fn sqlite(&self, source: rusqlite::Error) -> StoreError {
        sqlite(&self.path, source)
    }

    /// `candidate`, or `candidate-2`, `-3`, ... when a run with that id is stored already
    /// (two processes started in the same second).
    pub fn unique_run_id(&self, candidate: &str) -> Result<String, StoreError> {
        let mut id = candidate.to_string();
        let mut n = 1;
        loop {
            let taken: Option<i64> = self
                .conn
                .query_row("SELECT 1 FROM runs WHERE id = ?1", [&id], |row| row.get(0))
                .optional()
                .map_err(|e| self.sqlite(e))?;
            if taken.is_none() {
                return Ok(id);
            }
            n += 1;
            id = format!("{candidate}-{n}");
        }
    }
}

fn sqlite(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite {
        path: path.display().to_string(),
        source,
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
            .conn
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn an_older_database_is_migrated_and_a_newer_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        // Version 0: an empty file made before the store existed.
        let path = dir.path().join("old.db");
        Connection::open(&path).unwrap();
        let store = Store::open(&path).unwrap();
        assert!(store.schema_version().unwrap() >= 1);
        drop(store);

        let path = dir.path().join("new.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        drop(conn);
        match Store::open(&path) {
            Err(StoreError::TooNew { found: 999, .. }) => {}
            other => panic!("expected TooNew, got {:?}", other.err()),
        }
    }
}
