//! The command line as a user meets it: the JSON `extract` prints, exit codes, and the
//! offline `demo` end to end (issues 2 and 3).

use std::path::Path;
use std::process::{Command, Output};

fn alliance_audit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write_temp(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn extract_prints_the_documented_json_fields() {
    let dir = tempfile::tempdir().unwrap();
    let page = write_temp(
        dir.path(),
        "page.html",
        r#"<html lang="en"><head><title>Groups | Alliance</title>
        <meta name="description" content="Our groups."><link rel="canonical" href="/groups/"></head>
        <body><header><nav aria-label="Main"><ul><li><a href="/">Home</a></li>
        <li><a href="/groups/">Groups</a><ul><li><a href="/groups/libraries/">Library Network</a></li></ul></li>
        </ul></nav></header><main><h1>Groups</h1><p>The librarians meet twice a year.</p></main></body></html>"#,
    );
    let output = alliance_audit(&[
        "extract",
        &page,
        "--url",
        "https://alliance.example/groups/",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "url",
        "title",
        "lang",
        "description",
        "canonical",
        "navigation",
        "headings",
        "words",
        "links",
        "evidence",
        "verdicts",
    ] {
        assert!(keys.contains(&key), "missing {key} in {keys:?}");
    }
    assert_eq!(json["canonical"], "https://alliance.example/groups/");
    let menu = &json["navigation"][0];
    assert_eq!(menu["kind"], "primary");
    assert_eq!(menu["label"], "Main");
    let item = &menu["items"][2];
    assert_eq!(item["label"], "Library Network");
    assert_eq!(item["href"], "https://alliance.example/groups/libraries/");
    assert_eq!(item["depth"], 1);
    assert_eq!(item["path"], serde_json::json!(["Groups"]));
    assert_eq!(
        json["headings"][0],
        serde_json::json!({"level": 1, "text": "Groups"})
    );
    let evidence = json["evidence"].as_array().unwrap();
    let nav = evidence.iter().find(|e| e["location"] == "nav").unwrap();
    assert_eq!(nav["topic"], "library-collaboration");
    assert_eq!(nav["collaboration"], true);
    assert!(evidence.iter().any(|e| e["location"] == "body"));
    let verdict = &json["verdicts"][0];
    assert_eq!(verdict["topic"], "library-collaboration");
    assert_eq!(verdict["level"], "leading");
    assert!(verdict["score"].as_u64().unwrap() > 0);
}

#[test]
fn extract_text_format_is_a_short_summary() {
    let output = alliance_audit(&[
        "extract",
        "fixtures/pages/wordpress-menu.html",
        "--format",
        "text",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("primary"), "{text}");
    assert!(text.contains("library-collaboration:"), "{text}");
}

#[test]
fn exit_codes_tell_usage_errors_from_failures() {
    let missing = alliance_audit(&["extract", "no/such/page.html"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no/such/page.html"));

    let bad_url = alliance_audit(&[
        "extract",
        "fixtures/pages/wordpress-menu.html",
        "--url",
        "not a url",
    ]);
    assert_eq!(bad_url.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let topics = write_temp(
        dir.path(),
        "topics.toml",
        "[[topic]]\nid = \"museums\"\nname = \"Museums\"\nterms = []\nnegative = []\ncollaboration = []\n",
    );
    let bad_topics = alliance_audit(&[
        "extract",
        "fixtures/pages/wordpress-menu.html",
        "--topics",
        &topics,
    ]);
    assert_eq!(bad_topics.status.code(), Some(2));
    let message = stderr(&bad_topics);
    assert!(message.contains("topics.toml:"), "{message}");

    let unknown = alliance_audit(&["crawl", "--alliance", "no-such-alliance"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no-such-alliance"));
}

#[test]
fn help_explains_every_subcommand() {
    let output = alliance_audit(&["--help"]);
    let help = String::from_utf8(output.stdout).unwrap();
    for command in ["crawl", "demo", "extract", "check-config"] {
        assert!(help.contains(command), "{command} missing from --help");
    }
    let crawl = alliance_audit(&["crawl", "--help"]);
    let help = String::from_utf8(crawl.stdout).unwrap();
    for flag in [
        "--config",
        "--topics",
        "--alliance",
        "--out",
        "--max-pages",
        "--max-depth",
        "--concurrency",
        "--delay-ms",
        "--user-agent",
        "--quiet",
        "--verbose",
    ] {
        assert!(help.contains(flag), "{flag} missing from crawl --help");
    }
}

#[test]
fn demo_crawls_the_fixture_sites_offline() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let db = dir.path().join("runs.db");
    let output = alliance_audit(&[
        "demo",
        "--alliance",
        "liber",
        "--alliance",
        "wun",
        "--out",
        out.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "-q",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("liber"), "{table}");
    let mut summary = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = summary.records().map(Result::unwrap).collect();
    let verdict = |alliance: &str| {
        rows.iter()
            .find(|r| &r[0] == alliance && &r[2] == "library-collaboration")
            .map(|r| r[3].to_string())
    };
    assert_eq!(verdict("liber").as_deref(), Some("leading"));
    assert_eq!(verdict("wun").as_deref(), Some("absent"));
    for file in [
        "pages.csv",
        "navigation.csv",
        "headings.csv",
        "evidence.csv",
        "errors.csv",
        "run.json",
        "report.html",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
}

/// Every command that reads configuration says which file it cannot read, with the
/// usage exit code, before doing anything (issue 11: the hash was once taken of an
/// unreadable file as if it were empty).
#[test]
fn every_command_reading_configuration_reports_a_file_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let missing = missing.to_str().unwrap();
    let db = dir.path().join("runs.db");
    let db = db.to_str().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let commands: [&[&str]; 7] = [
        &["crawl", "--config", missing, "--db", db, "--out", out],
        &["crawl", "--topics", missing, "--db", db, "--out", out],
        &["demo", "--topics", missing, "--db", db, "--out", out],
        &[
            "demo",
            "--fixtures",
            dir.path().to_str().unwrap(),
            "--db",
            db,
        ],
        &[
            "replay",
            "no-such.warc.gz",
            "--topics",
            missing,
            "--out",
            out,
        ],
        &["check-config", "--config", missing],
        // Every second, once: a schedule that waited to read its files would end.
        &[
            "schedule",
            "--cron",
            "* * * * * *",
            "--max-runs",
            "1",
            "--config",
            missing,
            "--db",
            db,
        ],
    ];
    for args in commands {
        let output = alliance_audit(args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(
            message.contains("cannot read the file"),
            "{args:?}: {message}"
        );
        assert!(!Path::new(out).exists(), "{args:?} wrote reports");
    }
}
