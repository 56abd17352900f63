//! CSV formula neutralisation: a cell a spreadsheet would run as a formula gets a `'`.
//!
//! Spreadsheets treat a cell starting with `=`, `+`, `-` or `@` as a formula (and some
//! strip a leading tab or carriage return first), so a page titled
//! `=HYPERLINK("http://evil","click")` would become a live link in the reader's sheet.
//! Every *string* cell of a CSV report goes through [`neutralise`]; the numbers, flags,
//! enumerations and timestamps the report writes itself are never strings from the web
//! and are left alone, so a `depth` of 2 stays a number. A web string such as `-1` is
//! neutralised like any other (`'-1`): we cannot tell a page's text from a formula.
//! JSON Lines are not neutralised: JSON readers do not evaluate cells.

use std::borrow::Cow;

/// The first characters that make a spreadsheet evaluate a cell.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell`, prefixed with `'` when it starts with a formula trigger.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// [`neutralise`] in place.
pub(crate) fn neutralise_mut(cell: &mut String) {
    if cell.starts_with(TRIGGERS) {
        cell.insert(0, '\'');
    }
}

/// [`neutralise`] in place, for an optional cell.
pub(crate) fn neutralise_opt(cell: &mut Option<String>) {
    if let Some(cell) = cell {
        neutralise_mut(cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_triggers_get_a_quote() {
        for (cell, want) in [
            (
                r#"=HYPERLINK("http://x.test","click")"#,
                r#"'=HYPERLINK("http://x.test","click")"#,
            ),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(neutralise(cell), want);
            let mut owned = cell.to_string();
            neutralise_mut(&mut owned);
            assert_eq!(owned, want);
        }
    }

    #[test]
    fn ordinary_cells_are_untouched() {
        for cell in [
            "",
            "Libraries",
            "1 + 1",
            " =not first",
            "'quoted",
            "https://a.test/=x",
        ] {
            assert!(matches!(neutralise(cell), Cow::Borrowed(c) if c == cell));
        }
        let mut none: Option<String> = None;
        neutralise_opt(&mut none);
        assert_eq!(none, None);
    }
}
