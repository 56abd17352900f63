//! One connection to either backend, behind one small interface: SQL is written once,
//! in SQLite's dialect with `?N` parameters, and translated for PostgreSQL
//! ([`dialect`]). Values cross the interface as [`Value`] (null, integer, real, text),
//! the four types the schema uses, so a query reads the same rows from either side.
//!
//! - [`sqlite`]: rusqlite, in process.
//! - [`pg`]: PostgreSQL through the `postgres` client (tokio-postgres underneath), on a
//!   thread of its own, so the synchronous store can be called from inside the crawl's
//!   async tasks without blocking or nesting a runtime.

pub(crate) mod dialect;
mod pg;
mod sqlite;
mod target;
mod value;

pub(crate) use sqlite::AUTOCHECKPOINT_PAGES;
pub use target::DbTarget;
pub(crate) use value::{FromValue, Row, Value};

/// What a statement on either backend can fail with: the database's own message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct DbError(pub String);

impl From<rusqlite::Error> for DbError {
    fn from(error: rusqlite::Error) -> Self {
        DbError(error.to_string())
    }
}

/// One open connection.
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Pg(pg::PgConn),
}

/// `args![a, b]`: statement parameters as [`Value`]s.
macro_rules! args {
    ($($arg:expr),* $(,)?) => {
        &[$($crate::store::db::Value::from($arg)),*][..]
    };
}
pub(crate) use args;

impl Db {
    /// Opens a SQLite file (created if missing).
    pub fn sqlite(path: &std::path::Path) -> Result<Db, DbError> {
        Ok(Db::Sqlite(sqlite::open(path)?))
    }

    /// Connects to PostgreSQL at `url` (its `postgres://` form).
    pub fn postgres(url: &str) -> Result<Db, DbError> {
        Ok(Db::Pg(pg::PgConn::connect(url)?))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Pg(_))
    }

    /// Runs one statement; returns the rows it changed.
    pub fn execute(&self, sql: &str, args: &[Value]) -> Result<usize, DbError> {
        match self {
            Db::Sqlite(conn) => sqlite::execute(conn, sql, args),
            Db::Pg(conn) => conn.execute(sql, args),
        }
    }

    /// Runs a one-row `INSERT … VALUES (?1, …, ?N)` for each of `rows`: SQLite
    /// executes its cached statement once a row (in process, cheap); PostgreSQL gets
    /// the rows as multi-row `VALUES` statements, one round trip for many rows.
    pub fn execute_many(&self, sql: &str, rows: &[Vec<Value>]) -> Result<(), DbError> {
        match self {
            Db::Sqlite(conn) => {
                for row in rows {
                    sqlite::execute(conn, sql, row)?;
                }
            }
            Db::Pg(conn) => {
                let Some(width) = rows.first().map(Vec::len) else {
                    return Ok(());
                };
                // PostgreSQL takes at most 65,535 parameters a statement.
                for chunk in rows.chunks((65_535 / width.max(1)).min(500)) {
                    let sql = dialect::many_rows(sql, width, chunk.len())?;
                    let args: Vec<Value> = chunk.iter().flatten().cloned().collect();
                    conn.execute(&sql, &args)?;
                }
            }
        }
        Ok(())
    }

    /// Runs one query and returns every row.
    pub fn query(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, DbError> {
        match self {
            Db::Sqlite(conn) => sqlite::query(conn, sql, args),
            Db::Pg(conn) => conn.query(sql, args),
        }
    }

    /// The first row of a query, if any.
    pub fn query_opt(&self, sql: &str, args: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, args)?.into_iter().next())
    }

    /// The first row of a query, which must have one.
    pub fn query_one(&self, sql: &str, args: &[Value]) -> Result<Row, DbError> {
        self.query_opt(sql, args)?
            .ok_or_else(|| DbError("a query returned no row".into()))
    }

    /// Runs statements separated by `;`, with no parameters.
    pub fn batch(&self, sql: &str) -> Result<(), DbError> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Pg(conn) => conn.batch(sql),
        }
    }

    /// Starts a write transaction (SQLite takes the write lock at once, so a reader
    /// upgrading later cannot deadlock).
    pub fn begin(&self) -> Result<(), DbError> {
        self.batch("BEGIN IMMEDIATE")
    }

    pub fn commit(&self) -> Result<(), DbError> {
        self.batch("COMMIT")
    }

    /// Rolls back, ignoring a failure (there is already an error to report).
    pub fn rollback(&self) {
        let _ = self.batch("ROLLBACK");
    }

    /// `body` in one transaction: committed when it succeeds, rolled back otherwise.
    pub fn transaction<T>(
        &self,
        body: impl FnOnce(&Db) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.begin()?;
        match body(self).and_then(|value| self.commit().map(|()| value)) {
            Ok(value) => Ok(value),
            Err(error) => {
                self.rollback();
                Err(error)
            }
        }
    }
}
