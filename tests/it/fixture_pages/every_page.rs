//! Every fixture page against `expected.toml` and the README.

use super::*;

#[test]
fn every_fixture_page_has_the_expected_facts() {
    let expected = load_expected();
    let topics = Topics::bundled();
    let mut report = Vec::new();
    for facts in &expected.page {
        let fails = check_page(facts, &topics);
        if !fails.is_empty() {
            report.push(format!("{}:\n  - {}", facts.file, fails.join("\n  - ")));
        }
    }
    assert!(
        report.is_empty(),
        "{} of {} fixture pages differ from expected.toml:\n\n{}",
        report.len(),
        expected.page.len(),
        report.join("\n\n")
    );
}

#[test]
fn every_fixture_page_has_an_entry_and_every_entry_a_page() {
    let expected = load_expected();
    let listed: BTreeSet<&str> = expected.page.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(
        listed.len(),
        expected.page.len(),
        "a page is listed twice in expected.toml"
    );
    let on_disk: BTreeSet<String> = std::fs::read_dir(pages_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".html"))
        .collect();
    let missing: Vec<&String> = on_disk
        .iter()
        .filter(|f| !listed.contains(f.as_str()))
        .collect();
    let stale: Vec<&&str> = listed.iter().filter(|f| !on_disk.contains(**f)).collect();
    assert!(missing.is_empty(), "pages without an entry: {missing:?}");
    assert!(stale.is_empty(), "entries without a page: {stale:?}");
    assert!(on_disk.len() >= 30, "only {} fixture pages", on_disk.len());
}

#[test]
fn every_fixture_page_is_described_in_the_readme() {
    let readme = std::fs::read_to_string(pages_dir().join("README.md")).unwrap();
    let expected = load_expected();
    let missing: Vec<&str> = expected
        .page
        .iter()
        .map(|p| p.file.as_str())
        .filter(|f| !readme.contains(&format!("`{f}`")))
        .collect();
    assert!(missing.is_empty(), "pages not in README.md: {missing:?}");
}
