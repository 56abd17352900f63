//! Large alliance-like sites, generated at test time (issue 10, item 6).
//!
//! [`generate`] writes one [`Scenario`]'s site (2,000–4,000 static HTML pages, plus
//! robots.txt, sitemaps and PDFs where the scenario has them) to a folder; [`serve`]
//! answers for it as a CMS would (folders, `?query` variants, Content-Types). The sites
//! are built as real alliance sites are: a WordPress or Drupal header with a primary
//! mega menu, breadcrumbs, footers, a paginated news archive, date archives, tag,
//! category and author listings, an event calendar with `?month=` links, a people
//! directory, publication lists, "related posts" on every article, share and iCal
//! variants, and a handful of real section pages. Everything is deterministic (a
//! fixed seed per scenario), and the generator reports where the evidence is and how
//! many clicks from the home page it sits (a breadth-first walk of the links it wrote).
//!
//! Used by `tests/it/big_sites.rs` and by `examples/gen_bigsite.rs` (writes a site to a
//! folder and serves it, for measuring a crawl by hand). The text is ours; names of
//! universities, people and places are invented.

#![allow(dead_code)]

pub mod html;
pub mod pdf;
pub mod serve;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use html::{esc, Doc};
use pdf::{write_pdf, Streams};

/// One generated site, each built to show one way a verdict is won or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scenario {
    /// A working group ("Library Directors' Network", its h1) four clicks deep
    /// (About → Networks & groups → Working groups → the group), in no menu; no
    /// sitemap; a home page full of archive, tag and news links. `present`.
    DeepGroup,
    /// The same group page, linked from nowhere, listed only in the sitemap (a Yoast
    /// index, posts first), after more than 2,000 other entries. `present`.
    SitemapOnly,
    /// The topic only inside a PDF annual report (Flate-compressed content streams)
    /// linked from the Publications pages; a WordPress core sitemap. `mentioned`.
    PdfFlate,
    /// The topic only inside a PDF strategy (plain content streams); no sitemap.
    /// `mentioned`.
    PdfPlain,
    /// No library collaboration at all, but false friends everywhere (media library,
    /// photo library, R and Python libraries, Library of Congress CIP data, ...);
    /// Drupal, a gzipped sitemap index. `absent`.
    Absent,
    /// Body text of one ordinary page three clicks deep (Research › Thematic networks
    /// → a network → its "Activities and outputs" page), linked by neutral anchors;
    /// Drupal, one plain sitemap.xml. `mentioned`.
    BodyOnly,
}

impl Scenario {
    pub const ALL: [Scenario; 6] = [
        Scenario::DeepGroup,
        Scenario::SitemapOnly,
        Scenario::PdfFlate,
        Scenario::PdfPlain,
        Scenario::Absent,
        Scenario::BodyOnly,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::DeepGroup => "deep-group",
            Scenario::SitemapOnly => "sitemap-only",
            Scenario::PdfFlate => "pdf-flate",
            Scenario::PdfPlain => "pdf-plain",
            Scenario::Absent => "absent",
            Scenario::BodyOnly => "body-only",
        }
    }

    pub fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The verdict a careful reader of the whole site gives.
    pub fn expected_verdict(self) -> &'static str {
        match self {
            Scenario::DeepGroup | Scenario::SitemapOnly => "present",
            Scenario::PdfFlate | Scenario::PdfPlain | Scenario::BodyOnly => "mentioned",
            Scenario::Absent => "absent",
        }
    }

    fn plan(self) -> Plan {
        let (cms, sitemaps, posts, events, people, pubs, name) = match self {
            Scenario::DeepGroup => (
                Cms::WordPress,
                Sitemaps::None,
                1200,
                240,
                360,
                140,
                "Meridian University Alliance",
            ),
            Scenario::SitemapOnly => (
                Cms::WordPress,
                Sitemaps::Yoast,
                1500,
                200,
                360,
                120,
                "Northern Arc Universities",
            ),
            Scenario::PdfFlate => (
                Cms::WordPress,
                Sitemaps::WpCore,
                1100,
                220,
                300,
                150,
                "Tidewater Research Universities Network",
            ),
            Scenario::PdfPlain => (
                Cms::WordPress,
                Sitemaps::None,
                1000,
                200,
                300,
                150,
                "Alliance of Lakeland Universities",
            ),
            Scenario::Absent => (
                Cms::Drupal,
                Sitemaps::DrupalGz,
                1300,
                240,
                380,
                160,
                "Compass European University",
            ),
            Scenario::BodyOnly => (
                Cms::Drupal,
                Sitemaps::Plain,
                1200,
                240,
                360,
                140,
                "Atlas Universities Consortium",
            ),
        };
        Plan {
            cms,
            sitemaps,
            posts,
            events,
            people,
            pubs,
            name,
        }
    }
}

/// What was generated, and where the evidence is.
#[derive(Debug, Clone)]
pub struct SiteInfo {
    pub scenario: Scenario,
    pub site_name: String,
    /// HTML pages written (each URL with its own content, query variants included).
    pub html_pages: usize,
    /// PDF documents written.
    pub documents: usize,
    /// HTML pages and documents a visitor reaches by following links from `/`.
    pub reachable: usize,
    /// Page URLs listed in the sitemaps (0 when the site has none).
    pub sitemap_entries: usize,
    /// The one place the topic is, if anywhere.
    pub evidence: Option<EvidencePlace>,
    pub expected_verdict: &'static str,
    /// Pages per click depth from `/` (index = depth).
    pub pages_per_depth: Vec<usize>,
    /// Root-relative targets of the header's menus (primary and top bar), in order.
    pub menu_targets: Vec<String>,
}

/// Where a scenario put its evidence.
#[derive(Debug, Clone)]
pub struct EvidencePlace {
    /// Root-relative URL of the page or document.
    pub path: String,
    /// Clicks from `/`; `None` when no link leads there.
    pub depth: Option<usize>,
    /// 1-based position among all sitemap entries, when listed.
    pub sitemap_position: Option<usize>,
    /// What evidence.csv should say: `heading`, `body`, `document`.
    pub location: &'static str,
    pub what: &'static str,
}

impl SiteInfo {
    /// One line for a table: pages, evidence, depth, expected verdict.
    pub fn describe(&self) -> String {
        let evidence = match &self.evidence {
            None => "none".to_string(),
            Some(e) => format!(
                "{} ({}, depth {}, sitemap #{})",
                e.path,
                e.what,
                e.depth.map_or("-".into(), |d| d.to_string()),
                e.sitemap_position.map_or("-".into(), |p| p.to_string()),
            ),
        };
        format!(
            "{}: {} html + {} pdf, {} reachable by links, {} sitemap entries; evidence {}; expected {}; pages per depth {:?}",
            self.scenario.name(),
            self.html_pages,
            self.documents,
            self.reachable,
            self.sitemap_entries,
            evidence,
            self.expected_verdict,
            self.pages_per_depth
        )
    }
}

/// Writes `scenario`'s site into `out` (created if missing). `base` is the origin it
/// will be served at (`http://127.0.0.1:PORT`), for the absolute URLs of robots.txt
/// and sitemaps; pages link root-relative.
pub fn generate(scenario: Scenario, out: &Path, base: &str) -> io::Result<SiteInfo> {
    std::fs::create_dir_all(out)?;
    let mut site = Gen::new(scenario, out, base.trim_end_matches('/'));
    site.build()?;
    Ok(site.finish())
}

/// The router serving a generated site (see [`serve::router`]).
pub fn serve(root: PathBuf) -> axum::Router {
    serve::router(root)
}

// ------------------------------------------------------------------------------------
// The plan and the model

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cms {
    WordPress,
    Drupal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sitemaps {
    None,
    /// Yoast: /sitemap_index.xml, post-sitemap.xml, post-sitemap2.xml, ... 1,000 a file.
    Yoast,
    /// WordPress core: /wp-sitemap.xml and wp-sitemap-posts-post-1.xml, ...
    WpCore,
    /// /sitemap.xml, an index of gzipped files.
    DrupalGz,
    /// One /sitemap.xml urlset.
    Plain,
}

struct Plan {
    cms: Cms,
    sitemaps: Sitemaps,
    posts: usize,
    events: usize,
    people: usize,
    pubs: usize,
    name: &'static str,
}

/// SplitMix64: small, fast, and the same on every platform and Rust version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Post {
    title: String,
    path: String,
    y: u32,
    m: u32,
    d: u32,
    cat: usize,
    tags: [usize; 3],
    author: usize,
    paras: Vec<String>,
}

struct Event {
    title: String,
    path: String,
    y: u32,
    m: u32,
    d: u32,
    place: String,
}

struct Person {
    name: String,
    path: String,
    role: String,
    member: usize,
}

struct Publication {
    title: String,
    path: String,
    kind: usize,
    year: u32,
}

/// A document: its path, title, and pages of lines.
struct Document {
    path: String,
    title: String,
    anchor: String,
    pages: Vec<Vec<String>>,
}

/// The links a written page holds: its own, plus the shared header and footer, and
/// the blog sidebar on blog pages.
struct PageLinks {
    own: Vec<String>,
    blog: bool,
}

struct Gen {
    scenario: Scenario,
    plan: Plan,
    out: PathBuf,
    base: String,
    rng: Rng,
    members: Vec<(String, String)>,
    tags: Vec<(String, String)>,
    cats: Vec<(String, String)>,
    posts: Vec<Post>,
    events: Vec<Event>,
    people: Vec<Person>,
    pubs: Vec<Publication>,
    documents: Vec<Document>,
    header: Doc,
    footer: Doc,
    blog_sidebar: Doc,
    pages: BTreeMap<String, PageLinks>,
    sitemap_files: Vec<(String, Vec<String>)>,
    evidence: Option<EvidencePlace>,
}

const FIRST_YEAR: u32 = 2014;
/// The site's "today": the last post is of this month.
const NOW: (u32, u32) = (2026, 11);
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const PER_PAGE: usize = 10;

const PLACES: &[&str] = &[
    "Aldenmoor",
    "Brisk",
    "Calderon",
    "Dunmere",
    "Eskdale",
    "Fenwick",
    "Galloway",
    "Harrowgate",
    "Ilmar",
    "Jorvik",
    "Kestrel Bay",
    "Lindqvist",
    "Morrow",
    "Norland",
    "Ostrava",
    "Pellham",
    "Quarrington",
    "Ravensworth",
    "Solvik",
    "Tarnow",
    "Ulverston",
    "Valdemar",
    "Westmarch",
    "Yarrowby",
];
const THEMES: &[&str] = &[
    "climate resilience",
    "global health",
    "student mobility",
    "doctoral training",
    "sustainable cities",
    "artificial intelligence",
    "migration and integration",
    "water security",
    "early-career researchers",
    "ocean science",
    "food systems",
    "public engagement",
    "quantum technologies",
    "energy transition",
    "research assessment",
    "academic freedom",
    "digital education",
    "biodiversity",
    "ageing societies",
    "cultural heritage",
    "entrepreneurship",
    "micro-credentials",
    "gender equality",
    "research infrastructure",
];
const CATEGORIES: &[&str] = &[
    "News",
    "Press releases",
    "Research",
    "Education",
    "Students",
    "Policy",
    "Funding",
    "Member news",
];
const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Clara", "David", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Katya",
    "Luca", "Maren", "Nils", "Olga", "Pablo", "Rosa", "Sami", "Tove", "Uwe", "Vera", "Wiktor",
    "Yara", "Zofia",
];
const LAST_NAMES: &[&str] = &[
    "Andersen", "Brennan", "Costa", "Dvorak", "Eriksen", "Fontaine", "Gallo", "Hartmann",
    "Ivanova", "Jansen", "Kowalski", "Lindgren", "Moreau", "Novak", "Okafor", "Petersen", "Quinn",
    "Rossi", "Schulz", "Tanaka", "Urban", "Varga", "Weber", "Zeller",
];
const ROLES: &[&str] = &[
    "Professor of Economics",
    "Professor of Marine Biology",
    "Vice-Rector for International Affairs",
    "Research Officer",
    "Project Manager",
    "Policy Adviser",
    "Communications Officer",
    "Doctoral Researcher",
    "Associate Professor of Computer Science",
    "Head of International Office",
    "Senior Lecturer in History",
    "Professor of Public Health",
    "Mobility Coordinator",
    "Postdoctoral Fellow in Physics",
];
const SENTENCES: &[&str] = &[
    "Representatives of the member universities met to agree the priorities for the coming year.",
    "The programme brings together early-career researchers from across the network.",
    "Applications are assessed by a panel drawn from at least three member universities.",
    "Participants spent a week in workshops, site visits and public lectures.",
    "The call is open to staff and doctoral candidates at member institutions.",
    "Results will be presented at the annual conference in the autumn.",
    "Funding covers travel, accommodation and a contribution to research costs.",
    "The working paper sets out recommendations for national funders and governments.",
    "Students from twelve countries took part in the hybrid summer school.",
    "The partners agreed to extend the exchange scheme for a further three years.",
    "A recording of the webinar is available on our channel.",
    "The board welcomed two new associate partners from outside Europe.",
    "Teams combined field work with modelling and policy analysis.",
    "The next round of seed funding opens in the spring.",
    "Each project involves researchers from at least three member universities.",
    "The statement calls for stable public investment in higher education.",
    "Speakers included vice-rectors, student representatives and industry partners.",
    "The secretariat will publish a summary of the consultation responses.",
    "Mobility grants support short research visits of up to three months.",
    "The climate task force presented its first progress report to the board.",
    "More than two hundred people followed the debate online.",
    "The rector thanked the organisers and the student volunteers.",
    "Deadlines and eligibility rules are set out in the call text.",
    "A joint position paper will follow after the summer.",
    "Teaching staff shared course designs that mix online and on-campus learning.",
    "The event closed with a panel on the future of European higher education.",
];
/// False friends: each holds a topic term that the bundled negatives cancel.
const FALSE_FRIENDS: &[&str] = &[
    "All photos of the event are in our media library.",
    "Pictures courtesy of the photo library of the host university.",
    "Participants learned to use R and Python libraries for reproducible analysis.",
    "Slides and recordings are collected in our video library.",
    "The dashboard is built on an open-source JavaScript library.",
    "A library of data management plans from member projects is now online.",
    "Logos and portraits can be downloaded from the Images Library.",
    "The toolkit joins the templates already in our resource library.",
    "Press photos are in the Digital Asset Library of the secretariat.",
];

fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

fn month_name(m: u32) -> &'static str {
    MONTHS[(m - 1) as usize]
}

/// The months from FIRST_YEAR-01 to NOW, oldest first.
fn post_months() -> Vec<(u32, u32)> {
    let mut months = Vec::new();
    for y in FIRST_YEAR..=NOW.0 {
        for m in 1..=12 {
            if (y, m) <= NOW {
                months.push((y, m));
            }
        }
    }
    months
}

impl Gen {
    fn new(scenario: Scenario, out: &Path, base: &str) -> Gen {
        let plan = scenario.plan();
        Gen {
            scenario,
            plan,
            out: out.to_path_buf(),
            base: base.to_string(),
            rng: Rng(0x5EED_0000 + scenario as u64),
            members: Vec::new(),
            tags: Vec::new(),
            cats: Vec::new(),
            posts: Vec::new(),
            events: Vec::new(),
            people: Vec::new(),
            pubs: Vec::new(),
            documents: Vec::new(),
            header: Doc::new(),
            footer: Doc::new(),
            blog_sidebar: Doc::new(),
            pages: BTreeMap::new(),
            sitemap_files: Vec::new(),
            evidence: None,
        }
    }

    fn wp(&self) -> bool {
        self.plan.cms == Cms::WordPress
    }

    /// A section path in the CMS's style: WordPress keeps the trailing slash, Drupal
    /// drops it.
    fn p(&self, path: &str) -> String {
        if self.wp() || path == "/" {
            path.to_string()
        } else {
            path.trim_end_matches('/').to_string()
        }
    }

    /// Page `n` (1-based) of a listing at `base`.
    fn paged(&self, base: &str, n: usize) -> String {
        match (n, self.plan.cms) {
            (1, _) => base.to_string(),
            (_, Cms::WordPress) => format!("{base}page/{n}/"),
            (_, Cms::Drupal) => format!("{base}?page={}", n - 1),
        }
    }

    fn tag_url(&self, i: usize) -> String {
        let slug = &self.tags[i].1;
        if self.wp() {
            format!("/tag/{slug}/")
        } else {
            format!("/tags/{slug}")
        }
    }

    fn cat_url(&self, i: usize) -> String {
        let slug = &self.cats[i].1;
        if self.wp() {
            format!("/category/{slug}/")
        } else {
            format!("/news/category/{slug}")
        }
    }

    fn author_url(&self, i: usize) -> String {
        if self.wp() {
            format!("/author/{}/", slugify(&self.people[i].name))
        } else {
            self.people[i].path.clone()
        }
    }

    fn month_url(&self, y: u32, m: u32) -> String {
        if self.wp() {
            format!("/{y}/{m:02}/")
        } else {
            format!("/news/archive/{y}{m:02}")
        }
    }

    fn year_url(&self, y: u32) -> String {
        if self.wp() {
            format!("/{y}/")
        } else {
            format!("/news/archive/{y}")
        }
    }

    fn calendar_url(&self, y: u32, m: u32) -> String {
        format!("{}?month={y}-{m:02}", self.p("/events/"))
    }

    fn upload_url(&self, y: u32, m: u32, name: &str) -> String {
        if self.wp() {
            format!("/wp-content/uploads/{y}/{m:02}/{name}")
        } else {
            format!("/sites/default/files/{y}-{m:02}/{name}")
        }
    }

    fn words(&mut self, count: usize) -> Vec<String> {
        let false_friends = self.scenario == Scenario::Absent;
        (0..count)
            .map(|_| {
                let n = 2 + self.rng.below(3);
                let mut p = String::new();
                for i in 0..n {
                    if i > 0 {
                        p.push(' ');
                    }
                    if false_friends && self.rng.below(9) == 0 {
                        p.push_str(FALSE_FRIENDS[self.rng.below(FALSE_FRIENDS.len())]);
                    } else {
                        p.push_str(SENTENCES[self.rng.below(SENTENCES.len())]);
                    }
                }
                p
            })
            .collect()
    }

    // --------------------------------------------------------------------------------
    // The model

    fn model(&mut self) {
        for (i, place) in PLACES.iter().enumerate() {
            let name = match i % 3 {
                0 => format!("University of {place}"),
                1 => format!("{place} University"),
                _ => format!("{place} Institute of Technology"),
            };
            let path = self.p(&format!("/members/{}/", slugify(place)));
            self.members.push((name, path));
        }
        for theme in THEMES.iter().chain(
            [
                "rankings",
                "Erasmus+",
                "Horizon Europe",
                "open innovation",
                "alumni",
                "careers",
                "annual conference",
                "webinars",
                "student board",
                "sustainability",
                "inclusion",
                "COVID-19",
            ]
            .iter(),
        ) {
            self.tags.push((theme.to_string(), slugify(theme)));
        }
        for cat in CATEGORIES {
            self.cats.push((cat.to_string(), slugify(cat)));
        }
        // People first: authors are people.
        let mut used = BTreeSet::new();
        for i in 0..self.plan.people {
            let first = FIRST_NAMES[i % FIRST_NAMES.len()];
            let last = LAST_NAMES[(i / FIRST_NAMES.len() + i * 7) % LAST_NAMES.len()];
            let mut name = format!("{first} {last}");
            if !used.insert(name.clone()) {
                let initial = (b'A' + (i % 26) as u8) as char;
                name = format!("{first} {initial}. {last}");
                if !used.insert(name.clone()) {
                    name = format!("{first} {last} ({})", i);
                    used.insert(name.clone());
                }
            }
            let mut role = self.rng.pick(ROLES).to_string();
            if self.scenario == Scenario::Absent && i % 97 == 5 {
                role = "Front-end developer (maintains our component library)".into();
            }
            let member = self.rng.below(self.members.len());
            let path = self.p(&format!("/people/{}/", slugify(&name)));
            self.people.push(Person {
                name,
                path,
                role,
                member,
            });
        }
        let months = post_months();
        let mut slugs = BTreeSet::new();
        for i in 0..self.plan.posts {
            let (y, m) = months[i * months.len() / self.plan.posts];
            let d = 1 + self.rng.below(28) as u32;
            let theme = *self.rng.pick(THEMES);
            let place = *self.rng.pick(PLACES);
            let title = match self.rng.below(9) {
                0 => format!("{place} hosts workshop on {theme}"),
                1 => format!("Seed funding for {theme}: projects selected"),
                2 => format!("Call for applications: summer school on {theme} {y}"),
                3 => format!("Statement on {theme}"),
                4 => format!("New report on {theme}"),
                5 => format!("Webinar series on {theme} concludes"),
                6 => format!("Students from {place} lead {theme} challenge"),
                7 => format!("Rectors meet in {place} to discuss {theme}"),
                _ => format!("Visiting fellows arrive in {place} to work on {theme}"),
            };
            let mut slug = slugify(&title);
            if !slugs.insert(slug.clone()) {
                slug = format!("{slug}-{i}");
                slugs.insert(slug.clone());
            }
            let path = if self.wp() {
                format!("/{y}/{m:02}/{slug}/")
            } else {
                format!("/news/{slug}")
            };
            let cat = self.rng.below(self.cats.len());
            let t0 = self.rng.below(self.tags.len());
            let tags = [
                t0,
                (t0 + 1 + self.rng.below(5)) % self.tags.len(),
                (t0 + 7 + self.rng.below(9)) % self.tags.len(),
            ];
            let author = self.rng.below(18);
            let n = 3 + self.rng.below(3);
            let paras = self.words(n);
            self.posts.push(Post {
                title,
                path,
                y,
                m,
                d,
                cat,
                tags,
                author,
                paras,
            });
        }
        let mut slugs = BTreeSet::new();
        for i in 0..self.plan.events {
            // From 2015-01 to 2027-06.
            let k = i * 150 / self.plan.events;
            let (y, m) = (2015 + (k / 12) as u32, 1 + (k % 12) as u32);
            let d = 1 + self.rng.below(28) as u32;
            let theme = *self.rng.pick(THEMES);
            let place = self.rng.pick(PLACES).to_string();
            let title = match self.rng.below(5) {
                0 => format!("Webinar: {theme}"),
                1 => format!("Annual conference {y}"),
                2 => format!("Summer school on {theme}"),
                3 => format!("Workshop on {theme} in {place}"),
                _ => format!("Info session: {theme} mobility grants"),
            };
            let mut slug = slugify(&format!("{title} {y}"));
            if !slugs.insert(slug.clone()) {
                slug = format!("{slug}-{i}");
                slugs.insert(slug.clone());
            }
            let path = self.p(&format!("/events/{slug}/"));
            self.events.push(Event {
                title,
                path,
                y,
                m,
                d,
                place,
            });
        }
        let kinds = ["Policy paper", "Report", "Briefing", "Statement", "Book"];
        let mut slugs = BTreeSet::new();
        for i in 0..self.plan.pubs {
            let theme = *self.rng.pick(THEMES);
            let kind = self.rng.below(kinds.len());
            let year = 2014 + (i * 13 / self.plan.pubs) as u32;
            let title = format!("{}: {}", kinds[kind], capitalise(theme));
            let mut slug = slugify(&format!("{title} {year}"));
            if !slugs.insert(slug.clone()) {
                slug = format!("{slug}-{i}");
                slugs.insert(slug.clone());
            }
            let path = self.p(&format!("/publications/{slug}/"));
            self.pubs.push(Publication {
                title,
                path,
                kind,
                year,
            });
        }
        self.model_documents();
    }

    fn model_documents(&mut self) {
        let streams_have_topic = matches!(self.scenario, Scenario::PdfFlate | Scenario::PdfPlain);
        for y in 2014..=2025u32 {
            let path = self.upload_url(y + 1, 3, &format!("annual-report-{y}.pdf"));
            let mut pages = vec![
                vec![
                    format!("{} - Annual Report {y}", self.plan.name),
                    String::new(),
                    "Contents".into(),
                    "1. Foreword by the President".into(),
                    "2. The year in numbers".into(),
                    "3. Working together".into(),
                    "4. Finances".into(),
                ],
                vec![
                    "1. Foreword by the President".into(),
                    format!("{y} was a year of growth for our alliance."),
                    "Our members ran forty joint projects and six summer schools.".into(),
                    "We thank the rectors, staff and students who made it possible.".into(),
                ],
            ];
            let mut working = vec![
                "3. Working together".into(),
                "The thematic networks met in person and online.".into(),
                "The student board organised two general assemblies.".into(),
            ];
            if streams_have_topic && self.scenario == Scenario::PdfFlate && y == 2024 {
                working.extend([
                    "In 2024 the members launched a library collaboration programme:".into(),
                    "the university libraries of the alliance agreed joint licensing".into(),
                    "of journals and a shared digital collection for teaching.".into(),
                ]);
            }
            pages.push(working);
            pages.push(vec![
                "4. Finances".into(),
                "Membership fees: 1,240,000 EUR. Project grants: 3,100,000 EUR.".into(),
            ]);
            self.documents.push(Document {
                path,
                title: format!("Annual Report {y}"),
                anchor: format!("Annual Report {y} (PDF)"),
                pages,
            });
        }
        let mut strategy = vec![
            vec![
                format!("{} - Strategy 2030", self.plan.name),
                String::new(),
                "Four goals for the next decade.".into(),
            ],
            vec![
                "Goal 1: Education without borders.".into(),
                "Goal 2: Research that answers shared challenges.".into(),
                "Goal 3: Open and connected universities.".into(),
                "Goal 4: An alliance that listens to its students.".into(),
            ],
        ];
        if self.scenario == Scenario::PdfPlain {
            strategy.push(vec![
                "Goal 3 in practice".into(),
                "We will deepen library collaboration between our members:".into(),
                "the university libraries will share collections and licences".into(),
                "and support open access publishing together.".into(),
            ]);
        }
        self.documents.push(Document {
            path: self.upload_url(2023, 2, "strategy-2030.pdf"),
            title: "Strategy 2030".into(),
            anchor: "Strategy 2030 (PDF, 2.4 MB)".into(),
            pages: strategy,
        });
    }

    // --------------------------------------------------------------------------------
    // Shared parts of every page

    fn build_header(&mut self) {
        let mut d = Doc::new();
        let p = |s: &str| self.p(s);
        let menu: Vec<(&str, String, Vec<MenuColumn>)> = vec![
            (
                "About",
                p("/about/"),
                vec![(
                    "",
                    vec![
                        ("Who we are", p("/about/")),
                        ("Strategy 2030", p("/about/strategy/")),
                        ("Governance", p("/about/governance/")),
                        ("Secretariat", p("/about/secretariat/")),
                        ("History", p("/about/history/")),
                    ],
                )],
            ),
            (
                "Members",
                p("/members/"),
                vec![(
                    "",
                    vec![
                        ("Member universities", p("/members/")),
                        ("Associate partners", p("/members/associate-partners/")),
                        ("Join the alliance", p("/members/join/")),
                    ],
                )],
            ),
            (
                "Research",
                p("/research/"),
                vec![
                    (
                        "Collaborate",
                        vec![
                            ("Thematic networks", p("/research/thematic-networks/")),
                            ("Research projects", p("/research/projects/")),
                            ("Seed funding", p("/research/seed-funding/")),
                        ],
                    ),
                    (
                        "Opportunities",
                        vec![
                            ("Funding calls", p("/research/funding-calls/")),
                            ("Visiting fellowships", p("/research/fellowships/")),
                        ],
                    ),
                ],
            ),
            (
                "Education",
                p("/education/"),
                vec![(
                    "",
                    vec![
                        ("Summer schools", p("/education/summer-schools/")),
                        ("Joint programmes", p("/education/joint-programmes/")),
                        ("Student mobility", p("/education/mobility/")),
                        ("Doctoral training", p("/education/doctoral-training/")),
                    ],
                )],
            ),
            (
                "News",
                p("/news/"),
                vec![(
                    "",
                    vec![
                        ("Latest news", p("/news/")),
                        ("Press releases", self.cat_url(1)),
                        ("Newsletter", p("/newsletter/")),
                    ],
                )],
            ),
            (
                "Events",
                p("/events/"),
                vec![(
                    "",
                    vec![
                        ("Calendar", p("/events/")),
                        ("Past events", p("/events/past/")),
                    ],
                )],
            ),
            (
                "Publications",
                p("/publications/"),
                vec![(
                    "",
                    vec![
                        ("All publications", p("/publications/")),
                        ("Annual reports", p("/publications/annual-reports/")),
                        ("Policy papers", p("/publications/type/policy-paper/")),
                    ],
                )],
            ),
            ("People", p("/people/"), vec![]),
            ("Contact", p("/contact/"), vec![]),
        ];
        let resource = self.scenario == Scenario::Absent;
        if self.wp() {
            d.raw("<header id=\"masthead\" class=\"site-header\">\n<div class=\"top-bar\"><nav class=\"top-navigation\" aria-label=\"Top menu\"><ul id=\"top-menu\" class=\"menu\">");
            for (label, href) in [
                ("Members' area", p("/members-area/")),
                ("Jobs", p("/jobs/")),
                ("Newsletter", p("/newsletter/")),
                ("Contact", p("/contact/")),
            ] {
                d.raw("<li class=\"menu-item\">")
                    .a(&href, label)
                    .raw("</li>");
            }
            d.raw("</ul></nav></div>\n<div class=\"site-branding\">");
            d.a_with(
                "/",
                "rel=\"home\" class=\"custom-logo-link\"",
                self.plan.name,
            );
            d.raw("</div>\n<nav id=\"site-navigation\" class=\"main-navigation\" aria-label=\"Primary menu\"><button class=\"menu-toggle\" aria-controls=\"primary-menu\" aria-expanded=\"false\">Menu</button>\n<ul id=\"primary-menu\" class=\"menu nav-menu\">");
            for (i, (label, href, columns)) in menu.iter().enumerate() {
                let id = 100 + i;
                if columns.is_empty() {
                    d.raw(&format!(
                        "<li id=\"menu-item-{id}\" class=\"menu-item menu-item-type-post_type\">"
                    ));
                    d.a(href, label).raw("</li>\n");
                    continue;
                }
                let mega = columns.len() > 1;
                d.raw(&format!(
                    "<li id=\"menu-item-{id}\" class=\"menu-item menu-item-has-children{}\">",
                    if mega { " mega-menu" } else { "" }
                ));
                d.a(href, label).raw("<ul class=\"sub-menu\">");
                for (column, items) in columns {
                    if mega {
                        d.raw(&format!(
                            "<li class=\"menu-item menu-item-has-children mega-menu-column\"><span class=\"mega-menu-title\">{}</span><ul class=\"sub-menu\">",
                            esc(column)
                        ));
                    }
                    for (item, href) in items {
                        d.raw("<li class=\"menu-item\">").a(href, item).raw("</li>");
                    }
                    if mega {
                        d.raw("</ul></li>");
                    }
                }
                d.raw("</ul></li>\n");
            }
            d.raw("</ul></nav>\n<form role=\"search\" method=\"get\" class=\"search-form\" action=\"/\"><label><span class=\"screen-reader-text\">Search for:</span><input type=\"search\" class=\"search-field\" name=\"s\"></label></form>\n</header>\n");
        } else {
            d.raw("<header role=\"banner\" class=\"region region-header\">\n<div id=\"block-sitebranding\" class=\"block block-system\">");
            d.a_with("/", "rel=\"home\" class=\"site-logo\"", self.plan.name);
            d.raw("</div>\n<nav role=\"navigation\" aria-labelledby=\"block-mainnavigation-menu\" id=\"block-mainnavigation\" class=\"block block-menu navigation menu--main\"><h2 class=\"visually-hidden\" id=\"block-mainnavigation-menu\">Main navigation</h2>\n<ul class=\"menu\">");
            for (label, href, columns) in &menu {
                if columns.is_empty() {
                    d.raw("<li class=\"menu-item\">")
                        .a(href, label)
                        .raw("</li>\n");
                    continue;
                }
                d.raw("<li class=\"menu-item menu-item--expanded\">")
                    .a(href, label)
                    .raw("<ul class=\"menu\">");
                for (column, items) in columns {
                    if columns.len() > 1 {
                        d.raw(&format!(
                            "<li class=\"menu-item menu-item--expanded menu-item--nolink\"><span>{}</span><ul class=\"menu\">",
                            esc(column)
                        ));
                    }
                    for (item, href) in items {
                        d.raw("<li class=\"menu-item\">").a(href, item).raw("</li>");
                    }
                    if columns.len() > 1 {
                        d.raw("</ul></li>");
                    }
                }
                if resource && *label == "Publications" {
                    d.raw("<li class=\"menu-item\">")
                        .a(&p("/resource-library/"), "Resource Library")
                        .raw("</li>");
                }
                d.raw("</ul></li>\n");
            }
            d.raw("</ul></nav>\n</header>\n");
        }

        let mut f = Doc::new();
        f.raw("<footer id=\"colophon\" class=\"site-footer\" role=\"contentinfo\">\n<div class=\"footer-widgets\"><section class=\"widget\"><h2 class=\"widget-title\">Contact</h2>");
        f.raw(&format!(
            "<p>{} Secretariat<br>Rue de la Loi 81, 1040 Brussels, Belgium<br><a href=\"/cdn-cgi/l/email-protection\" class=\"__cf_email__\">[email&#160;protected]</a></p></section>",
            esc(self.plan.name)
        ));
        f.raw("<section class=\"widget\"><h2 class=\"widget-title\">Quick links</h2><nav aria-label=\"Footer menu\"><ul class=\"menu\">");
        let mut footer_links = vec![
            ("Privacy policy", p("/privacy-policy/")),
            ("Accessibility", p("/accessibility/")),
            ("Cookie settings", p("/cookies/")),
            ("Jobs", p("/jobs/")),
            ("Press", p("/press/")),
        ];
        if resource {
            footer_links.push(("Media library", p("/press/media-library/")));
        }
        for (label, href) in footer_links {
            f.raw("<li class=\"menu-item\">")
                .a(&href, label)
                .raw("</li>");
        }
        f.raw("</ul></nav></section>");
        f.raw("<section class=\"widget\"><h2 class=\"widget-title\">Follow us</h2><ul class=\"social\"><li><a href=\"https://www.linkedin.com/company/example-alliance\">LinkedIn</a></li><li><a href=\"https://bsky.app/profile/example-alliance\">Bluesky</a></li></ul></section></div>\n");
        f.raw(&format!(
            "<div class=\"site-info\">&copy; 2026 {}. Published 12 March 2019. Last modified 28 November 2026.</div>\n</footer>\n",
            esc(self.plan.name)
        ));

        let mut s = Doc::new();
        s.raw("<aside id=\"secondary\" class=\"widget-area\">\n<section class=\"widget widget_recent_entries\"><h2 class=\"widget-title\">Recent posts</h2><ul>");
        for post in self.posts.iter().rev().take(5) {
            s.raw("<li>").a(&post.path, &post.title).raw("</li>");
        }
        s.raw("</ul></section>\n<section class=\"widget widget_archive\"><h2 class=\"widget-title\">Archives</h2><ul>");
        let months = post_months();
        for &(y, m) in months.iter().rev().take(24) {
            s.raw("<li>")
                .a(&self.month_url(y, m), &format!("{} {y}", month_name(m)))
                .raw("</li>");
        }
        for y in (FIRST_YEAR..NOW.0 - 1).rev() {
            s.raw("<li>")
                .a(&self.year_url(y), &y.to_string())
                .raw("</li>");
        }
        s.raw("</ul></section>\n<section class=\"widget widget_categories\"><h2 class=\"widget-title\">Categories</h2><ul>");
        for i in 0..self.cats.len() {
            s.raw("<li>")
                .a(&self.cat_url(i), &self.cats[i].0)
                .raw("</li>");
        }
        s.raw("</ul></section>\n<section class=\"widget widget_tag_cloud\"><h2 class=\"widget-title\">Tags</h2><div class=\"tagcloud\">");
        for i in 0..self.tags.len() {
            s.a_with(
                &self.tag_url(i),
                "class=\"tag-cloud-link\"",
                &self.tags[i].0,
            )
            .raw(" ");
        }
        s.raw("</div></section>\n</aside>\n");
        self.header = d;
        self.footer = f;
        self.blog_sidebar = s;
    }

    /// Writes one HTML page: shared header and footer around `main`, with breadcrumbs
    /// (Home, `crumbs`, then `title`) and an optional sidebar.
    fn emit(
        &mut self,
        path: &str,
        title: &str,
        crumbs: &[(&str, String)],
        main: &Doc,
        sidebar: Sidebar,
    ) -> io::Result<()> {
        let mut page = String::with_capacity(16 * 1024);
        let canonical = format!("{}{}", self.base, path);
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"UTF-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} &#8211; {}</title>\n<link rel=\"canonical\" href=\"{}\">\n",
            esc(title),
            esc(self.plan.name),
            esc(&canonical)
        );
        if self.wp() {
            page.push_str("<link rel=\"stylesheet\" href=\"/wp-content/themes/alliance/style.css?ver=6.7\">\n<meta name=\"generator\" content=\"WordPress 6.7.1\">\n</head>\n<body class=\"wp-singular\">\n<a class=\"skip-link screen-reader-text\" href=\"#content\">Skip to content</a>\n");
        } else {
            page.push_str("<meta name=\"Generator\" content=\"Drupal 10 (https://www.drupal.org)\">\n</head>\n<body class=\"path-node\">\n<a href=\"#main-content\" class=\"visually-hidden focusable skip-link\">Skip to main content</a>\n<div class=\"dialog-off-canvas-main-canvas\">\n");
        }
        page.push_str(&self.header.html);
        let mut own: Vec<String> = Vec::new();
        if path != "/" {
            page.push_str("<nav aria-label=\"Breadcrumb\" class=\"breadcrumb\"><ol>");
            let mut trail: Vec<(&str, String)> = vec![("Home", "/".to_string())];
            trail.extend(crumbs.iter().cloned());
            for (label, href) in &trail {
                let _ = write!(
                    page,
                    "<li><a href=\"{}\">{}</a></li>",
                    esc(href),
                    esc(label)
                );
                own.push(href.clone());
            }
            let _ = writeln!(
                page,
                "<li><span aria-current=\"page\">{}</span></li></ol></nav>",
                esc(title)
            );
        }
        page.push_str("<div id=\"content\" class=\"site-content\"><div class=\"content-area\"><main id=\"main\" class=\"site-main\">\n<a id=\"main-content\" tabindex=\"-1\"></a>\n");
        page.push_str(&main.html);
        own.extend(main.links.iter().cloned());
        page.push_str("\n</main>\n");
        let blog = matches!(sidebar, Sidebar::Blog);
        match sidebar {
            Sidebar::None => {}
            Sidebar::Blog => page.push_str(&self.blog_sidebar.html),
            Sidebar::Section(heading, items) => {
                let mut s = Doc::new();
                s.raw("<aside class=\"sidebar\"><nav class=\"section-nav\" aria-label=\"In this section\"><h2 class=\"widget-title\">")
                    .text(&heading)
                    .raw("</h2><ul class=\"menu\">");
                for (label, href) in &items {
                    s.raw("<li class=\"menu-item\">")
                        .a(href, label)
                        .raw("</li>");
                }
                s.raw("</ul></nav></aside>\n");
                page.push_str(&s.html);
                own.extend(s.links);
            }
        }
        page.push_str("</div></div>\n");
        page.push_str(&self.footer.html);
        if !self.wp() {
            page.push_str("</div>\n");
        }
        page.push_str(
            "<script src=\"/core/assets/vendor/once/once.min.js\"></script>\n</body>\n</html>\n",
        );
        self.write(path, page.as_bytes())?;
        self.pages.insert(path.to_string(), PageLinks { own, blog });
        Ok(())
    }

    /// Writes `bytes` as the file a URL path (with its query, if any) is served from.
    fn write(&self, url: &str, bytes: &[u8]) -> io::Result<()> {
        let (path, query) = match url.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (url, None),
        };
        let folder = self.out.join(path.trim_start_matches('/'));
        let file = match query {
            Some(q) => folder
                .join(serve::QUERY_DIR)
                .join(serve::query_file_name(q)),
            None if path.ends_with(".pdf")
                || path.ends_with(".xml")
                || path.ends_with(".gz")
                || path.ends_with(".txt") =>
            {
                folder
            }
            None => folder.join("index.html"),
        };
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(file, bytes)
    }

    // --------------------------------------------------------------------------------
    // The pages

    fn build(&mut self) -> io::Result<()> {
        self.model();
        self.build_header();
        self.home()?;
        self.sections()?;
        self.blog()?;
        self.calendar()?;
        self.directory()?;
        self.publications()?;
        self.write_documents()?;
        self.sitemaps()?;
        Ok(())
    }

    fn home(&mut self) -> io::Result<()> {
        let mut d = Doc::new();
        d.raw("<section class=\"hero\"><h1>Universities working together for Europe and the world</h1>");
        d.el(
            "p",
            &format!(
                "{} brings together {} research universities to teach, research and innovate together.",
                self.plan.name,
                self.members.len()
            ),
        );
        d.a_with(
            &self.p("/about/"),
            "class=\"button\"",
            "Discover the alliance",
        )
        .raw("</section>\n");
        d.raw("<section class=\"latest-news\"><h2>Latest news</h2>");
        for post in self.posts.iter().rev().take(9) {
            d.raw("<article class=\"card\"><h3>")
                .a(&post.path, &post.title)
                .raw("</h3>");
            d.el(
                "p class=\"meta\"",
                &format!("{} {} {}", post.d, month_name(post.m), post.y),
            );
            d.a(&self.cat_url(post.cat), &self.cats[post.cat].0);
            d.el("p", &post.paras[0]);
            d.a_with(&post.path, "class=\"more-link\"", "Read more")
                .raw("</article>\n");
        }
        d.a(&self.p("/news/"), "All news").raw("</section>\n");
        d.raw("<section class=\"upcoming-events\"><h2>Upcoming events</h2><ul>");
        let upcoming: Vec<(String, String)> = self
            .events
            .iter()
            .filter(|e| (e.y, e.m) >= NOW)
            .take(6)
            .map(|e| (e.title.clone(), e.path.clone()))
            .collect();
        for (title, path) in &upcoming {
            d.raw("<li>").a(path, title).raw("</li>");
        }
        d.raw("</ul>");
        d.a(&self.p("/events/"), "Full calendar")
            .raw("</section>\n");
        d.raw("<section class=\"members-strip\"><h2>Our members</h2>");
        let members = self.members.clone();
        d.link_list("logos", &members);
        d.raw("</section>\n<section class=\"featured-publications\"><h2>Publications</h2>");
        let pubs: Vec<(String, String)> = self
            .pubs
            .iter()
            .rev()
            .take(4)
            .map(|p| (p.title.clone(), p.path.clone()))
            .collect();
        d.link_list("publications", &pubs);
        d.raw("</section>\n<section class=\"topics\"><h2>Explore by topic</h2>");
        let tags: Vec<(String, String)> = (0..self.tags.len())
            .map(|i| (self.tags[i].0.clone(), self.tag_url(i)))
            .collect();
        d.link_list("tag-cloud", &tags);
        d.raw("</section>\n<section class=\"archive\"><h2>From the archive</h2>");
        let mut archive: Vec<(String, String)> = post_months()
            .iter()
            .rev()
            .take(12)
            .map(|&(y, m)| (format!("{} {y}", month_name(m)), self.month_url(y, m)))
            .collect();
        archive.extend(
            (FIRST_YEAR..=NOW.0)
                .rev()
                .map(|y| (y.to_string(), self.year_url(y))),
        );
        d.link_list("archive", &archive);
        d.raw("</section>\n<section class=\"newsletter\"><h2>Stay informed</h2><p>Our newsletter comes out four times a year.</p>");
        d.a(&self.p("/newsletter/"), "Subscribe")
            .raw("</section>\n");
        self.emit("/", "Home", &[], &d, Sidebar::None)
    }

    /// A simple section page: h1, paragraphs, then a list of child links.
    #[allow(clippy::too_many_arguments)]
    fn section(
        &mut self,
        path: &str,
        title: &str,
        crumbs: &[(&str, String)],
        intro: &[&str],
        children: &[(String, String)],
        sidebar: Sidebar,
    ) -> io::Result<()> {
        let mut d = Doc::new();
        d.el("h1 class=\"entry-title\"", title);
        d.paras(intro);
        let extra = self.words(2);
        d.paras(&extra);
        if !children.is_empty() {
            d.raw("<div class=\"child-pages\">");
            for (label, href) in children {
                d.raw("<div class=\"card\"><h3>")
                    .a(href, label)
                    .raw("</h3></div>");
            }
            d.raw("</div>");
        }
        self.emit(path, title, crumbs, &d, sidebar)
    }

    fn sections(&mut self) -> io::Result<()> {
        let p = |g: &Gen, s: &str| g.p(s);
        let about = p(self, "/about/");
        let ng = p(self, "/about/networks-and-groups/");
        let wg = p(self, "/about/networks-and-groups/working-groups/");
        let about_nav: Vec<(String, String)> = [
            ("Who we are", "/about/"),
            ("Strategy 2030", "/about/strategy/"),
            ("Governance", "/about/governance/"),
            ("Secretariat", "/about/secretariat/"),
            ("History", "/about/history/"),
            ("Networks & groups", "/about/networks-and-groups/"),
        ]
        .iter()
        .map(|(l, h)| (l.to_string(), p(self, h)))
        .collect();
        let about_side = || Sidebar::Section("About".into(), about_nav.clone());
        let about_crumb = [("About", about.clone())];
        self.section(
            &about.clone(),
            "About",
            &[],
            &["We are an alliance of research-intensive universities. Together we teach, research and speak up for universities in Europe and beyond."],
            &about_nav[1..],
            about_side(),
        )?;
        let strategy_pdf = self
            .documents
            .last()
            .map(|d| (d.anchor.clone(), d.path.clone()));
        let mut strategy = Doc::new();
        strategy.el("h1", "Strategy 2030");
        let w = self.words(3);
        strategy.paras(&w);
        if let Some((anchor, href)) = strategy_pdf {
            strategy
                .raw("<p class=\"download\">")
                .a(&href, &anchor)
                .raw("</p>");
        }
        self.emit(
            &p(self, "/about/strategy/"),
            "Strategy 2030",
            &about_crumb,
            &strategy,
            about_side(),
        )?;
        let gov_children = vec![
            (
                "Executive board".to_string(),
                p(self, "/about/governance/board/"),
            ),
            (
                "General assembly".to_string(),
                p(self, "/about/governance/general-assembly/"),
            ),
        ];
        self.section(
            &p(self, "/about/governance/"),
            "Governance",
            &about_crumb,
            &["The general assembly of rectors meets once a year; the executive board steers the alliance between meetings."],
            &gov_children,
            about_side(),
        )?;
        let gov_crumbs = [
            ("About", about.clone()),
            ("Governance", p(self, "/about/governance/")),
        ];
        for (title, path) in &gov_children {
            let people: Vec<(String, String)> = (0..6)
                .map(|i| {
                    let person = &self.people[(i * 13 + path.len()) % self.people.len()];
                    (person.name.clone(), person.path.clone())
                })
                .collect();
            self.section(
                path,
                title,
                &gov_crumbs,
                &["Members are appointed for three years."],
                &people,
                about_side(),
            )?;
        }
        for (title, path) in [
            ("Secretariat", "/about/secretariat/"),
            ("History", "/about/history/"),
        ] {
            self.section(
                &p(self, path),
                title,
                &about_crumb,
                &["The alliance was founded in 1998 by eight universities."],
                &[],
                about_side(),
            )?;
        }
        // Networks & groups: About's body and sidebar link it; no menu does.
        let ng_nav: Vec<(String, String)> = [
            (
                "Working groups",
                "/about/networks-and-groups/working-groups/",
            ),
            ("Task forces", "/about/networks-and-groups/task-forces/"),
            ("Student board", "/about/networks-and-groups/student-board/"),
        ]
        .iter()
        .map(|(l, h)| (l.to_string(), p(self, h)))
        .collect();
        let ng_side = || Sidebar::Section("Networks & groups".into(), ng_nav.clone());
        let ng_crumbs = [("About", about.clone())];
        self.section(
            &ng,
            "Networks & groups",
            &ng_crumbs,
            &["Staff of our member universities meet in working groups, task forces and the student board."],
            &ng_nav,
            ng_side(),
        )?;
        let mut groups: Vec<(&str, &str)> = vec![
            (
                "Research Managers Group",
                "Heads of research offices share practice on grants and research support.",
            ),
            (
                "International Relations Officers Network",
                "The people who run exchange agreements and mobility.",
            ),
            (
                "Communications Network",
                "Press officers and web teams of the member universities.",
            ),
            (
                "Doctoral Schools Forum",
                "Deans of doctoral schools on supervision and training.",
            ),
            (
                "Digital Education Group",
                "Course designers and learning technologists.",
            ),
            (
                "Sustainability Officers Network",
                "Campus sustainability managers and climate officers.",
            ),
            (
                "Equality and Diversity Network",
                "Officers for equality, diversity and inclusion.",
            ),
        ];
        let library_group = (
            "Library Directors' Network",
            "Directors of the member universities' libraries, working together on collections and licences.",
        );
        if self.scenario == Scenario::DeepGroup {
            groups.insert(3, library_group);
        }
        let group_links: Vec<(String, String)> = groups
            .iter()
            .map(|(name, _)| {
                let href = format!("{}/{}/", wg.trim_end_matches('/'), slugify(name));
                (name.to_string(), p(self, &href))
            })
            .collect();
        let mut list = Doc::new();
        list.el("h1", "Working groups");
        list.el("p", "Our working groups are open to staff of every member university. Each has a chair and meets at least twice a year.");
        list.raw("<div class=\"group-cards\">");
        for ((name, blurb), (_, href)) in groups.iter().zip(&group_links) {
            list.raw("<div class=\"card\"><h3>")
                .a(href, name)
                .raw("</h3>");
            list.el("p", blurb).raw("</div>");
        }
        list.raw("</div>");
        let wg_crumbs = [("About", about.clone()), ("Networks & groups", ng.clone())];
        self.emit(&wg, "Working groups", &wg_crumbs, &list, ng_side())?;
        let group_crumbs = [
            ("About", about.clone()),
            ("Networks & groups", ng.clone()),
            ("Working groups", wg.clone()),
        ];
        for ((name, blurb), (_, href)) in groups.iter().zip(&group_links) {
            let chair = self.people[href.len() * 7 % self.people.len()].path.clone();
            let chair_name = self.people[href.len() * 7 % self.people.len()].name.clone();
            let mut d = Doc::new();
            d.el("h1", name).el("p", blurb);
            if *name == library_group.0 {
                d.el("p", "The Library Directors' Network brings together the directors of the university libraries of our member universities. It meets twice a year and works on shared collections, open access agreements and joint licensing.");
            } else {
                let w = self.words(2);
                d.paras(&w);
            }
            d.el("h2", "Chair")
                .raw("<p>")
                .a(&chair, &chair_name)
                .raw("</p>");
            d.el("h2", "Meetings");
            d.el(
                "p",
                "Spring meeting online; autumn meeting at a member university.",
            );
            self.emit(href, name, &group_crumbs, &d, ng_side())?;
        }
        if self.scenario == Scenario::SitemapOnly {
            // An orphan: no link leads here (the group was dropped from the list), the
            // sitemap still lists it.
            let href = p(
                self,
                "/about/networks-and-groups/library-directors-network/",
            );
            let mut d = Doc::new();
            d.el("h1", library_group.0).el("p", library_group.1);
            d.el("p", "The Library Directors' Network brings together the directors of the university libraries of our member universities. It meets twice a year and works on shared collections, open access agreements and joint licensing.");
            let orphan_links = d.links.clone();
            self.emit(&href, library_group.0, &ng_crumbs, &d, ng_side())?;
            debug_assert!(orphan_links.is_empty());
            self.evidence = Some(EvidencePlace {
                path: href,
                depth: None,
                sitemap_position: None,
                location: "heading",
                what: "h1 of a page no link leads to, listed late in the sitemap",
            });
        }
        if self.scenario == Scenario::DeepGroup {
            self.evidence = Some(EvidencePlace {
                path: group_links[3].1.clone(),
                depth: None,
                sitemap_position: None,
                location: "heading",
                what: "h1 of a working-group page in no menu",
            });
        }
        for (title, path) in [
            ("Task forces", "/about/networks-and-groups/task-forces/"),
            ("Student board", "/about/networks-and-groups/student-board/"),
        ] {
            self.section(
                &p(self, path),
                title,
                &ng_crumbs,
                &["Task forces are set up by the board for two years at most."],
                &[],
                ng_side(),
            )?;
        }

        // Members
        let members = self.members.clone();
        let members_nav: Vec<(String, String)> = vec![
            ("Member universities".into(), p(self, "/members/")),
            (
                "Associate partners".into(),
                p(self, "/members/associate-partners/"),
            ),
            ("Join the alliance".into(), p(self, "/members/join/")),
        ];
        let members_side = || Sidebar::Section("Members".into(), members_nav.clone());
        self.section(
            &p(self, "/members/"),
            "Member universities",
            &[],
            &["Our members are comprehensive research universities in sixteen countries."],
            &members,
            members_side(),
        )?;
        let members_crumb = [("Members", p(self, "/members/"))];
        for (i, (name, path)) in members.iter().enumerate() {
            let contacts: Vec<(String, String)> = self
                .people
                .iter()
                .filter(|person| person.member == i)
                .take(3)
                .map(|person| (person.name.clone(), person.path.clone()))
                .collect();
            self.section(
                path,
                name,
                &members_crumb,
                &[&format!(
                    "{name} joined the alliance in {}.",
                    1998 + (i as u32 * 3) % 25
                )],
                &contacts,
                members_side(),
            )?;
        }
        for (title, path) in [
            ("Associate partners", "/members/associate-partners/"),
            ("Join the alliance", "/members/join/"),
        ] {
            self.section(
                &p(self, path),
                title,
                &members_crumb,
                &["Universities that share our values may apply for associate partnership."],
                &[],
                members_side(),
            )?;
        }

        // Research
        let research = p(self, "/research/");
        let tn = p(self, "/research/thematic-networks/");
        let research_nav: Vec<(String, String)> = [
            ("Thematic networks", "/research/thematic-networks/"),
            ("Research projects", "/research/projects/"),
            ("Seed funding", "/research/seed-funding/"),
            ("Funding calls", "/research/funding-calls/"),
            ("Visiting fellowships", "/research/fellowships/"),
        ]
        .iter()
        .map(|(l, h)| (l.to_string(), p(self, h)))
        .collect();
        let research_side = || Sidebar::Section("Research".into(), research_nav.clone());
        self.section(
            &research,
            "Research",
            &[],
            &["Our researchers work across borders on the questions no university can answer alone."],
            &research_nav,
            research_side(),
        )?;
        let networks = [
            "Digital Humanities",
            "Global Health",
            "Climate and Environment",
            "Data Science",
            "Migration Studies",
            "Materials Science",
            "Urban Futures",
            "Ocean and Coasts",
            "Law and Society",
            "Neuroscience",
        ];
        let network_links: Vec<(String, String)> = networks
            .iter()
            .map(|n| {
                let href = format!("{}/{}/", tn.trim_end_matches('/'), slugify(n));
                (format!("{n} Network"), href)
            })
            .map(|(l, h)| (l, p(self, &h)))
            .collect();
        let research_crumb = [("Research", research.clone())];
        self.section(
            &tn,
            "Thematic networks",
            &research_crumb,
            &["Ten thematic networks connect researchers of every member university."],
            &network_links,
            research_side(),
        )?;
        for (name, href) in &network_links {
            let base = href.trim_end_matches('/');
            let sub = |s: &str| p(self, &format!("{base}/{s}/"));
            let nav = vec![
                ("Overview".to_string(), href.clone()),
                ("Members".to_string(), sub("members")),
                ("Activities and outputs".to_string(), sub("activities")),
            ];
            let crumbs = [
                ("Research", research.clone()),
                ("Thematic networks", tn.clone()),
            ];
            let mut d = Doc::new();
            d.el("h1", name);
            let w = self.words(2);
            d.paras(&w);
            d.raw("<p>")
                .a(&nav[2].1, "Read about our activities")
                .raw("</p>");
            let side = Sidebar::Section(name.clone(), nav.clone());
            self.emit(href, name, &crumbs, &d, side.clone())?;
            let sub_crumbs = [
                ("Research", research.clone()),
                ("Thematic networks", tn.clone()),
                (name.as_str(), href.clone()),
            ];
            let mut m = Doc::new();
            m.el("h1", &format!("Members of the {name}"));
            let members: Vec<(String, String)> = self.members.iter().take(12).cloned().collect();
            m.link_list("members", &members);
            self.emit(&nav[1].1, "Members", &sub_crumbs, &m, side.clone())?;
            let mut a = Doc::new();
            a.el("h1", "Activities and outputs");
            let w = self.words(3);
            a.paras(&w);
            if self.scenario == Scenario::BodyOnly && name == "Digital Humanities Network" {
                a.el("p", "In 2025 the network ran four workshops on digitised sources. Its members worked in partnership with their university libraries and archives to open up special collections for teaching.");
                self.evidence = Some(EvidencePlace {
                    path: nav[2].1.clone(),
                    depth: None,
                    sitemap_position: None,
                    location: "body",
                    what: "one sentence of body text on an ordinary page",
                });
            }
            self.emit(&nav[2].1, "Activities and outputs", &sub_crumbs, &a, side)?;
        }
        let projects: Vec<(String, String)> = (0..20)
            .map(|i| {
                let theme = THEMES[(i * 5) % THEMES.len()];
                let name = format!("{} ({})", capitalise(theme), 2016 + i % 10);
                let href = p(self, &format!("/research/projects/{}/", slugify(&name)));
                (name, href)
            })
            .collect();
        self.section(
            &p(self, "/research/projects/"),
            "Research projects",
            &research_crumb,
            &["Projects funded by the alliance's seed funding and by the European Union."],
            &projects,
            research_side(),
        )?;
        let project_crumbs = [
            ("Research", research.clone()),
            ("Research projects", p(self, "/research/projects/")),
        ];
        for (name, href) in &projects {
            self.section(
                href,
                name,
                &project_crumbs,
                &["The project runs for three years with partners in five countries."],
                &[],
                research_side(),
            )?;
        }
        for (title, path) in [
            ("Seed funding", "/research/seed-funding/"),
            ("Funding calls", "/research/funding-calls/"),
            ("Visiting fellowships", "/research/fellowships/"),
        ] {
            self.section(
                &p(self, path),
                title,
                &research_crumb,
                &["Calls open twice a year; see the news for deadlines."],
                &[],
                research_side(),
            )?;
        }

        // Education
        let education = p(self, "/education/");
        let edu_nav: Vec<(String, String)> = [
            ("Summer schools", "/education/summer-schools/"),
            ("Joint programmes", "/education/joint-programmes/"),
            ("Student mobility", "/education/mobility/"),
            ("Doctoral training", "/education/doctoral-training/"),
        ]
        .iter()
        .map(|(l, h)| (l.to_string(), p(self, h)))
        .collect();
        let edu_side = || Sidebar::Section("Education".into(), edu_nav.clone());
        self.section(
            &education,
            "Education",
            &[],
            &["Students of our members can study across the alliance."],
            &edu_nav,
            edu_side(),
        )?;
        let edu_crumb = [("Education", education.clone())];
        for (title, href) in edu_nav.clone() {
            let children: Vec<(String, String)> = if title == "Summer schools" {
                (0..8)
                    .map(|i| {
                        let name = format!("Summer school on {}", THEMES[i * 3 % THEMES.len()]);
                        let h = p(
                            self,
                            &format!("/education/summer-schools/{}/", slugify(&name)),
                        );
                        (name, h)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            self.section(
                &href,
                &title,
                &edu_crumb,
                &["Applications open in January."],
                &children,
                edu_side(),
            )?;
            let crumbs = [
                ("Education", education.clone()),
                (title.as_str(), href.clone()),
            ];
            for (name, h) in &children {
                self.section(
                    h,
                    name,
                    &crumbs,
                    &["Two weeks, 30 students, six universities."],
                    &[],
                    edu_side(),
                )?;
            }
        }

        // Small pages
        for (title, path) in [
            ("Contact", "/contact/"),
            ("Privacy policy", "/privacy-policy/"),
            ("Accessibility", "/accessibility/"),
            ("Cookie settings", "/cookies/"),
            ("Jobs", "/jobs/"),
            ("Newsletter", "/newsletter/"),
            ("Press", "/press/"),
            ("Members' area", "/members-area/"),
        ] {
            self.section(
                &p(self, path),
                title,
                &[],
                &["Write to the secretariat; we answer within two working days."],
                &[],
                Sidebar::None,
            )?;
        }
        if self.scenario == Scenario::Absent {
            self.section(
                &p(self, "/press/media-library/"),
                "Media library",
                &[("Press", p(self, "/press/"))],
                &["Logos, photos and videos for journalists. All images in the media library may be used with credit."],
                &[],
                Sidebar::None,
            )?;
            self.section(
                &p(self, "/resource-library/"),
                "Resource Library",
                &[],
                &["Toolkits, templates and guides from our projects, all in one resource library."],
                &[],
                Sidebar::None,
            )?;
        }
        Ok(())
    }

    /// News archive, posts, date, category, tag and author listings.
    fn blog(&mut self) -> io::Result<()> {
        let newest_first: Vec<usize> = (0..self.posts.len()).rev().collect();
        let news = self.p("/news/");
        self.listing(&news, "News", &[], &newest_first)?;
        let months = post_months();
        for &(y, m) in &months {
            let ids: Vec<usize> = newest_first
                .iter()
                .copied()
                .filter(|&i| (self.posts[i].y, self.posts[i].m) == (y, m))
                .collect();
            let url = self.month_url(y, m);
            let crumbs = [("News", news.clone()), (&*y.to_string(), self.year_url(y))]
                .map(|(l, h)| (l.to_string(), h));
            let crumbs: Vec<(&str, String)> = crumbs
                .iter()
                .map(|(l, h)| (l.as_str(), h.clone()))
                .collect();
            self.listing(
                &url,
                &format!("Month: {} {y}", month_name(m)),
                &crumbs,
                &ids,
            )?;
        }
        for y in FIRST_YEAR..=NOW.0 {
            let ids: Vec<usize> = newest_first
                .iter()
                .copied()
                .filter(|&i| self.posts[i].y == y)
                .collect();
            let url = self.year_url(y);
            let mut list = ids.clone();
            // The year page lists its months first.
            let month_links: Vec<(String, String)> = (1..=12)
                .filter(|&m| (y, m) <= NOW)
                .map(|m| (format!("{} {y}", month_name(m)), self.month_url(y, m)))
                .collect();
            self.listing_with(
                &url,
                &format!("Year: {y}"),
                &[("News", news.clone())],
                &mut list,
                &month_links,
            )?;
        }
        for c in 0..self.cats.len() {
            let ids: Vec<usize> = newest_first
                .iter()
                .copied()
                .filter(|&i| self.posts[i].cat == c)
                .collect();
            let url = self.cat_url(c);
            let title = format!("Category: {}", self.cats[c].0);
            self.listing(&url, &title, &[("News", news.clone())], &ids)?;
        }
        for t in 0..self.tags.len() {
            let ids: Vec<usize> = newest_first
                .iter()
                .copied()
                .filter(|&i| self.posts[i].tags.contains(&t))
                .collect();
            let url = self.tag_url(t);
            let title = format!("Tag: {}", self.tags[t].0);
            self.listing(&url, &title, &[("News", news.clone())], &ids)?;
        }
        if self.wp() {
            for a in 0..18 {
                let ids: Vec<usize> = newest_first
                    .iter()
                    .copied()
                    .filter(|&i| self.posts[i].author == a)
                    .collect();
                let url = self.author_url(a);
                let title = format!("Author: {}", self.people[a].name);
                self.listing(&url, &title, &[("News", news.clone())], &ids)?;
            }
        }
        for i in 0..self.posts.len() {
            self.post(i)?;
        }
        Ok(())
    }

    fn listing(
        &mut self,
        base: &str,
        title: &str,
        crumbs: &[(&str, String)],
        ids: &[usize],
    ) -> io::Result<()> {
        let mut ids = ids.to_vec();
        self.listing_with(base, title, crumbs, &mut ids, &[])
    }

    /// A paginated listing of posts (10 a page) at `base`, `/page/N/` or `?page=N`.
    fn listing_with(
        &mut self,
        base: &str,
        title: &str,
        crumbs: &[(&str, String)],
        ids: &mut [usize],
        lead_links: &[(String, String)],
    ) -> io::Result<()> {
        let pages = ids.len().div_ceil(PER_PAGE).max(1);
        for n in 1..=pages {
            let url = self.paged(base, n);
            let mut d = Doc::new();
            d.raw("<header class=\"page-header\">");
            d.el("h1 class=\"page-title\"", title);
            d.raw("</header>\n");
            if n == 1 && !lead_links.is_empty() {
                d.link_list("months", lead_links);
            }
            let start = (n - 1) * PER_PAGE;
            for &i in ids.iter().skip(start).take(PER_PAGE) {
                let post = &self.posts[i];
                let (path, ptitle, excerpt) =
                    (post.path.clone(), post.title.clone(), post.paras[0].clone());
                let date = format!("{} {} {}", post.d, month_name(post.m), post.y);
                let (cat_url, cat) = (self.cat_url(post.cat), self.cats[post.cat].0.clone());
                let author = (
                    self.author_url(post.author),
                    self.people[post.author].name.clone(),
                );
                d.raw("<article class=\"post type-post\"><h2 class=\"entry-title\">")
                    .a(&path, &ptitle)
                    .raw("</h2><div class=\"entry-meta\">Posted on ");
                d.el("time", &date).raw(" by ");
                d.a(&author.0, &author.1).raw(" in ").a(&cat_url, &cat);
                d.raw("</div>");
                d.el("p", &excerpt);
                d.a_with(&path, "class=\"more-link\"", "Continue reading")
                    .raw("</article>\n");
            }
            if pages > 1 {
                d.raw("<nav class=\"navigation pagination\" aria-label=\"Posts\"><h2 class=\"screen-reader-text\">Posts navigation</h2><div class=\"nav-links\">");
                if n > 1 {
                    d.a_with(
                        &self.paged(base, n - 1),
                        "class=\"prev page-numbers\"",
                        "Previous",
                    );
                }
                let mut shown = BTreeSet::new();
                for k in [1, n.saturating_sub(2), n - 1, n, n + 1, n + 2, pages] {
                    if k >= 1 && k <= pages {
                        shown.insert(k);
                    }
                }
                let mut last = 0;
                for k in shown {
                    if k > last + 1 {
                        d.raw("<span class=\"page-numbers dots\">&hellip;</span>");
                    }
                    if k == n {
                        d.raw(&format!(
                            "<span aria-current=\"page\" class=\"page-numbers current\">{k}</span>"
                        ));
                    } else {
                        d.a_with(
                            &self.paged(base, k),
                            "class=\"page-numbers\"",
                            &k.to_string(),
                        );
                    }
                    last = k;
                }
                if n < pages {
                    d.a_with(
                        &self.paged(base, n + 1),
                        "class=\"next page-numbers\"",
                        "Next",
                    );
                }
                d.raw("</div></nav>\n");
            }
            let page_title = if n > 1 {
                format!("{title} - Page {n}")
            } else {
                title.to_string()
            };
            self.emit(&url, &page_title, crumbs, &d, Sidebar::Blog)?;
        }
        Ok(())
    }

    fn post(&mut self, i: usize) -> io::Result<()> {
        let post = &self.posts[i];
        let mut d = Doc::new();
        d.raw("<article class=\"post type-post status-publish\"><header class=\"entry-header\">");
        d.el("h1 class=\"entry-title\"", &post.title);
        d.raw("<div class=\"entry-meta\">Posted on ");
        d.el(
            "time",
            &format!("{} {} {}", post.d, month_name(post.m), post.y),
        );
        d.raw(" by ");
        d.a(
            &self.author_url(post.author),
            &self.people[post.author].name,
        );
        d.raw(" in ");
        d.a(&self.cat_url(post.cat), &self.cats[post.cat].0);
        d.raw("</div></header>\n<div class=\"entry-content\">");
        d.paras(&post.paras);
        d.raw("</div>\n<footer class=\"entry-footer\"><span class=\"tags-links\">Tagged ");
        for &t in &post.tags {
            d.a_with(&self.tag_url(t), "rel=\"tag\"", &self.tags[t].0)
                .raw(" ");
        }
        d.raw("</span></footer>\n<div class=\"sharedaddy\"><h3 class=\"sd-title\">Share this:</h3><ul>");
        for (network, label) in [
            ("email", "Email"),
            ("linkedin", "LinkedIn"),
            ("print", "Print"),
        ] {
            d.raw("<li>")
                .a(&format!("{}?share={network}", post.path), label)
                .raw("</li>");
        }
        d.raw("</ul></div>\n");
        // Related posts: others sharing the first tag, near in time.
        d.raw("<section class=\"related-posts\"><h2>Related posts</h2><ul>");
        let tag = post.tags[0];
        let mut related = 0;
        let n = self.posts.len();
        for k in 1..n {
            let j = (i + k * 37) % n;
            if j != i && self.posts[j].tags.contains(&tag) {
                d.raw("<li>")
                    .a(&self.posts[j].path, &self.posts[j].title)
                    .raw("</li>");
                related += 1;
                if related == 4 {
                    break;
                }
            }
        }
        d.raw("</ul></section>\n<nav class=\"navigation post-navigation\" aria-label=\"Posts\"><h2 class=\"screen-reader-text\">Post navigation</h2><div class=\"nav-links\">");
        if i > 0 {
            d.a_with(
                &self.posts[i - 1].path,
                "rel=\"prev\"",
                &self.posts[i - 1].title,
            );
        }
        if i + 1 < n {
            d.a_with(
                &self.posts[i + 1].path,
                "rel=\"next\"",
                &self.posts[i + 1].title,
            );
        }
        d.raw("</div></nav></article>\n");
        let news = self.p("/news/");
        let crumbs = [
            ("News", news),
            (self.cats[post.cat].0.as_str(), self.cat_url(post.cat)),
        ];
        let crumbs: Vec<(String, String)> = crumbs
            .iter()
            .map(|(l, h)| (l.to_string(), h.clone()))
            .collect();
        let crumbs: Vec<(&str, String)> = crumbs
            .iter()
            .map(|(l, h)| (l.as_str(), h.clone()))
            .collect();
        let (path, title) = (post.path.clone(), post.title.clone());
        self.emit(&path, &title, &crumbs, &d, Sidebar::Blog)
    }

    /// The event calendar (`?month=` from 2015-01 to 2027-12, each linking the months
    /// before and after), past events, and one page per event.
    fn calendar(&mut self) -> io::Result<()> {
        let events_url = self.p("/events/");
        let side = Sidebar::Section(
            "Events".into(),
            vec![
                ("Calendar".into(), events_url.clone()),
                ("Past events".into(), self.p("/events/past/")),
            ],
        );
        let mut months = Vec::new();
        for y in 2015..=2027u32 {
            for m in 1..=12 {
                months.push((y, m));
            }
        }
        let month_page = |g: &Gen, (y, m): (u32, u32), heading: &str| -> Doc {
            let mut d = Doc::new();
            d.el("h1", heading);
            let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            d.raw("<nav class=\"calendar-nav\" aria-label=\"Calendar\">");
            d.a_with(
                &g.calendar_url(py, pm),
                "rel=\"prev\"",
                &format!("\u{ab} {} {py}", month_name(pm)),
            );
            d.raw(" ");
            d.a_with(
                &g.calendar_url(ny, nm),
                "rel=\"next\"",
                &format!("{} {ny} \u{bb}", month_name(nm)),
            );
            d.raw("</nav><table class=\"calendar\"><tbody>");
            for e in g.events.iter().filter(|e| (e.y, e.m) == (y, m)) {
                d.raw("<tr><td>");
                d.text(&format!("{} {}", e.d, month_name(e.m)));
                d.raw("</td><td>").a(&e.path, &e.title).raw("</td><td>");
                d.text(&e.place).raw("</td></tr>");
            }
            d.raw("</tbody></table>");
            d
        };
        let d = month_page(
            self,
            NOW,
            &format!("Events: {} {}", month_name(NOW.1), NOW.0),
        );
        self.emit(&events_url, "Events", &[], &d, side.clone())?;
        let crumb = [("Events", events_url.clone())];
        for &(y, m) in &months {
            let d = month_page(self, (y, m), &format!("Events: {} {y}", month_name(m)));
            let url = self.calendar_url(y, m);
            self.emit(
                &url,
                &format!("Events for {} {y}", month_name(m)),
                &crumb,
                &d,
                side.clone(),
            )?;
        }
        // Past events, newest first, 10 a page.
        let past: Vec<usize> = (0..self.events.len())
            .rev()
            .filter(|&i| (self.events[i].y, self.events[i].m) < NOW)
            .collect();
        let base = self.p("/events/past/");
        let pages = past.len().div_ceil(PER_PAGE).max(1);
        for n in 1..=pages {
            let mut d = Doc::new();
            d.el("h1", "Past events");
            let items: Vec<(String, String)> = past
                .iter()
                .skip((n - 1) * PER_PAGE)
                .take(PER_PAGE)
                .map(|&i| (self.events[i].title.clone(), self.events[i].path.clone()))
                .collect();
            d.link_list("event-list", &items);
            d.raw("<nav class=\"pagination\" aria-label=\"Past events pages\">");
            if n > 1 {
                d.a(&self.paged(&base, n - 1), "Newer events");
            }
            if n < pages {
                d.a(&self.paged(&base, n + 1), "Older events");
            }
            d.raw("</nav>");
            let url = self.paged(&base, n);
            self.emit(&url, "Past events", &crumb, &d, side.clone())?;
        }
        for i in 0..self.events.len() {
            let w = self.words(2);
            let e = &self.events[i];
            let mut d = Doc::new();
            d.el("h1 class=\"tribe-events-single-event-title\"", &e.title);
            d.el(
                "p class=\"tribe-events-schedule\"",
                &format!("{} {} {}, 10:00 - 16:00", e.d, month_name(e.m), e.y),
            );
            d.el("p", &format!("Venue: {}", e.place));
            d.paras(&w);
            let path = e.path.clone();
            d.raw("<div class=\"tribe-events-cal-links\">");
            d.a(&format!("{path}?ical=1"), "Add to iCalendar");
            d.raw(" <a href=\"https://calendar.google.com/calendar/render?action=TEMPLATE\">Add to Google Calendar</a></div>");
            d.raw("<h2>Related events</h2><ul>");
            for k in 1..=3 {
                let j = (i + k * 11) % self.events.len();
                d.raw("<li>")
                    .a(&self.events[j].path, &self.events[j].title)
                    .raw("</li>");
            }
            d.raw("</ul>");
            let cal = self.calendar_url(self.events[i].y, self.events[i].m);
            d.raw("<p>").a(&cal, "All events this month").raw("</p>");
            let title = self.events[i].title.clone();
            self.emit(&path, &title, &crumb, &d, side.clone())?;
        }
        Ok(())
    }

    /// The people directory: `?page=N` (20 a page) and `?letter=x`, and a profile each.
    fn directory(&mut self) -> io::Result<()> {
        let base = self.p("/people/");
        let per = 20;
        let pages = self.people.len().div_ceil(per);
        let letters: Vec<char> = ('a'..='z').collect();
        let filter_bar = |g: &Gen| -> Doc {
            let mut d = Doc::new();
            d.raw("<nav class=\"az-filter\" aria-label=\"Filter by letter\"><ul>");
            for c in &letters {
                d.raw("<li>")
                    .a(
                        &format!("{}?letter={c}", g.p("/people/")),
                        &c.to_ascii_uppercase().to_string(),
                    )
                    .raw("</li>");
            }
            d.raw("</ul></nav>");
            d
        };
        for n in 1..=pages {
            let mut d = Doc::new();
            d.el("h1", "People");
            d.push(&filter_bar(self));
            d.raw("<ul class=\"people-list\">");
            for person in self.people.iter().skip((n - 1) * per).take(per) {
                d.raw("<li>").a(&person.path, &person.name).raw(" &#8211; ");
                d.text(&person.role).raw("</li>");
            }
            d.raw("</ul><nav class=\"pager\" aria-label=\"Pages\"><ul>");
            for k in 1..=pages {
                let href = if k == 1 {
                    base.clone()
                } else {
                    format!("{base}?page={k}")
                };
                d.raw("<li>").a(&href, &k.to_string()).raw("</li>");
            }
            d.raw("</ul></nav>");
            let url = if n == 1 {
                base.clone()
            } else {
                format!("{base}?page={n}")
            };
            self.emit(&url, "People", &[], &d, Sidebar::None)?;
        }
        let crumb = [("People", base.clone())];
        for c in &letters {
            let mut d = Doc::new();
            d.el("h1", &format!("People: {}", c.to_ascii_uppercase()));
            d.push(&filter_bar(self));
            let items: Vec<(String, String)> = self
                .people
                .iter()
                .filter(|p| {
                    p.name
                        .split(' ')
                        .next_back()
                        .is_some_and(|last| last.to_ascii_lowercase().starts_with(*c))
                })
                .map(|p| (p.name.clone(), p.path.clone()))
                .collect();
            d.link_list("people-list", &items);
            self.emit(
                &format!("{base}?letter={c}"),
                "People",
                &crumb,
                &d,
                Sidebar::None,
            )?;
        }
        for i in 0..self.people.len() {
            let person = &self.people[i];
            let (member_name, member_path) = self.members[person.member].clone();
            let mut d = Doc::new();
            d.el("h1", &person.name);
            d.el("p class=\"role\"", &person.role);
            d.raw("<p>").a(&member_path, &member_name).raw("</p>");
            d.el("h2", "Expertise");
            let t = i % self.tags.len();
            d.raw("<p>")
                .a(&self.tag_url(t), &self.tags[t].0)
                .raw("</p>");
            d.el("h2", "Contact");
            d.raw("<p><a href=\"/cdn-cgi/l/email-protection\" class=\"__cf_email__\">[email&#160;protected]</a></p>");
            let (path, name) = (person.path.clone(), person.name.clone());
            self.emit(&path, &name, &crumb, &d, Sidebar::None)?;
        }
        Ok(())
    }

    fn publications(&mut self) -> io::Result<()> {
        let kinds = ["Policy paper", "Report", "Briefing", "Statement", "Book"];
        let base = self.p("/publications/");
        let side = Sidebar::Section(
            "Publications".into(),
            std::iter::once(("All publications".to_string(), base.clone()))
                .chain(std::iter::once((
                    "Annual reports".to_string(),
                    self.p("/publications/annual-reports/"),
                )))
                .chain(kinds.iter().map(|k| {
                    (
                        format!("{k}s"),
                        self.p(&format!("/publications/type/{}/", slugify(k))),
                    )
                }))
                .collect(),
        );
        let newest: Vec<usize> = (0..self.pubs.len()).rev().collect();
        let list_pages = |g: &mut Gen,
                          base: &str,
                          title: &str,
                          ids: &[usize],
                          side: &Sidebar|
         -> io::Result<()> {
            let pages = ids.len().div_ceil(PER_PAGE).max(1);
            for n in 1..=pages {
                let mut d = Doc::new();
                d.el("h1", title);
                if n == 1 && title == "Publications" {
                    let reports = g.p("/publications/annual-reports/");
                    d.raw("<p>")
                        .a(&reports, "Annual reports and strategy")
                        .raw("</p>");
                }
                let items: Vec<(String, String)> = ids
                    .iter()
                    .skip((n - 1) * PER_PAGE)
                    .take(PER_PAGE)
                    .map(|&i| {
                        (
                            format!("{} ({})", g.pubs[i].title, g.pubs[i].year),
                            g.pubs[i].path.clone(),
                        )
                    })
                    .collect();
                d.link_list("publication-list", &items);
                d.raw("<nav class=\"pagination\" aria-label=\"Pages\">");
                if n > 1 {
                    d.a(&g.paged(base, n - 1), "Previous");
                }
                if n < pages {
                    d.a(&g.paged(base, n + 1), "Next");
                }
                d.raw("</nav>");
                let url = g.paged(base, n);
                let crumbs: Vec<(&str, String)> = if base == g.p("/publications/") {
                    vec![]
                } else {
                    vec![("Publications", g.p("/publications/"))]
                };
                g.emit(&url, title, &crumbs, &d, side.clone())?;
            }
            Ok(())
        };
        list_pages(self, &base, "Publications", &newest, &side)?;
        for (k, kind) in kinds.iter().enumerate() {
            let ids: Vec<usize> = newest
                .iter()
                .copied()
                .filter(|&i| self.pubs[i].kind == k)
                .collect();
            let url = self.p(&format!("/publications/type/{}/", slugify(kind)));
            list_pages(self, &url, &format!("{kind}s"), &ids, &side)?;
        }
        let mut reports = Doc::new();
        reports.el("h1", "Annual reports");
        reports.el("p", "Each year we report on our activities and finances.");
        reports.raw("<ul class=\"downloads\">");
        let docs: Vec<(String, String)> = self
            .documents
            .iter()
            .rev()
            .map(|d| (d.anchor.clone(), d.path.clone()))
            .collect();
        for (anchor, path) in &docs {
            reports.raw("<li>").a(path, anchor).raw("</li>");
        }
        reports.raw("</ul>");
        let crumb = [("Publications", base.clone())];
        self.emit(
            &self.p("/publications/annual-reports/"),
            "Annual reports",
            &crumb,
            &reports,
            side.clone(),
        )?;
        for i in 0..self.pubs.len() {
            let w = self.words(2);
            let pbl = &self.pubs[i];
            let mut d = Doc::new();
            d.el("h1", &pbl.title);
            d.el(
                "p class=\"meta\"",
                &format!("{} · {}", kinds[pbl.kind], pbl.year),
            );
            d.paras(&w);
            let authors: Vec<(String, String)> = (0..2)
                .map(|k| {
                    let person = &self.people[(i * 3 + k * 17) % self.people.len()];
                    (person.name.clone(), person.path.clone())
                })
                .collect();
            d.el("h2", "Authors");
            d.link_list("authors", &authors);
            let pbl = &self.pubs[i];
            d.el("h2", "How to cite");
            d.el(
                "p class=\"citation\"",
                &format!(
                    "{}. ({}). {}. Brussels: {}.",
                    authors[0].0, pbl.year, pbl.title, self.plan.name
                ),
            );
            if self.scenario == Scenario::Absent && pbl.kind == 4 {
                d.el("p class=\"cip\"", "Library of Congress Cataloging-in-Publication Data is available for this title.");
            }
            let (path, title) = (pbl.path.clone(), pbl.title.clone());
            self.emit(&path, &title, &crumb, &d, side.clone())?;
        }
        Ok(())
    }

    fn write_documents(&mut self) -> io::Result<()> {
        let streams = if self.scenario == Scenario::PdfPlain {
            Streams::Plain
        } else {
            Streams::Flate
        };
        for doc in &self.documents {
            let bytes = write_pdf(&doc.title, &doc.pages, streams);
            self.write(&doc.path, &bytes)?;
        }
        let evidence_doc = match self.scenario {
            Scenario::PdfFlate => self
                .documents
                .iter()
                .find(|d| d.title == "Annual Report 2024"),
            Scenario::PdfPlain => self.documents.iter().find(|d| d.title == "Strategy 2030"),
            _ => None,
        };
        if let Some(doc) = evidence_doc {
            self.evidence = Some(EvidencePlace {
                path: doc.path.clone(),
                depth: None,
                sitemap_position: None,
                location: "document",
                what: match streams {
                    Streams::Flate => {
                        "text inside a PDF (FlateDecode streams) linked from Publications"
                    }
                    Streams::Plain => {
                        "text inside a PDF (plain streams) linked from Strategy and Publications"
                    }
                },
            });
        }
        Ok(())
    }

    fn sitemaps(&mut self) -> io::Result<()> {
        let wp_robots = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n";
        let drupal_robots =
            "User-agent: *\nDisallow: /admin/\nDisallow: /search/\nDisallow: /user/login\n";
        let robots = if self.wp() { wp_robots } else { drupal_robots };
        // Which pages go in which file: posts first, as CMSs list them.
        let posts: Vec<String> = self.posts.iter().rev().map(|p| p.path.clone()).collect();
        let events: Vec<String> = self.events.iter().map(|e| e.path.clone()).collect();
        let people: Vec<String> = self.people.iter().map(|p| p.path.clone()).collect();
        let pubs: Vec<String> = self.pubs.iter().map(|p| p.path.clone()).collect();
        let items: BTreeSet<&String> = posts
            .iter()
            .chain(&events)
            .chain(&people)
            .chain(&pubs)
            .collect();
        let listing_prefixes = [
            "/tag/",
            "/tags/",
            "/category/",
            "/author/",
            "/news/archive/",
            "/news/category/",
        ];
        let mut section_pages: Vec<String> = self
            .pages
            .keys()
            .filter(|path| {
                let dated = self.wp()
                    && path.len() > 1
                    && path[1..].starts_with(|c: char| c.is_ascii_digit());
                let listed_elsewhere = path.contains('?')
                    || path.contains("/page/")
                    || listing_prefixes.iter().any(|p| path.starts_with(p))
                    || items.contains(path);
                !(dated || listed_elsewhere)
            })
            .cloned()
            .collect();
        // The orphan goes last among pages (the newest page edited).
        if let Some(e) = &self.evidence {
            if let Some(at) = section_pages.iter().position(|p| *p == e.path) {
                let orphan = section_pages.remove(at);
                section_pages.push(orphan);
            }
        }
        let tags: Vec<String> = (0..self.tags.len()).map(|i| self.tag_url(i)).collect();
        let cats: Vec<String> = (0..self.cats.len()).map(|i| self.cat_url(i)).collect();
        let authors: Vec<String> = (0..18).map(|i| self.author_url(i)).collect();
        let base = self.base.clone();
        let abs = |p: &str| format!("{base}{p}");
        let mut files: Vec<(String, Vec<String>)> = Vec::new();
        let mut index_entries: Vec<String> = Vec::new();
        let robots_line;
        match self.plan.sitemaps {
            Sitemaps::None => {
                robots_line = String::new();
            }
            Sitemaps::Yoast => {
                for (k, chunk) in posts.chunks(1000).enumerate() {
                    let name = if k == 0 {
                        "/post-sitemap.xml".to_string()
                    } else {
                        format!("/post-sitemap{}.xml", k + 1)
                    };
                    files.push((name, chunk.to_vec()));
                }
                files.push(("/event-sitemap.xml".into(), events));
                files.push(("/person-sitemap.xml".into(), people));
                files.push(("/publication-sitemap.xml".into(), pubs));
                files.push(("/page-sitemap.xml".into(), section_pages));
                files.push(("/category-sitemap.xml".into(), cats));
                files.push(("/post_tag-sitemap.xml".into(), tags));
                files.push(("/author-sitemap.xml".into(), authors));
                robots_line = abs("/sitemap_index.xml");
                index_entries = files.iter().map(|(n, _)| n.clone()).collect();
            }
            Sitemaps::WpCore => {
                files.push(("/wp-sitemap-posts-post-1.xml".into(), posts));
                files.push(("/wp-sitemap-posts-page-1.xml".into(), section_pages));
                files.push(("/wp-sitemap-posts-tribe_events-1.xml".into(), events));
                files.push(("/wp-sitemap-taxonomies-category-1.xml".into(), cats));
                files.push(("/wp-sitemap-taxonomies-post_tag-1.xml".into(), tags));
                files.push(("/wp-sitemap-users-1.xml".into(), authors));
                robots_line = abs("/wp-sitemap.xml");
                index_entries = files.iter().map(|(n, _)| n.clone()).collect();
            }
            Sitemaps::DrupalGz => {
                let mut all = posts;
                all.extend(section_pages);
                all.extend(events);
                all.extend(people);
                all.extend(pubs);
                all.extend(tags);
                for (k, chunk) in all.chunks(1000).enumerate() {
                    files.push((
                        format!("/sitemaps/sitemap-{}.xml.gz", k + 1),
                        chunk.to_vec(),
                    ));
                }
                robots_line = abs("/sitemap.xml");
                index_entries = files.iter().map(|(n, _)| n.clone()).collect();
            }
            Sitemaps::Plain => {
                let mut all = posts;
                all.extend(section_pages);
                all.extend(events);
                all.extend(people);
                all.extend(pubs);
                files.push(("/sitemap.xml".into(), all));
                robots_line = abs("/sitemap.xml");
            }
        }
        let mut robots_txt = robots.to_string();
        if !robots_line.is_empty() {
            robots_txt.push_str(&format!("\nSitemap: {robots_line}\n"));
        }
        self.write("/robots.txt", robots_txt.as_bytes())?;
        let mut position = 0;
        for (name, urls) in &files {
            let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for url in urls {
                position += 1;
                if let Some(e) = self.evidence.as_mut() {
                    if e.path == *url {
                        e.sitemap_position = Some(position);
                    }
                }
                let _ = writeln!(
                    xml,
                    "<url><loc>{}</loc><lastmod>2026-11-{:02}T09:00:00+00:00</lastmod></url>",
                    esc(&abs(url)),
                    1 + position % 28
                );
            }
            xml.push_str("</urlset>\n");
            if name.ends_with(".gz") {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                std::io::Write::write_all(&mut encoder, xml.as_bytes())?;
                self.write(name, &encoder.finish()?)?;
            } else {
                self.write(name, xml.as_bytes())?;
            }
        }
        if !index_entries.is_empty() {
            let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for name in &index_entries {
                let _ = writeln!(
                    xml,
                    "<sitemap><loc>{}</loc><lastmod>2026-11-28T09:00:00+00:00</lastmod></sitemap>",
                    esc(&abs(name))
                );
            }
            xml.push_str("</sitemapindex>\n");
            let index_name = robots_line.trim_start_matches(&base).to_string();
            self.write(&index_name, xml.as_bytes())?;
            if index_name != "/sitemap.xml" {
                // WordPress answers /sitemap.xml with its index too.
                self.write("/sitemap.xml", xml.as_bytes())?;
            }
        }
        self.sitemap_files = files;
        Ok(())
    }

    fn finish(mut self) -> SiteInfo {
        // Click depth of every page and document: a breadth-first walk from "/".
        let mut depth: BTreeMap<String, usize> = BTreeMap::new();
        let mut queue = VecDeque::from([("/".to_string(), 0usize)]);
        depth.insert("/".into(), 0);
        let shared: Vec<String> = self
            .header
            .links
            .iter()
            .chain(&self.footer.links)
            .cloned()
            .collect();
        let docs: BTreeSet<String> = self.documents.iter().map(|d| d.path.clone()).collect();
        // The header, footer and blog sidebar are the same on every page: their links
        // are walked from the first page that shows them only.
        let (mut shared_done, mut blog_done) = (false, false);
        while let Some((url, d)) = queue.pop_front() {
            let Some(page) = self.pages.get(&url) else {
                continue;
            };
            let shared_links = if shared_done { &[][..] } else { &shared[..] };
            shared_done = true;
            let blog = if page.blog && !blog_done {
                blog_done = true;
                &self.blog_sidebar.links[..]
            } else {
                &[]
            };
            for link in shared_links.iter().chain(&page.own).chain(blog) {
                let known = self.pages.contains_key(link) || docs.contains(link);
                if known && !depth.contains_key(link) {
                    depth.insert(link.clone(), d + 1);
                    queue.push_back((link.clone(), d + 1));
                }
            }
        }
        let mut per_depth = Vec::new();
        for &d in depth.values() {
            if per_depth.len() <= d {
                per_depth.resize(d + 1, 0);
            }
            per_depth[d] += 1;
        }
        if let Some(e) = self.evidence.as_mut() {
            e.depth = depth.get(&e.path).copied();
        }
        SiteInfo {
            scenario: self.scenario,
            site_name: self.plan.name.to_string(),
            html_pages: self.pages.len(),
            documents: self.documents.len(),
            reachable: depth.len(),
            sitemap_entries: self.sitemap_files.iter().map(|(_, u)| u.len()).sum(),
            evidence: self.evidence,
            expected_verdict: self.scenario.expected_verdict(),
            pages_per_depth: per_depth,
            menu_targets: self.header.links.clone(),
        }
    }
}

/// A mega-menu column: its title ("" for none) and its items.
type MenuColumn<'a> = (&'a str, Vec<(&'a str, String)>);

#[derive(Clone)]
enum Sidebar {
    None,
    Blog,
    /// "In this section": a heading and the section's pages.
    Section(String, Vec<(String, String)>),
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
