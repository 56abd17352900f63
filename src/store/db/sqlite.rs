//! The SQLite backend: one rusqlite connection, statements cached by their text.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;

use super::{DbError, Row, Value};

/// Pages of write-ahead log after which a commit copies it back into the database
/// file. A crawl appends tens of megabytes; every 1,000 pages (SQLite's default) cost 6%
/// of a crawl's CPU; every 16,000 (64 MB) is enough. (A crawl's writer leaves it to a
/// thread of its own: see `store::checkpoint`.)
pub(crate) const AUTOCHECKPOINT_PAGES: i64 = 16_000;

pub(super) fn open(path: &Path) -> Result<Connection, DbError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES)?;
    Ok(conn)
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(n) => ValueRef::Integer(*n),
            Value::Real(x) => ValueRef::Real(*x),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

pub(super) fn execute(conn: &Connection, sql: &str, args: &[Value]) -> Result<usize, DbError> {
    Ok(conn
        .prepare_cached(sql)?
        .execute(rusqlite::params_from_iter(args))?)
}

pub(super) fn query(conn: &Connection, sql: &str, args: &[Value]) -> Result<Vec<Row>, DbError> {
    let mut statement = conn.prepare_cached(sql)?;
    let columns = statement.column_count();
    let mut rows = statement.query(rusqlite::params_from_iter(args))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(x) => Value::Real(x),
                ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                    Value::Text(String::from_utf8_lossy(bytes).into_owned())
                }
            });
        }
        out.push(Row(values));
    }
    Ok(out)
}
