//! Configuration (issue 2, "Configuration"): the bundled files load and say what the
//! product needs, and every bad file is refused with its file, line and reason before
//! any request.
//!
//! Inline TOML is written as a slice of lines so that line numbers can be read off the
//! test: the first entry is line 1.

use std::path::{Path, PathBuf};

use alliance_audit::config::{AllianceKind, Config, ConfigError, Limits, Topics};

// ---------------------------------------------------------------------------------
// Helpers

fn toml<S: AsRef<str>>(lines: &[S]) -> String {
    let mut text = String::new();
    for line in lines {
        text.push_str(line.as_ref());
        text.push('\n');
    }
    text
}

fn alliances<S: AsRef<str>>(lines: &[S]) -> Result<Config, ConfigError> {
    Config::parse(&toml(lines), "alliances.toml")
}

fn topics<S: AsRef<str>>(lines: &[S]) -> Result<Topics, ConfigError> {
    Topics::parse(&toml(lines), "topics.toml")
}

/// Asserts the refusal names `file`, `line` and says `phrase`.
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, ConfigError>,
    file: &str,
    line: usize,
    phrase: &str,
) -> ConfigError {
    let err = result.expect_err("the configuration should be refused");
    assert_eq!(err.file, file, "{err}");
    assert_eq!(err.line, Some(line), "{err}");
    assert!(
        err.message.contains(phrase),
        "expected {phrase:?} in the message: {err}"
    );
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("{file}:{line}:")), "{shown}");
    err
}

/// One valid alliance, lines 1-4, for tests that add one bad line after it.
const LERU: [&str; 4] = [
    "[[alliance]]",
    "id = \"leru\"",
    "name = \"League of European Research Universities\"",
    "start_urls = [\"https://www.leru.org/\"]",
];

/// [`LERU`] followed by `more` (line 5 onwards).
fn with_leru(more: &[&str]) -> Vec<String> {
    LERU.iter().chain(more).map(|s| s.to_string()).collect()
}

/// One valid topic, lines 1-3.
const TOPIC: [&str; 3] = ["[[topic]]", "id = \"museums\"", "name = \"Museums\""];

/// [`TOPIC`] followed by `more` (line 4 onwards).
fn with_topic(more: &[&str]) -> Vec<String> {
    TOPIC.iter().chain(more).map(|s| s.to_string()).collect()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/config")
        .join(name)
}

/// Folded as matching folds: lowercase, accents dropped.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when some entry of `terms` matches the whole word `word` (exactly, or by a
/// `*` at either end), the way detection reads the lexicon.
fn covers(terms: &[String], word: &str) -> bool {
    let word = fold(word);
    terms.iter().any(|term| {
        let term = fold(term);
        let core = term.trim_matches('*');
        match (term.starts_with('*'), term.ends_with('*')) {
            (false, false) => word == core,
            (false, true) => word.starts_with(core),
            (true, false) => word.ends_with(core),
            (true, true) => word.contains(core),
        }
    })
}

// ---------------------------------------------------------------------------------
// The bundled alliances

/// The alliances issue 2 names, by id.
const REQUIRED: [&str; 21] = [
    "universitas-21",
    "wun",
    "idea-league",
    "leru",
    "coimbra-group",
    "the-guild",
    "apru",
    "aau",
    "russell-group",
    "go8",
    "u15-canada",
    "iaru",
    "europaeum",
    "cesaer",
    "una-europa",
    "civis",
    "4eu-plus",
    "eutopia",
    "matariki",
    "unica",
    "sgroup",
];

#[test]
fn bundled_alliances_load_with_every_required_alliance() {
    let config = Config::bundled();
    assert_eq!(config.source, "config/alliances.toml");
    assert!(config.enabled().count() >= 20);
    for id in REQUIRED {
        let alliance = config.get(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(alliance.enabled, "{id} should be crawled");
        assert_eq!(alliance.kind, AllianceKind::University, "{id}");
    }
}

#[test]
fn bundled_alliances_are_crawlable() {
    let config = Config::bundled();
    for alliance in config.enabled() {
        assert!(!alliance.name.is_empty());
        assert!(!alliance.start_urls.is_empty(), "{}", alliance.id);
        for url in &alliance.start_urls {
            assert_eq!(url.scheme(), "https", "{url}");
            assert!(alliance.allows_host(url.host_str().unwrap()), "{url}");
        }
    }
}

#[test]
fn bundled_alliances_include_library_controls() {
    let config = Config::bundled();
    let controls: Vec<&str> = config
        .enabled()
        .filter(|a| a.kind == AllianceKind::Library)
        .map(|a| a.id.as_str())
        .collect();
    assert!(controls.len() >= 2, "{controls:?}");
    for id in ["liber", "rluk", "carl", "caul", "arl", "prrla", "iatul"] {
        assert!(controls.contains(&id), "{id} should be a library control");
    }
}

#[test]
fn c9_league_is_kept_but_disabled_with_its_reason() {
    let config = Config::bundled();
    let c9 = config.get("c9-league").expect("c9-league listed");
    assert!(!c9.enabled);
    assert!(c9.start_urls.is_empty());
    assert!(c9.disabled_reason.as_deref().unwrap().contains("website"));
    assert!(config.enabled().all(|a| a.id != "c9-league"));
}

#[test]
fn bundled_defaults_are_the_polite_ones() {
    let config = Config::bundled();
    let polite = Limits {
        max_pages: 500,
        max_depth: 5,
        per_host_delay_ms: 1000,
        concurrency_per_host: 1,
    };
    assert_eq!(Limits::default(), polite);
    assert_eq!(config.defaults, polite);
    assert_eq!(config.get("leru").unwrap().limits, polite);
}

#[test]
fn the_fixture_sites_config_loads_from_its_file() {
    // Port 0 and no delay: the test sites' own settings (tests/sites.rs).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites.toml");
    let config = Config::load(&path).unwrap();
    assert_eq!(config.source, path.display().to_string());
    assert_eq!(config.defaults.per_host_delay_ms, 0);
    assert!(config.get("liber").unwrap().allows_host("127.0.0.1"));
}

// ---------------------------------------------------------------------------------
// Alliances: what a valid file means

#[test]
fn allowed_hosts_default_to_the_start_hosts_with_and_without_www() {
    let config = alliances(&[
        "[[alliance]]",
        "id = \"a\"",
        "name = \"A\"",
        "start_urls = [\"https://www.a.example/\", \"https://B.example/x\", \"http://127.0.0.1:8080/\"]",
    ])
    .unwrap();
    let a = &config.alliances[0];
    assert_eq!(
        a.allowed_hosts,
        [
            "www.a.example",
            "a.example",
            "b.example",
            "www.b.example",
            "127.0.0.1"
        ]
    );
    assert!(a.allows_host("A.example"));
    assert!(a.allows_host("www.b.example."));
    assert!(!a.allows_host("cdn.a.example"));
    assert!(!a.allows_host("a.example.evil.net"));
}

#[test]
fn explicit_allowed_hosts_replace_the_default() {
    let config = alliances(&with_leru(&[
        "allowed_hosts = [\"www.leru.org\", \"Archive.LERU.org\"]",
    ]))
    .unwrap();
    let leru = &config.alliances[0];
    assert_eq!(leru.allowed_hosts, ["www.leru.org", "archive.leru.org"]);
    assert!(!leru.allows_host("leru.org"));
}

#[test]
fn alliance_limits_override_the_defaults_key_by_key() {
    let mut lines = vec![
        "[defaults]".to_string(),
        "max_pages = 50".into(),
        "per_host_delay_ms = 200".into(),
    ];
    lines.extend(with_leru(&["max_depth = 2", "concurrency_per_host = 2"]));
    let config = alliances(&lines).unwrap();
    assert_eq!(
        config.alliances[0].limits,
        Limits {
            max_pages: 50,
            max_depth: 2,
            per_host_delay_ms: 200,
            concurrency_per_host: 2,
        }
    );
    // max_depth = 0 (start pages only) and no delay are meaningful.
    let config = alliances(&with_leru(&["max_depth = 0", "per_host_delay_ms = 0"])).unwrap();
    assert_eq!(config.alliances[0].limits.max_depth, 0);
    assert_eq!(config.alliances[0].limits.per_host_delay_ms, 0);
}

#[test]
fn kind_defaults_to_university() {
    let config = alliances(&with_leru(&[
        "[[alliance]]",
        "id = \"liber\"",
        "name = \"LIBER\"",
        "kind = \"library\"",
        "start_urls = [\"https://libereurope.eu/\"]",
    ]))
    .unwrap();
    assert_eq!(config.alliances[0].kind, AllianceKind::University);
    assert_eq!(config.alliances[1].kind, AllianceKind::Library);
}

// ---------------------------------------------------------------------------------
// Alliances: refusals

#[test]
fn refuses_a_toml_syntax_error() {
    assert_refused(
        alliances(&["[[alliance]]", "id = \"leru", "name = \"LERU\""]),
        "alliances.toml",
        2,
        "invalid TOML",
    );
    assert_refused(
        alliances(&["[defaults]", "max_pages == 3"]),
        "alliances.toml",
        2,
        "invalid TOML",
    );
}

#[test]
fn refuses_an_unknown_alliance_key_and_lists_the_allowed_ones() {
    let err = assert_refused(
        alliances(&with_leru(&["start_url = \"https://www.leru.org/\""])),
        "alliances.toml",
        5,
        "unknown key `start_url`",
    );
    assert!(err.message.contains("`start_urls`"), "{err}");
    assert!(err.message.contains("`allowed_hosts`"), "{err}");
    assert_eq!(err.column, Some(1), "{err}");
}

#[test]
fn refuses_an_unknown_key_in_defaults_and_at_the_top() {
    assert_refused(
        alliances(&["[defaults]", "max_pages = 5", "delay_ms = 10"]),
        "alliances.toml",
        3,
        "unknown key `delay_ms`",
    );
    let mut lines = vec!["title = \"mine\""];
    lines.extend(LERU);
    assert_refused(
        alliances(&lines),
        "alliances.toml",
        1,
        "unknown key `title`",
    );
    // A misspelt array header is an unknown key too.
    assert_refused(
        alliances(&["[[alliances]]", "id = \"leru\""]),
        "alliances.toml",
        1,
        "unknown key `alliances`",
    );
}

#[test]
fn refuses_a_missing_required_key() {
    assert_refused(
        alliances(&[
            "[[alliance]]",
            "id = \"leru\"",
            "start_urls = [\"https://www.leru.org/\"]",
        ]),
        "alliances.toml",
        1,
        "missing required key `name`",
    );
    assert_refused(
        alliances(&["[[alliance]]", "name = \"LERU\""]),
        "alliances.toml",
        1,
        "missing required key `id`",
    );
}

#[test]
fn refuses_a_file_without_alliances() {
    let err = alliances(&["[defaults]", "max_pages = 5"]).unwrap_err();
    assert_eq!(err.file, "alliances.toml");
    assert_eq!(err.line, None);
    assert!(err.message.contains("no alliances"), "{err}");
}

#[test]
fn refuses_a_duplicate_alliance_id_naming_both_lines() {
    let err = assert_refused(
        alliances(&with_leru(&[
            "",
            "[[alliance]]",
            "id = \"leru\"",
            "name = \"LERU again\"",
            "start_urls = [\"https://www.leru.org/en/\"]",
        ])),
        "alliances.toml",
        7,
        "duplicate alliance id \"leru\" (first defined on line 2)",
    );
    assert_eq!(
        err.to_string(),
        "alliances.toml:7:6: duplicate alliance id \"leru\" (first defined on line 2)"
    );
}

#[test]
fn refuses_an_id_that_is_not_kebab_case() {
    for bad in [
        "\"LERU\"",
        "\"my_alliance\"",
        "\"a--b\"",
        "\"-a\"",
        "\"a b\"",
        "\"\"",
    ] {
        assert_refused(
            alliances(&["[[alliance]]", &format!("id = {bad}"), "name = \"X\""]),
            "alliances.toml",
            2,
            "is not kebab-case",
        );
    }
}

#[test]
fn refuses_an_empty_name() {
    assert_refused(
        alliances(&[
            "[[alliance]]",
            "id = \"leru\"",
            "name = \"  \"",
            "start_urls = [\"https://www.leru.org/\"]",
        ]),
        "alliances.toml",
        3,
        "name must not be empty",
    );
}

#[test]
fn refuses_a_start_url_that_is_not_a_url() {
    assert_refused(
        alliances(&[
            "[[alliance]]",
            "id = \"leru\"",
            "name = \"LERU\"",
            "start_urls = [",
            "  \"https://www.leru.org/\",",
            "  \"www.leru.org/about\",",
            "]",
        ]),
        "alliances.toml",
        6,
        "\"www.leru.org/about\" is not a valid URL",
    );
}

#[test]
fn refuses_a_start_url_that_is_not_http() {
    assert_refused(
        alliances(&[
            "[[alliance]]",
            "id = \"leru\"",
            "name = \"LERU\"",
            "start_urls = [\"ftp://ftp.leru.org/\"]",
        ]),
        "alliances.toml",
        4,
        "is not an http(s) URL",
    );
}

#[test]
fn refuses_a_start_url_listed_twice() {
    assert_refused(
        alliances(&[
            "[[alliance]]",
            "id = \"leru\"",
            "name = \"LERU\"",
            "start_urls = [\"https://www.leru.org/\",",
            "  \"https://WWW.leru.org\"]",
        ]),
        "alliances.toml",
        5,
        "listed twice",
    );
}

#[test]
fn refuses_empty_or_missing_start_urls_on_an_enabled_alliance() {
    assert_refused(
        alliances(&[
            "[[alliance]]",
            "id = \"leru\"",
            "name = \"LERU\"",
            "start_urls = []",
        ]),
        "alliances.toml",
        4,
        "start_urls of alliance \"leru\" is empty",
    );
    assert_refused(
        alliances(&["[[alliance]]", "id = \"leru\"", "name = \"LERU\""]),
        "alliances.toml",
        1,
        "has no start_urls",
    );
    // Disabled, it may have none.
    let config = alliances(&[
        "[[alliance]]",
        "id = \"c9-league\"",
        "name = \"C9 League\"",
        "enabled = false",
        "disabled_reason = \"no website of its own\"",
    ])
    .unwrap();
    assert_eq!(config.enabled().count(), 0);
}

#[test]
fn refuses_a_limit_of_zero_where_zero_means_nothing() {
    assert_refused(
        alliances(&["[defaults]", "max_pages = 0"]),
        "alliances.toml",
        2,
        "max_pages must be at least 1 (got 0)",
    );
    assert_refused(
        alliances(&with_leru(&["concurrency_per_host = 0"])),
        "alliances.toml",
        5,
        "concurrency_per_host must be at least 1 (got 0)",
    );
}

#[test]
fn refuses_a_negative_limit() {
    assert_refused(
        alliances(&with_leru(&["max_depth = -1"])),
        "alliances.toml",
        5,
        "max_depth must not be negative (got -1)",
    );
    assert_refused(
        alliances(&["[defaults]", "per_host_delay_ms = -500"]),
        "alliances.toml",
        2,
        "per_host_delay_ms must not be negative",
    );
}

#[test]
fn refuses_a_limit_of_the_wrong_type() {
    assert_refused(
        alliances(&with_leru(&["max_pages = \"many\""])),
        "alliances.toml",
        5,
        "invalid type",
    );
}

#[test]
fn refuses_an_unknown_kind() {
    assert_refused(
        alliances(&with_leru(&["kind = \"museum\""])),
        "alliances.toml",
        5,
        "`university` or `library`",
    );
}

#[test]
fn refuses_allowed_hosts_that_are_not_hosts() {
    for bad in [
        "https://www.leru.org",
        "www.leru.org/en",
        "www.leru.org:8080",
        "",
    ] {
        assert_refused(
            alliances(&with_leru(&[&format!(
                "allowed_hosts = [\"www.leru.org\", \"{bad}\"]"
            )])),
            "alliances.toml",
            5,
            "is not a host name",
        );
    }
    assert_refused(
        alliances(&with_leru(&["allowed_hosts = []"])),
        "alliances.toml",
        5,
        "allowed_hosts is empty",
    );
}

#[test]
fn refuses_a_start_url_outside_its_allowed_hosts() {
    assert_refused(
        alliances(&with_leru(&["allowed_hosts = [\"leru.org\"]"])),
        "alliances.toml",
        4,
        "host \"www.leru.org\" of \"https://www.leru.org/\" is not in allowed_hosts",
    );
}

#[test]
fn refuses_a_blank_disabled_reason() {
    assert_refused(
        alliances(&with_leru(&["enabled = false", "disabled_reason = \"\""])),
        "alliances.toml",
        6,
        "disabled_reason must not be empty",
    );
}

// ---------------------------------------------------------------------------------
// Alliances: files on disk

#[test]
fn refuses_an_unreadable_file_without_a_line() {
    let path = fixture("no-such-file.toml");
    let err = Config::load(&path).unwrap_err();
    assert_eq!(err.file, path.display().to_string());
    assert_eq!((err.line, err.column), (None, None));
    assert!(err.message.contains("cannot read the file"), "{err}");
    assert!(err
        .to_string()
        .starts_with(&format!("{}: cannot read", path.display())));
    let err = Topics::load(&path).unwrap_err();
    assert_eq!(err.line, None);
    assert!(err.message.contains("cannot read the file"), "{err}");
}

#[test]
fn refusals_from_files_name_the_path_as_given() {
    let path = fixture("duplicate-id.toml");
    let file = path.display().to_string();
    assert_refused(
        Config::load(&path),
        &file,
        13,
        "duplicate alliance id \"leru\" (first defined on line 7)",
    );

    let path = fixture("unknown-key.toml");
    let file = path.display().to_string();
    assert_refused(Config::load(&path), &file, 8, "unknown key `start_url`");

    let path = fixture("syntax-error.toml");
    let file = path.display().to_string();
    assert_refused(Config::load(&path), &file, 6, "invalid TOML");

    let path = fixture("bad-topics.toml");
    let file = path.display().to_string();
    assert_refused(
        Topics::load(&path),
        &file,
        10,
        "terms of topic \"museums\" is empty",
    );
}

// ---------------------------------------------------------------------------------
// The bundled topics

#[test]
fn bundled_topics_load_with_library_collaboration_first() {
    let topics = Topics::bundled();
    assert_eq!(topics.topics[0].id, "library-collaboration");
    let library = topics.get("library-collaboration").unwrap();
    assert!(!library.negative.is_empty());
    assert!(!library.collaboration.is_empty());
    assert!(topics.get("open-science").is_some());
    assert!(topics.get("nothing").is_none());
}

#[test]
fn library_collaboration_has_terms_in_every_required_language() {
    let topics = Topics::bundled();
    let terms = &topics.get("library-collaboration").unwrap().terms;
    let languages: [(&str, &[&str]); 13] = [
        (
            "English",
            &["library", "libraries", "librarians", "librarianship"],
        ),
        (
            "German",
            &[
                "Bibliothek",
                "Bibliotheken",
                "Bibliothekar",
                "Universitätsbibliothek",
                "Hochschulbibliothek",
            ],
        ),
        (
            "French",
            &["bibliothèque", "Bibliothèques", "bibliothécaires"],
        ),
        ("Spanish", &["biblioteca", "bibliotecas", "bibliotecarios"]),
        ("Italian", &["biblioteca", "biblioteche", "bibliotecari"]),
        ("Dutch", &["bibliotheek", "bibliotheken", "bibliothecaris"]),
        (
            "Portuguese",
            &["biblioteca", "bibliotecas", "bibliotecários"],
        ),
        (
            "Polish",
            &[
                "biblioteka",
                "biblioteki",
                "bibliotek",
                "bibliotece",
                "bibliotekarz",
            ],
        ),
        (
            "Swedish",
            &[
                "bibliotek",
                "biblioteket",
                "biblioteken",
                "universitetsbibliotek",
            ],
        ),
        ("Danish", &["bibliotek", "biblioteker", "bibliotekerne"]),
        ("Norwegian", &["bibliotek", "biblioteket", "bibliotekene"]),
        (
            "Finnish",
            &["kirjasto", "kirjastot", "kirjaston", "yliopistokirjasto"],
        ),
        ("phrases", &["information services", "research libraries"]),
    ];
    for (language, words) in languages {
        for word in words {
            assert!(covers(terms, word), "{language}: no term matches {word:?}");
        }
    }
    // Explicit forms, not a prefix that would catch other words.
    assert!(!covers(terms, "librarything"));
    assert!(!covers(terms, "bibliography"));
}

#[test]
fn library_collaboration_knows_the_false_friends_and_collaboration_words() {
    let topics = Topics::bundled();
    let library = topics.get("library-collaboration").unwrap();
    let negative: Vec<String> = library.negative.iter().map(|n| fold(n)).collect();
    for phrase in [
        "software library",
        "javascript library",
        "media library",
        "photo library",
        "video library",
        "resource library",
        "digital asset library",
        "images library",
        "r and python libraries",
        "library of congress",
        "library of data",
    ] {
        assert!(
            negative.iter().any(|n| n == phrase),
            "negative lacks {phrase:?}"
        );
    }
    for word in [
        "network",
        "networks",
        "group",
        "consortium",
        "consortia",
        "collaboration",
        "partnership",
        "forum",
        "cooperation",
        "co-operation",
        "Netzwerk",
        "Verbund",
        "Zusammenarbeit",
        "réseau",
        "réseaux",
        "coopération",
        "redes",
        "cooperación",
        "rete",
        "cooperazione",
        "netwerk",
        "samenwerking",
        "rede",
        "cooperação",
        "sieć",
        "współpraca",
        "nätverk",
        "samarbete",
        "samarbejde",
        "samarbeid",
        "verkosto",
        "yhteistyö",
    ] {
        assert!(
            covers(&library.collaboration, word),
            "collaboration lacks {word:?}"
        );
    }
    // The phrase "working group" is listed as such.
    assert!(library.collaboration.iter().any(|c| c == "working group"));
}

// ---------------------------------------------------------------------------------
// Topics: a user's own topic, and refusals

#[test]
fn a_user_topic_loads_from_toml_alone() {
    let text = toml(&[
        "[[topic]]",
        "id = \"museums\"",
        "name = \"Museums and collections\"",
        "terms = [\"museum\", \"museums\", \"Museen\", \"musée*\", \"*museum\"]",
        "negative = [\"Virtual Museum Tours\"]",
        "collaboration = [\"network*\"]",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-topics.toml");
    std::fs::write(&path, text).unwrap();
    let topics = Topics::load(&path).unwrap();
    let museums = topics.get("museums").unwrap();
    assert_eq!(museums.name, "Museums and collections");
    assert_eq!(
        museums.terms,
        ["museum", "museums", "Museen", "musée*", "*museum"]
    );
    assert_eq!(museums.negative, ["Virtual Museum Tours"]);
    assert_eq!(museums.collaboration, ["network*"]);
}

#[test]
fn negative_and_collaboration_are_optional() {
    let topics = topics(&with_topic(&["terms = [\"museum\"]"])).unwrap();
    let museums = topics.get("museums").unwrap();
    assert!(museums.negative.is_empty() && museums.collaboration.is_empty());
}

#[test]
fn a_term_may_also_be_in_its_own_negative_list() {
    let topics = topics(&with_topic(&[
        "terms = [\"library\"]",
        "negative = [\"library\", \"media library\"]",
    ]))
    .unwrap();
    assert_eq!(topics.topics[0].negative, ["library", "media library"]);
}

#[test]
fn refuses_a_topics_syntax_error() {
    assert_refused(
        topics(&with_topic(&["terms = [\"museum\""])),
        "topics.toml",
        4,
        "invalid TOML: unclosed array",
    );
}

#[test]
fn refuses_an_unknown_topic_key() {
    let err = assert_refused(
        topics(&with_topic(&[
            "terms = [\"museum\"]",
            "negatives = [\"x\"]",
        ])),
        "topics.toml",
        5,
        "unknown key `negatives`",
    );
    assert!(err.message.contains("`negative`"), "{err}");
}

#[test]
fn refuses_a_topic_without_terms() {
    assert_refused(
        topics(&TOPIC),
        "topics.toml",
        1,
        "missing required key `terms`",
    );
}

#[test]
fn refuses_an_empty_term_list() {
    assert_refused(
        topics(&with_topic(&["terms = []"])),
        "topics.toml",
        4,
        "terms of topic \"museums\" is empty",
    );
}

#[test]
fn refuses_a_blank_term() {
    assert_refused(
        topics(&with_topic(&[
            "terms = [",
            "  \"museum\",",
            "  \"   \",",
            "]",
        ])),
        "topics.toml",
        6,
        "terms of topic \"museums\" has a blank entry",
    );
    assert_refused(
        topics(&with_topic(&[
            "terms = [\"museum\"]",
            "collaboration = [\"\"]",
        ])),
        "topics.toml",
        5,
        "collaboration of topic \"museums\" has a blank entry",
    );
    assert_refused(
        topics(&with_topic(&["terms = [\"*\"]"])),
        "topics.toml",
        4,
        "has no letters",
    );
}

#[test]
fn refuses_a_star_inside_a_term() {
    assert_refused(
        topics(&with_topic(&["terms = [\"mus*um\"]"])),
        "topics.toml",
        4,
        "a `*` may only begin or end an entry",
    );
}

#[test]
fn refuses_a_duplicate_term_also_by_case_or_accent() {
    assert_refused(
        topics(&with_topic(&[
            "terms = [",
            "  \"musée\",",
            "  \"museum\",",
            "  \"Musee\",",
            "]",
        ])),
        "topics.toml",
        7,
        "duplicate entry \"Musee\" in terms of topic \"museums\" (first on line 5)",
    );
    assert_refused(
        topics(&with_topic(&[
            "terms = [\"museum\"]",
            "negative = [\"virtual museum\", \"Virtual  Museum\"]",
        ])),
        "topics.toml",
        5,
        "duplicate entry",
    );
}

#[test]
fn refuses_a_duplicate_topic_id() {
    let mut lines = with_topic(&["terms = [\"museum\"]"]);
    lines.extend(with_topic(&["terms = [\"museo\"]"]));
    assert_refused(
        topics(&lines),
        "topics.toml",
        6,
        "duplicate topic id \"museums\" (first defined on line 2)",
    );
}

#[test]
fn refuses_a_topic_id_that_is_not_kebab_case() {
    assert_refused(
        topics(&[
            "[[topic]]",
            "id = \"Open Science\"",
            "name = \"x\"",
            "terms = [\"x\"]",
        ]),
        "topics.toml",
        2,
        "topic id \"Open Science\" is not kebab-case",
    );
}

#[test]
fn refuses_an_empty_topic_name() {
    assert_refused(
        topics(&[
            "[[topic]]",
            "id = \"museums\"",
            "name = \"\"",
            "terms = [\"x\"]",
        ]),
        "topics.toml",
        3,
        "name must not be empty",
    );
}

#[test]
fn refuses_a_file_without_topics() {
    let err = topics(&["# nothing here"]).unwrap_err();
    assert_eq!(err.line, None);
    assert!(err.message.contains("no topics"), "{err}");
}
