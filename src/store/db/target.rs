//! Which database `--db` names: a SQLite file, or a PostgreSQL server by URL.

use std::fmt;
use std::path::{Path, PathBuf};

/// A run database as named on the command line (or in `ALLIANCE_AUDIT_DB`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl DbTarget {
    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is a path.
    pub fn parse(text: &str) -> DbTarget {
        let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            DbTarget::Postgres(text.to_string())
        } else {
            DbTarget::Sqlite(PathBuf::from(text))
        }
    }

    /// The SQLite file, if it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            DbTarget::Sqlite(path) => Some(path),
            DbTarget::Postgres(_) => None,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DbTarget::Postgres(_))
    }
}

impl std::str::FromStr for DbTarget {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<DbTarget, Self::Err> {
        Ok(DbTarget::parse(text))
    }
}

/// The path, or the URL with its password hidden (messages and logs show this).
impl fmt::Display for DbTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbTarget::Sqlite(path) => write!(f, "{}", path.display()),
            DbTarget::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) if parsed.password().is_some() => {
                    let _ = parsed.set_password(Some("***"));
                    write!(f, "{parsed}")
                }
                Ok(_) => write!(f, "{url}"),
                Err(_) => write!(f, "{}", hide_userinfo(url)),
            },
        }
    }
}

/// `scheme://user:secret@rest` as `scheme://***@rest`, for a URL `url` cannot parse.
fn hide_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((_, host)) => format!("{scheme}://***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_postgres_and_the_rest_paths() {
        assert!(DbTarget::parse("postgres://u@h/db").is_postgres());
        assert!(DbTarget::parse("PostgreSQL://h/db").is_postgres());
        assert_eq!(
            DbTarget::parse("runs.db"),
            DbTarget::Sqlite(PathBuf::from("runs.db"))
        );
        assert_eq!(
            DbTarget::parse("postgres.db").path(),
            Some(Path::new("postgres.db"))
        );
    }

    #[test]
    fn passwords_are_hidden() {
        let shown = DbTarget::parse("postgres://audit:s3cret@db:5432/audit").to_string();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db:5432/audit"), "{shown}");
        assert_eq!(
            hide_userinfo("postgres://a:b@[bad/x"),
            "postgres://***@[bad/x"
        );
    }
}
