//! A page record and a robots.txt as rows: the page with its extraction, detection
//! and links, its navigation, headings and evidence.

use super::db::{args, Db, DbError, Value};

use super::menus::MenuBook;
use crate::detect::{Detection, Level};
use crate::extract::Page;
use crate::record::{PageRecord, RobotsRecord, SkippedRecord};

pub(super) fn insert_page(
    db: &Db,
    run_id: &str,
    topics: &[String],
    seq: i64,
    record: &PageRecord,
    menus: &mut MenuBook,
) -> Result<(), DbError> {
    let page = record.page.as_ref();
    let menu_hashes = match page {
        Some(page) => Some(menus.record(db, run_id, &record.alliance_id, &page.navigation)?),
        None => None,
    };
    let verdict = record.detection.as_ref().map(|d| {
        let chosen = match topics.first() {
            Some(topic) => d.verdicts.iter().find(|v| &v.topic == topic),
            None => d.verdicts.first(),
        };
        chosen.map_or(Level::Absent, |v| v.level).as_str()
    });
    db.execute(
        "INSERT INTO pages (run_id, seq, alliance_id, url, final_url, depth, outcome, status,
             content_type, title, lang, words, verdict, error, fetched_at, extraction, detection, links,
             menus)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        args![
        run_id,
        seq,
        &record.alliance_id,
        &record.url,
        &record.final_url,
        record.depth as i64,
        record.outcome.as_str(),
        record.status,
        &record.content_type,
        page.and_then(|p| p.title.as_deref()),
        page.and_then(|p| p.lang.as_deref()),
        page.map(|p| p.words as i64),
        verdict,
        &record.error,
        &record.fetched_at,
        page.map(bare_extraction),
        // The verdicts only: the evidence rows are in their own table, read back
        // from there (they are most of a detection, and would be stored twice).
        record.detection.as_ref().map(|d| {
            let verdicts = Detection {
                evidence: Vec::new(),
                verdicts: d.verdicts.clone(),
            };
            serde_json::to_string(&verdicts).expect("a detection serialises")
        }),
        page.filter(|p| !p.links.is_empty())
            .map(|p| serde_json::to_string(&p.links).expect("strings serialise")),
        menu_hashes,
        ],
    )?;
    if let (Some(validators), Some(_)) = (&record.validators, &record.detection) {
        db.execute(
            "INSERT INTO http_cache (url, etag, last_modified, run_id, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,
                 last_modified = excluded.last_modified, run_id = excluded.run_id,
                 fetched_at = excluded.fetched_at",
            args![
                &record.url,
                &validators.etag,
                &validators.last_modified,
                run_id,
                &record.fetched_at,
            ],
        )?;
    }
    let Some(page) = page else {
        return Ok(());
    };
    let rows: Vec<Vec<Value>> = page
        .headings
        .iter()
        .enumerate()
        .map(|(i, h)| args![run_id, seq, i as i64 + 1, h.level, &h.text].to_vec())
        .collect();
    db.execute_many(
        "INSERT INTO headings (run_id, page_seq, position, level, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        &rows,
    )?;
    let evidence =
        "INSERT INTO evidence (run_id, page_seq, position, topic, term, location, snippet,
             collaboration, level, weight, menu_kind, heading_level)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    let mut rows = Vec::new();
    for (i, e) in record
        .detection
        .iter()
        .flat_map(|d| &d.evidence)
        .enumerate()
    {
        rows.push(
            args![
                run_id,
                seq,
                i as i64,
                &e.topic,
                &e.term,
                e.location.as_str(),
                &e.snippet,
                e.collaboration,
                e.level.as_str(),
                e.weight,
                e.menu_kind.map(|k| k.as_str()),
                e.heading_level,
            ]
            .to_vec(),
        );
    }
    db.execute_many(evidence, &rows)
}

/// A page's extraction as stored: without its navigation (in `menus`) and headings
/// (in `headings`), which are read back from there.
fn bare_extraction(page: &Page) -> String {
    let bare = Page {
        url: page.url.clone(),
        title: page.title.clone(),
        lang: page.lang.clone(),
        description: page.description.clone(),
        canonical: page.canonical.clone(),
        navigation: Vec::new(),
        headings: Vec::new(),
        body_text: String::new(),
        words: page.words,
        links: Vec::new(),
        robots: page.robots,
    };
    serde_json::to_string(&bare).expect("a page serialises")
}

pub(super) fn insert_skipped(
    db: &Db,
    run_id: &str,
    seq: i64,
    record: &SkippedRecord,
) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO skipped (run_id, seq, alliance_id, url, reason, found_by, found_on,
             depth, priority, relevant)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        args![
            run_id,
            seq,
            &record.alliance_id,
            &record.url,
            record.reason.as_str(),
            record.found_by.as_str(),
            &record.found_on,
            record.depth as i64,
            record.priority,
            record.relevant,
        ],
    )?;
    Ok(())
}

pub(super) fn insert_robots(
    db: &Db,
    run_id: &str,
    seq: i64,
    robots: &RobotsRecord,
) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO robots (run_id, seq, alliance_id, host, status, body, fetched_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        args![
            run_id,
            seq,
            &robots.alliance_id,
            &robots.host,
            robots.status,
            &robots.body,
            &robots.fetched_at,
        ],
    )?;
    Ok(())
}
