//! The topics file: the bundled lexicons, a user's own topic, and refusals.

use super::*;

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
