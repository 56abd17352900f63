//! How soon a URL is worth fetching: the score behind the best-first frontier.
//!
//! A person auditing a site for a topic follows the links whose words name it, reads
//! the site's own sections before its archives, and stays near the front page. The
//! score adds up those signals, each a fixed number of points, so an order can be
//! explained from the URL, its link's words and where it was found:
//!
//! | signal | points |
//! |---|---|
//! | a topic term in the link's words (anchor, `alt`, `aria-label`, `title`, the menu labels above it, the heading it sits under) | +60 |
//! | a topic term in the URL path | +50 (+10 more with the words) |
//! | a collaboration word beside the term | +15 |
//! | linked from a primary or secondary menu | +25 |
//! | linked from a footer or other menu | +10 |
//! | linked from a page that itself had evidence | +15 |
//! | a document (PDF, DOCX, ODT) | +10 |
//! | each level of depth | −10 |
//! | a query string | −5 |
//! | found on a bulk page (what an archive lists is its posts) | −15 |
//! | a sitemap entry last modified over three years ago | −5 |
//! | the 10th, 20th, 40th, ... URL of one template (`/news/#/<slug>`) | −5 each step, at most −30 |
//! | bulk (pagination, date archives, tag/category/author lists, calendars, search, print/share/feed variants) | −60 |
//! | a type the audit does not read (images, archives, media) | −100 |
//!
//! The topic terms are those of the topics file, all languages and any topic a user
//! adds, matched as detection matches them (negative contexts cancel: "media
//! library" steers nothing).

use std::collections::HashMap;

use url::Url;

use super::bulk::{bulk_kind, is_document, is_unread_type};
use crate::detect::{path_words, Detector};
use crate::extract::MenuKind;
use crate::record::FoundBy;

/// URLs of one template taken before the template starts to lose points.
const TEMPLATE_FREE: usize = 10;
const TEMPLATE_STEP_POINTS: i32 = 5;
const TEMPLATE_MAX_PENALTY: i32 = 30;

/// What is known of a URL when it is offered to the frontier.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub url: &'a Url,
    /// The link's words (empty for a sitemap entry or a start URL).
    pub hint: &'a str,
    pub menu: Option<MenuKind>,
    pub depth: usize,
    pub found_by: FoundBy,
    /// The page it was found on had evidence of a topic.
    pub from_relevant_page: bool,
    /// The page it was found on is bulk (an archive page, a tag list).
    pub from_bulk_page: bool,
    /// A sitemap entry's `<lastmod>` year.
    pub lastmod_year: Option<i32>,
}

/// A URL's score and what it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    pub priority: i32,
    /// Its URL or its link's words name a topic.
    pub relevant: bool,
    /// A target of a primary or secondary menu: read in the breadth share.
    pub menu_target: bool,
}

/// Scores candidates for one alliance; remembers how many URLs of each template it
/// has seen, so the 500th news post ranks below the 5th.
pub struct Scorer {
    this_year: i32,
    templates: HashMap<String, usize>,
}

impl Scorer {
    pub fn new(this_year: i32) -> Self {
        Scorer {
            this_year,
            templates: HashMap::new(),
        }
    }

    /// Scores a URL; `first_offer` counts it in its template (a URL offered again,
    /// from another page, is not a new instance).
    pub fn score(
        &mut self,
        detector: &Detector,
        candidate: &Candidate,
        first_offer: bool,
    ) -> Scored {
        let url = candidate.url;
        let hint = detector.relevance(candidate.hint);
        let path = detector.relevance(&path_words(url.path()));
        let mut points = 0;
        if hint.topic {
            points += 60;
        }
        if path.topic {
            points += if hint.topic { 10 } else { 50 };
        }
        if hint.collaboration || path.collaboration {
            points += 15;
        }
        let menu_target = matches!(
            candidate.menu,
            Some(MenuKind::Primary | MenuKind::Secondary)
        );
        points += match candidate.menu {
            Some(MenuKind::Primary | MenuKind::Secondary) => 25,
            Some(MenuKind::Footer | MenuKind::Other) => 10,
            Some(MenuKind::Breadcrumb) | None => 0,
        };
        if candidate.from_relevant_page {
            points += 15;
        }
        if is_document(url) {
            points += 10;
        }
        points -= 10 * candidate.depth.min(50) as i32;
        if url.query().is_some() {
            points -= 5;
        }
        if candidate.from_bulk_page {
            points -= 15;
        }
        if candidate.found_by == FoundBy::Sitemap
            && candidate
                .lastmod_year
                .is_some_and(|year| year + 3 < self.this_year)
        {
            points -= 5;
        }
        points -= self.template_penalty(url, first_offer);
        if bulk_kind(url).is_some() {
            points -= 60;
        }
        if is_unread_type(url) {
            points -= 100;
        }
        Scored {
            priority: points,
            relevant: hint.topic || path.topic,
            menu_target,
        }
    }

    fn template_penalty(&mut self, url: &Url, count_it: bool) -> i32 {
        let count = self.templates.entry(template(url)).or_default();
        if count_it {
            *count += 1;
        }
        let mut penalty = 0;
        let mut threshold = TEMPLATE_FREE;
        while *count > threshold && penalty < TEMPLATE_MAX_PENALTY {
            penalty += TEMPLATE_STEP_POINTS;
            threshold *= 2;
        }
        penalty
    }
}

/// The template a URL is an instance of: its path without the last segment, digits
/// folded (`/news/2023/05/x` and `/news/2024/01/y` are both `/news/#/#/`), and the
/// names of its query parameters.
fn template(url: &Url) -> String {
    let mut template = String::new();
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let parents = if url.query().is_some() {
        &segments[..]
    } else {
        &segments[..segments.len().saturating_sub(1)]
    };
    for segment in parents {
        template.push('/');
        if segment.bytes().all(|b| b.is_ascii_digit()) {
            template.push('#');
        } else {
            template.push_str(segment);
        }
    }
    template.push('/');
    let mut names: Vec<String> = url
        .query_pairs()
        .map(|(name, _)| name.into_owned())
        .collect();
    names.sort();
    names.dedup();
    if !names.is_empty() {
        template.push('?');
        template.push_str(&names.join("&"));
    }
    template
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Topic, Topics};

    fn detector() -> Detector {
        Detector::new(&Topics {
            topics: vec![Topic {
                id: "library-collaboration".into(),
                name: "Library collaboration".into(),
                terms: vec!["library".into(), "libraries".into(), "bibliothek*".into()],
                negative: vec!["media library".into()],
                collaboration: vec!["network".into()],
            }],
            ..Topics::default()
        })
    }

    fn score(
        scorer: &mut Scorer,
        url: &str,
        hint: &str,
        menu: Option<MenuKind>,
        depth: usize,
    ) -> Scored {
        let url = Url::parse(url).unwrap();
        scorer.score(
            &detector(),
            &Candidate {
                url: &url,
                hint,
                menu,
                depth,
                found_by: FoundBy::Link,
                from_relevant_page: false,
                from_bulk_page: false,
                lastmod_year: None,
            },
            true,
        )
    }

    #[test]
    fn topic_words_outrank_depth_and_bulk_sinks() {
        let mut scorer = Scorer::new(2026);
        let group = score(
            &mut scorer,
            "https://e.org/about/groups/g7/",
            "Library directors' network",
            None,
            3,
        );
        let section = score(&mut scorer, "https://e.org/about/", "About us", None, 1);
        let archive = score(&mut scorer, "https://e.org/news/page/4/", "4", None, 1);
        let by_path = score(&mut scorer, "https://e.org/bibliotheken/", "Mehr", None, 2);
        assert!(group.relevant && by_path.relevant && !section.relevant);
        assert!(group.priority > section.priority, "{group:?} {section:?}");
        assert!(by_path.priority > section.priority);
        assert!(section.priority > archive.priority);
    }

    #[test]
    fn negative_contexts_steer_nothing() {
        let mut scorer = Scorer::new(2026);
        let media = score(
            &mut scorer,
            "https://e.org/media/",
            "Media library",
            None,
            1,
        );
        assert!(!media.relevant);
    }

    #[test]
    fn menu_targets_are_marked_and_rank_higher() {
        let mut scorer = Scorer::new(2026);
        let menu = score(
            &mut scorer,
            "https://e.org/members/",
            "Members",
            Some(MenuKind::Primary),
            1,
        );
        let body = score(&mut scorer, "https://e.org/contact/", "Contact", None, 1);
        assert!(menu.menu_target && !body.menu_target);
        assert!(menu.priority > body.priority);
    }

    #[test]
    fn a_long_run_of_one_template_sinks_step_by_step() {
        let mut scorer = Scorer::new(2026);
        let priorities: Vec<i32> = (0..200)
            .map(|n| {
                score(
                    &mut scorer,
                    &format!("https://e.org/news/2024/{n}/post-{n}/"),
                    "",
                    None,
                    2,
                )
                .priority
            })
            .collect();
        assert_eq!(priorities[0], priorities[9]);
        assert!(priorities[10] < priorities[9]);
        assert!(priorities[199] < priorities[50]);
        assert!(priorities[0] - priorities[199] <= TEMPLATE_MAX_PENALTY);
    }

    #[test]
    fn templates_fold_digits_and_keep_parameter_names() {
        let t = |u: &str| template(&Url::parse(u).unwrap());
        assert_eq!(
            t("https://e.org/news/2023/05/x"),
            t("https://e.org/news/2024/01/y")
        );
        assert_eq!(
            t("https://e.org/people?id=1"),
            t("https://e.org/people?id=2")
        );
        assert_ne!(
            t("https://e.org/people?id=1"),
            t("https://e.org/people?name=a")
        );
    }
}
