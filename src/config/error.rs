//! The one error type of configuration loading: where (file, line, column) and what.
//!
//! Every refusal is shown as `file:line:column: problem`, the format compilers and
//! editors understand, so a user can jump straight to the offending value.

use std::fmt;
use std::ops::Range;

/// A configuration file that cannot be used, with the place and the reason.
///
/// Displays as `config/alliances.toml:12:1: duplicate alliance id "leru" (first
/// defined on line 4)`; without a position (an unreadable file) as `file: problem`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", Location { file, line: *line, column: *column })]
pub struct ConfigError {
    /// The file as the user named it (or `config/...` for the bundled files).
    pub file: String,
    /// 1-based line of the offending value, when there is one.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the offending value, when there is one.
    pub column: Option<usize>,
    /// What is wrong, in words.
    pub message: String,
}

struct Location<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

impl ConfigError {
    /// An error with no position in the file (the file as a whole is wrong).
    pub(crate) fn whole_file(file: &str, message: impl Into<String>) -> Self {
        ConfigError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at byte offset `span.start` of `text`.
    pub(crate) fn at(
        file: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_column(text, span.start);
        ConfigError {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// A serde refusal (unknown key, missing key, wrong type) or, with `syntax`, a TOML
    /// syntax error.
    fn from_toml(file: &str, text: &str, error: &toml::de::Error, syntax: bool) -> Self {
        let message = if syntax {
            format!("invalid TOML: {}", error.message().trim())
        } else {
            reword(error.message())
        };
        match error.span() {
            Some(span) => ConfigError::at(file, text, span, message),
            None => ConfigError::whole_file(file, message),
        }
    }
}

/// Deserializes `text` into a `Raw*` type. Syntax is checked first on its own, so that
/// a syntax error is reported as one, apart from a key or value the file may not have.
pub(crate) fn deserialize<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, ConfigError> {
    if let Err(e) = text.parse::<toml::Table>() {
        return Err(ConfigError::from_toml(file, text, &e, true));
    }
    toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e, false))
}

/// serde speaks of fields, sequences, maps and i64; a TOML file has keys, arrays,
/// tables and integers. The rest of its wording is kept (it lists the allowed keys,
/// which is what a user needs).
fn reword(message: &str) -> String {
    let message = message.trim();
    for (from, to) in [
        ("unknown field", "unknown key"),
        ("missing field", "missing required key"),
    ] {
        if let Some(rest) = message.strip_prefix(from) {
            return format!("{to}{rest}").replace("expected one of", "allowed keys are");
        }
    }
    message
        .replacen("unknown variant", "unknown value", 1)
        .replace("expected a sequence", "expected an array")
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: table")
        .replace("expected a map", "expected a table")
        .replace("expected i64", "expected an integer")
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // The space after the two-byte "é" is the third character of line 2.
        assert_eq!(line_column(text, 9), (2, 3));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn display_has_as_much_position_as_is_known() {
        let mut e = ConfigError::whole_file("a.toml", "cannot read");
        assert_eq!(e.to_string(), "a.toml: cannot read");
        e.line = Some(3);
        assert_eq!(e.to_string(), "a.toml:3: cannot read");
        e.column = Some(7);
        assert_eq!(e.to_string(), "a.toml:3:7: cannot read");
    }

    #[test]
    fn serde_wording_becomes_toml_wording() {
        assert_eq!(
            reword("unknown field `urls`, expected one of `id`, `name`"),
            "unknown key `urls`, allowed keys are `id`, `name`"
        );
        assert_eq!(
            reword("missing field `name`"),
            "missing required key `name`"
        );
    }
}
