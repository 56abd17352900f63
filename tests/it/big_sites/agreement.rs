//! Two crawls of one big site agree; every scenario has its evidence where designed.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_crawls_of_a_big_site_read_the_same_pages() {
    assert_two_crawls_agree(Scenario::DeepGroup).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_crawls_of_a_big_site_with_a_sitemap_read_the_same_pages() {
    assert_two_crawls_agree(Scenario::SitemapOnly).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_is_a_big_site_with_its_evidence_where_designed() {
    for scenario in Scenario::ALL {
        let site = site(scenario).await;
        let (info, dir) = (&site.info, &site.dir);
        let pages = info.html_pages + info.documents;
        assert!((2000..=4000).contains(&pages), "{}", info.describe());
        assert!(info.reachable > 1900, "{}", info.describe());
        assert_eq!(info.expected_verdict, scenario.expected_verdict());
        let depth = info.evidence.as_ref().and_then(|e| e.depth);
        let expected_depth = match scenario {
            Scenario::DeepGroup => Some(4),
            Scenario::SitemapOnly | Scenario::Absent => None,
            Scenario::PdfFlate | Scenario::PdfPlain => Some(2),
            Scenario::BodyOnly => Some(3),
        };
        assert_eq!(depth, expected_depth, "{}", info.describe());
        assert_eq!(info.evidence.is_none(), scenario == Scenario::Absent);
        // The bulk is most of the site and most of it is near the home page.
        assert!(
            info.pages_per_depth[1] > 100,
            "a home page full of links: {:?}",
            info.pages_per_depth
        );
        evidence_is_only_where_designed(scenario, info, dir.path());
    }
}
