//! The alliances file: the bundled one, and what a valid file means.

use super::*;

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
