//! Checks on single values that both files share: ids, non-blank text, uniqueness.
//!
//! Each check takes the value with its span ([`Spanned`]) so a refusal points at the
//! value itself, not at the table around it.

use std::collections::HashMap;

use serde_spanned::Spanned;

use super::error::{line_column, ConfigError};

/// The file being validated: its name (for errors) and its text (for line numbers).
pub(crate) struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    /// An error at the start of `value`.
    pub fn error<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> ConfigError {
        ConfigError::at(self.name, self.text, value.span(), message)
    }

    pub fn line_of<T>(&self, value: &Spanned<T>) -> usize {
        line_column(self.text, value.span().start).0
    }

    /// `what` must be kebab-case: lowercase ASCII letters and digits in words joined by
    /// single hyphens ("leru", "4eu-plus", "library-collaboration"). Ids end up in file
    /// names, CSV cells and command lines, so they stay plain.
    pub fn kebab_id(&self, what: &str, id: &Spanned<String>) -> Result<String, ConfigError> {
        let text = id.get_ref();
        let ok = !text.is_empty()
            && text.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if ok {
            Ok(text.clone())
        } else {
            Err(self.error(
                id,
                format!(
                    "{what} id \"{text}\" is not kebab-case (lowercase letters and digits \
                     joined by single hyphens, like \"my-alliance\")"
                ),
            ))
        }
    }

    /// `value` trimmed, refused when nothing is left.
    pub fn non_blank(&self, key: &str, value: &Spanned<String>) -> Result<String, ConfigError> {
        let trimmed = value.get_ref().trim();
        if trimmed.is_empty() {
            Err(self.error(value, format!("{key} must not be empty")))
        } else {
            Ok(trimmed.to_string())
        }
    }
}

/// Remembers where each key was first seen, to refuse a second one.
pub(crate) struct FirstSeen {
    lines: HashMap<String, usize>,
}

impl FirstSeen {
    pub fn new() -> Self {
        FirstSeen {
            lines: HashMap::new(),
        }
    }

    /// Records `key` at `line`; if it was seen before, returns that first line.
    pub fn insert(&mut self, key: String, line: usize) -> Option<usize> {
        match self.lines.get(&key) {
            Some(&first) => Some(first),
            None => {
                self.lines.insert(key, line);
                None
            }
        }
    }
}
