//! Configuration (issue 2, "Configuration"): the bundled files load and say what the
//! product needs, and every bad file is refused with its file, line and reason before
//! any request.
//!
//! Inline TOML is written as a slice of lines so that line numbers can be read off the
//! test: the first entry is line 1.

mod alliances;
mod refusals;
mod topics;

use std::path::{Path, PathBuf};

use alliance_audit::config::{AllianceKind, Config, ConfigError, Limits, Topics};

fn toml<S: AsRef<str>>(lines: &[S]) -> String {
    let mut text = String::new();
    for line in lines {
        text.push_str(line.as_ref());
        text.push('\n');
    }
    text
}

fn alliances<S: AsRef<str>>(lines: &[S]) -> Result<Config, ConfigError> {
    Config::parse(&toml(lines), "alliances.toml")
}

fn topics<S: AsRef<str>>(lines: &[S]) -> Result<Topics, ConfigError> {
    Topics::parse(&toml(lines), "topics.toml")
}

/// Asserts the refusal names `file`, `line` and says `phrase`.
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, ConfigError>,
    file: &str,
    line: usize,
    phrase: &str,
) -> ConfigError {
    let err = result.expect_err("the configuration should be refused");
    assert_eq!(err.file, file, "{err}");
    assert_eq!(err.line, Some(line), "{err}");
    assert!(
        err.message.contains(phrase),
        "expected {phrase:?} in the message: {err}"
    );
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("{file}:{line}:")), "{shown}");
    err
}

/// One valid alliance, lines 1-4, for tests that add one bad line after it.
const LERU: [&str; 4] = [
    "[[alliance]]",
    "id = \"leru\"",
    "name = \"League of European Research Universities\"",
    "start_urls = [\"https://www.leru.org/\"]",
];

/// [`LERU`] followed by `more` (line 5 onwards).
fn with_leru(more: &[&str]) -> Vec<String> {
    LERU.iter().chain(more).map(|s| s.to_string()).collect()
}

/// One valid topic, lines 1-3.
const TOPIC: [&str; 3] = ["[[topic]]", "id = \"museums\"", "name = \"Museums\""];

/// [`TOPIC`] followed by `more` (line 4 onwards).
fn with_topic(more: &[&str]) -> Vec<String> {
    TOPIC.iter().chain(more).map(|s| s.to_string()).collect()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/config")
        .join(name)
}

/// Folded as matching folds: lowercase, accents dropped.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when some entry of `terms` matches the whole word `word` (exactly, or by a
/// `*` at either end), the way detection reads the lexicon.
fn covers(terms: &[String], word: &str) -> bool {
    let word = fold(word);
    terms.iter().any(|term| {
        let term = fold(term);
        let core = term.trim_matches('*');
        match (term.starts_with('*'), term.ends_with('*')) {
            (false, false) => word == core,
            (false, true) => word.starts_with(core),
            (true, false) => word.ends_with(core),
            (true, true) => word.contains(core),
        }
    })
}

/// The alliances issue 2 names, by id.
const REQUIRED: [&str; 21] = [
    "universitas-21",
    "wun",
    "idea-league",
    "leru",
    "coimbra-group",
    "the-guild",
    "apru",
    "aau",
    "russell-group",
    "go8",
    "u15-canada",
    "iaru",
    "europaeum",
    "cesaer",
    "una-europa",
    "civis",
    "4eu-plus",
    "eutopia",
    "matariki",
    "unica",
    "sgroup",
];
