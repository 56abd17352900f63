//! The topic lexicons (`config/topics.toml`).

/// One topic's lexicon, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
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

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Topics {
    pub topics: Vec<Topic>,
}
