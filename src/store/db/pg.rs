//! The PostgreSQL backend: one connection, owned by a thread of its own.
//!
//! The store is synchronous (as rusqlite is) and is called from inside the crawl's
//! async tasks. The `postgres` client runs its own small runtime and must not be
//! driven from inside another, so each connection lives on a dedicated thread and the
//! store hands it statements over a channel, waiting for the answer as it would wait
//! for SQLite's disk. Statements are prepared once per connection and cached.

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::Duration;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::{dialect, DbError, Row, Value};

/// How long connecting may take when the URL does not say (`connect_timeout=`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

enum Request {
    Query(String, Vec<Value>, mpsc::Sender<Result<Vec<Row>, DbError>>),
    Execute(String, Vec<Value>, mpsc::Sender<Result<usize, DbError>>),
    Batch(String, mpsc::Sender<Result<(), DbError>>),
}

/// A connection's handle; the connection closes when it is dropped.
pub(crate) struct PgConn {
    requests: mpsc::Sender<Request>,
}

impl PgConn {
    pub fn connect(url: &str) -> Result<PgConn, DbError> {
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e| DbError(format!("not a PostgreSQL URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let (requests, incoming) = mpsc::channel::<Request>();
        let (ready_tx, ready) = mpsc::channel();
        std::thread::Builder::new()
            .name("postgres".into())
            .spawn(move || match config.connect(NoTls) {
                Ok(client) => {
                    let _ = ready_tx.send(Ok(()));
                    serve(client, incoming);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(DbError(error_text(&e))));
                }
            })
            .map_err(|e| DbError(format!("cannot start the database thread: {e}")))?;
        ready
            .recv()
            .map_err(|_| DbError("the database thread stopped".into()))??;
        Ok(PgConn { requests })
    }

    fn ask<T>(&self, request: impl FnOnce(mpsc::Sender<T>) -> Request) -> Result<T, DbError> {
        let (tx, rx) = mpsc::channel();
        self.requests
            .send(request(tx))
            .map_err(|_| DbError("the database connection is closed".into()))?;
        rx.recv()
            .map_err(|_| DbError("the database connection is closed".into()))
    }

    pub fn query(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, DbError> {
        self.ask(|tx| Request::Query(sql.to_string(), args.to_vec(), tx))?
    }

    pub fn execute(&self, sql: &str, args: &[Value]) -> Result<usize, DbError> {
        self.ask(|tx| Request::Execute(sql.to_string(), args.to_vec(), tx))?
    }

    pub fn batch(&self, sql: &str) -> Result<(), DbError> {
        self.ask(|tx| Request::Batch(sql.to_string(), tx))?
    }
}

/// The connection thread: answers requests until every handle is dropped.
fn serve(mut client: Client, incoming: mpsc::Receiver<Request>) {
    let mut prepared: HashMap<String, Statement> = HashMap::new();
    for request in incoming {
        match request {
            Request::Query(sql, args, reply) => {
                let result = prepare(&mut client, &mut prepared, &sql).and_then(|statement| {
                    let params: Vec<&(dyn ToSql + Sync)> =
                        args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
                    let rows = client
                        .query(&statement, &params)
                        .map_err(|e| DbError(error_text(&e)))?;
                    rows.iter().map(read_row).collect()
                });
                let _ = reply.send(result);
            }
            Request::Execute(sql, args, reply) => {
                let result = prepare(&mut client, &mut prepared, &sql).and_then(|statement| {
                    let params: Vec<&(dyn ToSql + Sync)> =
                        args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
                    client
                        .execute(&statement, &params)
                        .map(|n| n as usize)
                        .map_err(|e| DbError(error_text(&e)))
                });
                let _ = reply.send(result);
            }
            Request::Batch(sql, reply) => {
                let result = client
                    .batch_execute(&dialect::statement(&sql))
                    .map_err(|e| DbError(error_text(&e)));
                let _ = reply.send(result);
            }
        }
    }
}

fn prepare(
    client: &mut Client,
    prepared: &mut HashMap<String, Statement>,
    sql: &str,
) -> Result<Statement, DbError> {
    if let Some(statement) = prepared.get(sql) {
        return Ok(statement.clone());
    }
    let statement = client
        .prepare(&dialect::statement(sql))
        .map_err(|e| DbError(error_text(&e)))?;
    prepared.insert(sql.to_string(), statement.clone());
    Ok(statement)
}

/// The server's message where there is one (with its detail), else the client's.
fn error_text(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {} ({detail})", db.severity(), db.message()),
            None => format!("{}: {}", db.severity(), db.message()),
        },
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    }
}

fn read_row(row: &postgres::Row) -> Result<Row, DbError> {
    let bad = |e: postgres::Error| DbError(error_text(&e));
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)
                .map_err(bad)?
                .map(Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)
                .map_err(bad)?
                .map(|n| Value::Int(n.into()))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)
                .map_err(bad)?
                .map(|n| Value::Int(n.into()))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)
                .map_err(bad)?
                .map(|b| Value::Int(b.into()))
        } else if *ty == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(i)
                .map_err(bad)?
                .map(Value::Real)
        } else if *ty == Type::FLOAT4 {
            row.try_get::<_, Option<f32>>(i)
                .map_err(bad)?
                .map(|x| Value::Real(x.into()))
        } else {
            row.try_get::<_, Option<String>>(i)
                .map_err(bad)?
                .map(Value::Text)
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl ToSql for Value {
    /// A value as the type PostgreSQL inferred for its parameter: integers also go
    /// into smaller integer, boolean and float columns, as SQLite would take them.
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                _ => n.to_string().to_sql(ty, out),
            },
            Value::Real(x) => match *ty {
                Type::FLOAT4 => (*x as f32).to_sql(ty, out),
                _ => x.to_sql(ty, out),
            },
            // PostgreSQL text cannot hold NUL; web text occasionally does.
            Value::Text(s) if s.contains('\0') => s.replace('\0', "\u{FFFD}").to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}
