//! What a crawl of a big site must find, and what it must account for.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_working_group_four_clicks_behind_bulk_is_present() {
    let site = site(Scenario::DeepGroup).await;
    assert_eq!(site.info.evidence.as_ref().unwrap().depth, Some(4));
    let run = site.crawl().await;
    assert_found(
        &run,
        "present",
        &site.evidence_url(),
        &["heading", "title", "url", "nav"],
    );
    // Breadth kept: every menu target was read too.
    let read = run.ok_urls();
    let unread: Vec<&String> = site
        .info
        .menu_targets
        .iter()
        .filter(|path| !read.contains(&format!("{}{path}", site.base)))
        .collect();
    assert!(unread.is_empty(), "menu targets not read: {unread:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_listed_late_in_the_sitemap_and_linked_from_nowhere_is_present() {
    let site = site(Scenario::SitemapOnly).await;
    let place = site.info.evidence.clone().unwrap();
    assert_eq!(place.depth, None, "no link leads there");
    assert!(place.sitemap_position.unwrap() > 2000, "{place:?}");
    let run = site.crawl().await;
    // Its h1 names the group, but no link leads there: not a front page, so
    // `present`, not `leading`.
    assert_found(
        &run,
        "present",
        &site.evidence_url(),
        &["heading", "title", "url"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_inside_a_compressed_pdf_annual_report_is_mentioned() {
    let site = site(Scenario::PdfFlate).await;
    assert_eq!(site.info.evidence.as_ref().unwrap().depth, Some(2));
    let run = site.crawl().await;
    assert_found(&run, "mentioned", &site.evidence_url(), &["document"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_inside_an_uncompressed_pdf_strategy_is_mentioned() {
    let site = site(Scenario::PdfPlain).await;
    assert_eq!(site.info.evidence.as_ref().unwrap().depth, Some(2));
    let run = site.crawl().await;
    assert_found(&run, "mentioned", &site.evidence_url(), &["document"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_site_with_only_false_friends_stays_absent() {
    let site = site(Scenario::Absent).await;
    assert!(site.info.evidence.is_none());
    let run = site.crawl().await;
    let summary = run.summary();
    assert_eq!(summary["verdict"], "absent");
    assert_eq!(
        run.evidence(),
        Vec::<Row>::new(),
        "false friends are no evidence"
    );
    // An absence from reading, not from failing to read: the budget was spent on pages.
    let ok: usize = summary["pages_ok"].parse().unwrap();
    assert!(ok >= 400, "only {ok} pages read");
    // The false friends were read: the footer's media library and a book's CIP data.
    let read = run.ok_urls();
    assert!(read.contains(&format!("{}/press/media-library", site.base)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_site_accounts_for_every_url_it_knew_and_did_not_read() {
    let site = site(Scenario::Absent).await;
    let run = site.crawl().await;
    let summary = run.summary();
    let count = |key: &str| -> usize {
        summary
            .get(key)
            .unwrap_or_else(|| panic!("summary.csv has no {key} column"))
            .parse()
            .unwrap()
    };
    // Sitemaps read in full: every entry is known.
    let (known, read, skipped) = (
        count("urls_known"),
        count("urls_read"),
        count("urls_skipped"),
    );
    assert!(
        known >= site.info.sitemap_entries,
        "{known} URLs known, {} in the sitemaps",
        site.info.sitemap_entries
    );
    // Every URL known was read, skipped with a reason, or fetched and failed (errors.csv).
    let failed = run.csv("errors.csv").len();
    assert!(
        read + skipped <= known && known <= read + skipped + failed,
        "known {known}, read {read}, skipped {skipped}, failed {failed}"
    );
    assert!(
        (400..=500).contains(&read),
        "{read} read with max_pages 500"
    );
    // skipped.csv: one row per URL known and not read, each with a reason
    // (docs/reports.md lists them).
    let rows = run.csv("skipped.csv");
    assert_eq!(rows.len(), skipped);
    let reasons = [
        "max_pages",
        "max_depth",
        "robots",
        "out_of_scope",
        "nofollow",
        "trap",
        "duplicate",
        "unreadable",
        "not_html",
        "failed",
        "unreachable",
    ];
    for row in &rows {
        assert!(reasons.contains(&row["reason"].as_str()), "{row:?}");
    }
    let urls: BTreeSet<&String> = rows.iter().map(|r| &r["url"]).collect();
    assert_eq!(urls.len(), rows.len(), "each URL once");
    let ok = run.ok_urls();
    assert!(
        urls.iter().all(|u| !ok.contains(*u)),
        "a URL both read and skipped"
    );
    // Coverage is pages read over URLs known.
    let coverage: f64 = summary["coverage"].parse().unwrap();
    assert!(
        (coverage - read as f64 / known as f64).abs() < 0.01,
        "{coverage}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_text_on_an_ordinary_page_three_clicks_deep_is_mentioned() {
    let site = site(Scenario::BodyOnly).await;
    assert_eq!(site.info.evidence.as_ref().unwrap().depth, Some(3));
    let run = site.crawl().await;
    assert_found(&run, "mentioned", &site.evidence_url(), &["body"]);
}
