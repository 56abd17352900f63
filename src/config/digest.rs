//! A configuration's fingerprint: [`Config`](super::Config) and [`Topics`](super::Topics)
//! keep the hash of the bytes they were parsed from, and a run records the hash of both,
//! so two runs can be told apart by configuration without keeping (or re-reading) it.

/// A stable hash of texts, 16 hex digits of FNV-1a 64. It identifies a configuration,
/// it does not protect one: equal hashes mean byte-identical texts. Each text is
/// prefixed with its length so `["ab", "c"]` and `["a", "bc"]` differ.
pub fn config_hash(texts: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for text in texts {
        let len = (text.len() as u64).to_le_bytes();
        for byte in len.iter().chain(text.as_bytes()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

/// The configuration hash of a run: of the alliances file's hash and the topics
/// file's hash, as [`Config::hash`](super::Config::hash) and
/// [`Topics::hash`](super::Topics::hash) keep them.
pub fn run_config_hash(alliances_hash: &str, topics_hash: &str) -> String {
    config_hash(&[alliances_hash, topics_hash])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_hash_is_stable_and_separates_texts() {
        // FNV-1a 64 of eight zero bytes (the length prefix of "").
        assert_eq!(config_hash(&[""]), "a8c7f832281a39c5");
        assert_eq!(config_hash(&["a", "b"]), config_hash(&["a", "b"]));
        assert_ne!(config_hash(&["ab", "c"]), config_hash(&["a", "bc"]));
        assert_ne!(config_hash(&["a"]), config_hash(&["b"]));
    }

    #[test]
    fn a_run_hash_changes_with_either_file() {
        let (a, t) = (config_hash(&["alliances"]), config_hash(&["topics"]));
        let other = config_hash(&["other"]);
        assert_ne!(run_config_hash(&a, &t), run_config_hash(&other, &t));
        assert_ne!(run_config_hash(&a, &t), run_config_hash(&a, &other));
    }
}
