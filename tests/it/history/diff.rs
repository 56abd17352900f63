//! `history`, `diff` and `report` over two runs of a changed site.

use super::*;

#[test]
fn a_changed_site_diffs_as_changed_and_a_stored_run_reexports_identically() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let fixtures = fixture_sites(dir);
    // The first run uses the default database in the working directory.
    demo(dir, &fixtures, "run1", None);
    assert!(dir.join("alliance-audit.db").is_file());
    change_wun(&fixtures);
    demo(dir, &fixtures, "run2", Some("alliance-audit.db"));

    let history = ok(dir, &["history"]);
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 3, "{history}");
    assert!(
        lines[1].contains("complete") && lines[2].contains("complete"),
        "{history}"
    );
    assert!(lines[1].contains("2 leading"), "{history}");
    assert!(lines[2].contains("1 leading, 1 absent"), "{history}");
    let wun_only = ok(dir, &["history", "--alliance", "wun", "--limit", "1"]);
    assert!(wun_only.contains("wun: leading"), "{wun_only}");
    assert_eq!(wun_only.lines().count(), 2, "{wun_only}");

    let json: Value =
        serde_json::from_str(&ok(dir, &["diff", "last", "previous", "--format", "json"])).unwrap();
    let alliances = json["alliances"].as_array().unwrap();
    let liber = alliances
        .iter()
        .find(|a| a["alliance_id"] == "liber")
        .unwrap();
    let wun = alliances
        .iter()
        .find(|a| a["alliance_id"] == "wun")
        .unwrap();
    // Nothing changed on LIBER's site; its new port is not a change.
    for list in [
        "verdicts",
        "nav_added",
        "nav_removed",
        "nav_renamed",
        "pages_new",
        "pages_gone",
        "headings",
    ] {
        assert_eq!(liber[list], serde_json::json!([]), "liber {list}");
    }

    let verdicts = wun["verdicts"].as_array().unwrap();
    let library = verdicts
        .iter()
        .find(|v| v["topic"] == "library-collaboration")
        .expect("the library verdict changed");
    assert_eq!(
        (library["from"].as_str(), library["to"].as_str()),
        (Some("absent"), Some("leading"))
    );
    assert_eq!(library["evidence_is"], "gained");
    let evidence = &library["evidence"];
    assert!(
        evidence
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["location"] == "nav" && e["snippet"] == "Libraries"),
        "{evidence}"
    );

    let renamed = wun["nav_renamed"].as_array().unwrap();
    assert_eq!(renamed.len(), 1, "{renamed:?}");
    assert_eq!(renamed[0]["old_label"], "Global Challenges");
    assert_eq!(renamed[0]["new_label"], "Global Grand Challenges");
    assert_eq!(renamed[0]["menu_kind"], "primary");
    // The renamed dropdown's children are not changes of their own.
    let added: Vec<String> = wun["nav_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(added, ["Libraries"]);
    assert_eq!(url_paths(&wun["pages_new"]), ["/libraries/"]);
    assert_eq!(url_paths(&wun["pages_gone"]), Vec::<String>::new());
    let failing = wun["pages_failing"].as_array().unwrap();
    assert_eq!(failing.len(), 1, "{failing:?}");
    assert_eq!(
        path_of(failing[0]["url"].as_str().unwrap()),
        "/about/members/"
    );
    assert_eq!(failing[0]["outcome"], "http_error");
    assert_eq!(failing[0]["status"], 404);
    let home = wun["headings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| path_of(h["url"].as_str().unwrap()) == "/")
        .expect("the home page's headings changed");
    assert_eq!(home["added"][0]["text"], "Global Grand Challenges");
    assert_eq!(home["removed"][0]["text"], "Global Challenges");

    // The order of A and B does not matter: the older run is the base.
    let forward = ok(dir, &["diff", "previous", "last", "--format", "json"]);
    assert_eq!(serde_json::from_str::<Value>(&forward).unwrap(), json);

    // Text for a person, CSV for a spreadsheet.
    let text = ok(dir, &["diff", "last", "previous", "--alliance", "wun"]);
    assert!(
        text.contains("verdict library-collaboration: absent -> leading"),
        "{text}"
    );
    assert!(
        text.contains("renamed \"Global Grand Challenges\""),
        "{text}"
    );
    assert!(!text.contains("liber"), "{text}");
    let csv = ok(dir, &["diff", "last", "previous", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["alliance_id", "change", "kind", "url", "old", "new"]
    );
    let changes: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    for change in [
        "verdict",
        "verdict_evidence",
        "nav_renamed",
        "nav_added",
        "page_new",
        "page_failing",
        "heading_added",
        "heading_removed",
    ] {
        assert!(
            changes.iter().any(|c| c == change),
            "{change} missing: {changes:?}"
        );
    }

    // report.html says what changed since each alliance's previous run.
    let html = std::fs::read_to_string(dir.join("run2/report.html")).unwrap();
    let first_id = json["older"].as_str().unwrap();
    assert!(
        html.contains(&format!("<h3>Changes since run {first_id}</h3>")),
        "{html}"
    );
    assert!(
        html.contains("verdict library-collaboration: absent → leading"),
        "{html}"
    );
    assert!(
        html.contains("primary menu item renamed: &quot;Global Challenges&quot; → &quot;Global Grand Challenges&quot;"),
        "{html}"
    );
    assert!(
        html.contains("<p>No changes.</p>"),
        "LIBER did not change: {html}"
    );
    let first = std::fs::read_to_string(dir.join("run1/report.html")).unwrap();
    assert!(
        !first.contains("Changes since"),
        "nothing to compare the first run with"
    );

    // The page opens with the matrix, then each alliance's verdicts over its runs
    // (issue 14): WUN's strip shows absent in run 1, then leading in run 2 (outlined).
    let matrix = html.find("<table class=\"matrix\">").expect("the matrix");
    let timeline = html
        .find("<section id=\"timeline\">")
        .expect("the timeline");
    assert!(matrix < timeline && timeline < html.find("<h2>Summary</h2>").unwrap());
    let wun = html
        .split("<figure class=\"strip\" data-alliance=\"wun\">")
        .nth(1)
        .and_then(|rest| rest.split("</figure>").next())
        .expect("WUN's strip");
    let library = |verdict: &str| {
        wun.find(&format!(
            "<g class=\"point {verdict}\"><title>library-collaboration: run"
        ))
        .unwrap_or_else(|| panic!("no {verdict} square: {wun}"))
    };
    assert!(library("absent") < library("leading"), "{wun}");
    assert!(wun.contains("2 runs,"), "{wun}");
    assert!(
        first.contains("first run of these alliances in the database"),
        "one run: no timeline yet"
    );

    // `report` replays the stored run through the report writer: the same files.
    ok(dir, &["report", "last", "--out", "again"]);
    for name in [
        "summary.csv",
        "pages.csv",
        "navigation.csv",
        "headings.csv",
        "evidence.csv",
        "errors.csv",
        "skipped.csv",
        "summary.jsonl",
        "pages.jsonl",
        "navigation.jsonl",
        "headings.jsonl",
        "evidence.jsonl",
        "errors.jsonl",
        "skipped.jsonl",
        "report.html",
        "run.json",
    ] {
        let original = std::fs::read(dir.join("run2").join(name)).unwrap();
        let again = std::fs::read(dir.join("again").join(name)).unwrap();
        assert!(original == again, "{name} differs after report");
    }
    ok(
        dir,
        &["report", "previous", "--out", "csv-only", "--format", "csv"],
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.join("csv-only"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "errors.csv",
            "evidence.csv",
            "headings.csv",
            "navigation.csv",
            "pages.csv",
            "run.json",
            "skipped.csv",
            "summary.csv"
        ]
    );
}

#[test]
fn reading_commands_need_an_existing_database_and_a_known_run() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let output = alliance_audit(dir, &["history"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no run database"));
    assert!(
        !dir.join("alliance-audit.db").exists(),
        "history must not create a database"
    );

    let fixtures = fixture_sites(dir);
    demo(dir, &fixtures, "run1", Some("runs.db"));
    let output = alliance_audit(dir, &["diff", "last", "previous", "--db", "runs.db"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no previous run"));
    let output = alliance_audit(dir, &["report", "19990101T000000Z", "--db", "runs.db"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no run \"19990101T000000Z\""));
}
