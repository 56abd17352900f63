//! The house rules (issue 11), checked on the source itself so that a change that
//! breaks one fails here rather than in a review:
//!
//! - data flows one way: `extract`, `detect`, `document`, `report`, `store`, `warc`,
//!   `diff` and `record` never import `crawl` (nor `cli`); `record` imports no stage
//!   but the page and detection types it carries;
//! - async and the network stay in `crawl` and the commands: the stages after the
//!   crawl have no `tokio`, no `async`, no HTTP client (`document` is allowed tokio
//!   for its reader child process);
//! - no two source files import each other;
//! - no source file passes [`MAX_LINES`], but those listed in [`STILL_LONG`], each
//!   held to the length it had when the rule came in, so they can only shrink.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 400;

/// Files over the limit when the rule came in, with their length then: the ceiling.
/// Remove a line when its file is split.
const STILL_LONG: &[(&str, usize)] = &[];

/// Stages that must not know the crawler.
const AFTER_CRAWL: &[&str] = &[
    "extract", "detect", "document", "report", "store", "warc", "diff", "record", "decode",
    "config",
];

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// `src/a/b.rs` → `a::b` (`mod.rs` names its folder; `lib.rs` is the crate).
fn module_of(path: &Path) -> String {
    let relative = path
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .unwrap()
        .with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

/// The modules a file's `use` lines name, as absolute paths (`crate::` and `super::`
/// resolved), cut to the longest prefix that is a known module.
fn imports(path: &Path, module: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let parent = match module.rsplit_once("::") {
        Some((parent, _)) => parent.to_string(),
        None => String::new(),
    };
    // A `mod.rs` file's `super` is its folder's parent; any other file's, its folder.
    let is_folder = path.file_name().is_some_and(|n| n == "mod.rs");
    let base = if is_folder { parent.clone() } else { parent };
    let mut found = BTreeSet::new();
    let mut statement = String::new();
    let resolve = |root: String, target: String, found: &mut BTreeSet<String>| {
        let full = if root.is_empty() {
            target
        } else {
            format!("{root}::{target}")
        };
        let mut parts: Vec<&str> = full.split("::").collect();
        while !parts.is_empty() && !known.contains(&parts.join("::")) {
            parts.pop();
        }
        if !parts.is_empty() {
            found.insert(parts.join("::"));
        }
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if line.starts_with("//") {
            continue;
        }
        if statement.is_empty() && !(line.starts_with("use ") || line.starts_with("pub use ")) {
            // A path written out in code (`super::site::timestamp()`) imports too.
            for (at, _) in line
                .match_indices("super::")
                .chain(line.match_indices("crate::"))
            {
                let rest = &line[at..];
                let path: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if let Some(target) = path.strip_prefix("super::") {
                    resolve(base.clone(), target.to_string(), &mut found);
                } else if let Some(target) = path.strip_prefix("crate::") {
                    resolve(String::new(), target.to_string(), &mut found);
                }
            }
            continue;
        }
        statement.push_str(line);
        if !line.ends_with(';') {
            continue;
        }
        let body = statement
            .trim_start_matches("pub ")
            .trim_start_matches("use ")
            .trim_end_matches(';')
            .to_string();
        statement.clear();
        let (root, rest) = if let Some(rest) = body.strip_prefix("crate::") {
            (String::new(), rest.to_string())
        } else if let Some(rest) = body.strip_prefix("super::") {
            (base.clone(), rest.to_string())
        } else {
            continue;
        };
        for target in expand(&rest) {
            resolve(root.clone(), target, &mut found);
        }
    }
    found.remove(module);
    found
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path = path.replace(' ', "");
    let Some(open) = path.find('{') else {
        return vec![path];
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.len() - 1];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|item| !item.is_empty())
        .flat_map(|item| expand(&format!("{prefix}{item}")))
        .collect()
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let known: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    files
        .iter()
        .map(|file| {
            let module = module_of(file);
            let imported = imports(file, &module, &known);
            (module, imported)
        })
        .collect()
}

#[test]
fn stages_after_the_crawl_do_not_import_it() {
    let mut broken = Vec::new();
    for (module, imported) in graph() {
        let stage = module.split("::").next().unwrap_or_default();
        if !AFTER_CRAWL.contains(&stage) {
            continue;
        }
        for target in imported {
            let top = target.split("::").next().unwrap_or_default();
            if top == "crawl" || top == "cli" {
                broken.push(format!("{module} imports {target}"));
            }
        }
    }
    assert!(broken.is_empty(), "the data flows one way: {broken:#?}");
}

/// Stages with no async and no network (issue 11: `warc` read with tokio once, and
/// the demo's server stood on the ground floor).
const SYNCHRONOUS: &[&str] = &[
    "extract", "detect", "report", "store", "warc", "diff", "record", "decode", "config",
];

#[test]
fn async_and_the_network_stay_in_crawl_and_the_commands() {
    let mut found = Vec::new();
    for path in sources() {
        let module = module_of(&path);
        let stage = module.split("::").next().unwrap_or_default();
        if module.is_empty() || !SYNCHRONOUS.contains(&stage) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code: Vec<&str> = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect();
        // `reqwest::StatusCode` (a reason phrase in `warc`) is data, not the network.
        for name in ["tokio::", "reqwest::Client", "async fn", ".await"] {
            if code.iter().any(|line| line.contains(name)) {
                found.push(format!("{module}: {name}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn no_two_files_import_each_other() {
    let graph = graph();
    let mut loops = Vec::new();
    for (module, imported) in &graph {
        for target in imported {
            let back = graph.get(target).is_some_and(|t| t.contains(module));
            if back && module < target {
                loops.push(format!("{module} <-> {target}"));
            }
        }
    }
    assert!(loops.is_empty(), "{loops:#?}");
}

#[test]
fn no_file_a_reader_must_scroll_through() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    for file in sources() {
        let name = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        let limit = STILL_LONG
            .iter()
            .find(|(listed, _)| *listed == name)
            .map_or(MAX_LINES, |(_, ceiling)| *ceiling);
        if lines > limit {
            long.push(format!("{name}: {lines} lines (limit {limit})"));
        }
    }
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn the_rules_see_imports() {
    // The checker itself: a `use` of crate paths and nested groups is read.
    assert_eq!(
        expand("record::{CrawlEvent, Outcome}"),
        ["record::CrawlEvent", "record::Outcome"]
    );
    let graph = graph();
    assert!(graph["report::writer"].contains("record"), "{graph:#?}");
    assert!(graph["crawl::coordinator"].contains("crawl::discovery"));
}
