//! SQL written once, in SQLite's dialect, made PostgreSQL's: the few differences the
//! store's statements meet, translated mechanically.
//!
//! Every statement: `?N` parameters become `$N`, `BEGIN IMMEDIATE` becomes `BEGIN`.
//! Migrations ([`schema`](crate::store)) additionally: `INTEGER` is `BIGINT` (SQLite's
//! integers are 64-bit), `REAL` is `DOUBLE PRECISION`, `TEXT` compares bytewise as in
//! SQLite (`COLLATE "C"`: run ids and URLs sort the same on both), and each table gets
//! the insertion-order `rowid` SQLite tables have implicitly (queries order by it).

/// A statement for PostgreSQL.
pub(crate) fn statement(sql: &str) -> String {
    let sql = placeholders(sql);
    if sql.trim() == "BEGIN IMMEDIATE" {
        return "BEGIN".to_string();
    }
    sql
}

/// A migration for PostgreSQL.
pub(crate) fn migration(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 256);
    let mut word = String::new();
    let mut in_comment = false;
    let mut chars = sql.chars().peekable();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(match word.as_str() {
            "INTEGER" => "BIGINT",
            "REAL" => "DOUBLE PRECISION",
            "TEXT" => "TEXT COLLATE \"C\"",
            other => other,
        });
        word.clear();
    };
    while let Some(c) = chars.next() {
        if in_comment {
            out.push(c);
            in_comment = c != '\n';
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        if c == '-' && chars.peek() == Some(&'-') {
            in_comment = true;
        }
        out.push(c);
    }
    flush(&mut word, &mut out);
    with_rowids(&out)
}

/// `CREATE TABLE name (` gets a first column `rowid BIGSERIAL`.
fn with_rowids(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 128);
    let mut rest = sql;
    while let Some(at) = rest.find("CREATE TABLE ") {
        let Some(open) = rest[at..].find('(') else {
            break;
        };
        out.push_str(&rest[..at + open + 1]);
        out.push_str("\n    rowid BIGSERIAL NOT NULL,");
        rest = &rest[at + open + 1..];
    }
    out.push_str(rest);
    out
}

/// A one-row `INSERT … VALUES (?1, …, ?width)` for `rows` rows at once.
pub(crate) fn many_rows(sql: &str, width: usize, rows: usize) -> Result<String, super::DbError> {
    let at = sql
        .rfind("VALUES")
        .ok_or_else(|| super::DbError(format!("not a one-row INSERT: {sql}")))?;
    let mut out = String::with_capacity(at + rows * width * 5);
    out.push_str(&sql[..at]);
    out.push_str("VALUES ");
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("?{}", r * width + c + 1));
        }
        out.push(')');
    }
    Ok(out)
}

/// `?N` as `$N`, outside quoted strings.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_transactions() {
        assert_eq!(
            statement("SELECT '?' , a FROM t WHERE b = ?1 AND c = ?12"),
            "SELECT '?' , a FROM t WHERE b = $1 AND c = $12"
        );
        assert_eq!(statement("BEGIN IMMEDIATE"), "BEGIN");
    }

    #[test]
    fn one_row_inserts_become_many() {
        assert_eq!(
            many_rows("INSERT INTO t (a, b)\n VALUES (?1, ?2)", 2, 3).unwrap(),
            "INSERT INTO t (a, b)\n VALUES (?1, ?2), (?3, ?4), (?5, ?6)"
        );
    }

    #[test]
    fn migrations_get_postgres_types_and_rowids() {
        let sql = "CREATE TABLE t (\n    id TEXT PRIMARY KEY, -- INTEGER here stays\n    n INTEGER NOT NULL,\n    x REAL,\n    text TEXT\n);\nALTER TABLE t ADD COLUMN y INTEGER;";
        assert_eq!(
            migration(sql),
            "CREATE TABLE t (\n    rowid BIGSERIAL NOT NULL,\n    id TEXT COLLATE \"C\" PRIMARY KEY, -- INTEGER here stays\n    n BIGINT NOT NULL,\n    x DOUBLE PRECISION,\n    text TEXT COLLATE \"C\"\n);\nALTER TABLE t ADD COLUMN y BIGINT;"
        );
    }
}
