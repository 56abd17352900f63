//! The run directory's files: atomic, complete when interrupted, run.json.

use super::*;

#[test]
fn files_appear_only_at_finish_and_no_temp_file_is_left() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("runs").join("x");
    let mut writer = RunWriter::create(&dir, run_info()).unwrap();
    for event in leru_events(true) {
        writer.handle(&event).unwrap();
    }
    let before = listing(&dir);
    assert!(
        before
            .iter()
            .all(|name| name.starts_with('.') && name.ends_with(".tmp")),
        "{before:?}"
    );
    assert!(before.contains(&".pages.csv.tmp".to_string()));

    writer.finish("2026-11-27T03:17:00Z", false).unwrap();
    let mut want: Vec<String> = FILES
        .iter()
        .flat_map(|f| [format!("{f}.csv"), format!("{f}.jsonl")])
        .chain(["run.json".to_string(), "report.html".to_string()])
        .collect();
    want.sort();
    assert_eq!(listing(&dir), want);
}

#[test]
fn an_empty_run_has_header_only_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut info = run_info();
    info.alliance_names.clear();
    let writer = RunWriter::create(tmp.path(), info).unwrap();
    let totals = writer.finish("2026-11-27T03:17:00Z", false).unwrap();
    assert_eq!(totals.pages, 0);
    let headers = [
        ("summary", "alliance_id,alliance_name,topic,verdict,score,coverage,pages_ok,pages_failed,pages_blocked,evidence_count,first_evidence_url,started_at,finished_at,urls_known,urls_read,urls_skipped,unread_relevant"),
        ("pages", "alliance_id,url,final_url,depth,outcome,status,content_type,title,lang,words,headings,nav_items,verdict,error"),
        ("navigation", "alliance_id,menu_kind,depth,path,label,href,pages_seen"),
        ("headings", "alliance_id,url,position,level,text"),
        ("evidence", "alliance_id,topic,url,location,term,collaboration,snippet"),
        ("errors", "alliance_id,url,outcome,status,error"),
        ("skipped", "alliance_id,url,reason,found_by,found_on,depth,priority,relevant"),
    ];
    for (name, header) in headers {
        let csv = std::fs::read_to_string(tmp.path().join(format!("{name}.csv"))).unwrap();
        assert_eq!(csv, format!("{header}\n"), "{name}.csv");
        let jsonl = std::fs::read_to_string(tmp.path().join(format!("{name}.jsonl"))).unwrap();
        assert_eq!(jsonl, "", "{name}.jsonl");
    }
}

#[test]
fn run_json_records_the_run_and_robots() {
    let tmp = tempfile::tempdir().unwrap();
    write_run(tmp.path(), &leru_events(true), false);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(run["run_id"], "20261127T031500Z");
    assert_eq!(run["tool_version"], "0.1.0");
    assert_eq!(run["config_hash"], "0123456789abcdef");
    assert_eq!(run["finished_at"], "2026-11-27T03:17:00Z");
    assert_eq!(run["interrupted"], false);
    assert_eq!(run["options"]["max_pages"], 500);
    assert_eq!(run["totals"]["pages"], 5);
    assert_eq!(run["totals"]["outcomes"]["ok"], 3);
    assert_eq!(run["totals"]["pages_cut_off"], 1);
    assert_eq!(run["robots"][0]["host"], "leru.test");
    assert_eq!(
        run["robots"][0]["body"],
        "User-agent: *\nDisallow: /private/\n"
    );
}

#[test]
fn an_interrupted_run_still_writes_complete_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut writer = RunWriter::create(tmp.path(), run_info()).unwrap();
    for event in leru_events(false) {
        writer.handle(&event).unwrap();
    }
    let totals = writer.finish("2026-11-27T03:15:30Z", true).unwrap();
    assert!(totals.interrupted);
    assert_eq!(totals.summary.len(), 2);
    let summary = records(tmp.path(), "summary.csv");
    // LERU started but never finished: its verdict stands, its finished_at is empty.
    assert_eq!(
        (&*summary[0]["verdict"], &*summary[0]["finished_at"]),
        ("leading", "")
    );
    assert_eq!(records(tmp.path(), "navigation.csv").len(), 3);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(run["interrupted"], true);
}
