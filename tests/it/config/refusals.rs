//! The alliances file: what is refused, and files on disk.

use super::*;

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
