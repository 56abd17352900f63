//! The primary menu on real pages, against labels marked by hand (issue 9).
//!
//! `tests/menus/truth.toml` names pages of the shared corpus of real pages
//! (`../shared/corpus/real-pages`, read in place, never copied) and the top-level
//! labels of each one's main menu. This test extracts every page as `extract PAGE`
//! does (no URL given) and measures:
//! - exact match: the page's `primary` menu has exactly the marked top-level labels,
//!   in order (for a page marked with no site menu: no menu is `primary`);
//! - label precision and recall over all pages, counting each label once per
//!   occurrence (the predicted labels of the primary menu against the marked ones).
//!
//! It prints the numbers, per kind of page and per failing page, and fails below
//! thresholds set just under what the extractor reaches, so a change that helps one
//! kind of menu and hurts another shows at once. `MENUS_VERBOSE=1` prints every page.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use alliance_audit::extract::{extract, MenuKind};
use serde::Deserialize;

/// What the extractor reaches on the set (see README, "Menus on real pages"), less a
/// little slack for a label changed by an unrelated fix.
const MIN_EXACT: f64 = 0.90;
const MIN_PRECISION: f64 = 0.90;
const MIN_RECALL: f64 = 0.93;

#[derive(Deserialize)]
struct Truth {
    page: Vec<Labelled>,
}

#[derive(Deserialize)]
struct Labelled {
    file: String,
    kinds: Vec<String>,
    primary: Vec<String>,
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("ALLIANCE_AUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real-pages")
        })
}

fn normalise(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Labels both lists share, each occurrence matched once.
fn shared(predicted: &[String], truth: &[String]) -> usize {
    let mut left: HashMap<&str, usize> = HashMap::new();
    for label in truth {
        *left.entry(label.as_str()).or_default() += 1;
    }
    predicted
        .iter()
        .filter(|label| match left.get_mut(label.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count()
}

#[derive(Default)]
struct Score {
    pages: usize,
    exact: usize,
    predicted: usize,
    truth: usize,
    shared: usize,
}

impl Score {
    fn add(&mut self, exact: bool, predicted: &[String], truth: &[String]) {
        self.pages += 1;
        self.exact += usize::from(exact);
        self.predicted += predicted.len();
        self.truth += truth.len();
        self.shared += shared(predicted, truth);
    }

    fn exact_rate(&self) -> f64 {
        self.exact as f64 / self.pages.max(1) as f64
    }

    fn precision(&self) -> f64 {
        if self.predicted == 0 {
            return 1.0;
        }
        self.shared as f64 / self.predicted as f64
    }

    fn recall(&self) -> f64 {
        if self.truth == 0 {
            return 1.0;
        }
        self.shared as f64 / self.truth as f64
    }

    fn line(&self) -> String {
        format!(
            "exact {}/{} ({:.2}), precision {:.2}, recall {:.2}",
            self.exact,
            self.pages,
            self.exact_rate(),
            self.precision(),
            self.recall()
        )
    }
}

#[test]
fn primary_menus_match_the_hand_labelled_set() {
    let truth_file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/menus/truth.toml");
    let truth: Truth = toml::from_str(&std::fs::read_to_string(&truth_file).unwrap()).unwrap();
    assert!(
        truth.page.len() >= 80,
        "the set has {} pages",
        truth.page.len()
    );
    let dir = corpus_dir();
    if !dir.join(&truth.page[0].file).exists() {
        eprintln!(
            "warning: no corpus at {}; set ALLIANCE_AUDIT_CORPUS to measure menus",
            dir.display()
        );
        return;
    }
    let verbose = std::env::var_os("MENUS_VERBOSE").is_some();
    let mut all = Score::default();
    let mut with_menu = Score::default();
    let mut by_kind: BTreeMap<String, Score> = BTreeMap::new();
    let mut failures = Vec::new();
    for labelled in &truth.page {
        let bytes = std::fs::read(dir.join(&labelled.file))
            .unwrap_or_else(|e| panic!("{}: {e}", labelled.file));
        let page = extract(&bytes, None, None);
        let primaries: Vec<_> = page
            .navigation
            .iter()
            .filter(|m| m.kind == MenuKind::Primary)
            .collect();
        assert!(primaries.len() <= 1, "{}: two primary menus", labelled.file);
        let predicted: Vec<String> = primaries
            .first()
            .map(|m| m.top_level_labels().into_iter().map(normalise).collect())
            .unwrap_or_default();
        let expected: Vec<String> = labelled.primary.iter().map(|l| normalise(l)).collect();
        let exact = predicted == expected;
        all.add(exact, &predicted, &expected);
        if !expected.is_empty() {
            with_menu.add(exact, &predicted, &expected);
        }
        for kind in &labelled.kinds {
            by_kind
                .entry(kind.clone())
                .or_default()
                .add(exact, &predicted, &expected);
        }
        if !exact || verbose {
            failures.push(format!(
                "{} {}\n    marked:    {}\n    extracted: {}",
                if exact { "ok  " } else { "MISS" },
                labelled.file,
                expected.join(" · "),
                predicted.join(" · ")
            ));
        }
    }
    for line in &failures {
        eprintln!("{line}");
    }
    for (kind, score) in &by_kind {
        eprintln!("{kind:>8}: {}", score.line());
    }
    eprintln!("pages with a menu: {}", with_menu.line());
    eprintln!("all pages:         {}", all.line());
    assert!(
        all.exact_rate() >= MIN_EXACT,
        "exact match {:.2} < {MIN_EXACT}",
        all.exact_rate()
    );
    assert!(
        all.precision() >= MIN_PRECISION,
        "precision {:.2} < {MIN_PRECISION}",
        all.precision()
    );
    assert!(
        all.recall() >= MIN_RECALL,
        "recall {:.2} < {MIN_RECALL}",
        all.recall()
    );
}
