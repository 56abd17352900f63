//! The topic lexicons (`config/topics.toml`): one `[[topic]]` table per topic, each with
//! its terms, the negative contexts that cancel a term, and the collaboration words.
//!
//! A topic is data, not code: a user adds `museums` or `e-learning` by writing a table.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;
use unicode_normalization::UnicodeNormalization;

use super::error::{self, ConfigError};
use super::fields::{FirstSeen, Source};

const BUNDLED_NAME: &str = "config/topics.toml";
const BUNDLED_TEXT: &str = include_str!("../../config/topics.toml");

/// One topic's lexicon, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: String,
    pub name: String,
    /// Terms that signal the topic. A trailing `*` matches any word ending.
    pub terms: Vec<String>,
    /// Phrases that cancel a term occurrence they contain ("software library").
    pub negative: Vec<String>,
    /// Words that mark a match as about collaboration when in the same label, heading or sentence.
    pub collaboration: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Topics {
    pub topics: Vec<Topic>,
    /// The hash of the bytes parsed ([`config_hash`](super::config_hash)); empty for
    /// topics built in code.
    #[serde(default)]
    pub hash: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopics {
    #[serde(default)]
    topic: Vec<RawTopic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: Spanned<String>,
    name: Spanned<String>,
    terms: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    negative: Vec<Spanned<String>>,
    #[serde(default)]
    collaboration: Vec<Spanned<String>>,
}

impl Topics {
    /// Reads and validates a topics file; errors name `path` as given.
    pub fn load(path: &Path) -> Result<Topics, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::whole_file(&name, format!("cannot read the file: {e}")))?;
        Topics::parse(&text, &name)
    }

    /// Validates the text of a topics file; `source` is the name shown in errors.
    pub fn parse(text: &str, source: &str) -> Result<Topics, ConfigError> {
        let src = Source { name: source, text };
        let raw: RawTopics = error::deserialize(source, text)?;
        if raw.topic.is_empty() {
            return Err(ConfigError::whole_file(
                source,
                "no topics: add at least one [[topic]] table",
            ));
        }
        let mut ids = FirstSeen::new();
        let mut topics = Vec::with_capacity(raw.topic.len());
        for raw in raw.topic {
            let id = src.kebab_id("topic", &raw.id)?;
            if let Some(first) = ids.insert(id.clone(), src.line_of(&raw.id)) {
                return Err(src.error(
                    &raw.id,
                    format!("duplicate topic id \"{id}\" (first defined on line {first})"),
                ));
            }
            let name = src.non_blank("name", &raw.name)?;
            if raw.terms.get_ref().is_empty() {
                return Err(src.error(
                    &raw.terms,
                    format!("terms of topic \"{id}\" is empty: give at least one term"),
                ));
            }
            let terms = entries(&src, &id, "terms", raw.terms.get_ref())?;
            let negative = entries(&src, &id, "negative", &raw.negative)?;
            let collaboration = entries(&src, &id, "collaboration", &raw.collaboration)?;
            topics.push(Topic {
                id,
                name,
                terms,
                negative,
                collaboration,
            });
        }
        Ok(Topics {
            topics,
            hash: super::config_hash(&[text]),
        })
    }

    /// The topics shipped with the tool (`config/topics.toml`, compiled in).
    ///
    /// # Panics
    /// Only if the bundled file is invalid, which a test rules out.
    pub fn bundled() -> Topics {
        Topics::parse(BUNDLED_TEXT, BUNDLED_NAME).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The topic with this id.
    pub fn get(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// The topics' ids, in the file's order.
    pub fn ids(&self) -> Vec<String> {
        self.topics.iter().map(|t| t.id.clone()).collect()
    }
}

/// One list of a topic (terms, negative or collaboration): each entry non-blank, with
/// `*` only at its start or end, and none twice. "Twice" is judged as matching judges
/// words (case and accents ignored), since "Bibliothèque" and "bibliotheque" would
/// find the same occurrences.
fn entries(
    src: &Source,
    topic: &str,
    key: &str,
    list: &[Spanned<String>],
) -> Result<Vec<String>, ConfigError> {
    let mut seen = FirstSeen::new();
    let mut out = Vec::with_capacity(list.len());
    for entry in list {
        let text = entry
            .get_ref()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let core = text.trim_start_matches('*').trim_end_matches('*');
        if text.is_empty() {
            return Err(src.error(
                entry,
                format!("{key} of topic \"{topic}\" has a blank entry"),
            ));
        }
        if !core.chars().any(char::is_alphanumeric) {
            return Err(src.error(
                entry,
                format!("{key} of topic \"{topic}\": \"{text}\" has no letters to match"),
            ));
        }
        if core.contains('*') || text.starts_with("**") || text.ends_with("**") {
            return Err(src.error(
                entry,
                format!(
                    "{key} of topic \"{topic}\": \"{text}\" has a `*` inside; a `*` may only \
                     begin or end an entry (\"bibliotek*\" is any word beginning \"bibliotek\")"
                ),
            ));
        }
        if let Some(first) = seen.insert(fold(&text), src.line_of(entry)) {
            return Err(src.error(
                entry,
                format!(
                    "duplicate entry \"{text}\" in {key} of topic \"{topic}\" (first on line {first})"
                ),
            ));
        }
        out.push(text);
    }
    Ok(out)
}

/// Lowercase, accents dropped, `ß` as `ss`: the form matching compares.
fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .replace('ß', "ss")
}
