//! Google's robots.txt reference cases (robots_test.cc, Apache-2.0; see
//! tests/data/README.md) through the crawl's own robots policy, and through the
//! `robots` command as a user runs it (issue 14).

use std::collections::BTreeMap;
use std::process::Command;

use alliance_audit::crawl::robots::RobotsPolicy;

#[derive(Debug, serde::Deserialize)]
struct Case {
    test: String,
    line: u32,
    robots: String,
    agent: String,
    url: String,
    allowed: bool,
}

fn cases() -> Vec<Case> {
    #[derive(serde::Deserialize)]
    struct File {
        cases: Vec<Case>,
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/google_robots_cases.json"
    );
    let text = std::fs::read_to_string(path).expect("the Google cases file");
    let file: File = serde_json::from_str(&text).expect("valid JSON");
    file.cases
}

fn describe(case: &Case) -> String {
    format!(
        "{}:{} agent {:?} url {:?}",
        case.test,
        case.line,
        case.agent,
        if case.url.len() > 80 {
            &case.url[..80]
        } else {
            &case.url
        }
    )
}

#[test]
fn every_google_case_through_the_crawls_policy() {
    let cases = cases();
    // The file is all of them: 145 URL checks in robots_test.cc.
    assert_eq!(cases.len(), 145);
    let failures: Vec<String> = cases
        .iter()
        .filter(|case| {
            // What the crawl does with a 200 answer: `Site::fetch_robots`, then `allows`.
            let policy =
                RobotsPolicy::from_response_for(Some(200), case.robots.as_bytes(), &case.agent);
            policy.decide(&case.url).0 != case.allowed
        })
        .map(|case| format!("{} expected allowed={}", describe(case), case.allowed))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// All cases again, from outside: one `robots` run per robots.txt and agent, with all
/// of its URLs (so the order of the output lines is checked too).
#[test]
fn every_google_case_through_the_robots_command() {
    let cases = cases();
    let mut groups: BTreeMap<(&str, &str), Vec<&Case>> = BTreeMap::new();
    for case in &cases {
        groups
            .entry((case.robots.as_str(), case.agent.as_str()))
            .or_default()
            .push(case);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (index, ((robots, agent), group)) in groups.iter().enumerate() {
        let file = dir.path().join(format!("robots-{index}.txt"));
        std::fs::write(&file, robots).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
            .arg("robots")
            .arg("--file")
            .arg(&file)
            .arg("--agent")
            .arg(agent)
            .args(group.iter().map(|case| &case.url))
            .output()
            .expect("the binary runs");
        assert!(
            output.status.success(),
            "{}: {}",
            describe(group[0]),
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), group.len(), "one line per URL:\n{stdout}");
        for (line, case) in lines.iter().zip(group) {
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            assert_eq!(fields.len(), 3, "three fields: {line:?}");
            let expected = if case.allowed { "allow" } else { "disallow" };
            assert_eq!(fields[0], expected, "{}", describe(case));
            assert_eq!(fields[1], case.url, "URLs in input order");
            assert!(
                fields[2] == "default" || fields[2].starts_with("line "),
                "a rule with its line, or default: {:?}",
                fields[2]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, cases.len());
}

#[test]
fn the_command_names_the_deciding_rule_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("robots.txt");
    std::fs::write(
        &file,
        "\u{feff}# site rules\r\nUser-agent: *\r\nDisallow: /private\r\nAllow: /private/open\r\n\r\nUser-agent: OtherBot\r\nDisallow: /\r\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(["robots", "--file"])
        .arg(&file)
        .args([
            "--agent",
            "FooBot",
            "https://e.org/private/x",
            "https://e.org/private/open/y",
            "https://e.org/news",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "disallow\thttps://e.org/private/x\tline 3: Disallow: /private\n\
         allow\thttps://e.org/private/open/y\tline 4: Allow: /private/open\n\
         allow\thttps://e.org/news\tdefault\n"
    );
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let binary = env!("CARGO_BIN_EXE_alliance-audit");
    // Neither --file nor --url.
    let output = Command::new(binary)
        .args(["robots", "--agent", "x", "https://e.org/"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--file"));
    // No URL.
    let output = Command::new(binary)
        .args(["robots", "--file", "Cargo.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    // A file that is not there.
    let output = Command::new(binary)
        .args([
            "robots",
            "--file",
            "/nonexistent/robots.txt",
            "https://e.org/",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}

/// A tiny HTTP server on 127.0.0.1: `/a/robots.txt`-style paths answer from `routes`
/// (path → status, extra header, body); anything else 404.
fn serve(routes: Vec<(&'static str, u16, &'static str, &'static str)>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, header, body) = routes
                .iter()
                .find(|(route, ..)| *route == path)
                .map(|(_, status, header, body)| (*status, *header, *body))
                .unwrap_or((404, "", "not here"));
            let header = if header.is_empty() {
                String::new()
            } else {
                format!("{header}\r\n")
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n{header}\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{address}")
}

#[test]
fn live_robots_txt_is_fetched_with_the_crawls_rules() {
    let base = serve(vec![
        ("/robots.txt", 301, "Location: /real-robots.txt", ""),
        (
            "/real-robots.txt",
            200,
            "",
            "User-agent: *\nDisallow: /private\n",
        ),
    ]);
    let output = Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(["robots", "--url", &format!("{base}/some/page")])
        .arg(format!("{base}/private/x"))
        .arg(format!("{base}/public"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("1 redirect"), "{stderr}");
    assert!(stderr.contains("HTTP 200"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        format!(
            "disallow\t{base}/private/x\tline 2: Disallow: /private\nallow\t{base}/public\tdefault\n"
        )
    );

    // No robots.txt (404): everything allowed, and said so.
    let base = serve(vec![]);
    let output = Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(["robots", "--url", &base])
        .arg(format!("{base}/private/x"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("HTTP 404: no robots.txt"));
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .starts_with("allow\t"));
}

#[test]
fn a_robots_txt_answering_500_disallows_everything() {
    let base = serve(vec![("/robots.txt", 500, "", "oops")]);
    let output = Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(["robots", "--url", &base])
        .arg(format!("{base}/page"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("HTTP 500: unreachable"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!("disallow\t{base}/page\trobots.txt unreachable")),
        "{stdout}"
    );
}
