//! Menu text kept once per site: a site's labels and links repeat on every page, and
//! its table of menus holds each only as a number.

use std::hash::BuildHasher;

use hashbrown::hash_table::Entry;
use hashbrown::{DefaultHashBuilder, HashTable};

/// A string's number in its [`Strings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Sym(u32);

/// Distinct strings, numbered in order of first use.
#[derive(Debug, Default)]
pub(super) struct Strings {
    texts: Vec<Box<str>>,
    /// Numbers, found by their text's hash.
    numbers: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Strings {
    /// The number of `text`, given one if it is new (only then is it copied).
    pub fn sym(&mut self, text: &str) -> Sym {
        let Strings {
            texts,
            numbers,
            hasher,
        } = self;
        let hash = hasher.hash_one(text);
        let entry = numbers.entry(
            hash,
            |&n| &*texts[n as usize] == text,
            |&n| hasher.hash_one(&*texts[n as usize]),
        );
        match entry {
            Entry::Occupied(found) => Sym(*found.get()),
            Entry::Vacant(slot) => {
                let n = u32::try_from(texts.len()).expect("fewer than 2^32 menu strings");
                slot.insert(n);
                texts.push(text.into());
                Sym(n)
            }
        }
    }

    pub fn text(&self, sym: Sym) -> &str {
        &self.texts[sym.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_text_has_one_number_and_reads_back() {
        let mut strings = Strings::default();
        let about = strings.sym("About");
        let empty = strings.sym("");
        assert_eq!(strings.sym("About"), about);
        assert_ne!(strings.sym("about"), about);
        assert_ne!(empty, about);
        for n in 0..1000 {
            strings.sym(&format!("label {n}"));
        }
        assert_eq!(strings.sym("About"), about);
        assert_eq!(strings.text(about), "About");
        let last = strings.sym("label 999");
        assert_eq!(strings.text(last), "label 999");
        assert_eq!(strings.text(empty), "");
    }
}
