//! Values as they cross the store's interface, whichever backend holds them.

use super::DbError;

/// A parameter or a column value: the four types the schema uses (booleans are
/// integers 0 and 1, as SQLite stores them).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

macro_rules! int_values {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Int(n as i64)
            }
        }
        impl From<&$t> for Value {
            fn from(n: &$t) -> Value {
                Value::Int(*n as i64)
            }
        }
        impl FromValue for $t {
            fn from_value(value: Value) -> Result<$t, DbError> {
                match value {
                    Value::Int(n) => <$t>::try_from(n)
                        .map_err(|_| DbError(format!("{n} is out of range for {}", stringify!($t)))),
                    other => Err(mismatch(stringify!($t), &other)),
                }
            }
        }
    )*};
}
int_values!(i64, i32, u64, u32, u16, u8, usize);

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Int(b as i64)
    }
}
impl From<&bool> for Value {
    fn from(b: &bool) -> Value {
        Value::Int(*b as i64)
    }
}
impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Value::Real(x)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::Text(s.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}
impl From<&Option<String>> for Value {
    fn from(value: &Option<String>) -> Value {
        value.as_deref().into()
    }
}

/// A Rust value read from a column.
pub(crate) trait FromValue: Sized {
    fn from_value(value: Value) -> Result<Self, DbError>;
}

fn mismatch(wanted: &str, found: &Value) -> DbError {
    DbError(format!(
        "a column holds {found:?} where {wanted} was expected"
    ))
}

impl FromValue for String {
    fn from_value(value: Value) -> Result<String, DbError> {
        match value {
            Value::Text(s) => Ok(s),
            other => Err(mismatch("text", &other)),
        }
    }
}

impl FromValue for bool {
    fn from_value(value: Value) -> Result<bool, DbError> {
        match value {
            Value::Int(n) => Ok(n != 0),
            other => Err(mismatch("a boolean", &other)),
        }
    }
}

impl FromValue for f64 {
    fn from_value(value: Value) -> Result<f64, DbError> {
        match value {
            Value::Real(x) => Ok(x),
            Value::Int(n) => Ok(n as f64),
            other => Err(mismatch("a number", &other)),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Option<T>, DbError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as a `T`.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T, DbError> {
        let value = self
            .0
            .get(i)
            .cloned()
            .ok_or_else(|| DbError(format!("no column {i}")))?;
        T::from_value(value)
    }
}
